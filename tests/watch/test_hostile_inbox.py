"""What real shared folders do to the service: links out of the inbox, files and folders renamed or
deleted while they settle, files nobody may read, names no UTF-8 decoder accepts, PDFs with junk
after their end. Each time: nothing outside the inbox touched, no original lost or altered, a
one-line reason, and the service goes on with the next file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from config.workspace import Workspace
from tests.support.engines import both_engines
from tests.support.fakes import fake_steps
from tests.support.scans import tiny_png
from tests.support.watch import archived, checks, files_under, rows, running, wait_until
from watch.service import WatchService

pytestmark = both_engines


def once(ws: Workspace) -> None:
    WatchService(ws, once=True, steps_factory=fake_steps).run()


def test_links_in_the_inbox_are_reported_never_followed(ws: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "someone else's share"
    (elsewhere / "folder").mkdir(parents=True)
    (elsewhere / "scan.png").write_bytes(tiny_png(1))
    (elsewhere / "folder/inside.png").write_bytes(tiny_png(2))
    before = files_under(elsewhere)
    (ws.inbox / "link.png").symlink_to(elsewhere / "scan.png")
    (ws.inbox / "dangling.png").symlink_to(elsewhere / "gone.png")
    (ws.inbox / "linked folder").symlink_to(elsewhere / "folder")
    with running(ws):
        (ws.inbox / "linked later").symlink_to(elsewhere / "folder")  # an event for a linked folder
        (ws.inbox / "real.png").write_bytes(tiny_png(3))
        archived(ws, 1)
        wait_until(lambda: len(rows(ws)) == 5, timeout=30)
        time.sleep(1.0)  # the linked folders had every chance to be walked
    assert files_under(elsewhere) == before
    assert files_under(ws.archive) == ["real.png"] and files_under(ws.quarantine) == []
    reported = {r["source_file"]: r for r in rows(ws) if r["state"] == "seen"}
    assert sorted(reported) == ["dangling.png", "link.png", "linked folder", "linked later"]
    assert all("symbolic link" in r["error"] for r in reported.values())
    assert (ws.inbox / "link.png").is_symlink() and (ws.inbox / "dangling.png").is_symlink()


def test_a_reported_link_taken_out_of_the_inbox_stops_counting_against_it(ws: Workspace, tmp_path: Path) -> None:
    """Its row stayed 'seen', and the export stayed no-go for a file no longer there, for good."""
    (tmp_path / "scan.png").write_bytes(tiny_png(1))
    (ws.inbox / "link.png").symlink_to(tmp_path / "scan.png")
    (ws.inbox / "still here.png").symlink_to(tmp_path / "scan.png")
    once(ws)
    assert "link.png" in str(checks(ws, tmp_path / "before")["inbox_processed"]["detail"])
    (ws.inbox / "link.png").unlink()
    once(ws)
    inbox = checks(ws, tmp_path / "after")["inbox_processed"]
    assert "link.png" not in str(inbox["detail"]) and "still here.png" in str(inbox["detail"])
    (ws.inbox / "still here.png").unlink()
    gone = checks(ws, tmp_path / "gone")["inbox_processed"]
    assert gone["passed"] is True, gone["detail"]


def test_a_file_nobody_may_read_is_reported_left_and_the_service_goes_on(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, who can read anything: the lock is simulated where the service opens files."""
    locked = ws.inbox / "locked.png"
    locked.write_bytes(tiny_png(4))
    real_open = os.open

    def refusing(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)).name == "locked.png":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing)
    (ws.inbox / "next.png").write_bytes(tiny_png(5))
    once(ws)
    assert locked.read_bytes() == tiny_png(4) and files_under(ws.archive) == ["next.png"]
    [report] = [r for r in rows(ws) if r["source_file"] == "locked.png"]
    assert report["state"] == "seen" and "Permission denied" in report["error"] and "\n" not in report["error"]


def test_files_renamed_or_deleted_while_they_settle(ws: Workspace) -> None:
    cut = tiny_png(6)
    with running(ws):
        (ws.inbox / "deleted.png").write_bytes(cut[:40])
        (ws.inbox / "renamed.png").write_bytes(tiny_png(7)[:40])
        (ws.inbox / "Box 1").mkdir()
        (ws.inbox / "Box 1/inside.png").write_bytes(tiny_png(8)[:40])
        time.sleep(0.2)
        (ws.inbox / "deleted.png").unlink()
        os.rename(ws.inbox / "renamed.png", ws.inbox / "final name.png")
        os.rename(ws.inbox / "Box 1", ws.inbox / "Box 2")
        (ws.inbox / "final name.png").write_bytes(tiny_png(7))
        (ws.inbox / "Box 2/inside.png").write_bytes(tiny_png(8))
        archived(ws, 2)
        time.sleep(1.0)
    assert files_under(ws.archive) == ["Box 2/inside.png", "final name.png"]
    assert files_under(ws.inbox) == [] and files_under(ws.quarantine) == []
    assert sorted((r["source_file"], r["state"]) for r in rows(ws)) == [
        ("Box 2/inside.png", "done"),
        ("final name.png", "done"),
    ]


def test_names_with_spaces_accents_hashes_latin1_bytes_and_great_length(ws: Workspace) -> None:
    names = [
        b"with spaces.png",
        "Zoë.png".encode(),
        "Zoe\u0308 decomposed.png".encode(),
        b"#leading hash.png",
        b"L" * 250 + b".png",
        b"Zo\xeb latin-1.png",
    ]
    for seed, name in enumerate(names):
        with open(os.path.join(os.fsencode(ws.inbox), name), "wb") as handle:
            handle.write(tiny_png(20 + seed))
    (ws.inbox / ("Q" * 250 + ".doc")).write_bytes(b"not a scan")  # quarantined: its reason file must fit too
    once(ws)
    [quarantined, reason] = files_under(ws.quarantine)
    assert (ws.quarantine / quarantined).read_bytes() == b"not a scan" and reason == quarantined + ".reason.txt"
    assert files_under(ws.inbox) == [] and len(files_under(ws.archive)) == len(names)
    assert (ws.archive / "Zo\\xeb latin-1.png").read_bytes() == tiny_png(25)  # shown escaped, bytes kept
    assert {r["state"] for r in rows(ws)} == {"done", "quarantined"}
    assert "Zo\\xeb latin-1.png" in {r["source_file"] for r in rows(ws)}
