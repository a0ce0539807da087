"""Front sheets lying sideways and askew at once. A fresh tester's two-column sheet and shaded
ruled table, turned a quarter and 3° askew, were merged into the case file before them and that
case file linked automatically: skew blurred their few lines out of the sideways test, so they
were read upright and upside down only. Each damage alone was read. Real tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from synthetic.drawing import Pen
from synthetic.pages import degrade, draw_cover
from synthetic.people import Person
from tests.support.covers import DPI, batch_behind_a_cover, own_cover


def _two_columns(person: Person) -> Image.Image:
    """Name fields in a left column, the file number in a right one, under a heading and a rule."""
    pen = Pen.blank(DPI)
    pen.text(20, 15, "CHILDREN IN NEED - CASE FILE", 15, "lib-sans-bold")
    pen.line(20, 24, 190, 24)
    fields = [
        ("Surname:", person.surname),
        ("Forename:", person.forename),
        ("DOB:", f"{person.date_of_birth:%d/%m/%Y}"),
    ]
    for row, (label, value) in enumerate(fields):
        pen.text(20, 30 + 8 * row, label, 12, "lib-sans-bold")
        pen.text(50, 30 + 8 * row, value, 12, "lib-sans")
    pen.text(110, 30, "File No.", 12, "lib-sans-bold")
    pen.text(135, 30, person.case_reference, 12, "lib-sans")
    return pen.image


def _shaded_table(person: Person) -> Image.Image:
    """A ruled table whose label column is shaded grey, its reference in the first row."""
    pen = Pen.blank(DPI)
    pen.text(20, 18, "Child Protection - Front Sheet", 16, "lib-sans-bold")
    rows = [
        ("Client ref", person.case_reference),
        ("Surname", person.surname.upper()),
        ("Forename(s)", person.forename),
    ]
    rows += [("Date of birth", f"{person.date_of_birth:%d/%m/%Y}"), ("Status", "Open")]
    for number, (label, value) in enumerate(rows):
        top = 32 + 10 * number
        pen.draw.rectangle([pen.px(20), pen.px(top), pen.px(70), pen.px(top + 10)], fill=205)
        pen.box(20, top, 70, top + 10)
        pen.box(70, top, 190, top + 10)
        pen.text(22, top + 2.5, label, 11, "lib-sans-bold")
        pen.text(73, top + 2.5, value, 12, "lib-serif")
    return pen.image


DRAWN = {"two columns": _two_columns, "shaded table": _shaded_table}


@pytest.mark.parametrize(("turn", "skew"), [(90, -3.0), (270, 3.0), (90, 2.5), (270, -2.0)])
@pytest.mark.parametrize("drawing", DRAWN)
def test_a_sheet_lying_sideways_and_askew_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], drawing: str, turn: int, skew: float
) -> None:
    page = degrade(DRAWN[drawing](people[3]), skew=skew, rotate=turn)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference == people[3].case_reference


@pytest.mark.parametrize(
    ("layout", "turn", "skew"),
    [("file-ref-below", 90, 3.5), ("file-no-band", 270, -2.5), ("ref-no-small-table", 90, -3.0)],
)
def test_other_offices_layouts_lying_sideways_and_askew_start_their_own_case_files(
    tmp_path: Path, people: list[Person], layout: str, turn: int, skew: float
) -> None:
    page = degrade(draw_cover(people[4], layout, DPI), skew=skew, rotate=turn)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference == people[4].case_reference
