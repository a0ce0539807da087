"""The synthetic caseload and the template written from it."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from synthetic import make_people, write_template
from synthetic.template import DEFAULT_HEADERS, EXTRA_HEADERS, TITLE

REFERENCE = re.compile(r"^[A-Z]{2,4}-\d{4}-\d{3,6}$")


def test_same_seed_same_caseload_and_different_seed_differs() -> None:
    assert make_people(30, seed=4) == make_people(30, seed=4)
    assert make_people(30, seed=4) != make_people(30, seed=5)


def test_caseload_is_realistic() -> None:
    people = make_people(60)
    references = [person.case_reference for person in people]
    assert len(set(references)) == len(references)
    assert all(REFERENCE.match(reference) for reference in references)
    assert len({reference.split("-")[0] for reference in references}) >= 3
    names = {person.name for person in people}
    for awkward in ("Zoë O'Brien", "Siobhán Ó Súilleabháin", "Agnieszka Nowak-Kowalska", "Minh Nguyễn"):
        assert awkward in names
    assert {person.status for person in people} == {"Open", "Closed"}
    assert {person.paper_file for person in people} == {True, False}
    assert 1 <= sum(person.excluded for person in people) <= 6
    for person in people:
        assert (person.date_closed is not None) == (person.status == "Closed")
        assert person.date_of_birth <= person.date_opened
        assert person.date_closed is None or person.date_closed > person.date_opened


def _find_header(rows: Sequence[Sequence[object]], first: str = DEFAULT_HEADERS["case_reference"]) -> int:
    return next(i for i, row in enumerate(rows) if row and row[0] == first)


def test_xlsx_has_title_rows_real_date_cells_and_extra_columns(tmp_path: Path) -> None:
    people = make_people(8)
    path = write_template(people, tmp_path / "template.xlsx", title_rows=2)
    rows = [list(row) for row in load_workbook(path).active.iter_rows(values_only=True)]
    assert rows[0][0] == TITLE
    header_at = _find_header(rows)
    assert header_at == 3  # two title rows, then a blank row
    header = rows[header_at]
    assert header[-2:] == list(EXTRA_HEADERS)
    first = dict(zip(header, rows[header_at + 1], strict=False))
    assert first["Case Reference"] == people[0].case_reference
    assert isinstance(first["Date of Birth"], datetime)
    assert first["Date of Birth"].date() == people[0].date_of_birth
    assert len(rows) == header_at + 1 + len(people)


def test_csv_in_cp1252_holds_accents_as_windows_writes_them(tmp_path: Path) -> None:
    people = [p for p in make_people(20) if "ễ" not in p.name]
    path = write_template(people, tmp_path / "template.csv", encoding="cp1252", title_rows=0)
    raw = path.read_bytes()
    assert "Zoë".encode("cp1252") in raw
    rows = list(csv.reader(raw.decode("cp1252").splitlines()))
    assert rows[0][0] == "Case Reference"
    assert rows[1][1] == "Zoë"
    assert datetime.strptime(rows[1][3], "%d/%m/%Y").date() == people[0].date_of_birth


def test_csv_refuses_a_name_cp1252_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cp1252"):
        write_template(make_people(8), tmp_path / "template.csv", encoding="cp1252")


def test_utf8_sig_csv_starts_with_a_bom_and_aliases_replace_headers(tmp_path: Path) -> None:
    path = write_template(
        make_people(5),
        tmp_path / "t.csv",
        headers={"case_reference": "Case Ref", "date_of_birth": "DOB"},
        extra_columns=False,
    )
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    header = rows[_find_header(rows, "Case Ref")]
    assert header[0] == "Case Ref" and "DOB" in header and "Lead Worker" not in header


def test_closed_dates_blank_for_open_cases_in_csv(tmp_path: Path) -> None:
    people = make_people(20)
    path = write_template(people, tmp_path / "t.csv", title_rows=0)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    for person, row in zip(people, rows, strict=False):
        expected = person.date_closed.strftime("%d/%m/%Y") if person.date_closed else ""
        assert row["Date Closed"] == expected
        assert row["Archbishop's List (Y/N)"] == ("Y" if person.excluded else "N")


def test_unknown_field_in_headers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown template fields"):
        write_template(make_people(3), tmp_path / "t.csv", headers={"reference": "Ref"})
