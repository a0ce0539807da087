"""The words a cover uses to introduce its case reference, and its person, in one place.

Each label is a tuple of lower-case words compared letters only ("Ref No." is ("ref", "no")); a
trailing `*` takes any ending ("ref*" reads "Ref", "Refs", "Reference"); a trailing `:` must be
printed ("child:" reads "Child:" but not "Child protection"). Covers drawn by other
offices use all of these; PRODUCT.md names "Case Reference:", "Ref No." and "File ref".
"""

from __future__ import annotations

import re

Label = tuple[str, ...]

REFERENCE_LABELS: tuple[Label, ...] = (
    ("case", "reference"),
    ("case", "ref*"),
    ("ref", "no*"),
    ("file", "ref*"),
    ("our", "ref*"),
    ("reference*",),
    ("ref",),
    ("case", "no*"),
    ("case", "number"),
    ("case", "id"),
    ("file", "no"),
    ("file", "number"),
    ("client", "no*"),
    ("client", "ref*"),
    ("client", "number"),
    ("client", "id"),
)
# A letter's references ("Your ref:", "Our ref: ..."): a letter filed in a case file may quote
# another case's reference there, so a reading beside one starts a case file (the safe side) but
# is weighed as one loose in the text: linked automatically only with the record's name or date of
# birth on the page too.
LETTER_LABELS: tuple[Label, ...] = (("your", "ref*"), ("our", "ref*"), ("my", "ref*"), ("their", "ref*"))
# What marks a page as a letter, not a cover sheet: its greeting (a line opening "Dear"), its close,
# the addressee's reference. A letter filed in a case file may be about another case (a sibling, a
# twin: "Your ref" and "Re:" both name them), so what a letter names is never linked by itself.
GREETING_LABELS: tuple[Label, ...] = (("dear",),)
CLOSING_LABELS: tuple[Label, ...] = (
    ("yours", "sincerely"),
    ("yours", "faithfully"),
    ("yours", "truly"),
    ("kind", "regards"),
    ("best", "regards"),
    ("best", "wishes"),
)
ADDRESSEE_LABELS: tuple[Label, ...] = (("your", "ref*"), ("their", "ref*"))
# A printed e-mail's, memo's or fax's header: two of these opening lines mark a message, which may be
# about a sibling as a letter may ("Subject: RE: <name> DOB … ref …"); with their colons, as
# everyday words ("To be seen", "From 2019") are not headers.
MESSAGE_HEADER_LABELS: tuple[Label, ...] = (("from:",), ("sent:",), ("to:",), ("cc:",), ("subject:",))
# Who a file is about, as the field reader takes a name from: besides "Name", the words offices use;
# those that are everyday words too count only with their colon ("Child:", not "Child protection").
NAME_LABELS: tuple[Label, ...] = (
    ("name",),
    ("subject",),
    ("childs", "name"),
    ("child", "name"),
    ("full", "name"),
    ("child:",),
    ("client:",),
    ("pupil:",),
    ("patient:",),
    ("person:",),
    ("young", "person:"),
    ("service", "user:"),
    ("adult", "at", "risk:"),
)
# Words that make a name or birth-date label a relative's ("Sister's name:", "Mother's DOB:",
# "Sibling name:"): a fresh tester's cover for one child, quoting a sister so, was read as the
# sister's and linked to her. The catalogue reads a name in a line holding one of them as a
# relative's, not the sheet's own child's ("Siblings: …", a household table's "Half-brother" row).
RELATIVES = frozenset(
    word + ending
    for word in (
        *("sister", "brother", "sibling", "sib", "twin", "mother", "father", "mum", "dad", "parent"),
        *("carer", "guardian", "son", "daughter", "cousin", "aunt", "uncle", "niece", "nephew"),
        *("grandmother", "grandfather", "grandparent", "grandma", "grandpa", "granny", "grandad", "grandson"),
        *("granddaughter", "stepmother", "stepfather", "stepmum", "stepdad", "stepbrother", "stepsister"),
        *("stepparent", "stepson", "stepdaughter"),
    )
    for ending in ("", "s")
)
_LETTERS = re.compile(r"[^\W\d_]+")


def names_a_relative(text: str, others: frozenset[str] = frozenset()) -> bool:
    """Whether a word or line holds one of `RELATIVES`, or of `others`, as a run of letters
    ("Sister's", "Parent/carer:", "Half-brother")."""
    return not (RELATIVES | others).isdisjoint(_LETTERS.findall(text.casefold()))


# A letter's subject line ("Re: Zoë Nowak, DOB …"): a name, when the page labels none otherwise
# ("Re: Child Protection Conference" over a "Surname" box names no one).
SUBJECT_LINE_LABELS: tuple[Label, ...] = (("re",),)
SURNAME_LABELS: tuple[Label, ...] = (("surname",), ("family", "name"), ("last", "name"))
FORENAME_LABELS: tuple[Label, ...] = (("forename*",), ("first", "name*"), ("given", "name*"))
# Who the file is about, and when they were born: a block of both near the top marks a cover even
# when its reference is blank or unreadable. Every label a name is read under but a letter's "Re:"
# (a letter about the child quotes their date of birth on every page), and the everyday words
# without their colon too: a split too many waits for a person, a merge is never seen.
PERSON_LABELS: tuple[Label, ...] = (
    *NAME_LABELS,
    *SURNAME_LABELS,
    *FORENAME_LABELS,
    ("child",),
    ("childs",),
    ("client",),
    ("pupil",),
    ("service", "user"),
)
BIRTH_LABELS: tuple[Label, ...] = (("date", "of", "birth"), ("dob",), ("born",), ("birth", "date"), ("dateofbirth",))


def stem(part: str) -> str:
    """A label word's letters, its `*` and `:` marks taken off."""
    return part.rstrip("*:")


# How much of a page, from its top, a cover's details are looked for in.
TOP_FRACTION = 0.45
