"""Is this page possibly a cover? A cheap test, so continuation pages skip the careful read.

Most pages of a batch follow a cover. Reading the whole top of each one costs ~0.5 s; this test
reads only the first few text lines of a small, upright copy of the page (one short tesseract
call) and asks whether any reference label or reference-shaped text is there. It is generous on
purpose: a false "maybe" costs a careful read, a false "no" would merge two children's files.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PIL import Image

from scanner.cover import REFERENCE_LABELS
from scanner.imaging import ink, remove_rules
from scanner.layout import find_label, group_lines
from scanner.references import readings_in_line
from scanner.tesseract import read_words

TRIAGE_DPI = 100
TOP_FRACTION = 0.45
MAX_LINES = 6
# "Case no*" would take every "Case note" heading for a label; on a cover it reads "Case No."
TRIAGE_LABELS = tuple(("case", "no") if label == ("case", "no*") else label for label in REFERENCE_LABELS)


def text_bands(mask: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """(top, bottom) rows of each text line, top to bottom, from the row profile of the ink.

    Gaps thinner than a hair join (a broken descender); bands too thin for a letter are dropped.
    """
    rows = mask.sum(axis=1) >= max(2, int(0.003 * mask.shape[1]))
    bands: list[list[int]] = []
    join, least = max(1, round(dpi * 0.01)), max(2, round(dpi * 0.04))
    for index in np.flatnonzero(rows):
        if bands and index - bands[-1][1] <= join + 1:
            bands[-1][1] = int(index)
        else:
            bands.append([int(index), int(index)])
    return [(top, bottom + 1) for top, bottom in bands if bottom + 1 - top >= least]


def first_lines(upright: Image.Image, dpi: float) -> Image.Image | None:
    """The top of the page down to its MAX_LINES-th text line, ruled lines removed; None if blank."""
    top = upright.crop((0, 0, upright.width, int(upright.height * TOP_FRACTION)))
    mask = remove_rules(ink(top), min_length=max(20, int(dpi * 0.6)))
    bands = text_bands(mask, dpi)
    if not bands:
        return None
    bottom = min(mask.shape[0], bands[min(MAX_LINES, len(bands)) - 1][1] + round(dpi * 0.05))
    return Image.fromarray(np.where(mask[:bottom], 0, 255).astype(np.uint8))


def may_be_cover(upright: Image.Image, dpi: float, patterns: Sequence[str], language: str, timeout: int) -> bool:
    """True when the first lines of the (upright, small) page show a reference label or a reference."""
    crop = first_lines(upright, dpi)
    if crop is None:
        return False
    lines = group_lines(read_words(crop, round(dpi), language, timeout=timeout))
    for line in lines:
        if any(find_label(line, label) is not None for label in TRIAGE_LABELS):
            return True
        if readings_in_line([w.text for w in line.words], patterns):
            return True
    return False
