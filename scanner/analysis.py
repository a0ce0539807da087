"""One page in, what it is out: a location sheet, a cover (and what it shows), or a following page.

The stages read top to bottom: barcodes → triage (which way up, and may it be a cover?) → OCR
of the cover. A barcode names the case at once, and only the band around its label is read,
for the name and date of birth; a page whose first lines show no label or reference is a
continuation page without the careful read; the careful read covers the band from the label
down, where name and date of birth sit, and the whole top of the page only when that band gives
anything short of an exact, confident match with a template record.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import AbstractSet, Sequence

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw

from scanner.cover import barcode_cover, read_cover
from scanner.fields import has_all_fields
from scanner.imaging import clean_for_ocr, has_bars, has_sideways_bars, ink
from scanner.layout import group_lines
from scanner.model import CoverSheet
from scanner.pages import WORKING_DPI, Page
from scanner.references import canonical_reference
from scanner.tesseract import Word, read_words
from scanner.triage import TRIAGE_DPI, Hint, cover_hints, text_bands, upright

log = logging.getLogger(__name__)
LOCATION_PREFIX = "CASESCAN-LOCATION:"
TOP_FRACTION = 0.45
BAND_MM = (-10.0, 60.0)  # around the label line: skew slack above, name and birth date below
BAND_STEPS_MM = (20.0, 32.0)  # where the band's first parts end, below the label line
SURE_SCORE = 0.9  # a labelled, uncorrected read of a template reference with fair word confidence
BARCODE_MARGIN_MM = 1.5


@dataclass(frozen=True)
class PageFinding:
    number: int
    cover: CoverSheet | None = None  # set when the page starts a case file
    location: str | None = None  # set when the page is a location sheet
    barcode: bool = False


def _sure(is_cover: bool, sheet: CoverSheet, known: AbstractSet[str]) -> bool:
    return is_cover and sheet.method == "ocr" and sheet.case_reference in known and sheet.confidence >= SURE_SCORE


def _band_words(work: Image.Image, hint: Hint, language: str, timeout: int) -> list[Word]:
    """The words of the band around the label line triage saw, on the page turned upright.

    The band is read in parts, nearest the label first (covers print the name and date of birth
    just below it), and the reading stops once both have been seen: most covers need only the
    first part or two, and details printed further down are still found."""
    row = hint.row * WORKING_DPI / TRIAGE_DPI
    top, bottom = (round(row + mm / 25.4 * WORKING_DPI) for mm in BAND_MM)
    band = clean_for_ocr(upright(work, hint.turn, hint.angle, (top, bottom)), WORKING_DPI)
    lines = text_bands(np.asarray(band) < 128, WORKING_DPI)
    words: list[Word] = []
    start = 0
    for mm in (*BAND_STEPS_MM, BAND_MM[1]):
        end = _line_end(lines, round((mm - BAND_MM[0]) / 25.4 * WORKING_DPI), band.height)
        if end <= start:
            continue
        part = read_words(band.crop((0, start, band.width, end)), WORKING_DPI, language, timeout=timeout)
        words += [replace(word, top=word.top + start) for word in part]
        start = end
        if start >= band.height or has_all_fields(group_lines(words), WORKING_DPI):
            break
    return words


def _line_end(lines: list[tuple[int, int]], row: int, height: int) -> int:
    """`row`, or the bottom of the text line it cuts through (a line split in two reads as
    neither); `height` when no line ends below it."""
    for line_top, line_bottom in lines:
        if line_bottom > row:
            return min(height, line_bottom if line_top < row else row)
    return height


def _careful_read(work: Image.Image, hint: Hint, number: int, patterns: Sequence[str], known: AbstractSet[str],
                  language: str, timeout: int) -> tuple[bool, CoverSheet]:
    """The band around the label triage saw; the whole top of the page unless that band is sure."""
    found = read_cover(_band_words(work, hint, language, timeout), WORKING_DPI, number, patterns, known)
    if _sure(*found, known):
        return found
    height = work.width if hint.turn % 180 else work.height
    top = upright(work, hint.turn, hint.angle, (0, int(height * TOP_FRACTION)))
    words = read_words(clean_for_ocr(top, WORKING_DPI), WORKING_DPI, language, timeout=timeout)
    return read_cover(words, WORKING_DPI, number, patterns, known)


Corners = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class _Barcode:
    reference: str | None  # None for a location sheet
    text: str
    corners: Corners  # the symbol's outline in the image it was read from
    dpi: float  # that image's resolution


def _barcode(image: Image.Image, dpi: float, patterns: Sequence[str], downscale: bool = True,
             rotate: bool = True, only: zxingcpp.BarcodeFormat | None = None) -> _Barcode | None:
    formats = zxingcpp.BarcodeFormats([] if only is None else [only])  # none named: every format
    for result in zxingcpp.read_barcodes(image, formats=formats, try_downscale=downscale, try_rotate=rotate):
        text, position = result.text, result.position
        corners = tuple((float(p.x), float(p.y)) for p in
                        (position.top_left, position.top_right, position.bottom_right, position.bottom_left))
        if text.startswith(LOCATION_PREFIX):
            return _Barcode(None, text[len(LOCATION_PREFIX):].strip(), corners, dpi)
        reference = canonical_reference(text, patterns)
        if reference is not None:
            return _Barcode(reference, text, corners, dpi)
    return None


def _small_barcode(small: Image.Image, mask: np.ndarray, patterns: Sequence[str]) -> _Barcode | None:
    """A barcode on the triage copy. zxing's search of a turned page costs three times the upright
    one, and only linear codes and Data Matrix need it (QR is found any way up, a linear code
    upside down): the turned search runs for all codes only when bars lie on their side, and
    otherwise for Data Matrix alone."""
    sideways = has_sideways_bars(mask, TRIAGE_DPI)
    found = _barcode(small, TRIAGE_DPI, patterns, downscale=False, rotate=sideways)
    if found is None and not sideways:
        found = _barcode(small, TRIAGE_DPI, patterns, downscale=False, only=zxingcpp.BarcodeFormat.DataMatrix)
    return found


def _without_symbol(image: Image.Image, dpi: float, barcode: _Barcode) -> Image.Image:
    """A copy with the barcode's bars painted white (its printed text is outside them): tesseract
    reads bars as rows of letters, slowly, and they add nothing once the barcode is decoded."""
    scale, margin = dpi / barcode.dpi, BARCODE_MARGIN_MM / 25.4 * dpi
    middle_x = sum(x for x, _ in barcode.corners) / len(barcode.corners) * scale
    middle_y = sum(y for _, y in barcode.corners) / len(barcode.corners) * scale
    outline = []
    for x, y in barcode.corners:
        dx, dy = x * scale - middle_x, y * scale - middle_y
        length = max(1e-9, (dx * dx + dy * dy) ** 0.5)
        outline.append((x * scale + dx / length * margin, y * scale + dy / length * margin))
    blank = image.copy()
    ImageDraw.Draw(blank).polygon(outline, fill=255)
    return blank


def _barcode_finding(barcode: _Barcode, page: Page, hint: Hint | None, known: AbstractSet[str],
                     language: str, timeout: int) -> PageFinding:
    """A barcode names the case at once; the printed name and date of birth are still read from
    the band around the label, because a barcoded cover that carries someone else's details must
    go to a person, not be linked."""
    if barcode.reference is None:
        return PageFinding(page.number, location=barcode.text)
    log.info("event=barcode page=%d", page.number)
    words: list[Word] = []
    if hint is not None:
        work = _without_symbol(page.at(WORKING_DPI), WORKING_DPI, barcode)
        words = _band_words(work, hint, language, timeout)
    cover = barcode_cover(barcode.reference, barcode.text, page.number, known, words, WORKING_DPI)
    return PageFinding(page.number, cover=cover, barcode=True)


def analyse_page(page: Page, patterns: Sequence[str], known: AbstractSet[str], language: str = "eng",
                 timeout: int = 60) -> PageFinding:
    """What this page is. Barcodes are sought first on the small triage copy (a quarter of the
    pixels; QR, Data Matrix and Code 128 still read); a page that shows bars is searched again at
    full resolution before the careful read, so a barcode too fine for the copy still wins."""
    small = page.at(TRIAGE_DPI)
    mask = ink(small)
    barcode = _small_barcode(small, mask, patterns)
    if barcode is not None:
        hint = None
        if barcode.reference is not None:
            blank = _without_symbol(small, TRIAGE_DPI, barcode)
            hint = next(iter(cover_hints(blank, patterns, language, timeout)), None)
        return _barcode_finding(barcode, page, hint, known, language, timeout)
    hints = cover_hints(small, patterns, language, timeout, mask)
    if has_bars(mask, TRIAGE_DPI):
        barcode = _barcode(page.at(WORKING_DPI), WORKING_DPI, patterns)
        if barcode is not None:
            return _barcode_finding(barcode, page, next(iter(hints), None), known, language, timeout)
    for hint in hints:
        is_cover, sheet = _careful_read(page.at(WORKING_DPI), hint, page.number, patterns, known, language, timeout)
        if is_cover:
            log.info("event=ocr-cover page=%d turn=%d confidence=%.2f", page.number, hint.turn, sheet.confidence)
            return PageFinding(page.number, cover=sheet)
    return PageFinding(page.number)
