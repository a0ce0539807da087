"""Printable cover sheets and location sheets: the surest way to identify a paper file.

A legacy front sheet is typed in a dozen layouts; a sheet casescan printed itself carries the
reference three ways (QR code, Code 128, large type with a label), so the scanner reads it from a
barcode without OCR, and OCR alone still reads it if the barcodes are torn or stained.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from common.printed import LOCATION_PREFIX
from config.errors import CasescanError, UsageError
from records.template import TemplateRecord, reference_key
from scanner.references import canonical_reference
from sheets import draw as draw
from store.database import Database
from store.records import in_scope_records, reference_keys

log = logging.getLogger(__name__)

MAX_LOCATION_LENGTH = 200
COVER_INSTRUCTION = "Place on top of the file, scan the whole file behind it."
LOCATION_INSTRUCTION = (
    "Scan this sheet first, then the closed front sheets kept at this location behind it: it sets their location."
)
LOCATION_BOXES = ("Building", "Room / store", "Shelf / box")
_UK_DATE = "%d/%m/%Y"


class UnknownCase(UsageError):
    """A --case reference names no in-scope template record."""


class NothingToPrint(CasescanError):
    """The selection holds no record, so there is no sheet to print."""


def sheet_reference(record: TemplateRecord, patterns: Sequence[str]) -> str:
    """The reference as printed and encoded: the template's form when it reads back to the same
    canonical form (people recognise their own spelling), else the canonical form."""
    canonical = canonical_reference(record.case_reference, patterns)
    if canonical is None:
        return record.case_reference.strip()
    return record.case_reference.strip() if canonical == record.reference_key else canonical


def select_records(
    records: Sequence[TemplateRecord],
    excluded_keys: frozenset[str],
    patterns: Sequence[str],
    *,
    status: str | None = None,
    cases: Sequence[str] = (),
) -> list[TemplateRecord]:
    """The in-scope records to print, in template order, filtered by status and by --case.

    An unknown --case is a usage error rather than a silently shorter stack of sheets.
    """
    by_key = {record.reference_key: record for record in records}
    wanted: set[str] = set()
    for case in cases:
        key = reference_key(case, patterns)
        if key in excluded_keys:
            raise UnknownCase(
                f"--case {case}: that record is excluded from the migration (Archbishop's List); "
                "no sheet is printed for it."
            )
        if key not in by_key:
            raise UnknownCase(
                f"--case {case}: no record in the template has that reference; check it with 'casescan status' "
                "or re-import the template."
            )
        wanted.add(key)
    chosen = [
        record
        for record in records
        if (not wanted or record.reference_key in wanted)
        and (status is None or (record.status or "").lower() == status.lower())
    ]
    if not chosen:
        what = f"{status.capitalize()} " if status else ""
        raise NothingToPrint(
            f"no {what}in-scope records to print cover sheets for; import the template first "
            "('casescan records import FILE') or change --status/--case."
        )
    return chosen


def records_to_print(
    db: Database, patterns: Sequence[str], *, status: str | None, cases: Sequence[str]
) -> list[TemplateRecord]:
    records = [record for _, record in in_scope_records(db)]
    in_scope = frozenset(record.reference_key for record in records)
    excluded = reference_keys(db, include_excluded=True) - in_scope
    return select_records(records, excluded, patterns, status=status, cases=cases)


def normalise_location(text: str) -> str:
    """Parts joined with ' / ', as the catalogue writes a folder path below inbox/closed/."""
    parts = [" ".join(part.split()) for part in text.split("/")]
    location = " / ".join(part for part in parts if part)
    if not location:
        raise UsageError('the location is empty; give it as e.g. "Diocesan House / Basement Store / Box 12".')
    if len(location) > MAX_LOCATION_LENGTH:
        raise UsageError(
            f"the location is {len(location)} characters long; shorten it to at most {MAX_LOCATION_LENGTH}."
        )
    if any(not ch.isprintable() for ch in location):
        raise UsageError("the location holds control characters; type it again as plain text.")
    return location


def _heading(canvas: Canvas, title: str, printed: date) -> None:
    top = draw.PAGE_HEIGHT - draw.MARGIN
    canvas.setFont(draw.BOLD, 15)
    canvas.drawString(draw.MARGIN, top - 15, title)
    canvas.setFont(draw.REGULAR, 9)
    canvas.drawRightString(draw.PAGE_WIDTH - draw.MARGIN, top - 13, "casescan")
    canvas.setLineWidth(0.8)
    canvas.line(draw.MARGIN, top - 22, draw.PAGE_WIDTH - draw.MARGIN, top - 22)
    canvas.setFont(draw.REGULAR, 9)
    canvas.drawString(draw.MARGIN, draw.MARGIN - 4 * mm, f"Printed {printed.strftime(_UK_DATE)}")


def _instruction(canvas: Canvas, text: str, top: float) -> float:
    """A ruled box holding the instruction; returns the y just below it."""
    width = draw.PAGE_WIDTH - 2 * draw.MARGIN
    size, lines = draw.fitting_lines(text, draw.REGULAR, 13, width - 12 * mm, 3)
    leading = size * 1.3
    height = len(lines) * leading + 10 * mm
    canvas.setLineWidth(1.2)
    canvas.rect(draw.MARGIN, top - height, width, height)
    canvas.setFont(draw.REGULAR, size)
    for number, line in enumerate(lines):
        canvas.drawString(draw.MARGIN + 6 * mm, top - 5 * mm - size - number * leading, line)
    return top - height


def _location_boxes(canvas: Canvas, top: float) -> None:
    """Empty boxes for the person filing a closed case to write where the paper file is kept."""
    width = draw.PAGE_WIDTH - 2 * draw.MARGIN
    canvas.setFont(draw.BOLD, 12)
    canvas.drawString(draw.MARGIN, top - 12, "Location of this closed file (write in)")
    y = top - 12 - 6 * mm
    canvas.setFont(draw.REGULAR, 10)
    canvas.setLineWidth(0.8)
    for label in LOCATION_BOXES:
        canvas.drawString(draw.MARGIN, y - 10, label)
        canvas.rect(draw.MARGIN + 32 * mm, y - 13 * mm, width - 32 * mm, 13 * mm)
        y -= 17 * mm


def _cover_page(record: TemplateRecord, reference: str, printed: date) -> Callable[[Canvas], None]:
    def page(canvas: Canvas) -> None:
        width = draw.PAGE_WIDTH - 2 * draw.MARGIN
        _heading(canvas, "CASE FILE COVER SHEET", printed)
        y = draw.PAGE_HEIGHT - draw.MARGIN - 22 - 22 * mm
        size = draw.fitting_size(reference, draw.BOLD, 54, width)
        canvas.setFont(draw.BOLD, size)
        canvas.drawCentredString(draw.PAGE_WIDTH / 2, y, reference)
        y -= 16 * mm
        details = (
            ("Case Reference:", reference),
            ("Name:", record.name or "(not in the template)"),
            (
                "Date of birth:",
                record.date_of_birth.strftime(_UK_DATE) if record.date_of_birth else "(not in the template)",
            ),
            ("Status:", record.status or "(not in the template)"),
        )
        for label, value in details:
            canvas.setFont(draw.REGULAR, 16)
            canvas.drawString(draw.MARGIN, y, label)
            value_x = draw.MARGIN + canvas.stringWidth(label + " ", draw.REGULAR, 16)
            canvas.setFont(draw.BOLD, draw.fitting_size(value, draw.BOLD, 16, draw.PAGE_WIDTH - draw.MARGIN - value_x))
            canvas.drawString(value_x, y, value)
            y -= 10 * mm
        codes_top = y - 2 * mm
        qr_size = 52 * mm
        draw.draw_qr(canvas, reference, draw.MARGIN - 4 * mm, codes_top - qr_size, qr_size)
        bar_left = draw.MARGIN + qr_size + 4 * mm
        bar_x = bar_left + max(0.0, (draw.PAGE_WIDTH - draw.MARGIN - bar_left - draw.code128_width(reference)) / 2)
        draw.draw_code128(canvas, reference, bar_x, codes_top - qr_size / 2 - 11 * mm, 22 * mm)
        y = _instruction(canvas, COVER_INSTRUCTION, codes_top - qr_size - 6 * mm)
        if (record.status or "").lower() == "closed":
            _location_boxes(canvas, y - 10 * mm)

    return page


def write_cover_sheets(records: Sequence[TemplateRecord], out: Path, patterns: Sequence[str], printed: date) -> int:
    """One A4 page per record in `out`; returns the page count."""
    pages = [_cover_page(record, sheet_reference(record, patterns), printed) for record in records]
    count = draw.write_pdf(out, "casescan cover sheets", pages)
    log.info("event=coversheets_written pages=%d", count)
    log.debug("event=coversheets_written out=%s", out)  # a file name may be a person's: never at INFO
    return count


def _location_lines(location: str, width: float) -> tuple[float, list[str]]:
    """One line if it fits in large type, else one part per line so 'Box 12' never splits."""
    if draw.fitting_size(location, draw.BOLD, 40, width) >= 40:
        return 40, [location]
    parts = location.split(" / ")
    lines = [part + " /" for part in parts[:-1]] + [parts[-1]]
    size = min(draw.fitting_size(line, draw.BOLD, 40, width, smallest=16) for line in lines)
    return size, [piece for line in lines for piece in draw.fitting_lines(line, draw.BOLD, size, width, 99)[1]]


def _location_page(location: str, printed: date) -> Callable[[Canvas], None]:
    def page(canvas: Canvas) -> None:
        width = draw.PAGE_WIDTH - 2 * draw.MARGIN
        _heading(canvas, "LOCATION SHEET", printed)
        y = _instruction(canvas, LOCATION_INSTRUCTION, draw.PAGE_HEIGHT - draw.MARGIN - 22 - 8 * mm)
        qr_size = 80 * mm
        y -= 8 * mm + qr_size
        draw.draw_qr(canvas, LOCATION_PREFIX + location, (draw.PAGE_WIDTH - qr_size) / 2, y, qr_size)
        size, lines = _location_lines(location, width)
        y -= 8 * mm + size
        canvas.setFont(draw.BOLD, size)
        for line in lines:
            canvas.drawCentredString(draw.PAGE_WIDTH / 2, y, line)
            y -= size * 1.25

    return page


def write_location_sheet(location: str, out: Path, printed: date) -> str:
    """A one-page PDF whose QR code sets the location of the closed front sheets scanned behind it.

    Returns the location as printed (normalised to parts joined by ' / ').
    """
    location = normalise_location(location)
    draw.write_pdf(out, "casescan location sheet", [_location_page(location, printed)])
    log.info("event=locationsheet_written")
    log.debug("event=locationsheet_written out=%s", out)
    return location
