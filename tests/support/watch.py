"""The watch service's test helpers: the database as the tests read it, polling for what a real
observer does in its own time, a real service in a thread or a process, files dropped and arrived."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from config.workspace import Workspace
from store.database import Row, open_database
from tests.support.fakes import fake_steps
from watch.pipeline import Steps
from watch.service import WatchService
from watch.stability import Arrived, Outcome

T = TypeVar("T")


# Short waits, so a test sees a file through in a second or two; two workers, as a small server has.
FAST_WATCH = """
[watch]
settle_seconds = 0.4
grace_seconds = 2.0
poll_seconds = 0.2
rescan_seconds = 30.0
read_retries = 1

[scanner]
workers = 2
"""


def rows(ws: Workspace, sql: str = "SELECT * FROM scans ORDER BY id", params: tuple = ()) -> list[Row]:
    """What the database holds, on either engine (rows by column name), as a test reads it."""
    with open_database(ws.database, readonly=True) as db:
        return db.query(sql, params)


def wait_until(condition: Callable[[], T], timeout: float = 60.0, every: float = 0.1) -> T:
    """Poll `condition` until it is truthy; fail the test (not hang) when it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s")


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def start_watch(ws: Workspace, *args: str) -> subprocess.Popen[bytes]:
    """A real `casescan watch` process, as a service manager would start it."""
    return subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(ws.root), "-v", "watch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@contextmanager
def running(
    ws: Workspace, *, polling: bool = False, steps_factory: Callable[[], Steps] = fake_steps
) -> Iterator[WatchService]:
    service = WatchService(ws, polling=polling, steps_factory=steps_factory)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    wait_until(lambda: (ws.root / "casescan.watch.lock").exists() and (ws.root / "casescan.watch.lock").read_text())
    time.sleep(0.3)  # let the observer start
    try:
        yield service
    finally:
        service.stop()
        thread.join(timeout=60)
        assert not thread.is_alive()


def archived(ws: Workspace, count: int) -> list[str]:
    """The archive's files once at least `count` are there."""

    def enough() -> list[str]:
        names = files_under(ws.archive)
        return names if len(names) >= count else []

    return wait_until(enough, timeout=90)


def drop(ws: Workspace, name: str, data: bytes) -> Path:
    path = ws.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def ready(path: Path, outcome: Outcome = Outcome.READY, reason: str = "") -> Arrived:
    return Arrived(path, outcome, reason, time.time())


def _chattr(flag: str, folder: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(folder)], capture_output=True, check=False).returncode == 0


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Nobody, root included, may add or remove names in `folder` while the block runs."""
    if not _chattr("+i", folder):
        pytest.skip("cannot make a folder immutable here (chattr missing, or no CAP_LINUX_IMMUTABLE)")
    try:
        yield
    finally:
        _chattr("-i", folder)


def watch_once(ws: Workspace, *args: str) -> Result:
    """`casescan watch --once` in this process; an exception the CLI does not turn into a message fails the test."""
    return CliRunner().invoke(cli, ["-w", str(ws.root), "watch", "--once", *args], catch_exceptions=False)


def cli_run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def checks(ws: Workspace, out: Path) -> dict[str, dict[str, object]]:
    cli_run(ws, "export", "--out", str(out))
    report = json.loads((out / "reconciliation.json").read_text(encoding="utf-8"))
    return {c["name"]: c for c in report["checks"]}
