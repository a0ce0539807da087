"""Front sheets whose reference follows a label the scanner does not know, on the same line: a
new user's covers typed "Unique no: DSA-2019-1301", "Ident: …", "Person identifier: …" merged 9
times in 15, the label too long for the first look to show it. Real tesseract on rendered pages;
the labels, fonts and places here are drawn anew."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.lines import line_pieces
from scanner.strips import PEEK_MM, TAIL_MM
from synthetic.people import Person
from tests.support.covers import TYPEFACES, batch_behind_a_cover, own_cover, page_behind_a_cover, px

PROSE = (
    "the worker visited the family at home and spoke with both parents about the plan agreed at "
    "the last meeting and the school said that the child had settled well since the review"
)


def _font(face: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(TYPEFACES[face], round(points * 300 / 72))


def _paragraph(draw: ImageDraw.ImageDraw, top_mm: float, lines: int, face: str, seed: int, last: str = "") -> float:
    """Lines of prose 170 mm wide from 20 mm, the last one short and ending in `last`; where the
    text ends (mm)."""
    rng, font, words = random.Random(seed), _font(face, 11), PROSE.split()
    for number in range(lines):
        line = rng.choice(words)
        room = 60 if number == lines - 1 else 170
        while draw.textlength(longer := f"{line} {rng.choice(words)}", font=font) < px(room):
            line = longer
        draw.text((px(20), px(top_mm + 5.2 * number)), line + (f" {last}" if number == lines - 1 else ""), font=font)
    return top_mm + 5.2 * lines


def under_a_heading(person: Person, face: str, label: str, points: float) -> Image.Image:
    page = Image.new("L", (px(210), px(297)), 250)
    draw = ImageDraw.Draw(page)
    draw.text((px(20), px(18)), "Early Help - Request for Support", font=_font(face, 16))
    draw.text((px(20), px(34)), f"{label} {person.case_reference}", font=_font(face, points))
    draw.text((px(20), px(44)), f"Child: {person.name}", font=_font(face, points))
    _paragraph(draw, 60, 12, face, seed=1)
    return page


def right_of_a_header_band(person: Person, face: str, label: str, points: float) -> Image.Image:
    page = Image.new("L", (px(210), px(297)), 236)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, px(210), px(30)), fill=205)
    draw.text((px(15), px(10)), "FAMILY SUPPORT", font=_font(face, 18), fill=10)
    text = f"{label} {person.case_reference}"
    font = _font(face, points)
    draw.text((px(195) - draw.textlength(text, font=font), px(12)), text, font=font, fill=10)
    _paragraph(draw, 45, 20, face, seed=2)
    return page


def low_after_the_notes(person: Person, face: str, label: str, points: float) -> Image.Image:
    page = Image.new("L", (px(210), px(297)), 244)
    draw = ImageDraw.Draw(page)
    draw.text((px(20), px(16)), "Notes of a strategy discussion", font=_font(face, 15))
    end = _paragraph(draw, 30, 24, face, seed=3)
    end = _paragraph(draw, end + 5, 10, face, seed=4)
    draw.text((px(20), px(end + 12)), f"{label} {person.case_reference}", font=_font(face, points))
    draw.text((px(20), px(end + 21)), f"Born {person.date_of_birth:%d %B %Y}", font=_font(face, points))
    return page


DESIGNS = {
    "under a heading": under_a_heading,
    "right of a header band": right_of_a_header_band,
    "low after the notes": low_after_the_notes,
}


@pytest.mark.parametrize(
    ("design", "face", "label", "points", "dpi"),
    [
        ("under a heading", "liberation-serif", "Service user number:", 12, 300),
        ("under a heading", "dejavu-mono", "Unique ID no.:", 10, 200),
        ("under a heading", "liberation-sans", "Person identifier:", 14, 200),
        ("right of a header band", "dejavu", "Client record:", 11, 300),
        ("right of a header band", "liberation-mono", "Identifier:", 10, 200),
        ("low after the notes", "liberation-sans-bold", "Unique no:", 12, 300),
        ("low after the notes", "liberation-serif", "Record identifier:", 11, 200),
    ],
)
def test_a_reference_after_a_label_nobody_listed_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], design: str, face: str, label: str, points: float, dpi: int
) -> None:
    person = people[6]
    cover = own_cover(batch_behind_a_cover(tmp_path, people, DESIGNS[design](person, face, label, points), dpi))
    assert cover.case_reference in (person.case_reference, None), cover


def test_a_letter_whose_paragraphs_end_in_another_case_reference_stays_a_continuation(
    tmp_path: Path, people: list[Person]
) -> None:
    """Lines that end in a reference are read whole; running text that quotes one is no label."""
    page = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(page)
    end = _paragraph(draw, 20, 9, "dejavu", seed=5, last=f"as in {people[2].case_reference}")
    end = _paragraph(draw, end + 6, 7, "dejavu", seed=6, last=f"(see {people[3].case_reference})")
    _paragraph(draw, end + 6, 8, "dejavu", seed=7, last="on 12 March 2021")
    result = page_behind_a_cover(tmp_path, people, page, 4)
    assert [(c.first_page, c.last_page, c.doubts) for c in result.case_files] == [(1, 3, ())]


def _ink_lines(lines: list[tuple[float, float, float]]) -> np.ndarray:
    """A 100 dpi mask with a 3.3 mm tall bar of 'print' for each (top, left, right) in mm."""
    mask = np.zeros((px100(297), px100(210)), bool)
    for top, left, right in lines:
        mask[px100(top) : px100(top + 3.3), px100(left) : px100(right)] = True
    return mask


def px100(mm: float) -> int:
    return round(mm / 25.4 * 100)


def test_only_columns_outside_paragraphs_are_read_at_their_end() -> None:
    paragraph = [(40 + 5.2 * n, 20, 190) for n in range(4)] + [(60.8, 20, 120)]
    field_right = (12, 135, 190)  # as wide as its room, but no paragraph stands around it
    field_low = (80, 20, 75)
    long_line = (90, 20, 150)  # a line of text, not a field, and not beside a paragraph
    pieces = line_pieces(_ink_lines([field_right, *paragraph, field_low, long_line]), 100)
    ends = {round(piece.row / 100 * 25.4): piece.tail(TAIL_MM, PEEK_MM, 100) is not None for piece in pieces}
    assert ends == {12: True, 40: False, 45: False, 50: False, 56: False, 61: True, 80: True, 90: False}


def sidebar_under_a_stamp(person: Person, face: str, label: str, shade: int) -> Image.Image:
    """An unknown label over the reference in a grey sidebar, a grey stamp's rings across the
    reference, the name unlabelled beside it: only the first look's few letters of the reference
    survive the rings."""
    page = Image.new("L", (px(210), px(297)), 250)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, px(50), px(297)), fill=shade)
    draw.text((px(6), px(32)), label, font=_font(face, 9), fill=20)
    draw.text((px(6), px(38)), person.case_reference, font=_font(face + "-bold", 11), fill=10)
    draw.text((px(60), px(25)), "Case File", font=_font(face + "-bold", 22), fill=10)
    draw.text((px(60), px(45)), person.name, font=_font(face, 14), fill=10)
    for inset in (0, 4):
        box = (px(16 + inset), px(30 + inset), px(70 - inset), px(84 - inset))
        draw.ellipse(box, outline=120, width=px(0.8))
    return page


@pytest.mark.parametrize(("face", "label", "shade"), [("dejavu", "Record ID", 215), ("liberation-sans", "Ident", 225)])
def test_a_reference_whose_wide_read_a_stamp_spoils_still_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], face: str, label: str, shade: int
) -> None:
    cover = own_cover(batch_behind_a_cover(tmp_path, people, sidebar_under_a_stamp(people[5], face, label, shade), 300))
    assert cover.case_reference in (people[5].case_reference, None), cover
