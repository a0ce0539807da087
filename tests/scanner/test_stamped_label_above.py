"""A front sheet whose labels stand above boxed values, stamped across its first two fields, so
that of its three labels only the birth label shows. The stamp's three lines made the top count
as busy as a letter's, where a birth label alone is no cover's evidence; yet the page is mostly
blank. A tester's cover so drawn (grey stamp, 200 dpi) merged into the case file before it, which
was linked automatically. Drawn here, not by `synthetic`, in layouts and inks of our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, stamped


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(8, seed=41)


def _cover(person: Person, heading: str, labels: tuple[str, str, str], face: str, dpi: int) -> Image.Image:
    """A heading, then three fields down the page: a small label, and under it its value in a
    ruled box 105 mm wide."""
    mm = dpi / 25.4
    page = Image.new("L", (round(210 * mm), round(297 * mm)), 255)
    draw = ImageDraw.Draw(page)
    draw.text((30 * mm, 22 * mm), heading, font=ImageFont.truetype(TYPEFACES["liberation-sans-bold"], round(dpi / 5)))
    small, value_font = (ImageFont.truetype(TYPEFACES[face], round(points * dpi / 72)) for points in (8, 11))
    values = (person.case_reference, person.name, f"{person.date_of_birth:%d/%m/%Y}")
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = (40 + 17 * row) * mm
        draw.text((30 * mm, top), label, font=small, fill=0)
        draw.rectangle((30 * mm, top + 4 * mm, 135 * mm, top + 12 * mm), outline=0, width=max(1, round(0.25 * mm)))
        draw.text((32 * mm, top + 5.5 * mm), value, font=value_font, fill=0)
    return page


@pytest.mark.parametrize(
    "heading, labels, face, ink, turn, dpi",
    [
        ("Adult Safeguarding Case File", ("Ref No", "Name", "Date of birth"), "liberation-sans", 90, 2, 200),
        ("Children's Services", ("Case No.", "Child", "Date of Birth"), "dejavu", 130, -3, 200),
        ("Early Help Record", ("File No", "Full name", "Date of birth"), "liberation-serif", 80, -2, 300),
        ("Safeguarding front sheet", ("Our ref", "Subject", "DOB"), "liberation-mono", 150, -1, 300),
    ],
)
def test_a_cover_whose_stamp_leaves_only_its_birth_label_starts_its_own_case_file(
    tmp_path: Path,
    people: list[Person],
    heading: str,
    labels: tuple[str, str, str],
    face: str,
    ink: int,
    turn: float,
    dpi: int,
) -> None:
    cover = stamped(_cover(people[3], heading, labels, face, dpi), ink, turn, at_mm=(27, 35))
    pages = [draw_cover(people[1], "boxed", dpi), draw_continuation(5, dpi), cover, draw_continuation(6, dpi)]
    files = identify_file(write_pdf(pages, tmp_path / "batch.pdf", dpi), ScanOptions(workers=1)).case_files
    holder = next(f for f in files if f.first_page <= 3 <= f.last_page)
    assert holder.first_page == 3 or holder.doubts, [(f.first_page, f.last_page, f.doubts) for f in files]
