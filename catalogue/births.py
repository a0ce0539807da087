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

from catalogue.names import may_read_as, name_similarity, words_of
from catalogue.quoting import (
    FORENAME_LABEL,
    FORM_WORDS,
    OTHERS,
    SUBJECT_WORDS,
    SURNAME_LABEL,
    childs_name,
    line_label,
)
from common.dates import find_date_spans
from records.template import TemplateRecord, name_key
from scanner.labels import names_a_relative

# A label for a birth, or a birth to come ("DOB:", "Birth date", "b.", "EDD:", "Expected").
BIRTH_WORDS = re.compile(
    r"\b(?:date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\b|born|b\.|edd|expected|due\s+date)", re.IGNORECASE
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
    FORM_WORDS
    | EVENT_WORDS
    | SUBJECT_WORDS
    | {"aka", "nee", "yrs", "years", "age", "aged", "year", "male", "female"}
    | {"birth", "born", "dob", "edd", "expected", "no", "tel", "id"}
)
# How alike a word must be to the record's surname to be it as OCR reads it ("Sdilleabhain" for
# "Súilleabháin"); a forename must be read as `names.may_read_as` allows.
LIKENESS = 0.7
# Labels of a cover's fields that never hold the child's name; a label not known either way
# ("Patient:", "Looked after child:") may.
_OTHER_FIELDS = EVENT_WORDS | frozenset(
    {
        *("ethnicity", "ethnic", "origin", "religion", "faith", "school", "address", "gp", "doctor"),
        *("nationality", "language", "gender", "sex", "court", "parish", "nhs", "upn", "phone", "tel"),
        *("telephone", "mobile", "email", "legal", "class", "teacher", "tutor", "nurse", "consultant"),
        *("hospital", "police", "reference", "ref", "file", "case", "age", "known", "aka", "alias"),
        *("previous", "other", "setting", "team", "social", "disability", "needs", "postcode", "town"),
        *("area", "ward", "council", "authority", "agency", "provider", "pronouns", "interpreter", "home"),
    }
)
_FORENAME_LABEL = re.compile(rf"^\W*{FORENAME_LABEL}", re.IGNORECASE)
_SURNAME_LABEL = re.compile(rf"^\W*{SURNAME_LABEL}", re.IGNORECASE)
_RUN_TOGETHER = re.compile(r"(?<![\w-])(\d{2})(\d{2})((?:19|20)\d{2})(?![\w-])")
# A case reference beside a name ("NOWICKI, Kasia   CSC-2019-2208"): no address's figures.
_REFERENCE_LIKE = re.compile(r"(?<!\S)[^\W\d_]{2,6}[-/]?\d{2,4}[-/]\d{2,8}(?!\S)")
# A label and its value before a date on its line: the date is a second column's.
_FILLED_FIELD = re.compile(r"^\W*[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2}:\s*[^\W\d_]+")
# A child's age beside a name: "(aged 9)", "age 11", "Age: 9", "(9 yrs)", "9 years old"; not "for 2
# years", which a worker's or a placement's line may say.
AGE = re.compile(r"\b(?:aged?\b\W{0,3}\d{1,2}|\d{1,2}\s*(?:yrs?|years?\s+old))\b", re.IGNORECASE)
_LINES_DOWN = 2  # ... and below, labelled for the child: a table's row "Child's name" under "Date of birth"
_SECOND_COLUMN = re.compile(r"\S+:")  # a label's colon ends the value before it
_LINES_UP = 4  # how far above a date of birth its name is looked for ("Name:", "Ref:", "DOB:")
# Edits between the figures after a birth label and the record's date of birth's that still make
# them its date of birth misread ("14 O6 2013", "14/06/2O13"), not another's.
MISREAD_FIGURES = 2
_LIKE_DIGITS = str.maketrans("OoDQIl|!SZB", "00001111528")


@dataclass(frozen=True)
class DateOnCover:
    """A date as the cover shows it: which line, where on it, and the text beside it on that
    line back to the date before it and on to the date after it."""

    when: date
    line: int
    before: str
    after: str


def dates_on(lines: Sequence[str]) -> Iterator[DateOnCover]:
    """The dates of the lines as `common.dates` reads them, and eight figures alone that make a
    date day first ("14022011", a date of birth typed into a system with no separators)."""
    for number, line in enumerate(lines):
        spans = find_date_spans(line)
        for match in _RUN_TOGETHER.finditer(line):
            when = _run_together(match)
            if when is not None and not any(start < match.end() and match.start() < end for start, end, _ in spans):
                spans.append((match.start(), match.end(), when))
        spans.sort()
        for index, (start, end, when) in enumerate(spans):
            previous = spans[index - 1][1] if index else 0
            following = spans[index + 1][0] if index + 1 < len(spans) else len(line)
            yield DateOnCover(when, number, line[previous:start], line[end:following])


def _run_together(match: re.Match[str]) -> date | None:
    try:
        when = date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return when if when <= date.today() else None


def may_be_a_birth(lines: Sequence[str], shown: DateOnCover, record: TemplateRecord) -> bool:
    """Whether nothing says the date is an event's or another person's: a birth label before
    it, or a name before it with no relative's word ("Service user (SU): Ruby Hartley"), or no
    event's or worker's word before it or after it ("12/03/2020 Referral received"). A date
    alone on its line is judged by the line above: a worker's name there ("Key worker Anne
    Hollis") may as well stand above the child's date, a label alone ("Date allocated") not.
    A date after a field already filled ("Status: Open 03/04/2015") stands in a second column,
    under a name that ends the line above ("… Services   Ruby Hartley"), when that name is not
    the `record`'s: OCR joins columns line by line, so a fresh tester's sheet so laid out read
    as an event's date, and was linked."""
    alone = not re.search(r"[^\W\d_]", shown.before)
    context = lines[shown.line - 1] if alone and shown.line else shown.before
    if BIRTH_WORDS.search(shown.before) or BIRTH_WORDS.search(context):
        return True
    if names_a_relative(context, OTHERS):
        return False
    if len(_name_words(context)) >= 2:
        return True
    if _FILLED_FIELD.match(shown.before) and shown.line:
        field = _name_field(lines[shown.line - 1])
        if field is not None and _another_forename((field,), record):
            return True
    return set(words_of(context) + words_of(shown.after)).isdisjoint(EVENT_WORDS)


def shows_another_birth(text: str, record: TemplateRecord) -> bool:
    """Whether the cover shows a date of birth that is not the record's, and never the record's:
    a date that may be a birth date (`may_be_a_birth`), or figures after a birth label that are
    no misreading of the record's ("DOB: April 2015", "born the third of April 2015"). False when
    the record has no date of birth to compare."""
    born = record.date_of_birth
    if born is None:
        return False
    lines = text.splitlines()
    shown = list(dates_on(lines))
    labelled = list(_labelled_figures(lines))
    if any(found.when == born for found in shown) or any(_misread(figures, born) for figures in labelled):
        return False
    return bool(labelled) or any(may_be_a_birth(lines, found, record) for found in shown)


def _labelled_figures(lines: Sequence[str]) -> Iterator[str]:
    """The figures given after each birth label, on its line or opening the next, where they read
    as no date: a date read is judged as a date."""
    for number, line in enumerate(lines):
        for label in BIRTH_WORDS.finditer(line):
            value = line[label.end() :].lstrip(" .:-)").split(":")[0]
            figures = _figures(value)
            if not figures and number + 1 < len(lines):
                value = lines[number + 1].split(":")[0]
                figures = _figures(value)
            if figures and not find_date_spans(value):
                yield figures


def _figures(text: str) -> str:
    """The figures of the words that hold one, letters OCR makes of figures read as figures ("O3")."""
    words = (word.translate(_LIKE_DIGITS) for word in text.split() if any(ch.isdigit() for ch in word))
    return "".join(ch for word in words for ch in word if ch.isdigit())


def _misread(figures: str, born: date) -> bool:
    shapes = {f"{born:%d%m%Y}", f"{born:%d%m%y}", f"{born:%Y%m%d}", f"{born.day}{born.month}{born.year}"}
    return any(Levenshtein.distance(figures[: len(shape) + 1], shape) <= MISREAD_FIGURES for shape in shapes)


def born_beside_another(text: str, record: TemplateRecord) -> bool:
    """Whether the name nearest the first showing of the record's date of birth has another
    forename than the record's: a twin's sheet, not in the template, under the record's code.
    The name is looked for before the date on its line, then after it, then up to `_LINES_UP`
    lines above, past lines of another field ("Ethnicity:", "Key worker …", a relative, an
    address's figures) and of a surname alone ("Surname: O'BRIEN"), a case reference beside a
    name left out; then in a label for the child up to `_LINES_DOWN` lines below (a table's
    "Child's name" row under its "Date of birth" row). Two words at least make a name, an
    initial one ("E. Brennan"), or one word after a forename label ("Forename: Ellis"); words
    like the record's surname, misread or not, say nothing. Fresh testers' twins so printed
    were linked to the record."""
    lines = text.splitlines()
    first = next((found for found in dates_on(lines) if found.when == record.date_of_birth), None)
    if first is None:
        return False
    below = [value for line in lines[first.line + 1 : first.line + 1 + _LINES_DOWN] if (value := childs_name(line))]
    return _another_forename((first.before, _name_after(first), *_fields_above(lines, first.line), *below), record)


def aged_beside_another(text: str, record: TemplateRecord) -> bool:
    """Whether the cover gives an age beside a name with another forename than the record's, and
    never the record's date of birth: "Ruby Hartley (aged 9)" under Tyler's code, with no date
    to weigh (a fresh tester's sheet, linked). The name is looked for before the age on its
    line, then above it, as `born_beside_another` does; a relative's line ("Sister: Maisie
    (aged 4)") says nothing."""
    lines = text.splitlines()
    if any(found.when == record.date_of_birth for found in dates_on(lines)):
        return False
    return any(
        _another_forename((line[: age.start()], *_fields_above(lines, number)), record)
        for number, line in enumerate(lines)
        if not names_a_relative(line, OTHERS)
        for age in AGE.finditer(line)
    )


def named_with_another_forename(name: str, record: TemplateRecord) -> bool:
    """Whether a name the cover labels as its child's gives another forename than the record's,
    however alike the whole names: twins "Olivia Bennett" and "Oliver Bennett" are 86 % alike,
    over `linking.name_match`, and a tester's sheet for Olivia under Oliver's code was linked.
    A name that is the record's as English OCR reads letters it does not know ("Péra" for
    "Þóra", `names.name_similarity` 100) has the record's forename."""
    if name_similarity(name, record.name) < 100:
        return _another_forename((name,), record)
    forenames = _forenames(record)
    if not forenames:
        return False
    named = _besides_surname(words_of(name), record)
    return _joined_on(name, forenames[0], record.forename or "") or _first_part_alone(named, record.forename or "")


def _fields_above(lines: Sequence[str], number: int) -> list[str]:
    """What the `_LINES_UP` lines above line `number` give that may be a name, nearest first."""
    return [value for line in reversed(lines[max(0, number - _LINES_UP) : number]) if (value := _name_field(line))]


def _another_forename(parts: Sequence[str], record: TemplateRecord) -> bool:
    """Whether the first of `parts` that names someone (two words, an initial one, or one word
    after a forename label) names them with a forename that is not the record's first; words
    like the record's surname say nothing. The first, not any: "Lacey-Mae" shares "Mae" with
    the record's "Lily-Mae" (a fresh tester's twin, linked)."""
    forenames = _forenames(record)
    surname = set(words_of(record.surname or ""))
    part, named = next(
        (
            (part, words)
            for part in parts
            if len(words := _name_words(part, surname)) >= 2 or (words and _FORENAME_LABEL.match(part))
        ),
        ("", []),
    )
    others = _besides_surname(named, record)
    if forenames and _joined_on(part, forenames[0], record.forename or ""):
        return True
    if _first_part_alone(others, record.forename or ""):
        return True
    return bool(forenames and others) and not any(_same_forename(word, forenames[0]) for word in named)


def _besides_surname(words: Sequence[str], record: TemplateRecord) -> list[str]:
    """The words (`name_key`s) but those like the record's surname, misread or not."""
    surname = words_of(record.surname or "")
    return [word for word in words if not any(_alike(word, part) for part in surname)]


def _forenames(record: TemplateRecord) -> list[str]:
    """The record's forenames as written, a hyphen's parts apart ("Lily-Mae": "Lily", "Mae")."""
    return [word for word in (record.forename or "").replace("-", " ").split() if name_key(word)]


def _first_part_alone(named: Sequence[str], written: str) -> bool:
    """Whether a name's words (`name_key`s, its surname's left out) give the first part of the
    record's hyphen-joined forename and none of the rest, as read or misread: "Ella" for
    "Ella-Rose" (a fresh tester's twin, same date of birth, linked as a short form). A middle
    name left out ("Ella" for "Ella Rose") is no other child's; a hyphen's parts make one
    forename."""
    first = written.split()[0] if written.split() else ""
    parts = [piece for piece in first.split("-") if name_key(piece)]
    if len(parts) < 2 or not named or not may_read_as(named[0], parts[0]):
        return False
    return not any(may_read_as(word, piece) for word in named[1:] for piece in parts[1:])


def _joined_on(part: str, forename: str, written: str) -> bool:
    """Whether the part gives the record's forename joined on to another by a hyphen that the
    record's forenames do not hold ("Lily-Mae" for "Lily": a fresh tester's twin, linked; not for
    "Lily Mae")."""
    for token in part.split():
        pieces = [name_key(piece) for piece in token.split("-")]
        joined = len(pieces) > 1 and pieces[0] == name_key(forename)
        if joined and not all(any(may_read_as(piece, word) for word in words_of(written)) for piece in pieces[1:]):
            return True
    return False


def _name_after(shown: DateOnCover) -> str:
    """What after a date of birth on its line may be the child's name: a name label's value
    ("DOB: … Name: Ellis Brennan"), or, after an unlabelled date, the words before any label;
    never another field's value in a second column ("DOB: … Ethnicity: White British")."""
    tokens = shown.after.split()
    label = line_label(tokens)
    if label is not None and label[1] and label[0] < 3:
        return _SECOND_COLUMN.split(" ".join(tokens[label[0] + 1 :]))[0]
    return "" if BIRTH_WORDS.search(shown.before) else _SECOND_COLUMN.split(shown.after)[0]


def _name_field(line: str) -> str | None:
    """What a line gives that may be the child's name: the line, or the value after its label
    ("Patient: …", "Looked after child: …"); None for a line of another field ("Ethnicity:",
    "Key worker …", "Known as:"), a relative's, a surname alone, or figures that are no date. A
    labelled value ends where a second column's label starts ("Patient: Zoë Nowak  Practice ID:
    EMIS 104882"): the practice's figures had hidden a tester's patient, and the heading above
    her was taken for another child's name."""
    line = _REFERENCE_LIKE.sub(" ", line)
    tokens = line.split()
    label = line_label(tokens)
    if label:
        field = " ".join(tokens[: label[0] + 1])
        value = _SECOND_COLUMN.split(" ".join(tokens[label[0] + 1 :]))[0]
        line = f"{field} {value}"
    if _SURNAME_LABEL.match(line) or _has_figures(_without_dates(line)):
        return None
    if names_a_relative(line, OTHERS):
        return None
    if label and not set(words_of(field)).isdisjoint(_OTHER_FIELDS):
        return None
    if not set(words_of(value if label else line)).isdisjoint(EVENT_WORDS):
        return None
    return value if label and not label[1] else line


def _has_figures(text: str) -> bool:
    """Whether the text holds figures: a word with a digit in it, but for a lone digit between
    words, which is a letter misread ("Ciarén 6 Stilleabhain" for "Ciarán Ó Súilleabháin": with
    the name's line passed over, a heading above it was taken for another child's name)."""
    return any(any(ch.isdigit() for ch in word) and len(word.strip(".,;:()")) > 1 for word in text.split())


def _same_forename(word: str, forename: str) -> bool:
    """Whether a word of a name (a `name_key`) is the written `forename` as a cover may give it:
    its initial, a short form of it ("Ty" for "Tyler"), or a misreading of it
    (`names.may_read_as`); not a longer name that begins with it (twins "Louis" and "Louise",
    "René" and "Renée"), nor one a letter away that OCR does not misread so ("Mollie", "Millie")."""
    key = name_key(forename)
    if len(word) == 1 or len(key) == 1:
        return word[0] == key[0]
    if word.startswith(key) and len(word) > len(key):
        return False
    return key.startswith(word) or may_read_as(word, forename)


def _alike(word: str, other: str) -> bool:
    return Levenshtein.normalized_similarity(word, other) >= LIKENESS


def _without_dates(text: str) -> str:
    for start, end, _ in reversed(find_date_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def _name_words(text: str, surname: Set[str] = frozenset()) -> list[str]:
    """The words of a stretch of a cover line that may be a person's name's, as `name_key`s: with
    a capital, no digit, not a label, a form's or an event's word (but for the `surname` words:
    "Ellis Page"), not in brackets, nor an abbreviation ("NHS", "YP"); an initial is a word."""
    found = []
    for raw in re.sub(r"\w+:", " ", _without_dates(text)).replace("-", " ").split():
        word = raw.strip(",.;)\"'“”")
        key = name_key(word)
        if not key or raw.startswith("(") or not word[:1].isupper() or not word.isalpha():
            continue
        if (key in _NOT_NAME_WORDS and key not in surname) or (word.isupper() and 1 < len(word) <= 3):
            continue
        found.append(key)
    return found
