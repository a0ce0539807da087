"""Is this page possibly a cover, and which way up? A cheap test, so continuation pages skip the
careful read.

Most pages of a batch follow a cover. Reading the whole top of each one costs ~0.5 s; this test
reads only where labels sit: the first ~55 mm of each column of the first few text lines of a
small copy, stacked into one strip for one short tesseract call, and asks whether any reference
label or reference-shaped text is there. It is generous on purpose: a false "maybe" costs a
careful read, a false "no" would merge two children's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from PIL import Image

from scanner.cover import REFERENCE_LABELS
from scanner.imaging import ink, is_sideways, remove_rules, skew_angle, upside_down_score
from scanner.layout import find_label, group_lines
from scanner.references import readings_in_line
from scanner.tesseract import read_words

TRIAGE_DPI = 100
TOP_FRACTION = 0.45
MAX_LINES = 6
FIRST_LINES = 3  # read first, alone: most covers show their label here, and stop the test early
UNSURE_BAND = (0.8, 1.25)
COLUMN_GAP_MM = 6.0  # wider than a word space, narrower than the gap between a form's columns
PIECE_MM = 55.0  # the longest label ("Case Reference:" in 13 pt bold) with room to spare
# "Case no*" would take every "Case note" heading for a label; on a cover it reads "Case No."
TRIAGE_LABELS = tuple(("case", "no") if label == ("case", "no*") else label for label in REFERENCE_LABELS)


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


def _pieces(mask: np.ndarray, dpi: float, lines: slice) -> list[tuple[np.ndarray, int]]:
    """The start of each column of each of these text lines, with the row its line starts at."""
    gap, width, pad = round(dpi * COLUMN_GAP_MM / 25.4), round(dpi * PIECE_MM / 25.4), round(dpi * 0.03)
    pieces = []
    for top, bottom in text_bands(mask, dpi)[lines]:
        rows = mask[max(0, top - pad) : bottom + pad]
        inked = np.flatnonzero(rows.any(axis=0))
        starts = inked[np.r_[True, np.diff(inked) > gap]]
        for start, following in zip(starts, [*starts[1:], mask.shape[1]]):
            pieces.append((rows[:, start : min(start + width, following)], top))
    return pieces


def label_strip(mask: np.ndarray, dpi: float, lines: slice) -> tuple[Image.Image, list[tuple[int, int]]] | None:
    """The pieces of these lines of the top of the page (its ink, ruled lines removed) stacked
    into one white image, and for each piece its (bottom row in the strip, row in the page);
    None if those lines hold nothing."""
    pieces = _pieces(mask, dpi, lines)
    if not pieces:
        return None
    space = round(dpi * 0.06)
    strip = np.zeros((sum(p.shape[0] + space for p, _ in pieces) + space, max(p.shape[1] for p, _ in pieces) + 2 * space), bool)
    where, y = [], space
    for piece, row in pieces:
        strip[y : y + piece.shape[0], space : space + piece.shape[1]] = piece
        y += piece.shape[0] + space
        where.append((y, row))
    return Image.fromarray(np.where(strip, 0, 255).astype(np.uint8)), where


def cover_row(upright: Image.Image, dpi: float, patterns: Sequence[str], language: str, timeout: int) -> int | None:
    """The page row of the first line showing a reference label or a reference; None if none does.

    The first lines are read alone, then the rest: a cover showing its label early skips half
    the OCR, and a continuation page pays only a second short call."""
    top = upright.crop((0, 0, upright.width, int(upright.height * TOP_FRACTION)))
    mask = remove_rules(ink(top), min_length=max(20, int(dpi * 0.6)))
    for lines in (slice(0, FIRST_LINES), slice(FIRST_LINES, MAX_LINES)):
        found = label_strip(mask, dpi, lines)
        if found is None:
            return None
        row = _labelled_row(*found, dpi, patterns, language, timeout)
        if row is not None:
            return row
    return None


def _labelled_row(strip: Image.Image, where: list[tuple[int, int]], dpi: float, patterns: Sequence[str],
                  language: str, timeout: int) -> int | None:
    for line in group_lines(read_words(strip, round(dpi), language, timeout=timeout)):
        if any(find_label(line, label) is not None for label in TRIAGE_LABELS) or \
                readings_in_line([w.text for w in line.words], patterns):
            return next((row for bottom, row in where if line.top < bottom), where[-1][1])
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


def upright(image: Image.Image, clockwise: int, angle: float) -> Image.Image:
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    turned = image.transpose(turns[clockwise]) if clockwise else image
    if abs(angle) < 0.4:
        return turned
    return turned.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


def cover_hints(small: Image.Image, patterns: Sequence[str], language: str, timeout: int) -> list[Hint]:
    """Each way up in which the small page may be a cover, likeliest first; [] for a continuation.

    A page that is plainly upright as it lies is triaged as it is, and its skew (a rotation
    search, ~20 ms) measured only if it may be a cover; any other page is turned and straightened
    first, because tesseract reads nothing on a sideways or upside-down page.
    """
    mask = ink(small)
    if not is_sideways(mask) and upside_down_score(mask) >= UNSURE_BAND[1]:
        row = cover_row(small, TRIAGE_DPI, patterns, language, timeout)
        return [] if row is None else [Hint(0, skew_angle(mask), row)]
    turns, angle = _orientation(mask)
    hints = []
    for turn in turns:
        row = cover_row(upright(small, turn, angle), TRIAGE_DPI, patterns, language, timeout)
        if row is not None:
            hints.append(Hint(turn, angle, row))
    return hints
