"""What the store hands out: small frozen dataclasses, never a database row.

Callers read attributes that mypy checks, so a renamed column fails the type check, not a reviewer's
page at run time. Each class says which query fills it; the names are the README glossary's.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

from scanner.model import CaseFile
from store.engines import Row
from store.states import State

T = TypeVar("T")


_CONVERTERS: dict[str, Any] = {"bool": bool, "State": State}


def from_row(cls: type[T], row: Row) -> T:
    """`cls` from a row whose column names are its field names (a missing or extra column raises
    TypeError at once); 0/1 columns become `bool`, and a document's state a `State`, where the
    field says so."""
    values = {key: row[key] for key in row.keys()}  # noqa: SIM118 -- a row iterates its values
    for field in fields(cls):  # type: ignore[arg-type]
        convert = _CONVERTERS.get(str(field.type))
        if convert is not None and field.name in values:
            values[field.name] = convert(values[field.name])
    return cls(**values)


@dataclass(frozen=True)
class DocumentEntry:
    """A closed front sheet's catalogue entry as stored, with who verified it (None: nobody yet)."""

    case_reference: str | None
    subject_name: str | None
    location: str
    confidence: float | None
    verified_by: str | None = None
    verified_at: str | None = None


@dataclass(frozen=True)
class Document:
    """A case file as stored, with its number (`casescan link DOCUMENT`), its scan and its catalogue
    entry. The readings stay as the JSON the store wrote (`candidates_json`, `fields_json`).

    `get_document` fills every field; the review queue (`review_rows`) leaves the scan's archive
    name, location and digest, the record's reference and the entry's verification as None."""

    id: int
    scan_id: int
    first_page: int
    last_page: int
    closed: bool
    read_reference: str | None
    method: str | None
    confidence: float | None
    candidates_json: str
    fields_json: str
    cover_text: str
    state: State
    record_id: int | None
    reason: str
    link_method: str | None
    linked_by: str | None
    linked_at: str | None
    created_at: str
    note: str
    source_file: str
    entry: DocumentEntry | None = None
    archived_path: str | None = None
    scan_location: str | None = None
    scan_sha256: str | None = None
    record_reference: str | None = None


@dataclass(frozen=True)
class UndecidedDocument:
    """A case file no person has decided, with what the scanner read of it: a new template may decide it again."""

    id: int
    closed: bool
    state: State
    record_id: int | None
    reason: str
    case_file: CaseFile
    scan_location: str | None


@dataclass(frozen=True)
class LinkedDocument:
    """An open case file linked to an in-scope record: one attachment of the package."""

    id: int
    scan_id: int
    first_page: int
    last_page: int
    link_method: str | None
    confidence: float | None
    linked_by: str | None
    linked_at: str | None
    record_id: int
    case_reference: str
    reference_key: str
    source_file: str
    archived_path: str | None
    scan_pages: int | None
    scan_sha256: str | None


@dataclass(frozen=True)
class CataloguedCase:
    """A closed paper case catalogued (by the service or a person): one line of the closed paper catalogue."""

    id: int
    record_id: int | None
    first_page: int
    last_page: int
    case_reference: str | None
    subject_name: str | None
    location: str
    confidence: float | None
    verified_by: str | None
    source_file: str
    record_excluded: bool


@dataclass(frozen=True)
class UnresolvedDocument:
    """A document still waiting for a person (or noted as missing from the template): an exception."""

    id: int
    state: State
    closed: bool
    read_reference: str | None
    reason: str
    first_page: int
    last_page: int
    record_id: int | None
    linked_by: str | None
    linked_at: str | None
    note: str
    source_file: str
    entry_reference: str | None


@dataclass(frozen=True)
class Scan:
    """One file the service took (a `scans` row): its state, where its original went, what went wrong."""

    id: int
    source_file: str
    sha256: str | None
    size: int | None
    mtime: float | None
    state: str  # seen | processing | done | quarantined | duplicate (store.scans.STATES)
    closed: bool
    location: str | None
    pages: int | None
    archived_path: str | None
    quarantined_path: str | None
    duplicate_of: int | None
    error_kind: str | None
    error: str | None
    attempts: int
    seen_at: str
    started_at: str | None
    finished_at: str | None
    seconds: float | None
    mtime_ns: int | None
    move_error: str | None
    move_attempts: int
    move_retry_at: str | None


@dataclass(frozen=True)
class StuckScan:
    """A scan processed whose original could not leave the inbox: why, how often, when it is tried again."""

    id: int
    source_file: str
    move_error: str
    move_attempts: int
    move_retry_at: str | None


@dataclass(frozen=True)
class ArchivedOriginal:
    """An original in the archive, with what it was when it was taken (to notice it changed)."""

    id: int
    source_file: str
    archived_path: str
    sha256: str | None
    size: int | None
    mtime: float | None
    mtime_ns: int | None


@dataclass(frozen=True)
class ScanProblem:
    """A scan that produced no case file: quarantined, a duplicate (of `original_file`), or unreadable."""

    id: int
    state: str
    source_file: str
    error_kind: str | None
    error: str | None
    original_file: str | None


@dataclass(frozen=True)
class RecordCells:
    """An in-scope template record as the package writes it: the template's own cells, and the days
    of its date fields (only those the template gave)."""

    id: int
    case_reference: str
    columns: dict[str, str]
    dates: dict[str, date]


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail: who did what to which document (None: not a decision), before and after."""

    id: int
    at: str
    actor: str
    action: str
    document_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    detail: str
