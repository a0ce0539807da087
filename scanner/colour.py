"""Coloured ink left out of a colour scan: a rubber stamp or a highlighter across a cover's fields.

Pages are read in grey, where a red or purple "RECEIVED" stamp is as dark as the print it
crosses: its frame joins the lines beside it and hides a label's start. Scanners offer "colour
dropout" for this (forms are printed in a dropout colour so that only what is filled in stays);
here it is a second look, never the only one: a form whose labels are printed in colour must
still show them.

Print is black or grey, so its three channels are nearly equal; a coloured ink's differ. Where a
stamp crosses print, the print stays dark and grey. A pixel whose channels differ by `CHROMA` or
more is coloured ink and becomes paper.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Grey levels between a pixel's highest and lowest channel, above the paper's own: black print and
# white or grey paper stay under ~10; a yellowed page scanned in colour (OCRmyPDF's c03-29.pdf)
# has paper at ~31 and print up to 40, so only a colour 40 above its paper's counts; a red, blue
# or purple stamp's ink is 70-110, and its thin frame, its colour halved by JPEG's 4:2:0
# chroma, down to ~35.
CHROMA = 40
PAPER_PERCENTILE = 90  # the page's lightest tenth is its paper
INK_DEPTH = 25  # coloured ink is this much darker than the paper (a tint of the paper is none)
# Of a page's pixels, the share in coloured ink that makes a second look worth its cost (~0.1 s):
# a stamp's frame and letters cover 1-3 % of an A4 page; a coloured logo in a letterhead's corner
# may reach it too, and costs only that look.
COLOURED_SHARE = 0.002


def _coloured(image: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """(the pixels in a colour of their own, the page in grey)."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    chroma = pixels.max(axis=2) - pixels.min(axis=2)
    grey = np.asarray(image.convert("L"))
    paper = np.percentile(grey, PAPER_PERCENTILE)
    tint = float(np.median(chroma[grey >= paper - 10]))
    return chroma >= tint + CHROMA, grey


def has_coloured_ink(image: Image.Image) -> bool:
    """Whether an "RGB" page holds enough coloured ink (`COLOURED_SHARE`) to be read without it."""
    coloured, grey = _coloured(image)
    inked = coloured & (grey < np.percentile(grey, PAPER_PERCENTILE) - INK_DEPTH)
    return bool(inked.mean() >= COLOURED_SHARE)


def without_coloured_ink(image: Image.Image) -> Image.Image:
    """The "RGB" page in grey ("L"), each pixel in a colour of its own made white."""
    coloured, grey = _coloured(image)
    kept = grey.copy()
    kept[coloured] = 255
    return Image.fromarray(kept)
