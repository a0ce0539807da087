"""The name and date of birth on a cover, read as evidence for the link decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from common.dates import first_uk_date
from scanner.labels import (
    BIRTH_LABELS,
    FORENAME_LABELS,
    NAME_LABELS,
    SUBJECT_LINE_LABELS,
    SURNAME_LABELS,
    names_a_relative,
)
from scanner.layout import Line, glued_value, label_span, normalised, value_after
from scanner.model import CoverFields

EARLIEST_BIRTH = date(1900, 1, 1)
_BIRTH_WORDS = frozenset({"born", "dob", "date"})
_BOX_EDGES = "[]|"
# Words that make a child's label another child's ("Other child:", "Younger child's DOB:").
ANOTHER_CHILD = frozenset({"other", "older", "younger", "another", "previous", "linked", "related"})
# What a form prints in a name's place when the name is elsewhere or withheld.
_NOT_A_NAME = frozenset({"na", "nk", "tbc", "unknown", "notknown", "withheld", "none", "redacted"})


def _labelled_value(lines: Sequence[Line], labels: Sequence[Sequence[str]], dpi: float) -> tuple[str, ...]:
    for index, line in enumerate(lines):
        for label in labels:
            span = label_span(line, label)
            if span is not None and not _after_a_relative(line, span[0]):
                words = value_after(lines, index, span[1], dpi)
                glued = glued_value(line.words[span[1]], label[-1])
                if glued is not None:
                    words = (glued, *(word for word in words if word in line.words))
                if words:
                    return tuple(w.text for w in words)
    return ()


def _after_a_relative(line: Line, at: int) -> bool:
    """Whether a word before the label in its line names a relative or another child: "Sister's
    name:", "Other child:", "Older child's name:", and "Siblings: Kacper Robinson (DOB
    18/12/1944)", whose date of birth is the sibling's (read as the cover's, it contradicted the
    sheet's own child, whose file then waited for a person)."""
    return any(names_a_relative(word.text, ANOTHER_CHILD) for word in line.words[:at])


def _numeric(word: str) -> bool:
    """A date's or a number's word, not a name's: English OCR reads a letter it does not know
    as a digit now and then ("Józef" as "J6ézef"), and a name read so stopped short."""
    digits = sum(ch.isdigit() for ch in word)
    return digits > 0 and digits >= sum(ch.isalpha() for ch in word)


def _clean_name(words: Sequence[str]) -> str | None:
    """Words up to a comma, a bracket, a dash, a date or the next label: "Zoë Nowak, born
    3/11/2012", "Zoë Nowak (DOB: 03/11/2012)", "Zoë Nowak - DOB 03/11/2012" and "Zoë Nowak
    Gender: F" give "Zoë Nowak"; a value in no capitals or a placeholder ("N/A", "Withheld") is
    none. A comma after the first word only is a surname printed first ("NOWAK, Zoë Anna")."""
    kept: list[str] = []
    # Tesseract reads the edges of a form's box as "[", "]" or "|" ("[Jack"): the box, not an aside.
    boxed = [word for word in (word.strip(_BOX_EDGES) for word in words) if word]
    for number, word in enumerate(boxed):
        if (
            _numeric(word)
            or normalised(word) in _BIRTH_WORDS
            or word[:1] in "([-–—"
            or (word.endswith(":") and (kept or len(word) > 1))  # another field's label: "Sex: F"
        ):
            break
        kept.append(word.rstrip(",;"))
        surname_first = number == 0 and len(boxed) > 1 and boxed[1][:1].isupper()
        if word.endswith(";") or (word.endswith(",") and not surname_first):
            break
    name = " ".join(w for w in kept if w.strip(":"))
    # Names are written with capitals; "see details below" under "Child:" names no one, and read as
    # a name it contradicted every record.
    if not any(word[:1].isupper() for word in name.split()) or normalised(name) in _NOT_A_NAME:
        return None
    return name


def _birth_date(words: Sequence[str]) -> date | None:
    """The first date in the words that someone alive can have been born on: OCR makes "2004"
    of typewriting "7004", and a date no record can have contradicts every record."""
    birth = first_uk_date(" ".join(words))
    return birth if birth is not None and EARLIEST_BIRTH <= birth <= date.today() else None


def has_all_fields(lines: Sequence[Line], dpi: float) -> bool:
    """Whether these lines show a date of birth and a whole name (one name label, or both a
    forename and a surname): a reader may stop there without missing evidence."""
    if _birth_date(_labelled_value(lines, BIRTH_LABELS, dpi)) is None:
        return False
    if _clean_name(_labelled_value(lines, NAME_LABELS + SUBJECT_LINE_LABELS, dpi)):
        return True
    return bool(_labelled_value(lines, FORENAME_LABELS, dpi) and _labelled_value(lines, SURNAME_LABELS, dpi))


def shows_whom(lines: Sequence[Line], dpi: float) -> bool:
    """Whether these lines show a labelled name or date of birth: what a reference is checked
    against. A cover whose top shows neither is read to its foot."""
    fields = read_fields(lines, dpi)
    return bool(fields.name or fields.date_of_birth)


def read_fields(lines: Sequence[Line], dpi: float) -> CoverFields:
    """Name and date of birth from whichever labels the cover uses: a forename and a surname
    both, then a name label, then either of the first two, then a letter's subject line. Split
    fields come first because "Given name:" and "Family name:" hold a name label's word: read
    as one, a fresh tester's sheet gave its child's surname alone for a name, and was held."""
    forename = _labelled_value(lines, FORENAME_LABELS, dpi)
    surname = _labelled_value(lines, SURNAME_LABELS, dpi)
    both = _clean_name(forename + surname) if forename and surname else None
    name_words = () if both else _labelled_value(lines, NAME_LABELS, dpi)
    name = both or _clean_name(name_words)
    evidence = list(forename + surname) if both else list(name_words)
    if name is None:
        name = _clean_name(forename + surname) if forename or surname else None
        evidence += list(forename + surname)
    if name is None:
        name_words = _labelled_value(lines, SUBJECT_LINE_LABELS, dpi)
        name = _clean_name(name_words)
        evidence += list(name_words)
    dob_words = _labelled_value(lines, BIRTH_LABELS, dpi)
    birth = _birth_date(dob_words)
    if birth is None and name_words:
        birth = _birth_date(name_words)
    evidence += list(dob_words)
    return CoverFields(name=name, date_of_birth=birth, words=tuple(dict.fromkeys(evidence)))
