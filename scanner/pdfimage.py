"""A PDF page that is one embedded JPEG, decoded straight from its stream.

Scanners write a page as a single JPEG filling the page. Decoding that stream with Pillow costs
~10 ms where pdfium's rasterising of the same page at 200 dpi costs ~75 ms, and JPEG's DCT-domain
reduction (`Image.draft`) shrinks big scans for free. Anything else on the page (text, vector
marks, a rotation, a CCITT or JBIG2 image, a CMYK JPEG) is left to the renderer.
"""

from __future__ import annotations

import io
import math

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from scanner.decoding import check_size

_TOLERANCE_PT = 1.0


def _fills_page(image: pdfium.PdfImage, width: float, height: float) -> bool:
    matrix = image.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return False
    left, bottom, right, top = image.get_bounds()
    return max(abs(left), abs(bottom), abs(right - width), abs(top - height)) <= _TOLERANCE_PT


def _one_image(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image: pdfium.PdfImage = objects[0]
    return image


def colourless(page: pdfium.PdfPage) -> bool:
    """Whether the page is one image that cannot hold colour (black and white, or grey), so that
    rendering it in colour to look for a stamp would be wasted."""
    image = _one_image(page)
    if image is None:
        return False
    metadata = image.get_metadata()
    return metadata.bits_per_pixel == 1 or metadata.colorspace in (
        pdfium_c.FPDF_COLORSPACE_DEVICEGRAY,
        pdfium_c.FPDF_COLORSPACE_CALGRAY,
    )


def embedded_jpeg(
    page: pdfium.PdfPage, dpi: float, points_per_inch: float, max_pixels: int, mode: str = "L"
) -> tuple[Image.Image, float] | None:
    """(image in `mode`, "L" or "RGB", at `dpi` or a little more, its resolution), or None when the
    page must be rendered. `points_per_inch` is 72 unless the page's size says otherwise
    (`pages.points_per_inch`)."""
    if page.get_rotation():
        return None
    image_object = _one_image(page)
    if image_object is None:
        return None
    width, height = page.get_size()
    if image_object.get_filters() != ["DCTDecode"] or not _fills_page(image_object, width, height):
        return None
    encoded = Image.open(io.BytesIO(bytes(image_object.get_data(decode_simple=False))))
    if encoded.mode not in ("L", "RGB") or encoded.format != "JPEG":
        return None
    check_size(encoded, max_pixels, "a page's JPEG image")
    inches = width / points_per_inch
    native = encoded.width / inches
    if native > dpi:
        encoded.draft(mode, (math.floor(encoded.width * dpi / native), math.floor(encoded.height * dpi / native)))
    image = encoded.convert(mode)
    return image, image.width / inches
