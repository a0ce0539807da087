"""A cluster `casescan watch` never starts beside a process working outside the job queue: a
`watch --once` on the same PostgreSQL database, or a single service holding the workspace."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import Workspace, find_workspace, init_workspace
from store import claims
from store.database import Database, migrate_database, open_database
from synthetic.people import Person
from tests.support.cluster import discoverer_pid, make_workspace, query, start, stop
from tests.support.watch import wait_until
from watch.guard import WorkspaceLock


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    init_workspace(tmp_path / "ws")
    return find_workspace(tmp_path / "ws", environ={})


def watch(ws: Workspace, url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "watch", *args], env={"CASESCAN_DATABASE_URL": url})
    return result.exit_code, result.output


def test_a_cluster_watch_refuses_beside_a_watch_once_on_the_database(ws: Workspace, postgres_url: str) -> None:
    migrate_database(postgres_url)
    with open_database(postgres_url) as once:
        assert claims.take_single_service_lock(once)  # what a running 'watch --once' holds
        code, output = watch(ws, postgres_url)
        assert code != 0 and output.count("\n") == 1 and "Traceback" not in output
        assert "'casescan watch --once' is working on" in output
        code, output = watch(ws, postgres_url, "--once")
        assert code != 0 and "another 'casescan watch --once' is already running" in output
    with open_database(postgres_url) as db:  # gone with its connection: the cluster may start
        assert not claims.single_service_running(db)


def test_a_finished_watch_once_leaves_the_database_to_the_cluster(ws: Workspace, postgres_url: str) -> None:
    CliRunner().invoke(cli, ["-w", str(ws.root), "db", "migrate"], env={"CASESCAN_DATABASE_URL": postgres_url})
    code, output = watch(ws, postgres_url, "--once")
    assert code == 0, output
    with open_database(postgres_url) as db:
        assert not claims.single_service_running(db)


def test_a_cluster_watch_refuses_a_workspace_held_by_a_single_service(ws: Workspace, postgres_url: str) -> None:
    migrate_database(postgres_url)
    with WorkspaceLock(ws):  # a 'casescan watch' on the workspace's own SQLite file
        code, output = watch(ws, postgres_url)
    assert code != 0 and output.count("\n") == 1 and "Traceback" not in output
    assert "is already running on" in output


def test_cluster_watches_share_a_workspace_but_keep_the_single_service_out(ws: Workspace) -> None:
    with WorkspaceLock(ws, shared=True), WorkspaceLock(ws, shared=True):
        code, output = watch(ws, "")
    assert code != 0 and "is already running on" in output


@pytest.mark.parametrize("first", [0.05, 0.3, 1.0])
def test_tries_during_an_outage_back_off_up_to_ten_seconds(first: float) -> None:
    from watch.jobs import LONGEST_RETRY, retry_delay

    delays = [retry_delay(failures, first) for failures in range(200)]
    assert delays[0] == first  # all well: the ordinary poll
    assert all(later >= earlier for earlier, later in pairwise(delays))
    assert delays[-1] == LONGEST_RETRY == 10.0 and max(delays) == LONGEST_RETRY
    assert sum(1 for delay in delays[1:] if delay < LONGEST_RETRY) < 10  # at most a few quick tries


def test_export_on_postgresql_gives_advice_that_works_beside_the_workers(
    postgres_url: str, tmp_path: Path, people: list[Person]
) -> None:
    ws = make_workspace(tmp_path / "pg", people, tmp_path / "template.csv", postgres_url)
    (ws.inbox / "Team A").mkdir(parents=True)
    (ws.inbox / "Team A" / "late.pdf").write_bytes(b"%PDF-1.4 not yet processed")
    env = {"CASESCAN_DATABASE_URL": postgres_url}

    def inbox_detail(out: str) -> str:
        CliRunner().invoke(cli, ["-w", str(ws.root), "export", "--out", str(tmp_path / out)], env=env)
        report = json.loads((tmp_path / out / "reconciliation.json").read_text(encoding="utf-8"))
        return next(str(check["detail"]) for check in report["checks"] if check["name"] == "inbox_processed")

    idle = inbox_detail("idle")
    assert "Team A/late.pdf" in idle and "start 'casescan watch'" in idle
    query(postgres_url, "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (NOW())")
    busy = inbox_detail("busy")
    assert "Team A/late.pdf" in busy and "--once" not in busy and "worker(s) will process them" in busy


def test_watch_once_refuses_beside_a_worker_that_has_sent_no_heartbeat_yet(
    ws: Workspace, postgres_url: str, tmp_path: Path, people: list[Person]
) -> None:
    """Another machine's `watch --once` (its own view of the workspace) while a cluster `watch` is
    connected but not (yet, or no longer) in the job queue's list of live workers."""
    cluster_ws = make_workspace(tmp_path / "pg", people, tmp_path / "template.csv", postgres_url)
    process = start(cluster_ws.root, postgres_url)
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        query(postgres_url, "DELETE FROM procrastinate_workers")  # as before its first heartbeat
        code, output = watch(ws, postgres_url, "--once")
        assert process.poll() is None
    finally:
        stop([process])
    assert code != 0 and output.count("\n") == 1 and "Traceback" not in output, output
    # Under load the worker's next heartbeat may land between the DELETE and the check; the
    # refusal then counts it ("1 'casescan watch' worker(s) are running on"). Either way: refused.
    assert "'casescan watch' worker" in output and "are running on" in output, output


@pytest.mark.parametrize(
    ("version", "seconds", "expected"), [(130012, 60.0, None), (140000, 60.0, 60000), (150004, 0.0001, 1)]
)
def test_the_discoverers_session_ends_when_idle_on_servers_that_can(
    version: int, seconds: float, expected: int | None
) -> None:
    from store.engines import end_idle_sessions

    statement = end_idle_sessions(version, seconds)
    assert statement == (None if expected is None else f"SET idle_session_timeout = {expected}")


def test_a_discoverer_session_left_idle_is_ended_and_its_lock_freed(postgres_url: str) -> None:
    migrate_database(postgres_url)
    with open_database(postgres_url) as frozen, open_database(postgres_url) as other:
        assert claims.end_when_idle(frozen, 0.2) and claims.take_discoverer_lock(frozen)
        assert claims.holds_discoverer_lock(frozen)
        assert not claims.take_discoverer_lock(other)
        wait_until(lambda: claims.take_discoverer_lock(other), timeout=30, every=0.1)
        with pytest.raises(psycopg.OperationalError):
            claims.holds_discoverer_lock(frozen)


def test_a_worker_frozen_mid_commit_frees_the_commit_turn_for_the_others(postgres_url: str) -> None:
    """A worker stopped (SIGSTOP, a suspended VM) inside a fenced commit held the commit lock for
    as long as it slept, and every other machine's commits waited behind it."""
    from store.engines import advisory_lock, driver_errors

    migrate_database(postgres_url)
    take = advisory_lock(claims.COMMIT_LOCK_KEY, until="transaction", wait=False)
    with open_database(postgres_url) as frozen, open_database(postgres_url) as other:
        claims.end_when_stuck_in_transaction(frozen, 0.3)
        with pytest.raises(driver_errors(postgres_url)), frozen.transaction() as conn:
            assert conn.execute(take).fetchone()[0]
            with other.transaction() as theirs:
                assert not theirs.execute(take).fetchone()[0]
            wait_until(lambda: _commit_turn(other, take), timeout=30, every=0.1)


def _commit_turn(db: Database, statement: str) -> bool:
    with db.transaction() as conn:
        return bool(conn.execute(statement).fetchone()[0])
