"""Dates on covers, and cutting pages into case files."""

from __future__ import annotations

from datetime import date

import pytest

from common.dates import first_uk_date
from scanner.analysis import PageFinding
from scanner.batch import split
from scanner.fields import has_all_fields
from scanner.layout import Line, group_lines
from scanner.model import CoverSheet
from scanner.tesseract import Word


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/11/2012", date(2012, 11, 3)),
        ("3-11-2012", date(2012, 11, 3)),
        ("03.11.2012", date(2012, 11, 3)),
        ("3 November 2012", date(2012, 11, 3)),
        ("3rd Nov 2012", date(2012, 11, 3)),
        ("2012-11-03", date(2012, 11, 3)),
        ("born 25/08/87", date(1987, 8, 25)),
        ("31/02/2012", None),
        ("no date here", None),
    ],
)
def test_uk_dates(text: str, expected: date | None) -> None:
    assert first_uk_date(text) == expected


def _cover(page: int) -> PageFinding:
    return PageFinding(page, cover=CoverSheet(page, f"SGD-2024-{page:04d}", "ocr", 0.9))


def test_each_cover_starts_a_case_file_and_continuations_follow() -> None:
    files = split([_cover(1), PageFinding(2), _cover(3), PageFinding(4), PageFinding(5)])
    assert [(f.first_page, f.last_page) for f in files] == [(1, 2), (3, 5)]


def test_pages_before_the_first_cover_form_a_case_file_without_cover() -> None:
    files = split([PageFinding(1), PageFinding(2), _cover(3)])
    assert next((f.first_page, f.last_page, f.cover) for f in files) == (1, 2, None)


def test_location_sheet_is_no_case_file_and_sets_the_location_after_it() -> None:
    findings = [
        _cover(1),
        PageFinding(2, location="Basement / Box 12"),
        _cover(3),
        PageFinding(4),
        PageFinding(5, location="Box 13"),
        _cover(6),
    ]
    files = split(findings)
    assert [(f.first_page, f.last_page, f.location) for f in files] == [
        (1, 1, None),
        (3, 4, "Basement / Box 12"),
        (6, 6, "Box 13"),
    ]


def _lines(*texts: str) -> list[Line]:
    return group_lines(
        [
            Word(word, 90.0, 40 + 60 * i, 50 * row, 50, 20)
            for row, text in enumerate(texts)
            for i, word in enumerate(text.split())
        ]
    )


@pytest.mark.parametrize(
    "texts, complete",
    [
        (("Name: Zoë Nowak", "Date of Birth: 03/11/2012"), True),
        (("Surname: Nowak", "Forename(s): Zoë", "DOB: 03/11/2012"), True),
        (("Re: Zoë Nowak, born 03/11/2012",), True),
        (("Surname: Nowak", "DOB: 03/11/2012"), False),  # the forename may follow further down
        (("Name: Zoë Nowak",), False),
        (("Date of Birth: 03/11/2012",), False),
        (("Name: Zoë Nowak", "Date of Birth: not known"), False),
    ],
)
def test_a_reader_may_stop_only_once_name_and_birth_date_are_both_seen(texts: tuple[str, ...], complete: bool) -> None:
    assert has_all_fields(_lines(*texts), 200) is complete


def test_doubts_of_continuation_pages_travel_with_their_case_file() -> None:
    files = split([PageFinding(1, doubt="unsure"), _cover(2), PageFinding(3), PageFinding(4, doubt="bars"), _cover(5)])
    assert [(f.first_page, f.last_page, f.doubts) for f in files] == [
        (1, 1, ((1, "unsure"),)),
        (2, 4, ((4, "bars"),)),
        (5, 5, ()),
    ]
