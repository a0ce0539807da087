"""Barcoded front sheets whose printed details carry no label triage knows: "Name:" alone,
"Surname:" and "Forename:", "Child:", a name and date with no label at all, or a reference in
big print as the sheet's title. A fresh tester's
QR covers naming one child over another child's printed name were linked automatically: the
scanner read no words on them, so the catalogue had nothing to weigh. Real tesseract on
rendered pages, the catalogue's own decision against a template of two people."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from catalogue.linking import Link
from synthetic.drawing import Pen
from synthetic.people import Person, make_people
from tests.support.siblings import sheet_decided
from tests.support.stickers import DPI, label


@dataclass(frozen=True)
class Sheet:
    """One way to draw a barcoded sheet: its code and where, its face, and how the details read."""

    symbology: str
    at_mm: tuple[float, float]
    face: str
    points: float
    details: str  # "name-label", "surname-forename", "child", "bare", "reference", "our-ref", "low", "low-label"
    turned: bool = False


SHEETS = {
    "qr top right, Name: alone": Sheet("qr", (160, 12), "lib-sans", 12, "name-label"),
    "code128 below, Surname and Forename": Sheet("code128", (20, 70), "lib-serif", 13, "surname-forename"),
    "data matrix, Child: in mono, a heading": Sheet("datamatrix", (165, 15), "lib-mono", 11, "child"),
    "qr, a bare name and date centred": Sheet("qr", (160, 12), "sans", 16, "bare"),
    "code39 on a sheet turned upside down": Sheet("code39", (25, 75), "serif", 14, "name-label", turned=True),
    "qr under a reference in 34 pt, no label": Sheet("qr", (160, 45), "lib-sans-bold", 34, "reference"),
    "code128 beside Our ref:": Sheet("code128", (120, 15), "lib-serif", 12, "our-ref"),
    "qr, a bare name and date 15 cm down": Sheet("qr", (165, 12), "lib-sans", 13, "low"),
    "datamatrix, Name: alone 21 cm down, upside down": Sheet("datamatrix", (20, 12), "sans", 12, "low-label", True),
}


def _draw(person: Person, coded: Person, sheet: Sheet) -> Image.Image:
    pen = Pen.blank(DPI)
    name, born = f"{person.forename} {person.surname}", person.date_of_birth.strftime("%d/%m/%Y")
    if sheet.details == "name-label":
        pen.text(20, 32, f"Name: {name}", sheet.points, sheet.face)
    elif sheet.details == "surname-forename":
        pen.text(20, 30, "Referral", 16, f"{sheet.face}-bold")
        pen.text(20, 42, f"Surname: {person.surname.upper()}", sheet.points, sheet.face)
        pen.text(20, 50, f"Forename: {person.forename}", sheet.points, sheet.face)
    elif sheet.details == "child":
        pen.text(20, 20, "Family Support Service", 16, f"{sheet.face}-bold")
        pen.text(20, 36, f"Child: {name}", sheet.points, sheet.face)
        pen.text(20, 44, "Address: 12 Mill Lane, Northtown", sheet.points, sheet.face)
    elif sheet.details == "reference":
        pen.text(45, 22, person.case_reference, sheet.points, sheet.face)
    elif sheet.details == "our-ref":
        pen.text(20, 20, "Safeguarding Team", 15, f"{sheet.face}-bold")
        pen.text(20, 34, f"Our ref: {person.case_reference}", sheet.points, sheet.face)
    elif sheet.details == "low":
        pen.text(20, 20, "Safeguarding Case File", 16, f"{sheet.face}-bold")
        pen.text(30, 150, name, sheet.points, sheet.face)
        pen.text(30, 158, born, sheet.points, sheet.face)
    elif sheet.details == "low-label":
        pen.text(20, 40, "Case file", 16, f"{sheet.face}-bold")
        pen.text(20, 210, f"Name: {name}", sheet.points, sheet.face)
    else:
        pen.text(60, 42, name.upper(), sheet.points, sheet.face)
        pen.text(72, 52, born, sheet.points - 2, sheet.face)
    size = {"qr": 12, "datamatrix": 12, "code128": 10, "code39": 12}[sheet.symbology]
    bar = 0.6 if sheet.symbology in ("qr", "datamatrix") else 0.3
    pen.paste(label(coded.case_reference, sheet.symbology, bar, size), *sheet.at_mm)
    return pen.image.rotate(180) if sheet.turned else pen.image


def _decided(tmp_path: Path, page: Image.Image, people: list[Person]) -> Link:
    return sheet_decided(tmp_path, page, people, following=3)


@pytest.fixture(scope="module")
def two() -> list[Person]:
    return make_people(14, seed=23)[12:14]


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_a_code_naming_one_child_over_another_childs_printed_name_goes_to_a_person(
    tmp_path: Path, two: list[Person], sheet: Sheet
) -> None:
    owner, other = two
    link = _decided(tmp_path, _draw(other, owner, sheet), two)
    assert link.read_reference == owner.case_reference and link.method == "barcode"
    assert link.state == "needs_review", link.reason
    assert other.case_reference in [c.case_reference for c in link.candidates], link.candidates


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_the_same_sheet_naming_its_own_child_is_linked(tmp_path: Path, two: list[Person], sheet: Sheet) -> None:
    owner, _ = two
    link = _decided(tmp_path, _draw(owner, owner, sheet), two)
    assert (link.state, link.record_id, link.link_method) == ("linked_auto", 1, "barcode"), link.reason
