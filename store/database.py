"""SQLite connection discipline and schema migrations.

WAL lets the review page read while the service writes; `BEGIN IMMEDIATE` takes the write lock up
front so two writers queue instead of failing half-way. Migrations are named functions applied in
order, each in its own transaction and recorded, so upgrading casescan never loses a workspace.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from config.errors import CasescanError

Connection = sqlite3.Connection  # what `transaction()` yields; callers outside the store name it so


class DatabaseError(CasescanError):
    """The workspace database cannot be opened or is from a newer casescan."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _run_statements(db: sqlite3.Connection, script: str) -> None:
    """Run each statement inside the caller's transaction; `executescript` would commit first."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1_initial(db: sqlite3.Connection) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE template_columns (position INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            reference_key TEXT NOT NULL UNIQUE,
            case_reference TEXT NOT NULL,
            forename TEXT, surname TEXT, date_of_birth TEXT,
            status TEXT, date_opened TEXT, date_closed TEXT,
            paper_file INTEGER, excluded INTEGER NOT NULL DEFAULT 0,
            source_row INTEGER, columns_json TEXT NOT NULL,
            imported_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY, file TEXT NOT NULL, sheet TEXT, imported_at TEXT NOT NULL,
            rows INTEGER NOT NULL, added INTEGER NOT NULL, updated INTEGER NOT NULL, report_json TEXT NOT NULL
        );
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            source_file TEXT NOT NULL,
            sha256 TEXT, size INTEGER, mtime REAL,
            state TEXT NOT NULL CHECK (state IN ('seen', 'processing', 'done', 'quarantined', 'duplicate')),
            closed INTEGER NOT NULL DEFAULT 0,
            location TEXT, pages INTEGER,
            archived_path TEXT, quarantined_path TEXT,
            duplicate_of INTEGER REFERENCES scans(id),
            error_kind TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,
            seen_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, seconds REAL
        );
        CREATE INDEX scans_state ON scans(state);
        CREATE INDEX scans_sha256 ON scans(sha256);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            scan_id INTEGER NOT NULL REFERENCES scans(id),
            first_page INTEGER NOT NULL, last_page INTEGER NOT NULL,
            closed INTEGER NOT NULL DEFAULT 0,
            read_reference TEXT, method TEXT, confidence REAL,
            candidates_json TEXT NOT NULL DEFAULT '[]', fields_json TEXT NOT NULL DEFAULT '{}',
            cover_text TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL CHECK (state IN ('linked_auto', 'needs_review', 'unknown', 'unreadable',
                                                 'linked_manual', 'rejected', 'catalogued')),
            record_id INTEGER REFERENCES records(id),
            reason TEXT NOT NULL DEFAULT '',
            link_method TEXT, linked_by TEXT, linked_at TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (scan_id, first_page)
        );
        CREATE INDEX documents_state ON documents(state);
        CREATE INDEX documents_record ON documents(record_id);
        CREATE TABLE catalogue_entries (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id),
            case_reference TEXT, subject_name TEXT, location TEXT NOT NULL DEFAULT '',
            confidence REAL, verified_by TEXT, verified_at TEXT
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('lead', 'admin')),
            password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
            failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id),
            before_json TEXT NOT NULL DEFAULT '{}', after_json TEXT NOT NULL DEFAULT '{}',
            detail TEXT NOT NULL DEFAULT ''
        );
        """
    )


def _review_sessions_and_notes(db: sqlite3.Connection) -> None:
    """Sessions a server can end (a generation per account), a login throttle that survives a
    restart, and the note a lead leaves when the template lacks a case."""
    _run_statements(
        db,
        """
        ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE login_failures (id INTEGER PRIMARY KEY, address TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX login_failures_address ON login_failures(address, at);
        ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT ''
        """,
    )


def _scan_intake(db: sqlite3.Connection) -> None:
    """The taken file's exact modification time (to notice an archived original that changed), and
    a move out of the inbox that failed: why, how often, and when it is tried again."""
    _run_statements(
        db,
        """
        ALTER TABLE scans ADD COLUMN mtime_ns INTEGER;
        ALTER TABLE scans ADD COLUMN move_error TEXT;
        ALTER TABLE scans ADD COLUMN move_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE scans ADD COLUMN move_retry_at TEXT
        """,
    )


def _cover_readings(db: sqlite3.Connection) -> None:
    """What the scanner read of each case file (JSON), so a re-imported template can decide it
    again; '' for case files stored before, which keep their decision."""
    db.execute("ALTER TABLE documents ADD COLUMN case_file_json TEXT NOT NULL DEFAULT ''")


MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("initial", _v1_initial),
    ("review_sessions_and_notes", _review_sessions_and_notes),
    ("cover_readings", _cover_readings),
    ("scan_intake_identity_and_move_errors", _scan_intake),
)


class Database:
    """One connection with casescan's rules. Writes go through `transaction()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the lock from the start (BEGIN IMMEDIATE)."""
        conn = self.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration not yet applied, each atomically; returns the new version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise DatabaseError(
            f"this workspace's database is at schema version {current}, newer than this casescan "
            f"({len(MIGRATIONS)}); upgrade casescan."
        )
    for version, (name, apply) in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) < version:
                apply(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, utc_now()),
                )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return len(MIGRATIONS)


def open_database(path: Path, *, readonly: bool = False) -> Database:
    """Open (creating and migrating when writable) the workspace database."""
    try:
        if readonly:
            if not path.exists():
                raise DatabaseError(f"{path} does not exist yet; run 'casescan records import FILE' first.")
            conn = _connect(path, readonly=True)
        else:
            conn = _connect(path, readonly=False)
            migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: cannot open the workspace database ({exc}); restore it from backup or move it aside.") from None
    return Database(conn, path)
