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
from PIL import Image

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner import iter_pages
from scanner.triage import TRIAGE_DPI, triage_page
from synthetic.drawing import Pen
from synthetic.files import write_pdf
from synthetic.people import Person, make_people
from tests.support.covers import batch_behind_a_cover

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


SHEETS = [  # reference, points, where, face, date of birth printed, dpi, paper, degrees askew
    ("BS-2016-4471", 8, "right", "lib-sans", False, 300, 255, 0.0),
    ("GS-2019-308", 10, "right", "lib-sans", True, 300, 255, 0.0),
    ("ZE-2012-5530", 9, "left", "serif", False, 300, 240, 0.0),
    ("SB-2020-7716", 10, "middle", "lib-serif", True, 300, 255, 0.0),
    ("OG-2017-2284", 8, "left", "lib-mono", True, 300, 255, 0.7),
    ("IS-2015-6092", 10, "right", "sans", False, 200, 235, 0.0),
    ("KS-2014-1190", 9, "middle", "lib-sans", False, 200, 255, 0.0),
    ("SG-2011-6157", 10, "right", "lib-sans-narrow", False, 300, 255, 0.0),
    # Bold, with slashes, grey and askew.
    ("TXG/2012/8463", 8, "left", "lib-sans-bold", False, 300, 228, 0.5),
    ("HR/2009/55172", 9, "right", "sans-bold", True, 200, 245, -0.8),
    ("WQ/2021/0417", 8, "middle", "lib-serif-bold", False, 300, 255, 0.0),
]


@pytest.mark.parametrize(("reference", "points", "where", "face", "birth", "dpi", "paper", "askew"), SHEETS)
def test_a_reference_alone_at_the_top_is_a_cover(
    tmp_path: Path,
    reference: str,
    points: float,
    where: str,
    face: str,
    birth: bool,
    dpi: int,
    paper: int,
    askew: float,
) -> None:
    seed = [sheet[0] for sheet in SHEETS].index(reference)
    person = replace(make_people(4, seed=seed)[seed % 4], case_reference=reference)
    drawn = _sheet(person, points, where, face, birth, dpi, seed).image.point(lambda value: min(value, paper))
    sheet = drawn.rotate(askew, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    path = write_pdf(iter([sheet]), tmp_path / "sheet.pdf", dpi, quality=85)
    (found,) = [triage_page(page.at(TRIAGE_DPI), PATTERNS, "eng", 60) for page in iter_pages(path)]
    assert found.hints


def test_a_reference_whose_figures_ocr_spaces_apart_is_a_cover(tmp_path: Path) -> None:
    # Drawn by a held-out sweep: in bold 8 pt on white, the reference read "‘TxG/201218463" at
    # 100 dpi, a speck before it and its second slash a figure, and "TXG/20 12/8463" magnified.
    person = replace(make_people(4, seed=0)[0], case_reference="TXG/2012/8463")
    sheet = _sheet(person, 8, "left", "lib-sans-bold", False, 300, 11).image
    path = write_pdf(iter([sheet]), tmp_path / "sheet.pdf", 300, quality=85)
    (found,) = [triage_page(page.at(TRIAGE_DPI), PATTERNS, "eng", 60) for page in iter_pages(path)]
    assert found.hints


def test_a_sheet_so_printed_starts_its_own_case_file_in_a_batch(tmp_path: Path) -> None:
    people = make_people(2, seed=109)
    sheet = _sheet(replace(people[1], case_reference="SG-2016-5307"), 8, "right", "lib-sans", False, 300, 0).image
    result = batch_behind_a_cover(tmp_path, people, sheet)
    assert [(f.first_page, f.last_page) for f in result.case_files] == [(1, 2), (3, 4)]


def test_a_sparse_sheet_that_seems_upside_down_is_looked_at_closer_as_printed(tmp_path: Path) -> None:
    # Drawn by a held-out sweep: all in bold or monospaced print, 0.6° askew, this sparse sheet
    # seems upside down, and only the likely way was magnified; its reference read as printed
    # only magnified.
    pen = Pen.blank(300)
    pen.text(21.5, 17.9, "TXG/2012/8463", 8, "lib-sans-bold")
    pen.text(56.7, 51.5, "Family Support", 18, "mono")
    pen.text(66.9, 82.2, "Review of file", 16, "lib-sans-bold")
    pen.text(58.8, 103.7, "Leo Kowalski", 12, "lib-sans-bold")
    sheet = pen.image.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
    path = write_pdf(iter([sheet]), tmp_path / "sheet.pdf", 300, quality=75)
    (found,) = [triage_page(page.at(TRIAGE_DPI), PATTERNS, "eng", 60) for page in iter_pages(path)]
    assert found.hints
