"""`watch --once` decides old files at once and says what it is still waiting for."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import Workspace, find_workspace
from synthetic.people import Person
from tests.support.engines import both_engines
from tests.support.scans import cover_pdf, tiny_png
from tests.support.watch import files_under, rows

pytestmark = both_engines

DAY = 24 * 3600


def with_grace(ws: Workspace, seconds: float) -> Workspace:
    path = ws.root / "casescan.toml"
    path.write_text(path.read_text().replace("grace_seconds = 2.0", f"grace_seconds = {seconds}"), encoding="utf-8")
    return find_workspace(ws.root)  # CASESCAN_* are cleared, but for a PostgreSQL URL


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_files_older_than_the_grace_time_are_decided_at_once(
    ws: Workspace, people: list[Person], tmp_path: Path
) -> None:
    ws = with_grace(ws, 600)
    whole = cover_pdf(people[0:1], tmp_path / "whole.pdf").read_bytes()
    (ws.inbox / "empty.pdf").write_bytes(b"")
    (ws.inbox / "Box 2").mkdir()
    (ws.inbox / "Box 2/cut.pdf").write_bytes(whole[: len(whole) // 2])
    (ws.inbox / "fine.png").write_bytes(tiny_png(3))
    for name in ("empty.pdf", "Box 2/cut.pdf", "fine.png"):
        age(ws.inbox / name, 3 * DAY)
    # A separate process with a deadline far below the 10-minute grace time: waiting would fail the test.
    done = subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(ws.root), "watch", "--once"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    kinds = {r["source_file"]: (r["state"], r["error_kind"]) for r in rows(ws)}
    assert kinds == {
        "empty.pdf": ("quarantined", "empty"),
        "Box 2/cut.pdf": ("quarantined", "truncated"),
        "fine.png": ("done", None),
    }
    assert files_under(ws.inbox) == [] and "waiting for" not in done.stderr


def test_once_names_each_file_it_waits_for_and_until_when(
    ws: Workspace, people: list[Person], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ws = with_grace(ws, 3)
    whole = cover_pdf(people[0:1], tmp_path / "whole.pdf").read_bytes()
    (ws.inbox / "scanning.pdf").write_bytes(whole[: len(whole) // 2])
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "watch", "--once"])
    waiting = [line for line in result.output.splitlines() if line.startswith("waiting for")]
    assert len(waiting) == 1
    assert re.fullmatch(
        r"waiting for inbox/scanning\.pdf until \d\d:\d\d:\d\d: the PDF has no end-of-file trailer yet", waiting[0]
    )
    assert [(r["source_file"], r["error_kind"]) for r in rows(ws)] == [("scanning.pdf", "truncated")]
    assert "scanning" not in "".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_once_leaves_a_file_a_program_still_writes_and_says_so(ws: Workspace) -> None:
    ws = with_grace(ws, 1)
    with open(ws.inbox / "open.png", "wb") as writer:
        writer.write(tiny_png(4))
        writer.flush()
        result = CliRunner().invoke(cli, ["-w", str(ws.root), "watch", "--once"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert re.fullmatch(
        r"waiting for inbox/open\.png until \d\d:\d\d:\d\d: a program still has the file open for writing", lines[0]
    )
    assert any(line.startswith("left in the inbox: inbox/open.png") for line in lines)
    assert files_under(ws.inbox) == ["open.png"] and rows(ws) == []


def test_the_summary_names_only_what_became_of_the_files_that_did_not_go_through(tmp_path: Path) -> None:
    """A new user's run quarantined two files and was told unreadable ones "were left in the
    inbox" too; they looked there for files that never were."""
    from collections import Counter

    from cli.watch import _not_through
    from watch.service import Summary

    said = _not_through(Summary(states=Counter(done=3, quarantined=2)), tmp_path / "quarantine")
    assert said == (
        f"Some files did not go through: 2 quarantined in {tmp_path / 'quarantine'}, a .reason.txt beside each. "
        "See 'casescan status'."
    )
    said = _not_through(Summary(states=Counter(unreadable=1, held=2)), tmp_path / "quarantine")
    assert "quarantined" not in said
    assert "1 unreadable, left in the inbox" in said and "2 still being written, left in the inbox" in said
