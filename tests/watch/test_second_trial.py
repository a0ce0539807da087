"""What a tester found after issue 13 landed: a stuck file whose name is not UTF-8, three kills
during one file, the advice given for a link, when a failed move is tried again, and a file
hard-linked into the inbox from a person's folder. Real folders, the real service and CLI."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from config.workspace import Workspace
from synthetic.people import Person
from tests.support.fakes import poison_steps
from tests.support.scans import cover_pdf, cover_png, poisoned_png, tiny_png
from tests.support.watch import checks, cli_run, files_under, locked, rows, start_watch, wait_until
from watch.intake import processing_area
from watch.service import WatchService

LATIN_1_NAME = os.fsdecode(b"Zo\xeb M\xfcller.png")  # written by a Latin-1 client: not UTF-8
SHOWN_AS = "Zo\\xeb M\\xfcller.png"


def status_json(ws: Workspace) -> dict[str, Any]:
    return json.loads(cli_run(ws, "status", "--json").output)["scans"]


def test_a_stuck_file_whose_name_is_not_utf8_is_found_by_its_real_name(
    ws: Workspace, people: list[Person], tmp_path: Path
) -> None:
    team = ws.inbox / "Team F"
    cover_png(people[0], team / LATIN_1_NAME)
    with locked(team):
        cli_run(ws, "watch", "--once")
        report = status_json(ws)
        assert report["stuck_in_inbox"] == 1
        assert report["changed_originals"] == [], "a file still in the inbox was called missing from the archive"
        export = checks(ws, tmp_path / "stuck")
        assert export["originals_unchanged"]["passed"] is True
        assert export["attachments_written"]["passed"] is True, export["attachments_written"]["detail"]
        assert export["inbox_processed"]["passed"] is False and f"Team F/{SHOWN_AS}" in str(
            export["inbox_processed"]["detail"]
        )
    assert cli_run(ws, "watch", "--once").exit_code == 0
    assert files_under(ws.inbox) == [] and (ws.archive / "Team F" / SHOWN_AS).is_file()
    report = status_json(ws)
    assert report["stuck_in_inbox"] == 0 and report["changed_originals"] == []


def test_a_copy_of_a_stuck_file_with_a_non_utf8_name_is_its_duplicate_not_the_original_renamed(ws: Workspace) -> None:
    """The stuck original is still in the inbox under its real name: a copy elsewhere is a duplicate."""
    team = ws.inbox / "Team G"
    team.mkdir()
    (team / LATIN_1_NAME).write_bytes(tiny_png(31))
    with locked(team):
        cli_run(ws, "watch", "--once")
        (ws.inbox / "copy.png").write_bytes(tiny_png(31))
        cli_run(ws, "watch", "--once")
        assert [(r["source_file"], r["state"]) for r in rows(ws)] == [
            (f"Team G/{SHOWN_AS}", "done"),
            ("copy.png", "duplicate"),
        ]
    assert cli_run(ws, "watch", "--once").exit_code == 0
    assert files_under(ws.archive) == [f"Team G/{SHOWN_AS}", "copy.png"] and files_under(ws.inbox) == []


def kill_9_with_the_file_in_hand(ws: Workspace) -> None:
    """Start the service, let a worker take the file (after start-up has dealt with the last run's
    leftovers), and `kill -9` it in the middle of identifying it."""
    service = start_watch(ws)
    started = threading.Event()

    def read_log() -> None:
        for line in service.stderr or []:
            if b"event=watch-start" in line:
                started.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        wait_until(started.is_set, timeout=90)
        wait_until(lambda: any(processing_area(ws.root).iterdir()), timeout=90, every=0.02)
        time.sleep(0.5)  # the claim follows the take within milliseconds; the batch takes seconds to identify
    finally:
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=30)
    assert [r["state"] for r in rows(ws)] == ["processing"], "the file was not in hand when the service was killed"


def test_a_service_killed_three_times_during_one_file_does_not_quarantine_it(
    ws: Workspace, people: list[Person]
) -> None:
    """`kill -9`, a power cut, systemd's stop timeout: the service stopped, the file did nothing wrong."""
    cover_pdf(people[:8], ws.inbox / "batch.pdf")
    for _ in range(3):
        kill_9_with_the_file_in_hand(ws)
    result = cli_run(ws, "watch", "--once")
    assert result.exit_code == 0, result.output
    [row] = rows(ws)
    assert row["state"] == "done" and row["pages"] == 8
    assert files_under(ws.quarantine) == [] and files_under(ws.archive) == ["batch.pdf"]


def test_a_file_that_kills_its_worker_is_quarantined_with_one_line_and_an_innocent_one_is_not(ws: Workspace) -> None:
    """The innocent file in the other worker is finished there (the pool waits for it); only the culprit is counted."""
    poisoned_png(ws.inbox / "poison.png")
    (ws.inbox / "innocent.png").write_bytes(tiny_png(32))
    WatchService(ws, once=True, steps_factory=poison_steps).run()
    states = {r["source_file"]: (r["state"], r["error_kind"], r["error"]) for r in rows(ws)}
    assert states["innocent.png"] == ("done", None, None)
    state, kind, message = states["poison.png"]
    assert (state, kind) == ("quarantined", "failed")
    assert "\n" not in message and "worker died 3 times" in message and "re-scan" in message
    reason = (ws.quarantine / "poison.png.reason.txt").read_text(encoding="utf-8")
    assert message in reason and "stops of the whole service are not counted" in reason
    assert files_under(ws.root / ".casescan-processing") == []  # nothing the dead workers held is left


def test_a_link_in_the_inbox_is_not_told_to_run_the_service_again(ws: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "scan.png").write_bytes(tiny_png(33))
    (ws.inbox / "link.png").symlink_to(elsewhere / "scan.png")
    (ws.inbox / "linked folder").symlink_to(elsewhere)
    cli_run(ws, "watch", "--once")
    detail = str(checks(ws, tmp_path / "out")["inbox_processed"]["detail"])
    assert "watch --once" not in detail, detail
    assert "link.png: it is a symbolic link" in detail and "linked folder: it is a symbolic link" in detail
    assert "replace the link with a copy of the scan itself" in detail


def test_status_says_when_a_failed_move_is_tried_next_in_words(ws: Workspace) -> None:
    team = ws.inbox / "Team H"
    team.mkdir()
    (team / "s.png").write_bytes(tiny_png(34))
    with locked(team):
        cli_run(ws, "watch", "--once")
        text = cli_run(ws, "status").output
        report = status_json(ws)
    line = next(line for line in text.splitlines() if "Team H/s.png" in line)
    assert "next retry at " in line and "at=" not in line, line
    [error] = report["last_errors"]
    assert error["kind"] == "move" and error["next_retry_at"] and "at" not in error


def test_a_file_hard_linked_in_from_outside_is_archived_as_a_copy(ws: Workspace, tmp_path: Path) -> None:
    """Archived by renaming the inbox name, the archive would share its bytes with the person's own
    file: an edit there would change the 'untouchable' original."""
    outside = tmp_path / "my documents" / "scan.png"
    outside.parent.mkdir()
    outside.write_bytes(tiny_png(35))
    os.link(outside, ws.inbox / "scan.png")
    assert cli_run(ws, "watch", "--once").exit_code == 0
    archived = ws.archive / "scan.png"
    assert files_under(ws.inbox) == [] and archived.read_bytes() == tiny_png(35)
    assert os.stat(archived).st_ino != os.stat(outside).st_ino and os.stat(outside).st_nlink == 1
    outside.write_bytes(tiny_png(36))  # the person edits their own copy in place
    assert archived.read_bytes() == tiny_png(35)
    assert status_json(ws)["changed_originals"] == []


def test_a_hard_linked_file_that_cannot_be_moved_leaves_nothing_in_the_archive(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "scan.png"
    outside.write_bytes(tiny_png(37))
    team = ws.inbox / "Team I"
    team.mkdir()
    os.link(outside, team / "scan.png")
    with locked(team):
        cli_run(ws, "watch", "--once")
        assert files_under(ws.archive) == [] and files_under(ws.inbox) == ["Team I/scan.png"]
        assert status_json(ws)["stuck_in_inbox"] == 1
    assert cli_run(ws, "watch", "--once").exit_code == 0
    assert files_under(ws.archive) == ["Team I/scan.png"] and files_under(ws.inbox) == []
    assert os.stat(ws.archive / "Team I" / "scan.png").st_ino != os.stat(outside).st_ino
    assert len(rows(ws)) == 1
