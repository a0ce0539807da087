"""Reading a migration template's cells, whatever produced it.

Templates come from Excel (with title rows, real date cells) or from CSV exports in UTF-8, UTF-8
with a BOM, or Windows-1252, with commas, semicolons or tabs. This module turns either into rows of
cells and nothing more; meaning is given to them in `records.template`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from config.errors import CasescanError, UsageError

Cell = str | date | None


class TemplateUnreadable(CasescanError):
    """The template file exists but cannot be read as a spreadsheet."""


def _cell_value(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(path: Path) -> list[list[Cell]]:
    text = _decode(path.read_bytes())
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_xlsx(path: Path, sheet: str | None) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TemplateUnreadable(
            f"{path}: not a readable .xlsx workbook ({exc}); save it again from Excel as .xlsx or .csv."
        ) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise UsageError(
                f"{path}: no sheet named '{sheet}'; the sheets are: " + ", ".join(workbook.sheetnames) + "."
            )
        return [[_cell_value(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(path: Path, sheet: str | None = None) -> list[list[Cell]]:
    """Every row of the template's sheet as cells: text, dates, or None for blanks."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file; check the path to the migration template.")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path, sheet)
    if suffix in {".csv", ".txt"}:
        if sheet is not None:
            raise UsageError(f"{path}: --sheet applies only to .xlsx workbooks; leave it out for a CSV.")
        return read_csv(path)
    raise UsageError(f"{path}: a migration template must be .xlsx or .csv (save .xls files as .xlsx in Excel).")


def iter_nonblank(rows: list[list[Cell]], start: int) -> Iterator[tuple[int, list[Cell]]]:
    """(1-based spreadsheet row number, cells) for every row after `start` that is not blank."""
    for index in range(start, len(rows)):
        row = rows[index]
        if any(cell is not None and str(cell).strip() for cell in row):
            yield index + 1, row
