"""SQL for the service's own decisions on case files: written with the scan's outcome, and
written again when a new template decides them anew. People's decisions are in `documents`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from config.errors import CasescanError
from scanner.model import CaseFile, CoverFields
from store.database import Connection, utc_now
from store.model import UndecidedDocument
from store.readings import case_file_from_json, case_file_json
from store.states import LINKED_BY_SERVICE, State


class StoredCandidate(Protocol):
    """What the store keeps of each record a case file was compared with."""

    @property
    def record_id(self) -> int: ...
    @property
    def case_reference(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def reason(self) -> str: ...


class StoredEntry(Protocol):
    """A closed paper file's catalogue values as the store keeps them."""

    @property
    def case_reference(self) -> str | None: ...
    @property
    def subject_name(self) -> str | None: ...
    @property
    def location(self) -> str | None: ...
    @property
    def confidence(self) -> float: ...


class Link(Protocol):
    """A decision on one case file as the store keeps it. The catalogue's `Link` is one; the store
    names only what it writes, so it never depends on how the catalogue decides."""

    @property
    def first_page(self) -> int: ...
    @property
    def last_page(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    @property
    def state(self) -> State: ...
    @property
    def record_id(self) -> int | None: ...
    @property
    def read_reference(self) -> str | None: ...
    @property
    def method(self) -> str | None: ...
    @property
    def confidence(self) -> float: ...
    @property
    def candidates(self) -> Sequence[StoredCandidate]: ...
    @property
    def fields(self) -> CoverFields: ...
    @property
    def cover_text(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def link_method(self) -> str | None: ...
    @property
    def entry(self) -> StoredEntry | None: ...
    @property
    def case_file(self) -> CaseFile | None: ...


def _candidates_json(link: Link) -> str:
    return json.dumps(
        [
            {"record_id": c.record_id, "case_reference": c.case_reference, "score": c.score, "reason": c.reason}
            for c in link.candidates
        ],
        ensure_ascii=False,
    )


def _fields_json(link: Link) -> str:
    fields = link.fields
    return json.dumps(
        {
            "name": fields.name,
            "date_of_birth": fields.date_of_birth.isoformat() if fields.date_of_birth else None,
            "words": list(fields.words),
        },
        ensure_ascii=False,
    )


def delete_for_scan(conn: Connection, scan_id: int) -> None:
    """Forget what an interrupted run stored for a scan, so a redo never records a case file twice."""
    decided = conn.execute(
        "SELECT COUNT(*) FROM audit WHERE document_id IN (SELECT id FROM documents WHERE scan_id = ?)", (scan_id,)
    ).fetchone()[0]
    if decided:
        raise CasescanError(
            f"scan {scan_id} has case files already decided by people ({decided} audit record(s)); "
            "it is not processed again so their decisions are kept."
        )
    conn.execute(
        "DELETE FROM catalogue_entries WHERE document_id IN (SELECT id FROM documents WHERE scan_id = ?)", (scan_id,)
    )
    conn.execute("DELETE FROM documents WHERE scan_id = ?", (scan_id,))


def insert_links(conn: Connection, scan_id: int, links: Sequence[Link]) -> list[int]:
    """Store a scan's decisions inside the caller's open transaction; returns the document ids.

    The caller commits the documents together with the scan's 'done' state, so a crash leaves
    either both or neither; anything stored for the scan before is replaced.
    """
    delete_for_scan(conn, scan_id)
    now = utc_now()
    ids: list[int] = []
    for link in links:
        linked_at = now if link.state in LINKED_BY_SERVICE and link.record_id is not None else None
        cursor = conn.execute(
            """
            INSERT INTO documents (scan_id, first_page, last_page, closed, read_reference, method, confidence,
                                   candidates_json, fields_json, cover_text, state, record_id, reason,
                                   link_method, linked_by, linked_at, created_at, case_file_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            (
                scan_id,
                link.first_page,
                link.last_page,
                int(link.closed),
                link.read_reference,
                link.method,
                link.confidence,
                _candidates_json(link),
                _fields_json(link),
                link.cover_text,
                link.state,
                link.record_id,
                link.reason,
                link.link_method,
                "casescan" if linked_at else None,
                linked_at,
                now,
                case_file_json(link.case_file) if link.case_file else "",
            ),
        )
        document_id = int(cursor.fetchone()[0])
        ids.append(document_id)
        if link.closed and link.entry is not None:
            entry = link.entry
            conn.execute(
                "INSERT INTO catalogue_entries (document_id, case_reference, subject_name, location, confidence) "
                "VALUES (?, ?, ?, ?, ?)",
                (document_id, entry.case_reference, entry.subject_name, entry.location, entry.confidence),
            )
    return ids


def undecided_documents(conn: Connection) -> list[UndecidedDocument]:
    """Case files no person has decided (no audit record, no verified catalogue entry) whose
    readings are stored: the ones a new template may decide again."""
    rows = conn.execute(
        """
        SELECT d.id, d.closed, d.state, d.record_id, d.reason, d.case_file_json, s.location AS scan_location
        FROM documents d
        JOIN scans s ON s.id = d.scan_id
        LEFT JOIN catalogue_entries e ON e.document_id = d.id
        WHERE d.state IN ('linked_auto', 'needs_review', 'unknown', 'unreadable', 'catalogued')
          AND d.case_file_json != '' AND e.verified_by IS NULL
          AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.document_id = d.id)
        ORDER BY d.id
        """
    ).fetchall()
    return [
        UndecidedDocument(
            id=row["id"],
            closed=bool(row["closed"]),
            state=State(row["state"]),
            record_id=row["record_id"],
            reason=row["reason"],
            case_file=case_file_from_json(row["case_file_json"]),
            scan_location=row["scan_location"],
        )
        for row in rows
    ]


def people_in_page_order(conn: Connection) -> list[tuple[int, int, int | None]]:
    """Every case file as (document id, scan id, the record a person linked it to, if one did),
    each scan's in page order: what the case files a new template decides are weighed beside."""
    rows = conn.execute("SELECT id, scan_id, state, record_id FROM documents ORDER BY scan_id, first_page").fetchall()
    return [
        (int(row["id"]), int(row["scan_id"]), row["record_id"] if row["state"] == State.LINKED_MANUAL else None)
        for row in rows
    ]


def redecide(conn: Connection, document_id: int, link: Link) -> None:
    """Replace the service's decision on one case file with `link`, inside the caller's transaction."""
    linked_at = utc_now() if link.state in LINKED_BY_SERVICE and link.record_id is not None else None
    conn.execute(
        """
        UPDATE documents SET state = ?, record_id = ?, reason = ?, link_method = ?, read_reference = ?, method = ?,
                             candidates_json = ?, linked_by = ?, linked_at = ?
        WHERE id = ?
        """,
        (
            link.state,
            link.record_id,
            link.reason,
            link.link_method,
            link.read_reference,
            link.method,
            _candidates_json(link),
            "casescan" if linked_at else None,
            linked_at,
            document_id,
        ),
    )
    if link.closed and link.entry is not None:
        entry = link.entry
        conn.execute(
            """
            INSERT INTO catalogue_entries (document_id, case_reference, subject_name, location, confidence)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (document_id) DO UPDATE SET case_reference = excluded.case_reference,
                subject_name = excluded.subject_name, location = excluded.location, confidence = excluded.confidence
            """,
            (document_id, entry.case_reference, entry.subject_name, entry.location, entry.confidence),
        )
