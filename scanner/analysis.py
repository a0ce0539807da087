"""One page in, what it is out: a location sheet, a cover (and what it shows), or a following page.

The stages read top to bottom: barcodes → upright → straight → triage → OCR of the top of the
page. A barcode ends the work at once; a page whose first lines show no label or reference is a
continuation page without the careful read; OCR reads only the top of the page, where a cover's
label sits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import AbstractSet, Sequence

import numpy as np
import zxingcpp
from PIL import Image

from scanner.cover import barcode_cover, read_cover
from scanner.imaging import clean_for_ocr, ink, is_sideways, scaled, skew_angle, upside_down_score
from scanner.model import CoverSheet
from scanner.pages import WORKING_DPI, PageImage
from scanner.references import canonical_reference
from scanner.tesseract import Word, read_words
from scanner.triage import TRIAGE_DPI, may_be_cover

log = logging.getLogger(__name__)
LOCATION_PREFIX = "CASESCAN-LOCATION:"
TOP_FRACTION = 0.45
UNSURE_BAND = (0.8, 1.25)


@dataclass(frozen=True)
class PageFinding:
    number: int
    cover: CoverSheet | None = None  # set when the page starts a case file
    location: str | None = None  # set when the page is a location sheet
    barcode: bool = False


def read_barcodes(image: Image.Image) -> list[str]:
    """Texts of every barcode zxing-cpp finds, in any orientation."""
    return [result.text for result in zxingcpp.read_barcodes(image) if result.text]


def _orientation(small: Image.Image) -> tuple[list[int], float]:
    """Clockwise turns to try (likeliest first; two when the page is unclear) and the skew angle.

    The skew is measured, and taken out, before asking which way up the page is: skewed lines
    blur the ascender/descender bands that the upside-down test reads.
    """
    mask = ink(small)
    first = 90 if is_sideways(mask) else 0
    base = np.rot90(mask, -1) if first else mask
    angle = skew_angle(base)
    straight = Image.fromarray(base.astype(np.uint8) * 255).rotate(angle, resample=Image.Resampling.NEAREST)
    score = upside_down_score(np.asarray(straight, dtype=bool))
    if score >= UNSURE_BAND[1]:
        turns = [first]
    elif score <= UNSURE_BAND[0]:
        turns = [first + 180]
    else:
        turns = [first, first + 180]
    return turns, angle


def _upright(image: Image.Image, clockwise: int, angle: float) -> Image.Image:
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    turned = image.transpose(turns[clockwise]) if clockwise else image
    if abs(angle) < 0.4:
        return turned
    return turned.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


def ocr_top(image: Image.Image, language: str, timeout: int) -> list[Word]:
    top = image.crop((0, 0, image.width, int(image.height * TOP_FRACTION)))
    return read_words(clean_for_ocr(top, WORKING_DPI), WORKING_DPI, language, timeout=timeout)


def _barcode_finding(image: Image.Image, number: int, patterns: Sequence[str], known: AbstractSet[str]) -> PageFinding | None:
    for text in read_barcodes(image):
        if text.startswith(LOCATION_PREFIX):
            return PageFinding(number, location=text[len(LOCATION_PREFIX):].strip())
        reference = canonical_reference(text, patterns)
        if reference is not None:
            log.info("event=barcode page=%d", number)
            return PageFinding(number, cover=barcode_cover(reference, text, number, known), barcode=True)
    return None


def analyse_page(page: PageImage, patterns: Sequence[str], known: AbstractSet[str], language: str = "eng",
                 timeout: int = 60) -> PageFinding:
    """What this page is. Barcodes are sought first on the small triage copy (a quarter of the
    pixels; QR, Data Matrix and Code 128 still read); a page that may be a cover is searched
    again at full resolution before any OCR, so a barcode too fine for the copy still wins."""
    small = scaled(page.image, page.dpi, TRIAGE_DPI)
    found = _barcode_finding(small, page.number, patterns, known)
    if found is not None:
        return found
    turns, angle = _orientation(small)
    work: Image.Image | None = None
    for turn in turns:
        if not may_be_cover(_upright(small, turn, angle), TRIAGE_DPI, patterns, language, timeout):
            continue
        if work is None:
            work = scaled(page.image, page.dpi, WORKING_DPI)
            found = _barcode_finding(work, page.number, patterns, known)
            if found is not None:
                return found
        upright = _upright(work, turn, angle)
        is_cover, sheet = read_cover(ocr_top(upright, language, timeout), WORKING_DPI, page.number, patterns, known)
        if is_cover:
            log.info("event=ocr-cover page=%d turn=%d confidence=%.2f", page.number, turn, sheet.confidence)
            return PageFinding(page.number, cover=sheet)
    return PageFinding(page.number)
