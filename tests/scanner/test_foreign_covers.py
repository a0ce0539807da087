"""Covers drawn by other offices, and real scanned pages behind them (issue 12).

The front sheets differ from the house layouts in label words, label position, typeface and paper;
the real pages come from OCRmyPDF's and tesseract-ocr's public test resources.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.foreign import FOREIGN_LAYOUTS
from synthetic.pages import degrade, draw_continuation, draw_cover
from synthetic.people import Person, make_people
from synthetic.real import real_page, real_pages

FRONT_SHEET = dataclasses.replace(
    make_people(1, seed=12)[0],
    case_reference="DSA-2018-6558",
    forename="Amelia",
    surname="Hart",
    date_of_birth=date(1992, 1, 25),
    date_opened=date(2020, 1, 1),
)


def _options(people: list[Person]) -> ScanOptions:
    return ScanOptions(known_references=frozenset(person.case_reference for person in people))


def _found(path: Path, people: list[Person]) -> list[tuple[int, int, str | None]]:
    return [
        (case.first_page, case.last_page, case.cover.case_reference if case.cover else None)
        for case in identify_file(path, _options(people)).case_files
    ]


def test_a_batch_of_plain_boxed_front_sheets_finds_every_cover(tmp_path: Path) -> None:
    # Issue 12, input 1: light grey paper, a ruled table at the top ("Ref No.", "Subject",
    # "D.O.B.", "Opened") in Liberation Serif, a QR code on every other cover, 300 dpi.
    people = [FRONT_SHEET, *make_people(5, seed=13)[1:]]

    def pages() -> Iterator[Image.Image]:
        for number, person in enumerate(people):
            yield draw_cover(person, "diocesan-table", 300, barcode="qr" if number % 2 else None)
            yield draw_continuation(number, 300)
            yield draw_continuation(number + 7, 300)

    found = _found(write_pdf(pages(), tmp_path / "batch.pdf", 300), people)
    assert found == [(1 + 3 * n, 3 + 3 * n, person.case_reference) for n, person in enumerate(people)]


@pytest.mark.parametrize("skew, noise", [(1.0, 0.01), (-1.0, 0.02)])
def test_the_monospaced_front_sheet_on_greyer_punched_paper_is_read(tmp_path: Path, skew: float, noise: float) -> None:
    # Issue 12, input 1's variant: a monospaced face, paper ~215, noise, 1° of skew, two punch holes.
    cover = degrade(draw_cover(FRONT_SHEET, "diocesan-mono", 300), skew=skew, noise=noise, seed=5)
    path = write_pdf(iter([draw_continuation(1, 300), cover, draw_continuation(2, 300)]), tmp_path / "mono.pdf", 300)
    assert _found(path, [FRONT_SHEET]) == [(1, 1, None), (2, 3, FRONT_SHEET.case_reference)]


@pytest.mark.parametrize("layout", sorted(FOREIGN_LAYOUTS))
def test_every_other_office_layout_is_found_and_read(tmp_path: Path, layout: str) -> None:
    people = make_people(12, seed=14)
    person = people[sorted(FOREIGN_LAYOUTS).index(layout)]
    pages = [draw_continuation(3, 200), draw_cover(person, layout, 200), draw_continuation(4, 200)]
    assert _found(write_pdf(iter(pages), tmp_path / "file.pdf", 200), people) == [
        (1, 1, None),
        (2, 3, person.case_reference),
    ]


@pytest.mark.parametrize(
    "layout, damage",
    [
        ("diocesan-table", {"skew": 3.0}),
        ("ref-no-small-table", {"skew": -3.0}),
        ("case-no-header-row", {"skew": 3.0}),
        ("file-no-band", {"noise": 0.02}),
        ("file-no-band", {"blur": 1.5}),
        ("our-ref-memo", {"rotate": 180, "grey": True}),
    ],
)
def test_damaged_other_office_covers_are_still_read(tmp_path: Path, layout: str, damage: dict) -> None:
    people = make_people(12, seed=15)
    person = people[len(layout) % 12]
    cover = degrade(draw_cover(person, layout, 300), seed=2, **damage)
    path = write_pdf(iter([draw_continuation(5, 300), cover]), tmp_path / "file.pdf", 300)
    assert _found(path, people) == [(1, 1, None), (2, 2, person.case_reference)]


def test_real_scanned_pages_behind_a_cover_stay_in_its_case_file(tmp_path: Path) -> None:
    # Book pages, a brochure turned four ways and skewed, typewriting, business letters: none of
    # them may start a case file of its own.
    people = make_people(3, seed=16)
    pages = [draw_cover(people[0], "our-ref-letter", 200)]
    pages += [real_page(name, number, 200) for name, number in real_pages()]
    found = _found(write_pdf(iter(pages), tmp_path / "real.pdf", 200), people)
    assert found == [(1, len(pages), people[0].case_reference)]
