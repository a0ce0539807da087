"""A front sheet printed on a dot-matrix printer, scanned at 150 or 200 dpi: its letters are rows
of separate dots, some missing, that tesseract reads as nothing on the triage copy. A tester's such
covers merged into the case file before them, linked automatically; theirs now leave a doubt,
because their tops read as nothing at all. These, drawn here, read as garbage instead: under 200
dpi a sparse page leaves a doubt of its own, but at 200 dpi the finer-pitched one still merges, a
known gap kept as a strict expected failure so that its fix shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import px

MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(6, seed=83)


def _dotted(page: Image.Image, pitch: int, missing: float, seed: int) -> Image.Image:
    """`page`'s print as a dot-matrix head prints it: a dot every `pitch` pixels where the glyph
    has ink, `missing` of them dropped (a worn ribbon)."""
    ink = np.asarray(page) < 128
    dots = np.zeros_like(ink)
    rng = np.random.default_rng(seed)
    grid = ink[::pitch, ::pitch] & (rng.random(ink[::pitch, ::pitch].shape) >= missing)
    for dy in range(max(1, pitch // 2)):
        for dx in range(max(1, pitch // 2)):
            dots[dy::pitch, dx::pitch][: grid.shape[0], : grid.shape[1]] |= grid[
                : dots[dy::pitch].shape[0], : dots[:, dx::pitch].shape[1]
            ]
    return Image.fromarray(np.where(dots, 30, 250).astype(np.uint8))


def _cover(person: Person) -> Image.Image:
    page = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(MONO_BOLD, 46)
    lines = [
        "NORTHSHIRE COUNTY COUNCIL   SOCIAL SERVICES DEPT",
        "-" * 48,
        f"CASE REF   :   {person.case_reference}",
        f"NAME       :   {person.name.upper()}",
        f"D.O.B.     :   {person.date_of_birth:%d/%m/%Y}",
        "",
        *["VISIT NOTES FOLLOW. HOME CONDITIONS SEEN AND RECORDED."] * 6,
    ]
    for row, text in enumerate(lines):
        draw.text((px(22), px(30 + 7 * row)), text, font=font, fill=0)
    return page


GAP = pytest.mark.xfail(strict=True, reason="dot-matrix print read as garbage on the triage copy is not yet told apart")


@pytest.mark.parametrize(
    "pitch, missing, dpi",
    [
        # Under the 200 dpi PRODUCT.md asks for, a sparse page that reads nothing leaves a doubt.
        (4, 0.35, 150),
        (5, 0.3, 150),
        pytest.param(4, 0.35, 200, marks=GAP),
        (5, 0.3, 200),  # held: its print, read magnified, reads as nothing
    ],
)
def test_a_dot_matrix_cover_is_never_merged_silently(
    tmp_path: Path, people: list[Person], pitch: int, missing: float, dpi: int
) -> None:
    size = (px(210) * dpi // 300, px(297) * dpi // 300)
    cover = _dotted(_cover(people[3]), pitch, missing, seed=pitch).resize(size)
    pages = [draw_cover(people[1], "boxed", dpi), draw_continuation(5, dpi), cover, draw_continuation(6, dpi)]
    files = identify_file(write_pdf(pages, tmp_path / "batch.pdf", dpi), ScanOptions(workers=1)).case_files
    holder = next(f for f in files if f.first_page <= 3 <= f.last_page)
    assert holder.first_page == 3 or holder.doubts, [(f.first_page, f.last_page, f.doubts) for f in files]
