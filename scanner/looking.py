"""Looking at a page's top for a cover's evidence: the cheap reads `scanner.triage` makes of each
way up. The first few letters of every column of the first text lines, stacked into one strip per
tesseract call; then the whole of the few that may start a label or a reference; a top that shows
nothing followed down to the page's foot and along its side edges. What a look cannot rule out it
says as a doubt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from scanner.cues import (
    REFERENCE_LINES,
    REFERENCE_START,
    evidence_row,
    has_any,
    may_start_label,
    near_label,
    opens_like_a_reference,
    opens_like_label,
    opens_subject_line,
    reference_cut_short,
    reference_spoilt,
    shows_a_code_alone,
    shows_birth_label,
)
from scanner.direction import is_sideways
from scanner.doubts import illegible, unread_cells
from scanner.edges import edge_strips
from scanner.imaging import darkest_ink, ink, remove_rules, second_ink, text_ink, without_heavy_strokes
from scanner.labels import BIRTH_LABELS, LETTER_LABELS, PERSON_LABELS, TOP_FRACTION
from scanner.layout import Line
from scanner.lines import Piece, line_pieces, mostly_blank_top, parting_row
from scanner.strips import PEEK_MM, ending_in_references, read_pieces, read_wide

# Enough of any label to know it, even cut short in a large font ("Case Referen", "Case Numbe"),
# and of a short label's value ("Our ref: CSC-2020-379003" in 10 pt):
# tesseract's time grows with the width it reads, and most pieces are lines of a letter.
PIECE_MM = 46.0
# A cover's first label is nearly always among the first two pieces that may start one (a heading
# above it may be the other): these are read on their own first. When they show no evidence,
# every chosen piece is read again together, as before: tesseract reads a piece a little
# differently beside others, and the smaller strip alone cleared a skewed cover.
FIRST_CHOSEN = 2
# How far a code's last letter may stand from its number's first, in boxes of their own: a box's
# padding each side (2 mm on a tester's covers) and the gap between the boxes (0.5-6 mm).
CODE_TO_NUMBER_MM = 14.0
# ... and what the next column must show to be that number: a figure before a separator, figures
# either side of a space ("2025-€", "2023 450"), or more than a year's; a tag "2019" beside a tag
# "STAFF", joined, read as a reference cut short and split a continuation page.
_NUMBER_PART = re.compile(r"[0-9][-/.]|[0-9] [0-9]|[0-9]{5}")
_YEAR_ALONE = re.compile(r"\s*(?:19|20)[0-9]{2}\W?\s*")
_FIGURES = re.compile(r"\s*[0-9]{3}")
# Of a muddle's ink, the share in heavy strokes when a stamp's big letters cross the fields: 0.58
# to 0.86 on a tester's stamped covers; 0.05 to 0.33 over the top of real pages with pictures.
STAMP_HEAVY_SHARE = 0.45
# A top with fewer lines than this is sparse: a birth label alone there is a cover's evidence (see
# `_look_at`), and a page turned the unlikely way is followed down too (see `scanner.triage`): a
# letterhead with a logo beside the organisation's name makes five; a letter's or a note's top fills more.
SPARSE_LINES = 8
# Lines of text thinner than this are print under ~6 pt, which tesseract reads nothing in on the
# triage copy (measured: 4 and 5 pt covers read nothing, 6 pt ones read).
SMALL_LINE_MM = 1.9


@dataclass(frozen=True)
class Look:
    """One way up: the row of the first line with a cover's evidence, or the doubt it leaves, and
    whether the top held fewer than `SPARSE_LINES` lines."""

    row: int | None
    doubt: str | None = None
    sparse: bool = False
    quarter: int = 0  # clockwise: the evidence is in a line along the page's edge, read turned so
    # Why the top read as nothing at all (`doubts.illegible`): a doubt only when no way up reads.
    illegible: str | None = None
    # The doubt is a ruled table's unread cells (`doubts.unread_cells`), which a magnified copy
    # of a skewed table leaves on pages that are no cover: only what was read counts there.
    of_cells: bool = False


def look(
    upright: Image.Image,
    dpi: float,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    follow: bool = True,
    mask: np.ndarray | None = None,
    bare: bool = False,
) -> Look:
    """The first lines of the (upright, small) page: where a cover's evidence shows, or the doubt.

    Two short reads: the first few letters of every piece, then the whole of only those pieces
    that may start a label. Tesseract's time grows with the width it reads, and most pieces are
    lines of a letter that the first read clears. Evidence is a reference label or a reference
    (its line's row), or a name label and a birth label both (the name's row). No evidence but
    a label read one letter off leaves a doubt.

    Where lines run together into a muddle (a rubber stamp's big letters across the fields) and
    nothing shows, the muddle's rows alone are looked at twice more: without heavy strokes (the
    stamp's letters), and with the darker ink alone (a stamp's ink is lighter than print).

    A top that shows nothing is followed down to the page's foot, the middle lines of its
    paragraphs left out (`line_pieces` with `prose` False): a front sheet may print its fields
    below a letterhead half a page tall, under a privacy notice or a paragraph, in a box beside
    a column of text, or its reference only in its footer (a seventh tester's covers merged 13
    of 187 times so, when only a sparse top or a box below it was followed). A letter pays for
    the first and last lines of its paragraphs, its signature and its footer (~20 ms). A page
    turned the unlikely way (`follow` False) is not followed, and a reference with no label at
    its top is evidence only whole and as printed: that top is a letter's foot, and upside-down
    print makes reference-shaped text ("AP NN 6969602" on a skewed book page, which split off as
    a cover of its own); with `bare`, such a reference counts all the same on a page not
    followed that is the likely way up. `mask` is the page's ink, when the caller knows it
    already."""
    height = upright.height
    parting = parting_row(upright, int(height * TOP_FRACTION), dpi)
    blank = mostly_blank_top(ink(upright) if mask is None else mask, dpi, TOP_FRACTION)
    seen, lines = look_between(
        upright, 0, parting, 0, dpi, patterns, language, timeout, blank=blank, bare=follow or bare
    )
    sparse = lines < SPARSE_LINES
    if seen.row is not None or not follow:
        return replace(seen, sparse=sparse)
    band = (parting, height)
    lower, below = look_between(upright, *band, lines, dpi, patterns, language, timeout, least=1, at_top=False)
    if lower.row is None and below and lines + below < SPARSE_LINES:
        # A sparse sheet's fields may lie across the parting, a label pair cut in two: an index
        # card lying sideways at the foot of A4 is a band across the middle of the page turned
        # upright (a fresh tester's ruled cards merged 11 times in 45). Read whole, once.
        whole, _ = look_between(upright, 0, height, 0, dpi, patterns, language, timeout, blank=blank)
        lower = whole if whole.row is not None else lower
    if lower.row is None:
        edge = _look_at_edges(upright, ink(upright) if mask is None else mask, dpi, patterns, language, timeout)
        lower = edge if edge.row is not None else Look(None, seen.doubt or lower.doubt or edge.doubt)
        lower = replace(lower, illegible=seen.illegible)
    return replace(lower, sparse=sparse)


def _look_at_edges(
    upright: Image.Image, mask: np.ndarray, dpi: float, patterns: Sequence[str], language: str, timeout: int
) -> Look:
    """`look` at each strip along the page's side edges where a line may run turned a quarter
    (`scanner.edges`), read turned each way; the row is the strip's in the page turned so. Only
    beside a body of upright lines: where the body's own lines run down the page (a page turned
    the wrong way), its columns' edges are no strip turned from it."""
    strips = edge_strips(mask, dpi)
    if not strips:
        return Look(None)
    body = mask.copy()
    for first, last in strips:
        body[:, first:last] = False
    doubt = None
    for first, last in [] if is_sideways(body) else strips:
        strip = upright.crop((first, 0, last, upright.height))
        turns = ((90, Image.Transpose.ROTATE_270, first), (270, Image.Transpose.ROTATE_90, upright.width - last))
        for quarter, turn, row in turns:
            turned = strip.transpose(turn)
            seen, _ = look_between(turned, 0, turned.height, 0, dpi, patterns, language, timeout)
            if seen.row is not None:
                return Look(row + seen.row, quarter=quarter)
            doubt = doubt or seen.doubt
    return Look(None, doubt)


def look_between(
    upright: Image.Image,
    first_row: int,
    last_row: int,
    first_line: int,
    dpi: float,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    least: int = 0,
    at_top: bool = True,
    blank: bool = False,
    bare: bool = True,
) -> tuple[Look, int]:
    """`look` at the page's rows `first_row` to `last_row`, their lines numbered from
    `first_line`, when they hold `least` lines or more; and how many lines they hold. Below the
    page's top (`at_top` False), the middle lines of paragraphs are left out; there, and on a
    page turned the unlikely way (`bare` False), a reference with no label is evidence only read
    whole and as printed: upside-down print makes reference-shaped text. The rows are sparse
    when fewer than `SPARSE_LINES` lines stand above their end, or the page's top is `blank`
    (`lines.mostly_blank_top`): a stamp across a front sheet's three fields adds three lines of
    its own, and hid all of them but its birth label."""
    crop = upright.crop((0, first_row, upright.width, last_row))
    top = text_ink(crop, dpi)
    rule = max(20, int(dpi * 0.6))
    text = remove_rules(top, min_length=rule)
    pieces = line_pieces(text, dpi, first_line, prose=at_top)
    lines = len({piece.line for piece in pieces})
    if lines < least:
        return Look(None), lines
    sparse = blank or first_line + lines < SPARSE_LINES
    seen = _look_at(top, text, pieces, dpi, patterns, language, timeout, sparse=sparse, bare=at_top and bare)
    if seen.row is not None or not pieces:
        return _shifted(seen, first_row), lines
    muddles = [piece for piece in pieces if piece.muddled(dpi)]
    rows = np.zeros(top.shape[0], bool)
    for muddle in muddles:
        rows[muddle.row : muddle.row + muddle.height] = True
    inked = text & rows[:, None]
    thin = without_heavy_strokes(inked, dpi) if muddles else inked
    # Many heavy strokes in a muddle are a stamp's big letters; fewer, a picture or a thick scan.
    inked_apart = not muddles or thin.sum() > (1 - STAMP_HEAVY_SHARE) * inked.sum()
    if inked_apart:
        if not (at_top and sparse and second_ink(crop)):  # a front sheet's top is sparse
            return seen, lines
        # A stamp in an ink of its own, its letters too thin to be told by their strokes or
        # between the lines, running none together: the whole top is looked at again.
        rows[:] = True
        thin = without_heavy_strokes(text, dpi)
    for mask in (thin, remove_rules(darkest_ink(crop), min_length=rule)):
        within = mask & rows[:, None]
        found = line_pieces(within, dpi, (muddles or pieces)[0].line)
        again = _look_at(
            within, within, found, dpi, patterns, language, timeout, not inked_apart, sparse, at_top and bare
        )
        if again.row is not None:
            return _shifted(again, first_row), lines
        seen = seen if seen.doubt else replace(again, illegible=seen.illegible)
    return seen, lines


def _shifted(seen: Look, rows: int) -> Look:
    return seen if seen.row is None else Look(seen.row + rows, seen.doubt)


def _look_at(
    top: np.ndarray,
    text: np.ndarray,
    pieces: Sequence[Piece],
    dpi: float,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    whole_muddles: bool = False,
    sparse: bool = False,
    bare: bool = True,
) -> Look:
    """`look` on the pieces of one ink mask of the page's top (`top` with its rules, `text`
    without them). With `whole_muddles` (the rows a stamp crosses), pieces where lines still run
    together (the stamp's frame joins them) are read whole, so that tesseract's own layout may
    part them, and a line there that opens with a label's first word leaves a doubt: the stamp
    may hide the rest of the label. Where the rows read are `sparse` (`look_between`), a birth
    label alone is evidence, its date read or not and each of its words up to one letter off: a
    front sheet may print the name with no label, in capitals above "D.O.B. 01/02/2006", and a
    rubber stamp across a centred reference, name and date of birth hid all but "Date%ef birth"
    (held-out covers merged with no word said); a letter or minutes quoting one fill their top
    first. With `bare` False, a reference with no label beside it is evidence only whole and as
    printed (`cues.evidence_row`), in whichever line it is read. In the top's first lines, a
    reference's shape that a stamp's ring spoilt, in the first look or the wider one, is
    evidence too (`cues.reference_spoilt`). A top that shows nothing and reads as nothing at all
    says so (`Look.illegible`)."""
    if not pieces:
        return Look(None)
    first = read_pieces([p.cut(PEEK_MM, dpi) for p in pieces], dpi, language, timeout)
    seen = {i for i, line in first if any(c.isalnum() for c in line.text)}
    unread = _unread_starts(pieces, seen)
    muddled = {i for i, piece in enumerate(pieces) if whole_muddles and piece.muddled(dpi)}
    subjects = {i for i, line in first if opens_subject_line(line)}
    ending = ending_in_references(pieces, dpi, language, timeout, subjects)
    codes = {
        i
        for i, line in first
        if (shows_a_code_alone(line) or opens_like_a_reference(line, patterns)) and pieces[i].runs_past(PEEK_MM, dpi)
    }
    ending |= codes  # read whole: the rest of a reference spaced out in large print
    pieces = list(pieces)
    first_read = dict(first)
    for i, line in first:
        if (
            shows_a_code_alone(line)
            and pieces[i].ends_within(PEEK_MM, dpi)
            and (joined := _code_run_on(pieces, i, first_read, dpi)) is not None
        ):
            pieces[i] = joined
            ending.add(i)
    labels = {i for i, line in first if may_start_label(line)}
    chosen = sorted(labels | unread | muddled | ending)
    blind = unread | muddled | (codes - labels)  # chosen for what hides their start or end, not for what it read
    unreadable = illegible(pieces, seen, dpi * SMALL_LINE_MM / 25.4)
    if not chosen:
        return _cells_unread(top & ~text, pieces, seen, dpi, unreadable)
    read: list[tuple[Piece, Line]] = []
    for group in (chosen[:FIRST_CHOSEN], chosen) if len(chosen) > FIRST_CHOSEN else (chosen,):
        widths = [_wide_mm(pieces[i], i in unread, i in muddled or i in ending, dpi) for i in group]
        read, reached = read_wide([pieces[i] for i in group], widths, dpi, language, timeout)
        row = evidence_row(read, patterns, bare)
        if row is not None and row != evidence_row(_uncut(read, reached), patterns, bare):
            # The evidence hangs on a word the cut reached: read whole, "a ref" was "a referral".
            whole = [_wide_mm(pieces[i], False, True, dpi) for i in group]
            read, _ = read_wide([pieces[i] for i in group], whole, dpi, language, timeout)
            row = evidence_row(read, patterns, bare)
        if row is not None:
            return Look(row)
    looked = [(pieces[i], line) for i, line in first] + read
    spoilt = [p.row for p, line in looked if bare and p.line < REFERENCE_LINES and reference_spoilt(line)]
    if spoilt:
        return Look(min(spoilt))
    # The first look counts too: read wider, beside its value, a skewed "DOB: 09/01/2014" read
    # "Dos: osoL7014" (a fresh tester's front sheet merged so).
    if has_any([line for _, line in looked], BIRTH_LABELS):
        person = [piece.row for piece, line in looked if has_any([line], PERSON_LABELS)]
        if person:
            return Look(min(person))
    birth = min((piece.row for piece, line in looked if shows_birth_label(line)), default=None)
    if birth is not None and sparse:
        return Look(birth)
    cut = next((line.text for p, line in looked if p.line < REFERENCE_LINES and reference_cut_short(line)), None)
    if cut is not None:
        return Look(None, f"a reference near the top reads only in part: {cut!r}")
    if any(has_any([line], LETTER_LABELS) and REFERENCE_START.search(line.text) for _, line in read):
        return Look(None, 'a letter\'s reference line near the top ("Your ref") may name another case')
    near = next((words for _, line in read if (words := near_label(line)) is not None), None)
    if near is not None:
        return Look(None, f"a label-like word near the top reads {near!r}")
    stamped = next((line.text for _, line in read if whole_muddles and opens_like_label(line)), None)
    if stamped is not None:
        return Look(None, f"a stamp crosses a line near the top that starts like a label: {stamped!r}")
    if any(pieces[i].line < REFERENCE_LINES for i in chosen if i not in blind):
        return Look(None, illegible=unreadable)
    return _cells_unread(top & ~text, pieces, seen, dpi, unreadable)


def _cells_unread(
    rules: np.ndarray, pieces: Sequence[Piece], seen: set[int], dpi: float, unreadable: str | None
) -> Look:
    doubt = unread_cells(rules, pieces, seen, dpi)
    return Look(None, doubt, illegible=unreadable, of_cells=doubt is not None)


def _with_next_column(pieces: Sequence[Piece], i: int, dpi: float) -> Piece | None:
    """The piece `i` run on through the next column of its line when that starts within
    `CODE_TO_NUMBER_MM`: a code printed alone, its number in the next box or past a wide gap ("AB",
    "2019-3301"; a tester's covers, merged silently), is one reference. Only a code whose ink
    ends in the first look is joined, to a number (`_NUMBER_PART`): "RESTR" of a tag
    "RESTRICTED" beside a tag "2021" read as a reference cut short, and a continuation page
    split (tryout 23)."""
    if i + 1 >= len(pieces) or pieces[i + 1].line != pieces[i].line:
        return None
    after = pieces[i + 1]
    if after.start - (pieces[i].stop or pieces[i].end) > dpi * CODE_TO_NUMBER_MM / 25.4:
        return None
    return replace(pieces[i], end=after.end, stop=after.stop)


def _code_run_on(pieces: Sequence[Piece], i: int, first_read: dict[int, Line], dpi: float) -> Piece | None:
    """The code alone in piece `i` run on through the next column when that reads as a number
    (`_NUMBER_PART`), or through the next two when the next reads as a year alone and the one
    after it opens with figures: code, year and number printed far apart ("SGD     2016     5394",
    a probe's front sheet with no label, merged silently). A tag's year beside a word ("STAFF",
    "2019") has no number after it."""
    after = [first_read.get(k, Line(())).text for k in (i + 1, i + 2)]
    if _NUMBER_PART.search(after[0]):
        return _with_next_column(pieces, i, dpi)
    if not (_YEAR_ALONE.fullmatch(after[0]) and _FIGURES.match(after[1])):
        return None
    year = _with_next_column(pieces, i, dpi)
    return None if year is None else _with_next_column([year, *pieces[i + 2 : i + 3]], 0, dpi)


def _uncut(read: Sequence[tuple[Piece, Line]], reached: set[int]) -> list[tuple[Piece, Line]]:
    """`read` without the last word of each line in `reached` (see `strips.read_wide`)."""
    kept = [(piece, Line(line.words[:-1]) if n in reached else line) for n, (piece, line) in enumerate(read)]
    return [(piece, line) for piece, line in kept if line.words]


def _unread_starts(pieces: Sequence[Piece], seen: set[int]) -> set[int]:
    """The pieces of the first lines whose first letters read as nothing (not in `seen`): a
    stamp's frame or a punch hole across a label hides the label, not the reference beside it."""
    return {i for i, piece in enumerate(pieces) if i not in seen and piece.line < REFERENCE_LINES}


def _wide_mm(piece: Piece, unread: bool, whole: bool, dpi: float) -> float:
    """How much of a chosen piece to read: `PIECE_MM`; twice that when its start read as nothing
    (what may be a label's value lies past a hidden label); all of a muddle, or of a piece whose
    end may be a reference."""
    if whole:
        return (piece.end - piece.start) * 25.4 / dpi
    return PIECE_MM * (2 if unread else 1)
