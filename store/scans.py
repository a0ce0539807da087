"""SQL for the `scans` table: one row per file the service took, and its state.

States: seen (noticed, or reported unreadable) -> processing -> done | quarantined | duplicate.
A final row whose original could not be moved out of the inbox carries `move_error` (and when the
move is tried again) until the move succeeds. Every change of state is one statement inside the
caller's transaction, so the pipeline can commit a scan's outcome together with its documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from store.database import Connection, Database, utc_now
from store.model import ArchivedOriginal, Scan, StuckScan, from_row

FINAL_STATES = ("done", "quarantined", "duplicate")
STATES = ("seen", "processing", *FINAL_STATES)
THROUGHPUT_WINDOW = 200


@dataclass(frozen=True)
class ScanFile:
    """What the service knows about a file before it is identified."""

    source_file: str  # relative to the inbox, '/'-separated
    sha256: str
    size: int
    mtime: float
    closed: bool
    location: str | None
    seen_at: str
    mtime_ns: int | None = None  # exact, to notice later whether the archived original changed


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def scans_of_file(conn: Connection, source_file: str, sha256: str) -> list[Scan]:
    """Earlier scans of these very bytes at this very path (or a read failure reported there), newest first."""
    rows = conn.execute(
        "SELECT * FROM scans WHERE source_file = ? AND (sha256 = ? OR (sha256 IS NULL AND state = 'seen')) "
        "ORDER BY id DESC",
        (source_file, sha256),
    ).fetchall()
    return [from_row(Scan, row) for row in rows]


def find_original(conn: Connection, sha256: str, exclude_id: int | None) -> Scan | None:
    """The scan these bytes were processed as, if any (one still in hand may yet be dropped)."""
    row = conn.execute(
        "SELECT * FROM scans WHERE sha256 = ? AND state = 'done' AND id IS NOT ? ORDER BY id LIMIT 1",
        (sha256, exclude_id),
    ).fetchone()
    return None if row is None else from_row(Scan, row)


def path_reserved(conn: Connection, column: str, relative: str) -> bool:
    """Whether a scan already owns this archive or quarantine name (perhaps not yet moved there)."""
    if column not in ("archived_path", "quarantined_path"):
        raise ValueError(column)
    return conn.execute(f"SELECT 1 FROM scans WHERE {column} = ? LIMIT 1", (relative,)).fetchone() is not None


def claim(conn: Connection, file: ScanFile, existing_id: int | None, count_start: bool = True) -> int:
    """Mark the file as being processed (reusing a row left by a crash or a read failure).

    `attempts` is what counts against the file. The single service counts every start (a start
    that ends is no longer 'processing'; one the whole service's stop cut short is uncounted at
    its next start, `interrupted`), so a row still 'processing' at a claim says how many times a
    worker died with it. Several machines cannot tell a death from an outage or a power cut at a
    claim, so with `count_start` false a start counts nothing and a death is counted when it is
    seen (`count_death`)."""
    now = utc_now()
    restarted, first = ("attempts + 1", 1) if count_start else ("attempts", 0)
    if existing_id is not None:
        conn.execute(
            "UPDATE scans SET state = 'processing', sha256 = ?, size = ?, mtime = ?, mtime_ns = ?, closed = ?, "
            f"location = ?, error_kind = NULL, error = NULL, "
            f"attempts = CASE state WHEN 'processing' THEN {restarted} ELSE {first} END, started_at = ? WHERE id = ?",
            (file.sha256, file.size, file.mtime, file.mtime_ns, int(file.closed), file.location, now, existing_id),
        )
        return existing_id
    cursor = conn.execute(
        "INSERT INTO scans (source_file, sha256, size, mtime, mtime_ns, state, closed, location, attempts, seen_at, "
        f"started_at) VALUES (?, ?, ?, ?, ?, 'processing', ?, ?, {first}, ?, ?) RETURNING id",
        (
            file.source_file,
            file.sha256,
            file.size,
            file.mtime,
            file.mtime_ns,
            int(file.closed),
            file.location,
            file.seen_at,
            now,
        ),
    )
    return int(cursor.fetchone()[0])


def _finish(conn: Connection, scan_id: int, state: str, seconds: float, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(
        f"UPDATE scans SET state = ?, {assignments}, finished_at = ?, seconds = ? WHERE id = ?",
        (state, *columns.values(), utc_now(), seconds, scan_id),
    )


def mark_done(conn: Connection, scan_id: int, pages: int, archived_path: str, seconds: float) -> None:
    _finish(conn, scan_id, "done", seconds, pages=pages, archived_path=archived_path)


def mark_duplicate(conn: Connection, scan_id: int, original_id: int, archived_path: str, seconds: float) -> None:
    _finish(conn, scan_id, "duplicate", seconds, duplicate_of=original_id, archived_path=archived_path)


def mark_quarantined(
    conn: Connection, scan_id: int, kind: str, message: str, quarantined_path: str, seconds: float
) -> None:
    _finish(conn, scan_id, "quarantined", seconds, error_kind=kind, error=message, quarantined_path=quarantined_path)


def drop(conn: Connection, scan_id: int) -> None:
    """Forget a claim whose file changed under the service: nothing is kept for bytes not processed.
    (No other row can point at it: only finished scans are anyone's original.)"""
    conn.execute(
        "DELETE FROM scans WHERE id = ? AND state = 'processing' "
        "AND NOT EXISTS (SELECT 1 FROM scans d WHERE d.duplicate_of = ?)",
        (scan_id, scan_id),
    )


def record_move_problem(db: Database, scan_id: int, message: str, retry_in: float) -> int:
    """Note that the original could not be moved, and when to try again; returns how many times it failed."""
    retry_at = datetime.now(UTC).timestamp() + retry_in
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scans SET move_error = ?, move_attempts = move_attempts + 1, move_retry_at = ? WHERE id = ?",
            (message, iso(retry_at), scan_id),
        )
        return int(conn.execute("SELECT move_attempts FROM scans WHERE id = ?", (scan_id,)).fetchone()[0])


def clear_move_problem(db: Database, scan_id: int) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scans SET move_error = NULL, move_retry_at = NULL WHERE id = ? AND move_error IS NOT NULL",
            (scan_id,),
        )


def stuck_in_inbox(db: Database) -> list[StuckScan]:
    """Files processed whose original could not leave the inbox, with why and what to do."""
    rows = db.query(
        "SELECT id, source_file, move_error, move_attempts, move_retry_at FROM scans "
        "WHERE move_error IS NOT NULL ORDER BY source_file, id"
    )
    return [from_row(StuckScan, row) for row in rows]


def cannot_take(db: Database) -> list[tuple[str, str]]:
    """(source_file, why) for files the service found it cannot read (a link, no permission):
    another run would not help."""
    rows = db.query(
        "SELECT source_file, error FROM scans WHERE state = 'seen' AND error_kind = 'unreadable' "
        "ORDER BY source_file, id"
    )
    return [(str(row["source_file"]), str(row["error"])) for row in rows]


def seen_files(db: Database) -> list[str]:
    """The source_file of every row still 'seen': found in the inbox, not (yet) taken."""
    return [str(row["source_file"]) for row in db.query("SELECT source_file FROM scans WHERE state = 'seen'")]


def archived_originals(db: Database) -> list[ArchivedOriginal]:
    """Every original attachments are cut from, with what it was when it was taken."""
    rows = db.query(
        "SELECT id, source_file, archived_path, sha256, size, mtime, mtime_ns FROM scans "
        "WHERE state = 'done' AND archived_path IS NOT NULL AND archived_path != '' ORDER BY id"
    )
    return [from_row(ArchivedOriginal, row) for row in rows]


def awaiting_bytes(db: Database, sha256: str) -> list[Scan]:
    """Scans with an outcome for these bytes, whose original may not have reached its folder yet."""
    rows = db.query(
        "SELECT * FROM scans WHERE sha256 = ? AND state IN ('done', 'duplicate', 'quarantined') ORDER BY id", (sha256,)
    )
    return [from_row(Scan, row) for row in rows]


def record_unreadable(db: Database, source_file: str, message: str, attempts: int, seen_at: str) -> int:
    """Report a file that could not be opened; it stays in the inbox and in state 'seen'."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT id FROM scans WHERE source_file = ? AND state = 'seen' ORDER BY id DESC LIMIT 1", (source_file,)
        ).fetchone()
        if row:
            conn.execute(
                "UPDATE scans SET error_kind = 'unreadable', error = ?, attempts = attempts + ?, finished_at = ? "
                "WHERE id = ?",
                (message, attempts, utc_now(), row["id"]),
            )
            return int(row["id"])
        cursor = conn.execute(
            "INSERT INTO scans (source_file, state, error_kind, error, attempts, seen_at, finished_at) "
            "VALUES (?, 'seen', 'unreadable', ?, ?, ?, ?) RETURNING id",
            (source_file, message, attempts, seen_at, utc_now()),
        )
        return int(cursor.fetchone()[0])


def get_scan(db: Database, scan_id: int) -> Scan:
    return from_row(Scan, db.query("SELECT * FROM scans WHERE id = ?", (scan_id,))[0])


def processing_scans(db: Database) -> list[Scan]:
    return [from_row(Scan, row) for row in db.query("SELECT * FROM scans WHERE state = 'processing' ORDER BY id")]


def release(db: Database, scan_id: int, message: str) -> None:
    """A row left in 'processing' whose file has gone: back to 'seen' with why, so nothing points at it."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scans SET state = 'seen', error_kind = 'missing', error = ? WHERE id = ? AND state = 'processing'",
            (message, scan_id),
        )


def count_death(db: Database, source_file: str) -> None:
    """A worker process died with this file in hand, its machine's service alive to see it: once
    more against the file (several machines' claims count nothing, `claim`)."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scans SET attempts = attempts + 1 WHERE source_file = ? AND state = 'processing'", (source_file,)
        )


def interrupted(db: Database, scan_id: int) -> None:
    """A file in hand when the whole service stopped (`kill -9`, a power cut, a stop timeout) is not
    at fault: that start is not counted among the attempts after which a file is quarantined as failed."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scans SET attempts = attempts - 1 WHERE id = ? AND state = 'processing' AND attempts > 0",
            (scan_id,),
        )


def scan_status(db: Database, last_errors: int = 5) -> dict[str, Any]:
    """Counts per state, the most recent problems, and how fast files have gone through."""
    counts = {state: 0 for state in STATES}
    for row in db.query("SELECT state, COUNT(*) AS n FROM scans GROUP BY state"):
        counts[row["state"]] = row["n"]
    # A move that failed is listed with the other problems: the file was processed but is stuck.
    # A move error says when it is tried next, never a bare time: people read "at" as when it failed.
    errors = [
        {
            "source_file": row["source_file"],
            "state": row["state"],
            "kind": row["kind"],
            "error": row["message"],
            **({"next_retry_at": row["move_retry_at"]} if row["kind"] == "move" else {"at": row["finished_at"]}),
        }
        for row in db.query(
            "SELECT source_file, state, CASE WHEN move_error IS NOT NULL THEN 'move' ELSE error_kind END AS kind, "
            "COALESCE(move_error, error) AS message, move_retry_at, finished_at FROM scans "
            "WHERE error_kind IS NOT NULL OR move_error IS NOT NULL "
            "ORDER BY move_error IS NULL, COALESCE(finished_at, seen_at) DESC, id DESC LIMIT ?",
            (last_errors,),
        )
    ]
    stuck = db.query("SELECT COUNT(*) AS n FROM scans WHERE move_error IS NOT NULL")[0]["n"]
    # Over the most recent files only, so a quiet weekend does not dilute today's rate.
    timing = db.query(
        "SELECT COUNT(*) AS n, MIN(started_at) AS first, MAX(finished_at) AS last, AVG(seconds) AS mean FROM "
        "(SELECT started_at, finished_at, seconds FROM scans WHERE state IN ('done', 'quarantined', 'duplicate') "
        "AND seconds IS NOT NULL AND started_at IS NOT NULL ORDER BY id DESC LIMIT ?) AS recent",
        (THROUGHPUT_WINDOW,),
    )[0]
    throughput: dict[str, Any] = {"recent_files": timing["n"], "mean_seconds_per_file": None, "files_per_minute": None}
    if timing["n"]:
        throughput["mean_seconds_per_file"] = round(timing["mean"], 2)
        span = (datetime.fromisoformat(timing["last"]) - datetime.fromisoformat(timing["first"])).total_seconds()
        throughput["files_per_minute"] = round(timing["n"] / max(span, 1.0) * 60, 1)
    return {"by_state": counts, "stuck_in_inbox": stuck, "last_errors": errors, "throughput": throughput}
