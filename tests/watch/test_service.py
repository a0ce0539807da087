"""The service loop with real observers, real files and a real worker pool. The scanner is the
stand-in from fakes.py: these tests are about noticing, arrival, queueing and moving."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from config.workspace import Workspace
from tests.support.engines import both_engines
from tests.support.scans import png_bytes, tiny_png
from tests.support.watch import archived, files_under, rows, running, wait_until
from watch.service import WatchService

pytestmark = both_engines


def test_two_hundred_files_dropped_at_once(ws: Workspace) -> None:
    with running(ws):
        for n in range(200):
            (ws.inbox / f"scan-{n:03d}.png").write_bytes(tiny_png(n))
        names = archived(ws, 200)
    assert names == [f"scan-{n:03d}.png" for n in range(200)]
    assert files_under(ws.inbox) == []
    states = rows(ws, "SELECT state, COUNT(*) AS n FROM scans GROUP BY state")
    assert [(r["state"], r["n"]) for r in states] == [("done", 200)]


def test_renamed_in_nested_and_junk(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "scanner-temp"
    (outside / "Deanery/Box 4").mkdir(parents=True)
    (outside / "Deanery/Box 4/a.png").write_bytes(tiny_png(1))
    (outside / "Deanery/b.png").write_bytes(tiny_png(2))
    (outside / "single.png").write_bytes(tiny_png(3))
    junk = ["Thumbs.db", ".DS_Store", "~$notes.docx", "scan.png.part", "@eaDir/scan.png", "Box/.~lock.x#"]
    with running(ws):
        os.rename(outside / "single.png", ws.inbox / "single.png")  # a finished file renamed in
        os.rename(outside / "Deanery", ws.inbox / "Deanery")  # a whole folder tree moved in at once
        for name in junk:
            (ws.inbox / name).parent.mkdir(parents=True, exist_ok=True)
            (ws.inbox / name).write_bytes(tiny_png(9))
        archived(ws, 3)
        time.sleep(1.0)  # junk had every chance to be taken
    assert files_under(ws.archive) == ["Deanery/Box 4/a.png", "Deanery/b.png", "single.png"]
    assert files_under(ws.inbox) == sorted(junk)
    assert len(rows(ws)) == 3 and files_under(ws.quarantine) == []


def test_polling_mode_notices_files(ws: Workspace) -> None:
    with running(ws, polling=True):
        time.sleep(0.5)
        (ws.inbox / "share.png").write_bytes(tiny_png(4))
        archived(ws, 1)
    assert [r["state"] for r in rows(ws)] == ["done"]


def test_a_slow_chunked_copy_is_never_taken_early(ws: Workspace) -> None:
    data = png_bytes(Image.effect_noise((400, 400), 60).convert("L"))
    with running(ws):
        target = ws.inbox / "slow.png"
        with open(target, "wb") as handle:
            for start in range(0, len(data), len(data) // 12 + 1):  # ~12 chunks over ~2.4 s
                handle.write(data[start : start + len(data) // 12 + 1])
                handle.flush()
                time.sleep(0.2)
                assert target.exists(), "taken while still being written"
        archived(ws, 1)
    [row] = rows(ws)
    assert row["state"] == "done" and row["size"] == len(data)
    assert (ws.archive / "slow.png").read_bytes() == data


def test_unfinished_file_at_stop_stays_for_next_time(ws: Workspace) -> None:
    with running(ws):
        (ws.inbox / "half.png").write_bytes(tiny_png(6)[:30])
        time.sleep(0.2)
    assert files_under(ws.inbox) == ["half.png"] and rows(ws) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_reported_and_left(ws: Workspace) -> None:
    path = ws.inbox / "locked.png"
    path.write_bytes(tiny_png(7))
    path.chmod(0)
    with running(ws):
        wait_until(lambda: rows(ws), timeout=30)
    assert path.exists() and rows(ws)[0]["error_kind"] == "unreadable"


def test_the_service_waits_for_its_workers_instead_of_spinning(ws: Workspace) -> None:
    """With every worker busy and more files due, the loop used to wait zero seconds, thousands of
    times a second, taking a core from the workers on a 2-core server (watch_bench halved)."""
    from config.workspace import find_workspace
    from tests.support.fakes import slow_steps

    toml = ws.root / "casescan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[watch]", "[watch]\nqueue_size = 1"), encoding="utf-8")
    ws = find_workspace(ws.root, environ={})
    for n in range(8):
        (ws.inbox / f"scan{n}.png").write_bytes(tiny_png(n))
    service = WatchService(ws, once=True, steps_factory=slow_steps)
    pauses = 0
    real_pause = service._pause

    def counted(events: Any) -> None:
        nonlocal pauses
        pauses += 1
        real_pause(events)

    service._pause = counted  # type: ignore[method-assign]
    service.run()
    assert len(files_under(ws.archive)) == 8
    assert pauses < 300, f"the loop paused {pauses} times for 8 files of 0.3 s each"
