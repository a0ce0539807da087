"""A reference printed alone at a sheet's top, with no label, in small print, in a corner or the
middle, over a title and the child's name. A tester's "Closed File Transfer" sheet, its reference
alone in the top right corner in 8 and 10 pt, merged silently into the case file before it, which
was linked: the first look read "86-2018", too little for a reference, in a piece too short for
its end to be read apart, and magnified it read "$G-2018-5078", one letter corrected, which did
not count at the magnified top. The references here are the shortest the default pattern takes,
two letters and a short number, most of them letters OCR confuses with figures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner import ScanOptions, identify_file, iter_pages
from scanner.triage import TRIAGE_DPI, triage_page
from synthetic.continuation import draw_continuation
from synthetic.drawing import Pen
from synthetic.files import write_pdf
from synthetic.pages import draw_cover
from synthetic.people import Person, make_people

PATTERNS = (DEFAULT_REFERENCE_PATTERN,)
TITLES = (
    ("Family Support Service", "Archived file record"),
    ("Early Help Hub", "File transfer sheet"),
    ("Children and Families", "Closed case summary"),
)


def _sheet(person: Person, points: float, where: str, face: str, birth: bool, dpi: int, seed: int) -> Pen:
    pen = Pen.blank(dpi)
    if where == "right":
        pen.right(190, 12, person.case_reference, points, face)
    elif where == "left":
        pen.text(20, 12, person.case_reference, points, face)
    else:
        pen.text(92, 12, person.case_reference, points, face)
    title, subtitle = TITLES[seed % len(TITLES)]
    pen.text(45, 60, title, 22, "lib-sans-bold")
    pen.text(60, 72, subtitle, 16, face)
    pen.text(75, 95, f"{person.forename} {person.surname}", 14, face)
    if birth:
        pen.text(80, 105, f"{person.date_of_birth:%d/%m/%Y}", 12, face)
    return pen


SHEETS = [  # reference, points, where, face, date of birth printed, dpi
    ("BS-2016-4471", 8, "right", "lib-sans", False, 300),
    ("GS-2019-308", 10, "right", "lib-sans", True, 300),
    ("ZE-2012-5530", 9, "left", "serif", False, 300),
    ("SB-2020-7716", 10, "middle", "lib-serif", True, 300),
    ("OG-2017-2284", 8, "left", "lib-mono", True, 300),
    ("IS-2015-6092", 10, "right", "sans", False, 200),
    ("KS-2014-1190", 9, "middle", "lib-sans", False, 200),
    ("SG-2011-6157", 10, "right", "lib-sans-narrow", False, 300),
]


@pytest.mark.parametrize(("reference", "points", "where", "face", "birth", "dpi"), SHEETS)
def test_a_reference_alone_at_the_top_is_a_cover(
    tmp_path: Path, reference: str, points: float, where: str, face: str, birth: bool, dpi: int
) -> None:
    seed = [sheet[0] for sheet in SHEETS].index(reference)
    person = replace(make_people(4, seed=seed)[seed % 4], case_reference=reference)
    sheet = _sheet(person, points, where, face, birth, dpi, seed).image
    path = write_pdf(iter([sheet]), tmp_path / "sheet.pdf", dpi, quality=85)
    (found,) = [triage_page(page.at(TRIAGE_DPI), PATTERNS, "eng", 60) for page in iter_pages(path)]
    assert found.hints


def test_the_tester_s_sheet_starts_its_own_case_file(tmp_path: Path) -> None:
    people = make_people(3, seed=109)
    pages = [
        draw_cover(people[0], "labelled", 300),
        draw_continuation(0, 300),
        _sheet(replace(people[1], case_reference="SG-2016-5307"), 8, "right", "lib-sans", False, 300, 0).image,
        draw_continuation(2, 300),
    ]
    files = identify_file(write_pdf(iter(pages), tmp_path / "batch.pdf", 300, quality=85), ScanOptions(workers=1))
    assert [(f.first_page, f.last_page) for f in files.case_files] == [(1, 2), (3, 4)]
