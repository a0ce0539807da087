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
from scanner.imaging import row_runs
from scanner.pages import Page
from scanner.references import canonical_reference
from scanner.triage import TRIAGE_DPI

BARCODE_DPI = 300  # a 0.17 mm bar is two pixels wide here
SLANTS = (10.0, -10.0)  # a linear code slanted 5-15 degrees reads once the page is turned back by ~10
BARCODE_MARGIN_MM = 1.5
MATRIX_CODES = frozenset(
    {
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.MicroQRCode,
        zxingcpp.BarcodeFormat.RMQRCode,
        zxingcpp.BarcodeFormat.DataMatrix,
        zxingcpp.BarcodeFormat.Aztec,
        zxingcpp.BarcodeFormat.MaxiCode,
    }
)
# A close-up (`close_up_search`) is read at this resolution: a Data Matrix of 0.22 mm modules,
# 2.6 pixels each at 300 dpi and turned 12 degrees, read only magnified so (a fresh tester's sticker).
CLOSE_UP_DPI = 600
# A patch of ink this tall and no larger may be a sticker's code: a 10x10 Data Matrix of 0.25 mm
# modules is 2.5 mm; an A6 label's code 40 mm. Patches further apart than the gap are apart.
PATCH_MM = (2.0, 40.0)
PATCH_GAP_MM = 1.5
MOST_PATCHES = 40  # a page of many small patches is text: the close-ups stop there (~1 ms each)


Corners = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Barcode:
    reference: str | None  # None when the text names no case
    text: str
    corners: Corners  # the symbol's outline in the image it was read from; () when read on a turned copy
    dpi: float  # that image's resolution
    location: bool = False
    linear: bool = True  # a code of bars (Code 128, Code 39, EAN…), not a matrix of modules (QR, Data Matrix)


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
        linear = result.symbology not in MATRIX_CODES
        if text.startswith(LOCATION_PREFIX):
            found.append(Barcode(None, text[len(LOCATION_PREFIX) :].strip(), corners, dpi, True, linear))
        else:
            found.append(Barcode(canonical_reference(text, patterns), text, corners, dpi, linear=linear))
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


def patches(mask: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of each patch of the small copy's ink (`mask`) that may be a
    sticker's code: its rows' runs of ink, parted where columns run blank, `PATCH_MM` in size.
    Largest first, at most `MOST_PATCHES`."""
    gap = round(dpi * PATCH_GAP_MM / 25.4)
    least, most = (round(dpi * mm / 25.4) for mm in PATCH_MM)
    found = []
    for top, bottom in row_runs(np.flatnonzero(mask.any(axis=1)), gap):
        for left, right in row_runs(np.flatnonzero(mask[top:bottom].any(axis=0)), gap):
            if least <= bottom - top <= most and right - left <= most:
                found.append((left, top, right, bottom))
    found.sort(key=lambda box: (box[2] - box[0]) * (box[3] - box[1]), reverse=True)
    return found[:MOST_PATCHES]


def close_up_search(page: Page, mask: np.ndarray, patterns: Sequence[str]) -> list[Barcode]:
    """The symbols read on close-ups of the patches of ink (`patches` of the triage copy's `mask`)
    magnified to `CLOSE_UP_DPI`, each turned back by `SLANTS` too, until one names a case: a
    sticker's code too fine for the page as scanned, ~1 ms a close-up where magnifying the whole
    page cost ~140 ms. The close-ups stop at the first code that names a case or a place."""
    image, dpi = page.at_most(BARCODE_DPI)
    scale, margin = dpi / TRIAGE_DPI, round(dpi * 2 / 25.4)
    for left, top, right, bottom in patches(mask, TRIAGE_DPI):
        crop = image.crop(
            (
                max(0, round(left * scale) - margin),
                max(0, round(top * scale) - margin),
                min(image.width, round(right * scale) + margin),
                min(image.height, round(bottom * scale) + margin),
            )
        )
        close = crop.resize(
            (round(crop.width * CLOSE_UP_DPI / dpi), round(crop.height * CLOSE_UP_DPI / dpi)), Image.Resampling.BICUBIC
        )
        for angle in (0.0, *SLANTS):
            turned = close.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255) if angle else close
            found = read_symbols(turned, CLOSE_UP_DPI, patterns, downscale=False, outline=False)
            if named(found):
                return found
    return []


def slanted_search(page: Page, patterns: Sequence[str], seen: Set[str | None]) -> list[Barcode]:
    """The symbols read on the 300 dpi page turned back by each of `SLANTS`, until one names a
    case or a place not in `seen`. zxing reads a linear code along rows, so a code tilted more
    than its height allows is missed until the page is turned (~70 ms a turn)."""
    image, found = page.at(BARCODE_DPI), []
    for angle in SLANTS:
        turned = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        found += read_symbols(turned, BARCODE_DPI, patterns, downscale=False, outline=False)
        if names_another(found, seen):
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


def bars_unread(mask: np.ndarray, barcodes: Sequence[Barcode]) -> bool:
    """Whether the small copy, its `barcodes` painted out, shows bars that none of them explains: a
    label slanted 10-15 degrees beside a QR code, named another case. Once a linear code was read,
    upright bars left are its rows where zxing gave its outline short (one scan line's, slanted),
    already searched at full resolution (turning the page for them cost ~140 ms): then only
    slanted bars and no upright ones count."""
    if any(b.linear for b in barcodes):
        return not has_bars(mask, TRIAGE_DPI) and has_slanted_bars(mask, TRIAGE_DPI)
    return has_slanted_bars(mask, TRIAGE_DPI, mend=True)


def names_of(barcode: Barcode) -> str | None:
    """The case or the place a symbol names."""
    return barcode.text if barcode.location else barcode.reference


def names_another(barcodes: Sequence[Barcode], seen: Set[str | None]) -> bool:
    """Whether any of `barcodes` names a case or a place not in `seen`."""
    return any(names_of(b) not in seen for b in barcodes if named([b]))


def named(barcodes: Sequence[Barcode]) -> bool:
    return any(b.reference is not None or b.location for b in barcodes)
