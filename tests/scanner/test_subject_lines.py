"""A fax cover names its case at the end of its subject line ("Re: <name> (<birth date>) — our ref
<reference>"), under To/From/Date/Pages and a rule: two such covers in a tester's batches merged
into the case file before them. Each sits behind a cover and a continuation page, so a miss shows
as a merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, batch_behind_a_cover, px


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(8, seed=37)


def _fax(person: Person, font: str, points: int, ending: str, paper: int) -> Image.Image:
    page = Image.new("L", (px(210), px(297)), paper)
    draw = ImageDraw.Draw(page)

    def text(x: float, y: float, words: str, size: int, bold: bool = False) -> None:
        face = TYPEFACES["dejavu-bold" if bold else font]
        draw.text((px(x), px(y)), words, font=ImageFont.truetype(face, round(size * 300 / 72)), fill=20)

    text(20, 15, "FAX", 26, bold=True)
    for row, (label, value) in enumerate((("To:", "Duty Team"), ("From:", "K. Doyle"), ("Pages:", "3"))):
        text(20, 38 + 9 * row, label, points, bold=True)
        text(45, 38 + 9 * row, value, points)
    draw.line((px(20), px(70), px(190), px(70)), fill=30, width=4)
    subject = f"Re: {person.name} ({person.date_of_birth:%d/%m/%Y}) {ending} {person.case_reference}"
    text(20, 77, subject, points)
    for row in range(3):
        text(20, 90 + 6 * row, "Police attended following a report of an argument; no offences were disclosed.", points)
    return page


@pytest.mark.parametrize(
    "font, points, ending, paper, dpi",
    [
        ("dejavu", 10, "— our ref", 246, 150),
        ("liberation-serif", 11, "- Our Ref:", 236, 200),
        ("liberation-sans", 10, "/ File ref", 250, 150),
        ("liberation-mono", 9, "- case no.", 230, 300),
    ],
)
def test_a_fax_cover_naming_its_case_at_the_end_of_its_subject_line_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, points: int, ending: str, paper: int, dpi: int
) -> None:
    result = batch_behind_a_cover(tmp_path, people, _fax(people[4], font, points, ending, paper), dpi)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and people[4].case_reference in {c.case_reference for c in cover.candidates}


def test_a_subject_line_ending_in_a_date_leaves_a_letter_a_continuation(tmp_path: Path, people: list[Person]) -> None:
    page = _fax(people[5], "dejavu", 10, "", 248)
    blank = Image.new("L", (px(170), px(7)), 248)
    page.paste(blank, (px(20), px(76)))
    ImageDraw.Draw(page).text(
        (px(20), px(77)),
        f"Re: {people[5].name} (born {people[5].date_of_birth:%d/%m/%Y})",
        font=ImageFont.truetype(TYPEFACES["dejavu"], round(10 * 300 / 72)),
        fill=20,
    )
    result = batch_behind_a_cover(tmp_path, people, page, 200)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 4)]
