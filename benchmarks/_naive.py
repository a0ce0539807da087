"""The naive baseline: every page rendered at 300 dpi, whole-page OCR, a regex.

It calls the libraries as their documentation shows, with their defaults (colour pages, pytesseract's
own PNG hand-off): what a first attempt does before anyone measures anything.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytesseract
from pdf2image import convert_from_path
from PIL import Image, ImageSequence

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.references import canonical_from_match

PATTERN = re.compile(DEFAULT_REFERENCE_PATTERN)


def _pages(path: Path) -> list[Image.Image]:
    if path.suffix.lower() == ".pdf":
        return convert_from_path(str(path), dpi=300)
    with Image.open(path) as image:
        return [frame.copy() for frame in ImageSequence.Iterator(image)]


def naive_identify(path: Path) -> list[tuple[int, int, str | None]]:
    """(first page, last page, reference): a page whose text matches the regex starts a case file."""
    files: list[list] = []
    for number, page in enumerate(_pages(path), start=1):
        match = PATTERN.search(pytesseract.image_to_string(page))
        if match or not files:
            files.append([number, number, canonical_from_match(match) if match else None])
        else:
            files[-1][1] = number
    return [tuple(f) for f in files]
