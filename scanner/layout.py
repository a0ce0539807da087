"""Words into lines, and the value that goes with a label, as a person reads a form.

A value sits to the right of its label on the same line ("Case Reference: SGD-2024-0412", a
table row, a right-aligned label against a column of values) or just below it (a printed form
with the label above its box, a table whose header row holds the labels).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from scanner.labels import BIRTH_LABELS, PERSON_LABELS, REFERENCE_LABELS, stem
from scanner.tesseract import Word

# A form may set its values at a tab stop far from short labels ("Name:" at the margin, the name
# 66 mm in): the first word to the right is the value up to this far from the label's end.
FAR_VALUE_MM = 100.0
_ENDINGS = ("", "s", "erence", "erences")  # what a label word's `*` stands for, run into another word
ALL_LABELS = REFERENCE_LABELS + PERSON_LABELS + BIRTH_LABELS
LABEL_WORDS = frozenset(stem(label[0]) for label in ALL_LABELS) | {"date"}


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


# A label's colon with its value run on ("Ref:SHW-2020-0088", "D.O.B.:22/07/2013"): a word that
# opens with letters, then the colon, then a capital or a figure; or a label ending in "No." or
# "Ref." so run on into a capital ("Ref.No.KCC-2019-4412", read "Ref" ".No.KCC-2019-4412": a
# fresh tester's cover in mono print, unread). A full stop elsewhere may part a reference's own
# fields; before a figure, it parts an item's number ("Item No.12 2019-2020" read as a reference).
_RUN_ON_AFTER_COLON = re.compile(
    r"([^\W\d_][\w.'’]*[:;](?=[A-Z\d])|\.?(?:[^\W\d_]+\.)*[^\W\d_]*?(?:[Nn]o|NO|[Rr]ef|REF)\.(?=[A-Z]))"
)


def _parted_at_colon(word: Word) -> list[Word]:
    """The word as two when a label's colon runs on into its value: a fresh tester's
    "Ref:SHW-2020-0088", read whole, named no case (`references.readings_in_line` reads words).
    Each part's box is its share of the word's letters."""
    run_on = _RUN_ON_AFTER_COLON.match(word.text)
    if run_on is None or run_on.end() == len(word.text):
        return [word]
    cut = word.left + round(word.width * run_on.end() / len(word.text))
    return [
        Word(word.text[: run_on.end()], word.confidence, word.left, word.top, cut - word.left, word.height),
        Word(word.text[run_on.end() :], word.confidence, cut, word.top, word.left + word.width - cut, word.height),
    ]


def group_lines(words: Sequence[Word]) -> list[Line]:
    """Words whose vertical middles fall within each other's height share a line, left to right;
    a label's colon run on into its value parts them (`_parted_at_colon`)."""
    lines: list[list[Word]] = []
    parted = [part for word in words for part in _parted_at_colon(word)]
    for word in sorted(parted, key=lambda w: w.top + w.height / 2):
        middle = word.top + word.height / 2
        if lines:
            last = lines[-1]
            top = min(w.top for w in last)
            bottom = max(w.top + w.height for w in last)
            if top <= middle <= bottom:
                last.append(word)
                continue
        lines.append([word])
    return [Line(tuple(sorted(line, key=lambda w: w.left))) for line in lines]


_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=16384)
def normalised(text: str) -> str:
    """A word as labels are compared: lower-case letters only. Cached: each word read is compared
    with every label, ~2,700 times a page."""
    return _NOT_LETTER.sub("", text.lower())


@lru_cache(maxsize=256)
def _joined(label: Sequence[str]) -> str:
    return "".join(stem(part) for part in label)


def _matches(word: Word, part: str) -> bool:
    """A label word against a printed word: `*` takes any ending; a trailing `:` must be printed
    ("Child:" names who the file is about, "Child protection" does not); a value may be run
    into it (`glued_value`)."""
    text = normalised(word.text)
    if part.endswith("*"):
        return text.startswith(part[:-1])
    if text == stem(part):
        return not part.endswith(":") or word.text.rstrip().endswith((":", ";"))
    return text.startswith(stem(part)) and glued_value(word, part) is not None


def _run_together(word: Word, label: Sequence[str]) -> bool:
    """A label of several words read as one ("CaseReference:", "RefNo.", "Fullname"): tight or
    bold print makes tesseract miss the space. A last part's `*` takes only the endings label
    words have ("CaseRef", "CaseReference"), so "Casenotes" is not "Case No" run together."""
    text, joined = normalised(word.text), _joined(label)
    if not text.startswith(joined):
        return False
    if label[-1].endswith(":"):
        return text == joined and word.text.rstrip().endswith((":", ";"))
    return text[len(joined) :] in (_ENDINGS if label[-1].endswith("*") else ("",))


def label_span(line: Line, label: Sequence[str]) -> tuple[int, int] | None:
    """(index of the first, index of the last) word of `label` (lower-case words, letters only,
    see `_matches`) in `line`, or None; one word when tesseract ran the label's words together. A
    comma never stands inside a label: "…Maya's file, reference SGC-2018-9670…" is a sentence."""
    size = len(label)
    for start in range(len(line.words)):
        if (
            start + size <= len(line.words)
            and all(_matches(line.words[start + i], label[i]) for i in range(size))
            and not any(word.text.endswith(",") for word in line.words[start : start + size - 1])
        ):
            return start, start + size - 1
        if size > 1 and _run_together(line.words[start], label):
            return start, start
    return None


def glued_value(word: Word, part: str) -> Word | None:
    """The value run into a label's last word, as a word of its own: "ForenameLily-Mae",
    "DOB01/11/2016" (tesseract misses a narrow space after a label; a fresh tester's forename
    was then taken from the line below, "Child's Surname HIRST"). Only a value that starts with
    a capital, or a figure: "Forenames" is the label's own ending; and in capitals only after a
    label that is not ("SurnameBRENNAN", not "FORENAMESTYLER")."""
    colon = "[:;]" if part.endswith(":") else "[:;.)]?"
    glued = re.match(rf"(?i:{re.escape(stem(part))})(?:\(s\)|s)?{colon}(?=[A-Z][a-z]|[A-Z]{{2}}|\d)", word.text)
    if glued is None or (word.text[: glued.end()].isupper() and word.text[glued.end() :].isupper()):
        return None
    share = glued.end() / len(word.text)
    left = word.left + round(word.width * share)
    return Word(word.text[glued.end() :], word.confidence, left, word.top, word.left + word.width - left, word.height)


def parted_text(line: Line, labels: Sequence[Sequence[str]] = (*PERSON_LABELS, *BIRTH_LABELS)) -> str:
    """The line's text with a value run into a label's last word parted from it (`glued_value`):
    "Child's Forename Lily-Mae", as the catalogue reads names in a cover's text. Read as
    "ForenameLily", the label made another forename beside the record's date of birth."""
    texts = []
    for word in line.words:
        text = normalised(word.text)
        value = next(
            (
                glued
                for label in labels
                if text.startswith(stem(label[-1])) and (glued := glued_value(word, label[-1])) is not None
            ),
            None,
        )
        texts.append(word.text if value is None else f"{word.text[: -len(value.text)]} {value.text}")
    return " ".join(texts)


def find_label(line: Line, label: Sequence[str]) -> int | None:
    """Index of the last word of `label` in `line` (see `label_span`), or None."""
    span = label_span(line, label)
    return None if span is None else span[1]


def value_after(lines: Sequence[Line], index: int, end_word: int, dpi: float) -> tuple[Word, ...]:
    """The words a label at lines[index].words[end_word] introduces: right of it (the same line, or
    the right-hand cell of a ruled table), else just below it (a form's label above its box)."""
    line = lines[index]
    label = line.words[end_word]
    column_gap = 12 / 25.4 * dpi
    right: list[Word] = []
    edge = label.left + label.width
    for word in line.words[end_word + 1 :]:
        if word.left - edge > column_gap and right:
            break
        if word.left - edge > FAR_VALUE_MM / 25.4 * dpi:
            break
        right.append(word)
        edge = word.left + word.width
    if right and right[0].left - (label.left + label.width) > column_gap and _opens_label(right):
        # The next column's label, as in a table whose header row holds the labels: the value is below.
        return _below(lines, index, end_word, column_gap, dpi) or tuple(right)
    return tuple(right) or _below(lines, index, end_word, column_gap, dpi)


def opens_with(line: Line, labels: Sequence[Sequence[str]]) -> bool:
    """Whether the line's first words are one of `labels` (see `label_span`)."""
    return any((span := label_span(line, label)) is not None and span[0] == 0 for label in labels)


def _opens_label(words: Sequence[Word]) -> bool:
    """Whether these words start with a label ("Forename(s)", "Date of birth"): the next field of
    a header row of labels, not a value."""
    return normalised(words[0].text) in LABEL_WORDS or opens_with(Line(tuple(words)), ALL_LABELS)


def _below(lines: Sequence[Line], index: int, end_word: int, column_gap: float, dpi: float) -> tuple[Word, ...]:
    """The value under a label: the first run of words on the next few lines that starts beneath
    the label itself (not in a column beside it, where a lines grouping may put another field's
    value first), stopping at the next column."""
    line, label = lines[index], lines[index].words[end_word]
    start = _label_start(line, end_word).left - column_gap / 2
    later = line.words[end_word + 1 :]
    limit = later[0].left - column_gap / 2 if later else float("inf")
    for below in lines[index + 1 : index + 4]:
        if below.top - line.bottom > 14 / 25.4 * dpi:
            break
        found: list[Word] = []
        for word in below.words:
            if found and (word.left - (found[-1].left + found[-1].width) > column_gap or word.left >= limit):
                break
            if found or start <= word.left <= label.left + label.width + column_gap / 2:
                found.append(word)
        if found:
            return tuple(found)
    return ()


def _label_start(line: Line, end_word: int) -> Word:
    start = end_word
    while (
        start > 0
        and line.words[start].left - (line.words[start - 1].left + line.words[start - 1].width)
        < line.words[start].height
    ):
        start -= 1
    return line.words[start]
