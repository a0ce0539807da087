"""SQL for documents (the case files found in scans) and their closed-paper catalogue entries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from store.database import Connection, Database, Row, utc_now
from store.model import (
    CataloguedCase,
    Document,
    DocumentEntry,
    LinkedDocument,
    UnresolvedDocument,
    from_row,
)
from store.states import WAITING, State

LARGEST_ID = 2**63 - 1  # SQLite's INTEGER: a larger id cannot name a row, and binding it overflows


def _document(row: Row) -> Document:
    """A document from `get_document`'s or `review_rows`' columns (those the latter leaves out are None)."""
    keys = row.keys()

    def optional(column: str) -> Any:
        return row[column] if column in keys else None

    entry = None
    if row["entry_location"] is not None:  # NOT NULL in catalogue_entries: None means no entry joined
        entry = DocumentEntry(
            row["entry_reference"],
            row["entry_subject_name"],
            row["entry_location"],
            row["entry_confidence"],
            optional("entry_verified_by"),
            optional("entry_verified_at"),
        )
    return Document(
        id=row["id"],
        scan_id=row["scan_id"],
        first_page=row["first_page"],
        last_page=row["last_page"],
        closed=bool(row["closed"]),
        read_reference=row["read_reference"],
        method=row["method"],
        confidence=row["confidence"],
        candidates_json=row["candidates_json"],
        fields_json=row["fields_json"],
        cover_text=row["cover_text"],
        state=State(row["state"]),
        record_id=row["record_id"],
        reason=row["reason"],
        link_method=row["link_method"],
        linked_by=row["linked_by"],
        linked_at=row["linked_at"],
        created_at=row["created_at"],
        note=row["note"],
        source_file=row["source_file"],
        entry=entry,
        archived_path=optional("archived_path"),
        scan_location=optional("scan_location"),
        scan_sha256=optional("scan_sha256"),
        record_reference=optional("record_reference"),
    )


def get_document(conn: Connection, document_id: int) -> Document | None:
    """One document with its scan and catalogue entry (NULLs when it has none); None for an id no
    row can have, so a mistyped id reads as "no such document", not an overflow."""
    if not 0 < document_id <= LARGEST_ID:
        return None
    row = conn.execute(
        """
        SELECT d.*, s.source_file, s.archived_path, s.location AS scan_location, s.sha256 AS scan_sha256,
               e.id AS entry_id, e.case_reference AS entry_reference, e.subject_name AS entry_subject_name,
               e.location AS entry_location, e.confidence AS entry_confidence,
               e.verified_by AS entry_verified_by, e.verified_at AS entry_verified_at,
               r.case_reference AS record_reference
        FROM documents d
        JOIN scans s ON s.id = d.scan_id
        LEFT JOIN catalogue_entries e ON e.document_id = d.id
        LEFT JOIN records r ON r.id = d.record_id
        WHERE d.id = ?
        """,
        (document_id,),
    ).fetchone()
    return None if row is None else _document(row)


NOTED_UNKNOWN = "d.state = 'unknown' AND d.linked_by IS NOT NULL"  # a lead said the template lacks the case


def review_documents(db: Database) -> list[Document]:
    """Documents waiting for a person, oldest first: uncertain links and closed entries to check
    (not unknown references a lead has already noted as missing from the template)."""
    placeholders = ", ".join("?" for _ in WAITING)
    rows = db.query(
        f"""
        SELECT d.*, s.source_file, e.case_reference AS entry_reference, e.subject_name AS entry_subject_name,
               e.location AS entry_location, e.confidence AS entry_confidence
        FROM documents d
        JOIN scans s ON s.id = d.scan_id
        LEFT JOIN catalogue_entries e ON e.document_id = d.id
        WHERE d.state IN ({placeholders}) AND NOT ({NOTED_UNKNOWN})
        ORDER BY d.created_at, d.id
        """,
        WAITING,
    )
    return [_document(row) for row in rows]


def noted_unknown_count(db: Database) -> int:
    """Unknown references a lead has noted as missing from the template."""
    return int(db.query(f"SELECT COUNT(*) FROM documents d WHERE {NOTED_UNKNOWN}")[0][0])


def set_noted(conn: Connection, document_id: int, *, actor: str, note: str) -> bool:
    """A lead's word that the template lacks this unknown reference; False if someone decided first."""
    cursor = conn.execute(
        "UPDATE documents SET linked_by = ?, linked_at = ?, note = ? "
        "WHERE id = ? AND state = 'unknown' AND linked_by IS NULL",
        (actor, utc_now(), note, document_id),
    )
    return cursor.rowcount == 1


def set_waiting(conn: Connection, document_id: int, *, state: State, entry: dict[str, Any] | None) -> None:
    """Undo a person's decision: the item waits for review in `state`; a catalogue entry goes back
    to what the service read (`entry`), no longer verified by anyone."""
    conn.execute(
        """
        UPDATE documents SET state = ?, record_id = NULL, link_method = NULL, linked_by = NULL, linked_at = NULL,
                             note = ''
        WHERE id = ?
        """,
        (state, document_id),
    )
    if entry is not None:
        conn.execute(
            """
            UPDATE catalogue_entries SET case_reference = ?, subject_name = ?, location = ?, verified_by = NULL,
                                         verified_at = NULL
            WHERE document_id = ?
            """,
            (
                entry.get("entry_reference"),
                entry.get("entry_subject_name"),
                entry.get("entry_location") or "",
                document_id,
            ),
        )


def set_link(
    conn: Connection,
    document_id: int,
    *,
    state: State,
    record_id: int | None,
    link_method: str | None,
    actor: str,
    expected_state: State,
) -> bool:
    """Record a person's decision, only if nobody decided first; False when the state had changed."""
    cursor = conn.execute(
        """
        UPDATE documents SET state = ?, record_id = ?, link_method = ?, linked_by = ?, linked_at = ?
        WHERE id = ? AND state = ?
        """,
        (state, record_id, link_method, actor, utc_now(), document_id, expected_state),
    )
    return cursor.rowcount == 1


def set_entry(
    conn: Connection,
    document_id: int,
    *,
    case_reference: str | None,
    subject_name: str | None,
    location: str,
    actor: str,
) -> None:
    """Write a person's correction of a closed front sheet's catalogue entry (creating it if absent)."""
    now = utc_now()
    conn.execute(
        """
        INSERT INTO catalogue_entries (document_id, case_reference, subject_name, location, confidence,
                                       verified_by, verified_at)
        VALUES (?, ?, ?, ?, 1.0, ?, ?)
        ON CONFLICT (document_id) DO UPDATE SET case_reference = excluded.case_reference,
            subject_name = excluded.subject_name, location = excluded.location,
            verified_by = excluded.verified_by, verified_at = excluded.verified_at
        """,
        (document_id, case_reference, subject_name, location, actor, now),
    )


def document_counts(db: Database, *, in_scope_only: bool = False) -> dict[str, int]:
    """Documents per state, every state listed (zeros too) so scripts can rely on the keys.

    `in_scope_only` leaves out documents linked to excluded records, as every export must.
    """
    counts = {state.value: 0 for state in State}
    where = (
        "WHERE record_id IS NULL OR record_id NOT IN (SELECT id FROM records WHERE excluded = 1)"
        if in_scope_only
        else ""
    )
    for row in db.query(f"SELECT state, COUNT(*) FROM documents {where} GROUP BY state"):
        counts[row[0]] = int(row[1])
    return counts


def iter_linked(db: Database) -> Iterator[LinkedDocument]:
    """Open case files linked to an in-scope record, in record then page order (the export's order)."""
    rows = db.connection.execute(
        """
        SELECT d.id, d.scan_id, d.first_page, d.last_page, d.link_method, d.confidence, d.linked_by, d.linked_at,
               d.record_id, r.case_reference, r.reference_key, s.source_file, s.archived_path, s.pages AS scan_pages,
               s.sha256 AS scan_sha256
        FROM documents d
        JOIN records r ON r.id = d.record_id AND r.excluded = 0
        JOIN scans s ON s.id = d.scan_id
        WHERE d.closed = 0 AND d.state IN ('linked_auto', 'linked_manual')
        ORDER BY r.source_row, r.id, s.source_file, d.scan_id, d.first_page
        """
    )
    yield from (from_row(LinkedDocument, row) for row in rows)


def iter_catalogue(db: Database) -> Iterator[CataloguedCase]:
    """Closed front sheets catalogued (by the service or a person), stable order for repeatable exports."""
    rows = db.connection.execute(
        """
        SELECT d.id, d.record_id, d.first_page, d.last_page, e.case_reference, e.subject_name, e.location,
               e.confidence, e.verified_by, s.source_file, r.excluded AS record_excluded
        FROM documents d
        JOIN catalogue_entries e ON e.document_id = d.id
        JOIN scans s ON s.id = d.scan_id
        LEFT JOIN records r ON r.id = d.record_id
        WHERE d.closed = 1 AND d.state IN ('catalogued', 'linked_manual')
        ORDER BY e.location, e.case_reference, s.source_file, d.first_page, d.id
        """
    )
    yield from (from_row(CataloguedCase, row) for row in rows)


def iter_unresolved(db: Database) -> Iterator[UnresolvedDocument]:
    """Documents a person still has to decide, for exceptions.csv."""
    rows = db.connection.execute(
        """
        SELECT d.id, d.state, d.closed, d.read_reference, d.reason, d.first_page, d.last_page, d.record_id,
               d.linked_by, d.linked_at, d.note, s.source_file, e.case_reference AS entry_reference
        FROM documents d
        JOIN scans s ON s.id = d.scan_id
        LEFT JOIN catalogue_entries e ON e.document_id = d.id
        WHERE d.state IN ('needs_review', 'unknown', 'unreadable')
        ORDER BY s.source_file, d.scan_id, d.first_page
        """
    )
    yield from (from_row(UnresolvedDocument, row) for row in rows)
