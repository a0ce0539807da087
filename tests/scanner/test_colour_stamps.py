"""Coloured rubber stamps across a cover's fields, on colour scans: the page is read again with
its coloured ink left out. Real tesseract on rendered pages, written as colour JPEG PDFs, PNGs
and TIFFs, as a colour scanner or a phone app writes them."""

from __future__ import annotations

from pathlib import Path

import img2pdf
import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from scanner.colour import has_coloured_ink, without_coloured_ink
from scanner.model import ScanResult
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
RED, BLUE, PURPLE = (200, 30, 40), (40, 60, 190), (120, 40, 150)


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(30, seed=3)


def _stamped(page: Image.Image, colour: tuple[int, int, int], turn: float, across: float, down: float) -> Image.Image:
    """The page in colour, a framed "RECEIVED / 12 MAR 2024" stamp inked over it (multiplied, as
    ink on paper: the print under it stays dark), centred at (`across`, `down`) of the page."""
    dpi = page.width / 8.27
    mark = Image.new("L", (round(3.2 * dpi), round(1.3 * dpi)), 0)
    pen = ImageDraw.Draw(mark)
    pen.rounded_rectangle(
        (4, 4, mark.width - 5, mark.height - 5), radius=round(dpi / 10), outline=255, width=max(3, round(dpi / 40))
    )
    for text, down_in, size_in in (("RECEIVED", 0.45, 0.38), ("12 MAR 2024", 0.95, 0.2)):
        font = ImageFont.truetype(BOLD, round(dpi * size_in))
        pen.text((mark.width // 2, round(down_in * dpi)), text, font=font, fill=255, anchor="mm")
    mark = mark.rotate(turn, expand=True)
    coloured = page.convert("RGB")
    left, top = round(page.width * across) - mark.width // 2, round(page.height * down) - mark.height // 2
    box = (left, top, left + mark.width, top + mark.height)
    under = coloured.crop(box)
    inked = ImageChops.multiply(under, Image.new("RGB", mark.size, colour))
    coloured.paste(Image.composite(inked, under, mark.point(lambda v: v * 85 // 100)), box[:2])
    return coloured


def _jpeg_pdf(pages: list[Image.Image], path: Path, dpi: int) -> Path:
    encoded = []
    for number, page in enumerate(pages):
        jpeg = path.with_name(f"{path.stem}-{number}.jpg")
        page.convert("RGB").save(jpeg, "JPEG", quality=85, dpi=(dpi, dpi))
        encoded.append(jpeg.read_bytes())
    path.write_bytes(img2pdf.convert(encoded, layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))))
    return path


def _batch(tmp_path: Path, people: list[Person], stamped: Image.Image, dpi: int) -> ScanResult:
    """A colour batch: someone else's cover and a page, then the stamped cover and a page."""
    pages = [draw_cover(people[0], "labelled", dpi), draw_continuation(3, dpi), stamped, draw_continuation(4, dpi)]
    return identify_file(_jpeg_pdf(pages, tmp_path / "batch.pdf", dpi), ScanOptions())


def _third_page_cover(result: ScanResult):
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)], result.case_files
    return result.case_files[1].cover


# Each drawn by a trial with the stamp at a random place: in grey, the first merged with the case
# file before it (the stamp's frame ran into the "Our ref" line and hid its start), the others
# split but read no reference.
CASES = [
    ("our-ref-letter", 300, PURPLE, 20.2, 0.55, 0.2, 13),
    ("labelled", 200, PURPLE, 5.2, 0.54, 0.2, 1),
    ("boxed", 300, BLUE, 2.5, 0.41, 0.12, 3),
    ("diocesan-table", 300, BLUE, 11.4, 0.52, 0.12, 9),
    ("reference-number-right", 200, RED, -10.3, 0.58, 0.12, 19),
    ("case-reference-large", 200, RED, 23.6, 0.44, 0.12, 23),
    ("ref-no-small-table", 300, RED, 19.8, 0.46, 0.12, 25),
    ("our-ref-memo", 200, PURPLE, -11.4, 0.54, 0.2, 27),
]


@pytest.mark.parametrize(("layout", "dpi", "colour", "turn", "across", "down", "who"), CASES)
def test_a_coloured_stamp_across_the_fields_neither_merges_nor_hides_the_reference(
    tmp_path: Path,
    people: list[Person],
    layout: str,
    dpi: int,
    colour,
    turn: float,
    across: float,
    down: float,
    who: int,
) -> None:
    person = people[who]
    stamped = _stamped(draw_cover(person, layout, dpi), colour, turn, across, down)
    cover = _third_page_cover(_batch(tmp_path, people, stamped, dpi))
    assert cover is not None and cover.case_reference == person.case_reference, cover


@pytest.mark.parametrize("suffix", ["png", "tif"])
def test_an_image_file_in_colour_is_read_without_its_stamp_too(
    tmp_path: Path, people: list[Person], suffix: str
) -> None:
    person = people[13]
    stamped = _stamped(draw_cover(person, "our-ref-letter", 300), PURPLE, 20.2, 0.55, 0.2)
    path = tmp_path / f"cover.{suffix}"
    stamped.save(path, dpi=(300, 300))
    (case_file,) = identify_file(path, ScanOptions()).case_files
    assert case_file.cover is not None and case_file.cover.case_reference == person.case_reference


def test_a_form_with_its_labels_printed_in_colour_still_shows_them(tmp_path: Path, people: list[Person]) -> None:
    """Leaving colour out is a second look, never the only one: a front sheet whose labels are
    printed in a dropout red, its reference typed in black, still starts its own case file."""
    person = people[5]
    page = Image.new("RGB", (1654, 2339), (250, 250, 248))
    draw = ImageDraw.Draw(page)
    label, value = (
        ImageFont.truetype(BOLD, 42),
        ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 42),
    )
    for row, (name, text) in enumerate(
        [
            ("Case Reference:", person.case_reference),
            ("Name:", person.name),
            ("Date of birth:", f"{person.date_of_birth:%d/%m/%Y}"),
        ]
    ):
        draw.text((160, 300 + row * 110), name, font=label, fill=(215, 40, 40))
        draw.text((700, 300 + row * 110), text, font=value, fill=(20, 20, 20))
    result = _batch(tmp_path, people, page, 200)
    assert _third_page_cover(result) is not None


def test_a_colour_letter_with_a_blue_signature_and_a_logo_stays_a_continuation(
    tmp_path: Path, people: list[Person]
) -> None:
    """Coloured ink that is no stamp (a logo, a signature in blue ink) costs a second look and
    changes nothing: the page still joins the case file before it."""
    page = draw_continuation(7, 200).convert("RGB")
    draw = ImageDraw.Draw(page)
    draw.ellipse((1300, 90, 1500, 290), fill=(20, 120, 60))
    draw.line([(200 + 9 * x, 1900 + int(40 * np.sin(x / 3))) for x in range(60)], fill=(30, 40, 170), width=6)
    assert has_coloured_ink(page)
    pages = [draw_cover(people[0], "labelled", 200), page]
    result = identify_file(_jpeg_pdf(pages, tmp_path / "letter.pdf", 200), ScanOptions())
    assert [(c.first_page, c.last_page, c.doubts) for c in result.case_files] == [(1, 2, ())]


def test_coloured_ink_becomes_paper_and_print_under_it_stays() -> None:
    page = Image.new("L", (400, 200), 245)
    ImageDraw.Draw(page).text((20, 80), "Ref No. ABC-2020-123", font=ImageFont.truetype(BOLD, 24), fill=15)
    grey = page.copy()
    stamped = _stamped(page.resize((827, 200)), RED, 0, 0.5, 0.5).resize((400, 200))
    assert has_coloured_ink(stamped) and not has_coloured_ink(grey.convert("RGB"))
    kept = np.asarray(without_coloured_ink(stamped))
    print_ink = np.asarray(grey) < 100
    assert (kept[print_ink] < 128).mean() > 0.9, "print under the stamp stays dark"
    assert (kept[~print_ink] > 200).mean() > 0.99, "the stamp's own ink is paper now"


PROSE = "the worker visited the family at home and spoke with both parents about the plan"


def _round_stamp(page: Image.Image, colour: tuple[int, int, int], centre_mm: tuple[float, float]) -> Image.Image:
    """A round "RECEIVED" stamp of two rings, 36 and 28 mm across, inked over the 300 dpi page
    (multiplied, as ink on paper) at `centre_mm`."""
    mm = 300 / 25.4
    mark = Image.new("RGB", page.size, (255, 255, 255))
    pen = ImageDraw.Draw(mark)
    x, y = (round(v * mm) for v in centre_mm)
    for radius in (round(18 * mm), round(14 * mm)):
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), outline=colour, width=round(mm))
    pen.text((x, y), "RECEIVED", font=ImageFont.truetype(BOLD, 46), fill=colour, anchor="mm")
    return ImageChops.multiply(page.convert("RGB"), mark)


def _notes_over_a_reference(person: Person, face: str, down_mm: float) -> Image.Image:
    """A page of notes under a heading, and below them a reference with no label over a name:
    below the page's top, a reference counts only read as printed, and a stamp's ring across its
    hyphen makes it read "CSC+2020-720" even with the stamp's ink left out."""
    page = Image.new("L", (2480, 3508), 248)
    draw = ImageDraw.Draw(page)
    mm = 300 / 25.4
    draw.text((round(20 * mm), round(20 * mm)), "Family Support Service", font=ImageFont.truetype(BOLD, 75))
    body = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 46)
    words = PROSE.split()
    for line in range(16):
        text = " ".join(words[(line * 5 + n) % len(words)] for n in range(12))
        draw.text((round(20 * mm), round((40 + 6 * line) * mm)), text, font=body)
    font = ImageFont.truetype(face, 58)
    draw.text((round(20 * mm), round(down_mm * mm)), person.case_reference, font=font)
    draw.text((round(20 * mm), round((down_mm + 10) * mm)), person.name, font=font)
    return page


@pytest.mark.parametrize(
    ("face", "down_mm", "colour", "upside_down", "who"),
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 200, RED, True, 2),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 200, BLUE, False, 4),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", 230, PURPLE, True, 6),
        ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 170, RED, False, 8),
    ],
)
def test_an_unlabelled_reference_low_under_a_stamp_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], face: str, down_mm: float, colour, upside_down: bool, who: int
) -> None:
    person = people[who]
    stamped = _round_stamp(_notes_over_a_reference(person, face, down_mm), colour, (45, down_mm + 4))
    stamped = stamped.rotate(180) if upside_down else stamped
    cover = _third_page_cover(_batch(tmp_path, people, stamped, 300))
    assert cover is not None and cover.case_reference in (person.case_reference, None), cover
