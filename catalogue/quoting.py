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

from records.template import name_key
from scanner.labels import names_a_relative

# Words for another case or the people the child lives with, beside `RELATIVES`.
OTHERS = frozenset({"linked", "related", "associated", "household", "lives"})
# A label for the sheet's own child: a name after it, before any relative's word, is the child's
# ("Child: Jack Smith   Parent: Karen Smith" on one line of a two-column form).
SUBJECT_WORDS = frozenset({"name", "child", "childs", "client", "pupil", "subject", "person", "surname", "forename"})
_BIRTH_HEADER = re.compile(r"\b(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """One word of a line as names are compared (`records.template.name_key`), and what it says."""

    key: str
    relative: bool  # a word for a relative or another case
    subject: bool  # a label for the sheet's own child


@dataclass(frozen=True)
class CoverLine:
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
            yield CoverLine(words, heading)
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
