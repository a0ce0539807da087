"""The resolution a scan really has, judged by the paper it must have been scanned from.

Many devices and phone apps write 72 or 96 dpi into every JPEG's JFIF header, or 1 dpi with no
unit into a TIFF, whatever they scanned at. Believing that header shrinks a 300 dpi A4 cover to a
quarter of its size before OCR, and nothing is read. A stored resolution is kept only when the page
it implies is a sheet of office paper; otherwise the resolution is estimated from the pixel size.
"""

from __future__ import annotations

import math
from typing import NamedTuple

MM_PER_INCH = 25.4
_SLACK = 0.10  # a scanner bed larger than the sheet, or a sheet cropped to its content
_ASPECT_SLACK = 0.03
_SNAP = 0.04
COMMON_DPI = (72, 75, 96, 100, 120, 150, 200, 240, 250, 300, 360, 400, 600, 1200)
MIN_DPI, MAX_DPI = 50.0, 1200.0
USUAL_DPI = 300.0
_EVERYDAY = 3


class Paper(NamedTuple):
    name: str
    short_inches: float
    long_inches: float


def _iso(name: str, short_mm: float, long_mm: float) -> Paper:
    return Paper(name, short_mm / MM_PER_INCH, long_mm / MM_PER_INCH)


# ISO 216 A-series (A6 105 × 148 mm to A3 297 × 420 mm); US letter 8.5 × 11 in (ANSI/ASME Y14.1 size A)
# and US legal 8.5 × 14 in (ANSI/ASME Y14.1 lists letter; legal is the North American sheet beside it).
# A-series sheets share one shape, so one pixel size fits several: case files are on A4 or a US size
# (the first `_EVERYDAY`), so those are preferred; among the rest, the one nearest `USUAL_DPI`.
PAPERS = (
    _iso("A4", 210, 297),
    Paper("US letter", 8.5, 11.0),
    Paper("US legal", 8.5, 14.0),
    _iso("A5", 148, 210),
    _iso("A3", 297, 420),
    _iso("A6", 105, 148),
)
_SMALLEST = min(PAPERS, key=lambda paper: paper.short_inches)
_LARGEST = max(PAPERS, key=lambda paper: paper.long_inches)


def is_paper_size(short_inches: float, long_inches: float) -> bool:
    """Whether a page this size (either orientation already folded in) can be a sheet from A6 to A3."""
    return _SMALLEST.short_inches * (1 - _SLACK) <= short_inches <= _LARGEST.short_inches * (
        1 + _SLACK
    ) and _SMALLEST.long_inches * (1 - _SLACK) <= long_inches <= _LARGEST.long_inches * (1 + _SLACK)


def _snapped(dpi: float) -> float | None:
    nearest = min(COMMON_DPI, key=lambda common: abs(common - dpi))
    return float(nearest) if abs(nearest - dpi) <= _SNAP * nearest else None


def dpi_by_shape(width_px: int, height_px: int) -> float | None:
    """The resolution at which a page this many pixels is a sheet of paper of its shape, scanned at a
    resolution scanners offer: A4 or a US size when one fits, else the sheet whose resolution is
    nearest the usual 300 dpi (A3 at 300 rather than A5 at 600); else the first sheet of its shape
    at whatever resolution that takes; None when no paper has its shape."""
    short, long = sorted((max(1, width_px), max(1, height_px)))
    shaped = [
        paper
        for paper in PAPERS
        if abs(long / short - paper.long_inches / paper.short_inches) <= _ASPECT_SLACK * long / short
    ]
    offered = [
        (PAPERS.index(paper) >= _EVERYDAY, abs(math.log(dpi / USUAL_DPI)), dpi)
        for paper in shaped
        if (dpi := _snapped(short / paper.short_inches)) is not None
    ]
    if offered:
        return min(offered)[2]
    return short / shaped[0].short_inches if shaped else None


def estimated_dpi(width_px: int, height_px: int) -> float:
    """`dpi_by_shape`, else the resolution at which the page fits on A4 (a page cropped to its content)."""
    dpi = dpi_by_shape(width_px, height_px)
    if dpi is None:
        a4 = PAPERS[0]
        short, long = sorted((max(1, width_px), max(1, height_px)))
        fitting = max(short / a4.short_inches, long / a4.long_inches)
        dpi = _snapped(fitting) or fitting
    return min(MAX_DPI, max(MIN_DPI, dpi))


def plausible_dpi(width_px: int, height_px: int, stored: float | None) -> float:
    """`stored` when a page of this many pixels at that resolution is a sheet from A6 to A3 in
    either orientation, else `estimated_dpi`. `stored` is None when the file holds none.

    Sheets (see `PAPERS`): ISO 216 A6 to A3; US letter (ANSI/ASME Y14.1 size A) and US legal.
    """
    if stored is not None and MIN_DPI <= stored <= MAX_DPI:
        short, long = sorted((width_px / stored, height_px / stored))
        if is_paper_size(short, long):
            return float(stored)
    return estimated_dpi(width_px, height_px)
