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

# Grey levels between a pixel's highest and lowest channel. Black print and grey paper stay under
# ~10; the print of a real yellowed page scanned in colour (OCRmyPDF's c03-29.pdf) under 30; a red,
# blue or purple stamp's ink 70-110, and its thin frame, its colour halved by JPEG's 4:2:0
# chroma, down to ~35.
CHROMA = 40
# Coloured ink is darker than paper: yellowed or tinted paper has chroma too, and is no stamp.
INK_LEVEL = 215
# Of a page's pixels, the share in coloured ink that makes a second look worth its cost (~0.1 s):
# a stamp's frame and letters cover 1-3 % of an A4 page; a coloured logo in a letterhead's corner
# may reach it too, and costs only that look.
COLOURED_SHARE = 0.002


def _chroma(image: Image.Image) -> np.ndarray:
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return pixels.max(axis=2) - pixels.min(axis=2)


def has_coloured_ink(image: Image.Image) -> bool:
    """Whether an "RGB" page holds enough coloured ink (`COLOURED_SHARE`) to be read without it."""
    inked = (_chroma(image) >= CHROMA) & (np.asarray(image.convert("L")) < INK_LEVEL)
    return bool(inked.mean() >= COLOURED_SHARE)


def without_coloured_ink(image: Image.Image) -> Image.Image:
    """The "RGB" page in grey ("L"), each pixel of coloured ink made white."""
    grey = np.asarray(image.convert("L")).copy()
    grey[_chroma(image) >= CHROMA] = 255
    return Image.fromarray(grey)
