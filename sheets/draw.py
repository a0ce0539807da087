"""Drawing primitives for the printed sheets: fonts, barcodes, text that fits, and the PDF file.

Everything is drawn as vectors, so a sheet prints sharp on any printer and a scanner at 200 dpi
still sees clean bar edges. Names are real people's (Zoë, Ó Súilleabháin, Nguyễn): the built-in
PDF fonts cannot show them, so DejaVu Sans is embedded.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from config.errors import MissingDependencyError, UsageError

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path.home() / ".fonts",
)
# A Code 128 module of 0.45 mm is 3.5 pixels at 200 dpi: wide enough to survive blur and JPEG.
BAR_WIDTH = 0.45 * mm


def _find_font(file_name: str) -> Path:
    for folder in FONT_FOLDERS:
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    raise MissingDependencyError(
        f"font {file_name} not found (needed to print accented names); install it with "
        "'apt-get install fonts-dejavu-core' (Debian/Ubuntu) or 'dnf install dejavu-sans-fonts' (Fedora)."
    )


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register DejaVu Sans once per process; reportlab keeps registered fonts globally."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(_find_font("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(_find_font("DejaVuSans-Bold.ttf"))))


def fitting_size(text: str, font: str, largest: float, width: float, smallest: float = 8) -> float:
    """The largest font size, at most `largest`, at which `text` fits on one line of `width` points."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def fitting_lines(text: str, font: str, largest: float, width: float, max_lines: int) -> tuple[float, list[str]]:
    """Wrap `text` at the largest size (at most `largest`) that needs no more than `max_lines` lines."""
    size = largest
    lines = simpleSplit(text, font, size, width)
    while size > 10 and (
        len(lines) > max_lines or any(pdfmetrics.stringWidth(line, font, size) > width for line in lines)
    ):
        size -= 2
        lines = simpleSplit(text, font, size, width)
    return size, lines


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code of `value`, `size` points square (quiet zone included), lower-left corner at (x, y).

    Level M keeps the modules large for a short reference; a sheet is reprinted, not repaired.
    """
    widget = QrCodeWidget(value, barLevel="M", barBorder=4)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def draw_code128(canvas: Canvas, value: str, x: float, y: float, height: float) -> float:
    """A Code 128 barcode of `value` with its quiet zones, lower-left at (x, y); returns its width."""
    barcode = Code128(value, barWidth=BAR_WIDTH, barHeight=height, quiet=True, humanReadable=False)
    barcode.drawOn(canvas, x, y)
    return float(barcode.width)


def code128_width(value: str) -> float:
    return float(Code128(value, barWidth=BAR_WIDTH, quiet=True).width)


def write_pdf(out: Path, title: str, pages: Iterable[Callable[[Canvas], None]]) -> int:
    """Draw each page into `out`, atomically: a failure never leaves half a PDF behind.

    Returns the number of pages written. Raises UsageError when `out`'s folder is missing or `out`
    is a folder, and OSError naming `out` (not the hidden file written first) when it cannot be written.
    """
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{out}: the folder {folder} does not exist; create it or choose another --out path.")
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name ending in .pdf with --out.")
    register_fonts()
    try:
        return _write_atomically(out, folder, title, pages)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(out)) from None


def _write_atomically(out: Path, folder: Path, title: str, pages: Iterable[Callable[[Canvas], None]]) -> int:
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    os.close(handle)
    count = 0
    try:
        canvas = Canvas(temporary, pagesize=A4, pageCompression=1)
        canvas.setTitle(title)
        canvas.setCreator("casescan")
        for draw in pages:
            draw(canvas)
            canvas.showPage()
            count += 1
        canvas.save()
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
