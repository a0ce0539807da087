"""A front sheet whose child's name and date of birth stand above its reference, more than a line
above it, while the lines beside the reference show something of a name or a date (a family
surname, a date of birth alone). A fresh tester's sheets for a sibling, a twin or an unborn baby
under another child's reference were linked: the scanner, sure of a labelled reference the
template holds, stopped at the lines around it and never read the child's. Now it stops there
only when those lines give both a whole name and a date of birth. Real tesseract, the
catalogue's own decision."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from synthetic.drawing import Pen
from synthetic.people import Person, make_people
from tests.support.siblings import sheet_decided


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(12, seed=181)


def _family_sheet(coded: Person, child: Person, child_top: float, face: str) -> Image.Image:
    """The child's details at `child_top` mm, the reference and the family's surname at 80 mm."""
    pen = Pen.blank(300)
    pen.text(20, 15, "Family Support Service", 15, f"{face}-bold")
    fields = [
        (child_top, "Subject child:", f"{child.forename} {child.surname.upper()}"),
        (child_top + 8, "Date of birth:", f"{child.date_of_birth:%d/%m/%Y}"),
        (80, "Case reference:", coded.case_reference),
        (88, "Family surname:", coded.surname.upper()),
    ]
    for top, label, value in fields:
        pen.text(20, top, label, 12, face)
        pen.text(65, top, value, 12, face)
    return pen.image


def _boxes(coded: Person, child: Person) -> Image.Image:
    """Small labels above their values in ruled boxes: the name's row above the reference's."""
    pen = Pen.blank(300)
    pen.text(20, 15, "Front Sheet", 15, "serif-bold")
    rows = [
        (("SURNAME", child.surname.upper()), ("FIRST NAME(S)", child.forename)),
        (("DATE OF BIRTH", f"{child.date_of_birth:%d/%m/%Y}"), ("FILE REFERENCE", coded.case_reference)),
    ]
    for row, cells in enumerate(rows):
        top = 40 + 22 * row
        for column, (label, value) in enumerate(cells):
            left = 20 + 88 * column
            pen.box(left, top, left + 86, top + 20)
            pen.text(left + 3, top + 2, label, 7.5, "lib-sans")
            pen.text(left + 3, top + 9, value, 13, "lib-sans")
    return pen.image


@pytest.mark.parametrize(("top", "face"), [(30, "lib-sans"), (52, "serif")])
def test_a_siblings_details_above_the_reference_go_to_a_person(
    tmp_path: Path, people: list[Person], top: float, face: str
) -> None:
    coded = people[-1]
    sibling = replace(make_people(30, seed=182)[29], surname=coded.surname)
    link = sheet_decided(tmp_path, _family_sheet(coded, sibling, top, face), people, following=3)
    assert link.state == "needs_review", link.reason


def test_the_codes_own_childs_details_above_the_reference_are_linked(tmp_path: Path, people: list[Person]) -> None:
    coded = people[-1]
    link = sheet_decided(tmp_path, _family_sheet(coded, coded, 30, "lib-sans"), people, following=4)
    assert (link.state, link.record_id) == ("linked_auto", len(people)), link.reason


def test_a_twins_name_in_the_row_above_the_reference_goes_to_a_person(tmp_path: Path, people: list[Person]) -> None:
    coded = people[-1]
    twin = replace(coded, forename="Ellery" if coded.forename != "Ellery" else "Quinn")
    link = sheet_decided(tmp_path, _boxes(coded, twin), people, following=5)
    assert link.state == "needs_review", link.reason


def test_the_codes_own_child_in_boxes_is_linked(tmp_path: Path, people: list[Person]) -> None:
    coded = people[-1]
    link = sheet_decided(tmp_path, _boxes(coded, coded), people, following=6)
    assert (link.state, link.record_id) == ("linked_auto", len(people)), link.reason
