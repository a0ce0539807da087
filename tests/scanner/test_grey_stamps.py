"""A rubber stamp in grey or dark ink across a front sheet's whole block of fields, on a grey scan:
the stamp's letters fall between the field lines and run none of them together, so the triage
saw no muddle to look past, and a tester's covers so stamped merged into the case file before
them, which was linked automatically (6 times in 6 with grey ink). Drawn here, not by `synthetic`."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, stamped

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(12, seed=17)


def _cover(person: Person, labels: tuple[str, str, str], face: str, points: int, dpi: int) -> Image.Image:
    """A plain front sheet: a heading, three fields in a column (label, then value 30 mm on)."""
    mm = dpi / 25.4
    page = Image.new("L", (round(210 * mm), round(297 * mm)), 255)
    draw = ImageDraw.Draw(page)
    draw.text((25 * mm, 22 * mm), "Diocese of Westmere - Safeguarding", font=ImageFont.truetype(BOLD, round(dpi / 5)))
    font = ImageFont.truetype(TYPEFACES[face], round(points * dpi / 72))
    values = (person.case_reference, person.name, f"{person.date_of_birth:%d/%m/%Y}")
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        draw.text((25 * mm, (40 + 8 * row) * mm), label, font=font, fill=0)
        draw.text((58 * mm, (40 + 8 * row) * mm), value, font=font, fill=0)
    draw.text((25 * mm, 72 * mm), "Opened: 09/02/2021", font=font, fill=0)
    return page


@pytest.mark.parametrize(
    "labels, face, points, ink, turn, dpi",
    [
        (("Ref No.", "Name:", "Date of birth:"), "liberation-sans", 10, 120, 3, 300),
        (("Case No:", "Child:", "DOB:"), "dejavu", 10, 140, -4, 300),
        (("Reference number", "Name", "D.O.B."), "liberation-serif", 11, 110, 2, 200),
        (("File No.", "Subject", "Born"), "liberation-sans", 12, 150, -2, 200),
        (("Our ref", "Name:", "Date of birth:"), "dejavu", 10, 70, 5, 300),
    ],
)
def test_a_cover_stamped_across_its_fields_is_never_merged_silently(
    tmp_path: Path,
    people: list[Person],
    labels: tuple[str, str, str],
    face: str,
    points: int,
    ink: int,
    turn: float,
    dpi: int,
) -> None:
    """Its pages start their own case file, or the case file they join waits for a person."""
    cover = stamped(_cover(people[4], labels, face, points, dpi), ink, turn)
    pages = [draw_cover(people[1], "boxed", dpi), draw_continuation(7, dpi), cover, draw_continuation(8, dpi)]
    files = identify_file(write_pdf(pages, tmp_path / "batch.pdf", dpi), ScanOptions(workers=1)).case_files
    holder = next(f for f in files if f.first_page <= 3 <= f.last_page)
    assert holder.first_page == 3 or holder.doubts, [(f.first_page, f.last_page, f.doubts) for f in files]
