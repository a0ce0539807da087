"""The doubts a page's top leaves when it shows no cover's evidence but may still hide one, judged
from which of its pieces of line read anything: pure functions, no OCR."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from scanner.direction import is_sideways
from scanner.imaging import row_runs, second_ink
from scanner.labels import TOP_FRACTION
from scanner.lines import Piece, text_bands

GRID_RULE_MM = 40.0  # a table's horizontal rule: longer than any underline of a word or two
GRID_CELL_MM = 8.0  # a table's vertical rule: at least one row of cells tall
# A top of this many pieces of line or more, of which fewer than this share read any letter, is
# illegible on the triage copy (see `illegible`).
ILLEGIBLE_PIECES = 8
ILLEGIBLE_SHARE = 0.25
LANDSCAPE = 1.2  # an image this much wider than tall may hold two sheets side by side (two A4: 1.41)
GUTTER_MM = 10.0  # ... parted by a blank band this wide: two sheets' margins, 10-25 mm each
SHEET_LINES = 3  # ... each holding this many lines of text


def unread_cells(rules: np.ndarray, pieces: Sequence[Piece], seen: set[int], dpi: float) -> str | None:
    """The doubt a ruled table at the top leaves when some of its cells read as nothing and
    others read: a front sheet's grid whose label cells the scan has blurred. Ruled tables on
    continuation pages (a chronology) read; one turned the wrong way reads nowhere; pictures and
    stray marks outside a grid are no cover's evidence."""
    rows = np.flatnonzero(rules.sum(axis=1) >= dpi * GRID_RULE_MM / 25.4)
    columns = np.flatnonzero(rules.sum(axis=0) >= dpi * GRID_CELL_MM / 25.4)
    if len(row_runs(rows, 0)) < 2 or len(row_runs(columns, 0)) < 2:  # one run per rule, however thick
        return None
    inside = [
        i
        for i, piece in enumerate(pieces)
        if rows[0] <= piece.row <= rows[-1] and columns[0] <= piece.start <= columns[-1]
    ]
    unread = [i for i in inside if i not in seen]
    if not unread or len(unread) == len(inside):
        return None
    return f"{len(unread)} cell(s) of a ruled table near the top could not be read"


def illegible(pieces: Sequence[Piece], seen: set[int], small_line: float) -> str | None:
    """The doubt a page's top leaves when most of its pieces read as nothing at all
    (`seen` holds those that read a letter or digit): print tesseract cannot make out on the
    triage copy, dot-matrix or broken, may hold a front sheet's fields. A tester's dot-matrix
    covers read 1 to 3 pieces of 41 and merged, linked automatically; the tops of letters, notes
    and real scans read nearly every piece. Print whose usual line is under `small_line` pixels
    tall is too small for the triage copy, and the careful look reads it magnified instead."""
    if len(pieces) < ILLEGIBLE_PIECES or len(seen) >= ILLEGIBLE_SHARE * len(pieces):
        return None
    if float(np.median([piece.height for piece in pieces])) < small_line:
        return None
    return f"{len(pieces) - len(seen)} of {len(pieces)} pieces of line near the top read as nothing"


def two_sheets(mask: np.ndarray, dpi: float) -> str | None:
    """The doubt an image of two sheets laid side by side on the glass leaves (`mask`, its ink as
    it lies): a blank band at least `GUTTER_MM` wide down the whole height of its middle, text
    lines on both sides. A tester's such scan of a child's last page beside the next child's
    front sheet was linked, both pages, to the next child. The two may lie sideways on the glass
    (a portrait image whose lines run up the page): they are judged turned upright, so a single
    sheet scanned sideways is a portrait page and no doubt."""
    if is_sideways(mask):
        mask = np.rot90(mask)
    height, width = mask.shape
    if width < LANDSCAPE * height:
        return None
    first, last = int(width * 0.3), int(width * 0.7)
    blank = np.flatnonzero(mask[:, first:last].sum(axis=0) <= max(2, height // 500)) + first
    gutters = [run for run in row_runs(blank, 0) if run[1] - run[0] >= dpi * GUTTER_MM / 25.4]
    if not gutters:
        return None
    widest = max(gutters, key=lambda run: run[1] - run[0])
    middle = (widest[0] + widest[1]) // 2
    if min(len(text_bands(mask[:, :middle], dpi)), len(text_bands(mask[:, middle:], dpi))) < SHEET_LINES:
        return None
    return "holds two sheets scanned side by side, and the one beside the cover may be another case file's"


def stamped(small: Image.Image, sparse: bool) -> str | None:
    """The doubt a sparse page that shows nothing leaves when a stamp in an ink of its own marks
    its top as it lies: the stamp may hide a front sheet's fields, too coarse here to part from
    it (a tester's grey stamp across "Ref No.", "Name" and "Date of birth" merged 6 times in 6).
    A letter's or a note's top, stamped "Received" or not, is not sparse."""
    if not sparse or not second_ink(small.crop((0, 0, small.width, int(small.height * TOP_FRACTION)))):
        return None
    return "a second ink (a stamp's, or a pen's) marks the top of a sparse page, and may hide a front sheet's fields"
