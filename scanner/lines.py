"""Where a page's lines of text and their columns are, on the small triage copy: what triage
reads the start of. Pixels only; no OCR."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from scanner.direction import is_sideways
from scanner.imaging import ink, row_runs

# Every line of the top of the page may hold a label (a letterhead or a block of instructions may
# stand above a cover's labels), up to this many.
MAX_LINES = 24
BARS_MM = 8.0  # the least height of a linear barcode's bars; taller than any letter
# ... and the least share of its width they fill (about half, bars and spaces alike): a 36 pt bold
# reference ("WBS-2019-3658", 9 mm tall) has stems and bowls as tall as its line over a tenth of its
# width, and was left unread as bars on a tester's covers, which merged.
BAR_SHARE = 0.25
COLUMN_GAP_MM = 6.0  # wider than a word space, narrower than the gap between a form's columns
# ... and, in print larger than 10 pt, this many of its line's heights: a reference centred in 26 pt
# bold with spaced hyphens ("LBH   -   2023   -   0098") split into pieces read "LBH", "-", "2023",
# none a reference's start, and a fresh tester's such sheets merged silently.
COLUMN_GAP_LINES = 1.8
PROSE_MM = 40.0  # a column of running text is at least this wide (a newsletter's of three, 55 mm)
PROSE_FILL = 0.75  # ... and fills this much of the room to the next column or the text's right margin
ALIGN_MM = 2.0  # a paragraph's lines start this close (its first line's indent aside)
PROSE_POINTS = 12.5  # body text is set in 12 pt or less; a heading above a front sheet's fields is larger
PROSE_ASPECT = 20.0  # line heights: a sentence of 40 characters or more; "CASE FILE", "SAFEGUARDING FILE" ~8
FOOTER_LINES = 3  # a page's last lines, read however many lines stand above them
# A line of 10 pt print, ascenders to descenders, as the triage copy shows it (measured: 11-13
# pixels at 100 dpi in DejaVu and Liberation): triage's widths to read are for such print.
LINE_10PT_MM = 3.3
FIELD_MM = 100.0  # a label and its value on one line, in 10 pt print: "Person identifier: PID-2017-778" is 60
LEAST_TAIL_MM = 5.0  # less than a reference's numbers: what the first look left of a date ("/2021")
STAMP_SHARE = 0.3  # of a joined band's densest rows: a line's rows have more ink, the gaps less
MAX_SCALE = 2.2  # 22 pt print; a taller piece is several lines run together, not one line
PARTING_MM = 12.0  # a line of 22 pt print, ascenders to descenders, is ~9 mm tall
# Of a page's top, the share of rows in lines of text below which it is a sparse sheet: testers'
# sparse covers 0.22-0.29; real scanned letters, a catalogue and a skewed page 0.70-0.84.
SPARSE_ROWS = 0.5


def text_bands(mask: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """(top, bottom) rows of each text line, top to bottom, from the row profile of the ink.

    Gaps thinner than a hair join (a broken descender); bands too thin for a letter are dropped.
    """
    rows = np.flatnonzero(mask.sum(axis=1) >= max(2, int(0.003 * mask.shape[1])))
    return _tall_enough(row_runs(rows, max(1, round(dpi * 0.01))), dpi)


def mostly_blank_top(mask: np.ndarray, dpi: float, top_fraction: float) -> bool:
    """Whether the top `top_fraction` of the page (its ink at `dpi`) is mostly blank: under
    `SPARSE_ROWS` of its rows lie in lines of text, as on a front sheet's few fields. Counting
    lines misleads: a skewed or two-column page's lines run together into a few tall bands, and
    a stamp across a front sheet's fields adds three lines of its own."""
    return text_share(mask[: int(mask.shape[0] * top_fraction)], dpi) < SPARSE_ROWS


def text_share(mask: np.ndarray, dpi: float) -> float:
    """The share of `mask`'s rows that lie in lines of text (a ruled table's rows run together
    into one band, and count whole)."""
    return sum(bottom - first for first, bottom in text_bands(mask, dpi)) / max(1, len(mask))


def _tall_enough(bands: list[tuple[int, int]], dpi: float) -> list[tuple[int, int]]:
    """The bands tall enough for a letter."""
    least = max(2, round(dpi * 0.04))
    return [(top, bottom) for top, bottom in bands if bottom - top >= least]


def usual_line_mm(mask: np.ndarray, dpi: float) -> float | None:
    """The height of the page's usual line of text in mm (the middle of its lines' heights, the
    page upright or sideways), None on a page without lines. Pictures and blocks of lines run
    together are left out: they are taller than any line."""
    lines = mask.T if is_sideways(mask) else mask
    heights = [bottom - top for top, bottom in text_bands(lines, dpi) if bottom - top < dpi / 4]
    return float(np.median(heights)) / dpi * 25.4 if heights else None


@dataclass(frozen=True)
class Piece:
    """The start of one column of one text line: where a label would sit."""

    ink: np.ndarray  # the whole line's ink
    start: int  # the column's first inked pixel
    end: int  # where the next column starts, or the page's edge
    row: int  # the line's top row in the page
    line: int  # which text line of the page, from 0
    height: int  # the line's height, ascenders to descenders, in pixels
    running: bool = False  # the column is running text (`_prose_columns`): no form's field ends it
    stop: int | None = None  # where the column's ink ends, when known

    def muddled(self, dpi: float) -> bool:
        """Whether the piece is several lines run together: a stamp or a picture across them
        that the band split could not part."""
        return self.height > MAX_SCALE * dpi * LINE_10PT_MM / 25.4

    def cut(self, width_mm: float, dpi: float) -> np.ndarray:
        """The piece's first `width_mm` of 10 pt print, wider as its print is larger: the first
        14 mm of "Date of Birth" in 14 pt is "Date", which opens any letter's line. Tesseract's
        time goes by the width it reads in line heights, so a wider cut of larger print costs
        what the narrower one of 10 pt print does."""
        return self.ink[:, self.start : min(self.start + self._width(width_mm, dpi), self.end)]

    def runs_past(self, width_mm: float, dpi: float) -> bool:
        """Whether the piece's ink runs on past its `cut` of `width_mm`."""
        return self.end > self.start + self._width(width_mm, dpi)

    def ends_within(self, width_mm: float, dpi: float) -> bool:
        """Whether the column's ink, where known, ends inside its `cut` of `width_mm`: a word alone,
        not the first letters of a longer one ("RESTR" of "RESTRICTED")."""
        return self.stop is not None and self.stop <= self.start + self._width(width_mm, dpi)

    def tail(self, width_mm: float, after_mm: float, dpi: float, line: bool = False) -> np.ndarray | None:
        """The column's ink past its first `after_mm` (which `cut` shows), its last `width_mm` at
        most, both of 10 pt print and wider as `cut`; None when less than `LEAST_TAIL_MM` of ink
        is left there, or, unless `line`, when the column is wider than `FIELD_MM`, a line of
        text rather than a field. A field's value ends its line, past a label too long for the
        first look ("Person identifier: PID-2017-778")."""
        if self.stop is None:
            return None
        inked = self.stop - self.start
        first, least = self._width(after_mm, dpi), self._width(LEAST_TAIL_MM, dpi)
        if inked - first < least or (inked > self._width(FIELD_MM, dpi) and not line):
            return None
        return self.ink[:, self.start + max(first, inked - self._width(width_mm, dpi)) : self.stop]

    def _width(self, width_mm: float, dpi: float) -> int:
        # Lines run together (a skewed table, a label by a picture) are read as 22 pt print: a
        # line of print larger still is "muddled" too, and a reference centred alone in 27 pt,
        # cut at 14 mm, read "CS:" (a fresh tester's front sheets merged silently so).
        scale = min(max(1.0, self.height / (dpi * LINE_10PT_MM / 25.4)), MAX_SCALE)
        return round(dpi * width_mm * scale / 25.4)


Line = tuple[np.ndarray, int, int, np.ndarray, np.ndarray]  # (its rows' ink, top, bottom, column starts, ends)


def _columned_lines(mask: np.ndarray, dpi: float) -> list[Line]:
    """Each text line of `mask` with where its columns start and end."""
    least, pad = round(dpi * COLUMN_GAP_MM / 25.4), round(dpi * 0.03)
    lines = []
    for top, bottom in (line for band in text_bands(mask, dpi) for line in _lines_within(mask, band, dpi)):
        rows = mask[max(0, top - pad) : bottom + pad]
        inked = np.flatnonzero(rows.sum(axis=0) >= 2)  # a lone speck of noise starts no column
        if len(inked):
            breaks = np.diff(inked) > max(least, COLUMN_GAP_LINES * (bottom - top))
            lines.append((rows, top, bottom, inked[np.r_[True, breaks]], inked[np.r_[breaks, True]]))
    return lines


def _right_margin(lines: list[Line]) -> int:
    return max((int(ends[-1]) for *_, ends in lines), default=0)


def prose_lines(mask: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """(top, bottom) of each line of `mask` (a whole page upright) holding a column of prose
    (`_prose_columns`, against the page's right margin), a paragraph's or a lone sentence's: as
    long as `PROSE_ASPECT` line heights or longer. A heading is shorter for its print, a label or
    a field shorter still; on a sparse sheet they fill their room to the right margin as prose does."""
    lines = _columned_lines(mask, dpi)
    right = _right_margin(lines)
    return [
        (top, bottom)
        for _, top, bottom, starts, ends in lines
        if (_prose_columns(starts, ends, right, dpi) & (ends - starts >= PROSE_ASPECT * (bottom - top))).any()
    ]


def in_body_print(line: tuple[int, int], dpi: float) -> bool:
    """Whether a line (top, bottom) is no taller than `PROSE_POINTS` print: a heading is larger."""
    return line[1] - line[0] <= dpi * LINE_10PT_MM * PROSE_POINTS / 10 / 25.4


def line_pieces(mask: np.ndarray, dpi: float, first_line: int = 0, prose: bool = True) -> list[Piece]:
    """The start of each column of each of the first text lines, numbered from `first_line`.

    With `prose` False, a line inside a paragraph (`_prose_columns`, between two such lines) is left
    out, and of the rest the first `MAX_LINES` are taken, the last `FOOTER_LINES` among them:
    below a page's top, a cover's fields are looked for in a form's rows, a box beside the text,
    a heading or a footer, not in the middle of a letter, and tesseract's time goes by the width
    it reads."""
    lines = _columned_lines(mask, dpi)
    right = _right_margin(lines)
    running = _running([(starts, ends) for *_, starts, ends in lines], right, dpi)
    if not prose:
        wide = [bool(columns.all()) for columns in running]
        kept = [
            i for i in range(len(lines)) if not (wide[i] and 0 < i < len(lines) - 1 and wide[i - 1] and wide[i + 1])
        ]
        if len(kept) > MAX_LINES:  # a long table: its first rows, and the footer below it
            kept = kept[: MAX_LINES - FOOTER_LINES] + kept[-FOOTER_LINES:]
        lines, running = [lines[i] for i in kept], [running[i] for i in kept]
    pieces = []
    for number, (rows, top, bottom, starts, ends) in enumerate(lines[:MAX_LINES]):
        pieces += [
            Piece(rows, int(start), int(end), top, first_line + number, bottom - top, bool(column), int(stop) + 1)
            for start, end, column, stop in zip(
                starts, [*starts[1:], mask.shape[1]], running[number], ends, strict=False
            )
        ]
    return [piece for piece in pieces if not _is_bars(piece.ink[:, piece.start : piece.end], dpi)]


def running_lines(mask: np.ndarray, dpi: float) -> int:
    """How many of the lines of text in `mask` (its first `MAX_LINES`) hold running text: a
    column of a paragraph (`_running`)."""
    return len({piece.line for piece in line_pieces(mask, dpi) if piece.running})


def _prose_columns(starts: np.ndarray, ends: np.ndarray, right: int, dpi: float) -> np.ndarray:
    """Which columns of a line are running text: `PROSE_MM` wide or more and filling `PROSE_FILL`
    of the room to the next one (or to the text's right margin, `right`). A form's label stops
    well short of its value, and a value short of the margin."""
    room = np.r_[starts[1:], max(right, int(ends[-1]))] - starts
    inked = ends - starts
    return (inked >= dpi * PROSE_MM / 25.4) & (inked >= PROSE_FILL * room)


def _running(columns: list[tuple[np.ndarray, np.ndarray]], right: int, dpi: float) -> list[np.ndarray]:
    """For each line's columns (starts, ends), which are running text: prose (`_prose_columns`)
    with a prose column starting within `ALIGN_MM` of it on the line above or below. A field
    set alone against the margin ("Identifier: DSA-2022-862403" right-aligned in a header band)
    fills its room as prose does, but no paragraph stands around it."""
    prose = [_prose_columns(starts, ends, right, dpi) for starts, ends in columns]
    near = dpi * ALIGN_MM / 25.4
    found = []
    for i, (starts, _) in enumerate(columns):
        beside = [columns[j][0][prose[j]] for j in (i - 1, i + 1) if 0 <= j < len(columns)]
        aligned = np.array(
            [any(np.abs(other - start).min(initial=near + 1) <= near for other in beside) for start in starts], bool
        )
        found.append(prose[i] & aligned)
    return found


def _lines_within(mask: np.ndarray, band: tuple[int, int], dpi: float) -> list[tuple[int, int]]:
    """The lines of a band taller than any line of print, or the band itself: a rubber stamp
    across a cover's fields (or a signature, a picture) joins its lines into one band, whose
    pieces start where the stamp does and show tesseract a muddle. Between lines only the stamp
    has ink, so rows far denser than that are the lines."""
    top, bottom = band
    if bottom - top <= MAX_SCALE * dpi * LINE_10PT_MM / 25.4:
        return [band]
    rows = mask[top:bottom].sum(axis=1)
    dense = np.flatnonzero(rows >= max(2, STAMP_SHARE * np.percentile(rows, 90)))
    found = _tall_enough(row_runs(dense + top, max(1, round(dpi * 0.02))), dpi)
    return found if len(found) > 1 else [band]


def _is_bars(ink: np.ndarray, dpi: float) -> bool:
    """Whether a piece is a barcode that did not decode: taller than a line of text, with columns
    inked almost top to bottom, `BAR_SHARE` of its width at least. Bars never start a label, and
    they muddle tesseract's reading of the short pieces around them."""
    if ink.shape[0] < dpi * BARS_MM / 25.4:
        return False
    inked = np.flatnonzero(ink.any(axis=0))
    full = int((ink.mean(axis=0) >= 0.8).sum())
    return full >= 5 and full >= BAR_SHARE * (inked[-1] - inked[0] + 1)


def parting_row(upright: Image.Image, row: int, dpi: float) -> int:
    """The row between lines of text nearest `row`, within `PARTING_MM`, where the page's top
    ends and its lower part begins; `row` when ink crosses every row there (a picture). A line
    cut in two at the parting is read in neither part: a tester's "Case Reference: …" lying
    across 45 % of the page merged its cover, however clean the scan."""
    reach = round(dpi * PARTING_MM / 25.4)
    first = max(0, row - reach)
    mask = ink(upright.crop((0, first, upright.width, min(upright.height, row + reach + 1))))
    blank = np.flatnonzero(mask.sum(axis=1) < max(2, int(0.003 * mask.shape[1]))) + first
    return int(blank[np.argmin(np.abs(blank - row))]) if len(blank) else row
