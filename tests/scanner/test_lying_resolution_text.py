"""A lying header on covers whose text misleads the measure of text size: small labels under a big
heading, or a sparse sheet of small type. The text cannot always tell a 300 dpi page stating 400 or
600 dpi from an honest one; such a cover must still start its own case file (read, or waiting for
a person as unreadable) or at least leave a doubt that sends the case file to review, never join
the case file before it unnoticed. Drawn here, not by `synthetic`."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin

from export.attachments import Cut, cut_scan
from scanner import ScanOptions, identify_file, render_page
from synthetic.drawing import font
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import make_people

DPI = 300


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def _font(points: float, face: str) -> ImageFont.FreeTypeFont:
    return font(face, round(points / 72 * DPI))


def _cover(reference: str, name: str, points: float, face: str, heading_points: float, skew: float) -> Image.Image:
    """An A4 front sheet: one or two big headings, then three small labelled fields, nothing else."""
    page = Image.new("L", (_px(210), _px(297)), 255)
    draw = ImageDraw.Draw(page)
    draw.text((_px(20), _px(18)), "Safeguarding Case File", font=_font(heading_points, "sans-bold"), fill=0)
    draw.text((_px(20), _px(32)), "Confidential", font=_font(heading_points * 0.8, "sans-bold"), fill=0)
    small = _font(points, face)
    for row, (label, value) in enumerate((("Ref No.", reference), ("Name:", name), ("Date of birth:", "19/03/2012"))):
        top = _px(50 + row * points * 0.7)
        draw.text((_px(20), top), label, font=small, fill=0)
        draw.text((_px(60), top), value, font=small, fill=0)
    return page.rotate(skew, fillcolor=255) if skew else page


def _tiff(pages: list[tuple[Image.Image, int]], path: Path) -> Path:
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tiff:
        for page, dpi in pages:
            page.save(tiff, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
            tiff.newFrame()
    return path


@pytest.mark.parametrize(
    "points, face, heading, skew, stated",
    [
        (9, "lib-serif", 20, 0.0, 400),
        (9, "lib-serif", 20, 1.5, 400),
        (10, "lib-serif", 20, 0.0, 600),
        (8, "sans", 18, 0.0, 600),
        (10, "lib-mono", 16, 0.0, 400),
    ],
)
def test_a_lying_cover_of_small_type_under_big_headings_is_never_merged(
    tmp_path: Path, points: float, face: str, heading: float, skew: float, stated: int
) -> None:
    first = _cover("CP-2023-0109", "Isaac Reid", 12, "sans", 20, 0.0)
    second = _cover("CP-2023-0108", "Hannah Moss", points, face, heading, skew)
    path = _tiff(
        [
            (first, DPI),
            (draw_continuation(6, DPI).convert("L"), DPI),
            (second, stated),
            (draw_continuation(7, DPI).convert("L"), stated),
        ],
        tmp_path / "batch.tif",
    )
    files = identify_file(path, ScanOptions(workers=1)).case_files
    assert files[0].cover is not None and files[0].cover.case_reference == "CP-2023-0109"
    if [(f.first_page, f.last_page) for f in files] == [(1, 2), (3, 4)]:
        assert files[1].cover is not None and files[1].cover.case_reference in ("CP-2023-0108", None)
    else:  # one case file, but never a confident one: the cover's page is a doubt, so it goes to review
        assert [(f.first_page, f.last_page) for f in files] == [(1, 4)]
        assert 3 in dict(files[0].doubts)


@pytest.mark.parametrize("suffix", [".jpg", ".tif", ".png"])
def test_the_preview_and_the_export_size_a_lying_page_as_identification_reads_it(tmp_path: Path, suffix: str) -> None:
    """A 300 dpi A4 cover stating 600 dpi was previewed for review at half size and exported as an
    A6 sheet: the page a person sees must be the one the scanner read."""
    path = tmp_path / f"cover{suffix}"
    draw_cover(make_people(1)[0], "labelled", DPI).convert("L").save(path, dpi=(600, 600))
    assert render_page(path, 1, dpi=100).size == (827, 1169)
    [result] = cut_scan((path, [Cut(1, 1, 1, tmp_path / "out.pdf")]))
    assert result.error is None
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


@pytest.mark.parametrize("stated_dpi, shrunk", [(72, True), (300, False)])
def test_a_pdf_page_stated_huge_is_exported_as_the_sheet_identification_reads(
    tmp_path: Path, stated_dpi: int, shrunk: bool
) -> None:
    """A tool that wrapped a 300 dpi A4 scan as if it were 72 dpi wrote an 875 x 1238 mm PDF page:
    identified as A4, it was exported at 875 mm. Now its drawing is scaled to A4, its image's bytes
    untouched; an honest A4 page is copied as it is."""
    path = write_pdf([draw_cover(make_people(1)[0], "labelled", DPI)], tmp_path / "wrapped.pdf", stated_dpi)
    [result] = cut_scan((path, [Cut(1, 1, 1, tmp_path / "out.pdf")]))
    assert result.error is None
    with pikepdf.open(path) as original, pikepdf.open(tmp_path / "out.pdf") as pdf:
        page, before = pdf.pages[0], original.pages[0]
        width, height = (float(v) / 72 * 25.4 for v in page.mediabox[2:])
        [image] = page.get_images().values()
        [stored] = before.get_images().values()
        assert image.read_raw_bytes() == stored.read_raw_bytes()
        assert (page.mediabox == before.mediabox) is not shrunk
    assert (round(width), round(height)) == (210, 297)
    width_px, height_px = render_page(tmp_path / "out.pdf", 1, dpi=100).size
    assert width_px == 827 and abs(height_px - 1169) <= 1  # A4 at 100 dpi, give or take a pixel's rounding
