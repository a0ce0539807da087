"""Every symbol on a page: what zxing reads on the small triage copy, at full resolution, and on
the page turned back by a stuck-on label's slant; and the copy with the symbols read painted out.

A cover may carry several symbols and they may disagree, so every one is collected: the cover is
linked only when all of them name one case (`scanner.cover.barcode_cover`).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw

from common.printed import LOCATION_PREFIX
from scanner.bars import has_bars, has_slanted_bars
from scanner.pages import Page
from scanner.references import canonical_reference
from scanner.triage import TRIAGE_DPI

BARCODE_DPI = 300  # a 0.17 mm bar is two pixels wide here
SLANTS = (10.0, -10.0)  # a linear code slanted 5-15 degrees reads once the page is turned back by ~10
BARCODE_MARGIN_MM = 1.5


Corners = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Barcode:
    reference: str | None  # None when the text names no case
    text: str
    corners: Corners  # the symbol's outline in the image it was read from; () when read on a turned copy
    dpi: float  # that image's resolution
    location: bool = False


def read_symbols(
    image: Image.Image,
    dpi: float,
    patterns: Sequence[str],
    downscale: bool = True,
    rotate: bool = True,
    only: zxingcpp.BarcodeFormat | None = None,
    outline: bool = True,
) -> list[Barcode]:
    """Every symbol zxing reads on the image: a cover may carry several, and they may disagree."""
    formats = zxingcpp.BarcodeFormats([] if only is None else [only])  # none named: every format
    found = []
    for result in zxingcpp.read_barcodes(image, formats=formats, try_downscale=downscale, try_rotate=rotate):
        text, position = result.text, result.position
        corners = (
            tuple(
                (float(p.x), float(p.y))
                for p in (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
            )
            if outline
            else ()
        )
        if text.startswith(LOCATION_PREFIX):
            found.append(Barcode(None, text[len(LOCATION_PREFIX) :].strip(), corners, dpi, location=True))
        else:
            found.append(Barcode(canonical_reference(text, patterns), text, corners, dpi))
    return found


def small_copy_symbols(small: Image.Image, sideways: bool, patterns: Sequence[str]) -> list[Barcode]:
    """Barcodes on the triage copy. zxing's search of a turned page costs three times the upright
    one, and only linear codes and Data Matrix need it (QR is found any way up, a linear code
    upside down): the turned search runs for all codes only when bars lie on their side, and
    otherwise for Data Matrix alone."""
    found = read_symbols(small, TRIAGE_DPI, patterns, downscale=False, rotate=sideways)
    if not sideways:
        found += read_symbols(small, TRIAGE_DPI, patterns, downscale=False, only=zxingcpp.BarcodeFormat.DataMatrix)
    return found


def hard_search(page: Page, patterns: Sequence[str]) -> list[Barcode]:
    """The search for a page that shows a cover's evidence but named no case: at 300 dpi, where a
    0.17 mm bar is two pixels, then turned back by the slant a stuck-on label may have."""
    found = read_symbols(page.at(BARCODE_DPI), BARCODE_DPI, patterns, downscale=False)
    return found if named(found) else found + slanted_search(page, patterns, set())


def slanted_search(page: Page, patterns: Sequence[str], seen: Set[str | None]) -> list[Barcode]:
    """The symbols read on the 300 dpi page turned back by each of `SLANTS`, until one names a
    case or a place not in `seen`. zxing reads a linear code along rows, so a code tilted more
    than its height allows is missed until the page is turned (~70 ms a turn)."""
    image, found = page.at(BARCODE_DPI), []
    for angle in SLANTS:
        turned = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        found += read_symbols(turned, BARCODE_DPI, patterns, downscale=False, outline=False)
        if any(names_of(b) not in seen for b in found if named([b])):
            break
    return found


def without_symbols(image: Image.Image, dpi: float, barcodes: Sequence[Barcode]) -> Image.Image:
    """A copy with the barcodes' bars painted white (their printed text is outside them): tesseract
    reads bars as rows of letters, slowly, and they add nothing once decoded."""
    blank = image.copy()
    for barcode in barcodes:
        if not barcode.corners:
            continue
        scale, margin = dpi / barcode.dpi, BARCODE_MARGIN_MM / 25.4 * dpi
        middle_x = sum(x for x, _ in barcode.corners) / len(barcode.corners) * scale
        middle_y = sum(y for _, y in barcode.corners) / len(barcode.corners) * scale
        outline = []
        for x, y in barcode.corners:
            dx, dy = x * scale - middle_x, y * scale - middle_y
            length = max(1e-9, (dx * dx + dy * dy) ** 0.5)
            outline.append((x * scale + dx / length * margin, y * scale + dy / length * margin))
        ImageDraw.Draw(blank).polygon(outline, fill=255)
    return blank


def slanted_bars_only(mask: np.ndarray) -> bool:
    """Whether the small copy, its codes read painted out, shows slanted bars and no upright ones: a
    label slanted 12-15 degrees beside a QR code, named another case. Upright bars left are the
    rows of a linear code read whose outline zxing gave short (its position is one scan line's,
    slanted), already searched at full resolution: turning the page for them cost ~140 ms."""
    return not has_bars(mask, TRIAGE_DPI) and has_slanted_bars(mask, TRIAGE_DPI)


def names_of(barcode: Barcode) -> str | None:
    """The case or the place a symbol names."""
    return barcode.text if barcode.location else barcode.reference


def named(barcodes: Sequence[Barcode]) -> bool:
    return any(b.reference is not None or b.location for b in barcodes)
