"""A report's "References" heading, or its entry in a table of contents, is no reference label: a
real scan of a printed encyclopedia page ("9 References" in its contents box) split off as a
cover of its own. A front sheet's "Reference" label, singular or with a colon, still is."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner import ScanOptions, identify_file
from scanner.cues import evidence_row
from scanner.imaging import scaled
from scanner.layout import Line
from scanner.lines import Piece
from scanner.tesseract import Word
from scanner.triage import TRIAGE_DPI, Triage, triage_page
from synthetic.continuation import paragraphs
from synthetic.drawing import Pen
from synthetic.files import write_pdf
from synthetic.pages import degrade, draw_cover
from synthetic.people import make_people

PATTERNS = (DEFAULT_REFERENCE_PATTERN,)
DPI = 200
FONTS = ("sans", "serif", "sans-bold")


def _report_page(seed: int, contents: bool) -> Pen:
    """A page of an assessment report: a contents list whose last entries are "References" and
    "Appendices", or a section of prose then a "References" heading over a list of sources."""
    rng = random.Random(f"report-{seed}")
    pen = Pen.blank(DPI)
    font = FONTS[seed % len(FONTS)]
    pen.text(20, 18, "Parenting capacity assessment", 15, "sans-bold")
    if contents:
        pen.text(20, 32, "Contents", 13, font)
        entries = ["Background", "Family history", "Observations", "Analysis", "References", "Appendices"]
        for number, entry in enumerate(entries, start=1):
            pen.text(24, 42 + 8 * number, f"{number}  {entry}", 11, font)
        paragraphs(pen, rng, 110, 4)
    else:
        paragraphs(pen, rng, 32, 3)
        pen.text(20, 140, "References", 13, font)
        for row in range(5):
            year = rng.randint(1995, 2020)
            pen.text(24, 152 + 8 * row, f"Author, A. ({year}) Working together to safeguard children.", 10, "serif")
    return pen


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("contents", [True, False])
def test_a_references_heading_is_no_cover(seed: int, contents: bool) -> None:
    page = degrade(_report_page(seed, contents).image, seed=seed, noise=0.01 * seed)
    found = triage_page(scaled(page, DPI, TRIAGE_DPI), PATTERNS, "eng", 60)
    assert found == Triage(())


def test_a_report_behind_a_cover_stays_in_its_case_file(tmp_path: Path) -> None:
    people = make_people(3, seed=41)
    pages = [draw_cover(people[1], "boxed", DPI), _report_page(4, True).image, _report_page(5, False).image]
    files = identify_file(write_pdf(iter(pages), tmp_path / "report.pdf", DPI), ScanOptions(workers=1)).case_files
    assert [(f.first_page, f.last_page) for f in files] == [(1, 3)]


def _read(text: str) -> list[tuple[Piece, Line]]:
    line = Line(tuple(Word(word, 90.0, 10 + 60 * n, 5, 50, 10) for n, word in enumerate(text.split())))
    return [(Piece(np.zeros((12, 400), bool), 0, 400, 10, 0, 12), line)]


@pytest.mark.parametrize("text", ["Reference", "Reference:", "References:", "Case References", "Reference number"])
def test_a_field_label_is_still_evidence(text: str) -> None:
    assert evidence_row(_read(text), PATTERNS) == 10


@pytest.mark.parametrize("text", ["References", "9 References", "10. References"])
def test_a_list_heading_is_not(text: str) -> None:
    assert evidence_row(_read(text), PATTERNS) is None
