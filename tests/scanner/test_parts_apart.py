"""A front sheet with no label whose reference prints its code, year and number apart, far apart on
one line or each in a ruled box of its own: triage read "SGD" | "2016" | "5394" as three columns,
or "|csc| |2019| |54903|", and the sheet merged silently into the case file before it (a probe's
twelve such sheets at two resolutions: 8 of 24 scans merged). And the other side: a page whose
heading ends in capitals and a year ("MARCH 2021", "MINUTES 2023") was read as a reference whose
number the cut left out ("ARCH 2021"), and 19 of a probe's 20 such pages split off as covers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner import ScanOptions, identify_file
from scanner.cues import evidence_row
from scanner.layout import Line
from scanner.lines import Piece
from scanner.model import ScanResult
from scanner.tesseract import Word
from synthetic.continuation import draw_continuation
from synthetic.drawing import PAPER, Pen
from synthetic.files import write_pdf
from synthetic.pages import draw_cover
from synthetic.people import Person, make_people

PATTERNS = (DEFAULT_REFERENCE_PATTERN,)


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(12, seed=41)


def _batch(tmp_path: Path, people: list[Person], page: Pen) -> ScanResult:
    dpi = page.dpi
    pages = [draw_cover(people[0], "labelled", dpi), draw_continuation(8, dpi), page.image, draw_continuation(9, dpi)]
    return identify_file(write_pdf(pages, tmp_path / "batch.pdf", dpi, quality=85), ScanOptions())


def _apart(person: Person, dpi: int, face: str, points: float, gap_mm: float | None, boxed: bool = False) -> Pen:
    """The reference's parts `gap_mm` apart, or each in a ruled box, or (`gap_mm` None) its code
    and year at the left and its number at the right margin; name and date of birth under it, no
    label anywhere."""
    pen = Pen.blank(dpi)
    code, year, number = person.case_reference.split("-")
    if gap_mm is None:
        pen.text(25, 20, f"{code} {year}", points, face)
        pen.right(185, 20, number, points, face)
    else:
        x = 25.0
        for part in (code, year, number):
            end = pen.text(x + 2, 20, part, points, face)
            if boxed:
                pen.box(x, 18, end + 2, 20 + points * 0.45 + 2)
            x = end + gap_mm
    pen.text(25, 28 + points * 0.6, person.name, 12, face)
    pen.text(25, 36 + points * 0.6, f"{person.date_of_birth:%d/%m/%Y}", 12, face)
    return pen


@pytest.mark.parametrize(
    ("who", "dpi", "face", "points", "gap_mm"),
    [
        (1, 300, "sans-bold", 11, 6),
        (2, 200, "lib-sans", 14, 6),
        (3, 300, "lib-serif", 12, 9),
        (4, 200, "mono", 16, 10),
        (8, 300, "lib-sans-bold", 14, None),
        (9, 200, "serif", 20, None),
    ],
)
def test_a_reference_printed_in_parts_far_apart_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], who: int, dpi: int, face: str, points: float, gap_mm: float | None
) -> None:
    person = people[who]
    result = _batch(tmp_path, people, _apart(person, dpi, face, points, gap_mm))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and cover.case_reference == person.case_reference


@pytest.mark.parametrize(
    ("who", "dpi", "face", "points"), [(5, 300, "sans-bold", 20), (6, 200, "lib-mono", 14), (7, 300, "lib-sans", 12)]
)
def test_a_reference_boxed_part_by_part_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], who: int, dpi: int, face: str, points: float
) -> None:
    person = people[who]
    result = _batch(tmp_path, people, _apart(person, dpi, face, points, 8, boxed=True))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and cover.case_reference in (person.case_reference, None)  # unread, for a person


@pytest.mark.parametrize(("who", "dpi", "bar"), [(10, 300, True), (11, 200, False)])
def test_a_reference_whose_number_is_hidden_still_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], who: int, dpi: int, bar: bool
) -> None:
    """Its code and year alone at the top ("DSA 2019"), the number under a redaction bar or
    whited out, name and date of birth with no label: no reference, but a cover's evidence (a
    fresh tester's, merged silently by a first version of the month-and-year rule)."""
    person = people[who]
    code, year, _ = person.case_reference.split("-")
    pen = Pen.blank(dpi)
    end = pen.text(25, 20, f"{code} {year}", 14, "lib-sans")
    if bar:
        pen.draw.rectangle([pen.px(end + 3), pen.px(19), pen.px(end + 22), pen.px(26)], fill=0)
    pen.text(25, 34, person.name, 12, "lib-sans")
    pen.text(25, 42, f"{person.date_of_birth:%d/%m/%Y}", 12, "lib-sans")
    result = _batch(tmp_path, people, pen)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


@pytest.mark.parametrize(
    ("heading", "dpi", "face"),
    [
        ("MARCH 2021", 300, "sans-bold"),
        ("MINUTES 2023", 200, "lib-serif-bold"),
        ("JUNE 2021", 200, "lib-sans-bold"),
        ("REVIEW 2022", 300, "serif-bold"),
        ("Notes - SEPT 2020", 300, "lib-sans-bold"),
        ("ANNUAL REPORT 2020", 200, "lib-serif-bold"),
    ],
)
def test_a_heading_ending_in_capitals_and_a_year_leaves_a_continuation_page_as_it_is(
    tmp_path: Path, people: list[Person], heading: str, dpi: int, face: str
) -> None:
    page = Pen(draw_continuation(3, dpi), dpi)
    page.draw.rectangle([0, 0, page.image.width, page.px(24)], fill=PAPER)
    page.text(20, 8, heading, 18, face)
    result = _batch(tmp_path, people, page)
    assert [(c.first_page, c.last_page, c.doubts) for c in result.case_files] == [(1, 4, ())]


def _read(text: str) -> list[tuple[Piece, Line]]:
    words = tuple(Word(word, 90.0, 10 + 60 * n, 4, 50, 14) for n, word in enumerate(text.split()))
    return [(Piece(np.zeros((14, 800), bool), 10, 800, 40, 0, 14, stop=300), Line(words))]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("MARCH 2021", False),  # "ARCH 2021" starts inside a word
        ("ANNUAL REPORT 2020", False),
        ("JUNE 2021", False),  # a month and its year
        ("Visit: Sep-2020", False),
        ("DSA 2019", True),  # its number hidden or left out by the cut
        ("WSC-202", True),
        ("DSA-2016-", True),
        ("|SGD| |2013| |1325|", True),  # each part boxed
        ("| Date | of visit |", False),
    ],
)
def test_text_cut_short_is_a_reference_only_from_a_word_start_and_not_a_month(text: str, evidence: bool) -> None:
    assert (evidence_row(_read(text), PATTERNS) is not None) is evidence
