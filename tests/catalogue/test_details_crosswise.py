"""Covers that print the person at right angles to the rest: along an edge, as a spine label
does, or upside down at the foot, as a tear-off slip does. A fresh tester's barcoded covers
printed another child's name and date of birth along the page's edge; the scanner read the
page only upright, read no one, and the covers were linked by their code. Real tesseract on
rendered pages, the catalogue's own decision against a template of two people."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from catalogue.linking import Link
from synthetic.drawing import Pen
from synthetic.people import Person, make_people
from tests.support.siblings import sheet_decided
from tests.support.stickers import DPI, label


@dataclass(frozen=True)
class Sheet:
    """A cover with its details on a strip turned `turn` degrees (Pillow's, anticlockwise)."""

    symbology: str | None  # None: the reference is printed upright at the top instead
    turn: int
    at_mm: tuple[float, float]  # where the turned strip's corner sits
    face: str
    points: float
    labels: tuple[str, str]  # the name's and the date of birth's labels


SHEETS = {
    "qr, name and date up the left edge": Sheet("qr", 90, (8, 60), "lib-sans", 11, ("Name:", "Date of Birth:")),
    "code128, down the right edge, serif": Sheet("code128", 270, (190, 70), "lib-serif", 12, ("Child:", "D.O.B.")),
    "datamatrix, 45 mm in, mono": Sheet("datamatrix", 90, (150, 90), "lib-mono", 10, ("Name:", "Born:")),
    "qr, upside down at the foot": Sheet("qr", 180, (30, 255), "sans", 12, ("Name:", "Date of birth:")),
    "no code: a reference at the top, Child: up the edge": Sheet(None, 90, (12, 80), "serif", 12, ("Child:", "DOB:")),
}


def _strip(person: Person, sheet: Sheet) -> Image.Image:
    pen = Pen.blank(DPI)
    name, born = f"{person.forename} {person.surname}", f"{person.date_of_birth:%d/%m/%Y}"
    lines = [f"{sheet.labels[0]} {name}", f"{sheet.labels[1]} {born}"]
    width = max(pen.font(sheet.face, sheet.points).getlength(line) for line in lines)
    strip = Image.new("L", (round(width) + pen.px(4), pen.px(sheet.points * 0.9)), 255)
    for number, line in enumerate(lines):
        ImageDraw.Draw(strip).text(
            (pen.px(2), pen.px(1 + sheet.points * 0.42 * number)), line, font=pen.font(sheet.face, sheet.points), fill=0
        )
    return strip.rotate(sheet.turn, expand=True, fillcolor=255)


def _draw(person: Person, coded: Person, sheet: Sheet) -> Image.Image:
    pen = Pen.blank(DPI)
    pen.text(25, 18, "Children's Services", 16, "sans-bold")
    pen.text(25, 28, "Please keep this sheet at the front of the file.", 10, sheet.face)
    if sheet.symbology is None:
        end = pen.text(25, 40, "Case Reference:", 12, sheet.face)
        pen.text(end + 4, 40, coded.case_reference, 12, sheet.face)
    else:
        size = 10 if sheet.symbology == "code128" else 12
        bar = 0.3 if sheet.symbology == "code128" else 0.6
        pen.paste(label(coded.case_reference, sheet.symbology, bar, size), 120, 45)
    pen.paste(_strip(person, sheet), *sheet.at_mm)
    return pen.image


def _decided(tmp_path: Path, page: Image.Image, people: list[Person]) -> Link:
    return sheet_decided(tmp_path, page, people, following=4)


@pytest.fixture(scope="module")
def two() -> list[Person]:
    return make_people(18, seed=31)[16:18]


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_a_reference_over_another_childs_details_at_right_angles_goes_to_a_person(
    tmp_path: Path, two: list[Person], sheet: Sheet
) -> None:
    owner, other = two
    link = _decided(tmp_path, _draw(other, owner, sheet), two)
    assert link.read_reference == owner.case_reference, "the reference itself reads"
    assert link.state == "needs_review", link.reason
    assert other.case_reference in [c.case_reference for c in link.candidates], link.candidates


@pytest.mark.parametrize("sheet", SHEETS.values(), ids=SHEETS.keys())
def test_the_same_sheet_naming_its_own_child_at_right_angles_is_linked(
    tmp_path: Path, two: list[Person], sheet: Sheet
) -> None:
    owner, _ = two
    link = _decided(tmp_path, _draw(owner, owner, sheet), two)
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason


def test_a_barcoded_sheet_naming_no_one_under_a_stamp_along_its_edge_is_linked(
    tmp_path: Path, two: list[Person]
) -> None:
    """Print the upright read left unread is read the other ways up, and naming no one it changes nothing."""
    owner, _ = two
    pen = Pen.blank(DPI)
    pen.text(25, 18, "Children's Services", 16, "sans-bold")
    pen.paste(label(owner.case_reference, "qr", 0.6, 12), 120, 45)
    stamp = Image.new("L", (pen.px(90), pen.px(14)), 255)
    ImageDraw.Draw(stamp).text((pen.px(3), pen.px(2)), "CONFIDENTIAL", font=pen.font("sans-bold", 26), fill=0)
    pen.paste(stamp.rotate(90, expand=True), 12, 80)
    link = _decided(tmp_path, pen.image, two)
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason
