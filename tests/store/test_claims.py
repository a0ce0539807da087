"""Claimed exactly once, by the database itself, on both engines: whatever the workers' code does,
two claims on one path, two originals of the same bytes, two files under one archive or quarantine
name are refused."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from config.workspace import Workspace
from store.database import open_database
from store.scans import ScanFile, claim, mark_done, mark_duplicate, mark_quarantined
from tests.support.engines import both_engines

pytestmark = both_engines
REFUSED = (sqlite3.IntegrityError, psycopg.errors.UniqueViolation)


def _file(name: str, sha: str) -> ScanFile:
    return ScanFile(name, sha, 10, 1.0, False, None, "2026-12-01T00:00:00+00:00", 1)


def test_a_path_is_claimed_by_one_worker_at_a_time(workspace: Workspace) -> None:
    with open_database(workspace.database) as db:
        with db.transaction() as conn:
            first = claim(conn, _file("a.pdf", "aa"), None)
        with pytest.raises(REFUSED), db.transaction() as conn:
            claim(conn, _file("a.pdf", "aa"), None)
        with db.transaction() as conn:  # once the first is finished, the path may be taken again
            mark_done(conn, first, 1, "a.pdf", 0.1)
            claim(conn, _file("a.pdf", "bb"), None)


def test_the_same_bytes_have_one_original(workspace: Workspace) -> None:
    with open_database(workspace.database) as db:
        with db.transaction() as conn:
            first, second = claim(conn, _file("a.pdf", "aa"), None), claim(conn, _file("b.pdf", "aa"), None)
            mark_done(conn, first, 1, "a.pdf", 0.1)
        with pytest.raises(REFUSED), db.transaction() as conn:
            mark_done(conn, second, 1, "b.pdf", 0.1)
        with db.transaction() as conn:
            mark_duplicate(conn, second, first, "b.pdf", 0.1)


@pytest.mark.parametrize("finish", [mark_done, mark_quarantined])
def test_two_files_never_get_one_name(workspace: Workspace, finish: object) -> None:
    def give_name(conn: object, scan_id: int) -> None:
        if finish is mark_done:
            mark_done(conn, scan_id, 1, "a.pdf", 0.1)  # type: ignore[arg-type]
        else:
            mark_quarantined(conn, scan_id, "empty", "empty", "a.pdf", 0.1)  # type: ignore[arg-type]

    with open_database(workspace.database) as db:
        with db.transaction() as conn:
            first, second = claim(conn, _file("a.pdf", "aa"), None), claim(conn, _file("b/a.pdf", "bb"), None)
            give_name(conn, first)
        with pytest.raises(REFUSED), db.transaction() as conn:
            give_name(conn, second)
