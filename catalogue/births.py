"""Which dates on a cover may be a date of birth, and whose name stands nearest above one. Pure.

A front sheet about a child the template does not hold, under the code or reference of one it
does, names its own child in any shape: "Ruby van der Berg", "HARTLEY, Ruby J.", "Ruby Hartley
(11 yrs)", five names, an address or an NHS number between the name and the date, a date
"April 3, 2015" or "3rd Apr '15". Fresh testers' 26 such sheets in 29 were linked to the code's
child, each new shape slipping past the reader of names that `catalogue.quoting` is. The rules
here ask for no name's shape: a date that nothing on its line or the line above it marks as an
event's or another person's may be the child's birth date, and a sheet showing one that is not
the record's, and never the record's, is about someone else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import Levenshtein

from catalogue.names import words_of
from catalogue.quoting import FORM_WORDS, OTHERS, SUBJECT_WORDS
from common.dates import find_date_spans
from records.template import TemplateRecord, name_key
from scanner.labels import names_a_relative

# A label for a birth, or a birth to come, closest before a date ("DOB:", "b.", "EDD:", "Expected").
_BIRTH_BEFORE = re.compile(
    r"(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\.?|born|\bb\.|\bedd|expected(?:\s+date)?|due\s+date)\W*$", re.IGNORECASE
)
# Words that make a date an event's or a worker's. Not a form's headings (`FORM_WORDS`): those
# hold surnames ("Page", "Church", "House"), and a child "Ruby Page" over a date is no event.
EVENT_WORDS = frozenset(
    {
        *("date", "dates", "opened", "open", "closed", "closure", "received", "started", "start", "ended"),
        *("end", "transferred", "transfer", "allocated", "allocation", "referral", "referred", "meeting"),
        *("conference", "review", "reviewed", "visit", "visited", "assessment", "plan", "updated", "created"),
        *("printed", "scanned", "issued", "entered", "logged", "signed", "chaired", "completed", "hearing"),
        *("episode", "missing", "strategy", "discussion", "contact", "report", "minutes", "status"),
        *("placement", "registered", "registration", "stamp", "by", "on", "from", "worker", "referrer"),
        *("author", "chair", "officer", "adopter", "carer", "carers", "key"),
    }
)
# Words beside a name that are none of its own ("Ruby Hartley (aka Ruby Stone)", "Year 5", "NHS").
_NOT_NAME_WORDS = (
    FORM_WORDS | EVENT_WORDS | SUBJECT_WORDS | {"aka", "nee", "yrs", "years", "age", "aged", "year", "male", "female"}
)
_NOT_NAME_WORDS |= {"birth", "born", "dob", "edd", "expected", "no", "tel", "id"}
# How alike a word must be to the record's forename to be it as OCR reads it ("Jame" for "Jane";
# twins "Ana" and "Ane", 0.67 alike, stay apart).
FORENAME_LIKENESS = 0.7
_LINES_UP = 3  # how far above a date of birth its name is looked for ("Name:", "Ref:", "DOB:")


@dataclass(frozen=True)
class DateOnCover:
    """A date as the cover shows it: which line, where on it."""

    when: date
    line: int
    start: int
    end: int


def dates_on(lines: Sequence[str]) -> Iterator[DateOnCover]:
    for number, line in enumerate(lines):
        for start, end, when in find_date_spans(line):
            yield DateOnCover(when, number, start, end)


def may_be_a_birth(lines: Sequence[str], shown: DateOnCover) -> bool:
    """Whether nothing says the date is an event's or another person's: a birth label closest
    before it, or a name before it on its line with no relative's word ("Service user (SU):
    Ruby Hartley"), or no event's, form's, worker's or relative's word before it (on the line
    above, when the date stands alone) nor two words describing it after it."""
    line = lines[shown.line]
    before, after = line[: shown.start], line[shown.end :]
    if _BIRTH_BEFORE.search(before):
        return True
    if ":" not in after and len(re.findall(r"[^\W\d_]{3,}", after)) >= 2:
        return False
    context = before if re.search(r"[^\W\d_]", before) else (lines[shown.line - 1] if shown.line else "")
    if names_a_relative(context, OTHERS):
        return False
    return len(_name_words(before)) >= 2 or set(words_of(context)).isdisjoint(EVENT_WORDS)


def other_birth_date(text: str, record: TemplateRecord) -> date | None:
    """A date on the cover that may be a date of birth and is not the record's, when the record's
    date of birth is nowhere on it; None when the record has none to compare."""
    if record.date_of_birth is None:
        return None
    lines = text.splitlines()
    shown = list(dates_on(lines))
    if any(found.when == record.date_of_birth for found in shown):
        return None
    return next((found.when for found in shown if may_be_a_birth(lines, found)), None)


def born_beside_another(text: str, record: TemplateRecord) -> bool:
    """Whether the name nearest above the first showing of the record's date of birth (before it
    on its line, else up to `_LINES_UP` lines above, but for one holding figures that are no date:
    an address, a reference, a telephone number) has another forename than the record's: a
    twin's sheet, not in the template, under the record's code. Two words at least make a name
    ("Ref No." is none); one with no forename (a surname box alone) says nothing."""
    lines = text.splitlines()
    first = next((found for found in dates_on(lines) if found.when == record.date_of_birth), None)
    if first is None:
        return False
    surname, forenames = set(words_of(record.surname or "")), words_of(record.forename or "")
    above = [line for line in reversed(lines[max(0, first.line - _LINES_UP) : first.line]) if not _undated_digits(line)]
    parts = [lines[first.line][: first.start], *above]
    words = next((found for part in parts if (found := _name_words(part, surname))), [])
    if len(words) < 2 or not forenames or not [word for word in words if word not in surname]:
        return False
    return not any(
        Levenshtein.normalized_similarity(word, forename) >= FORENAME_LIKENESS
        for word in words
        for forename in forenames
    )


def _undated_digits(line: str) -> bool:
    return any(ch.isdigit() for ch in _without_dates(line))


def _without_dates(text: str) -> str:
    for start, end, _ in reversed(find_date_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def _name_words(text: str, surname: Set[str] = frozenset()) -> list[str]:
    """The words of a stretch of a cover line that may be a person's name's, as `name_key`s: with
    a capital, no digit, not a label, a form's or an event's word (but for the `surname` words:
    "Ellis Page"), nor an abbreviation ("NHS", "YP")."""
    found = []
    for raw in re.sub(r"\w+:", " ", _without_dates(text)).replace("-", " ").split():
        word = raw.strip(",.;()\"'“”")
        key = name_key(word)
        if not key or not word[:1].isupper() or not word.isalpha() or (key in _NOT_NAME_WORDS and key not in surname):
            continue
        if word.isupper() and len(word) <= 3:
            continue
        found.append(key)
    return found
