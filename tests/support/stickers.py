"""Stuck-on labels and sticker sheets drawn for the barcode tests, and the batch each sits in:
behind another cover and a continuation page, so a cover missed shows as a merge."""

from __future__ import annotations

from pathlib import Path

import numpy
import zxingcpp
from PIL import Image

from scanner import ScanOptions, identify_file
from scanner.model import ScanResult
from synthetic.drawing import Pen
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person

DPI = 300
FORMATS = {
    "code39": zxingcpp.BarcodeFormat.Code39,
    "code128": zxingcpp.BarcodeFormat.Code128,
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
}


def label(text: str, symbology: str, bar_mm: float, height_mm: float, slant: float = 0.0) -> Image.Image:
    """A stuck-on label as a printer makes it: `bar_mm` narrow bars (modules), at a slant in degrees."""
    module = max(1, round(bar_mm / 25.4 * DPI))
    options = {"force_square": True} if symbology == "datamatrix" else {}
    symbol = zxingcpp.create_barcode(text, FORMATS[symbology], **options)
    picture = Image.fromarray(numpy.asarray(symbol.to_image(scale=module, add_quiet_zones=True))).convert("L")
    if symbology not in ("qr", "datamatrix"):
        picture = picture.resize((picture.width, round(height_mm / 25.4 * DPI)), Image.Resampling.NEAREST)
    return picture.rotate(slant, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def cover_with(
    person: Person,
    *labels: Image.Image,
    layout: str = "labelled",
    at_mm: tuple[float, float] = (95, 40),
    **kwargs: object,
) -> Image.Image:
    page = draw_cover(person, layout, DPI, **kwargs)  # type: ignore[arg-type]
    x = round(at_mm[0] / 25.4 * DPI)
    for picture in labels:
        page.paste(picture, (x, round(at_mm[1] / 25.4 * DPI)))
        x += picture.width + round(8 / 25.4 * DPI)
    return page


def batch(tmp_path: Path, people: list[Person], last: Image.Image) -> ScanResult:
    pages = [draw_cover(people[0], "boxed", DPI), draw_continuation(5, DPI), last, draw_continuation(6, DPI)]
    return identify_file(write_pdf(pages, tmp_path / "batch.pdf", DPI), ScanOptions())


def pages_of(result: ScanResult) -> list[tuple[int, int]]:
    return [(c.first_page, c.last_page) for c in result.case_files]


def assert_both_codes_kept(result: ScanResult, one: Person, other: Person) -> None:
    """The cover after the first case file starts its own, names no case, and offers both codes' references."""
    assert pages_of(result) == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and cover.case_reference is None
    assert {c.case_reference for c in cover.candidates if c.method == "barcode"} == {
        one.case_reference,
        other.case_reference,
    }


def sticker_sheet(person: Person, code: Image.Image | None, at_mm: tuple[float, float], face: str) -> Image.Image:
    """A front sheet named only by a code: a heading, the person's name and date of birth with no
    labels, and a sticker (`code`) or nothing."""
    pen = Pen.blank(DPI)
    pen.text(22, 25, "Safeguarding file", 16, f"{face}-bold")
    pen.text(22, 45, f"{person.forename} {person.surname}".upper(), 12, face)
    pen.text(22, 53, person.date_of_birth.strftime("%d/%m/%Y"), 12, face)
    if code is not None:
        pen.paste(code, *at_mm)
    return pen.image


def grainy(page: Image.Image, sigma: float, seed: int) -> Image.Image:
    """The page with Gaussian grain, as a scanner's sensor adds it."""
    pixels = numpy.asarray(page, dtype=numpy.float32)
    pixels += numpy.random.default_rng(seed).normal(0.0, sigma, pixels.shape).astype(numpy.float32)
    return Image.fromarray(numpy.clip(pixels, 0, 255).astype(numpy.uint8))
