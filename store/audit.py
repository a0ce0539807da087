"""SQL for the audit trail: who decided what about which document, when, before and after; and
who signed in (or failed to), changed an account or exported.

Rows are only ever added. A decision and its audit row are written in the same transaction, so
there is never a link without its record of who made it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from store.database import Connection, Database, Row, utc_now
from store.model import AuditEntry


def add_audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    document_id: int | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    detail: str = "",
) -> int:
    cursor = conn.execute(
        "INSERT INTO audit (at, actor, action, document_id, before_json, after_json, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        (
            utc_now(),
            actor,
            action,
            document_id,
            json.dumps(dict(before), ensure_ascii=False, sort_keys=True),
            json.dumps(dict(after), ensure_ascii=False, sort_keys=True),
            detail,
        ),
    )
    return int(cursor.fetchone()[0])


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        document_id=row["document_id"],
        before=json.loads(row["before_json"]),
        after=json.loads(row["after_json"]),
        detail=row["detail"],
    )


def audit_entries(db: Database, *, document_id: int | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Newest first; for one document when `document_id` is given."""
    sql = "SELECT * FROM audit" + (" WHERE document_id = ?" if document_id is not None else "") + " ORDER BY id DESC"
    params: tuple[Any, ...] = (document_id,) if document_id is not None else ()
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    return [_entry(row) for row in db.query(sql, params)]


def iter_audit(db: Database) -> Iterator[AuditEntry]:
    """Every audit row, oldest first, streamed (for the CSV download)."""
    for row in db.connection.execute("SELECT * FROM audit ORDER BY id"):
        yield _entry(row)


def record_event(db: Database, *, actor: str, action: str, detail: str = "") -> None:
    """An event that is not a decision on a document (a sign-in, an account change, an export).

    The caller never passes a password: `detail` says what happened, not with what secret."""
    with db.transaction() as conn:
        add_audit(conn, actor=actor, action=action, document_id=None, before={}, after={}, detail=detail)


def last_before(conn: Connection, document_id: int, actions: tuple[str, ...]) -> dict[str, Any] | None:
    """The document as it was before the latest of `actions` on it (None if there was none)."""
    row = conn.execute(
        f"SELECT before_json FROM audit WHERE document_id = ? AND action IN ({', '.join('?' for _ in actions)}) "
        "ORDER BY id DESC LIMIT 1",
        (document_id, *actions),
    ).fetchone()
    return json.loads(row[0]) if row else None
