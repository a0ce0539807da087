"""Covers whose top names the case but no one, and print the person far down the page. A fresh
tester's front sheets, "Case Reference: …" at the top and another child's name 14 or 20 cm down,
were linked by their reference: the careful read stopped at the top, so the catalogue never saw
whom the sheet named. Real tesseract on rendered pages, the catalogue's own decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from catalogue.linking import Link
from synthetic.drawing import Pen
from synthetic.people import Person, make_people
from tests.support.siblings import sheet_decided

DPI = 300
# label line, face, how the person is printed, and how far down (mm)
SHEETS = {
    "Name: at 14 cm": ("Case Reference:", "lib-sans", "name-label", 140),
    "Name: at 20 cm, serif": ("Case Reference:", "lib-serif", "name-label", 200),
    "a bare name and date at 14 cm": ("Case Reference:", "sans", "bare", 140),
    "Date of birth: alone at 18 cm, mono": ("Ref No.", "lib-mono", "birth-label", 180),
    "Child: at 23 cm under a boxed reference": ("File No:", "serif", "child", 230),
}


def _draw(person: Person, reference: str, sheet: tuple[str, str, str, float]) -> Image.Image:
    label, face, how, down = sheet
    pen = Pen.blank(DPI)
    pen.text(20, 15, "Safeguarding Case File", 16, "sans-bold")
    pen.box(18, 27, 120, 37)
    end = pen.text(20, 29, label, 12, face)
    pen.text(end + 3, 29, reference, 12, face)
    name, born = f"{person.forename} {person.surname}", f"{person.date_of_birth:%d/%m/%Y}"
    lines = {
        "name-label": [f"Name: {name}"],
        "bare": [name.upper(), born],
        "birth-label": [f"Date of birth: {born}"],
        "child": [f"Child: {name}", "School: Northtown Primary"],
    }[how]
    for number, line in enumerate(lines):
        pen.text(25, down + 8 * number, line, 12, face)
    return pen.image


def _decided(tmp_path: Path, page: Image.Image, people: list[Person]) -> Link:
    return sheet_decided(tmp_path, page, people, following=2)


@pytest.fixture(scope="module")
def two() -> list[Person]:
    return make_people(16, seed=29)[14:16]


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_a_reference_over_another_childs_details_far_down_goes_to_a_person(
    tmp_path: Path, two: list[Person], sheet: tuple[str, str, str, float]
) -> None:
    owner, other = two
    link = _decided(tmp_path, _draw(other, owner.case_reference, sheet), two)
    assert link.read_reference == owner.case_reference, "the reference itself reads"
    assert link.state == "needs_review", link.reason
    assert other.case_reference in [c.case_reference for c in link.candidates], link.candidates


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_the_same_sheet_naming_its_own_child_far_down_is_linked(
    tmp_path: Path, two: list[Person], sheet: tuple[str, str, str, float]
) -> None:
    owner, _ = two
    link = _decided(tmp_path, _draw(owner, owner.case_reference, sheet), two)
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason
