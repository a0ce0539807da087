"""Connection discipline and schema migrations, on SQLite or PostgreSQL.

Migrations are named functions applied in order, each in its own transaction and recorded, so
upgrading casescan never loses a workspace; the same migrations build both engines (`engines`
translates the few words that differ). A workspace's own SQLite file is created and upgraded when
it is opened; a PostgreSQL database shared by several machines is upgraded only by
`casescan db migrate`, so one machine's newer casescan never changes the schema under the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store.engines import (
    POSTGRES,
    SQLITE,
    Connection,
    DatabaseError,
    Engine,
    Row,
    connect_postgres,
    connect_sqlite,
    describe,
    driver_errors,
    is_postgres,
    one_line,
)

__all__ = ["Connection", "Database", "DatabaseError", "Row", "migrate_database", "open_database", "utc_now"]


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _run_statements(db: Connection, script: str) -> None:
    """Run each statement inside the caller's transaction; `executescript` would commit first."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1_initial(db: Connection) -> None:
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
        """,
    )


def _review_sessions_and_notes(db: Connection) -> None:
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


def _scan_intake(db: Connection) -> None:
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


def _cover_readings(db: Connection) -> None:
    """What the scanner read of each case file (JSON), so a re-imported template can decide it
    again; '' for case files stored before, which keep their decision."""
    db.execute("ALTER TABLE documents ADD COLUMN case_file_json TEXT NOT NULL DEFAULT ''")


def _claimed_exactly_once(db: Connection) -> None:
    """What several workers on one database must never do twice, refused by the database itself:
    two claims on one inbox path, two finished originals of the same bytes, two files given one
    archive or quarantine name (a share's rename would overwrite the first)."""
    _run_statements(
        db,
        """
        CREATE UNIQUE INDEX scans_one_claim_per_path ON scans(source_file) WHERE state = 'processing';
        CREATE UNIQUE INDEX scans_one_original_per_content ON scans(sha256) WHERE state = 'done';
        CREATE UNIQUE INDEX scans_archive_name ON scans(archived_path)
            WHERE archived_path IS NOT NULL AND archived_path != '';
        CREATE UNIQUE INDEX scans_quarantine_name ON scans(quarantined_path) WHERE quarantined_path IS NOT NULL
        """,
    )


MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("initial", _v1_initial),
    ("review_sessions_and_notes", _review_sessions_and_notes),
    ("cover_readings", _cover_readings),
    ("scan_intake_identity_and_move_errors", _scan_intake),
    ("claimed_exactly_once", _claimed_exactly_once),
)


class Database:
    """One connection with casescan's rules. Writes go through `transaction()`."""

    def __init__(self, connection: Connection, location: Path | str, engine: Engine = SQLITE) -> None:
        self.connection = connection
        self.location = location
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction (on SQLite it holds the lock from the start: BEGIN IMMEDIATE)."""
        conn = self.connection
        conn.execute(self.engine.begin_write)
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: everything read inside sees the same moment while others write."""
        self.connection.execute(self.engine.begin_snapshot)
        try:
            yield
        finally:
            self.connection.execute("ROLLBACK")

    def query(self, sql: str, params: tuple | dict = ()) -> list[Any]:
        return list(self.connection.execute(sql, params).fetchall())

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def schema_version(db: Database) -> int:
    if db.connection.execute(db.engine.table_exists, ("schema_migrations",)).fetchone() is None:
        return 0
    row = db.connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(db: Database) -> int:
    """Apply every migration not yet applied, each atomically; returns the new version."""
    return _migrate(db)[1]


def _migrate(db: Database) -> tuple[list[int], int]:
    """The versions this call applied (others may apply some at the same time, under the lock) and
    the new version."""
    applied: list[int] = []
    with db.transaction() as conn:
        if db.engine.lock_schema:
            conn.execute(db.engine.lock_schema)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    current = schema_version(db)
    if current > len(MIGRATIONS):
        raise DatabaseError(
            f"the database {describe(db.location)} is at schema version {current}, newer than this casescan "
            f"({len(MIGRATIONS)}); upgrade casescan."
        )
    for version, (name, apply) in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        with db.transaction() as conn:
            if db.engine.lock_schema:
                conn.execute(db.engine.lock_schema)
            if schema_version(db) < version:
                apply(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, utc_now()),
                )
                applied.append(version)
    return applied, len(MIGRATIONS)


def _connect(location: Path | str, readonly: bool) -> Database:
    if is_postgres(location):
        return Database(connect_postgres(str(location), readonly), location, POSTGRES)
    if isinstance(location, str):
        raise DatabaseError(
            f"{describe(location)} is not a PostgreSQL URL; "
            "write 'postgresql://user@host/database', or leave it empty for the workspace's SQLite file."
        )
    path = Path(location)
    if readonly and not path.exists():
        raise DatabaseError(f"{path} does not exist yet; run 'casescan records import FILE' first.")
    return Database(connect_sqlite(path, readonly), path, SQLITE)


def _failed(location: Path | str, exc: Exception) -> DatabaseError:
    if is_postgres(location):
        return DatabaseError(
            f"the PostgreSQL database {describe(location)} failed ({one_line(exc)}); "
            "check the server, and run 'casescan db migrate' if casescan was upgraded."
        )
    return DatabaseError(
        f"{location}: cannot open the workspace database ({exc}); restore it from backup or move it aside."
    )


def open_database(location: Path | str, *, readonly: bool = False) -> Database:
    """Open the workspace database: a SQLite file (created and migrated when writable) or a
    PostgreSQL URL (whose schema `casescan db migrate` must have brought up to date)."""
    try:
        db = _connect(location, readonly)
        try:
            if db.engine is POSTGRES:
                _require_current_schema(db)
            elif not readonly:
                migrate(db)
        except BaseException:
            db.close()
            raise
    except driver_errors(location) as exc:
        raise _failed(location, exc) from None
    return db


def _require_current_schema(db: Database) -> None:
    version = schema_version(db)
    if version == len(MIGRATIONS):
        return
    if version > len(MIGRATIONS):
        raise DatabaseError(
            f"the database {describe(db.location)} is at schema version {version}, newer than "
            f"this casescan ({len(MIGRATIONS)}); upgrade casescan on this machine."
        )
    raise DatabaseError(
        f"the database {describe(db.location)} is at schema version {version}, this casescan needs "
        f"{len(MIGRATIONS)}; run 'casescan db migrate' once (stop every 'casescan watch' first)."
    )


def migrate_database(location: Path | str) -> tuple[list[int], int]:
    """Create or upgrade the schema; returns the versions this call applied (none when another
    `db migrate` running at once applied them) and the version the schema is now at."""
    try:
        with _connect(location, readonly=False) as db:
            return _migrate(db)
    except driver_errors(location) as exc:
        raise _failed(location, exc) from None
