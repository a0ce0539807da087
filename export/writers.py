"""Tables written twice from one pass over their rows: as CSV and as a sheet of migration.xlsx.

Spreadsheet safety lives here so no table can forget it: text that Excel would run as a formula
gets a leading `'` in CSV and is forced to a text cell in the workbook, header cells included (a
template's own column names are cells a stranger could have typed). Every other value is written
exactly as imported. Rows are streamed; only the first few are held, to size columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from records.template import defused

CSV_ENCODING = "utf-8-sig"  # the byte-order mark makes Excel read UTF-8 (Zoë, not ZoÃ«)
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Dated:
    """A date or time: its text goes to CSV as written, its value to the workbook as a real date."""

    text: str
    value: date | datetime | None


Value = str | int | float | Dated | None


class WriteOnlySheet(Protocol):
    """What this module uses of a write-only worksheet; openpyxl names its class only in a private module."""

    column_dimensions: Any
    freeze_panes: str | None
    auto_filter: Any

    def append(self, iterable: Iterable[Any]) -> None: ...


def csv_text(value: Value) -> str:
    """The CSV form of a value; formula-like text is defused with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Dated):
        return value.text
    if isinstance(value, float):
        return f"{value:.3f}"
    text = str(value)
    return defused(text)


def _cell(sheet: WriteOnlySheet, value: Value) -> Any:
    if isinstance(value, Dated):
        if value.value is None:
            return value.text or None
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = "dd/mm/yyyy" if type(value.value) is date else "dd/mm/yyyy hh:mm:ss"
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _widths(headers: Sequence[str], sample: Sequence[Sequence[Value]]) -> list[float]:
    widths = [len(h) for h in headers]
    for row in sample:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(csv_text(value)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


class PackageWriter:
    """Writes each table to DIR/<name>.csv and to a sheet of one write-only workbook."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.workbook = Workbook(write_only=True)

    def _start_sheet(self, name: str, headers: Sequence[str], sample: Sequence[Sequence[Value]]) -> WriteOnlySheet:
        """Widths, frozen header and the header row must come before any data in a write-only sheet."""
        sheet = self.workbook.create_sheet(title=name[:31])
        for index, width in enumerate(_widths(headers, sample), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, header) for header in headers])
        return sheet

    def table(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> int:
        """Stream one table; returns the number of data rows."""
        iterator: Iterator[Sequence[Value]] = iter(rows)
        sample = list(islice(iterator, WIDTH_SAMPLE_ROWS))
        sheet = self._start_sheet(name, headers, sample)
        count = 0
        with (self.folder / f"{name}.csv").open("w", encoding=CSV_ENCODING, newline="") as handle:
            out = csv.writer(handle, lineterminator="\r\n")
            out.writerow([csv_text(header) for header in headers])
            for row in chain(sample, iterator):
                out.writerow([csv_text(value) for value in row])
                sheet.append([_cell(sheet, value) for value in row])
                count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
        return count

    def sheet(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> None:
        """A sheet with no CSV twin (the reconciliation checks, for Excel users)."""
        rows = list(rows)
        sheet = self._start_sheet(name, headers, rows)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"

    def close(self, name: str = "migration.xlsx") -> Path:
        path = self.folder / name
        self.workbook.save(path)
        return path
