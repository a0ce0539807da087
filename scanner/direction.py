"""Which way a page's lines run, which way up, and how askew: judged from the ink's row and column
profiles alone, in a few milliseconds, because tesseract reads nothing on a sideways or upside-down
page and an orientation pass of its own costs hundreds.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

MAX_SKEW_DEGREES = 5.0


def _banding(mask: np.ndarray, axis: int) -> float:
    """How strongly the projection alternates within the inked extent (margins left out)."""
    profile = mask.sum(axis=axis).astype(np.float64)
    inked = np.flatnonzero(profile)
    if inked.size < 2:
        return 0.0
    profile = profile[inked[0] : inked[-1] + 1]
    return float(profile.var() / max(profile.mean(), 1e-9) ** 2)


def is_sideways(mask: np.ndarray, askew: bool = False) -> bool:
    """Text lines band the row profile (line, gap, line); turned 90° they band the columns. With
    `askew`, each way's profile is taken straightened by its own skew (±5°, two rotation
    searches, ~40 ms at 100 dpi): 3° of skew blurs a sparse sheet's lines out of its profile, and
    a front sheet lying sideways and askew seemed upright (a fresh tester's, merged so)."""
    if not askew:
        return _banding(mask, axis=0) > _banding(mask, axis=1)
    across, down = mask, mask.T
    return _banding(straightened(down, skew_angle(down)), axis=1) > _banding(
        straightened(across, skew_angle(across)), axis=1
    )


def straightened(mask: np.ndarray, angle: float) -> np.ndarray:
    """The mask turned by `angle` degrees (a `skew_angle`), so its text lines run level."""
    turned = Image.fromarray(mask.astype(np.uint8) * 255).rotate(angle, resample=Image.Resampling.NEAREST)
    return np.asarray(turned) > 0


def upside_down_score(mask: np.ndarray) -> float:
    """Ascenders over descenders across text lines: > 1 upright, < 1 upside down, ~1 unsure.

    Latin text has many more ascenders and capitals (above the x-height) than descenders.
    """
    rows = mask.sum(axis=1).astype(np.float64)
    text_rows = rows > max(2.0, 0.02 * mask.shape[1])
    above = below = 1.0
    start = None
    for index, is_text in enumerate(np.append(text_rows, False)):
        if is_text and start is None:
            start = index
        elif not is_text and start is not None:
            band = rows[start:index]
            if 4 <= band.size <= 60:
                core = np.flatnonzero(band >= 0.5 * band.max())
                above += band[: core[0]].sum()
                below += band[core[-1] + 1 :].sum()
            start = None
    return above / below


def _best_angle(mask: np.ndarray, angles: np.ndarray) -> float:
    """The angle whose row profile is sharpest (highest variance: text lines with gaps between).

    Each ink pixel's row after turning about the centre is worked out directly and counted,
    rather than the whole mask rotated: the same profile as a nearest-neighbour rotation
    (identical angles on 168 corpus pages), a quarter of the time.
    """
    rows, columns = np.nonzero(mask)
    middle_row, middle_column = (mask.shape[0] - 1) / 2, (mask.shape[1] - 1) / 2
    rows, columns = rows - middle_row, columns - middle_column

    def sharpness(angle: float) -> float:
        theta = np.radians(angle)
        turned = np.rint(rows * np.cos(theta) - columns * np.sin(theta) + middle_row).astype(np.int64)
        inside = turned[(turned >= 0) & (turned < mask.shape[0])]
        return float(np.bincount(inside, minlength=mask.shape[0]).astype(np.float64).var())

    return float(max(angles, key=sharpness))


def skew_angle(mask: np.ndarray) -> float:
    """The rotation (degrees, ±5) that makes text lines horizontal, by row-profile sharpness.

    The 1° search runs on every other pixel (a quarter of the rotating work); the 0.25° search
    around its answer on the whole mask.
    """
    best = _best_angle(mask[::2, ::2], np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.1, 1.0))
    return _best_angle(mask, np.arange(best - 0.75, best + 0.8, 0.25))
