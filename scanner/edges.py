"""Where text may run along a page's side edge, turned a quarter from the page's own lines: a
front sheet may print its reference down a dark strip at its edge, white on black, or sideways
in its margin, beside a name and a paragraph that name no case (an eighth tester's covers merged
so, the page upright and its lines showing no label). Pixels only; no OCR."""

from __future__ import annotations

import numpy as np

from scanner.imaging import row_runs

EDGE_MM = 35.0  # how far in from the page's edge the strip may start: a wide margin
STRIP_MM = 25.0  # the widest strip: two lines of 20 pt print turned on their side
GAP_MM = 1.5  # blank columns between the strip and the body: less than a margin, more than a letter
RUN_MM = 20.0  # the strip's ink runs down the page this far at least: a label and a reference
JOIN_MM = 3.0  # gaps down a line of print turned on its side: between letters and words


def edge_strips(mask: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """(first, last + 1) columns of each strip of ink along the page's left and right edges that
    stands apart from the page's body, as narrow as a line or two turned on its side and running
    down the page as far as a label and a reference would: where a quarter-turned line may be.

    `mask` is the upright page's ink (True = ink) at `dpi`. Punch holes and staples are too
    short; a column of a table or of text is wider or runs into the body."""
    least = max(2, int(0.003 * mask.shape[0]))
    inked = np.flatnonzero(mask.sum(axis=0) >= least)
    if not len(inked):
        return []
    runs = row_runs(inked, round(dpi * GAP_MM / 25.4))
    edge, width = dpi * EDGE_MM / 25.4, mask.shape[1]
    sides = [runs[0]] if runs[0][0] <= edge else []
    if runs[-1][1] >= width - edge and runs[-1] not in sides:
        sides.append(runs[-1])
    return [
        (first, last)
        for first, last in sides
        if len(runs) > 1 and last - first <= dpi * STRIP_MM / 25.4 and _runs_down(mask[:, first:last], dpi)
    ]


def _runs_down(strip: np.ndarray, dpi: float) -> bool:
    rows = np.flatnonzero(strip.any(axis=1))
    return any(last - first >= dpi * RUN_MM / 25.4 for first, last in row_runs(rows, round(dpi * JOIN_MM / 25.4)))
