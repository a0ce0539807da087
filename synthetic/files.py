"""Save synthetic pages in the file formats multifunction scanners produce.

A scanner writes one full-page image per PDF page (JPEG for grey scans, CCITT Group 4 for
black-and-white, sometimes Flate), or a multi-page TIFF, or single JPEG/PNG files. Pages are
encoded one at a time, so only the compressed bytes of a batch are held, never its decoded pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageOps, TiffImagePlugin
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from synthetic.drawing import FONT_DIR
from synthetic.jbig2 import recode_group4_as_jbig2

PDF_ENCODINGS = ("jpeg", "png", "g4", "jbig2")
TIFF_COMPRESSIONS = ("group4", "tiff_lzw", "jpeg")


def _bilevel(page: Image.Image) -> Image.Image:
    """Threshold, not dither: a scanner in black-and-white mode cuts at mid-grey."""
    return page.convert("L").convert("1", dither=Image.Dither.NONE)


def _encode(page: Image.Image, dpi: int, encoding: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    if encoding == "jpeg":
        page.convert("L" if page.mode in ("1", "L") else "RGB").save(buffer, "JPEG", quality=quality, dpi=(dpi, dpi))
    elif encoding == "png":
        page.save(buffer, "PNG", dpi=(dpi, dpi))
    elif encoding == "g4":
        _bilevel(page).save(buffer, "TIFF", compression="group4", dpi=(dpi, dpi))
    else:  # JBIG2 counts black as 1: the page is coded inverted, then rewrapped (synthetic.jbig2)
        _bilevel(ImageOps.invert(page.convert("L"))).save(buffer, "TIFF", compression="group4", dpi=(dpi, dpi))
    return buffer.getvalue()


def write_pdf(
    pages: Iterable[Image.Image],
    path: Path,
    dpi: int,
    *,
    encoding: str = "jpeg",
    quality: int = 75,
) -> Path:
    """Write an image-only PDF: "jpeg" (DCT), "png" (Flate), "g4" (CCITT Group 4, lossless) or
    "jbig2" (JBIG2 generic region, lossless)."""
    if encoding not in PDF_ENCODINGS:
        raise ValueError(f"PDF encoding {encoding!r} not supported; use one of {PDF_ENCODINGS}")
    encoded = [_encode(page, dpi, encoding, quality) for page in pages]
    if not encoded:
        raise ValueError(f"no pages to write to {path}")
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    with Path(path).open("wb") as handle:
        img2pdf.convert(encoded, layout_fun=layout, nodate=True, engine=img2pdf.Engine.internal, outputstream=handle)
    if encoding == "jbig2":
        recode_group4_as_jbig2(Path(path))
    return Path(path)


def write_tiff(
    pages: Iterable[Image.Image],
    path: Path,
    dpi: int,
    *,
    compression: str = "group4",
) -> Path:
    """Write a multi-page TIFF page by page (Group 4 pages are thresholded to black and white)."""
    if compression not in TIFF_COMPRESSIONS:
        raise ValueError(f"TIFF compression {compression!r} not supported; use one of {TIFF_COMPRESSIONS}")
    written = 0
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tiff:
        for page in pages:
            frame = _bilevel(page) if compression == "group4" else page
            frame.save(tiff, "TIFF", compression=compression, dpi=(dpi, dpi))
            tiff.newFrame()
            written += 1
    if not written:
        raise ValueError(f"no pages to write to {path}")
    return Path(path)


def write_image(page: Image.Image, path: Path, dpi: int, *, quality: int = 75) -> Path:
    """Write one page as .png or .jpg/.jpeg, with its resolution recorded."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        page.save(path, "PNG", dpi=(dpi, dpi))
    elif suffix in (".jpg", ".jpeg"):
        page.save(path, "JPEG", quality=quality, dpi=(dpi, dpi))
    else:
        raise ValueError(f"image must be .png, .jpg or .jpeg, not {Path(path).name}")
    return Path(path)


def write_text_pdf(lines: Iterable[str], path: Path) -> Path:
    """Write a born-digital A4 page of real text (a typed letter saved as PDF, not scanned)."""
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", f"{FONT_DIR}/DejaVuSans.ttf"))
    document = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    document.setFont("DejaVuSans", 11)
    y = A4[1] - 72
    for line in lines:
        if y < 72:
            document.showPage()
            document.setFont("DejaVuSans", 11)
            y = A4[1] - 72
        document.drawString(72, y, line)
        y -= 16
    document.save()
    return Path(path)


def concatenate_pdfs(parts: Iterable[Path], path: Path) -> Path:
    """Join PDFs page by page, e.g. a scanned cover followed by a born-digital letter (mixed PDF)."""
    with ExitStack() as stack:
        joined = stack.enter_context(pikepdf.new())
        for part in parts:
            joined.pages.extend(stack.enter_context(pikepdf.open(part)).pages)
        joined.save(path, deterministic_id=True)
    return Path(path)
