"""The doubt a top that reads as nothing at all leaves (`scanner.doubts.illegible`): the tester's
dot-matrix covers read 1 to 3 pieces of 41 on the triage copy and merged, linked automatically."""

from __future__ import annotations

import numpy as np
import pytest

from scanner.doubts import illegible
from scanner.lines import Piece

SMALL_LINE = 7.5  # pixels: 1.9 mm at 100 dpi


def _pieces(count: int, height: int) -> list[Piece]:
    return [Piece(np.ones((height, 50), bool), 0, 50, 20 * n, n, height) for n in range(count)]


@pytest.mark.parametrize(
    "count, read, height, doubted",
    [
        (41, 2, 13, True),  # the dot-matrix cover
        (20, 4, 13, True),
        (20, 5, 13, False),  # a quarter read: a page with pictures, blurred print
        (7, 0, 13, False),  # too few pieces to judge
        (24, 0, 6, False),  # print too small for the copy: the magnified look reads it
    ],
)
def test_a_top_whose_pieces_read_as_nothing_leaves_a_doubt(count: int, read: int, height: int, doubted: bool) -> None:
    found = illegible(_pieces(count, height), set(range(read)), SMALL_LINE)
    assert (found is not None) is doubted
    if doubted:
        assert found == f"{count - read} of {count} pieces of line near the top read as nothing"
