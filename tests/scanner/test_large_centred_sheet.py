"""A front sheet that prints its reference alone, centred, in print of 24 to 30 pt, the name and
a date of birth in words below it, with no label at all and punch holes in the margin. A fresh
tester's such sheets (DejaVu Serif, grey or white paper, 200 or 300 dpi) were swallowed by the
case file before them, still linked automatically: a line of print that large is taller than
lines run together, so triage read only its first 14 mm ("CS:"). A second tester's printed the
reference's hyphens spaced out ("LBH   -   2023   -   0098"), so the line split into pieces of
which the first read "LBH", and merged so too. Real tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from synthetic.drawing import font
from synthetic.people import Person
from tests.support.covers import DPI, batch_behind_a_cover, own_cover, px


def _centred(person: Person, points: int, face: str, paper: int, spacing: str = "-") -> Image.Image:
    page = Image.new("L", (px(210), px(297)), paper)
    pen = ImageDraw.Draw(page)
    lines = [
        (person.case_reference.replace("-", spacing), points + 6, 40),
        (f"{person.forename} {person.surname}", points, 62),
        (f"{person.date_of_birth.day} {person.date_of_birth:%B %Y}", points - 4, 80),
    ]
    for text, size, top in lines:
        letters = font(face, round(size / 72 * DPI))
        width = pen.textlength(text, font=letters)
        pen.text(((page.width - width) / 2, px(top)), text, font=letters, fill=20)
    for top in (90, 150):
        pen.ellipse((px(4), px(top), px(10), px(top + 6)), fill=70)
    return page


@pytest.mark.parametrize(
    ("points", "face", "paper", "dpi"),
    [(21, "serif", 245, 300), (24, "serif", 255, 200), (22, "lib-serif", 232, 300), (20, "sans", 250, 300)],
)
def test_a_reference_centred_alone_in_large_print_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], points: int, face: str, paper: int, dpi: int
) -> None:
    cover = own_cover(batch_behind_a_cover(tmp_path, people, _centred(people[4], points, face, paper), dpi=dpi))
    assert cover.case_reference == people[4].case_reference


@pytest.mark.parametrize(
    ("points", "face", "spacing", "dpi"),
    [(20, "sans-bold", "   -   ", 200), (12, "sans-bold", "   -   ", 300), (24, "lib-serif-bold", "  -  ", 200)],
)
def test_a_reference_with_its_separators_spaced_out_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], points: int, face: str, spacing: str, dpi: int
) -> None:
    page = _centred(people[5], points, face, 250, spacing)
    result = batch_behind_a_cover(tmp_path, people, page, dpi=dpi)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
