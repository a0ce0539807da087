"""Pen and paper for the synthetic pages: millimetre geometry, DejaVu and Liberation fonts, barcodes.

Everything is laid out in millimetres and converted at the page's resolution, so a cover drawn at
200 dpi and at 300 dpi has the same proportions, as the same sheet scanned twice would.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

A4_MM = (210.0, 297.0)
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
LIBERATION_DIR = "/usr/share/fonts/truetype/liberation"  # Debian's fonts-liberation (scripts/setup.sh)
INK = 0
PAPER = 255

_FONT_FILES = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "serif": "DejaVuSerif.ttf",
    "serif-bold": "DejaVuSerif-Bold.ttf",
    "mono": "DejaVuSansMono.ttf",
    "mono-bold": "DejaVuSansMono-Bold.ttf",
    "lib-sans": f"{LIBERATION_DIR}/LiberationSans-Regular.ttf",
    "lib-sans-bold": f"{LIBERATION_DIR}/LiberationSans-Bold.ttf",
    "lib-sans-narrow": f"{LIBERATION_DIR}/LiberationSansNarrow-Regular.ttf",
    "lib-serif": f"{LIBERATION_DIR}/LiberationSerif-Regular.ttf",
    "lib-serif-bold": f"{LIBERATION_DIR}/LiberationSerif-Bold.ttf",
    "lib-mono": f"{LIBERATION_DIR}/LiberationMono-Regular.ttf",
    "lib-mono-bold": f"{LIBERATION_DIR}/LiberationMono-Bold.ttf",
}
BARCODE_FORMATS = {
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "code128": zxingcpp.BarcodeFormat.Code128,
    "code39": zxingcpp.BarcodeFormat.Code39,
}


@lru_cache(maxsize=64)
def font(face: str, size_px: int) -> ImageFont.FreeTypeFont:
    name = _FONT_FILES[face]
    return ImageFont.truetype(name if name.startswith("/") else f"{FONT_DIR}/{name}", size_px)


@dataclass
class Pen:
    """A blank page and the means to write on it in millimetres and points."""

    image: Image.Image
    dpi: int

    @classmethod
    def blank(cls, dpi: int) -> Pen:
        size = (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))
        return cls(Image.new("L", size, PAPER), dpi)

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    def font(self, face: str, points: float) -> ImageFont.FreeTypeFont:
        return font(face, max(6, round(points / 72 * self.dpi)))

    def text(self, x_mm: float, y_mm: float, text: str, points: float = 11, face: str = "sans") -> float:
        """Write one line; return the x (mm) where it ends, so a value can follow its label."""
        typeface = self.font(face, points)
        self.draw.text((self.px(x_mm), self.px(y_mm)), text, font=typeface, fill=INK)
        return x_mm + typeface.getlength(text) / self.dpi * 25.4

    def right(self, x_end_mm: float, y_mm: float, text: str, points: float = 11, face: str = "sans") -> None:
        """Write one line that ends at `x_end_mm`, as a right-aligned block of a letterhead does."""
        self.text(x_end_mm - self.font(face, points).getlength(text) / self.dpi * 25.4, y_mm, text, points, face)

    def reversed(
        self,
        x_mm: float,
        y_mm: float,
        text: str,
        points: float,
        face: str,
        shade: int,
        pad_mm: tuple[float, float, float] = (1.5, 1.5, 1.5),
    ) -> float:
        """Write one line in paper's white on a box of `shade` whose top left is at (x_mm, y_mm),
        padded (each side, above, below) by `pad_mm`; return the x (mm) where the box ends."""
        side, above, below = pad_mm
        typeface = self.font(face, points)
        right = x_mm + typeface.getlength(text) / self.dpi * 25.4 + 2 * side
        bottom = y_mm + above + points / 72 * 25.4 + below
        self.draw.rectangle([self.px(x_mm), self.px(y_mm), self.px(right), self.px(bottom)], fill=shade)
        self.draw.text((self.px(x_mm + side), self.px(y_mm + above)), text, font=typeface, fill=PAPER)
        return right

    def line(self, x0: float, y0: float, x1: float, y1: float, width_mm: float = 0.3) -> None:
        self.draw.line(
            [(self.px(x0), self.px(y0)), (self.px(x1), self.px(y1))],
            fill=INK,
            width=max(1, self.px(width_mm)),
        )

    def box(self, x0: float, y0: float, x1: float, y1: float, width_mm: float = 0.4) -> None:
        self.draw.rectangle(
            [self.px(x0), self.px(y0), self.px(x1), self.px(y1)],
            outline=INK,
            width=max(1, self.px(width_mm)),
        )

    def paste(self, picture: Image.Image, x_mm: float, y_mm: float) -> None:
        self.image.paste(picture, (self.px(x_mm), self.px(y_mm)))


def barcode_image(text: str, symbology: str, dpi: int) -> Image.Image:
    """Render a barcode as office label printers do: 0.35 mm bars, 0.7 mm matrix modules.

    Linear symbols are stretched to 12 mm tall; Data Matrix is forced square (the rectangular
    form zxing-cpp picks for short text is rarely printed on cover sheets).
    """
    if symbology not in BARCODE_FORMATS:
        raise ValueError(f"unknown barcode {symbology!r}; use one of {sorted(BARCODE_FORMATS)}")
    linear = symbology in ("code128", "code39")
    module = max(2, round((0.35 if linear else 0.7) / 25.4 * dpi))
    options = {"force_square": True} if symbology == "datamatrix" else {}
    symbol = zxingcpp.create_barcode(text, BARCODE_FORMATS[symbology], **options)
    picture = Image.fromarray(numpy.asarray(symbol.to_image(scale=module, add_quiet_zones=True)))
    if linear:
        picture = picture.resize((picture.width, round(12 / 25.4 * dpi)), Image.Resampling.NEAREST)
    return picture.convert("L")
