"""A letter about another person filed inside a case file (a sibling's, a twin's: "Your ref" and
"Re:" both name them) must never carry the pages after it into that person's record: a tester's
batches did so 24 times in 24, each with no word said. Scanned and decided for real: tesseract on
drawn pages, the catalogue's own decision against a template holding both children."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from catalogue.candidates import RecordIndex
from catalogue.linking import Link, decide
from config.settings import load_settings
from records.template import TemplateRecord
from scanner import ScanOptions, identify_file
from scanner.cover import letter_marks
from scanner.layout import group_lines
from scanner.tesseract import Word
from store.states import LINKED_BY_SERVICE
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, px

SETTINGS = load_settings(environ={})


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(10, seed=23)


def _index(people: Sequence[Person]) -> RecordIndex:
    return RecordIndex(
        (
            number,
            TemplateRecord(
                number,
                p.case_reference,
                p.case_reference,
                p.forename,
                p.surname,
                p.date_of_birth,
                "Open",
                None,
                None,
                True,
                False,
                {},
            ),
        )
        for number, p in enumerate(people, start=1)
    )


def _letter(lines: Sequence[tuple[float, str, int]], font: str, paper: int) -> Image.Image:
    """An A4 letter at 300 dpi, each (mm from the top, text, points) line at 20 mm from the left."""
    page = Image.new("L", (px(210), px(297)), paper)
    draw = ImageDraw.Draw(page)
    for top, text, points in lines:
        face = ImageFont.truetype(TYPEFACES[font], round(points * 300 / 72))
        draw.text((px(20), px(top)), text, font=face, fill=25)
    return page


def _about(other: Person, label: str, greeting: bool, font: str, paper: int) -> Image.Image:
    """A police or school letter about `other`: their reference beside `label`, their name and
    date of birth on the subject line, with or without "Dear …" and "Yours sincerely"."""
    lines = [
        (14, "Westbury Police - Public Protection Unit", 12),
        (20, "1 High Street, Westbury WB2 3CD", 9),
        (40, f"{label} {other.case_reference}", 10),
        (47, "04 March 2022", 10),
        (60, f"Re: {other.name}, DOB {other.date_of_birth:%d/%m/%Y}", 10),
    ]
    body = [
        "We write about the incident reported at the family home last week and the",
        "strategy discussion that followed. Officers attended and spoke with the family.",
        "A further visit is planned and we will share the outcome with your team.",
    ]
    top = 70
    if greeting:
        lines.append((top, "Dear Colleague,", 10))
        top += 8
    lines += [(top + 6 * n, text, 10) for n, text in enumerate(body)]
    if greeting:
        lines.append((top + 30, "Yours sincerely,", 10))
    return _letter(lines, font, paper)


def _decided(path: Path, people: Sequence[Person]) -> list[Link]:
    result = identify_file(path, ScanOptions())
    index = _index(people)
    return [decide(c, index, closed=False, location=None, settings=SETTINGS) for c in result.case_files]


@pytest.mark.parametrize(
    "label, greeting, font, paper",
    [
        ("Your ref:", True, "dejavu", 250),
        ("Your Ref.", False, "liberation-serif", 236),
        ("Our ref:", True, "liberation-sans", 244),
        ("Our ref:", False, "dejavu-mono", 228),
        ("Their ref:", True, "liberation-sans-bold", 252),
    ],
)
def test_a_letter_about_a_sibling_never_links_the_pages_after_it_to_the_sibling(
    tmp_path: Path, people: list[Person], label: str, greeting: bool, font: str, paper: int
) -> None:
    child, sibling = people[2], people[3]
    pages = [
        draw_cover(child, "boxed", 200),
        draw_continuation(31, 200),
        _about(sibling, label, greeting, font, paper).resize((px(210) * 2 // 3, px(297) * 2 // 3)),
        draw_continuation(32, 200),
        draw_continuation(33, 200),
    ]
    links = _decided(write_pdf(pages, tmp_path / "batch.pdf", 200), people)
    holder = next(link for link in links if link.first_page <= 3 <= link.last_page)
    assert holder.state not in LINKED_BY_SERVICE, holder.reason
    sibling_id = people.index(sibling) + 1
    assert not any(link.record_id == sibling_id and link.state in LINKED_BY_SERVICE for link in links)
    assert links[0].first_page == 1 and links[0].state in LINKED_BY_SERVICE, links[0].reason


@pytest.mark.parametrize("font", ["dejavu", "liberation-serif"])
def test_a_cover_using_our_ref_as_its_label_is_still_linked(tmp_path: Path, people: list[Person], font: str) -> None:
    """Offices print "Our ref" on their own front sheets: without a letter's marks, its name and
    date of birth fields vouch for it as before."""
    child = people[5]
    cover = _letter(
        [
            (16, "Children's Services - Case file", 16),
            (34, f"Our ref: {child.case_reference}", 12),
            (42, f"Name: {child.name}", 12),
            (50, f"Date of birth: {child.date_of_birth:%d/%m/%Y}", 12),
        ],
        font,
        246,
    )
    pages = [draw_cover(people[1], "boxed", 300), draw_continuation(41, 300), cover, draw_continuation(42, 300)]
    links = _decided(write_pdf(pages, tmp_path / "batch.pdf", 300), people)
    assert [(link.first_page, link.last_page) for link in links] == [(1, 2), (3, 4)]
    assert links[1].state in LINKED_BY_SERVICE and links[1].record_id == people.index(child) + 1, links[1].reason


def _line(*texts: str) -> list[Word]:
    words, left = [], 100
    for text in texts:
        words.append(Word(text, 90.0, left, 200, 20 * len(text), 40))
        left += 20 * len(text) + 20
    return words


@pytest.mark.parametrize(
    "texts, marked",
    [
        (("Dear", "Ms", "Example,"), True),
        (("Yours", "faithfully,"), True),
        (("Kind", "regards"), True),
        (("Your", "ref:", "SGD-2024-0412"), True),
        (("Re:", "Jack", "Smith"), True),
        (("Case", "Reference:", "SGD-2024-0412"), False),
        (("Our", "ref:", "SGD-2024-0412"), False),
        (("Endeared", "to", "the", "family"), False),
        (("Name:", "Jack", "Smith"), False),
    ],
)
def test_what_marks_a_page_as_a_letter(texts: tuple[str, ...], marked: bool) -> None:
    assert bool(letter_marks(group_lines(_line(*texts)))) is marked


def test_a_subject_line_beside_a_name_field_is_a_covers() -> None:
    words = _line("Re:", "Child", "protection") + [
        Word(w.text, w.confidence, w.left, w.top + 80, w.width, w.height) for w in _line("Name:", "Jack", "Smith")
    ]
    assert letter_marks(group_lines(words)) == ""
