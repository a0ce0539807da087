"""The rows of each table of the migration package, in PRODUCT.md's column order.

Each function yields rows lazily from the database; ordering is fixed by the queries so two
exports of one state produce the same bytes. Nothing about an excluded record is yielded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from config.settings import Settings
from export.writers import Dated, Value
from records.template import DATE_FIELDS, alias_table, header_key
from store.database import Database
from store.documents import iter_catalogue, iter_unresolved
from store.export import iter_records, scan_problems
from store.states import EXCEPTION_KINDS, State

MANIFEST = (
    "case_reference",
    "attachment",
    "source_file",
    "source_pages",
    "pages",
    "sha256",
    "link_method",
    "confidence",
    "linked_by",
    "linked_at",
)
CATALOGUE = ("case_reference", "subject_name", "location", "in_records", "source_file", "confidence", "verified_by")
EXCEPTIONS = ("kind", "case_reference", "source_file", "source_pages", "detail")
EXTRA_RECORD_COLUMNS = ("scanned_documents", "attachments")
WITHHELD = "details withheld: they name a record outside the migration scope; see the review page"


@dataclass(frozen=True)
class Attachment:
    """One linked case file and what was written for it."""

    document_id: int
    record_id: int
    case_reference: str
    path: str  # relative to the package folder
    source_file: str
    first_page: int
    last_page: int
    link_method: str | None
    confidence: float | None
    linked_by: str | None
    linked_at: str | None
    pages: int = 0
    sha256: str = ""
    error: str | None = None


def pages_text(first: int, last: int) -> str:
    return f"{first}-{last}"


def _timestamp(text: str | None) -> Dated | None:
    if not text:
        return None
    return Dated(text, datetime.fromisoformat(text).replace(tzinfo=None))


def date_columns(columns: Sequence[str], settings: Settings) -> dict[int, str]:
    """Template column position -> date field, so the workbook can hold those cells as real dates."""
    aliases = alias_table(settings)
    found: dict[int, str] = {}
    for position, name in enumerate(columns):
        field = aliases.get(header_key(name))
        if field in DATE_FIELDS and field not in found.values():
            found[position] = field
    return found


def record_rows(
    db: Database, columns: Sequence[str], dated: Mapping[int, str], attachments: Mapping[int, list[str]]
) -> Iterator[list[Value]]:
    for record in iter_records(db):
        values: list[Value] = []
        for position, name in enumerate(columns):
            text = record.columns.get(name, "")
            field = dated.get(position)
            if field and field in record.dates:
                values.append(Dated(text, record.dates[field]))
            else:
                values.append(text)
        paths = attachments.get(record.id, [])
        values += [len(paths), "; ".join(paths)]
        yield values


def manifest_rows(attachments: Iterable[Attachment]) -> Iterator[list[Value]]:
    for a in attachments:
        if a.error is None:
            yield [
                a.case_reference,
                a.path,
                a.source_file,
                pages_text(a.first_page, a.last_page),
                a.pages,
                a.sha256,
                a.link_method,
                a.confidence,
                a.linked_by,
                _timestamp(a.linked_at),
            ]


class Scope:
    """Recognises excluded records' references, also inside free text, so none leaks into a file."""

    def __init__(self, excluded: frozenset[str]) -> None:
        self.excluded = excluded

    def names_excluded(self, reference: str | None) -> bool:
        return bool(reference) and reference in self.excluded

    def clean(self, text: str) -> str:
        if not self.excluded or not text:
            return text
        words = [word.strip(".,;:()'\"") for word in re.split(r"\s+", text)]
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                if " ".join(words[start : start + size]) in self.excluded:
                    return WITHHELD
        return text


def catalogue_rows(db: Database, scope: Scope) -> Iterator[list[Value]]:
    for case in iter_catalogue(db):
        if case.record_excluded or scope.names_excluded(case.case_reference):
            continue
        yield [
            case.case_reference,
            case.subject_name,
            case.location,
            "Y" if case.record_id else "N",
            case.source_file,
            case.confidence,
            case.verified_by,
        ]


def exception_rows(
    db: Database,
    scope: Scope,
    missing_scan: Sequence[str],
    missing_catalogue: Sequence[str],
    failed: Sequence[Attachment],
) -> Iterator[list[Value]]:
    """Everything left unresolved: documents for review, files without case files, missing paper."""
    for document in iter_unresolved(db):
        reference = document.read_reference or document.entry_reference
        if scope.names_excluded(reference):
            continue
        detail = ("closed front sheet: " if document.closed else "") + scope.clean(document.reason)
        if document.state == State.UNKNOWN and document.linked_by:
            detail = f"the template lacks this case, says {document.linked_by} ({(document.linked_at or '')[:10]})" + (
                f": {scope.clean(document.note)}" if document.note else ""
            )
        yield [
            EXCEPTION_KINDS[document.state],
            reference,
            document.source_file,
            pages_text(document.first_page, document.last_page),
            detail,
        ]
    for problem in scan_problems(db):
        if problem.state == "duplicate":
            yield [
                "duplicate",
                None,
                problem.source_file,
                None,
                f"the same bytes as {problem.original_file}, processed once",
            ]
        else:
            kind = "quarantined" if problem.state == "quarantined" else "unreadable"
            yield [kind, None, problem.source_file, None, f"{problem.error_kind}: {problem.error}"]
    for a in failed:
        yield [
            "unreadable",
            a.case_reference,
            a.source_file,
            pages_text(a.first_page, a.last_page),
            f"linked, but no attachment could be written: {a.error}",
        ]
    for reference in missing_scan:
        yield [
            "missing_scan",
            reference,
            None,
            None,
            "open case with a paper file in the template, and no linked scan (not scanned yet, or waiting in review)",
        ]
    for reference in missing_catalogue:
        yield [
            "missing_catalogue",
            reference,
            None,
            None,
            "closed case with a paper file in the template, and no catalogue entry",
        ]
