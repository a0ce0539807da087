"""Helpers for the tests of several `casescan watch` processes on one inbox and one PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from click.testing import CliRunner

from catalogue.importer import import_template
from cli.main import cli
from config.workspace import Workspace, find_workspace, init_workspace
from store.claims import DISCOVERER_LOCK_KEY
from synthetic.people import Person
from synthetic.template import write_template
from tests.support.scans import cover_pdf, cover_png
from tests.support.watch import FAST_WATCH, files_under

REASON = ".reason.txt"

CLUSTER = """
[database]
heartbeat_seconds = 0.5
stalled_seconds = 4.0
"""


def make_workspace(root: Path, people: list[Person], template: Path, url: str | None) -> Workspace:
    init_workspace(root)
    (root / "casescan.toml").write_text(FAST_WATCH.replace("workers = 2", "workers = 1") + CLUSTER, encoding="utf-8")
    environ = {"CASESCAN_DATABASE_URL": url} if url else {}
    if url:  # as an operator would: the schema, then the job queue's tables, once
        for _ in range(2):
            result = CliRunner().invoke(cli, ["-w", str(root), "db", "migrate"], env=environ, catch_exceptions=False)
            assert result.exit_code == 0, result.output
        assert "job queue created" not in result.output, "a second migrate changes nothing"
    workspace = find_workspace(root, environ=environ)
    import_template(workspace, write_template(people, template))
    return workspace


def drop_files(inbox: Path, people: list[Person]) -> list[str]:
    """A few small scans of each kind the decisions differ on: covers, a batch, a closed sheet, the
    same bytes twice, an empty and a cut file."""
    cover_pdf(people[0:2], inbox / "batch.pdf")
    for number, person in enumerate(people[2:7]):
        cover_png(person, inbox / f"Team A/cover {number}.png")
    cover_png(people[7], inbox / "closed/House/Box 1/front.png")
    (inbox / "again.png").write_bytes((inbox / "Team A/cover 0.png").read_bytes())
    (inbox / "empty.pdf").write_bytes(b"")
    return files_under(inbox)


def start(ws_root: Path, url: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CASESCAN_DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(ws_root), "watch", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop(processes: list[subprocess.Popen[bytes]]) -> list[str]:
    """SIGTERM each one still running; returns what each wrote to stderr."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    errors = []
    for process in processes:
        try:
            _, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
        errors.append(err.decode(errors="replace"))
    return errors


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []


def discoverer_pid(url: str) -> int | None:
    """The `casescan watch` holding the discoverer lock, by the name its connection gives."""
    rows = query(
        url,
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted",
        (DISCOVERER_LOCK_KEY,),
    )
    return int(rows[0][0].rsplit("-", 1)[1]) if rows else None


def busy_watch_pids(ws: Workspace) -> set[int]:
    """`casescan watch` processes with a file in hand right now: the parents of the worker processes
    whose private names (`PID-…`, in a folder per worker) are in the processing area."""
    found: set[int] = set()
    area = ws.root / ".casescan-processing"
    for entry in area.rglob("*") if area.is_dir() else ():
        try:
            with open(f"/proc/{entry.name.split('-')[0]}/stat", encoding="ascii") as stat:
                found.add(int(stat.read().rsplit(")", 1)[1].split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return found


def outcome(url_or_path: str | Path) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, int, int, str, str]]]:
    """What was decided, by content (which of two identical files is the original may differ):
    (sha256, state) per scan, and each case file's pages, state and case reference."""
    sql_scans = "SELECT sha256, state FROM scans"
    sql_docs = (
        "SELECT s.sha256, d.first_page, d.last_page, d.state, COALESCE(r.case_reference, '') FROM documents d "
        "JOIN scans s ON s.id = d.scan_id LEFT JOIN records r ON r.id = d.record_id"
    )
    if isinstance(url_or_path, Path):
        import sqlite3

        with sqlite3.connect(url_or_path) as conn:
            scans, docs = conn.execute(sql_scans).fetchall(), conn.execute(sql_docs).fetchall()
    else:
        scans, docs = query(url_or_path, sql_scans), query(url_or_path, sql_docs)
    return Counter((str(a), str(b)) for a, b in scans), Counter(tuple(row) for row in docs)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_through(url: str, inbox: Path) -> bool:
    """Nothing left in the inbox, every row final and moved."""
    pending = query(
        url,
        "SELECT COUNT(*) FROM scans WHERE state NOT IN ('done', 'duplicate', 'quarantined') OR move_error IS NOT NULL",
    )[0][0]
    return not files_under(inbox) and pending == 0


def check_exactly_once(ws: Workspace, url: str, dropped: list[str]) -> None:
    """Every file dropped ends once in the archive or quarantine, with the bytes its row records."""
    assert files_under(ws.inbox) == []
    placed = [name for name in files_under(ws.archive)] + [
        name for name in files_under(ws.quarantine) if not name.endswith(REASON)
    ]
    assert len(placed) == len(dropped), placed
    rows = query(url, "SELECT state, archived_path, quarantined_path, sha256 FROM scans ORDER BY id")
    assert len(rows) == len(dropped)
    assert query(url, "SELECT COUNT(*) FROM scans WHERE state = 'processing'")[0][0] == 0
    for state, archived, quarantined, digest in rows:
        where = ws.quarantine / quarantined if state == "quarantined" else ws.archive / archived
        assert sha256(where) == digest, f"{where} does not hold the bytes its row records"
    linked_twice = query(
        url, "SELECT record_id FROM documents WHERE record_id IS NOT NULL GROUP BY record_id HAVING COUNT(*) > 1"
    )
    assert linked_twice == []


def family(pid: int) -> list[int]:
    """A `casescan watch` and its worker processes: what freezing a machine's casescan freezes."""
    found = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text(encoding="ascii").rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            continue
