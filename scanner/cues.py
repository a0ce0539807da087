"""What a line triage read says of a cover: a label or its start, a reference or its start, a
person's label. Pure functions of tesseract's words, so the cheap look at every page can be
tested without pictures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import regex
from anyascii import anyascii

from scanner.labels import BIRTH_LABELS, PERSON_LABELS, REFERENCE_LABELS, SUBJECT_LINE_LABELS, Label, stem
from scanner.layout import Line, label_span, normalised, opens_with
from scanner.lines import Piece
from scanner.references import (
    EDGE_PUNCTUATION,
    TO_LETTER,
    Reading,
    figures_closed,
    may_be_a_year,
    readings_in_line,
    separator_variants,
)

# A bare reference counts only in a page's first few lines, where a cover prints it (a letter's
# body quotes references further down).
REFERENCE_LINES = 6
# "Case no*" would take every "Case note" heading for a label; on a cover it reads "Case No."
TRIAGE_LABELS = (
    *tuple(("case", "no") if label == ("case", "no*") else label for label in REFERENCE_LABELS),
    ("case", "num*"),
    ("referen*",),
)
LABEL_STARTS = frozenset(label[0][:3] for label in TRIAGE_LABELS)
# A name or birth label starts its piece ("Subject", "D.O.B.", "Date of b"): matched at the start
# only, and by five letters or the whole label, since "for" and "date" open any letter's lines.
PERSON_STARTS = tuple("".join(stem(part) for part in label) for label in PERSON_LABELS + BIRTH_LABELS)
# Letters running into digits, as a reference begins ("SGD-20"); two letters, because a date at
# the small copy's resolution reads as "o2/09" or "1o/l9". A monospaced font gives its hyphen a
# letter's width, which tesseract reads with a space beside it ("KLM- 20"). A 16 pt reference's
# first 14 mm may end at its separator ("LADO-"), a 20 pt one's among other signs or in its
# first digit, cut and misread ("SGD-:", "CSC.-'", "csc-i": a fresh tester's ruled index cards
# merged so). A skewed hyphen may read as a full stop ("CF.2023": a tester's table 2.6° askew
# merged when its labels read nothing).
REFERENCE_START = re.compile(r"[A-Za-z]{2}(?: ?[-/.+~=–—_]? ?[0-9]| ?[^\w\s]*[-/][^\w\s]*\w?[^\w\s]*$)")

# The first few letters of a piece read as a code's letters alone: a reference in large print
# with spaced separators ("LBH   -   2023   -   0098" in 26 pt bold: a fresh tester's, merged
# silently) shows no more in the first look. Capitals may read as the figures they look like, one
# letter at least left ("2M" for a bold "ZM" white on a box of its own: a held-out sheet, merged).
_CODE_ALONE = re.compile(r"\s*(?:[A-Za-z]{2,5}|(?=[A-Z$0-9]*[A-Z])[A-Z$0124568]{2,5})\W{0,2}\s*")


def may_start_label(line: Line) -> bool:
    """Whether the first few letters of a piece may begin a label or a reference: a label's first
    word ("Case", "Ref", "File", "Our", "Subject", "D.O.B."), even split ("Ca se") or with one
    letter misread ("Ret No" in a skewed bold line, "BOB" or "008" for "DOB"), or the start of a
    reference."""
    words = [normalised(word.text) for word in line.words]
    letters = "".join(words)
    return (
        any(stem in letters for stem in LABEL_STARTS)
        or any(_one_letter_off(word[:3]) for word in words)
        or _may_start_person(letters)
        or (bool(line.words) and _misread_dob(line.words[0].text))
        or REFERENCE_START.search(line.text) is not None
    )


def shows_a_code_alone(line: Line) -> bool:
    """Whether the first look read a code's letters alone ("LBH", "csc", "2M"): in a piece that runs on
    past the first look, what follows may be a reference in large print, its separators spaced
    out (`_CODE_ALONE`)."""
    return _CODE_ALONE.fullmatch(line.text) is not None


def _may_start_person(letters: str) -> bool:
    """Whether a piece may open with a name or birth label: its first five letters ("subje",
    "dateo"), one of them misread, or the whole of a shorter label ("name", "dob")."""
    for label in PERSON_STARTS:
        size = min(len(label), 5)
        start = letters[:size]
        if len(start) == size and sum(a != b for a, b in zip(start, label, strict=False)) <= (1 if size == 5 else 0):
            return True
        # The read ended inside the label: "Date «"; "Dat" where a stamp's ring crossed the rest
        # (a fresh tester's stamped front sheet merged so).
        if len(letters) >= 3 and label.startswith(letters):
            return True
    return False


def opens_like_label(line: Line) -> bool:
    """Whether a line's first word is a reference label's first word ("Case", "Ref", "File")."""
    return normalised(line.words[0].text)[:3] in LABEL_STARTS


def opens_subject_line(line: Line) -> bool:
    """Whether the line opens as a letter's or a fax's subject line ("Re: …")."""
    return opens_with(line, SUBJECT_LINE_LABELS)


def _one_letter_off(start: str) -> bool:
    return len(start) == 3 and any(sum(a != b for a, b in zip(start, stem, strict=False)) <= 1 for stem in LABEL_STARTS)


# "Reference" opening a line with up to two letters added, dropped or changed ("Refflerencé" where
# a stamp's ring crossed it): long enough that no everyday word but "Deference" and "Reverence"
# comes so near, and those seldom open a line of a note.
_MISREAD_REFERENCE = regex.compile(r"(?:reference){e<=2}")
MISREAD_MIN = 7  # letters: "refer", "referee" are words of their own


def near_label(line: Line) -> str | None:
    """The words of a two-word reference label read with exactly one letter changed ("Ret No",
    "Case Nc"), which a skewed or noisy scan makes of a real label, or a line opening with
    "Reference" two letters off: not a label, not ruled out. Letters changed, not added, in the
    short words, so "Your ref" on a letter is no near-miss of "Our ref"."""
    opening = normalised(anyascii(line.words[0].text)) if line.words else ""  # "Refflerencé": é is an e
    if not _a_list_heading(line) and len(opening) >= MISREAD_MIN and _MISREAD_REFERENCE.fullmatch(opening):
        return line.words[0].text
    words = [normalised(word.text) for word in line.words]
    for label in REFERENCE_LABELS:
        if len(label) < 2:
            continue
        for start in range(len(words) - len(label) + 1):
            read = words[start : start + len(label)]
            if sum(_letters_off(word, want) for word, want in zip(read, label, strict=False)) == 1:
                return " ".join(word.text for word in line.words[start : start + len(label)])
    return None


def _letters_off(word: str, want: str) -> int:
    """Letters to change to make `word` the label word `want` (any ending after a `*`); 2 when
    lengths differ or the word is too short to judge."""
    stem = want.rstrip("*")
    if want.endswith("*") and len(word) > len(stem):  # "Reply" is a word of its own, not "Ref" misread
        return 0 if word.startswith(stem) else 2
    if len(word) != len(stem) or len(stem) < 2:
        return 2
    return sum(a != b for a, b in zip(word, stem, strict=False))


# "Date of birth" with its middle damaged and each word one letter off ("Date%ef bith", "Dbte of
# birth": a stamp's strokes across it): letters only, so a letter's "Date: 12 March" reads "datemarch".
_DAMAGED_BIRTH_LABEL = regex.compile(r"(?:date){e<=1}.{0,3}(?:birth){e<=1}")
# ... or "Date of b" and a word a stamp's ring crossed, with a date beside it ("Date of bixfff:
# 31/08/200", a fresh tester's): a field's label and its value.
_STAMPED_BIRTH_LABEL = regex.compile(r"(?:date){e<=1}(?:of){e<=1}b[a-z]{2,6}")
_DATE_VALUE = re.compile(r"\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2}")
# ... or "DOB" with one letter misread, a round one often as a figure, before a date ("008:
# 14/08/2017", "BOB: 10/12/1947": fresh testers' grey cards in a monospaced font merged so).
_FIGURES_AS_LETTERS = str.maketrans("01568", "oisbb")
_MISREAD_DOB = regex.compile(r"(?:dob){s<=1}")


def shows_birth_label(line: Line) -> bool:
    """Whether a line shows a birth label, whole or with the letters between "Date" and "birth"
    damaged, or with "birth" damaged, or "DOB" one letter off, and a date beside it: no line of
    running text opens so."""
    letters = "".join(normalised(word.text) for word in line.words[:4])
    return (
        has_any([line], BIRTH_LABELS)
        or bool(_DAMAGED_BIRTH_LABEL.match(letters))
        or bool(_STAMPED_BIRTH_LABEL.fullmatch(letters) and _DATE_VALUE.search(line.text))
        or (bool(line.words) and _misread_dob(line.words[0].text) and bool(_DATE_VALUE.search(line.text)))
    )


def _misread_dob(word: str) -> bool:
    """Whether a word is "DOB" with one letter misread, figures read as the letters they look like
    ("008", "D0B:", "BOB:", "0.0.8.")."""
    letters = "".join(c for c in word.lower() if c.isalnum()).translate(_FIGURES_AS_LETTERS)
    return letters.isalpha() and bool(_MISREAD_DOB.fullmatch(letters))


def has_any(lines: Sequence[Line], labels: Sequence[Label]) -> bool:
    return any(_is_label(line, label) for line in lines for label in labels)


def _is_label(line: Line, label: Label) -> bool:
    """Whether `line` shows `label`, other than as a letter's "Your ref": the addressee's reference,
    which a letter from another agency carries on every page."""
    span = label_span(line, label)
    if span is None:
        return False
    start = span[0]
    return start == 0 or normalised(line.words[start - 1].text) != "your"


def evidence_row(read: Sequence[tuple[Piece, Line]], patterns: Sequence[str], bare: bool = True) -> int | None:
    """The row of the first piece read as a reference label, as a reference after any label or
    opening a piece of its own as read (a form's value column whose label is smudged), or, with
    `bare`, as a reference in the first lines: one that reads, or text shaped like one however
    it ends (the cut may end inside it, "CSC-2010-622€", and a cover's evidence needs no whole
    reference). Each line is judged as read and with the marks of upright rules taken off its
    words (`_without_rules`): a "|" may be a box's side, or a "1" ("DSA-2018-65|")."""
    for index, (piece, printed) in enumerate(read):
        if _beside_a_label(read, index, patterns) or any(
            _shows_evidence(piece, line, patterns, bare) for line in (printed, _without_rules(printed))
        ):
            return piece.row
    return None


def _shows_evidence(piece: Piece, line: Line, patterns: Sequence[str], bare: bool) -> bool:
    return (
        (has_any([line], TRIAGE_LABELS) and not _a_list_heading(line))
        or _after_a_label(line, patterns)
        or _opens_with_a_reference(line, patterns)
        or (
            bare
            and piece.line < REFERENCE_LINES
            and bool(
                readings_in_line([w.text for w in line.words], patterns)
                or any(_shaped_like_one(pattern, line.text) for pattern in patterns)
            )
        )
    )


def _a_list_heading(line: Line) -> bool:
    """Whether the line is "References" alone, with no colon, or numbered: the heading of a
    report's list of sources, or its entry in a table of contents ("9 References": a real scan
    of a printed encyclopedia page split off as a cover). A field's label is singular, or has
    a colon, a value or another label word beside it."""
    last = line.words[-1].text
    if normalised(last) != "references" or last.rstrip().endswith((":", ";")):
        return False
    return all(not any(c.isalpha() for c in word.text) for word in line.words[:-1])


def _after_a_label(line: Line, patterns: Sequence[str]) -> bool:
    """Whether a whole reference follows a word that ends in a colon among the line's first
    three ("Client ID: …", "Ret: …" for a misread "Ref:"): a label, whatever its words, which
    any page may carry in its footer. A letter's "Your ref:" names another agency's case."""
    words = [word.text for word in line.words]
    for index, word in enumerate(words[:3]):
        if word.endswith(":") and sum(c.isalpha() for c in word) >= 2:
            if any(normalised(w) == "your" for w in words[: index + 1]):
                return False
            return _opening_reading(words[index + 1 :], patterns) is not None
    return False


def _opening_reading(words: Sequence[str], patterns: Sequence[str]) -> Reading | None:
    """The whole reference these words open with, if they open with one."""
    found = readings_in_line(words, patterns)
    return found[0][2] if found and found[0][0] == 0 else None


def _opens_with_a_reference(line: Line, patterns: Sequence[str]) -> bool:
    """Whether the piece opens with a whole reference read as printed, no letter corrected: a
    front sheet's value column beside a label the scan smudged ("vase ne!" | "DSB-2019-305").
    Upside-down print reads as reference-shaped only with corrections, or with a year no case
    has ("CTS-0202-695")."""
    reading = _opening_reading([word.text for word in line.words], patterns)
    return reading is not None and not reading.corrections


_RULE_MARKS = "|[]"


def _without_rules(line: Line) -> Line:
    """The line without the marks tesseract reads for upright rules at its words' edges, "|", "["
    or "]": a code, year and number each boxed read "|csc| |2019| |54903|" (a probe's front sheet
    with no label, merged silently). A line of nothing else is left as read."""
    words = tuple(replace(word, text=word.text.strip(_RULE_MARKS)) for word in line.words)
    kept = tuple(word for word in words if word.text)
    return Line(kept) if kept else line


def _beside_a_label(read: Sequence[tuple[Piece, Line]], index: int, patterns: Sequence[str]) -> bool:
    """Whether the piece is a label ending in a colon whose value, the next piece along the same
    line (a form's value column), opens with a whole reference: "Case Ret:" | "DSB-2019-301"."""
    piece, line = read[index]
    if index + 1 >= len(read) or not line.words[-1].text.endswith(":"):
        return False
    following, value = read[index + 1]
    if following.line != piece.line or following.start <= piece.start:
        return False
    return _opening_reading([word.text for word in value.words], patterns) is not None


# What the first look's cut leaves of the glyph it cut through, after the last letter or figure.
_CUT_GLYPH = re.compile(r"[^0-9A-Z]+$")


def opens_like_a_reference(line: Line, patterns: Sequence[str]) -> bool:
    """Whether the first look read what may open a reference, cut short where the look ended
    ("SG-2018" of "SG-2018-5078", "Bs.-2016-4" or "$G-2018" in small print): a reference
    printed alone, too long for the first look and too short for `strips.ending_in_references`
    to read its end, is read whole (a tester's sheet, the reference alone in its corner in 8 or
    10 pt, merged silently into the case file before it). A speck before it, a space OCR put
    between its figures ("‘TXG/20 12") and figures read for its code's letters ("2S-2019") are
    read past."""
    read = _CUT_GLYPH.sub("", line.text.strip(EDGE_PUNCTUATION).upper())
    code = _OPENING_CODE.match(read)
    if code and any(c.isalpha() for c in code.group()):
        read = "".join(TO_LETTER.get(c, c) for c in code.group()) + read[code.end() :]
    variants = dict.fromkeys(separator_variants(read) + separator_variants(figures_closed(read)))
    return any(_shaped_like_one(p, text, opening=True) for text in variants for p in patterns)


# A code's letters at a line's start, some read as the figures they look like ("2S-2019" for
# "ZS-2019", white on a black box), before a separator; one letter at least, so a date or a
# year ("2019/2020") stays figures.
_OPENING_CODE = re.compile(r"[A-Z0-9$]{2,4}(?=[-/. ])")


# A month, named or cut short: before a year and nothing after it, a date heading a calendar or
# minutes ("JUNE 2021"), not a reference whose number a cut left out.
_MONTHS = frozenset(
    {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUNE", "JUL", "JULY", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC"}
)


def _shaped_like_one(pattern: str, text: str, opening: bool = False) -> bool:
    """Whether the text holds, or with `opening` opens with, what may be a reference, whole or cut
    short at its end ("DSA-2012-7": the cut fell in it), with a year a case can have
    (`references.may_be_a_year`). Cut short, two letters and three digits at least, so that a
    line ending in a name's initials or a number does not count; starting a word, since a code
    does not start inside one ("MINUTES 2023" holds "TES 2023", "MARCH 2021" "ARCH 2021": a
    probe's content pages headed so split off as covers); and not a month and its year."""
    found_at = [regex.match(pattern, text, partial=True)] if opening else regex.finditer(pattern, text, partial=True)
    for match in filter(None, found_at):
        found = match.group()
        year = match.groupdict().get("year")
        if year is None and match.partial and "year" in match.re.groupindex:
            year = (re.findall(r"\d+", found) or [""])[-1]  # the cut fell inside the year: "JEN 800"
        if year and year.isdigit() and not may_be_a_year(year):
            continue
        if match.partial and (text[: match.start()][-1:].isalpha() or _a_month_and_year(found, year)):
            continue
        if not match.partial or (sum(c.isalpha() for c in found) >= 2 and sum(c.isdigit() for c in found) >= 3):
            return True
    return False


def _a_month_and_year(found: str, year: str | None) -> bool:
    """Whether text cut short after a whole year opens with a month ("JUNE 2021", "Sep-2020")."""
    if not year or len(year) < 4 or not found.endswith(year):
        return False
    return re.sub(r"[-/. ]", "", found[: -len(year)]).upper() in _MONTHS


# A reference whose year a stamp's ring spoilt, its shape kept ("DSA-292}-6614"), or OCR split
# ("SG-2C 14-604": 8 pt narrow print white on a tight box, magnified; a tester's, merged):
# letters in capitals and two separators, which upside-down print and dates do not make.
_SPOILT = re.compile(r"[A-Z]{2,4}[-/.][0-9](?:\S{2,4}|\S{1,3} \S{1,3})[-/.][0-9]{3,}")


# A reference's letters and year, its number after them unread: a stamp across its end.
_CUT_SHORT = re.compile(r"[A-Z]{2,4} ?[-/.] ?(?:19|20)[0-9]{2} ?[-/.](?! ?[0-9])")
# ... or its year and number after a code that read as no code: up to four characters, neither
# all capitals (a code read whole) nor all figures (a telephone number's area code), a year and a
# number after it.
_CODE = r"[^\s\-/.()\[\]]"
_CODE_UNREAD = re.compile(
    rf"(?<!\S)(?={_CODE}*[^A-Z\s\-/.])(?={_CODE}*[^\d\s\-/.]){_CODE}{{1,4}}"
    r"[-/.](?:19|20)[0-9]{2}[-/. ][0-9]{3,6}(?![0-9])"
)


def reference_cut_short(line: Line) -> bool:
    """Whether a line shows a reference with a part unread: capitals and a year between
    separators and no number after it ("DSA-2016- eat"; a stamp across a cover's reference reads
    so), or a year and a number after a code that reads as no letters ("¥6G-2017.42973": 8 pt
    narrow print white on a tight box, alone on a tester's sheet, merged silently). Dates,
    telephone numbers and letters' sentences make no such text; a quoted reference reads whole."""
    return _CUT_SHORT.search(line.text) is not None or _CODE_UNREAD.search(line.text) is not None


def reference_spoilt(line: Line) -> bool:
    """Whether a line read in a page's first lines shows a reference's shape that a stamp's ring
    spoilt: the wider read of a reference under a stamp can come out as "DSA-292}-6614". Its
    first letters alone ("ciN-201") are no evidence: upside-down print reads so ("ETE-904")."""
    return _SPOILT.search(line.text) is not None
