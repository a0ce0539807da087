"""Front sheets a sixteenth helper drew, whose reference cannot be read (blacked out, or printed
white on a dark band): a thin round "RECEIVED" stamp crossing right-aligned labels, or a skewed
grey sheet whose "DOB:" read wider beside its value came out "Dos: osoL7014". Each merged into the
case file before it, which was linked automatically. Drawn here in variants of our own: the page
must start its own case file, or the case file it joins must wait for a person."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES

NARROW = "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf"
PROSE = (
    "The social worker visited the family home and spoke with the child alone. The bedroom was",
    "tidy and there was food in the kitchen. Concerns remain about contact with the former partner.",
)


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(6, seed=211)


def _ring(page: Image.Image, centre_mm: tuple[float, float], ink: int) -> Image.Image:
    """A round date stamp 30 mm across, its outline 0.5 mm, pressed in `ink` grey."""
    mm = page.width / 210
    layer = Image.new("L", page.size, 255)
    draw = ImageDraw.Draw(layer)
    x, y = centre_mm[0] * mm, centre_mm[1] * mm
    for radius, width in ((15, 0.5), (13.5, 0.3)):
        draw.ellipse(
            (x - radius * mm, y - radius * mm, x + radius * mm, y + radius * mm), outline=ink, width=round(width * mm)
        )
    font = ImageFont.truetype(TYPEFACES["dejavu-bold"], round(3.2 * mm))
    draw.text((x, y - 3 * mm), "RECEIVED", font=font, fill=ink, anchor="mm")
    draw.text((x, y + 2 * mm), "12 MAR 2021", font=font, fill=ink, anchor="mm")
    return ImageChops.multiply(page, layer.rotate(-12, center=(x, y), fillcolor=255))


def _right_aligned(person: Person, face: str, points: int, dpi: int) -> Image.Image:
    """A heading, then three right-aligned fields, the reference blacked out, and a paragraph."""
    mm = dpi / 25.4
    page = Image.new("L", (round(210 * mm), round(297 * mm)), 250)
    draw = ImageDraw.Draw(page)
    draw.text(
        (20 * mm, 22 * mm),
        "Diocesan Safeguarding Team",
        font=ImageFont.truetype(TYPEFACES[face], round(16 * dpi / 72)),
        fill=20,
    )
    font = ImageFont.truetype(TYPEFACES[face], round(points * dpi / 72))
    right = 190 * mm
    rows = (
        ("Reference number: ", None),
        ("Name: ", person.name),
        ("Date of birth: ", f"{person.date_of_birth:%d/%m/%Y}"),
    )
    for row, (label, value) in enumerate(rows):
        top = (36 + 6 * row) * mm
        if value is None:
            draw.rectangle((right - 28 * mm, top, right, top + 4 * mm), fill=0)
            draw.text((right - 29 * mm, top), label, font=font, fill=20, anchor="ra")
        else:
            draw.text((right, top), label + value, font=font, fill=20, anchor="ra")
    for row, line in enumerate(PROSE):
        draw.text(
            (20 * mm, (100 + 6 * row) * mm),
            line,
            font=ImageFont.truetype(TYPEFACES[face], round(9 * dpi / 72)),
            fill=20,
        )
    return page


def _banded(person: Person, paper: int, turn: float, dpi: int) -> Image.Image:
    """Grey paper, "Ref No." white on a dark band with its value blacked out, then "Name:" and
    "DOB:" below in a narrow 10 pt face, the sheet fed askew."""
    mm = dpi / 25.4
    page = Image.new("L", (round(210 * mm), round(297 * mm)), paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(NARROW, round(10 * dpi / 72))
    draw.rectangle((20 * mm, 25 * mm, 190 * mm, 33 * mm), fill=40)
    draw.text((23 * mm, 27 * mm), "Ref No.", font=font, fill=235)
    draw.rectangle((70 * mm, 27 * mm, 100 * mm, 31 * mm), fill=0)
    draw.text((22 * mm, 40 * mm), f"Name: {person.name}", font=font, fill=25)
    draw.text((22 * mm, 46 * mm), f"DOB: {person.date_of_birth:%d/%m/%Y}", font=font, fill=25)
    for row, line in enumerate(PROSE):
        draw.text((22 * mm, (110 + 6 * row) * mm), line, font=font, fill=25)
    return page.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor=paper)


def _merged_silently(tmp_path: Path, people: list[Person], cover: Image.Image, dpi: int) -> list:
    pages = [draw_cover(people[0], "labelled", dpi), draw_continuation(12, dpi), cover, draw_continuation(13, dpi)]
    files = identify_file(write_pdf(pages, tmp_path / "batch.pdf", dpi), ScanOptions(workers=1)).case_files
    holder = next(f for f in files if f.first_page <= 3 <= f.last_page)
    return [] if holder.first_page == 3 or holder.doubts else [(f.first_page, f.last_page) for f in files]


@pytest.mark.parametrize(
    "face, points, centre, ink, dpi",
    [
        ("dejavu-mono", 12, (150, 40), 120, 300),
        ("liberation-sans", 11, (140, 38), 140, 200),
        ("liberation-serif", 12, (155, 42), 100, 300),
        ("dejavu", 10, (160, 40), 130, 200),
    ],
)
def test_a_round_stamp_across_right_aligned_labels_never_hides_the_front_sheet(
    tmp_path: Path,
    people: list[Person],
    face: str,
    points: int,
    centre: tuple[float, float],
    ink: int,
    dpi: int,
) -> None:
    cover = _ring(_right_aligned(people[3], face, points, dpi), centre, ink)
    assert _merged_silently(tmp_path, people, cover, dpi) == []


@pytest.mark.parametrize("paper, turn, dpi", [(209, -2.6, 200), (225, 2.2, 200), (215, -1.8, 300)])
def test_a_skewed_sheet_whose_reference_is_on_a_dark_band_never_hides(
    tmp_path: Path, people: list[Person], paper: int, turn: float, dpi: int
) -> None:
    assert _merged_silently(tmp_path, people, _banded(people[4], paper, turn, dpi), dpi) == []
