"""Reading a cover sheet from OCR words: the labelled reference, the other candidates, the fields."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import mean

import regex

from scanner.fields import read_fields
from scanner.labels import (
    ADDRESSEE_LABELS,
    BIRTH_LABELS,
    CLOSING_LABELS,
    FORENAME_LABELS,
    GREETING_LABELS,
    LETTER_LABELS,
    MESSAGE_HEADER_LABELS,
    NAME_LABELS,
    PERSON_LABELS,
    REFERENCE_LABELS,
    SUBJECT_LINE_LABELS,
    SURNAME_LABELS,
    Label,
)
from scanner.layout import Line, find_label, group_lines, label_span, opens_with, parted_text, value_after
from scanner.model import CoverSheet, ReferenceCandidate
from scanner.ranking import Finding, barcode_candidate, favoured, rank
from scanner.references import readings_in_line
from scanner.tesseract import Word

# The least gap before a label that opens a cell of a line rather than following a word of its
# sentence: a space of 12 pt print is under 1.5 mm, a table's or form's column gap several.
FIELD_GAP_MM = 3.0


def _findings(lines: Sequence[Line], patterns: Sequence[str], dpi: float) -> tuple[list[Finding], bool]:
    """Every reading, labelled or loose, and whether any stood beside a reference label (a
    letter's "Your ref:" included: such a page starts a case file, but its reading counts as loose)."""
    findings: list[Finding] = []
    labelled_raw: set[str] = set()
    beside_label = False
    for index, line in enumerate(lines):
        letter_ends = {end for label in LETTER_LABELS if (end := find_label(line, label)) is not None}
        for label in REFERENCE_LABELS:
            span = label_span(line, label)
            if span is None:
                continue
            words = value_after(lines, index, span[1], dpi)
            for _, stop, reading in readings_in_line([w.text for w in words], patterns):
                labelled = span[1] not in letter_ends and introduces_field(line, span, words[stop - 1], dpi)
                findings.append(Finding(reading, labelled, mean(w.confidence for w in words)))
                labelled_raw.add(reading.raw)
                beside_label = True
    for line in lines:
        texts = [w.text for w in line.words]
        for start, end, reading in readings_in_line(texts, patterns):
            if reading.raw not in labelled_raw:
                confidence = mean(w.confidence for w in line.words[start:end])
                findings.append(Finding(reading, False, confidence, alone=(start, end) == (0, len(texts))))
    return findings, beside_label


def introduces_field(line: Line, span: tuple[int, int], value_end: Word, dpi: float) -> bool:
    """Whether the label at words `span` (first, last) of `line` introduces a field rather than
    being a word of a sentence ("…Maya's file, reference SGC-2018-9670, was opened after…"): it
    ends in a colon, or it opens its line or cell and its value, ending at `value_end`, closes
    it (a gap of `FIELD_GAP_MM` or more, or only marks, on either side; a form's item number,
    "3." or "(b)", opens a line as well). A tester's referral form so worded was linked
    automatically as if its sentence were a cover."""
    start, end = span
    if line.words[end].text.rstrip().endswith((":", ";")):
        return True
    numbered = start == 1 and regex.fullmatch(r"\(?(\d{1,2}[.)]?|[A-Za-z][.)])", line.words[0].text) is not None
    # A value read from the line below (a label above its box) leaves nothing after it here.
    at = next((i for i, word in enumerate(line.words) if word is value_end), len(line.words))
    after = line.words[at + 1 :]
    return (numbered or _cell_edge(line.words[:start][::-1], line.words[start], dpi)) and _cell_edge(
        after, value_end, dpi
    )


def _cell_edge(beyond: Sequence[Word], word: Word, dpi: float) -> bool:
    """Whether `word` is at the edge of its cell: `beyond` (the words past it, nearest first)
    hold no letter or digit, or the nearest is a mark (a table's rule read as "|") or stands
    `FIELD_GAP_MM` or more away."""
    if not any(c.isalnum() for other in beyond for c in other.text):
        return True
    nearest = beyond[0]
    if not any(c.isalnum() for c in nearest.text):
        return True
    gap = max(nearest.left - (word.left + word.width), word.left - (nearest.left + nearest.width))
    return gap >= FIELD_GAP_MM / 25.4 * dpi


def _opens(lines: Sequence[Line], labels: Sequence[Label]) -> bool:
    return any(opens_with(line, labels) for line in lines)


def _shows(lines: Sequence[Line], labels: Sequence[Label]) -> bool:
    return any(find_label(line, label) is not None for line in lines for label in labels)


FORM_LINE_WORDS = 4  # a form's line: a label ("D.O.B.", "Child's name") and a short value, or none


def shows_person_fields(words: Sequence[Word]) -> bool:
    """Whether a line opens with a name or date-of-birth label, filled in or not: a front sheet's
    form, even one whose name and date of birth were left blank, and not a note quoting a case.
    The label stands alone or ends in a colon: a note's sentence may open with "Child…" too."""
    return any(
        opens_with(line, PERSON_LABELS + BIRTH_LABELS)
        and (len(line.words) <= FORM_LINE_WORDS or any(word.text.endswith(":") for word in line.words[:3]))
        for line in group_lines(words)
    )


def letter_marks(lines: Sequence[Line]) -> str:
    """What marks the page as a letter rather than a cover sheet, in words that name no one; ""
    when nothing does. A subject line ("Re: …") counts only where no field names the person: a
    cover may print one, a letter about a sibling names the sibling there and nowhere else."""
    if _opens(lines, GREETING_LABELS):
        return 'a greeting ("Dear …")'
    if _shows(lines, CLOSING_LABELS):
        return 'a close ("Yours sincerely")'
    if _shows(lines, ADDRESSEE_LABELS):
        return 'the addressee\'s reference ("Your ref")'
    if len({label for label in MESSAGE_HEADER_LABELS if _opens(lines, (label,))}) >= 2:
        return 'an e-mail\'s or memo\'s header ("From:", "To:", "Subject:")'
    if _opens(lines, SUBJECT_LINE_LABELS) and not _shows(lines, NAME_LABELS + FORENAME_LABELS + SURNAME_LABELS):
        return 'a subject line ("Re: …") and no field naming the person'
    return ""


def first_label_top(words: Sequence[Word]) -> int | None:
    """The top row of the first line of `words` holding a reference label, None when none does."""
    return next(
        (line.top for line in group_lines(words) if any(label_span(line, label) for label in REFERENCE_LABELS)), None
    )


def read_cover(
    words: Sequence[Word], dpi: float, page_number: int, patterns: Sequence[str], evidence: str = ""
) -> tuple[bool, CoverSheet]:
    """(is this page a cover?, what it shows). A cover has a reference beside a label."""
    lines = group_lines(words)
    findings, beside_label = _findings(lines, patterns, dpi)
    candidates = rank(findings)
    reference, method, confidence = favoured(candidates)
    sheet = CoverSheet(
        page_number=page_number,
        case_reference=reference,
        method=method,
        confidence=confidence,
        candidates=candidates,
        fields=read_fields(lines, dpi),
        text="\n".join(parted_text(line) for line in lines),
        evidence=evidence or ("a reference beside a label" if beside_label else ""),
        letter=letter_marks(lines),
    )
    return beside_label, sheet


def barcode_cover(
    readings: Sequence[tuple[str, str]],
    page_number: int,
    words: Sequence[Word] = (),
    dpi: float = 200,
    patterns: Sequence[str] = (),
) -> CoverSheet:
    """A cover named by its barcodes, (reference, text) each, one reading per reference: two
    that differ leave it without a reference, and a person chooses between them. A reference
    printed in `words` that no barcode names is a reading too, after them: a sheet whose printed
    reference is another case's names two cases, and the catalogue weighs that."""
    lines = group_lines(words)
    seen: dict[str, ReferenceCandidate] = {}
    for read, raw in readings:
        seen.setdefault(read, barcode_candidate(read, raw))
    for printed in rank(_findings(lines, patterns, dpi)[0]) if patterns else ():
        seen.setdefault(printed.case_reference, printed)
    candidates = tuple(seen.values())
    reference, method, confidence = favoured(candidates)
    return CoverSheet(
        page_number,
        reference,
        method,
        confidence,
        candidates,
        read_fields(lines, dpi),
        "\n".join(line.text for line in lines),
        "a barcode",
    )
