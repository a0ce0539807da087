"""Which way up a page lies and how askew, and the page turned and straightened: the triage's
first question about a page, before anything on it is read."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from scanner.direction import skew_angle, straightened, upside_down_score
from scanner.labels import TOP_FRACTION

UNSURE_BAND = (0.8, 1.25)
STRAIGHT_ENOUGH = 0.4  # degrees: a page skewed less is read as it lies


def orientation(mask: np.ndarray, sideways: bool) -> tuple[list[int], float]:
    """Clockwise turns to try (likeliest first; two when the page is unclear) and the skew angle.

    The skew is measured, and taken out, before asking which way up the page is: skewed lines
    blur the ascender/descender bands that the upside-down test reads.
    """
    first = 90 if sideways else 0
    base = np.rot90(mask, -1) if first else mask
    angle = skew_angle(base)
    score = upside_down_score(straightened(base, angle))
    if score >= UNSURE_BAND[1]:
        return [first], angle
    if score <= UNSURE_BAND[0]:
        return [first + 180], angle
    return [first, first + 180], angle


def upright(image: Image.Image, clockwise: int, angle: float, rows: tuple[int, int] | None = None) -> Image.Image:
    """The page turned and straightened; with `rows`, only those rows of it (clipped to the page),
    straightening just them and the margin the skew brings in: a whole page at the working
    resolution costs ~40 ms to straighten, the band below a label about a quarter of that."""
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    turned = image.transpose(turns[clockwise]) if clockwise else image
    top, bottom = (0, turned.height) if rows is None else (max(0, rows[0]), min(turned.height, rows[1]))
    if abs(angle) < STRAIGHT_ENOUGH:
        return turned if rows is None else turned.crop((0, top, turned.width, bottom))
    margin = math.ceil(turned.width / 2 * abs(math.tan(math.radians(angle)))) + 2
    first, last = max(0, top - margin), min(turned.height, bottom + margin)
    around = turned.crop((0, first, turned.width, last)).rotate(
        angle, resample=Image.Resampling.BILINEAR, fillcolor=255, center=(turned.width / 2, turned.height / 2 - first)
    )
    return around.crop((0, top - first, turned.width, bottom - first))


def rough_skew(mask: np.ndarray) -> float:
    """The skew of the top of the page, from a quarter of its pixels (~4 ms): enough to tell a
    sheet fed at 3° from one fed straight. A ruled table at 3° keeps its rules (no run is long
    enough to take away) and they run into its labels."""
    return skew_angle(mask[: int(mask.shape[0] * TOP_FRACTION) : 2, ::2])
