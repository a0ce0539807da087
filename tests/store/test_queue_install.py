"""`casescan db migrate` and the job queue's own schema (procrastinate's tables): installed once,
upgraded by procrastinate's own migration files, and a `watch` refuses a queue left behind."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import init_workspace
from store import claims
from store.database import DatabaseError, migrate_database, open_database
from tests.support.cluster import query
from watch.jobs import migrate_queue, queue_migrations

TRIGGER = "procrastinate_trigger_status_events_update_v1"


def test_three_migrations_at_once_install_the_job_queue_once(postgres_url: str) -> None:
    def migrate() -> list[str]:
        migrate_database(postgres_url)
        return migrate_queue(postgres_url)

    with ThreadPoolExecutor(3) as pool:
        done = list(pool.map(lambda _: migrate(), range(3)))
    assert sorted(len(steps) for steps in done) == [0, 0, 1]
    with open_database(postgres_url) as db:
        assert claims.queue_migration(db) == queue_migrations()[-1].name


def _migrate(root: Path, url: str) -> str:
    result = CliRunner().invoke(cli, ["-w", str(root), "db", "migrate"], env={"CASESCAN_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def test_db_migrate_applies_procrastinates_pending_migrations(postgres_url: str, tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws")
    _migrate(tmp_path / "ws", postgres_url)
    migrations = queue_migrations()
    # A queue one migration behind: its last file not applied yet (it re-creates a trigger).
    query(postgres_url, f"DROP TRIGGER {TRIGGER} ON procrastinate_jobs")
    with open_database(postgres_url) as db, db.transaction() as conn:
        claims.record_queue_migration(conn, migrations[-2].name)
    refused = CliRunner().invoke(
        cli, ["-w", str(tmp_path / "ws"), "watch"], env={"CASESCAN_DATABASE_URL": postgres_url}
    )
    assert refused.exit_code != 0 and "run 'casescan db migrate' once" in refused.output
    assert "Traceback" not in refused.output
    output = _migrate(tmp_path / "ws", postgres_url)
    assert f"job queue upgraded ({migrations[-1].name})" in output
    assert query(postgres_url, "SELECT 1 FROM pg_trigger WHERE tgname = %s", (TRIGGER,)) == [(1,)]
    assert "job queue" not in _migrate(tmp_path / "ws", postgres_url)  # again: nothing to do


def test_a_new_procrastinate_migration_is_applied_once_in_order(postgres_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in queue_migrations():
        shutil.copy(path, folder / path.name)
    migrate_database(postgres_url)
    assert migrate_queue(postgres_url, folder) == ["created (procrastinate's tables)"]
    (folder / "99.00.00_01_pre_add_a.sql").write_text("CREATE TABLE casescan_test_a (id int);", encoding="utf-8")
    (folder / "99.00.00_50_post_add_b.sql").write_text(
        "CREATE TABLE casescan_test_b (id int REFERENCES casescan_test_a_key (id));", encoding="utf-8"
    )
    (folder / "98.00.00_01_pre_key.sql").write_text(
        "CREATE TABLE casescan_test_a_key (id int PRIMARY KEY);", encoding="utf-8"
    )
    assert migrate_queue(postgres_url, folder) == [
        "upgraded (98.00.00_01_pre_key.sql)",
        "upgraded (99.00.00_01_pre_add_a.sql)",
        "upgraded (99.00.00_50_post_add_b.sql)",
    ]
    assert migrate_queue(postgres_url, folder) == []


def test_a_failing_migration_is_reported_in_one_line_and_tried_again(postgres_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in queue_migrations():
        shutil.copy(path, folder / path.name)
    migrate_database(postgres_url)
    migrate_queue(postgres_url, folder)
    (folder / "99.00.00_01_pre_broken.sql").write_text(
        "CREATE TABLE casescan_half (id int); SELEC 1;", encoding="utf-8"
    )
    with pytest.raises(DatabaseError, match=r"could not upgrade the job queue .*99\.00\.00_01_pre_broken\.sql"):
        migrate_queue(postgres_url, folder)
    assert query(postgres_url, "SELECT 1 FROM pg_tables WHERE tablename = 'casescan_half'") == []  # all or nothing
    (folder / "99.00.00_01_pre_broken.sql").write_text("CREATE TABLE casescan_half (id int);", encoding="utf-8")
    assert migrate_queue(postgres_url, folder) == ["upgraded (99.00.00_01_pre_broken.sql)"]
