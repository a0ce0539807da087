"""The two engines a workspace's state can live in, and everything that differs between them.

The store's SQL is written once, in SQLite's dialect where the two agree (`?` placeholders,
`INTEGER PRIMARY KEY`, `REAL`, `id IS NOT ?`). For PostgreSQL one translation here turns it into
PostgreSQL's: placeholders into psycopg's `%s`, `INTEGER` into `BIGINT` (SQLite's are eight bytes),
an `INTEGER PRIMARY KEY` into an identity column, `REAL` (four bytes in PostgreSQL, too coarse for a
file's modification time) into `DOUBLE PRECISION`,
`IS NOT ?` into `IS DISTINCT FROM`. Rows come back indexable by position and by column name on both.
psycopg is imported only when a PostgreSQL URL is configured: SQLite needs no extra dependency.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from config.errors import CasescanError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# Any constant will do; it only has to be the same for every casescan that migrates one database.
MIGRATION_LOCK_KEY = 0x63617365


class DatabaseError(CasescanError):
    """The workspace database cannot be opened, reached, or is from another casescan version."""


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the store needs of a connection; sqlite3's, and `PostgresConnection` below."""

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...

    def close(self) -> None: ...


class Row(Protocol):
    """A result row: `row[0]` and `row["column"]` both work, on both engines."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> list[str]: ...


@dataclass(frozen=True)
class Engine:
    """The statements that differ between the engines, named for what they are for."""

    name: str
    begin_write: str  # a transaction that will write
    begin_snapshot: str  # a read-only transaction that sees one moment while others write
    lock_schema: str | None  # taken inside a migration's transaction so two machines never migrate at once
    table_exists: str  # one parameter, the table's name; a row when it exists


SQLITE = Engine(
    name="SQLite",
    # Holds the write lock from the start, so two writers queue instead of failing half-way.
    begin_write="BEGIN IMMEDIATE",
    # A WAL read transaction sees the database as of its first read.
    begin_snapshot="BEGIN",
    lock_schema=None,
    table_exists="SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
)
POSTGRES = Engine(
    name="PostgreSQL",
    begin_write="BEGIN",
    begin_snapshot="BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    lock_schema=f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})",
    table_exists="SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?",
)


def is_postgres(location: Path | str) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


URL_SETTING = "[database] url (or CASESCAN_DATABASE_URL)"


class MalformedUrl(DatabaseError):
    """The URL cannot be read; its text is never quoted, since it may carry a password."""

    def __init__(self) -> None:
        super().__init__(
            f"{URL_SETTING} is not a valid PostgreSQL URL (a bad port or host, or a stray '%' that is "
            "not %XX); write 'postgresql://user:password@host:port/database', with '%25' for a '%' "
            "in the password."
        )


def describe(location: Path | str) -> str:
    """The database's place for a message, without the password a URL may carry."""
    if isinstance(location, Path):
        return str(location)
    if not is_postgres(location):
        return URL_SETTING
    try:
        parts = urlsplit(location)
        query = parse_qs(parts.query)
        host = parts.hostname or query.get("host", [""])[0]
        port = str(parts.port or query.get("port", [""])[0])
    except ValueError:  # a bad port or host: `check_url` refuses it before any connection
        return URL_SETTING
    if host.startswith("/"):  # a unix socket's folder, said as libpq reads it: never as a database's path
        return f"{parts.scheme}://{parts.path}?host={host}" + (f"&port={port}" if port else "")
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "") + parts.path


def check_url(url: str) -> None:
    """Refuse, in one line, a URL libpq could not read (before its message quotes the password)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        urlsplit(url).port  # noqa: B018 -- reading it checks the host and the port
        conninfo_to_dict(url)
    except Exception:  # psycopg's ProgrammingError quoting the text that failed
        raise MalformedUrl() from None


def one_line(error: BaseException) -> str:
    """A driver's message (libpq's span several lines) as one line."""
    return " ".join(str(error).split())


def without_secrets(message: str, url: str) -> str:
    """A driver's message with the URL's password (as written and decoded) blanked out."""
    secrets = {urlsplit(url).password or "", *parse_qs(urlsplit(url).query).get("password", [])}
    for secret in sorted(secrets - {""}, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message


def connect_sqlite(path: Path, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


_DDL = (
    (re.compile(r"\bINTEGER\b"), "BIGINT"),  # SQLite's integers are 8 bytes (a modification time in ns)
    (re.compile(r"\bBIGINT PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
)
_SCHEMA_CHANGE = re.compile(r"^\s*(CREATE|ALTER)\s+TABLE\b", re.IGNORECASE)


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """The store's SQL in PostgreSQL's dialect; text inside quotes is left as written."""
    if _SCHEMA_CHANGE.match(sql):
        for pattern, replacement in _DDL:
            sql = pattern.sub(replacement, sql)
    parts = re.split(r"('(?:[^']|'')*'|\"[^\"]*\")", sql)
    for index in range(0, len(parts), 2):  # even parts lie outside quotes
        code = parts[index].replace("%", "%%")
        code = re.sub(r"\bIS NOT \?", "IS DISTINCT FROM ?", code)
        parts[index] = code.replace("?", "%s")
    for index in range(1, len(parts), 2):
        parts[index] = parts[index].replace("%", "%%")
    return "".join(parts)


class PostgresRow(tuple):
    """A row like sqlite3.Row: by position, by column name, and `keys()`."""

    _names: tuple[str, ...]
    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    names = tuple(column.name for column in cursor.description or ())
    index = {name: position for position, name in enumerate(names)}

    def make(values: Sequence[Any]) -> PostgresRow:
        row = PostgresRow(values)
        row._names, row._index = names, index
        return row

    return make


class PostgresConnection:
    """A psycopg connection that speaks the store's SQL: autocommit, with the store's own BEGIN/COMMIT."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = (), /) -> Any:
        return self._connection.execute(to_postgres(sql), parameters)

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        cursor = self._connection.cursor()
        cursor.executemany(to_postgres(sql), parameters)
        return cursor

    def close(self) -> None:
        self._connection.close()


def run_script(conn: Connection, sql: str) -> None:
    """Run a file of PostgreSQL as written (several statements, no parameters, no translation):
    procrastinate's schema and migrations."""
    if not isinstance(conn, PostgresConnection):
        raise TypeError("a PostgreSQL script needs a PostgreSQL connection")
    conn._connection.execute(sql)


def connect_postgres(url: str, readonly: bool) -> PostgresConnection:
    try:
        import psycopg
        from psycopg.adapt import Dumper
    except ImportError:
        raise DatabaseError(
            "[database] url names a PostgreSQL database, but its driver is not installed: "
            "pip install 'casescan[postgres]'."
        ) from None

    class IntegerFlag(Dumper):
        """True/False as 1/0: the schema keeps flags in INTEGER columns on both engines."""

        oid = psycopg.adapters.types["int8"].oid

        def dump(self, obj: bool) -> bytes:
            return b"1" if obj else b"0"

    check_url(url)
    try:
        conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=30)
    except psycopg.Error as exc:
        raise DatabaseError(
            f"cannot reach the PostgreSQL database {describe(url)} ({without_secrets(one_line(exc), url)}); "
            "check [database] url (or CASESCAN_DATABASE_URL) and that the server is running."
        ) from None
    conn.adapters.register_dumper(bool, IntegerFlag)
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return PostgresConnection(conn)


def driver_errors(location: Path | str) -> tuple[type[Exception], ...]:
    """The exceptions that mean 'the database failed', for the engine in use."""
    if not is_postgres(location):
        return (sqlite3.DatabaseError,)
    try:
        import psycopg
    except ImportError:
        return ()

    return (
        psycopg.OperationalError,
        psycopg.errors.IdleInTransactionSessionTimeout,  # the session ended under a frozen process
        psycopg.errors.UndefinedTable,
        psycopg.errors.InvalidSchemaName,
    )


def advisory_lock(key: int, *, until: str, wait: bool, shared: bool = False) -> str:
    """PostgreSQL's advisory lock on `key`, held `until` the end of the 'session' (released by the
    server when the connection dies, a process killed with it) or of the 'transaction'; `shared`
    holders exclude only an exclusive one. One row: True when taken (always, when `wait`)."""
    scope = {"session": "", "transaction": "_xact"}[until]
    kind = "_shared" if shared else ""
    return f"SELECT pg_{'' if wait else 'try_'}advisory{scope}_lock{kind}({int(key)})" + (" IS NULL" if wait else "")


IDLE_SESSION_TIMEOUT_SINCE = 140000  # server_version_num of PostgreSQL 14


def end_idle_sessions(server_version: int, seconds: float) -> str | None:
    """The setting that has the server end this session after `seconds` without a statement (its
    session locks freed with it); None before PostgreSQL 14, which has no such setting."""
    if server_version < IDLE_SESSION_TIMEOUT_SINCE:
        return None
    return f"SET idle_session_timeout = {max(1, round(seconds * 1000))}"


def end_idle_transactions(seconds: float) -> str:
    """The setting that has the server end this session when a transaction waits `seconds` for its
    next statement: a process frozen mid-commit (SIGSTOP, a suspended VM) then frees the locks it
    holds instead of stopping every other machine's commits (PostgreSQL 9.6 and later)."""
    return f"SET idle_in_transaction_session_timeout = {max(1, round(seconds * 1000))}"
