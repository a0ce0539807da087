"""The file taken is the file processed: the inbox changing under a running service.

Real service, real worker processes, real folders; a gate (tests/watch/fakes.py) holds a worker in
the middle of identifying a file while the test replaces, renames, deletes or writes to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import Workspace
from synthetic.people import Person
from tests.support.engines import both_engines
from tests.support.fakes import Gate, gated_steps, pdf_steps
from tests.support.scans import cover_pdf, incremental_pdf
from tests.support.watch import archived, files_under, rows, running, wait_until
from watch.service import WatchService

pytestmark = both_engines


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def linked(ws: Workspace) -> list[tuple[int, str | None]]:
    return [
        (r["first_page"], r["case_reference"])
        for r in rows(
            ws,
            "SELECT d.first_page, r.case_reference FROM documents d LEFT JOIN records r ON r.id = d.record_id "
            "ORDER BY d.first_page",
        )
    ]


def replace_with(path: Path, data: bytes) -> None:
    """As Windows' "replace the file" does: write beside it, then swap the name over in one step."""
    partial_name = path.with_name("." + path.name + ".new")
    partial_name.write_bytes(data)
    os.replace(partial_name, path)


def held_area_is_empty(ws: Workspace) -> bool:
    area = ws.root / ".casescan-processing"
    return not (area.is_dir() and any(area.iterdir()))


@pytest.mark.parametrize("replacement", ["another case", "the same batch reordered"])
def test_a_file_replaced_while_it_is_identified_is_processed_as_the_replacement(
    ws: Workspace, people: list[Person], tmp_path: Path, replacement: str
) -> None:
    gate = Gate(tmp_path / "gate")
    gate.arm()
    first = cover_pdf(people[0:3], tmp_path / "first.pdf").read_bytes()
    chosen = [people[5]] if replacement == "another case" else [people[2], people[1], people[0]]
    second = cover_pdf(chosen, tmp_path / "second.pdf").read_bytes()
    with running(ws, steps_factory=partial(gated_steps, gate.folder, "real")):
        (ws.inbox / "batch.pdf").write_bytes(first)
        gate.wait_entered()
        replace_with(ws.inbox / "batch.pdf", second)
        gate.open()
        archived(ws, 1)
        wait_until(lambda: held_area_is_empty(ws))
    [row] = rows(ws)
    assert (row["source_file"], row["state"], row["sha256"], row["pages"]) == (
        "batch.pdf",
        "done",
        sha(second),
        len(chosen),
    )
    assert (ws.archive / "batch.pdf").read_bytes() == second, "the archived original is the file processed"
    assert linked(ws) == [(n + 1, person.case_reference) for n, person in enumerate(chosen)]


def test_a_file_renamed_while_it_is_identified_is_processed_once_under_its_new_name(
    ws: Workspace, people: list[Person], tmp_path: Path
) -> None:
    gate = Gate(tmp_path / "gate")
    gate.arm()
    with running(ws, steps_factory=partial(gated_steps, gate.folder, "real")):
        data = cover_pdf(people[0:3], ws.inbox / "batch.pdf").read_bytes()
        gate.wait_entered()
        os.rename(ws.inbox / "batch.pdf", ws.inbox / "batch renamed.pdf")
        gate.open()
        archived(ws, 1)
        time.sleep(1.0)  # a wrong second outcome (a duplicate of itself) had every chance to appear
    [row] = rows(ws)
    assert (row["source_file"], row["state"], row["sha256"]) == ("batch renamed.pdf", "done", sha(data))
    assert files_under(ws.archive) == ["batch renamed.pdf"] and files_under(ws.inbox) == []
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "export", "--out", str(tmp_path / "pkg")])
    assert "Traceback" not in result.output
    report = (tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8")
    checks = {c["name"]: c["passed"] for c in json.loads(report)["checks"]}
    assert checks["inbox_processed"] and checks["attachments_written"] and checks["originals_unchanged"]
    assert len(list((tmp_path / "pkg" / "attachments").rglob("*.pdf"))) == 3


def test_a_file_deleted_while_it_is_identified_leaves_no_trace(ws: Workspace, tmp_path: Path) -> None:
    gate = Gate(tmp_path / "gate")
    gate.arm()
    first, update = incremental_pdf(2)
    with running(ws, steps_factory=partial(gated_steps, gate.folder, "pdf")):
        (ws.inbox / "gone.pdf").write_bytes(first + update)
        gate.wait_entered()
        (ws.inbox / "gone.pdf").unlink()
        gate.open()
        wait_until(lambda: held_area_is_empty(ws))
        time.sleep(0.5)
    assert rows(ws) == [], "nothing is recorded for a file that is no longer there"
    assert files_under(ws.archive) == [] and files_under(ws.quarantine) == []


def test_a_second_writer_appending_mid_processing_gets_the_whole_file_processed(ws: Workspace, tmp_path: Path) -> None:
    gate = Gate(tmp_path / "gate")
    gate.arm()
    first, update = incremental_pdf(4)
    with running(ws, steps_factory=partial(gated_steps, gate.folder, "pdf")):
        (ws.inbox / "batch.pdf").write_bytes(first)
        gate.wait_entered()
        with open(ws.inbox / "batch.pdf", "ab") as writer:
            writer.write(update)
            writer.flush()
            gate.open()  # the worker finishes while the writer still holds the file
            time.sleep(1.5)
        archived(ws, 1)
    [row] = rows(ws)
    assert (row["state"], row["pages"], row["sha256"]) == ("done", 4, sha(first + update))
    assert (ws.archive / "batch.pdf").read_bytes() == first + update


def test_a_scanner_that_keeps_the_file_open_between_pages_is_waited_for(ws: Workspace) -> None:
    """Situation 3: a whole one-page PDF, kept open past the settle and grace times, then pages 2-4."""
    first, update = incremental_pdf(4)
    with running(ws, steps_factory=pdf_steps):
        with open(ws.inbox / "scanner.pdf", "wb") as scanner:
            scanner.write(first)
            scanner.flush()
            time.sleep(3.0)  # settle is 0.4 s and grace 2 s in these tests
            assert files_under(ws.inbox) == ["scanner.pdf"] and rows(ws) == [], "taken while the scanner held it"
            assert files_under(ws.quarantine) == []
            scanner.write(update)
        archived(ws, 1)
    [row] = rows(ws)
    assert (row["state"], row["pages"], row["sha256"]) == ("done", 4, sha(first + update))
    assert (ws.archive / "scanner.pdf").read_bytes() == first + update


def test_a_file_renamed_while_it_settles_is_taken_once_under_its_new_name(ws: Workspace) -> None:
    first, update = incremental_pdf(3)
    with running(ws, steps_factory=pdf_steps):
        (ws.inbox / "scan0001.pdf").write_bytes(first + update)
        time.sleep(0.1)  # noticed, not yet settled
        os.rename(ws.inbox / "scan0001.pdf", ws.inbox / "Smith family.pdf")
        archived(ws, 1)
        time.sleep(1.0)
    assert [(r["source_file"], r["state"]) for r in rows(ws)] == [("Smith family.pdf", "done")]
    assert files_under(ws.archive) == ["Smith family.pdf"]


def test_a_copy_dropped_while_the_original_is_held_still_counts_once(ws: Workspace, tmp_path: Path) -> None:
    """Two names, one set of bytes, the first held at the gate while the copy goes through: whichever
    commits first is done, the other its duplicate, both archived, the documents stored once."""
    gate = Gate(tmp_path / "gate")
    gate.arm()
    first, update = incremental_pdf(2)
    with running(ws, steps_factory=partial(gated_steps, gate.folder, "pdf")):
        (ws.inbox / "a.pdf").write_bytes(first + update)
        gate.wait_entered()
        shutil.copy(ws.inbox / "a.pdf", ws.inbox / "copy of a.pdf")
        wait_until(lambda: len(rows(ws)) == 2)
        gate.open()
        archived(ws, 2)
    assert sorted(r["state"] for r in rows(ws)) == ["done", "duplicate"]
    assert len(rows(ws, "SELECT * FROM documents")) == 1
    assert files_under(ws.archive) == ["a.pdf", "copy of a.pdf"]


def test_once_takes_a_file_renamed_in_its_hands_under_the_new_name_in_the_same_run(
    ws: Workspace, tmp_path: Path
) -> None:
    """`--once` has no file events: the rename is found by looking again where the file was."""
    gate = Gate(tmp_path / "gate")
    gate.arm()
    first, update = incremental_pdf(2)
    (ws.inbox / "Box 1").mkdir()
    (ws.inbox / "Box 1/scan0001.pdf").write_bytes(first + update)
    service = WatchService(ws, once=True, steps_factory=partial(gated_steps, gate.folder, "pdf"))
    run = threading.Thread(target=service.run, daemon=True)
    run.start()
    gate.wait_entered()
    os.rename(ws.inbox / "Box 1/scan0001.pdf", ws.inbox / "Box 1/Jones.pdf")
    gate.open()
    run.join(timeout=120)
    assert not run.is_alive()
    assert [(r["source_file"], r["state"]) for r in rows(ws)] == [("Box 1/Jones.pdf", "done")]
    assert files_under(ws.inbox) == [] and files_under(ws.archive) == ["Box 1/Jones.pdf"]
