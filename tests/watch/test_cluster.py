"""Several `casescan watch` processes on one inbox and one real PostgreSQL: every file exactly once,
the same decisions as one process on SQLite, through `kill -9` of a worker and of the discoverer and
a restart of the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import Workspace
from scanner.tesseract import check_tesseract
from store.database import open_database
from store.fingerprint import replace_fingerprint
from synthetic.people import Person
from tests.support.cluster import (
    all_through,
    busy_watch_pids,
    check_exactly_once,
    discoverer_pid,
    drop_files,
    make_workspace,
    outcome,
    query,
    start,
    stop,
)
from tests.support.postgres import PostgresServer, restart_server
from tests.support.watch import files_under, wait_until, watch_once
from watch.fingerprint import machine_fingerprint


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return tmp_path / "template.csv"


@pytest.fixture
def single_run(tmp_path: Path, people: list[Person], template: Path) -> tuple[Workspace, list[str]]:
    """The same files through one `casescan watch --once` on SQLite: the decisions to match."""
    ws = make_workspace(tmp_path / "sqlite", people, template, None)
    dropped = drop_files(ws.inbox, people)
    time.sleep(2.5)  # older than grace_seconds: the empty file is decided at once
    watch_once(ws)
    assert files_under(ws.inbox) == []
    return ws, dropped


def test_two_workers_share_one_inbox_and_decide_as_one_process_does(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path, single_run: tuple[Workspace, list[str]]
) -> None:
    sqlite_ws, _ = single_run
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url) for _ in range(2)]
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        dropped = drop_files(ws.inbox, people)
        beside = CliRunner().invoke(
            cli, ["-w", str(ws.root), "watch", "--once"], env={"CASESCAN_DATABASE_URL": postgres_url}
        )
        assert beside.exit_code != 0 and "Stop them before 'casescan watch --once'" in beside.output
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
    finally:
        errors = stop(processes)
    assert all(process.returncode == 0 for process in processes), errors
    check_exactly_once(ws, postgres_url, dropped)
    assert outcome(postgres_url) == outcome(Path(sqlite_ws.database))
    worked = query(postgres_url, "SELECT COUNT(*) FROM procrastinate_jobs WHERE status <> 'succeeded'")[0][0]
    assert worked == 0


def test_kill_9_of_a_worker_and_the_discoverer_and_a_database_restart_lose_nothing(
    postgres_server: PostgresServer,
    postgres_url: str,
    tmp_path: Path,
    people: list[Person],
    template: Path,
    single_run: tuple[Workspace, list[str]],
) -> None:
    sqlite_ws, _ = single_run
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = {}
    for _ in range(3):
        process = start(ws.root, postgres_url)
        processes[process.pid] = process
    try:
        first = wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        dropped = drop_files(ws.inbox, people)
        victim = wait_until(
            lambda: sorted(busy_watch_pids(ws) - {first}) or sorted(busy_watch_pids(ws)), timeout=60, every=0.02
        )
        os.kill(victim[0], signal.SIGKILL)  # mid-file
        discoverer = wait_until(
            lambda: discoverer_pid(postgres_url) not in (None, victim[0]) and discoverer_pid(postgres_url), timeout=60
        )
        assert isinstance(discoverer, int)
        os.kill(discoverer, signal.SIGKILL)
        restart_server(postgres_server)
        killed = {victim[0], discoverer}
        assert wait_until(lambda: discoverer_pid(postgres_url) not in (None, *killed), timeout=60)
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
    finally:
        errors = stop(list(processes.values()))
    survivors = [p for pid, p in processes.items() if pid not in killed]
    assert survivors and all(process.returncode == 0 for process in survivors), errors
    check_exactly_once(ws, postgres_url, dropped)
    assert outcome(postgres_url) == outcome(Path(sqlite_ws.database))


@pytest.mark.parametrize(
    "handed_on",
    [
        "attempts = attempts + 1",  # handed on and already fetched again by another worker
        "status = 'todo', attempts = attempts + 1",  # handed on, waiting for a worker
        "worker_id = NULL",  # its worker was pruned as dead
        "status = 'failed'",
    ],
)
def test_a_worker_that_lost_its_job_records_nothing(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path, handed_on: str
) -> None:
    """The fence: a commit whose job was handed to another worker meanwhile is refused."""
    from store import claims, scans
    from store.database import open_database

    make_workspace(tmp_path / "pg", people, template, postgres_url)
    with open_database(postgres_url) as db:
        worker = query(postgres_url, "INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id")[0][0]
        job = query(
            postgres_url,
            "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, args, status, "
            "worker_id) VALUES ('q', 't', 'a.pdf', '{}', 'doing', %s) RETURNING id",
            (worker,),
        )[0][0]
        ours = claims.JobToken(job, worker, 0)
        file = scans.ScanFile("a.pdf", "aa", 1, 1.0, False, None, "2026-12-01T00:00:00+00:00", 1)
        with db.transaction() as conn:
            claims.fence(conn, ours)
            scan_id = scans.claim(conn, file, None)
        query(postgres_url, f"UPDATE procrastinate_jobs SET {handed_on} WHERE id = %s", (job,))
        with pytest.raises(claims.JobLost), db.transaction() as conn:
            claims.fence(conn, ours)
            scans.mark_done(conn, scan_id, 1, "a.pdf", 0.1)
        assert scans.get_scan(db, scan_id).state == "processing"


def test_watch_without_the_job_queue_says_to_migrate(postgres_url: str, tmp_path: Path) -> None:
    from config.workspace import init_workspace
    from store.database import migrate_database

    init_workspace(tmp_path / "ws")
    migrate_database(postgres_url)  # the schema, but not (yet) the job queue: an upgrade half done
    result = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "watch"], env={"CASESCAN_DATABASE_URL": postgres_url})
    assert result.exit_code != 0
    assert "has no job queue yet; run 'casescan db migrate' once." in result.output
    assert "Traceback" not in result.output and "password" not in result.output


def test_a_worker_whose_decisions_would_differ_refuses_to_join(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    ws = make_workspace(tmp_path / "ws", people, template, postgres_url)
    here = machine_fingerprint(ws.settings, check_tesseract())
    with open_database(postgres_url) as db:
        replace_fingerprint(db, {**here, "linking.margin": "0.3"})
    environ = {**os.environ, "CASESCAN_DATABASE_URL": postgres_url}
    done = subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(ws.root), "watch"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "would decide differently from the others" in done.stderr + done.stdout
    assert "linking.margin is 0.15 here but 0.3 in the database" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
