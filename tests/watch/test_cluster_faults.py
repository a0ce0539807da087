"""Faults of one machine among several `casescan watch` processes on a real PostgreSQL: a worker
killed with files in hand, a worker or the discoverer frozen (SIGSTOP) and woken again, and the
decision fingerprint adopted elsewhere mid-run. Real processes, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.workspace import Workspace
from synthetic.people import Person
from tests.support.cluster import (
    all_through,
    busy_watch_pids,
    check_exactly_once,
    discoverer_pid,
    drop_files,
    family,
    make_workspace,
    query,
    signal_all,
    start,
    stop,
)
from tests.support.postgres import PostgresServer, server_down_for
from tests.support.scans import cover_pdf, cover_png
from tests.support.watch import files_under, wait_until

AREA = ".casescan-processing"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return tmp_path / "template.csv"


def quick_sweeps(root: Path) -> None:
    """Sweeps (and so the tidying of dead workers' files) every two seconds instead of thirty."""
    toml = root / "casescan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("rescan_seconds = 30.0", "rescan_seconds = 2.0"))


def held_files(root: Path) -> list[str]:
    return files_under(root / AREA) if (root / AREA).is_dir() else []


def busy_worker(ws: Workspace, url: str) -> int:
    """A `casescan watch` with a file in hand that is not the discoverer."""
    found = wait_until(lambda: sorted(busy_watch_pids(ws) - {discoverer_pid(url)}), timeout=90, every=0.02)
    return found[0]


def clean(log: str) -> None:
    assert "Traceback" not in log and "never retrieved" not in log, log
    assert "event=worker-died" not in log, log  # no worker process died in these tests


def beating(url: str, within: float) -> int:
    """Workers whose heartbeat is younger than `within` seconds."""
    return int(
        query(
            url,
            "SELECT COUNT(*) FROM procrastinate_workers WHERE last_heartbeat > now() - make_interval(secs => %s)",
            (within,),
        )[0][0]
    )


def counted_against(url: str) -> list[tuple[str, int, str | None]]:
    """Files with a worker's death counted against them, or quarantined as killing their worker."""
    return [
        (str(source), int(attempts), kind)
        for source, attempts, kind in query(url, "SELECT source_file, attempts, error_kind FROM scans ORDER BY id")
        if attempts > 0 or kind == "failed"
    ]


def test_a_killed_workers_held_files_are_tidied_and_nothing_is_lost(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    quick_sweeps(ws.root)
    processes = {p.pid: p for p in (start(ws.root, postgres_url) for _ in range(2))}
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        dropped = drop_files(ws.inbox, people)
        victim = busy_worker(ws, postgres_url)
        signal_all(family(victim), signal.SIGKILL)  # mid-file: its private link stays behind
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
        wait_until(lambda: held_files(ws.root) == [], timeout=60, every=0.3)
    finally:
        errors = stop(list(processes.values()))
    assert held_files(ws.root) == []
    check_exactly_once(ws, postgres_url, dropped)
    for pid, log in zip(processes, errors, strict=True):
        if pid != victim:
            clean(log)


def test_a_worker_frozen_while_its_job_is_handed_on_logs_one_line_and_no_traceback(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = {p.pid: p for p in (start(ws.root, postgres_url) for _ in range(2))}
    pids: list[int] = []
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        dropped = drop_files(ws.inbox, people)
        frozen = busy_worker(ws, postgres_url)
        pids.extend(family(frozen))
        signal_all(pids, signal.SIGSTOP)
        wait_until(lambda: files_under(ws.inbox) == [], timeout=120, every=0.3)  # the other did its files
        signal_all(pids, signal.SIGCONT)
        wait_until(lambda: all_through(postgres_url, ws.inbox) and held_files(ws.root) == [], timeout=60, every=0.3)
    finally:
        signal_all(pids, signal.SIGCONT)  # never leave a stopped process behind, the test failed or not
        errors = stop(list(processes.values()))
    assert all(process.returncode == 0 for process in processes.values()), errors
    for log in errors:
        clean(log)
    frozen_log = errors[list(processes).index(frozen)]
    assert "event=job-lost" in frozen_log or "event=job-handed-on" in frozen_log, frozen_log
    check_exactly_once(ws, postgres_url, dropped)


def test_a_frozen_discoverer_loses_its_lock_and_steps_down_when_woken(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = {p.pid: p for p in (start(ws.root, postgres_url) for _ in range(2))}
    pids: list[int] = []
    try:
        frozen = wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        assert frozen is not None
        pids.extend(family(frozen))
        signal_all(pids, signal.SIGSTOP)
        dropped = drop_files(ws.inbox, people)  # arriving while the discoverer is frozen
        taken_over = wait_until(lambda: discoverer_pid(postgres_url) not in (None, frozen), timeout=60)
        assert taken_over
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
        signal_all(pids, signal.SIGCONT)
        wait_until(lambda: "event=discoverer-stop" in _stderr_so_far(processes[frozen]), timeout=30, every=0.3)
        assert discoverer_pid(postgres_url) not in (None, frozen)
    finally:
        signal_all(pids, signal.SIGCONT)
        errors = stop(list(processes.values()))
    assert all(process.returncode == 0 for process in processes.values()), errors
    frozen_log = _seen[frozen] + errors[list(processes).index(frozen)]
    for log in errors:
        clean(log)
    assert frozen_log.count("event=discoverer-stop") == 1, frozen_log
    assert "reason=lock-lost" in frozen_log
    assert "state=gone" not in "".join(errors)  # nothing queued twice: no job found its file gone
    check_exactly_once(ws, postgres_url, dropped)


_seen: dict[int, str] = {}


def _stderr_so_far(process: subprocess.Popen[bytes]) -> str:
    """What a running process wrote to stderr until now (read without blocking)."""
    assert process.stderr is not None
    os.set_blocking(process.stderr.fileno(), False)
    chunk = process.stderr.read() or b""
    _seen[process.pid] = _seen.get(process.pid, "") + chunk.decode(errors="replace")
    return _seen[process.pid]


def test_workers_stop_when_another_fingerprint_is_adopted_mid_run(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url) for _ in range(2)]
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        dropped = drop_files(ws.inbox, people)
        wait_until(lambda: busy_watch_pids(ws), timeout=90, every=0.02)
        toml = ws.root / "casescan.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + "\n[linking]\nmargin = 0.2\n", encoding="utf-8")
        adopted = subprocess.run(  # a third process, as an operator on another machine would
            [
                sys.executable,
                "-c",
                "from cli.main import main; main()",
                "-w",
                str(ws.root),
                "db",
                "fingerprint",
                "--adopt",
            ],
            env={**os.environ, "CASESCAN_DATABASE_URL": postgres_url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert adopted.returncode == 0, adopted.stderr
        for process in processes:
            process.wait(timeout=120)
    finally:
        errors = stop(processes)
    for process, log in zip(processes, errors, strict=True):
        assert process.returncode != 0, log
        clean(log)  # the refusal crossing back from a worker process was taken for a worker's death
        assert "decision fingerprint changed while this 'casescan watch' ran" in log, log
        assert "linking.margin is 0.15 here but 0.2 in the database" in log
    matching = start(ws.root, postgres_url)  # a machine with the adopted settings does the rest
    try:
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
    finally:
        (log,) = stop([matching])
    clean(log)
    check_exactly_once(ws, postgres_url, dropped)
    assert query(postgres_url, "SELECT COUNT(*) FROM procrastinate_jobs WHERE status <> 'succeeded'")[0][0] == 0
    assert counted_against(postgres_url) == []  # files handed back for a change of settings are not at fault


def test_every_worker_keeps_its_heartbeat_through_a_database_outage(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    """A worker whose heartbeat died in the outage went on taking jobs the discoverer handed on as
    stalled, until good scans were quarantined as having killed their worker three times."""
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url) for _ in range(2)]
    try:
        wait_until(lambda: beating(postgres_url, 2.0) == 2, timeout=60)
        dropped = drop_files(ws.inbox, people)
        wait_until(lambda: busy_watch_pids(ws), timeout=90, every=0.02)
        server_down_for(postgres_server, 6.0)  # longer than stalled_seconds: every call fails meanwhile
        later = drop_files(ws.inbox / "after", people)
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=180, every=0.3)
        assert wait_until(lambda: beating(postgres_url, 2.0) == 2, timeout=30, every=0.3)
        time.sleep(3.0)
        assert beating(postgres_url, 2.0) == 2, "a worker's heartbeat stopped after the outage"
    finally:
        errors = stop(processes)
    assert all(process.returncode == 0 for process in processes), errors
    for log in errors:
        assert "Traceback" not in log, log
    check_exactly_once(ws, postgres_url, dropped + [f"after/{name}" for name in later])
    assert counted_against(postgres_url) == []


def test_a_file_in_hand_through_three_outages_is_never_counted_against(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    """Each outage made its worker start the file again, each start counted, and the third outage
    quarantined a good file as having killed its worker three times, no worker having died."""
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url)]
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        cover_pdf(people * 2, ws.inbox / "long batch.pdf")
        for _ in range(3):
            wait_until(lambda: query(postgres_url, "SELECT 1 FROM scans WHERE state = 'processing'"), timeout=90)
            server_down_for(postgres_server, 5.0)
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=180, every=0.3)
    finally:
        errors = stop(processes)
    assert query(postgres_url, "SELECT source_file, state, attempts FROM scans") == [("long batch.pdf", "done", 0)]
    assert "Traceback" not in errors[0], errors[0]


def test_a_worker_process_that_dies_with_a_file_counts_against_it(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    """A death the machine's service lives to see (the kernel's OOM killer, a crash in a decoder)."""
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url)]
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        cover_pdf(people, ws.inbox / "batch.pdf")
        claimed = "SELECT 1 FROM scans WHERE state = 'processing'"
        wait_until(lambda: query(postgres_url, claimed) and held_files(ws.root), timeout=90, every=0.02)
        holder = int(Path(held_files(ws.root)[0]).name.split("-")[0])
        os.kill(holder, signal.SIGKILL)  # the worker process, not its service
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
        # what the dead process held is settled by its own service, whose heartbeat never stopped
        assert wait_until(lambda: held_files(ws.root) == [], timeout=30, every=0.3)
    finally:
        (log,) = stop(processes)
    assert "event=worker-died" in log
    assert query(postgres_url, "SELECT source_file, state, attempts FROM scans") == [("batch.pdf", "done", 1)]


def test_a_worker_keeps_beating_after_its_heartbeat_once_fails(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    """procrastinate's heartbeat stops for good at its first failed update (after a long outage the
    pool gives up waiting for a connection): the worker must beat again once the database answers."""
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url)]
    heartbeat = "procrastinate_update_heartbeat_v1"
    try:
        assert wait_until(lambda: beating(postgres_url, 2.0) == 1, timeout=60)
        query(postgres_url, f"ALTER FUNCTION {heartbeat}(bigint) RENAME TO {heartbeat}_away")
        assert wait_until(lambda: beating(postgres_url, 2.0) == 0, timeout=30, every=0.3)
        query(postgres_url, f"ALTER FUNCTION {heartbeat}_away(bigint) RENAME TO {heartbeat}")
        assert wait_until(lambda: beating(postgres_url, 2.0) == 1, timeout=30, every=0.3)
    finally:
        (log,) = stop(processes)
    assert "event=heartbeat-failed action=retry" in log
    assert "Traceback" not in log, log


def test_a_file_name_in_no_encoding_is_queued_beside_the_others(
    postgres_url: str, tmp_path: Path, people: list[Person], template: Path
) -> None:
    """One name that is not UTF-8 made every queueing of the discoverer's rounds fail: nothing was
    queued at all while it lay in the inbox."""
    ws = make_workspace(tmp_path / "pg", people, template, postgres_url)
    processes = [start(ws.root, postgres_url) for _ in range(2)]
    try:
        wait_until(lambda: discoverer_pid(postgres_url), timeout=60)
        cover_png(people[9], ws.inbox / "x.png")
        os.rename(os.fsencode(ws.inbox / "x.png"), os.fsencode(ws.inbox) + b"/caf\xe9 latin1.png")
        (ws.inbox / "hex:6162.png").write_bytes(b"")  # a name that looks like an encoded one
        dropped = [*drop_files(ws.inbox, people)]
        wait_until(lambda: all_through(postgres_url, ws.inbox), timeout=120, every=0.3)
    finally:
        errors = stop(processes)
    for log in errors:
        clean(log)
        assert "queue-unreachable" not in log, log
    check_exactly_once(ws, postgres_url, dropped)
    assert "caf\\xe9 latin1.png" in files_under(ws.archive)  # named as the single service names it
