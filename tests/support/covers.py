"""Front sheets drawn as testers draw them, in a batch behind another cover and a continuation
page, so that a cover the scanner misses shows as a merge."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from scanner import ScanOptions, identify_file
from scanner.model import CoverSheet, ScanResult
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person

DPI = 300
FONTS = {
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "liberation-serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
}
# Faces only some covers are typed in, drawn beside FONTS' two.
TYPEFACES = {
    **FONTS,
    "dejavu-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "dejavu-mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "liberation-mono": "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "liberation-sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "liberation-sans-bold": "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
}


def px(value: float) -> int:
    return round(value / 25.4 * DPI)


def batch_behind_a_cover(
    tmp_path: Path, people: list[Person], page: Image.Image, dpi: int = DPI, writer: str = "img2pdf"
) -> ScanResult:
    """The page (drawn at 300 dpi) behind a cover and a continuation page, all scanned at `dpi`;
    `writer` "pillow" writes the PDF with Pillow's own writer, as small scanning apps write one."""
    if dpi != DPI:
        page = page.resize((round(page.width * dpi / DPI), round(page.height * dpi / DPI)), Image.Resampling.LANCZOS)
    pages = [draw_cover(people[0], "boxed", dpi), draw_continuation(5, dpi), page, draw_continuation(6, dpi)]
    path = tmp_path / "batch.pdf"
    if writer == "pillow":
        grey = [p.convert("L") for p in pages]
        grey[0].save(path, save_all=True, append_images=grey[1:], resolution=dpi)
    else:
        write_pdf(pages, path, dpi)
    return identify_file(path, ScanOptions())


def page_behind_a_cover(tmp_path: Path, people: list[Person], page: Image.Image, following: int) -> ScanResult:
    """The page (drawn at 300 dpi) between a cover and continuation page `following`, scanned at
    200 dpi: a continuation page that is read as one leaves a single case file."""
    pages = [draw_cover(people[0], "boxed", 200), page.resize((px(210) * 2 // 3, px(297) * 2 // 3))]
    return identify_file(write_pdf([*pages, draw_continuation(following, 200)], tmp_path / "letter.pdf", 200))


def own_cover(result: ScanResult) -> CoverSheet:
    """The third page's cover, once the batch is split in two there."""
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None
    return cover
