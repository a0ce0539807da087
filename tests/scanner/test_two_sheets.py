"""Two sheets laid side by side on the glass and scanned as one image: a child's last page beside
the next child's front sheet. A tester's such scan was linked, both sheets, to the next child:
the child's page went into someone else's record. The case file the image starts now waits for a
person; a landscape page of one sheet, or a front sheet scanned sideways, does not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from catalogue.linking import decide
from config.settings import load_settings
from scanner import ScanOptions, identify_file
from scanner.doubts import two_sheets
from scanner.imaging import ink
from store.states import State
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES
from tests.support.siblings import index_of


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(8, seed=83)


def _side_by_side(left: Image.Image, right: Image.Image, gap: int) -> Image.Image:
    glass = Image.new("L", (left.width + gap + right.width, max(left.height, right.height)), 255)
    glass.paste(left.convert("L"), (0, 0))
    glass.paste(right.convert("L"), (left.width + gap, 0))
    return glass


@pytest.mark.parametrize(
    "layout, dpi, gap, turn",
    [
        ("labelled", 200, 0, 0),
        ("boxed", 300, 60, 0),
        ("diocesan-table", 200, 20, 0),
        ("form", 300, 0, 0),
        ("labelled", 200, 30, 90),
        ("diocesan-table", 300, 0, 270),
    ],
)
def test_a_front_sheet_scanned_beside_the_last_page_before_it_waits_for_a_person(
    tmp_path: Path, people: list[Person], layout: str, dpi: int, gap: int, turn: int
) -> None:
    child, next_child = people[5], people[6]
    glass = _side_by_side(draw_continuation(62, dpi), draw_cover(next_child, layout, dpi), gap)
    pages = [
        draw_cover(child, "labelled", dpi),
        draw_continuation(61, dpi),
        glass.rotate(turn, expand=True),
        draw_continuation(63, dpi),
    ]
    path = write_pdf(pages, tmp_path / "batch.pdf", dpi)
    case_files = identify_file(path, ScanOptions()).case_files
    links = [
        decide(c, index_of(people), closed=False, location=None, settings=load_settings(environ={})) for c in case_files
    ]
    assert links[0].state == State.LINKED_AUTO and (links[0].first_page, links[0].last_page) == (1, 2)
    assert all(link.state != State.LINKED_AUTO for link in links[1:]), [link.reason for link in links]
    assert any("side by side" in link.reason for link in links[1:]), [link.reason for link in links]


def _landscape_table(dpi: int) -> np.ndarray:
    """A spreadsheet printed landscape: columns of figures with wide gaps, no blank band the page's height."""
    page = Image.new("L", (round(297 * dpi / 25.4), round(210 * dpi / 25.4)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(TYPEFACES["dejavu"], round(10 * dpi / 72))
    draw.text((dpi, dpi // 2), "Quarterly caseload by team and month " * 3, font=font, fill=0)
    for row in range(30):
        for column in range(6):
            draw.text((dpi + column * dpi * 1.7, dpi + row * dpi // 4), f"{row * 7 + column:>6}", font=font, fill=0)
    return ink(page.resize((page.width * 100 // dpi, page.height * 100 // dpi)))


@pytest.mark.parametrize("quarters", [0, 1, 3])
def test_one_landscape_sheet_is_not_two_whichever_way_it_lies(quarters: int) -> None:
    assert two_sheets(np.rot90(_landscape_table(200), quarters), 100) is None


def test_a_front_sheet_scanned_sideways_is_one_sheet(people: list[Person]) -> None:
    cover = draw_cover(people[3], "labelled", 200).rotate(90, expand=True)
    assert two_sheets(ink(cover.resize((cover.width // 2, cover.height // 2))), 100) is None


def test_two_portrait_sheets_on_one_image_are_two(people: list[Person]) -> None:
    glass = _side_by_side(draw_continuation(64, 200), draw_cover(people[2], "boxed", 200), 0)
    assert two_sheets(ink(glass.resize((glass.width // 2, glass.height // 2))), 100) is not None
