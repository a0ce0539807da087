"""The store on both engines: the same migrations, the same values back, one snapshot for an export,
and an operator's mistakes (no schema yet, a wrong URL, a server that is down) as one line."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from config.workspace import Workspace
from store.database import MIGRATIONS, DatabaseError, migrate_database, open_database, schema_version
from store.engines import POSTGRES, SQLITE, describe, to_postgres
from store.export import snapshot
from store.scans import ScanFile, claim, find_original, get_scan, mark_done
from tests.support.engines import both_engines

pytestmark = both_engines


def _file(name: str, sha: str, mtime: float = 1_733_011_200.123456) -> ScanFile:
    return ScanFile(
        source_file=name,
        sha256=sha,
        size=10,
        mtime=mtime,
        closed=True,
        location=None,
        seen_at="2026-12-01T00:00:00+00:00",
        mtime_ns=1_733_011_200_123_456_789,
    )


def test_every_migration_is_recorded_and_reopening_keeps_the_data(workspace: Workspace, database_engine: str) -> None:
    with open_database(workspace.database) as db:
        assert db.engine is (POSTGRES if database_engine == "postgresql" else SQLITE)
        with db.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    with open_database(workspace.database) as db:
        assert db.query("SELECT value FROM meta WHERE key = 'kept'")[0]["value"] == "yes"
        versions = [row[0] for row in db.query("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_ids_flags_and_exact_times_come_back_as_stored(workspace: Workspace) -> None:
    with open_database(workspace.database) as db:
        with db.transaction() as conn:
            first = claim(conn, _file("a.pdf", "aa"), None)
            second = claim(conn, _file("b.pdf", "bb", mtime=1_733_011_200.654321), None)
            mark_done(conn, first, 3, "a.pdf", 1.5)
        scan = get_scan(db, second)
        assert second == first + 1
        assert scan.mtime == 1_733_011_200.654321  # a 4-byte REAL would have kept 1733011200.0
        assert scan.mtime_ns == 1_733_011_200_123_456_789
        assert scan.closed is True and scan.state == "processing"
        row = db.query("SELECT * FROM scans WHERE id = ?", (second,))[0]
        assert row["closed"] == 1 and sorted(row.keys())[:3] == ["archived_path", "attempts", "closed"]
        with db.transaction() as conn:
            original = find_original(conn, "aa", None)
            assert original is not None and original.id == first
            assert find_original(conn, "aa", first) is None  # `id IS NOT ?` on both engines


def test_a_snapshot_does_not_see_what_is_committed_while_it_reads(workspace: Workspace) -> None:
    with open_database(workspace.database) as writer, open_database(workspace.database) as reader:
        with writer.transaction() as conn:
            claim(conn, _file("before.pdf", "11"), None)
        with snapshot(reader):
            assert reader.query("SELECT COUNT(*) FROM scans")[0][0] == 1
            with writer.transaction() as conn:
                claim(conn, _file("during.pdf", "22"), None)
            assert reader.query("SELECT COUNT(*) FROM scans")[0][0] == 1
        assert reader.query("SELECT COUNT(*) FROM scans")[0][0] == 2


def test_db_migrate_creates_then_finds_the_schema_up_to_date(
    workspace: Workspace, run_cli: Callable[..., Result]
) -> None:
    first = run_cli("db", "migrate")
    again = run_cli("db", "migrate")
    assert first.exit_code == 0 and again.exit_code == 0
    assert f"up to date (version {len(MIGRATIONS)})" in again.output
    assert "@" not in first.output + again.output  # never a URL's user or password


def test_a_postgresql_database_without_the_schema_names_the_command_that_makes_it(postgres_url: str) -> None:
    with pytest.raises(DatabaseError, match="run 'casescan db migrate'"):
        open_database(postgres_url)
    assert migrate_database(postgres_url) == (list(range(1, len(MIGRATIONS) + 1)), len(MIGRATIONS))
    assert migrate_database(postgres_url) == ([], len(MIGRATIONS))
    with open_database(postgres_url) as db:
        assert schema_version(db) == len(MIGRATIONS)


def test_machines_migrating_one_database_at_once_apply_each_migration_once(postgres_url: str) -> None:
    results: list[tuple[list[int], int]] = []
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            results.append(migrate_database(postgres_url))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=migrate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(after == len(MIGRATIONS) for _, after in results)
    # each says only what it applied itself: "upgraded from 0" and "from 2" both at once misled
    assert sorted(version for applied, _ in results for version in applied) == list(range(1, len(MIGRATIONS) + 1))
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version"
        ).fetchall()
    assert rows == [(version, 1) for version in range(1, len(MIGRATIONS) + 1)]


def test_a_newer_schema_than_this_casescan_refuses_to_start(postgres_url: str) -> None:
    migrate_database(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (%s, 'from the future', 'x')", (len(MIGRATIONS) + 1,))
    with pytest.raises(DatabaseError, match="newer than this casescan"):
        open_database(postgres_url)


@pytest.mark.parametrize("url", ["mysql://u:s3cret@h/db", "sqlite:///x.db", "casescan.db", "db.example/casescan"])
def test_a_url_for_another_database_is_refused_with_what_to_write(url: str) -> None:
    with pytest.raises(DatabaseError, match="postgresql://user@host/database") as raised:
        open_database(url)
    assert "s3cret" not in raised.value.message


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://casescan:s3cret@/casescan?host={tmp_path}&connect_timeout=2"
    with pytest.raises(DatabaseError) as raised:
        open_database(url)
    assert "s3cret" not in raised.value.message
    assert "cannot reach the PostgreSQL database" in raised.value.message
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")])
    result = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "status"], env={"CASESCAN_DATABASE_URL": url})
    assert result.exit_code != 0 and result.output.count("\n") == 1 and "s3cret" not in result.output


def test_the_sql_is_translated_outside_quotes_only() -> None:
    sql = "SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE 'a%' AND id IS NOT ? AND z = '50%?'"
    assert to_postgres(sql) == (
        "SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE 'a%%' AND id IS DISTINCT FROM %s AND z = '50%%?'"
    )
    assert to_postgres("CREATE TABLE t (id INTEGER PRIMARY KEY, at REAL)") == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at DOUBLE PRECISION)"
    )
    assert to_postgres("SELECT real_name FROM t") == "SELECT real_name FROM t"


def test_the_migrations_build_the_same_tables_and_columns_on_both_engines(tmp_path: Path, postgres_url: str) -> None:
    with open_database(tmp_path / "casescan.db") as db:
        tables = [row[0] for row in db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        on_sqlite = {table: [row["name"] for row in db.query(f"PRAGMA table_info({table})")] for table in tables}
    migrate_database(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        found = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        ).fetchall()
    on_postgres: dict[str, list[str]] = {}
    for table, column in found:
        on_postgres.setdefault(table, []).append(column)
    assert on_postgres == on_sqlite


@pytest.mark.parametrize(
    "url, said",
    [
        ("postgresql://casescan:secret@db.example:5433/cases", "postgresql://db.example:5433/cases"),
        ("postgresql://casescan@db.example/cases?sslmode=require", "postgresql://db.example/cases"),
        ("postgresql:///cases?host=/run/pg&port=5491", "postgresql:///cases?host=/run/pg&port=5491"),
        ("postgresql://casescan:secret@/cases?host=/tmp/sock", "postgresql:///cases?host=/tmp/sock"),
    ],
)
def test_a_database_is_named_without_its_password_and_a_socket_never_as_a_path(url: str, said: str) -> None:
    """Two servers on one socket folder and different ports looked the same, and the socket's folder
    read as part of the database's name."""
    assert describe(url) == said
