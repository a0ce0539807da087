"""The move into archive/ and quarantine/: what lands there is the file processed, private, and
watched for changes afterwards. The pipeline runs in-process so a test can act at the move seam."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import Workspace
from store.database import Database, open_database
from tests.support.engines import both_engines
from tests.support.fakes import fake_steps
from tests.support.scans import tiny_png
from tests.support.watch import drop, files_under, ready, rows
from watch.held import recover_held
from watch.intake import AREA_NAME, writer_holds
from watch.pipeline import Pipeline

pytestmark = both_engines


@pytest.fixture
def db(ws: Workspace) -> Iterator[Database]:
    with open_database(ws.database) as database:
        yield database


def at_the_move(monkeypatch: pytest.MonkeyPatch, inbox_path: Path, act: Any) -> None:
    """Run `act` in the instant between the last check and the rename out of the inbox."""
    real = os.rename

    def rename(source: Any, destination: Any) -> None:
        if Path(source) == inbox_path:
            act()
        real(source, destination)

    monkeypatch.setattr(os, "rename", rename)


def test_a_file_swapped_in_during_the_move_is_given_back_and_the_bytes_taken_are_archived(
    ws: Workspace, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop(ws, "Box 1/scan.png", tiny_png(1))
    stranger = ws.inbox / "Box 1/.swap"
    stranger.write_bytes(tiny_png(2))
    at_the_move(monkeypatch, path, lambda: os.replace(stranger, path))
    result = Pipeline(ws, db, fake_steps()).process(ready(path))
    assert result.state == "done"
    [row] = rows(ws)
    assert (ws.archive / "Box 1/scan.png").read_bytes() == tiny_png(1)
    assert row["sha256"] == hashlib.sha256(tiny_png(1)).hexdigest()
    assert (ws.inbox / "Box 1/scan.png").read_bytes() == tiny_png(2), "the newcomer stays, to be taken as itself"
    monkeypatch.undo()
    again = Pipeline(ws, db, fake_steps()).process(ready(path))
    assert again.state == "done" and (ws.archive / "Box 1/scan (2).png").read_bytes() == tiny_png(2)


def test_a_file_deleted_after_its_outcome_was_committed_is_archived_from_the_bytes_taken(
    ws: Workspace, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop(ws, "scan.png", tiny_png(3))
    at_the_move(monkeypatch, path, path.unlink)
    assert Pipeline(ws, db, fake_steps()).process(ready(path)).state == "done"
    assert (ws.archive / "scan.png").read_bytes() == tiny_png(3) and files_under(ws.inbox) == []
    assert not any((ws.root / AREA_NAME).iterdir())


def test_archived_and_quarantined_files_are_private_whatever_the_umask(ws: Workspace, db: Database) -> None:
    previous = os.umask(0o022)
    try:
        line = Pipeline(ws, db, fake_steps())
        line.process(ready(drop(ws, "Team A/Box 1/good.png", tiny_png(4))))
        line.process(ready(drop(ws, "Team A/bad.png", b"not a scan")))
    finally:
        os.umask(previous)
    for path in [
        ws.archive / "Team A/Box 1/good.png",
        ws.quarantine / "Team A/bad.png",
        ws.quarantine / "Team A/bad.png.reason.txt",
    ]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in [ws.archive / "Team A", ws.archive / "Team A/Box 1", ws.quarantine / "Team A", ws.root / AREA_NAME]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_an_archived_original_that_changes_is_reported_by_status_and_the_export(
    ws: Workspace, db: Database, tmp_path: Path
) -> None:
    line = Pipeline(ws, db, fake_steps())
    line.process(ready(drop(ws, "kept.png", tiny_png(5))))
    line.process(ready(drop(ws, "touched.png", tiny_png(6))))
    line.process(ready(drop(ws, "written.png", tiny_png(7))))
    os.utime(ws.archive / "touched.png", (1, 1))  # a new time, the same bytes: not a change
    with open(ws.archive / "written.png", "ab") as late_writer:
        late_writer.write(b"page 2 of someone else")
    status = json.loads(CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--json"]).output)
    assert [c["source_file"] for c in status["scans"]["changed_originals"]] == ["written.png"]
    CliRunner().invoke(cli, ["-w", str(ws.root), "export", "--out", str(tmp_path / "pkg")])
    report = json.loads((tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8"))
    check = next(c for c in report["checks"] if c["name"] == "originals_unchanged")
    assert check["passed"] is False and "archive/written.png changed" in check["detail"]
    assert "kept.png" not in check["detail"] and "touched.png" not in check["detail"]


def test_after_a_crash_a_held_sole_copy_goes_where_its_row_says(ws: Workspace, db: Database) -> None:
    path = drop(ws, "scan.png", tiny_png(8))
    Pipeline(ws, db, fake_steps()).process(ready(path))
    area = ws.root / AREA_NAME
    os.rename(ws.archive / "scan.png", area / "4242-1")  # as if killed after the commit, the inbox name deleted
    (area / "4242-2").write_bytes(tiny_png(9))  # bytes never committed: let go
    recover_held(db, ws)
    assert (ws.archive / "scan.png").read_bytes() == tiny_png(8) and list(area.iterdir()) == []


def test_where_the_os_cannot_tell_about_writers_the_check_says_so() -> None:
    read_end, write_end = os.pipe()  # no leases on a pipe: the settle and structure rules stand alone
    try:
        assert writer_holds(read_end) is None
    finally:
        os.close(read_end)
        os.close(write_end)
