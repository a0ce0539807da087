"""The words a cover uses to introduce its case reference, and its person, in one place.

Each label is a tuple of lower-case words compared letters only ("Ref No." is ("ref", "no")); a
trailing `*` takes any ending ("ref*" reads "Ref", "Refs", "Reference"). Covers drawn by other
offices use all of these; PRODUCT.md names "Case Reference:", "Ref No." and "File ref".
"""

from __future__ import annotations

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
)
# A letter's references ("Your ref:", "Our ref: ..."): a letter filed in a case file may quote
# another case's reference there, so a reading beside one starts a case file (the safe side) but
# is weighed as one loose in the text: linked automatically only with the record's name or date of
# birth on the page too.
LETTER_LABELS: tuple[Label, ...] = (("your", "ref*"), ("our", "ref*"), ("my", "ref*"), ("their", "ref*"))
# Who the file is about, and when they were born: a block of both near the top marks a cover even
# when its reference is blank or unreadable.
PERSON_LABELS: tuple[Label, ...] = (
    ("name",),
    ("subject",),
    ("child",),
    ("childs",),
    ("full", "name"),
    ("surname",),
    ("forename*",),
    ("client",),
    ("service", "user"),
)
BIRTH_LABELS: tuple[Label, ...] = (("date", "of", "birth"), ("dob",), ("born",), ("birth", "date"), ("dateofbirth",))


# How much of a page, from its top, a cover's details are looked for in.
TOP_FRACTION = 0.45
