"""A front sheet gives its child's name in a form's shape, and lists a sibling with a date of birth
below: split "Surname:" and "Forename(s):" fields, on one line or two, a nickname in quotes
between forename and surname, or values printed against their labels ("Child's ForenameLily").
A fresh tester's such sheets about the code's own child were held for review as the sibling's
(the child's whole name was nowhere spelt, the sibling's was); the same shapes about a child the
template does not hold, quoting the code's child as the sibling, must still go to a person. Our
own wordings and fonts; real tesseract, the catalogue's decision."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from synthetic.people import Person, make_people
from tests.support.siblings import coded_sheet, sheet_decided

# {fore} {sur} {SUR} {dob:…} are the sheet's child's; {sib} and {sib_dob:…} the sibling's.
SHAPES = {
    "split fields on one line": [
        "Surname:  {SUR}        Forename(s):  {fore}",
        "Date of birth:  {dob:%d/%m/%Y}",
        "Family members",
        "{sib}    {sib_dob:%d/%m/%Y}    sister",
    ],
    "split fields on two lines": [
        "Family name:  {SUR}",
        "Given name:  {fore}",
        "D.O.B.  {dob:%d/%m/%Y}",
        "Bro. {sib}  {sib_dob:%d/%m/%Y}",
    ],
    "a nickname in double quotes": ['{fore} "Bee" {sur}', "{dob:%d/%m/%Y}", "{sib}   {sib_dob:%d/%m/%Y}"],
    "a nickname in single quotes": ["{fore} 'Bee' {sur}    {dob:%d.%m.%Y}", "Also: {sib}  {sib_dob:%d.%m.%Y}"],
    "values run into their labels": [
        "Child's Forename{fore}",
        "Child's Surname{SUR}",
        "Date of Birth{dob:%d/%m/%Y}",
        "Household: {sib}  {sib_dob:%d/%m/%Y}",
    ],
}
FACES = (("sans", 11), ("lib-serif", 12), ("lib-mono", 10), ("serif", 12), ("lib-sans", 11))


@pytest.fixture(scope="module")
def people() -> list[Person]:
    """A template of twelve: the code's child last, a sibling of the same surname before it."""
    people = make_people(12, seed=171)
    return [*people[:-2], replace(people[-2], surname=people[-1].surname), people[-1]]


def _lines(shape: str, child: Person, sibling: Person) -> list[str]:
    fields = {
        "fore": child.forename,
        "sur": child.surname,
        "SUR": child.surname.upper(),
        "dob": child.date_of_birth,
        "sib": f"{sibling.forename} {sibling.surname}",
        "sib_dob": sibling.date_of_birth,
    }
    return [line.format(**fields) for line in SHAPES[shape]]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_codes_own_child_with_a_sibling_below_is_linked(tmp_path: Path, people: list[Person], shape: str) -> None:
    face, points = FACES[list(SHAPES).index(shape)]
    pen = coded_sheet(people[-1], _lines(shape, people[-1], people[-2]), "printed", face, points)
    link = sheet_decided(tmp_path, pen.image, people, following=4)
    assert (link.state, link.record_id) == ("linked_auto", len(people)), link.reason


@pytest.mark.parametrize("shape", SHAPES)
def test_a_newcomer_quoting_the_codes_child_as_a_sibling_goes_to_a_person(
    tmp_path: Path, people: list[Person], shape: str
) -> None:
    newcomer = replace(make_people(30, seed=172)[29], surname=people[-1].surname)
    face, points = FACES[list(SHAPES).index(shape)]
    pen = coded_sheet(people[-1], _lines(shape, newcomer, people[-1]), "qr", face, points)
    link = sheet_decided(tmp_path, pen.image, people, following=5)
    assert link.state == "needs_review", link.reason
