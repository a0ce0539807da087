"""Giving a migration template's cells their meaning.

The template is the record of truth for the migration, so values are kept exactly as written
(names above all) and every doubt becomes a line in the data-quality report, never a silent fix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from anyascii import anyascii

from common.dates import parse_uk_date
from config.errors import CasescanError
from config.settings import Settings
from records.spreadsheet import Cell, iter_nonblank
from scanner.references import canonical_reference

FIELDS = (
    "case_reference",
    "forename",
    "surname",
    "date_of_birth",
    "status",
    "date_opened",
    "date_closed",
    "paper_file",
    "excluded",
)
DATE_FIELDS = ("date_of_birth", "date_opened", "date_closed")
YES = {"y", "yes", "true", "1", "x"}
NO = {"n", "no", "false", "0"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# No one living was born, and no case opened, before this year: an earlier one is a slip of a key.
EARLIEST_YEAR = 1900


class TemplateRefused(CasescanError):
    """The template cannot be imported at all; nothing was changed."""


@dataclass(frozen=True)
class Problem:
    row: int
    kind: str
    detail: str
    column: str = ""


@dataclass(frozen=True)
class TemplateRecord:
    """One case of the migration template, its values exactly as the template holds them."""

    row: int
    case_reference: str
    reference_key: str
    forename: str | None
    surname: str | None
    date_of_birth: date | None
    status: str | None
    date_opened: date | None
    date_closed: date | None
    paper_file: bool | None
    excluded: bool
    columns: dict[str, str]

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.forename, self.surname) if part)


@dataclass
class Template:
    columns: list[str]
    header_row: int
    records: list[TemplateRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0


def name_key(text: str | None) -> str:
    """A name compared as OCR sees it: no case, accents, spaces or punctuation (Zoë O'Brien = zoeobrien).

    Every letter is first spelt in ASCII as a person would (ø→o, ł→l, đ→d, æ→ae, ß→ss, þ→th):
    decomposing alone leaves letters that are not an accent on a base letter, and OCR of a cover
    typed without them ("SOREN ODEGARD") would then never match the record."""
    if not text:
        return ""
    return "".join(ch for ch in anyascii(unicodedata.normalize("NFC", text)).casefold() if ch.isalnum())


def header_key(text: object) -> str:
    """Header text compared the same way as names, a '(Y/N)' style suffix ignored."""
    return name_key(re.sub(r"\([^)]*\)", "", str(text or "")))


def alias_table(settings: Settings) -> dict[str, str]:
    """header key -> field name, from the configurable alias lists."""
    table: dict[str, str] = {}
    for name in FIELDS:
        for alias in settings.get(f"template.{name}"):
            table.setdefault(header_key(alias), name)
    return table


def find_header(
    rows: Sequence[Sequence[Cell]], aliases: dict[str, str], search_rows: int
) -> tuple[int, dict[str, int]] | None:
    """The first row (0-based) among the first `search_rows` with a case-reference column."""
    for index, row in enumerate(rows[:search_rows]):
        mapping: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = aliases.get(header_key(cell)) if isinstance(cell, str) else None
            if name and name not in mapping:
                mapping[name] = position
        if "case_reference" in mapping:
            return index, mapping
    return None


def text_of(cell: Cell) -> str:
    """A cell as the text a person would see in it; dates in UK form."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return str(cell)


def defused(text: str) -> str:
    """`text` as a spreadsheet shows it without running it: formula-like text gets a leading apostrophe
    (OWASP, "CSV Injection")."""
    return "'" + text if is_formula_like(text) else text


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_START)


def reference_key(reference: str, patterns: Sequence[str]) -> str:
    """The canonical key a reference is matched by, however the template spells it."""
    return canonical_reference(reference, patterns) or re.sub(r"\s+", " ", reference.strip().upper())


def _flag(value: str, row: int, column: str, problems: list[Problem]) -> bool | None:
    lowered = value.strip().lower()
    if not lowered:
        return None
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    problems.append(Problem(row, "unknown_flag", f"'{value.strip()}' is not Y or N", column))
    return None


def _date(cell: Cell, row: int, column: str, problems: list[Problem], today: date) -> date | None:
    """The cell's date; one that cannot be (a year 2617 or 1062, a slip of one key) is kept as
    written, so that a cover's true date still contradicts it and sends the case file to a
    person, and is reported."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    parsed = cell if isinstance(cell, date) else parse_uk_date(cell)
    # The cell itself is left out of each line: a date of birth is personal data, and the report is saved and shared.
    if parsed is None:
        problems.append(Problem(row, "bad_date", "not a day-first date (dd/mm/yyyy)", column))
    elif parsed > today:
        problems.append(Problem(row, "implausible_date", "a date in the future: check the year", column))
    elif parsed.year < EARLIEST_YEAR:
        problems.append(Problem(row, "implausible_date", f"a date before {EARLIEST_YEAR}: check the year", column))
    return parsed


def _status(value: str, row: int, column: str, problems: list[Problem]) -> str | None:
    lowered = value.strip().lower()
    if not lowered:
        return None
    if lowered in {"open", "closed"}:
        return lowered.capitalize()
    problems.append(Problem(row, "unknown_status", f"'{value.strip()}' is not Open or Closed", column))
    return None


def _record(
    row_number: int,
    row: Sequence[Cell],
    columns: list[str],
    mapping: dict[str, int],
    reference: str,
    patterns: Sequence[str],
    problems: list[Problem],
    today: date,
) -> TemplateRecord:
    def cell(name: str) -> Cell:
        position = mapping.get(name)
        return row[position] if position is not None and position < len(row) else None

    def label(name: str) -> str:
        return columns[mapping[name]] if name in mapping else name

    def text(name: str) -> str | None:
        value = text_of(cell(name)).strip()
        return value or None

    excluded = _flag(text_of(cell("excluded")), row_number, label("excluded"), problems) or False
    if excluded:
        problems.append(
            Problem(row_number, "excluded", "on the Archbishop's List: out of migration scope", label("excluded"))
        )
    return TemplateRecord(
        row=row_number,
        case_reference=reference,
        reference_key=reference_key(reference, patterns),
        forename=text("forename"),
        surname=text("surname"),
        date_of_birth=_date(cell("date_of_birth"), row_number, label("date_of_birth"), problems, today),
        status=_status(text_of(cell("status")), row_number, label("status"), problems),
        date_opened=_date(cell("date_opened"), row_number, label("date_opened"), problems, today),
        date_closed=_date(cell("date_closed"), row_number, label("date_closed"), problems, today),
        paper_file=_flag(text_of(cell("paper_file")), row_number, label("paper_file"), problems),
        excluded=excluded,
        columns={name: text_of(row[i]) if i < len(row) else "" for i, name in enumerate(columns)},
    )


def parse_template(rows: Sequence[Sequence[Cell]], settings: Settings, source: str) -> Template:
    """Records and data-quality problems from a template's rows; refuses one with no reference column."""
    aliases = alias_table(settings)
    found = find_header(rows, aliases, settings.template.header_rows)
    if found is None:
        raise TemplateRefused(
            f"{source}: no case-reference column in the first {settings.template.header_rows} rows "
            f"(looked for: {', '.join(settings.template.case_reference)}); rename the column or add its name "
            "to [template] case_reference in casescan.toml. Nothing was imported."
        )
    header_index, mapping = found
    header = rows[header_index]
    last = max(i for i, cell in enumerate(header) if text_of(cell).strip())
    columns = [text_of(cell).strip() or f"Column {i + 1}" for i, cell in enumerate(header[: last + 1])]
    template = Template(columns=columns, header_row=header_index + 1)
    template.problems += [
        Problem(
            header_index + 1,
            "formula_like_header",
            "column name starts with a formula character: exported with a leading '",
            name,
        )
        for name in columns
        if is_formula_like(name)
    ]
    patterns = settings.case_reference.patterns
    seen: dict[str, int] = {}
    today = date.today()
    for row_number, row in iter_nonblank([list(row) for row in rows], header_index + 1):
        template.rows_read += 1
        for position, value in enumerate(row):
            if isinstance(value, str) and is_formula_like(value) and position < len(columns):
                template.problems.append(
                    Problem(row_number, "formula_like", "text starting with a formula character", columns[position])
                )
        reference = text_of(row[mapping["case_reference"]] if mapping["case_reference"] < len(row) else None).strip()
        if not reference:
            template.problems.append(
                Problem(
                    row_number, "blank_reference", "no case reference: row skipped", columns[mapping["case_reference"]]
                )
            )
            continue
        record = _record(row_number, row, columns, mapping, reference, patterns, template.problems, today)
        if record.reference_key in seen:
            template.problems.append(
                Problem(
                    row_number,
                    "duplicate_reference",
                    f"{reference} already on row {seen[record.reference_key]}: row skipped",
                    columns[mapping["case_reference"]],
                )
            )
            continue
        seen[record.reference_key] = row_number
        if canonical_reference(reference, patterns) is None:
            template.problems.append(
                Problem(
                    row_number,
                    "unusual_reference",
                    f"{reference} does not match the reference patterns",
                    columns[mapping["case_reference"]],
                )
            )
        template.records.append(record)
    return template
