"""Front sheets whose reference runs along the page's side edge, turned a quarter from the rest:
down a dark strip in white letters, or sideways in the margin, beside an unlabelled name and a
paragraph. An eighth tester's spine-labelled covers ("CASE REF … * SURNAME") merged with the
case file before them, no doubt said; the layouts, fonts and damage here are drawn anew.
Real tesseract on rendered pages."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.edges import edge_strips
from scanner.imaging import ink
from synthetic.people import Person
from tests.support.covers import TYPEFACES, batch_behind_a_cover, own_cover, page_behind_a_cover, px

PROSE = "the worker visited the family at home and spoke with both parents about the plan agreed"
WORDS = PROSE.split()


def _font(face: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(TYPEFACES[face], round(points * 300 / 72))


def _body(draw: ImageDraw.ImageDraw, left_mm: float, top_mm: float, lines: int, seed: int) -> None:
    rng, font = random.Random(seed), _font("liberation-serif", 11)
    for number in range(lines):
        draw.text((px(left_mm), px(top_mm + 6 * number)), " ".join(rng.choice(WORDS) for _ in range(11)), font=font)


def along_the_edge(
    text: str, face: str, points: float, side: str, upwards: bool, strip: int | None, width_mm: float = 14
) -> Image.Image:
    """A sheet with `text` turned a quarter along its `side` edge (reading upwards or downwards),
    white on a strip of grey level `strip`, or black on the paper when `strip` is None; an
    unlabelled name, "Born …" and a paragraph upright beside it."""
    paper = 250
    page = Image.new("L", (px(210), px(297)), paper)
    draw = ImageDraw.Draw(page)
    left = 0 if side == "left" else px(210 - width_mm)
    if strip is not None:
        draw.rectangle((left, 0, left + px(width_mm), px(297)), fill=strip)
    font = _font(face, points)
    ground = paper if strip is None else strip
    line = Image.new("L", (round(draw.textlength(text, font=font)) + 20, px(width_mm - 2)), ground)
    ImageDraw.Draw(line).text((10, px(1)), text, font=font, fill=0 if strip is None else 255)
    page.paste(line.rotate(90 if upwards else -90, expand=True), (left + px(1), px(45)))
    margin = 20 + (width_mm if side == "left" else 0)
    draw.text((px(margin), px(20)), "Children's Services", font=_font("dejavu", 18))
    draw.text((px(margin), px(40)), "Ruth Ellery-Mensah", font=_font("dejavu", 14))
    draw.text((px(margin), px(50)), "Born 3 May 2011", font=_font("liberation-serif", 11))
    _body(draw, margin, 70, 14, seed=len(text))
    return page


@pytest.mark.parametrize(
    ("label", "face", "points", "side", "upwards", "strip", "dpi"),
    [
        ("CASE REF", "dejavu-bold", 14, "left", True, 0, 300),
        ("File No.", "liberation-mono", 12, "right", False, 0, 300),
        ("Ref", "liberation-sans-bold", 11, "left", False, 60, 200),
        ("", "dejavu", 16, "right", True, 20, 300),
        ("Reference number", "liberation-serif", 11, "left", True, None, 300),
        ("", "dejavu-mono", 12, "right", False, None, 200),
    ],
)
def test_a_reference_along_the_edge_starts_its_own_case_file(
    tmp_path: Path,
    people: list[Person],
    label: str,
    face: str,
    points: float,
    side: str,
    upwards: bool,
    strip: int | None,
    dpi: int,
) -> None:
    person = people[7]
    text = f"{label} {person.case_reference}  *  {person.name.split()[-1].upper()}".strip()
    page = along_the_edge(text, face, points, side, upwards, strip)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, dpi))
    assert cover.case_reference in (person.case_reference, None), cover


def test_a_skewed_noisy_strip_still_starts_its_own_case_file(tmp_path: Path, people: list[Person]) -> None:
    person = people[4]
    page = along_the_edge(f"CASE REF {person.case_reference}", "liberation-sans-bold", 13, "left", True, 30)
    page = page.rotate(1.5, fillcolor=250, resample=Image.Resampling.BILINEAR)
    grain = np.random.default_rng(4).normal(0, 20, (page.height, page.width))
    page = Image.fromarray(np.clip(np.asarray(page, float) + grain, 0, 255).astype(np.uint8))
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference in (person.case_reference, None), cover


@pytest.mark.parametrize(
    "text", ["CONFIDENTIAL - NOT TO BE COPIED", "Printed 12/03/2021 14:05 by the records office", ""]
)
def test_a_page_with_other_words_along_its_edge_stays_a_continuation(
    tmp_path: Path, people: list[Person], text: str
) -> None:
    """A strip that names no case, or holds no letters at all (a scanner's dark border), is no
    cover's evidence."""
    page = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(page)
    if text:
        line = Image.new("L", (px(150), px(8)), 255)
        ImageDraw.Draw(line).text((0, 0), text, font=_font("dejavu", 12))
        page.paste(line.rotate(90, expand=True), (px(6), px(60)))
    else:
        draw.rectangle((0, 0, px(5), px(297)), fill=15)
    _body(draw, 25, 20, 30, seed=9)
    result = page_behind_a_cover(tmp_path, people, page, 3)
    assert [(c.first_page, c.last_page, c.doubts) for c in result.case_files] == [(1, 3, ())]


def test_a_chronology_whose_dates_run_down_the_margin_stays_a_continuation(
    tmp_path: Path, people: list[Person]
) -> None:
    """A narrow column of dates at the left is a strip to the pixels, and names no case turned."""
    page = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(page)
    rng = random.Random(11)
    for number in range(36):
        top = px(20 + 7 * number)
        draw.text((px(12), top), f"{rng.randint(1, 28):02d}/0{rng.randint(1, 9)}/2019", font=_font("dejavu", 10))
        draw.text((px(40), top), " ".join(rng.choice(WORDS) for _ in range(9)), font=_font("dejavu", 10))
    result = page_behind_a_cover(tmp_path, people, page, 2)
    assert [(c.first_page, c.last_page, c.doubts) for c in result.case_files] == [(1, 3, ())]


def _mask(boxes: list[tuple[float, float, float, float]]) -> np.ndarray:
    """A 100 dpi A4 mask inked in each (left, top, right, bottom) box, in mm."""
    mask = np.zeros((round(297 / 0.254), round(210 / 0.254)), bool)
    for left, top, right, bottom in boxes:
        mask[round(top / 0.254) : round(bottom / 0.254), round(left / 0.254) : round(right / 0.254)] = True
    return mask


BODY = [(25, 20 + 6 * n, 190, 23.5 + 6 * n) for n in range(30)]


@pytest.mark.parametrize(
    ("boxes", "strips"),
    [
        ([(3, 40, 9, 160)], 1),  # a line turned a quarter in the left margin
        ([(200, 40, 207, 160)], 1),  # ... in the right margin
        ([(0, 0, 14, 297)], 1),  # a dark strip at the edge
        ([(5, 60, 11, 66), (5, 140, 11, 146)], 0),  # two punch holes
        ([(4, 10, 10, 14)], 0),  # a staple's shadow
        ([], 0),
    ],
)
def test_which_ink_along_an_edge_may_be_a_line_turned_a_quarter(
    boxes: list[tuple[float, float, float, float]], strips: int
) -> None:
    assert len(edge_strips(_mask([*BODY, *boxes]), 100)) == strips


def test_a_page_of_text_to_its_edges_has_no_strip() -> None:
    assert edge_strips(_mask([(0, 20 + 6 * n, 210, 23.5 + 6 * n) for n in range(30)]), 100) == []
    assert edge_strips(ink(Image.new("L", (827, 1169), 255)), 100) == []
