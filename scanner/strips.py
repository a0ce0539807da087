"""Reading pieces of a page's lines on the small triage copy: stacked into one strip per
tesseract call (its time grows with the width it reads, and a call has a cost of its own), the
words placed back on their pieces; and the ends of the columns that may hold a field's value."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

import numpy as np
from PIL import Image

from scanner.layout import Line, group_lines
from scanner.lines import Piece
from scanner.tesseract import Word, read_words

PEEK_MM = 14.0  # a piece's first word or two, enough to tell whether it may start a label
# A reference as a field's value ends its line ("Unique no: DSA-2019-1301"): 13 characters of
# 10 pt print, and where the cut falls inside it, enough left to show its shape in TAIL_SHAPE.
TAIL_MM = 30.0
CUT_SLACK_MM = 0.5  # a word's box ending this near a cut reaches it
# Letters joined to digits ("SA-2019", "KLM- 20", "AB12"), or, the cut inside the letters, two
# numbers of three digits or more joined ("4-2022-862403", "2019 1301"): not a date ("12/03/2021",
# "2021-03-12"), nor a letter's "March 2021" or "at 10 am", which end many lines.
TAIL_SHAPE = re.compile(r"[A-Za-z]{2} ?[-/] ?[0-9]|[A-Z]{2}[0-9]{2}|[0-9]{3,}[-/ ][0-9]{3,}")


def _space(dpi: float) -> int:
    """The white around each piece in a strip, in pixels."""
    return round(dpi * 0.06)


def _strip(pieces: Sequence[np.ndarray], dpi: float) -> tuple[Image.Image, list[int]]:
    """These pieces of ink stacked into one white image for one tesseract call, and the row in
    the strip where each piece ends."""
    space = _space(dpi)
    strip = np.zeros(
        (sum(p.shape[0] + space for p in pieces) + space, max(p.shape[1] for p in pieces) + 2 * space), bool
    )
    bottoms, y = [], space
    for piece in pieces:
        strip[y : y + piece.shape[0], space : space + piece.shape[1]] = piece
        y += piece.shape[0] + space
        bottoms.append(y)
    return Image.fromarray(np.where(strip, 0, 255).astype(np.uint8)), bottoms


def read_pieces(pieces: Sequence[np.ndarray], dpi: float, language: str, timeout: int) -> list[tuple[int, Line]]:
    """The lines tesseract reads in the stacked pieces, each with the index of its piece (a piece
    is one line's column, or several lines a skewed table's rules joined). Each word is placed
    by its middle: a word's box can reach into the piece above."""
    strip, bottoms = _strip(pieces, dpi)
    placed: dict[int, list[Word]] = {}
    # The strip's own white (`_space`) surrounds its pieces; triage's thresholds were set on it.
    for word in read_words(strip, round(dpi), language, timeout=timeout, border_pt=0):
        middle = word.top + word.height / 2
        placed.setdefault(
            next((i for i, bottom in enumerate(bottoms) if middle < bottom), len(bottoms) - 1), []
        ).append(word)
    return [(index, line) for index, words in sorted(placed.items()) for line in group_lines(words)]


def read_wide(
    pieces: Sequence[Piece], widths: Sequence[float], dpi: float, language: str, timeout: int
) -> tuple[list[tuple[Piece, Line]], set[int]]:
    """The lines read in the first `widths` (mm) of each piece, each with its piece; and which of
    those lines end in a word the cut reaches, where the piece goes on: a longer word, cut short
    ("the cost of heating and food; a ref" of "a referral", a fresh tester's letters)."""
    cuts = [piece.cut(width, dpi) for piece, width in zip(pieces, widths, strict=True)]
    read = read_pieces(cuts, dpi, language, timeout)
    slack = round(dpi * CUT_SLACK_MM / 25.4)
    at_cut = {
        number
        for number, (index, line) in enumerate(read)
        if cuts[index].shape[1] < pieces[index].end - pieces[index].start
        and line.words[-1].left + line.words[-1].width >= _space(dpi) + cuts[index].shape[1] - slack
    }
    return [(pieces[index], line) for index, line in read], at_cut


def ending_in_references(
    pieces: Sequence[Piece], dpi: float, language: str, timeout: int, subjects: Set[int] = frozenset()
) -> set[int]:
    """The pieces, other than columns of running text, whose last `TAIL_MM` may end in a reference:
    a field whose label, whatever its words, is too long for the first look to show it a label
    ("Unique no: DSA-2019-1301", "Person identifier: PID-2017-778"). A new user's covers typed so
    merged 9 times in 15. A subject line (`subjects`, "Re: …") is looked at however wide, running
    text or not: a fax cover names its case at its end ("Re: <name> (<birth date>) — our ref …"),
    and two such covers in a tester's batches merged into the case file before them."""
    tails = {
        i: tail
        for i, piece in enumerate(pieces)
        if (i in subjects or not piece.running)
        and not piece.muddled(dpi)
        and (tail := piece.tail(TAIL_MM, PEEK_MM, dpi, line=i in subjects)) is not None
    }
    if not tails:
        return set()
    index = list(tails)
    read = read_pieces(list(tails.values()), dpi, language, timeout)
    return {index[i] for i, line in read if TAIL_SHAPE.search(line.text)}
