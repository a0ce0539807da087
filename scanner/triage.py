"""Is this page possibly a cover, and which way up? A cheap test, so continuation pages skip the
careful read.

Most pages of a batch follow a cover. Reading the whole top of each one costs ~0.5 s; this test
reads only where labels sit, the start of each column of the first few text lines of a small
copy, stacked into one strip per tesseract call: the first 14 mm of every column, then 36 mm of
the few whose first letters may start a label or a reference, and asks whether a cover's
evidence is there: a reference label, reference-shaped text, or a name label with a date-of-birth
label. It is generous on purpose: a false "maybe" costs a careful read, a false "no" would merge
two children's files. What it cannot rule out cheaply it says as a doubt, and a person looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from scanner.bars import has_bars
from scanner.direction import is_sideways, skew_angle, upside_down_score
from scanner.doubts import stamped
from scanner.imaging import ink, print_alone, without_heavy_strokes
from scanner.looking import Look, look, look_between
from scanner.turning import STRAIGHT_ENOUGH, UNSURE_BAND, orientation, rough_skew, upright

TRIAGE_DPI = 100
RETRY_SKEW = 1.5  # degrees: an upright page skewed this much is straightened and looked at again
# Degrees askew up to which a page that showed nothing straightened is looked at as it lies too:
# a card's short lines of small print still read so (measured: 10 pt at 100 dpi, 1.5°).
UNSTRAIGHTENED_SKEW = 2.0
# How many times a sparse top that showed nothing is magnified to be looked at again, and how
# much of the page's foot is looked at so too (`_look_closer`).
CLOSER = 2
FOOT_FRACTION = 0.15


@dataclass(frozen=True)
class Hint:
    """A way up in which the page may be a cover: clockwise turn, skew, and the row (at the triage
    resolution, in the upright page) of the first line that showed a label or a reference."""

    turn: int
    angle: float
    row: int


@dataclass(frozen=True)
class Triage:
    """What the cheap look saw: each way up in which the page shows a cover's evidence (best
    first), and, when it shows none, why it still cannot be ruled out as a cover."""

    hints: tuple[Hint, ...]
    doubt: str | None = None


def triage_page(
    small: Image.Image,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    mask: np.ndarray | None = None,
    bars: bool | None = None,
) -> Triage:
    """Each way up in which the small page shows a cover's evidence, likeliest first, and the doubt
    when it shows none but cannot be ruled out; Triage(()) for a continuation page.

    A page that is plainly upright as it lies is triaged as it is, and its skew (a rotation
    search, ~20 ms) measured only if it may be a cover; any other page is turned and straightened
    first, because tesseract reads nothing on a sideways or upside-down page. An upright page
    that shows bars, or is skewed by 1.5° or more, is straightened and tried again before it is
    cleared: a barcode too fine to decode here marks a likely cover, and skew runs a label into
    the lines and rules beside it. `mask` is the page's ink and `bars` whether it shows bars, when
    the caller knows them already. Which way up and how askew are judged by the print alone,
    heavy strokes left out: a rubber stamp's big letters, set at their own angle, would decide both;
    whether it lies sideways, by its letters alone (`imaging.print_alone`).
    A page whose top reads as nothing at all every way it is looked at leaves a doubt: dot-matrix
    or broken print may hide a front sheet's fields (`doubts.illegible`).
    """
    mask = ink(small) if mask is None else mask
    print_ink = without_heavy_strokes(mask, TRIAGE_DPI)
    sideways = is_sideways(print_alone(mask, TRIAGE_DPI))
    read_nothing: list[str | None] = []  # each way up looked at: why its top read as nothing, or None
    lines_across = upside_down_score(print_ink)
    if not sideways and lines_across >= UNSURE_BAND[1]:
        seen = look(small, TRIAGE_DPI, patterns, language, timeout, mask=mask)
        if seen.row is not None:
            return Triage((Hint(seen.quarter, skew_angle(print_ink), seen.row),))
        if not (has_bars(mask, TRIAGE_DPI) if bars is None else bars) and abs(rough_skew(print_ink)) < RETRY_SKEW:
            # Looked at closer here only when it is cleared here: `_turned` looks closer itself.
            closer = _look_closer(small, 0, 0.0, patterns, language, timeout, whole=seen.sparse)
            if closer.row is not None:
                return Triage((Hint(closer.quarter, skew_angle(print_ink), closer.row),))
            return Triage((), seen.doubt or closer.doubt or stamped(small, seen.sparse) or seen.illegible)
        read_nothing.append(seen.illegible)
    hints, doubt, sparse = _turned(small, print_ink, sideways, patterns, language, timeout, read_nothing)
    unsure = UNSURE_BAND[0] < lines_across < UNSURE_BAND[1]
    if not hints and (sideways or unsure or is_sideways(print_ink, askew=True)):
        # A sparse ruled table's long rules can make an upright sheet seem sideways, and skew a
        # sideways sheet seem upright: the other axis is tried too. So it is when the print
        # shows no text lines across the page either way up (`unsure`): a card's two short lines
        # of 9 pt print, lying sideways, banded rows and columns alike (a fresh tester's, merged).
        hints, other, _ = _turned(small, print_ink, not sideways, patterns, language, timeout, read_nothing)
        doubt = doubt or other
    unread = read_nothing[0] if all(read_nothing) else None
    return Triage(tuple(hints), None if hints else doubt or stamped(small, sparse) or unread)


def _turned(
    small: Image.Image,
    mask: np.ndarray,
    sideways: bool,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    read_nothing: list[str | None],
) -> tuple[list[Hint], str | None, bool]:
    """The hints of the page turned each way up on one axis, and straightened, likeliest first,
    the first doubt any way up leaves, and whether every way up showed a sparse top; each way
    up's `Look.illegible` is added to `read_nothing`. The upside-down test misjudges a sparse,
    blurred sheet, so the unlikely way is tried too, last, and followed down the page as the
    likely ones are when their tops were sparse too: the sparse sheet may be a cover with its
    fields low. So followed, it is looked at closer too (a sparse sheet in bold print, 0.6°
    askew, seemed upside down, and its 8 pt reference read only magnified)."""
    likely, angle = orientation(mask, sideways)
    turns = [*likely, *[turn for turn in (likely[0], (likely[0] + 180) % 360) if turn not in likely]]
    hints: list[Hint] = []
    doubt = None
    sparse = True
    for turn in turns:
        if hints and turn not in likely:  # the other way up is tried only when the likely ones show nothing
            break
        follow = turn in likely or sparse
        seen = look(upright(small, turn, angle), TRIAGE_DPI, patterns, language, timeout, follow=follow)
        if seen.row is None and turn in likely and STRAIGHT_ENOUGH <= abs(angle) <= UNSTRAIGHTENED_SKEW:
            # Straightening blurs small print here: a 9 pt cover, measured 1° askew, read at once
            # as it lay and not at all straightened, and merged into the case file before it; so
            # did a 10 pt grey card lying sideways 1.5° askew. The careful read, at twice the
            # resolution, still straightens it (read as it lay, "CSC" came back "OSC").
            seen = look(upright(small, turn, 0.0), TRIAGE_DPI, patterns, language, timeout, follow=follow)
        if seen.row is None and follow:
            closer = _look_closer(small, turn, angle, patterns, language, timeout, seen.sparse, turn in likely)
            seen = closer if closer.row is not None else replace(seen, doubt=seen.doubt or closer.doubt)
        sparse = sparse and seen.sparse
        if seen.row is not None:
            hints.append(Hint((turn + seen.quarter) % 360, angle, seen.row))
        doubt = doubt or seen.doubt
        read_nothing.append(seen.illegible)
    return hints, doubt, sparse


def _look_closer(
    small: Image.Image,
    turn: int,
    angle: float,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    whole: bool = True,
    bare: bool = True,
) -> Look:
    """`look` at the triage copy magnified `CLOSER` times, turned and straightened: at its top
    when `whole` (a sparse top), then at its foot (`FOOT_FRACTION`), read as a top; a row found
    is at the triage copy's scale. Tesseract misses letters under ~10 px tall, and straightening
    blurs them further: an A5 card of 8 pt print, 2.8° askew on A4, read nothing straightened and
    its label "Child's name" as "I co's name" as it lay; a reference in a 7-8 pt footer read
    "Fle reletence Qx-2016-8128", under a sparse top or a full one (fresh testers', merged).
    Magnified, both read (~0.3 s for a whole page; a foot with no ink costs ~5 ms). Not followed
    down the page: magnified and followed, a real book page's noise read "DOB"; the foot counts
    an unlabelled reference only as printed. With `bare` (a likely way up), the top counts one
    read with a letter corrected: a sheet's reference alone in its corner in 10 pt read "86-2018"
    at 100 dpi and "$G-2018-5078" magnified (a tester's, merged silently); the unlikely way's top
    is a letter's foot, and counts one only as printed. A doubt either look leaves about what it
    read is kept, the top's first: 8 pt narrow print white on a tight black box, alone on a
    sheet, read at 100 dpi as nothing and magnified as "CSC-2025-C1", a reference cut short (a
    tester's, merged silently when that doubt was dropped). A ruled table's unread cells are the
    small copy's to say: magnified, a skewed table's cells read as nothing on plain pages."""
    turned = upright(small, turn, 0.0)
    top_doubt = None
    if whole:
        big = upright(_magnified(turned), 0, angle)
        seen = look(big, TRIAGE_DPI * CLOSER, patterns, language, timeout, follow=False, bare=bare)
        if seen.row is not None:
            return replace(seen, row=seen.row // CLOSER)
        top_doubt = _read(seen)
    foot = round(turned.height * (1 - FOOT_FRACTION))
    band = turned.crop((0, foot, turned.width, turned.height))
    big = upright(_magnified(band), 0, angle)
    seen, _ = look_between(big, 0, big.height, 0, TRIAGE_DPI * CLOSER, patterns, language, timeout, bare=False)
    if seen.row is None:
        return replace(seen, doubt=top_doubt or _read(seen), of_cells=False)
    return replace(seen, row=foot + seen.row // CLOSER)


def _read(seen: Look) -> str | None:
    """The doubt a magnified look leaves about what it read; unread cells are the small copy's."""
    return None if seen.of_cells else seen.doubt


def _magnified(image: Image.Image) -> Image.Image:
    return image.resize((image.width * CLOSER, image.height * CLOSER), Image.Resampling.BICUBIC)


def cover_hints(
    small: Image.Image, patterns: Sequence[str], language: str, timeout: int, mask: np.ndarray | None = None
) -> list[Hint]:
    """The ways up of `triage_page`, for callers that do not weigh its doubt."""
    return list(triage_page(small, patterns, language, timeout, mask).hints)
