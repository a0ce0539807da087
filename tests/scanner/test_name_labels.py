"""Who a cover is about, under the labels other offices print (no tesseract needed: words placed by hand)."""

from __future__ import annotations

import pytest

from scanner.fields import read_fields
from scanner.layout import group_lines
from scanner.tesseract import Word

DPI = 300
MM = DPI / 25.4


def _line(text: str, left_mm: float, top_mm: float) -> list[Word]:
    words, left = [], left_mm
    for piece in text.split():
        width = len(piece) * 2.2
        words.append(Word(piece, 95.0, round(left * MM), round(top_mm * MM), round(width * MM), round(4 * MM)))
        left += width + 2
    return words


def _fields(*lines: tuple[str, float, float]) -> tuple[str | None, str | None]:
    fields = read_fields(group_lines([w for text, x, y in lines for w in _line(text, x, y)]), DPI)
    return fields.name, fields.date_of_birth.isoformat() if fields.date_of_birth else None


@pytest.mark.parametrize(
    "label", ["Child:", "Client:", "Young person:", "Service user:", "Pupil:", "Adult at risk:", "Person:"]
)
def test_a_name_under_a_label_naming_who_the_file_is_about_is_read(label: str) -> None:
    assert _fields(
        ("CHILD PROTECTION", 20, 14),
        (f"{label} Zoë O'Brien", 20, 28),
        ("Date of birth: 03/11/2012", 20, 35),
    ) == ("Zoë O'Brien", "2012-11-03")


@pytest.mark.parametrize(
    "heading", ["CHILD PROTECTION CASE FILE", "Child and family record", "Client services", "Young person's plan"]
)
def test_the_same_word_in_a_heading_or_a_sentence_is_not_a_label(heading: str) -> None:
    name, _ = _fields((heading, 20, 14), ("Name: Amir Haddad", 20, 28))
    assert name == "Amir Haddad"


def test_a_heading_word_alone_names_no_one() -> None:
    assert _fields(("Child protection", 20, 14), ("Opened 01/01/2020", 20, 28)) == (None, None)


@pytest.mark.parametrize(
    "line",
    [
        "Re: Jo-Ann Ali (DOB: 07/09/1972)",
        "Re: Jo-Ann Ali (born 07/09/1972)",
        "Re: Jo-Ann Ali [DOB 07/09/1972]",
        "Re: Jo-Ann Ali - DOB 07/09/1972",
        "Re: Jo-Ann Ali, DOB 07/09/1972",
    ],
)
def test_a_name_stops_where_its_date_of_birth_starts(line: str) -> None:
    assert _fields((line, 20, 40)) == ("Jo-Ann Ali", "1972-09-07")
