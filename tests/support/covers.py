"""Front sheets drawn as testers draw them, in a batch behind another cover and a continuation
page, so that a cover the scanner misses shows as a merge."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

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


def stamped(page: Image.Image, ink: int, turn: float, at_mm: tuple[float, float] = (20, 35)) -> Image.Image:
    """A double-framed "RECEIVED / date / team" stamp in `ink` grey, turned `turn` degrees,
    pressed with its corner `at_mm` (from the page's left and top), darkening, as ink on paper
    does: print under it stays black."""
    mm = page.width / 210
    mark = Image.new("L", (round(66 * mm), round(28 * mm)), 0)
    pen = ImageDraw.Draw(mark)
    pen.rounded_rectangle(
        (2, 2, mark.width - 3, mark.height - 3), radius=round(2 * mm), outline=255, width=round(0.5 * mm)
    )
    inner = round(1.5 * mm)
    pen.rectangle((inner, inner, mark.width - inner, mark.height - inner), outline=255, width=round(0.3 * mm))
    for text, down, size in (("RECEIVED", 8, 6.5), ("14 MAR 2024", 15.5, 4.2), ("SAFEGUARDING TEAM", 22, 4.2)):
        pen.text(
            (mark.width // 2, round(down * mm)),
            text,
            font=ImageFont.truetype(TYPEFACES["dejavu-bold"], round(size * mm)),
            fill=255,
            anchor="mm",
        )
    mark = mark.rotate(turn, expand=True, resample=Image.Resampling.BICUBIC)
    layer = Image.new("L", page.size, 255)
    layer.paste(Image.new("L", mark.size, ink), (round(at_mm[0] * mm), round(at_mm[1] * mm)), mark)
    return ImageChops.multiply(page, layer)
