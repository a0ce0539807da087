"""An original that cannot be moved out of its sub-folder: one line, recorded, retried with back-off.

Root ignores permissions, so the folder is made immutable (`chattr +i`), which stops root too.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from config.workspace import Workspace, find_workspace
from tests.support.engines import both_engines
from tests.support.scans import tiny_png
from tests.support.watch import checks, cli_run, files_under, locked, rows, running, wait_until

pytestmark = both_engines


def test_once_says_in_one_line_what_to_do_records_it_and_the_checks_name_it(ws: Workspace, tmp_path: Path) -> None:
    team = ws.inbox / "Team A"
    team.mkdir()
    (team / "case 12.png").write_bytes(tiny_png(1))
    with locked(team):
        result = cli_run(ws, "watch", "--once")
        assert result.exit_code == 1 and "Traceback" not in result.output
        advice = [line for line in result.output.splitlines() if "case 12.png" in line]
        assert advice == [
            "cannot move Team A/case 12.png to the archive (Operation not permitted): "
            "give the service user write permission on inbox/Team A"
        ]
        [row] = rows(ws)
        assert (row["state"], row["move_attempts"], row["move_error"]) == ("done", 1, advice[0])
        status = cli_run(ws, "status", "--json")
        report = json.loads(status.output)["scans"]
        assert report["stuck_in_inbox"] == 1
        assert report["last_errors"][0]["kind"] == "move" and "inbox/Team A" in report["last_errors"][0]["error"]
        inbox_check = checks(ws, tmp_path / "stuck")["inbox_processed"]
        assert inbox_check["passed"] is False and "Team A/case 12.png" in str(inbox_check["detail"])
    assert files_under(ws.inbox) == ["Team A/case 12.png"]

    again = cli_run(ws, "watch", "--once")  # the permission is fixed: the move is all that is left

    assert again.exit_code == 0, again.output
    assert files_under(ws.inbox) == [] and files_under(ws.archive) == ["Team A/case 12.png"]
    [row] = rows(ws)
    assert row["move_error"] is None and len(rows(ws, "SELECT * FROM documents")) == 1
    assert checks(ws, tmp_path / "moved")["inbox_processed"]["passed"] is True


def test_the_service_retries_with_back_off_not_at_every_rescan(ws: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    text = (ws.root / "casescan.toml").read_text().replace("rescan_seconds = 30.0", "rescan_seconds = 1.0")
    (ws.root / "casescan.toml").write_text(text, encoding="utf-8")
    ws = find_workspace(ws.root, environ={})
    team = ws.inbox / "Team B"
    team.mkdir()
    (team / "scan.png").write_bytes(tiny_png(2))
    caplog.set_level(logging.DEBUG)
    with locked(team), running(ws):
        wait_until(lambda: rows(ws) and rows(ws)[0]["move_attempts"] >= 1)
        time.sleep(3.5)  # three rescans
        [row] = rows(ws)
        assert row["move_attempts"] == 1, "retried at every rescan instead of after a pause"
        assert row["move_retry_at"] > row["finished_at"]
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert "scan.png" not in "".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_a_stuck_original_renamed_by_a_person_is_archived_as_itself_not_a_duplicate(ws: Workspace) -> None:
    """Found in a new user's trial: the renamed file became a duplicate of its own row, whose
    original then never reached the archive ('missing: restore it from backup')."""
    team = ws.inbox / "Team E"
    team.mkdir()
    (team / "s.png").write_bytes(tiny_png(3))
    with locked(team):
        cli_run(ws, "watch", "--once")
    (team / "s.png").rename(team / "s-renamed.png")
    result = cli_run(ws, "watch", "--once")
    assert "Traceback" not in result.output
    assert [(r["state"], r["source_file"]) for r in rows(ws)] == [("done", "Team E/s.png")]
    assert files_under(ws.archive) == ["Team E/s.png"] and files_under(ws.inbox) == []
