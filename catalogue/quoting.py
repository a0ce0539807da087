"""Whose a name in a line of a cover is: the sheet's own child's, or someone the sheet quotes (a
sibling, a parent or carer, a linked case). Pure: no database, no I/O.

A front sheet names its child in its details, and quotes others after a word saying who they are
("Siblings:", "Mother:", "Linked case:"), in a household table ("SMITH, Jack | Nephew | …"), or
under a heading ("Sibling details", "Brother (lives with father):"). Fresh testers' sheets about
a child not in the template, quoting the code's child so, were linked to the code's child.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from catalogue.names import without_nicknames
from common.dates import ISO_DATE, MONTH_FIRST_DATE, NUMERIC_DATE, WORDED_DATE, find_uk_dates
from records.template import name_key
from scanner.labels import names_a_relative

# Words that give a name a worker's role ("Chaired by", "Allocated worker", "Signed").
ROLE_WORDS = frozenset(
    {
        *("by", "worker", "chair", "chaired", "signed", "signature", "officer", "referrer", "manager"),
        *("author", "practitioner", "supervisor", "lead", "dsl", "completed", "allocated", "minuted"),
    }
)
# Words for another case or the people the child lives with, beside `RELATIVES`.
OTHERS = frozenset({"linked", "related", "associated", "household", "lives"})
# A label for the sheet's own child: a name after it, before any relative's word, is the child's
# ("Child: Jack Smith   Parent: Karen Smith" on one line of a two-column form).
SUBJECT_WORDS = frozenset({"name", "child", "childs", "client", "pupil", "subject", "person", "surname", "forename"})
_BIRTH_WORDS = r"date\s+of\s+birth|d\.?\s?o\.?\s?b\b"
_BIRTH_HEADER = re.compile(rf"\b(?:{_BIRTH_WORDS})", re.IGNORECASE)
_BIRTH_ANYWHERE = re.compile(rf"\b(?:{_BIRTH_WORDS}|born\b)", re.IGNORECASE)
_BIRTH_LABEL = re.compile(rf"^\W*(?:{_BIRTH_WORDS}|born\b|b\.)\W*", re.IGNORECASE)
# Words of a form's headings and an adult's titles, never of a child's name: a heading over a date
# ("Strategy Meeting" / "12/03/2020") or a letter's addressee shows no child.
FORM_WORDS = frozenset(
    {
        *("meeting", "review", "plan", "conference", "referral", "report", "sheet", "file", "case", "record"),
        *("front", "protection", "assessment", "services", "service", "team", "safeguarding", "notes"),
        *("summary", "date", "opened", "closed", "council", "department", "social", "care", "children"),
        *("childrens", "family", "school", "court", "police", "health", "strategy", "minutes", "contact"),
        *("visit", "page", "reference", "ref", "number", "unit", "office", "board", "form", "details"),
        *("information", "closure", "transfer", "allocated", "worker", "status", "open", "diocesan"),
        *("core", "group", "initial", "discussion", "section", "order", "legal", "chronology", "agency"),
        *("panel", "officer", "adviser", "advisor", "lead", "designated", "nursery", "academy", "primary"),
        *("college", "trust", "county", "borough", "city", "district", "diocese", "parish", "church"),
        *("private", "confidential", "official", "sensitive", "personal", "data", "history", "early", "help"),
        *("house", "lodge", "home", "centre", "infants", "juniors", "foundation", "project", "partnership"),
        *("hospital", "clinic", "surgery", "practice", "authority", "charity", "association", "society"),
        *("management", "oversight", "consultation", "records", "updated", "last", "key", "dates", "op"),
        *("operation", "ltd", "limited", "housing", "network", "hub", "fostering", "adoption", "youth"),
        *("offending", "probation", "camhs", "mash", "transferred", "received", "started", "opened"),
        *("mr", "mrs", "ms", "miss", "dr", "rev", "the", "of", "and", "for"),
    }
)
# Words a label for the child's own name may hold besides `SUBJECT_WORDS` ("Young person's full name:").
_SUBJECT_LABEL = SUBJECT_WORDS | {"young", "full", "first", "given", "names", "legal", "persons"}
_SUBJECT_LABEL |= {"forenames", "surnames"}
# A form's split name fields, anywhere on a line ("Surname: BRENNAN   Forename(s): Tyler"), and
# their value's first word; "Sumame" is how OCR often reads "Surname".
SURNAME_LABEL = r"(?:s[uv](?:r\s?n|m)[au]me|family\s+name|last\s+name)"
FORENAME_LABEL = r"(?:fore\s?names?(?:\(s\))?|first\s+names?|given\s+names?)"
_SURNAME_FIELD = re.compile(rf"(?<![\w-]){SURNAME_LABEL}\s*:\s*([^\W\d_][\w'’-]*)", re.IGNORECASE)
_FORENAME_FIELD = re.compile(rf"(?<![\w-]){FORENAME_LABEL}\s*:\s*([^\W\d_][\w'’-]*)", re.IGNORECASE)
# What may stand between a name and its date of birth: a sex, an age, a dash ("Lily Turner (F) 12 - 03/03/2013").
_MARKS = re.compile(
    r"^(?:\s*(?:\((?:\d{1,2}|[mf]|male|female)\)|[mf]|male|female|aged?(?:\s*\d{1,2})?|[-–—|:,;])[,;]?(?=\s|$))*\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Word:
    """One word of a line as names are compared (`records.template.name_key`), and what it says."""

    key: str
    relative: bool  # a word for a relative or another case
    subject: bool  # a label for the sheet's own child


@dataclass(frozen=True)
class CoverLine:
    text: str
    words: tuple[Word, ...]
    under_heading: bool  # below a heading naming relatives, in the same block of text

    def quoted(self, start: int, end: int) -> bool:
        """Whether a name at words `start` to `end` of the line is someone the sheet quotes: under a
        heading naming relatives, or in a line with a relative's word outside the name itself
        (a surname "Cousins" is no cousin), unless it follows a label for the sheet's own child
        with no relative's word before that label or between it and the name."""
        if self.under_heading:
            return True
        subject = relative_before = False
        for word in self.words[:start]:
            if word.relative:
                relative_before, subject = True, False
            elif word.subject and not relative_before:
                subject = True
        if subject:
            return False
        return any(word.relative for word in (*self.words[:start], *self.words[end:]))


def cover_lines(text: str) -> Iterator[CoverLine]:
    """The cover's lines with words. A heading naming relatives holds until a blank line or a
    heading for the child's own details ("Child details", "Young person:")."""
    heading = False
    for line in text.splitlines():
        words = tuple(_words(line))
        if not line.strip() or _is_heading(line, words, subject=True):
            heading = False
        if words:
            yield CoverLine(line, words, heading)
        heading = heading or _is_heading(line, words, subject=False)


def _words(line: str) -> Iterator[Word]:
    previous_relative = False
    for raw in line.replace("-", " ").split():
        key = name_key(raw)
        if not key:
            continue
        relative = names_a_relative(raw, OTHERS)
        yield Word(key, relative, key in SUBJECT_WORDS and not previous_relative)
        previous_relative = relative


def _is_heading(line: str, words: Sequence[Word], subject: bool) -> bool:
    """A line naming relatives (or, with `subject`, the child: a label for them and no relative)
    and no one: no digits, and a heading's shape: ending in a colon, two words at most, or a
    table's header row ("Siblings | Date of birth | School", its rules read or not)."""
    if any(ch.isdigit() for ch in line):
        return False
    if subject:
        if not any(word.subject for word in words) or any(word.relative for word in words):
            return False
    elif not any(word.relative for word in words):
        return False
    header = "|" in line or bool(_BIRTH_HEADER.search(line))
    return line.rstrip().endswith(":") or len(words) <= 2 or (header and not subject)


@dataclass(frozen=True)
class PersonShown:
    """The first person a cover shows with a date of birth, and the cover's text around them."""

    name: str
    above: str  # down to and including the line naming them
    below: str
    born: date


def first_person_shown(text: str) -> PersonShown | None:
    """The first line naming someone, not quoted (under a relatives heading, or beside a
    relative's word), with a date of birth on it or opening the next line: a front sheet shows
    its own child's name and birth date before anyone it quotes, however it words the quoting.
    Fresh testers' sheets about a child not in the template, the code's child below after words
    no list held ("Bro.", "Gran", "Placed together with", "Other child:"), were linked to the
    code's child."""
    lines = list(cover_lines(text))
    for number, line in enumerate(lines):
        if line.under_heading:
            continue
        named = _a_name(line)
        if named is None or _in_a_role(named[0], lines[:number]):
            continue
        name, after = named
        following = lines[number + 1].text if number + 1 < len(lines) else ""
        after = _MARKS.sub("", after)
        another_column = any(_a_label(token) for token in after.split()[:3])
        born = _date_opening(following) if not after.strip() or another_column else _date_opening(after)
        if born is not None:
            above = "\n".join(shown.text for shown in lines[: number + 1])
            return PersonShown(name, above, "\n".join(shown.text for shown in lines[number + 1 :]), born)
    return None


def _in_a_role(name: str, above: Sequence[CoverLine]) -> bool:
    """Whether a line above gives the name beside a worker's word ("Chaired by Anne Hollis"): the
    name and date below it are their signature, not a child's (a fresh tester's right sheet
    was held as a sheet about the chair)."""
    words = tuple(word.key for word in _words(name))
    return any(
        not ROLE_WORDS.isdisjoint(keys) and any(keys[n : n + len(words)] == words for n in range(len(keys)))
        for keys in (tuple(word.key for word in line.words) for line in above)
    )


@dataclass(frozen=True)
class ChildsDetails:
    """What a cover gives under labels for its own child: the text after each name label
    ("Name:", "Child's full name:") and each date after a birth label."""

    names: tuple[str, ...]
    born: tuple[date, ...]


def childs_details(text: str) -> ChildsDetails:
    """The labelled details of a cover's own child: where they are a record's, a line above them
    naming someone with a date (a home, a worker, an adult at the address) is not the child the
    sheet is about. A fresh tester's right sheets so were held for review. A form's split name
    fields make one name, forename first ("Surname: BRENNAN" and "Forename(s): Tyler"): a sheet
    so laid out, listing a sister with her date below, was held too."""
    names: list[str] = []
    born: list[date] = []
    split: dict[re.Pattern[str], str] = {}
    for line in cover_lines(text):
        if line.under_heading:
            continue
        name = childs_name(line.text)
        if name is not None:
            names.append(name)
        for field in (_FORENAME_FIELD, _SURNAME_FIELD):
            value = field.search(line.text)
            if value is not None:
                split.setdefault(field, value[1])
        birth = _BIRTH_ANYWHERE.search(line.text)
        found = _date_opening(line.text[birth.start() :]) if birth else None
        if found is not None:
            born.append(found)
    if len(split) == 2:
        names.append(f"{split[_FORENAME_FIELD]} {split[_SURNAME_FIELD]}")
    return ChildsDetails(tuple(names), tuple(born))


def childs_name(line: str) -> str | None:
    """The value of a line's label for the sheet's own child ("Child's name: …"), or None."""
    tokens = line.split()
    label = line_label(tokens)
    return " ".join(tokens[label[0] + 1 :]) if label is not None and label[1] else None


def _a_name(line: CoverLine) -> tuple[str, str] | None:
    """The name a line gives, after a label for the sheet's own child or none (two to four
    capitalised words, none a relative's or a form's), and what follows it; else None. A line
    labelled for anyone else ("Referrer:", "Completed by:", "Adopter:") names no child: fresh
    testers' sheets with a worker's name and a date above the child's were held. A nickname in
    quotes is no word of the name ('Ruby "Bee" Hartley')."""
    tokens = without_nicknames(line.text).split()
    label = line_label(tokens)
    if label is not None and not any(ch.isdigit() for ch in " ".join(tokens[: label[0]])):
        if not label[1]:
            return None
        del tokens[: label[0] + 1]
    while tokens and (name_key(tokens[0]) in SUBJECT_WORDS or tokens[0] in ("-", ":")):
        tokens.pop(0)
    name: list[str] = []
    while tokens and not any(ch.isdigit() for ch in tokens[0]) and not _BIRTH_LABEL.match(tokens[0]):
        if _a_label(tokens[0]):
            break
        name.append(tokens.pop(0))
    while name and _MARKS.fullmatch(name[-1]):
        tokens.insert(0, name.pop())
    words = [word.strip(",.()") for word in name]
    if not 2 <= len(words) <= 4 or names_a_relative(" ".join(words), OTHERS):
        return None
    return (" ".join(words), " ".join(tokens)) if all(_may_be_a_name(word) for word in words) else None


def _a_label(token: str) -> bool:
    return token.endswith(":") and not _BIRTH_LABEL.match(token)


def line_label(tokens: Sequence[str]) -> tuple[int, bool] | None:
    """Where a label ends among a line's first four tokens (not a birth label), and whether it is
    one for the sheet's own child ("Name:", "Young person's full name:"); None without one."""
    end = next((n for n, token in enumerate(tokens[:4]) if _a_label(token)), None)
    if end is None:
        return None
    return end, all(name_key(token) in _SUBJECT_LABEL for token in tokens[: end + 1] if name_key(token))


def _may_be_a_name(word: str) -> bool:
    """A capitalised word, not a form's, as OCR may read a name: one letter of it may come back
    a sign ("Bartłomiej" as "Barttomie]")."""
    signs = sum(not ch.isalpha() for ch in word.replace("-", "").replace("'", ""))
    return word[:1].isupper() and signs <= 1 < len(word) and name_key(word) not in FORM_WORDS


def _date_opening(text: str) -> date | None:
    """The date a line opens with, after a birth label or none; not a date two words describe
    ("12/03/2020 Referral received", an event's in a list of key dates)."""
    rest = _BIRTH_LABEL.sub("", text, count=1).lstrip(" :(-")
    shapes = (ISO_DATE, NUMERIC_DATE, WORDED_DATE, MONTH_FIRST_DATE)
    opening = next((m for pattern in shapes if (m := pattern.match(rest))), None)
    if opening is None:
        return None
    described = rest[opening.end() :]
    if ":" not in described and len(re.findall(r"[^\W\d_]{3,}", described)) >= 2:
        return None
    found = find_uk_dates(opening[0])
    return found[0] if found else None
