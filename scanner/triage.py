"""Is this page possibly a cover, and which way up? A cheap test, so continuation pages skip the
careful read.

Most pages of a batch follow a cover. Reading the whole top of each one costs ~0.5 s; this test
reads only where labels sit, the start of each column of the first few text lines of a small
copy, stacked into one strip per tesseract call: the first 14 mm of every column, then 36 mm of
the few whose first letters may start a label or a reference, and asks whether any reference
label or reference-shaped text is there. It is generous on purpose: a false "maybe" costs a
careful read, a false "no" would merge two children's files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from PIL import Image

from scanner.cover import REFERENCE_LABELS
from scanner.imaging import has_bars, ink, is_sideways, remove_rules, skew_angle, upside_down_score
from scanner.layout import Line, find_label, group_lines, normalised
from scanner.references import readings_in_line
from scanner.tesseract import Word, read_words

TRIAGE_DPI = 100
TOP_FRACTION = 0.45
MAX_LINES = 6
BARS_MM = 8.0  # the least height of a linear barcode's bars; taller than any letter
PEEK_MM = 14.0  # a piece's first word or two, enough to tell whether it may start a label
UNSURE_BAND = (0.8, 1.25)
COLUMN_GAP_MM = 6.0  # wider than a word space, narrower than the gap between a form's columns
# Enough of any label to know it, even cut short in a large font ("Case Referen", "Case Numbe"):
# tesseract's time grows with the width it reads, and most pieces are lines of a letter.
PIECE_MM = 36.0
# "Case no*" would take every "Case note" heading for a label; on a cover it reads "Case No."
TRIAGE_LABELS = tuple(("case", "no") if label == ("case", "no*") else label for label in REFERENCE_LABELS) + (
    ("case", "num*"), ("referen*",))
LABEL_STARTS = frozenset(label[0][:3] for label in TRIAGE_LABELS)
# Letters running into digits, as a reference begins ("SGD-20"); two letters, because a date at
# the small copy's resolution reads as "o2/09" or "1o/l9".
REFERENCE_START = re.compile(r"[A-Za-z]{2}[-/ ]?[0-9]")


@dataclass(frozen=True)
class Hint:
    """A way up in which the page may be a cover: clockwise turn, skew, and the row (at the triage
    resolution, in the upright page) of the first line that showed a label or a reference."""

    turn: int
    angle: float
    row: int


def text_bands(mask: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """(top, bottom) rows of each text line, top to bottom, from the row profile of the ink.

    Gaps thinner than a hair join (a broken descender); bands too thin for a letter are dropped.
    """
    rows = mask.sum(axis=1) >= max(2, int(0.003 * mask.shape[1]))
    bands: list[list[int]] = []
    join, least = max(1, round(dpi * 0.01)), max(2, round(dpi * 0.04))
    for index in np.flatnonzero(rows):
        if bands and index - bands[-1][1] <= join + 1:
            bands[-1][1] = int(index)
        else:
            bands.append([int(index), int(index)])
    return [(top, bottom + 1) for top, bottom in bands if bottom + 1 - top >= least]


@dataclass(frozen=True)
class _Piece:
    """The start of one column of one text line: where a label would sit."""

    ink: np.ndarray  # the whole line's ink
    start: int  # the column's first inked pixel
    end: int  # where the next column starts, or the page's edge
    row: int  # the line's top row in the page

    def cut(self, width: int) -> np.ndarray:
        return self.ink[:, self.start : min(self.start + width, self.end)]


def _pieces(mask: np.ndarray, dpi: float) -> list[_Piece]:
    """The start of each column of each of the first text lines."""
    gap, pad = round(dpi * COLUMN_GAP_MM / 25.4), round(dpi * 0.03)
    pieces = []
    for top, bottom in text_bands(mask, dpi)[:MAX_LINES]:
        rows = mask[max(0, top - pad) : bottom + pad]
        inked = np.flatnonzero(rows.sum(axis=0) >= 2)  # a lone speck of noise starts no column
        starts = inked[np.r_[True, np.diff(inked) > gap]]
        pieces += [_Piece(rows, int(start), int(end), top) for start, end in zip(starts, [*starts[1:], mask.shape[1]])]
    return [piece for piece in pieces if not _is_bars(piece.cut(piece.end), dpi)]


def _is_bars(ink: np.ndarray, dpi: float) -> bool:
    """Whether a piece is a barcode that did not decode: taller than a line of text, with columns
    inked almost top to bottom. Bars never start a label, and they muddle tesseract's reading
    of the short pieces around them."""
    if ink.shape[0] < dpi * BARS_MM / 25.4:
        return False
    return int((ink.mean(axis=0) >= 0.8).sum()) >= 5


def _strip(pieces: Sequence[np.ndarray], dpi: float) -> tuple[Image.Image, list[int]]:
    """These pieces of ink stacked into one white image for one tesseract call, and the row in
    the strip where each piece ends."""
    space = round(dpi * 0.06)
    strip = np.zeros((sum(p.shape[0] + space for p in pieces) + space, max(p.shape[1] for p in pieces) + 2 * space), bool)
    bottoms, y = [], space
    for piece in pieces:
        strip[y : y + piece.shape[0], space : space + piece.shape[1]] = piece
        y += piece.shape[0] + space
        bottoms.append(y)
    return Image.fromarray(np.where(strip, 0, 255).astype(np.uint8)), bottoms


def _read_pieces(pieces: Sequence[np.ndarray], dpi: float, language: str, timeout: int) -> list[tuple[int, Line]]:
    """The lines tesseract reads in the stacked pieces, each with the index of its piece (a piece
    is one line's column, or several lines a skewed table's rules joined). Each word is placed
    by its middle: a word's box can reach into the piece above."""
    strip, bottoms = _strip(pieces, dpi)
    placed: dict[int, list[Word]] = {}
    for word in read_words(strip, round(dpi), language, timeout=timeout):
        middle = word.top + word.height / 2
        placed.setdefault(next((i for i, bottom in enumerate(bottoms) if middle < bottom), len(bottoms) - 1), []).append(word)
    return [(index, line) for index, words in sorted(placed.items()) for line in group_lines(words)]


def _may_start_label(line: Line) -> bool:
    """Whether the first few letters of a piece may begin a label or a reference: a label's first
    word ("Case", "Ref", "File", "Our"), even split ("Ca se") or with one letter misread ("Ret
    No" in a skewed bold line), or the start of a reference."""
    words = [normalised(word.text) for word in line.words]
    letters = "".join(words)
    return any(stem in letters for stem in LABEL_STARTS) or any(_one_letter_off(word[:3]) for word in words) \
        or REFERENCE_START.search(line.text) is not None


def _one_letter_off(start: str) -> bool:
    return len(start) == 3 and any(sum(a != b for a, b in zip(start, stem)) <= 1 for stem in LABEL_STARTS)


def cover_row(upright: Image.Image, dpi: float, patterns: Sequence[str], language: str, timeout: int) -> int | None:
    """The page row of the first line showing a reference label or a reference; None if none does.

    Two short reads: the first few letters of every piece, then the whole of only those pieces
    that may start a label. Tesseract's time grows with the width it reads, and most pieces are
    lines of a letter that the first read clears."""
    top = upright.crop((0, 0, upright.width, int(upright.height * TOP_FRACTION)))
    pieces = _pieces(remove_rules(ink(top), min_length=max(20, int(dpi * 0.6))), dpi)
    if not pieces:
        return None
    peek = round(dpi * PEEK_MM / 25.4)
    chosen = sorted({i for i, line in _read_pieces([p.cut(peek) for p in pieces], dpi, language, timeout)
                     if _may_start_label(line)})
    if not chosen:
        return None
    width = round(dpi * PIECE_MM / 25.4)
    for index, line in _read_pieces([pieces[i].cut(width) for i in chosen], dpi, language, timeout):
        if any(find_label(line, label) is not None for label in TRIAGE_LABELS) or \
                readings_in_line([w.text for w in line.words], patterns):
            return pieces[chosen[index]].row
    return None


def may_be_cover(upright: Image.Image, dpi: float, patterns: Sequence[str], language: str, timeout: int) -> bool:
    """True when the first lines of the (upright, small) page show a reference label or a reference."""
    return cover_row(upright, dpi, patterns, language, timeout) is not None


def _orientation(mask: np.ndarray) -> tuple[list[int], float]:
    """Clockwise turns to try (likeliest first; two when the page is unclear) and the skew angle.

    The skew is measured, and taken out, before asking which way up the page is: skewed lines
    blur the ascender/descender bands that the upside-down test reads.
    """
    first = 90 if is_sideways(mask) else 0
    base = np.rot90(mask, -1) if first else mask
    angle = skew_angle(base)
    straight = Image.fromarray(base.astype(np.uint8) * 255).rotate(angle, resample=Image.Resampling.NEAREST)
    score = upside_down_score(np.asarray(straight, dtype=bool))
    if score >= UNSURE_BAND[1]:
        return [first], angle
    if score <= UNSURE_BAND[0]:
        return [first + 180], angle
    return [first, first + 180], angle


def upright(image: Image.Image, clockwise: int, angle: float, rows: tuple[int, int] | None = None) -> Image.Image:
    """The page turned and straightened; with `rows`, only those rows of it (clipped to the page),
    straightening just them and the margin the skew brings in: a whole page at the working
    resolution costs ~40 ms to straighten, the band below a label about a quarter of that."""
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    turned = image.transpose(turns[clockwise]) if clockwise else image
    top, bottom = (0, turned.height) if rows is None else (max(0, rows[0]), min(turned.height, rows[1]))
    if abs(angle) < 0.4:
        return turned if rows is None else turned.crop((0, top, turned.width, bottom))
    margin = math.ceil(turned.width / 2 * abs(math.tan(math.radians(angle)))) + 2
    first, last = max(0, top - margin), min(turned.height, bottom + margin)
    around = turned.crop((0, first, turned.width, last)).rotate(
        angle, resample=Image.Resampling.BILINEAR, fillcolor=255, center=(turned.width / 2, turned.height / 2 - first))
    return around.crop((0, top - first, turned.width, bottom - first))


def cover_hints(small: Image.Image, patterns: Sequence[str], language: str, timeout: int,
                mask: np.ndarray | None = None) -> list[Hint]:
    """Each way up in which the small page may be a cover, likeliest first; [] for a continuation.

    A page that is plainly upright as it lies is triaged as it is, and its skew (a rotation
    search, ~20 ms) measured only if it may be a cover; any other page is turned and straightened
    first, because tesseract reads nothing on a sideways or upside-down page. An upright page
    that shows bars is straightened and tried again before it is cleared: a barcode too fine to
    decode here marks a likely cover, and skew runs a label into the lines beside it. `mask` is
    the page's ink, when the caller has it already.
    """
    mask = ink(small) if mask is None else mask
    if not is_sideways(mask) and upside_down_score(mask) >= UNSURE_BAND[1]:
        row = cover_row(small, TRIAGE_DPI, patterns, language, timeout)
        if row is not None or not has_bars(mask, TRIAGE_DPI):
            return [] if row is None else [Hint(0, skew_angle(mask), row)]
    turns, angle = _orientation(mask)
    hints = []
    for turn in turns:
        row = cover_row(upright(small, turn, angle), TRIAGE_DPI, patterns, language, timeout)
        if row is not None:
            hints.append(Hint(turn, angle, row))
    return hints


@dataclass(frozen=True)
class Triage:
    """What triage saw: the ways up in which the page shows cover evidence, best first, and why a
    page showing none still cannot be ruled out as a cover (its case file then goes to a person)."""

    hints: tuple[Hint, ...]
    doubt: str | None = None


def triage_page(small: Image.Image, patterns: Sequence[str], language: str, timeout: int,
                mask: np.ndarray | None = None) -> Triage:
    """`cover_hints`; no doubt yet: bars that did not decode were tried as one, and flagged
    chronology tables on continuation pages (the demo's), sending sure case files to review."""
    return Triage(tuple(cover_hints(small, patterns, language, timeout, mask)), None)
