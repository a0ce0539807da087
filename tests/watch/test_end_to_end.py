"""`casescan watch` end to end: the real scanner on real images, real processes, real signals."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from cli.watch import ProgressLine
from config.workspace import Workspace
from synthetic.people import Person
from tests.support.scans import bomb_png, corrupt_pdf, cover_pdf, cover_png, cover_tiff, encrypted_pdf
from tests.support.watch import archived, files_under, rows, running, start_watch, wait_until, watch_once
from watch.pipeline import FileResult, default_steps
from watch.service import Summary


def test_once_processes_good_and_quarantines_each_kind_of_bad_input(
    ws: Workspace, people: list[Person], tmp_path: Path
) -> None:
    inbox = ws.inbox
    cover_pdf(people[0:2], inbox / "batch.pdf")
    cover_tiff(people[2:4], inbox / "Box 7/batch.tif")
    cover_png(people[4], inbox / "single.png")
    cover_png(people[4], inbox / "single again.png")  # same bytes under another name
    cover_png(people[5], inbox / "closed/Diocesan House/Box 12/front.png")
    (inbox / "empty.pdf").write_bytes(b"")
    whole = cover_pdf(people[6:7], tmp_path / "whole.pdf").read_bytes()
    (inbox / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    encrypted_pdf(people[7], inbox / "locked.pdf", tmp_path)
    corrupt_pdf(inbox / "corrupt.pdf")
    (inbox / "letter.docx").write_bytes(b"PK\x03\x04 a word document")
    bomb_png(inbox / "bomb.png")
    (inbox / "Thumbs.db").write_bytes(b"junk")

    result = watch_once(ws)

    assert result.exit_code == 1, result.output
    assert "13 file(s) processed" not in result.output and "quarantined" in result.output
    by_file = {r["source_file"]: r for r in rows(ws)}
    # The two copies are identified side by side: the first to finish is the original, whichever it is.
    single, again = sorted(("single.png", "single again.png"), key=lambda name: by_file[name]["state"] != "done")
    assert {name for name, r in by_file.items() if r["state"] == "done"} == {
        "batch.pdf",
        "Box 7/batch.tif",
        single,
        "closed/Diocesan House/Box 12/front.png",
    }
    assert by_file[again]["state"] == "duplicate" and by_file[again]["duplicate_of"] == by_file[single]["id"]
    kinds = {name: r["error_kind"] for name, r in by_file.items() if r["state"] == "quarantined"}
    assert kinds == {
        "empty.pdf": "empty",
        "cut.pdf": "truncated",
        "locked.pdf": "encrypted",
        "corrupt.pdf": "unreadable",
        "letter.docx": "unsupported",
        "bomb.png": "too-large",
    }
    for name in kinds:
        assert (ws.quarantine / name).is_file() and (ws.quarantine / f"{name}.reason.txt").is_file()
        assert str(inbox) not in (by_file[name]["error"] or ""), "staff know a file by its place in the inbox"
    assert files_under(inbox) == ["Thumbs.db"]
    docs = rows(ws, "SELECT d.state, s.source_file, d.closed FROM documents d JOIN scans s ON s.id = d.scan_id")
    assert sorted(d["source_file"] for d in docs) == sorted(
        [
            "batch.pdf",
            "batch.pdf",
            "Box 7/batch.tif",
            "Box 7/batch.tif",
            single,
            "closed/Diocesan House/Box 12/front.png",
        ]
    )
    catalogue = rows(ws, "SELECT location FROM catalogue_entries")
    assert [c["location"] for c in catalogue] == ["Diocesan House / Box 12"]

    status = CliRunner().invoke(cli, ["-w", str(ws.root), "status"])
    assert "quarantined: 6" in status.output and "done: 4" in status.output


def test_once_exits_zero_when_everything_went_through(ws: Workspace, people: list[Person]) -> None:
    cover_png(people[0], ws.inbox / "a.png")
    result = watch_once(ws)
    assert result.exit_code == 0 and "1 done" in result.output


def test_half_written_pdf_and_tiff_wait_for_their_pages(ws: Workspace, people: list[Person], tmp_path: Path) -> None:
    """A scanner pausing between pages longer than the settle time (0.4 s) but within grace (2 s)."""
    pdf = cover_pdf(people[0:2], tmp_path / "batch.pdf").read_bytes()
    tif = cover_tiff(people[2:4], tmp_path / "batch.tif").read_bytes()
    with running(ws, steps_factory=default_steps):
        handles = [open(ws.inbox / "batch.pdf", "wb"), open(ws.inbox / "batch.tif", "wb")]  # noqa: SIM115 -- held open across the test, as a slow scanner does
        for handle, data in zip(handles, (pdf, tif), strict=False):
            handle.write(data[: len(data) // 2])
            handle.flush()
        time.sleep(1.2)
        assert files_under(ws.archive) == [] and files_under(ws.quarantine) == []
        for handle, data in zip(handles, (pdf, tif), strict=False):
            handle.write(data[len(data) // 2 :])
            handle.close()
        archived(ws, 2)
    assert [
        (r["source_file"], r["state"], r["pages"]) for r in rows(ws, "SELECT * FROM scans ORDER BY source_file")
    ] == [("batch.pdf", "done", 2), ("batch.tif", "done", 2)]


def test_kill_9_mid_batch_then_restart_processes_every_file_exactly_once(ws: Workspace, people: list[Person]) -> None:
    names = [f"case-{n:02d}.png" for n in range(10)]
    for n, name in enumerate(names):
        cover_png(people[n], ws.inbox / name)
    service = start_watch(ws)
    try:
        wait_until(
            lambda: any(r["state"] == "done" for r in rows(ws)) if Path(ws.database).exists() else False,
            timeout=60,
            every=0.05,
        )
    finally:
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=30)
    assert files_under(ws.inbox) != [], "the batch finished before the kill; nothing was interrupted"

    result = watch_once(ws)

    assert result.exit_code == 0, result.output
    assert files_under(ws.inbox) == [] and files_under(ws.archive) == names
    scans = rows(ws)
    assert sorted(r["source_file"] for r in scans) == names and {r["state"] for r in scans} == {"done"}
    per_scan = rows(ws, "SELECT scan_id, COUNT(*) AS n FROM documents GROUP BY scan_id")
    assert len(per_scan) == 10 and {r["n"] for r in per_scan} == {1}


def test_sigterm_during_a_file_finishes_it_and_exits_cleanly(ws: Workspace, people: list[Person]) -> None:
    service = start_watch(ws)
    try:
        wait_until((ws.root / "casescan.watch.lock").exists, timeout=30)
        cover_pdf(people[0:3], ws.inbox / "batch.pdf")
        wait_until(
            lambda: Path(ws.database).exists() and any(r["state"] == "processing" for r in rows(ws)),
            timeout=60,
            every=0.02,
        )
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=60) == 0
    finally:
        if service.poll() is None:
            service.kill()
    [row] = rows(ws)
    assert row["state"] == "done" and files_under(ws.archive) == ["batch.pdf"]


def test_a_second_watch_is_refused(ws: Workspace) -> None:
    service = start_watch(ws)
    try:
        wait_until(
            lambda: (
                (ws.root / "casescan.watch.lock").exists() and (ws.root / "casescan.watch.lock").read_text().strip()
            ),
            timeout=30,
        )
        result = watch_once(ws)
        assert result.exit_code == 1
        assert "already running" in result.output and str(service.pid) in result.output
    finally:
        service.terminate()
        service.wait(timeout=30)


@pytest.mark.parametrize(
    "setting, expected",
    [
        ('[workspace]\narchive = "inbox/archive"\n', "archive folder"),
        ('[workspace]\nquarantine = "inbox"\n', "quarantine folder"),
        ('[workspace]\ninbox = "no-such-share"\n', "does not exist"),
    ],
)
def test_guard_rails_refuse_to_start(ws: Workspace, setting: str, expected: str) -> None:
    (ws.root / "casescan.toml").write_text(setting, encoding="utf-8")
    result = watch_once(ws)
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output


def test_progress_line_shows_count_rate_and_eta(capsys: pytest.CaptureFixture[str]) -> None:
    summary = Summary(found=10, started=time.monotonic() - 60)
    summary.states.update(done=4, quarantined=1)
    progress = ProgressLine()
    progress(FileResult("done"), summary)
    line = capsys.readouterr().err
    assert "5/10 files" in line and "/min" in line and "ETA 1:00" in line and "quarantined 1" in line
