"""One file through the pipeline, in-process, on a real database and real folders.
The scanner is a counting stand-in so each test can say exactly what was (re)identified."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogue.importer import import_template
from config.workspace import Workspace
from scanner.errors import EncryptedPdf
from store.database import Database, open_database
from store.records import reference_keys
from synthetic.people import Person, make_people
from synthetic.template import write_template
from tests.support.engines import both_engines
from tests.support.fakes import fake_steps, one_page
from tests.support.scans import tiny_png
from tests.support.watch import drop, files_under, ready, rows
from watch.pipeline import MAX_ATTEMPTS, Pipeline, Steps
from watch.stability import Outcome

pytestmark = both_engines


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs, nothing catches it."""


@pytest.fixture
def db(ws: Workspace) -> Iterator[Database]:
    with open_database(ws.database) as database:
        yield database


class Counting:
    def __init__(self, fail: BaseException | None = None) -> None:
        self.calls = 0
        self.fail = fail

    def __call__(self, path: Path, options: Any) -> Any:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        return one_page(path, options)


def pipeline(ws: Workspace, db: Database, identify: Counting, **changes: Any) -> Pipeline:
    steps = fake_steps()
    return Pipeline(
        ws,
        db,
        Steps(
            identify,
            steps.options,
            steps.known_references,
            changes.get("decide", steps.decide),
            changes.get("store", steps.store),
        ),
    )


def documents(ws: Workspace) -> int:
    return rows(ws, "SELECT COUNT(*) AS n FROM documents")[0]["n"]


def test_a_file_is_committed_then_archived_under_its_own_path(ws: Workspace, db: Database) -> None:
    identify = Counting()
    result = pipeline(ws, db, identify).process(ready(drop(ws, "Box 3/batch.png", tiny_png(1))))
    assert result.state == "done" and result.decisions == {"unreadable": 1}
    assert files_under(ws.inbox) == [] and files_under(ws.archive) == ["Box 3/batch.png"]
    [row] = rows(ws)
    assert (row["state"], row["archived_path"], row["pages"], row["attempts"]) == ("done", "Box 3/batch.png", 1, 1)
    assert documents(ws) == 1


def test_closed_front_sheets_carry_their_folder_as_location(ws: Workspace, db: Database) -> None:
    pipeline(ws, db, Counting()).process(ready(drop(ws, "closed/Diocesan House/Box 12/front.png", tiny_png(2))))
    [row] = rows(ws)
    assert row["closed"] == 1 and row["location"] == "Diocesan House / Box 12"


def test_same_bytes_twice_is_identified_once(ws: Workspace, db: Database) -> None:
    identify = Counting()
    line = pipeline(ws, db, identify)
    line.process(ready(drop(ws, "a.png", tiny_png(3))))
    second = line.process(ready(drop(ws, "copy of a.png", tiny_png(3))))
    assert identify.calls == 1 and second.state == "duplicate"
    first, duplicate = rows(ws)
    assert duplicate["state"] == "duplicate" and duplicate["duplicate_of"] == first["id"]
    assert files_under(ws.archive) == ["a.png", "copy of a.png"] and documents(ws) == 1


def test_same_name_twice_with_different_bytes_gets_a_suffix(ws: Workspace, db: Database) -> None:
    line = pipeline(ws, db, Counting())
    line.process(ready(drop(ws, "scan.png", tiny_png(4))))
    line.process(ready(drop(ws, "scan.png", tiny_png(5))))
    assert [r["state"] for r in rows(ws)] == ["done", "done"]
    assert files_under(ws.archive) == ["scan (2).png", "scan.png"]
    assert (ws.archive / "scan.png").read_bytes() == tiny_png(4)


def test_crash_between_commit_and_move_only_moves(ws: Workspace, db: Database) -> None:
    identify = Counting()
    line = pipeline(ws, db, identify)
    path = drop(ws, "scan.png", tiny_png(6))
    line.process(ready(path))
    (ws.archive / "scan.png").rename(path)  # as if the move never happened
    result = line.process(ready(path))
    assert result.resumed and result.state == "done" and identify.calls == 1
    assert len(rows(ws)) == 1 and files_under(ws.archive) == ["scan.png"] and documents(ws) == 1


def test_crash_before_commit_is_redone_without_doubling_documents(ws: Workspace, db: Database) -> None:
    def store_then_die(conn: Any, scan_id: int, links: Any) -> None:
        fake_steps().store(conn, scan_id, links)
        raise Killed()

    path = drop(ws, "scan.png", tiny_png(7))
    with pytest.raises(Killed):
        pipeline(ws, db, Counting(), store=store_then_die).process(ready(path))
    assert [r["state"] for r in rows(ws)] == ["processing"] and documents(ws) == 0 and path.exists()
    result = pipeline(ws, db, Counting()).process(ready(path))
    [row] = rows(ws)
    assert result.state == "done" and row["attempts"] == 2 and documents(ws) == 1


def test_a_file_that_keeps_killing_its_worker_is_quarantined(ws: Workspace, db: Database) -> None:
    path = drop(ws, "poison.png", tiny_png(8))
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(Killed):
            pipeline(ws, db, Counting(fail=Killed())).process(ready(path))
    result = pipeline(ws, db, Counting()).process(ready(path))
    assert result.state == "quarantined" and result.kind == "failed"
    assert files_under(ws.quarantine) == ["poison.png", "poison.png.reason.txt"]


def test_a_scan_error_is_quarantined_with_a_reason(ws: Workspace, db: Database) -> None:
    path = drop(ws, "Box 1/locked.png", tiny_png(9))
    result = pipeline(ws, db, Counting(fail=EncryptedPdf("locked.png is password-protected"))).process(ready(path))
    assert result.state == "quarantined" and result.kind == "encrypted"
    reason = (ws.quarantine / "Box 1/locked.png.reason.txt").read_text()
    assert "error: encrypted" in reason and "password-protected" in reason and "what to do:" in reason
    assert (ws.quarantine / "Box 1/locked.png").read_bytes() == tiny_png(9)
    [row] = rows(ws)
    assert (row["state"], row["error_kind"], row["quarantined_path"]) == (
        "quarantined",
        "encrypted",
        "Box 1/locked.png",
    )


def test_a_second_quarantine_of_the_same_name_keeps_both(ws: Workspace, db: Database) -> None:
    line = pipeline(ws, db, Counting())
    for seed in (10, 11):
        line.process(ready(drop(ws, "notes.png", b"not a png %d" % seed)))
    assert files_under(ws.quarantine) == [
        "notes (2).png",
        "notes (2).png.reason.txt",
        "notes.png",
        "notes.png.reason.txt",
    ]


def test_truncated_and_empty_files_are_quarantined_without_scanning(ws: Workspace, db: Database) -> None:
    identify = Counting()
    line = pipeline(ws, db, identify)
    cut = line.process(
        ready(drop(ws, "cut.png", tiny_png(12)[:40]), Outcome.TRUNCATED, "the PNG has no IEND chunk yet")
    )
    empty = line.process(ready(drop(ws, "empty.pdf", b""), Outcome.TRUNCATED, "the file is empty"))
    assert (cut.kind, empty.kind, identify.calls) == ("truncated", "empty", 0)
    assert "IEND" in (ws.quarantine / "cut.png.reason.txt").read_text()


def test_an_unreadable_file_is_reported_and_left_in_place(ws: Workspace, db: Database) -> None:
    path = drop(ws, "locked.png", tiny_png(13))
    result = pipeline(ws, db, Counting()).process(ready(path, Outcome.UNREADABLE, "permission denied"))
    assert result.state == "unreadable" and path.exists()
    [row] = rows(ws)
    assert (row["state"], row["error_kind"]) == ("seen", "unreadable")
    pipeline(ws, db, Counting()).process(ready(path))  # permissions fixed: the same row goes on
    [row] = rows(ws)
    assert row["state"] == "done" and row["attempts"] == 1


def test_the_template_is_read_once_per_import_not_once_per_file(
    ws: Workspace, db: Database, tmp_path: Path, people: list[Person]
) -> None:
    """Reading 50,000 references for every scan was a tenth of a light file's time; a template
    imported while the service runs must still reach the very next file."""
    reads: list[frozenset[str]] = []
    seen: list[Any] = []

    def counted_references(database: Database) -> frozenset[str]:
        reads.append(reference_keys(database))
        return reads[-1]

    def remembering(path: Path, options: Any) -> Any:
        seen.append(options)
        return one_page(path, options)

    steps = fake_steps()
    line = Pipeline(
        ws, db, Steps(remembering, lambda settings, known: known, counted_references, steps.decide, steps.store)
    )
    for seed in (20, 21, 22):
        line.process(ready(drop(ws, f"s{seed}.png", tiny_png(seed))))
    assert len(reads) == 1 and seen == [reads[0]] * 3

    newcomer = make_people(len(people) + 1, seed=99)[-1]
    import_template(ws, write_template([*people, newcomer], tmp_path / "more.csv"))
    line.process(ready(drop(ws, "after.png", tiny_png(23))))
    assert len(reads) == 2 and seen[-1] == reads[-1] and seen[-1] != seen[0] and len(seen[-1]) == len(seen[0]) + 1
