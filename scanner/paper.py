"""The resolution a scan really has, judged by the paper it must have been scanned from.

Many devices and phone apps write 72 or 96 dpi into every JPEG's JFIF header, or 1 dpi with no
unit into a TIFF, whatever they scanned at. Believing that header shrinks a 300 dpi A4 cover to a
quarter of its size before OCR, and nothing is read. A stored resolution is evidence only when a
scanner offers it (near one of `COMMON_DPI`: no scanner scans at 420 dpi) and the page it implies
is a sheet of office paper; otherwise the resolution is estimated from the pixel size.

A header can still lie and imply real paper: a 300 dpi A4 scan (2480 × 3508 px) stating 400 or
600 dpi is an A5 or A6 sheet by its header, and its text reaches OCR at three quarters or half its
size; an honest A6 card at 600 dpi has the very same pixels. Pixel size and header cannot tell
these apart, so when they disagree (`scale_readings` gives two readings) the text decides
(`likeliest_reading`): body text and a cover's labels are 8-20 pt, and at the reading that is true
the lines of text measure about `NOMINAL_CORE_PT` (measured: 4.3-7.9 on every cover layout, the
continuation pages and the real scans; 3.2-5.2 at half the true resolution, 4.7-13 at twice it).
Comparing pages within a file (same pixels, different headers: one lies) was weighed and left:
it says that one lies, not which, needs every header read before the first page, and misses the
lone page; the text answers for each page on its own. It is measured only where header and pixel
size disagree, so a page whose header is right costs nothing more.
Where the text cannot tell two readings apart, the one that shows it larger is taken: OCR reads
text a size too large, and misses text a size too small. A page whose text is too small or too
large to read at any reading is said so (`scale_doubt`): a person looks before it joins a case file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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


def is_offered(dpi: float) -> bool:
    """Whether a scanner offers this resolution (within a few per cent of one of `COMMON_DPI`)."""
    return _snapped(dpi) is not None


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
    """`stored` when a scanner offers it and a page of this many pixels at that resolution is a
    sheet from A6 to A3 in either orientation, else `estimated_dpi`. `stored` is None when the
    file holds none.

    Sheets (see `PAPERS`): ISO 216 A6 to A3; US letter (ANSI/ASME Y14.1 size A) and US legal.
    """
    if stored is not None and MIN_DPI <= stored <= MAX_DPI and is_offered(stored):
        short, long = sorted((width_px / stored, height_px / stored))
        if is_paper_size(short, long):
            return float(stored)
    return estimated_dpi(width_px, height_px)


def everyday_dpi(width_px: float, height_px: float) -> float | None:
    """The resolution at which a page this size is an everyday sheet of its shape (A4, US letter or
    legal), at whatever resolution that takes; None when none has its shape."""
    short, long = sorted((max(1.0, width_px), max(1.0, height_px)))
    for paper in PAPERS[:_EVERYDAY]:
        if abs(long / short - paper.long_inches / paper.short_inches) <= _ASPECT_SLACK * long / short:
            return short / paper.short_inches
    return None


def scale_readings(width_px: float, height_px: float, believed: float, pixels: bool = True) -> tuple[float, ...]:
    """The resolutions a page may have, `believed` (the header's, or the estimate) first: one when
    the page is an everyday sheet at it, or no everyday sheet has its shape; else also the one at
    which it is the everyday sheet of its shape (an A5-sized header on A4-shaped pixels) and, for
    a page measured in `pixels` (not a PDF's points), the sheet its shape makes likeliest at a
    resolution scanners offer (`dpi_by_shape`: an A3 scan at 300 dpi whose header says A5)."""
    everyday = everyday_dpi(width_px, height_px)
    if everyday is None or abs(math.log(everyday / believed)) <= _SNAP:
        return (believed,)
    readings = [believed, everyday]
    shaped = dpi_by_shape(round(width_px), round(height_px)) if pixels else None
    if shaped is not None and all(abs(math.log(shaped / reading)) > _SNAP for reading in readings):
        readings.append(shaped)
    return tuple(readings)


# Text measured as `scanner.textsize` measures it, on a copy at 100 dpi by a reading: the height of
# the dense core of its lines, in points. Measured on every cover layout, continuation page and
# real scan, clean, noisy, blurred, grey, turned: 4.3-7.9 at the true reading (3.4 at 3 degrees
# of skew); a copy at half the true resolution reads 2.2-5.2, at twice it 4.7-13. Readings a third
# or less apart overlap (small print read true, large print read a third too small).
NOMINAL_CORE_PT = 6.0
READABLE_CORE_PT = (2.8, 11.0)
_CLEAR_MARGIN = 0.2  # log distance by which one reading must beat another to be taken on the text alone
_ALIKE = 1.45  # readings at most this far apart (400 and 300 dpi, A5 and A4) the text may not tell apart


def likeliest_reading(cores: Sequence[float | None]) -> int:
    """Which reading is true, by the text measured under each (`cores`, None where no text was
    found): the one that puts it nearest `NOMINAL_CORE_PT`; but among readings within `_ALIKE`
    of it that the text does not clearly tell from it, the one that shows the text largest,
    because OCR misses text a size too small and reads text a size too large. The first (the
    header's) when there is no text."""
    distances = [abs(math.log(core / NOMINAL_CORE_PT)) if core else math.inf for core in cores]
    nearest = min(range(len(cores)), key=lambda index: (distances[index], index))
    if math.isinf(distances[nearest]):
        return 0
    near = cores[nearest] or 0.0
    alike = [
        index
        for index, core in enumerate(cores)
        if core
        and distances[index] - distances[nearest] < _CLEAR_MARGIN
        and max(core, near) / min(core, near) <= _ALIKE
    ]
    return max(alike, key=lambda index: cores[index] or 0.0)


def scale_doubt(core: float | None) -> str | None:
    """Why a page may hide a cover though it was read at its likeliest resolution: its text
    (`core`, measured as in `likeliest_reading`, at that resolution) too small or too large to
    read. None when it is readable, or shows no text."""
    if core is None or READABLE_CORE_PT[0] <= core <= READABLE_CORE_PT[1]:
        return None
    size = "small" if core < READABLE_CORE_PT[0] else "large"
    return f"its text is too {size} to read at any resolution its file or its size suggests"
