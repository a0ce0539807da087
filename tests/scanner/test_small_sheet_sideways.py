"""A small front sheet (an index card, an A5 slip) scanned lying a quarter turn on white A4. A
fresh tester's A6 card, framed by a thin light-grey outline, was merged silently into the case
file before it, three times in three: the outline's long sides banded the page's row profile,
so the page seemed upright and its sideways lines were never read. Real tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from synthetic.drawing import font
from synthetic.people import Person
from tests.support.covers import DPI, batch_behind_a_cover, own_cover, px

SHEETS_MM = {"A6 card": (105, 148), "A6 card, landscape": (148, 105), "A5 slip": (148, 210)}


def _sheet(person: Person, size_mm: tuple[int, int], frame: int | None) -> Image.Image:
    """A sheet of `size_mm` with its fields near its top, its edge outlined in `frame` grey (as a
    scanner's light shows a card's edge), or not."""
    sheet = Image.new("L", (px(size_mm[0]), px(size_mm[1])), 255)
    pen = ImageDraw.Draw(sheet)
    if frame is not None:
        pen.rectangle((0, 0, sheet.width - 1, sheet.height - 1), outline=frame, width=px(0.3))
    lines = [
        ("Referral card", 13, "lib-sans-bold"),
        (f"Case ref: {person.case_reference}", 11, "lib-sans"),
        (f"Name: {person.name}", 11, "lib-sans"),
        (f"DOB: {person.date_of_birth:%d/%m/%Y}", 11, "lib-sans"),
    ]
    for row, (text, points, face) in enumerate(lines):
        pen.text((px(10), px(12 + 8 * row)), text, font=font(face, round(points / 72 * DPI)), fill=20)
    return sheet


def _on_a4(sheet: Image.Image, turn: int, centred: bool) -> Image.Image:
    """The sheet turned `turn` degrees, laid on a white A4 scan, in its middle or its corner."""
    sheet = sheet.rotate(turn, expand=True)
    page = Image.new("L", (px(210), px(297)), 255)
    at = ((page.width - sheet.width) // 2, (page.height - sheet.height) // 2) if centred else (px(8), px(8))
    page.paste(sheet, at)
    return page


@pytest.mark.parametrize("turn", [90, 270, 0])
@pytest.mark.parametrize("frame", [220, 60, None], ids=["light outline", "dark outline", "no outline"])
@pytest.mark.parametrize("size", SHEETS_MM)
def test_a_small_sheet_lying_sideways_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], size: str, frame: int | None, turn: int
) -> None:
    page = _on_a4(_sheet(people[5], SHEETS_MM[size], frame), turn, centred=True)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference == people[5].case_reference


@pytest.mark.parametrize("turn", [90, 270])
@pytest.mark.parametrize("size", ["A6 card", "A5 slip"])
def test_an_outlined_sheet_in_the_scanners_corner_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], size: str, turn: int
) -> None:
    page = _on_a4(_sheet(people[6], SHEETS_MM[size], 220), turn, centred=False)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference == people[6].case_reference
