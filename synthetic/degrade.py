"""What a multifunction scanner and an old file do to a clean page.

Order matters as it does in life: the paper is grey before it is fed, the feed skews it, the optics
blur it, the sensor adds speckle, and the sheet may have gone in sideways or upside down.
"""

from __future__ import annotations

import numpy
from PIL import Image, ImageFilter

_TURNS = {
    0: None,
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


def degrade(
    img: Image.Image,
    *,
    rotate: int = 0,
    skew: float = 0.0,
    blur: float = 0.0,
    noise: float = 0.0,
    grey: bool = False,
    seed: int = 0,
) -> Image.Image:
    """Return a degraded copy of `img` (mode L or RGB).

    `rotate` turns the page counter-clockwise by 0/90/180/270 degrees; `skew` is a small angle in
    degrees; `blur` a Gaussian radius in pixels; `noise` the fraction of pixels flipped to black or
    white (salt and pepper); `grey` puts the page on dull, slightly mottled recycled paper.
    """
    if rotate not in _TURNS:
        raise ValueError(f"rotate must be one of {sorted(_TURNS)}, not {rotate}")
    rng = numpy.random.default_rng(seed)
    page = img if img.mode in ("L", "RGB") else img.convert("L")
    paper = 255
    if grey:
        paper = 205
        pixels = numpy.asarray(page, dtype=numpy.float32) * (paper / 255.0)
        pixels += rng.normal(0.0, 5.0, size=pixels.shape).astype(numpy.float32)
        page = Image.fromarray(numpy.clip(pixels, 0, 255).astype(numpy.uint8))
    if skew:
        fill = paper if page.mode == "L" else (paper,) * 3
        page = page.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=fill)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        pixels = numpy.array(page)
        flips = rng.random(pixels.shape[:2]) < noise
        values = numpy.where(rng.random(int(flips.sum())) < 0.5, 0, 255).astype(numpy.uint8)
        pixels[flips] = values if pixels.ndim == 2 else values[:, None]
        page = Image.fromarray(pixels)
    turn = _TURNS[rotate]
    return page.transpose(turn) if turn is not None else page.copy()
