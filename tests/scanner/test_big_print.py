"""A front sheet whose reference stands alone in large bold print (28-40 pt, no label) over
the child's name and date of birth, unlabelled: on the triage copy its stems and bowls run as tall as its line, and the
line was taken for a barcode's bars and never read. A tester's six such covers at 150 dpi merged
into one case file, linked automatically. Drawn here in faces and sizes of our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, batch_behind_a_cover, px

BOLD_FACES = {
    "dejavu-bold": TYPEFACES["dejavu-bold"],
    "liberation-sans-bold": TYPEFACES["liberation-sans-bold"],
    "liberation-serif-bold": "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    "dejavu-mono-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
}


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(6, seed=71)


def _cover(person: Person, face: str, points: int) -> Image.Image:
    page = Image.new("L", (px(210), px(297)), 250)
    draw = ImageDraw.Draw(page)
    draw.text((px(20), px(15)), "Children's Services - Confidential", font=ImageFont.truetype(TYPEFACES["dejavu"], 38))
    big = ImageFont.truetype(BOLD_FACES[face], round(points * 300 / 72))
    draw.text((px(105), px(45)), person.case_reference, font=big, fill=10, anchor="mm")
    small = ImageFont.truetype(TYPEFACES["dejavu"], 50)
    draw.text((px(40), px(70)), person.name, font=small, fill=10)
    draw.text((px(40), px(80)), f"{person.date_of_birth:%d %B %Y}", font=small, fill=10)
    return page


@pytest.mark.parametrize(
    "face, points, dpi",
    [
        ("dejavu-bold", 36, 150),
        ("liberation-sans-bold", 40, 150),
        ("liberation-serif-bold", 32, 200),
        ("dejavu-mono-bold", 30, 150),
        ("dejavu-bold", 28, 300),
    ],
)
def test_a_reference_in_large_bold_print_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], face: str, points: int, dpi: int
) -> None:
    result = batch_behind_a_cover(tmp_path, people, _cover(people[3], face, points), dpi)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and people[3].case_reference in [c.case_reference for c in cover.candidates]
