"""What a dead cluster worker left in the processing area, settled by the discoverer from what the
database says: never a live worker's file, never bytes no row places, never an original lost."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from config.workspace import Workspace, find_workspace, init_workspace
from store import scans
from store.database import Database, migrate_database, open_database
from tests.support.cluster import query
from watch.held import tidy_held, worker_area
from watch.intake import processing_area
from watch.jobs import migrate_queue

STALLED = 4.0


@pytest.fixture
def ws(tmp_path: Path, postgres_url: str) -> Workspace:
    init_workspace(tmp_path / "ws")
    migrate_database(postgres_url)
    migrate_queue(postgres_url)
    return find_workspace(tmp_path / "ws", environ={"CASESCAN_DATABASE_URL": postgres_url})


def worker(url: str, *, alive: bool) -> int:
    seconds_ago = 0 if alive else 3600
    return int(
        query(
            url,
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (NOW() - make_interval(secs => %s)) RETURNING id",
            (seconds_ago,),
        )[0][0]
    )


def finished(db: Database, name: str, data: bytes, *, state: str = "done") -> None:
    """A row whose outcome is committed for `data`, to be placed at archive/`name`."""
    file = scans.ScanFile(name, hashlib.sha256(data).hexdigest(), len(data), 1.0, False, None, scans.utc_now(), 1)
    with db.transaction() as conn:
        scan_id = scans.claim(conn, file, None)
        if state == "done":
            scans.mark_done(conn, scan_id, 1, name, 0.1)
        else:
            scans.mark_quarantined(conn, scan_id, "unreadable", "cut", name, 0.1)


def held(ws: Workspace, worker_id: int, name: str, data: bytes, *, linked_from: Path | None = None) -> Path:
    path = worker_area(processing_area(ws.root), worker_id) / name
    if linked_from is not None:
        os.link(linked_from, path)
    else:
        path.write_bytes(data)
    return path


def test_a_dead_workers_files_are_settled_and_a_live_workers_left_alone(ws: Workspace, postgres_url: str) -> None:
    dead, live = worker(postgres_url, alive=False), worker(postgres_url, alive=True)
    ws.inbox.mkdir(exist_ok=True)
    ws.archive.mkdir(exist_ok=True)
    (ws.inbox / "waiting.pdf").write_bytes(b"still in the inbox")
    linked = held(ws, dead, "1-1-a", b"", linked_from=ws.inbox / "waiting.pdf")
    (ws.archive / "archived.pdf").write_bytes(b"archived bytes")
    copy_of_archived = held(ws, dead, "1-2-b", b"archived bytes")
    sole_copy = held(ws, dead, "1-3-c", b"committed, never moved")
    unknown = held(ws, dead, "1-4-d", b"no row has these bytes")
    busy = held(ws, live, "2-1-e", b"a live worker's file")
    with open_database(postgres_url) as db:
        finished(db, "archived.pdf", b"archived bytes")
        finished(db, "moved-later.pdf", b"committed, never moved")
        tidy_held(db, ws, STALLED)
    assert not linked.exists() and (ws.inbox / "waiting.pdf").read_bytes() == b"still in the inbox"
    assert not copy_of_archived.exists() and (ws.archive / "archived.pdf").read_bytes() == b"archived bytes"
    assert not sole_copy.exists() and (ws.archive / "moved-later.pdf").read_bytes() == b"committed, never moved"
    assert unknown.read_bytes() == b"no row has these bytes"  # the database has no word on them: kept
    assert busy.read_bytes() == b"a live worker's file"


def test_a_copy_whose_archived_namesake_holds_other_bytes_is_kept(ws: Workspace, postgres_url: str) -> None:
    dead = worker(postgres_url, alive=False)
    ws.archive.mkdir(exist_ok=True)
    (ws.archive / "a.pdf").write_bytes(b"something else")
    (ws.inbox / "a.pdf").parent.mkdir(exist_ok=True)
    (ws.inbox / "a.pdf").write_bytes(b"the original, still waiting")
    copy = held(ws, dead, "1-1-a", b"the row's bytes")
    with open_database(postgres_url) as db:
        finished(db, "a.pdf", b"the row's bytes")
        tidy_held(db, ws, STALLED)
    assert copy.read_bytes() == b"the row's bytes"


def test_an_emptied_dead_workers_folder_goes_and_a_quarantined_original_is_placed(
    ws: Workspace, postgres_url: str
) -> None:
    dead = worker(postgres_url, alive=False)
    held(ws, dead, "1-1-a", b"%PDF cut")
    with open_database(postgres_url) as db:
        finished(db, "cut.pdf", b"%PDF cut", state="quarantined")
        tidy_held(db, ws, STALLED)
    assert (ws.quarantine / "cut.pdf").read_bytes() == b"%PDF cut"
    assert [entry.name for entry in processing_area(ws.root).iterdir()] == []
