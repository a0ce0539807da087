"""Pixel helpers against plain-Python definitions of what they compute."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from scanner.imaging import remove_rules, speckle


def _rules_by_definition(mask: np.ndarray, length: int) -> np.ndarray:
    """Ink on a horizontal or vertical run of at least `length`, widened by a pixel across the run."""
    rules = np.zeros_like(mask)
    for grid, out in ((mask, rules), (mask.T, rules.T)):
        for y, row in enumerate(grid):
            x = 0
            while x < len(row):
                end = x
                while end < len(row) and row[end]:
                    end += 1
                if end - x >= length:
                    out[max(0, y - 1) : y + 2, x:end] = True
                x = end + 1
    return mask & ~rules


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 40), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_remove_rules_matches_its_definition(height: int, width: int, length: int, seed: int) -> None:
    mask = np.random.default_rng(seed).random((height, width)) < 0.8
    assert (remove_rules(mask, length) == _rules_by_definition(mask, length)).all()


def test_speckle_is_zero_on_solid_print_and_high_on_scattered_dots() -> None:
    solid = np.zeros((20, 20), dtype=bool)
    solid[5:10, 2:18] = True
    dots = np.zeros((20, 20), dtype=bool)
    dots[::3, ::3] = True
    assert speckle(solid) == 0.0 and speckle(dots) == 1.0
