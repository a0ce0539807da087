"""A barcode names the case; the cover's printed name and date of birth still have to be read.

Without them the catalogue cannot see that a barcoded cover carries someone else's details, and
would link one person's file to another person's case.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person

DPI = 200


@pytest.mark.parametrize("symbology", ["qr", "code128"])
def test_barcode_cover_still_reads_name_and_date_of_birth(tmp_path: Path, people: list[Person], symbology: str) -> None:
    person = people[2]  # a name in plain letters: OCR reads it exactly
    page = draw_cover(person, "labelled", DPI, barcode=symbology)
    result = identify_file(write_pdf([page, draw_continuation(1, DPI)], tmp_path / "c.pdf", DPI), ScanOptions())
    (case_file,) = result.case_files
    assert case_file.cover is not None and case_file.cover.method == "barcode"
    assert case_file.cover.case_reference == person.case_reference
    assert case_file.cover.fields.date_of_birth == person.date_of_birth
    assert case_file.cover.fields.name == f"{person.forename} {person.surname}"


def test_barcode_cover_with_someone_elses_details_reports_those_details(tmp_path: Path, people: list[Person]) -> None:
    owner, stranger = people[3], people[4]
    printed = replace(owner, forename=stranger.forename, surname=stranger.surname, date_of_birth=stranger.date_of_birth)
    page = draw_cover(printed, "form", DPI, barcode="qr")
    result = identify_file(write_pdf([page], tmp_path / "c.pdf", DPI), ScanOptions())
    cover = result.case_files[0].cover
    assert cover is not None and cover.case_reference == owner.case_reference
    assert cover.fields.date_of_birth == stranger.date_of_birth
    assert cover.fields.name == f"{stranger.forename} {stranger.surname}"


@pytest.mark.parametrize(("layout", "symbology"), [("labelled", "qr"), ("form", "code128"), ("boxed", "qr")])
def test_a_printed_reference_that_differs_from_the_barcode_is_reported_beside_it(
    tmp_path: Path, people: list[Person], layout: str, symbology: str
) -> None:
    """The barcode still names the case, but the reference printed beside a label is a reading
    too: when it is another record's, the catalogue sends the cover to a person."""
    owner, other = people[3], people[5]
    page = draw_cover(owner, layout, DPI, barcode=symbology, reference_text=other.case_reference)
    cover = identify_file(write_pdf([page], tmp_path / "c.pdf", DPI), ScanOptions()).case_files[0].cover
    assert cover is not None and (cover.case_reference, cover.method) == (owner.case_reference, "barcode")
    printed = [c for c in cover.candidates if c.method != "barcode"]
    assert [(c.case_reference, c.labelled) for c in printed] == [(other.case_reference, True)]
