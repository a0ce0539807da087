"""Write a caseload as the migration template a diocese or council would hand over.

Real templates carry title rows above the header, extra columns the migration must pass through
untouched, real Excel date cells (in .xlsx) or UK day-first text dates (in .csv), and CSVs saved by
Excel in whatever encoding the machine used. Each of those is a switch here so tests can cover it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from synthetic.people import Person

TITLE = "Diocese of Exampleton — Safeguarding migration template"
SUBTITLE = "Prepared for the MyConcern migration. Do not add or remove columns."

DEFAULT_HEADERS: dict[str, str] = {
    "case_reference": "Case Reference",
    "forename": "Forename",
    "surname": "Surname",
    "date_of_birth": "Date of Birth",
    "status": "Case Status",
    "date_opened": "Date Opened",
    "date_closed": "Date Closed",
    "paper_file": "Paper File (Y/N)",
    "excluded": "Archbishop's List (Y/N)",
}
EXTRA_HEADERS = ("Category", "Lead Worker")
_CATEGORIES = ("Child", "Adult at risk", "Church officer", "Respondent")
_WORKERS = ("J. Ashworth", "R. Begum", "M. Kowalczyk", "S. Ní Dhónaill", "T. O'Connell")
_CSV_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")


def _extras(index: int) -> list[str]:
    """Values that depend only on the row, so the same caseload always writes the same template."""
    return [_CATEGORIES[index % len(_CATEGORIES)], _WORKERS[index * 7 % len(_WORKERS)]]


def _row(person: Person, index: int, extra_columns: bool, as_text: bool) -> list[object]:
    def when(value: date | None) -> object:
        if value is None:
            return None if not as_text else ""
        return value.strftime("%d/%m/%Y") if as_text else value

    row: list[object] = [
        person.case_reference,
        person.forename,
        person.surname,
        when(person.date_of_birth),
        person.status,
        when(person.date_opened),
        when(person.date_closed),
        "Y" if person.paper_file else "N",
        "Y" if person.excluded else "N",
    ]
    return row + _extras(index) if extra_columns else row


def _header(headers: Mapping[str, str] | None, extra_columns: bool) -> list[str]:
    unknown = set(headers or {}) - set(DEFAULT_HEADERS)
    if unknown:
        raise ValueError(f"unknown template fields {sorted(unknown)}; known: {sorted(DEFAULT_HEADERS)}")
    names = [{**DEFAULT_HEADERS, **(headers or {})}[field] for field in DEFAULT_HEADERS]
    return names + list(EXTRA_HEADERS) if extra_columns else names


def _titles(title_rows: int) -> list[list[str]]:
    """Title lines, then one blank row before the header (as templates are usually laid out)."""
    if title_rows <= 0:
        return []
    lines = [TITLE, SUBTITLE] + [f"Note {n}" for n in range(3, title_rows + 1)]
    return [[line] for line in lines[:title_rows]] + [[]]


def _write_xlsx(rows: list[list[object]], titles: list[list[str]], path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    for title in titles:
        sheet.append(title)
    first_data_row = len(titles) + 2
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=first_data_row):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    workbook.save(path)


def _write_csv(rows: list[list[object]], titles: list[list[str]], path: Path, encoding: str) -> None:
    if encoding not in _CSV_ENCODINGS:
        raise ValueError(f"CSV encoding {encoding!r} not supported; use one of {_CSV_ENCODINGS}")
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        lines: list[Sequence[object]] = [*titles, *rows]
        for number, row in enumerate(lines, start=1):
            try:
                writer.writerow(row)
            except UnicodeEncodeError as error:
                raise ValueError(
                    f"row {number} of {path.name} cannot be written in {encoding} ({error.reason}); "
                    "leave out people whose names it cannot hold"
                ) from error


def write_template(
    people: Sequence[Person],
    path: Path,
    *,
    title_rows: int = 2,
    encoding: str = "utf-8-sig",
    headers: Mapping[str, str] | None = None,
    extra_columns: bool = True,
) -> Path:
    """Write the template as .xlsx or .csv, chosen by the suffix of `path`.

    `headers` maps a field name (a key of DEFAULT_HEADERS) to the header text to use instead, to
    exercise column aliases. `encoding` applies to CSV only; cp1252 cannot hold every name
    (e.g. "Nguyễn"), in which case a ValueError names the row.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValueError(f"template must be .xlsx or .csv, not {path.name}")
    titles = _titles(title_rows)
    body = [_row(person, i, extra_columns, as_text=suffix == ".csv") for i, person in enumerate(people)]
    rows: list[list[object]] = [list(_header(headers, extra_columns)), *body]
    if suffix == ".xlsx":
        _write_xlsx(rows, titles, path)
    else:
        _write_csv(rows, titles, path, encoding)
    return path
