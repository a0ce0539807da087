"""The parts of a likely cover the careful read gives tesseract: the band around the label
triage saw, the top of the page, and the rest of it, each cut from the page as decoded, turned
upright and only then scaled to the working resolution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from scanner.direction import is_sideways
from scanner.fields import has_all_fields, shows_whom
from scanner.imaging import clean_for_ocr, in_lines_of_letters, ink, print_alone, scaled, without_heavy_strokes
from scanner.labels import TOP_FRACTION
from scanner.layout import group_lines
from scanner.lines import text_bands
from scanner.pages import WORKING_DPI
from scanner.tesseract import Word, read_words
from scanner.triage import TRIAGE_DPI, Hint
from scanner.turning import orientation, upright

BAND_MM = (-10.0, 60.0)  # around the label line: skew slack above, name and birth date below
BAND_STEPS_MM = (20.0, 32.0)  # where the band's first parts end, below the label line
# Tesseract's confidence (0-100) above which a word counts as read: upside-down print reads as
# few such words, and the right way up as many.
CONFIDENT_WORD = 60
LEAST_CONFIDENT_WORDS = 2  # a name's two words
# Print no confidently read word covers, in mm² of ink, above which a page that showed no one
# is read the other ways up: a short name's worth (a punch hole's shadow is ~25 mm²).
UNREAD_PRINT_MM2 = 10.0
MIN_PART_MM = 5.0  # less of a page than this holds no line of print worth a tesseract call


Decoded = tuple[Image.Image, float]  # the page as decoded, at the working resolution or finer, and that resolution


def working(page: Decoded, hint: Hint, rows: tuple[int, int]) -> Image.Image:
    """Rows `rows` (at the working resolution) of the page turned upright, cut from the page as
    decoded and only then scaled to the working resolution: scaling a whole 300 dpi page to
    200 dpi cost ~25 ms a cover, scaling the band a fraction of that."""
    image, dpi = page
    factor = dpi / WORKING_DPI
    return scaled(
        upright(image, hint.turn, hint.angle, (round(rows[0] * factor), round(rows[1] * factor))), dpi, WORKING_DPI
    )


def band(page: Decoded, hint: Hint, language: str, timeout: int) -> tuple[list[Word], int, int]:
    """The words of the band around the label line triage saw, on the page turned upright, and
    the rows of that page (working resolution) the band was read from and to.

    The band is read in parts, nearest the label first (covers print the name and date of birth
    just below it), and the reading stops once both have been seen: most covers need only the
    first part or two, and details printed further down are still found."""
    row = hint.row * WORKING_DPI / TRIAGE_DPI
    top, bottom = (round(row + mm / 25.4 * WORKING_DPI) for mm in BAND_MM)
    top = max(0, top)
    band = clean_for_ocr(working(page, hint, (top, bottom)), WORKING_DPI)
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
    return words, top, top + start


def _line_end(lines: list[tuple[int, int]], row: int, height: int) -> int:
    """`row`, or the bottom of the text line it cuts through (a line split in two reads as
    neither); `height` when no line ends below it."""
    for line_top, line_bottom in lines:
        if line_bottom > row:
            return min(height, line_bottom if line_top < row else row)
    return height


def _height(page: Decoded, hint: Hint) -> int:
    """The page's height turned upright, in rows at the working resolution."""
    image, dpi = page
    return round((image.width if hint.turn % 180 else image.height) * WORKING_DPI / dpi)


def top(page: Decoded, hint: Hint, last: int = 0) -> Image.Image:
    """The top `TOP_FRACTION` of the page turned upright (down to row `last` at least), at the
    working resolution and cleaned for tesseract: where a cover prints its details."""
    return clean_for_ocr(working(page, hint, (0, max(int(_height(page, hint) * TOP_FRACTION), last))), WORKING_DPI)


def below(page: Decoded, hint: Hint, first: int, language: str, timeout: int) -> list[Word]:
    """The words of the page turned upright from row `first` (working resolution) to its foot,
    placed on that page: where a cover whose top shows no name or date of birth may print them
    (a fresh tester's covers named another child 14 cm down, and were linked by their reference)."""
    return between(page, hint, first, _height(page, hint), language, timeout)


def between(page: Decoded, hint: Hint, first: int, last: int, language: str, timeout: int) -> list[Word]:
    """The words of rows `first` to `last` of the page turned upright, placed on that page; none
    when the rows are too few to hold a line."""
    if last - first < WORKING_DPI * MIN_PART_MM / 25.4:
        return []
    part = clean_for_ocr(working(page, hint, (first, last)), WORKING_DPI)
    return [replace(word, top=word.top + first) for word in read_words(part, WORKING_DPI, language, timeout=timeout)]


def crosswise(page: Decoded, hint: Hint, words: Sequence[Word], language: str, timeout: int) -> list[Word]:
    """The words of the page read each other way up, placed below its foot, when print that
    `words` (the page read the way `hint` turns it, placed on it) left unread shows a labelled
    name or date of birth that way: a fresh tester's barcoded covers printed another child's
    name and date of birth along an edge, read as no words, and were linked by their code.
    Empty when every way shows no one, or all the print in lines of letters was read (a cover
    that names no one; a stamp's frame or a table's rules are no letters). The page cleaned the
    way it lies is turned, not cleaned again each way (three cleanings were a third of a second)."""
    height = _height(page, hint)
    cleaned = clean_for_ocr(working(page, hint, (0, height)), WORKING_DPI)
    unread = np.asarray(cleaned) < 128
    for word in words:
        if word.confidence >= CONFIDENT_WORD:
            unread[word.top : word.top + word.height, word.left : word.left + word.width] = False
    if in_lines_of_letters(unread, WORKING_DPI).sum() < UNREAD_PRINT_MM2 * (WORKING_DPI / 25.4) ** 2:
        return []
    for quarter in (90, 270, 180):
        read = read_words(cleaned.rotate(quarter, expand=True, fillcolor=255), WORKING_DPI, language, timeout=timeout)
        if shows_whom(group_lines(read), WORKING_DPI):
            return [replace(word, top=word.top + height) for word in read]
    return []


def top_words(page: Decoded, small: Image.Image, language: str, timeout: int) -> tuple[list[Word], Hint]:
    """The words of the top of a barcoded page that showed triage no label: a name printed under
    "Name:" alone, "Surname:" and "Forename:", or no label at all, is still someone's, and the
    catalogue must see it (a fresh tester's QR covers naming one child over another child's
    printed name were linked automatically). Each likely way up is read, and the one with the
    most confident words kept; every other way too when those read next to nothing: a sheet of
    a line or two and a code leaves which way up in doubt (one line beside a QR code seemed sideways)."""
    mask = ink(small)
    print_ink = without_heavy_strokes(mask, TRIAGE_DPI)
    likely, angle = orientation(print_ink, is_sideways(print_alone(mask, TRIAGE_DPI)))
    best: tuple[list[Word], Hint] = ([], Hint(likely[0], angle, 0))
    for turn in [*likely, *(turn for turn in (0, 180, 90, 270) if turn not in likely)]:
        if turn not in likely and _confident(best[0]) >= LEAST_CONFIDENT_WORDS:
            break
        way = Hint(turn, angle if turn in likely else 0.0, 0)
        words = read_words(top(page, way), WORKING_DPI, language, timeout=timeout)
        best = max(best, (words, way), key=lambda reading: _confident(reading[0]))
    return best


def _confident(words: Sequence[Word]) -> int:
    return sum(word.confidence >= CONFIDENT_WORD for word in words)
