"""Grain: a page scanned with heavy sensor noise (a cheap or worn scanner, a high gain setting)
smoothed once, as it is decoded, so triage and OCR see its print rather than the noise.

Left as it was, a cover scanned at 200 dpi with noise of standard deviation 45 grey levels showed
tesseract too many stray dots to read a label: triage saw no cover and the page joined the case
file before it. A Gaussian blur of about 0.13 mm takes most of the noise and none of the print of
a 9 pt letter; it is applied only to a page `grainy` above `NOISY`, so every other page is read
exactly as scanned.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

# Estimated noise, in grey levels as if scanned at `REFERENCE_DPI`, above which a page is smoothed.
# Measured on the synthetic covers of every layout: at 200 dpi, noise of standard deviation 30
# (estimate ~16) is read as well without smoothing as with it, and 45 (~24) is read far better
# with it (16 layouts: 16 split, 13 read right, against 15 split, 5 read right); at 300 dpi, 45
# and 60 (~24 and ~32: ~16 and ~21 at 200 dpi) are read as well or better without it.
NOISY = 22.0
REFERENCE_DPI = 200.0
BLUR_MM = 0.127  # one pixel at 200 dpi
SAMPLE_BANDS = 24  # bands of rows the estimate is taken on, spread down the page
BAND_ROWS = 8


def noise_level(image: Image.Image) -> float:
    """The standard deviation of the noise on a greyscale `image`, in grey levels.

    Immerkær's estimator (J. Immerkær, "Fast Noise Variance Estimation", Computer Vision and Image
    Understanding 64(2), 1996), its mean of absolute responses replaced by their median divided by
    0.6745 (the median absolute deviation of a normal distribution): the strokes of print are few
    among a page's pixels and leave the median where the paper puts it. Taken on `SAMPLE_BANDS`
    bands of rows, ~2.5 ms for an A4 page at 300 dpi."""
    grey = image.convert("L") if image.mode != "L" else image
    if grey.height < 3 or grey.width < 3:
        return 0.0
    rows = min(BAND_ROWS, grey.height)
    starts = np.linspace(0, grey.height - rows, SAMPLE_BANDS).astype(int)
    bands = [np.asarray(grey.crop((0, top, grey.width, top + rows)), dtype=np.float32) for top in set(starts.tolist())]
    response = np.abs(np.concatenate([_laplacian(band).ravel() for band in bands]))
    return float(np.median(response) / 0.6745 / 6.0)


def _laplacian(a: np.ndarray) -> np.ndarray:
    """The response to Immerkær's mask [[1,-2,1],[-2,4,-2],[1,-2,1]] (of `a`, 3 rows or more),
    which cancels any plane and so nearly all of paper and print, leaving the noise."""
    return (
        a[:-2, :-2]
        - 2 * a[:-2, 1:-1]
        + a[:-2, 2:]
        - 2 * a[1:-1, :-2]
        + 4 * a[1:-1, 1:-1]
        - 2 * a[1:-1, 2:]
        + a[2:, :-2]
        - 2 * a[2:, 1:-1]
        + a[2:, 2:]
    )


def grainy(image: Image.Image, dpi: float) -> bool:
    """Whether `image` (greyscale, at `dpi`) carries grain above `NOISY`, judged as if scanned at
    `REFERENCE_DPI`: scaling down averages noise away, so a page scanned finer carries the same
    grain per millimetre with a larger standard deviation per pixel."""
    return dpi > 0 and image.mode == "L" and noise_level(image) * REFERENCE_DPI / dpi > NOISY


def smoothed(image: Image.Image, dpi: float) -> Image.Image:
    """`image` (at `dpi`) under a `BLUR_MM` Gaussian blur: most of a grainy page's noise, none of its print."""
    return image.filter(ImageFilter.GaussianBlur(BLUR_MM / 25.4 * dpi))
