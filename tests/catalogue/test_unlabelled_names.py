"""Front sheets that print the name under the reference with no label (two other offices' layouts):
the name is not read as a field, but a cover whose text names another record's person is not
linked to the record its reference names. Real tesseract on rendered pages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from catalogue.linking import decide
from config.settings import load_settings
from records.template import TemplateRecord
from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_cover
from synthetic.people import Person, make_people

SETTINGS = load_settings(environ={})
UNLABELLED = ("case-reference-large", "file-ref-below")


def _record(number: int, person: Person) -> tuple[int, TemplateRecord]:
    return number, TemplateRecord(
        number, person.case_reference, person.case_reference, person.forename, person.surname,
        person.date_of_birth, "Open", None, None, True, False, {},
    )  # fmt: skip


def _decided(tmp_path: Path, printed: Person, layout: str, people: list[Person]):
    path = write_pdf([draw_cover(printed, layout, 200)], tmp_path / f"{layout}.pdf", 200)
    (case_file,) = identify_file(path, ScanOptions()).case_files
    records = [_record(number, person) for number, person in enumerate(people, start=1)]
    return decide(case_file, records, closed=False, location=None, settings=SETTINGS)


@pytest.mark.parametrize("layout", UNLABELLED)
def test_a_cover_printing_another_persons_name_under_its_reference_goes_to_review(tmp_path: Path, layout: str) -> None:
    owner, other = make_people(12, seed=5)[10:12]
    typo = replace(other, case_reference=owner.case_reference)  # the other child's sheet, one reference typed wrong
    link = _decided(tmp_path, typo, layout, [owner, other])
    assert link.read_reference == owner.case_reference, "the reference itself reads"
    assert link.state == "needs_review", link.reason
    assert link.candidates[0].case_reference == other.case_reference, link.candidates


@pytest.mark.parametrize("layout", UNLABELLED)
def test_the_same_layout_naming_its_own_person_is_linked(tmp_path: Path, layout: str) -> None:
    owner, other = make_people(12, seed=5)[10:12]
    link = _decided(tmp_path, owner, layout, [owner, other])
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason
