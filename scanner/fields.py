"""The name and date of birth on a cover, read as evidence for the link decision."""

from __future__ import annotations

from collections.abc import Sequence

from common.dates import first_uk_date
from scanner.layout import Line, find_label, normalised, value_after
from scanner.model import CoverFields

# Besides "Name", the words offices use for who a file is about; those that are everyday words too
# count only with their colon ("Child:", not "Child protection").
NAME_LABELS = (
    ("name",),
    ("subject",),
    ("childs", "name"),
    ("child", "name"),
    ("full", "name"),
    ("re",),
    ("child:",),
    ("client:",),
    ("pupil:",),
    ("person:",),
    ("young", "person:"),
    ("service", "user:"),
    ("adult", "at", "risk:"),
)
SURNAME_LABELS = (("surname",), ("family", "name"), ("last", "name"))
FORENAME_LABELS = (("forename*",), ("first", "name*"), ("given", "name*"))
DOB_LABELS = (("date", "of", "birth"), ("dob",), ("born",), ("birth", "date"))
_BIRTH_WORDS = frozenset({"born", "dob"})


def _labelled_value(lines: Sequence[Line], labels: Sequence[Sequence[str]], dpi: float) -> tuple[str, ...]:
    for index, line in enumerate(lines):
        for label in labels:
            end = find_label(line, label)
            if end is not None:
                words = value_after(lines, index, end, dpi)
                if words:
                    return tuple(w.text for w in words)
    return ()


def _clean_name(words: Sequence[str]) -> str | None:
    """Words up to a comma, a bracket, a dash or a date: "Zoë Nowak, born 3/11/2012", "Zoë Nowak
    (DOB: 03/11/2012)" and "Zoë Nowak - DOB 03/11/2012" give "Zoë Nowak"."""
    kept: list[str] = []
    for word in words:
        if any(ch.isdigit() for ch in word) or normalised(word) in _BIRTH_WORDS or word[:1] in "([-–—":
            break
        kept.append(word.rstrip(",;"))
        if word.endswith((",", ";")):
            break
    name = " ".join(w for w in kept if w.strip(":|"))
    return name or None


def has_all_fields(lines: Sequence[Line], dpi: float) -> bool:
    """Whether these lines show a date of birth and a whole name (one name label, or both a
    forename and a surname): a reader may stop there without missing evidence."""
    if first_uk_date(" ".join(_labelled_value(lines, DOB_LABELS, dpi))) is None:
        return False
    if _clean_name(_labelled_value(lines, NAME_LABELS, dpi)):
        return True
    return bool(_labelled_value(lines, FORENAME_LABELS, dpi) and _labelled_value(lines, SURNAME_LABELS, dpi))


def read_fields(lines: Sequence[Line], dpi: float) -> CoverFields:
    """Name and date of birth from whichever labels the cover uses."""
    name_words = _labelled_value(lines, NAME_LABELS, dpi)
    name = _clean_name(name_words)
    evidence = list(name_words)
    if name is None:
        forename = _labelled_value(lines, FORENAME_LABELS, dpi)
        surname = _labelled_value(lines, SURNAME_LABELS, dpi)
        name = _clean_name(forename + surname) if forename or surname else None
        evidence += list(forename + surname)
    dob_words = _labelled_value(lines, DOB_LABELS, dpi)
    birth = first_uk_date(" ".join(dob_words))
    if birth is None and name_words:
        birth = first_uk_date(" ".join(name_words))
    evidence += list(dob_words)
    return CoverFields(name=name, date_of_birth=birth, words=tuple(dict.fromkeys(evidence)))
