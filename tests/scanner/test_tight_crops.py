"""Text cut out with no white around it reads as the page shows it: a band's crop taken 5 px
above "15/05/1972" was read "15/03/1972", and the cover held as naming someone else."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.tesseract import Backend, read_words

FONTS = "/usr/share/fonts/truetype/"
TEXTS = ["Date of Birth: 15/05/1972", "Born 28/08/1963", "Birth 09/06/1998", "Ref: CSC-2021-5368"]


def _tight(text: str, font: str, points: float, dpi: int, margin: int) -> tuple[Image.Image, int]:
    """The text printed at `points` and cut `margin` pixels from its ink on every side; and the
    left edge of its ink in the crop."""
    size = round(points * dpi / 72)
    page = Image.new("L", (size * len(text), size * 3), 255)
    ImageDraw.Draw(page).text((size, size), text, font=ImageFont.truetype(FONTS + font, size), fill=0)
    rows, columns = np.nonzero(np.asarray(page) < 128)
    box = (columns.min() - margin, rows.min() - margin, columns.max() + 1 + margin, rows.max() + 1 + margin)
    return page.crop(box), margin


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    "font, points, dpi",
    [
        ("dejavu/DejaVuSans.ttf", 12, 200),
        ("liberation/LiberationSerif-Regular.ttf", 11, 200),
        ("dejavu/DejaVuSansMono.ttf", 10, 300),
        ("liberation/LiberationSans-Bold.ttf", 12, 150),
    ],
)
@pytest.mark.parametrize("margin", [0, 2])
def test_text_touching_the_edge_of_what_is_read_is_read_whole(
    text: str, font: str, points: float, dpi: int, margin: int
) -> None:
    crop, left = _tight(text, font, points, dpi, margin)
    words = read_words(crop, dpi)
    assert " ".join(w.text for w in words) == text
    assert abs(words[0].left - left) <= 2, "boxes stay in the crop's own coordinates"


@pytest.mark.parametrize("backend", ["tesserocr", "tesseract"])
def test_both_ways_of_calling_tesseract_place_words_in_the_image_given(backend: Backend) -> None:
    crop, left = _tight(TEXTS[0], "dejavu/DejaVuSans.ttf", 12, 200, 0)
    words = read_words(crop, 200, backend=backend)
    assert abs(words[0].left - left) <= 2 and abs(words[0].top) <= 2
    assert max(w.left + w.width for w in words) <= crop.width + 2
