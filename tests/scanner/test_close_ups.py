"""Codes too fine for the page as scanned: a sticker read only on a magnified close-up, a label
beside a square code on a coarse scan, and what a sparse page scanned under 200 dpi leaves when
nothing on it reads. Each sheet sits in a batch behind another cover and a continuation page, so a
cover missed shows as a merge."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from scanner import ScanOptions, identify_file
from scanner.model import ScanResult
from synthetic.files import write_pdf
from synthetic.pages import degrade, draw_continuation, draw_cover
from synthetic.people import Person
from tests.support.stickers import DPI, FORMATS, grainy, pages_of, sticker_sheet


def fine_label(text: str, symbology: str, module_mm: float, slant: float) -> Image.Image:
    """A matrix code whose modules are `module_mm` wide at 300 dpi, not a whole number of pixels
    (0.22 mm is 2.6, so some are two pixels and some three), as a label printer's dots fall; a
    Data Matrix as long references make it, oblong."""
    symbol = zxingcpp.create_barcode(text, FORMATS[symbology])
    picture = Image.fromarray(numpy.asarray(symbol.to_image(scale=1, add_quiet_zones=True))).convert("L")
    width, height = (round(side * module_mm / 25.4 * DPI) for side in picture.size)
    uneven = picture.resize((width, height), Image.Resampling.NEAREST)
    return uneven.rotate(slant, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def printed(text: str, symbology: str, module_mm: float, dpi: int, slant: float) -> Image.Image:
    """A stuck-on label as a scanner at `dpi` sees it: drawn eight times finer (bars or modules of
    `module_mm`, a linear code 10 mm tall) on a white label with a grey edge, turned by `slant`,
    and averaged down, so that bars finer than the scan's pixels come out grey and blurred."""
    symbol = zxingcpp.create_barcode(text, FORMATS[symbology])
    picture = Image.fromarray(numpy.asarray(symbol.to_image(scale=1, add_quiet_zones=True))).convert("L")
    fine = 8 * dpi / 25.4
    height = 10 * fine if symbology in ("code39", "code128") else picture.height * module_mm * fine
    code = picture.resize((round(picture.width * module_mm * fine), round(height)), Image.Resampling.NEAREST)
    pad = round(2 * fine)
    sticker = Image.new("L", (code.width + 2 * pad, code.height + 2 * pad), 255)
    sticker.paste(code, (pad, pad))
    ImageDraw.Draw(sticker).rectangle((0, 0, sticker.width - 1, sticker.height - 1), outline=170, width=4)
    turned = sticker.rotate(slant, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    return turned.resize((turned.width // 8, turned.height // 8), Image.Resampling.BOX)


def stick(page: Image.Image, sticker: Image.Image, at_mm: tuple[float, float], dpi: int) -> None:
    """`sticker` on `page` (at `dpi`), its top left `at_mm` from the page's, darkening only."""
    x, y = (round(mm / 25.4 * dpi) for mm in at_mm)
    under = page.crop((x, y, x + sticker.width, y + sticker.height))
    page.paste(ImageChops.darker(under, sticker), (x, y))


def at_dpi(tmp_path: Path, people: list[Person], third: Image.Image, dpi: int, name: str = "batch") -> ScanResult:
    """The batch (another cover, a continuation page, `third`, a continuation page) scanned at `dpi`."""
    pages = [draw_cover(people[0], "boxed", DPI), draw_continuation(5, DPI), third, draw_continuation(6, DPI)]
    scaled = [page.resize((page.width * dpi // DPI, page.height * dpi // DPI)) for page in pages]
    return identify_file(write_pdf(scaled, tmp_path / f"{name}.pdf", dpi), ScanOptions())


@pytest.mark.parametrize(
    "code, at_mm, face",
    [
        (("datamatrix", 0.22, -12.0), (140, 14), "serif"),
        (("datamatrix", 0.22, 9.0), (30, 100), "sans"),
        (("qr", 0.21, -7.0), (150, 40), "mono"),
    ],
)
def test_a_sticker_readable_only_magnified_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], code: tuple[str, float, float], at_mm: tuple[float, float], face: str
) -> None:
    """A fresh tester's sheet named only by a Data Matrix of 0.22 mm modules turned 12 degrees,
    over a name and a date with no labels, joined the case file before it: zxing reads such a
    code on the 300 dpi page only magnified, and magnifying the whole page costs ~190 ms."""
    person = people[3]
    sticker = fine_label(person.case_reference, *code)
    sheet = grainy(degrade(sticker_sheet(person, sticker, at_mm, face), skew=0.6), 5.0, 3)
    result = at_dpi(tmp_path, people, sheet, DPI)
    assert pages_of(result) == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and cover.case_reference == person.case_reference


@pytest.mark.parametrize("dpi, slant, low_mm", [(150, 10.0, 120), (200, -12.0, 200), (150, 13.0, 90)])
def test_a_slanted_label_beside_a_square_code_on_a_coarse_scan_is_never_passed_over(
    tmp_path: Path, people: list[Person], dpi: int, slant: float, low_mm: float
) -> None:
    """A second tester's cover scanned at 150 dpi: a QR code naming one case at its top, and low
    on the sheet a Code 39 label slanted 10 degrees naming another. The label's coarse bars looked
    upright on the triage copy and were taken for the rows of a linear code already read, though
    none had been: the cover was linked by the QR code alone. It now offers both, or waits for a
    person with a doubt."""
    one, other = people[6], people[7]
    page = draw_cover(one, "labelled", dpi, reference_text="")
    stick(page, printed(one.case_reference, "qr", 0.5, dpi, 0.0), (160, 15), dpi)
    stick(page, printed(other.case_reference, "code39", 0.35, dpi, slant), (20, low_mm), dpi)
    pages = [draw_cover(people[0], "boxed", dpi), draw_continuation(5, dpi), page, draw_continuation(6, dpi)]
    result = identify_file(write_pdf(pages, tmp_path / "batch.pdf", dpi), ScanOptions())
    assert pages_of(result) == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None
    both = {c.case_reference for c in cover.candidates if c.method == "barcode"} == {
        one.case_reference,
        other.case_reference,
    }
    assert (cover.case_reference is None and both) or result.case_files[1].doubts, cover.candidates


@pytest.mark.parametrize(
    "symbology, bar_mm, slant, blur, grain",
    [("code39", 0.17, -15.0, 0.8, 8.0), ("qr", 0.25, -15.0, 0.8, 0.0), ("code128", 0.17, 10.0, 0.5, 15.0)],
)
def test_a_sparse_page_under_200_dpi_that_reads_nothing_holds_its_case_file(
    tmp_path: Path, people: list[Person], symbology: str, bar_mm: float, slant: float, blur: float, grain: float
) -> None:
    """Under the 200 dpi PRODUCT.md asks for, a sticker of 0.17 mm bars is a pixel a bar and reads
    as nothing however it is searched: a tester's sheets bearing one alone, at 150 dpi, joined the
    case file before, linked by OCR. A sparse page there now holds its case file for a person; a
    page of text scanned as coarsely does not, nor a sparse page at 200 dpi."""
    sheet = Image.new("L", (round(210 / 25.4 * 150), round(297 / 25.4 * 150)), 255)
    stick(sheet, printed(people[3].case_reference, symbology, bar_mm, 150, slant), (90, 130), 150)
    blurred = grainy(sheet.filter(ImageFilter.GaussianBlur(blur)), grain, 1)
    pages = [draw_cover(people[0], "boxed", 150), draw_continuation(5, 150), blurred, draw_continuation(6, 150)]
    held = identify_file(write_pdf(pages, tmp_path / "sticker.pdf", 150), ScanOptions())
    assert pages_of(held) in ([(1, 2), (3, 4)], [(1, 4)])
    if pages_of(held) == [(1, 4)]:
        assert [page for page, _ in held.case_files[0].doubts] == [3]
    text = at_dpi(tmp_path, people, draw_continuation(7, DPI), 150, "text")
    assert pages_of(text) == [(1, 4)] and not text.case_files[0].doubts
    plain = at_dpi(tmp_path, people, sticker_sheet(people[3], None, (110, 30), "sans"), 200, "plain")
    assert pages_of(plain) == [(1, 4)] and not plain.case_files[0].doubts
