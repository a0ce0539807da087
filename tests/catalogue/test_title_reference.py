"""Front sheets whose own reference is their title, printed large with no label, and which quote
a sibling's reference inside a line ("Siblings: Name (reference)"). A fresh tester's such covers
tied the two readings and all waited for a person, though the printed name and date of birth
were the title's. Real tesseract on rendered pages, the catalogue's own decision."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from catalogue.linking import Link
from synthetic.drawing import Pen
from synthetic.people import Person, make_people
from tests.support.siblings import sheet_decided
from tests.support.stickers import label

DPI = 300
# the title's face and size, and the line quoting the sibling
SHEETS = {
    "36 pt sans bold, Siblings:": ("lib-sans-bold", 36, "Siblings: {name} ({reference})"),
    "28 pt serif, Brother:": ("lib-serif", 28, "Brother: {name} ({reference})"),
    "24 pt mono, a sibling's file": ("lib-mono", 24, "See also the file of {name}, {reference}."),
}


def _draw(title: str, person: Person, sibling: Person, sheet: tuple[str, float, str]) -> Image.Image:
    face, points, quote = sheet
    pen = Pen.blank(DPI)
    pen.text(20, 15, "Children's Services - Case File", 16, "sans-bold")
    pen.text(20, 30, title, points, face)
    pen.text(20, 55, f"Name: {person.forename} {person.surname}", 12, "lib-sans")
    pen.text(20, 65, f"Date of Birth: {person.date_of_birth:%d/%m/%Y}", 12, "lib-sans")
    pen.text(20, 75, quote.format(name=f"{sibling.forename} {sibling.surname}", reference=sibling.case_reference), 12)
    pen.text(20, 85, "Social Worker: Jane Pollard", 12, "lib-sans")
    return pen.image


def _decided(tmp_path: Path, page: Image.Image, people: list[Person]) -> Link:
    return sheet_decided(tmp_path, page, people, following=5)


@pytest.fixture(scope="module")
def people() -> list[Person]:
    """A template of twenty, the owner and the sibling last."""
    return make_people(20, seed=37)


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_a_title_reference_over_its_own_childs_details_is_linked_despite_a_sibling_quoted(
    tmp_path: Path, people: list[Person], sheet: tuple[str, float, str]
) -> None:
    owner, sibling = people[18:20]
    link = _decided(tmp_path, _draw(owner.case_reference, owner, sibling, sheet), people)
    assert (link.state, link.record_id) == ("linked_auto", 19), link.reason


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_a_title_reference_over_the_siblings_details_goes_to_a_person(
    tmp_path: Path, people: list[Person], sheet: tuple[str, float, str]
) -> None:
    owner, sibling = people[18:20]
    link = _decided(tmp_path, _draw(owner.case_reference, sibling, owner, sheet), people)
    assert link.state == "needs_review", link.reason
    assert {c.case_reference for c in link.candidates} >= {owner.case_reference, sibling.case_reference}


def test_two_references_each_alone_on_a_line_go_to_a_person(tmp_path: Path, people: list[Person]) -> None:
    owner, sibling = people[18:20]
    pen = Pen.blank(DPI)
    pen.text(20, 15, "Children's Services - Case File", 16, "sans-bold")
    pen.text(20, 30, owner.case_reference, 30, "lib-sans-bold")
    pen.text(20, 50, sibling.case_reference, 30, "lib-sans-bold")
    pen.text(20, 70, "Social Worker: Jane Pollard", 12, "lib-sans")
    link = _decided(tmp_path, pen.image, people)
    assert link.state == "needs_review", link.reason


def _barcoded(coded: Person, person: Person, sibling: Person, symbology: str, face: str) -> Image.Image:
    """A sheet whose code and unlabelled title name `coded`, over `person`'s name and birth date
    and a sibling's reference quoted below them: triage takes the quote's line for the label's,
    and the band around it begins below the name (a fresh tester's such covers read no name)."""
    pen = Pen.blank(DPI)
    pen.text(20, 15, "Children's Services - Case File", 16, "sans-bold")
    pen.text(20, 30, coded.case_reference, 30, f"{face}-bold" if face != "lib-mono" else face)
    pen.text(20, 52, f"Name: {person.forename} {person.surname}", 12, face)
    pen.text(20, 62, f"Date of Birth: {person.date_of_birth:%d/%m/%Y}", 12, face)
    pen.text(20, 72, f"Siblings: {sibling.forename} {sibling.surname} ({sibling.case_reference})", 12, face)
    size, bar = (10, 0.3) if symbology == "code128" else (12, 0.6)
    pen.paste(label(coded.case_reference, symbology, bar, size), 150, 12)
    return pen.image


CODES = {
    "qr, sans": ("qr", "lib-sans"),
    "datamatrix, serif": ("datamatrix", "lib-serif"),
    "code128, mono": ("code128", "lib-mono"),
}


@pytest.fixture(scope="module")
def with_twins(people: list[Person]) -> list[Person]:
    """The template with its last two people made twins: one surname, one birth date."""
    owner = people[18]
    return [*people[:19], replace(people[19], surname=owner.surname, date_of_birth=owner.date_of_birth)]


@pytest.mark.parametrize("code", CODES.values(), ids=CODES.keys())
def test_a_twins_code_over_the_other_twins_name_above_the_shared_birth_date_goes_to_a_person(
    tmp_path: Path, with_twins: list[Person], code: tuple[str, str]
) -> None:
    """The band around the birth date missed the name above it: the birth date alone agreed."""
    owner, twin = with_twins[18:20]
    link = _decided(tmp_path, _barcoded(owner, twin, with_twins[17], *code), with_twins)
    assert link.state == "needs_review", link.reason
    assert twin.case_reference in [c.case_reference for c in link.candidates], link.candidates


@pytest.mark.parametrize("code", CODES.values(), ids=CODES.keys())
def test_the_same_barcoded_sheet_naming_its_own_twin_is_linked(
    tmp_path: Path, with_twins: list[Person], code: tuple[str, str]
) -> None:
    owner = with_twins[18]
    link = _decided(tmp_path, _barcoded(owner, owner, with_twins[17], *code), with_twins)
    assert (link.state, link.record_id) == ("linked_auto", 19), link.reason


def _coded_sheet(coded: Person, title: str, details: list[str], quote: str, code: str) -> Image.Image:
    """A sheet whose `code` names `coded`, with `title` printed large and unlabelled above
    `details` (one line each) and a line quoting a sibling."""
    pen = Pen.blank(DPI)
    pen.text(20, 15, "Children's Services - Case File", 16, "sans-bold")
    pen.text(20, 30, title, 30, "lib-sans-bold")
    for row, line in enumerate([*details, quote]):
        pen.text(20, 52 + 10 * row, line, 12, "lib-sans")
    pen.paste(label(coded.case_reference, code, 0.6, 12), 150, 12)
    return pen.image


QUOTES = {
    "Brother: name, ref": "Brother: {name}, ref {reference}",
    "Siblings: name (reference)": "Siblings: {name} ({reference})",
}


@pytest.mark.parametrize("code", ["qr", "datamatrix"])
@pytest.mark.parametrize("quote", QUOTES.values(), ids=QUOTES.keys())
def test_a_code_for_one_child_under_a_title_naming_the_sibling_goes_to_a_person(
    tmp_path: Path, people: list[Person], quote: str, code: str
) -> None:
    """The code names the owner; the sheet's own title is the sibling's reference, which the
    sibling's line quotes too: the sheet names two cases (a fresh tester's was linked to the code's)."""
    owner, sibling = people[18:20]
    details = [f"Name: {owner.forename} {owner.surname}", f"Date of Birth: {owner.date_of_birth:%d/%m/%Y}"]
    said = quote.format(name=f"{sibling.forename} {sibling.surname}", reference=sibling.case_reference)
    link = _decided(tmp_path, _coded_sheet(owner, sibling.case_reference, details, said, code), people)
    assert link.state == "needs_review", link.reason
    assert {c.case_reference for c in link.candidates} >= {owner.case_reference, sibling.case_reference}


def _unlabelled(person: Person) -> list[str]:
    return [f"{person.forename} {person.surname}", f"{person.date_of_birth:%d %B %Y}"]


@pytest.mark.parametrize("code", ["qr", "datamatrix"])
def test_a_code_and_title_over_the_siblings_unlabelled_details_goes_to_a_person(
    tmp_path: Path, people: list[Person], code: str
) -> None:
    """The sheet prints the sibling's name and date of birth as its own, unlabelled, and the
    code's child only inside the siblings line: that name is not the sheet's (a fresh tester's
    was linked to the code's child, whose name the siblings line printed)."""
    owner, sibling = people[18:20]
    said = QUOTES["Siblings: name (reference)"].format(
        name=f"{owner.forename} {owner.surname}", reference=owner.case_reference
    )
    link = _decided(tmp_path, _coded_sheet(owner, owner.case_reference, _unlabelled(sibling), said, code), people)
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize("code", ["qr", "datamatrix"])
def test_a_code_and_title_over_the_childs_own_unlabelled_details_is_linked(
    tmp_path: Path, people: list[Person], code: str
) -> None:
    owner, sibling = people[18:20]
    said = QUOTES["Siblings: name (reference)"].format(
        name=f"{sibling.forename} {sibling.surname}", reference=sibling.case_reference
    )
    link = _decided(tmp_path, _coded_sheet(owner, owner.case_reference, _unlabelled(owner), said, code), people)
    assert (link.state, link.record_id) == ("linked_auto", 19), link.reason
