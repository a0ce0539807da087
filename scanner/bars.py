"""Whether a page shows a barcode, decoded or not, from the ink of its small triage copy.

A barcode too fine or too slanted to decode at 100 dpi still shows as bars or a dark block there:
a page that shows one is searched at full resolution before it is cleared (`scanner.analysis`).
"""

from __future__ import annotations

import numpy as np

# Ink this near (mm) is closed into one block when bars are looked for at a slant: a slanted bar
# crosses its neighbours' columns (15 degrees over a 10 mm tall code: 2.7 mm), so the closed
# code is a solid block, tall in every column; words close up no taller than their line.
SLANT_GAP_MM = 1.0


def has_bars(mask: np.ndarray, dpi: float) -> bool:
    """Whether the small copy's ink shows a barcode-like patch: many columns within 30 mm that each
    hold an unbroken vertical run of ink at least 8 mm tall. Letters are never that tall, and a
    ruled box has a few such columns, not dozens; a barcode too fine to decode at this resolution
    still shows as bars or a dark block. Bars run either way on a sideways page, so both are tried."""
    return has_upright_bars(mask, dpi) or has_sideways_bars(mask, dpi)


def has_upright_bars(mask: np.ndarray, dpi: float) -> bool:
    """Whether the small copy's ink shows bars standing up (see `has_bars`)."""
    return _tall_columns(mask, dpi)


def has_sideways_bars(mask: np.ndarray, dpi: float) -> bool:
    """Whether the small copy's ink shows bars lying on their side (see `has_bars`)."""
    return _tall_columns(mask.T, dpi)


def _tall_columns(mask: np.ndarray, dpi: float) -> bool:
    run, span, length = mask.copy(), 1, round(dpi * 8 / 25.4)
    rows = run.shape[0]
    while span * 2 <= length:
        run[: max(0, rows - span)] &= run[span:]
        run[max(0, rows - span) :] = False
        span *= 2
    rest = length - span
    tall = run[: max(0, rows - rest)] & run[rest:] if rest else run
    window = round(dpi * 30 / 25.4)
    if _most_in_window(np.asarray(tall.any(axis=0)), window) < length:
        return False
    return _side_by_side(tall, length, window)


def _most_in_window(columns: np.ndarray, window: int) -> int:
    """The most True entries of `columns` (one per column) in any `window` columns running."""
    counts = np.concatenate(([0], np.cumsum(columns)))
    return int((counts[window:] - counts[:-window]).max()) if counts.size > window else 0


def _side_by_side(tall: np.ndarray, length: int, window: int) -> bool:
    """Whether the tall runs stand side by side, across the same rows, as a barcode's bars do.

    A long rule on a sheet fed 3° askew has as many columns holding a tall run (seen sideways,
    each row crosses the rule for ~40 px), but each run lies below the last: no row is crossed
    by more than a few. It sent every skewed ruled page to the full-resolution barcode search
    (~0.4 s a page). Bars, a dark block, and a code slanted a few degrees all share rows."""
    rows = np.flatnonzero(tall.any(axis=1))
    starts = tall[rows[0] : rows[-1] + 1]
    covered, span = starts.copy(), 1
    height = covered.shape[0]
    while span * 2 <= length:  # a run starting at row r covers rows r .. r + length - 1
        covered[span:] |= covered[: max(0, height - span)].copy()
        span *= 2
    rest = length - span
    if rest:
        joined = covered.copy()
        covered[rest:] |= joined[: max(0, height - rest)]
    counts = np.concatenate(
        (np.zeros((covered.shape[0], 1), np.int32), np.cumsum(covered, axis=1, dtype=np.int32)), axis=1
    )
    if counts.shape[1] <= window:
        return False
    return int((counts[:, window:] - counts[:, :-window]).max()) >= length


def has_slanted_bars(mask: np.ndarray, dpi: float, mend: bool = False) -> bool:
    """Whether the ink shows bars at any slant up to ~15 degrees: the outlines of its strokes are
    closed into blocks (`SLANT_GAP_MM`), whose columns are then tall however the bars lean.
    Letters close into words no taller than their line. Outlines alone, because a shaded band
    or a dark block is solid, not bars: closed, its outline has two tall columns, bars dozens
    (every cover with a grey header band 16 mm tall showed bars so). With `mend`, a pixel's gap
    along the bars is closed too: bars thinner than the copy's pixel come out broken (0.17 mm
    bars at 100 dpi, with grain), but so do a blurred or skewed page's lines of text, now and
    then, so only where a page holds little else."""
    inside = mask.copy()
    inside[1:] &= mask[:-1]
    inside[:-1] &= mask[1:]
    inside[:, 1:] &= mask[:, :-1]
    inside[:, :-1] &= mask[:, 1:]
    outlines = mask & ~inside
    reach = max(1, round(dpi * SLANT_GAP_MM / 25.4 / 2))
    closed = []
    for source in (outlines, outlines.T):
        block = source.copy()
        for step in range(1, reach + 1):
            block[:, step:] |= source[:, :-step]
            block[:, :-step] |= source[:, step:]
        if mend:
            block[1:] |= block[:-1].copy()
        closed.append(block)
    return any(_tall_columns(block, dpi) for block in closed)
