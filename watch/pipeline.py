"""One file, start to finish: hash -> duplicate check -> scanner -> decision -> commit -> move.

The order is what makes the service crash-safe. The outcome (documents and the scan's final state,
with the name it will have in archive/ or quarantine/) is committed in one transaction, and only
then does the original leave the inbox. After a crash at any point a rerun of the same file finds:
no row or a 'processing' row -> redo (documents are replaced, not added); a final row whose
destination is still empty -> only the move is left to do. Same bytes seen before -> 'duplicate'.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from catalogue.store import scans
from catalogue.store.database import Database
from config.workspace import Workspace
from scanner.errors import ScanError
from watch.files import REASON_SUFFIX, free_name, move_without_overwrite, printable, sha256_of, write_reason
from watch.stability import Arrived, Outcome

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a file that kills its worker this often is quarantined instead of retried for ever

ADVICE = {
    "truncated": "The file never became whole (the scanner or copy stopped part-way). Scan or copy it again into the inbox.",
    "empty": "The file is empty. Scan or copy it again into the inbox.",
    "encrypted": "The PDF is password-protected. Save an unprotected copy and drop that into the inbox.",
    "unsupported": "This is not a PDF, TIFF, JPEG or PNG scan. Export it as one of those and drop it into the inbox.",
    "too-large": "A page is too large to be a scan (a decompression bomb?). Rescan at 300 dpi and drop it in again.",
    "unreadable": "The file could not be read as a scan (damaged?). Rescan it and drop the new file into the inbox.",
    "failed": "casescan failed on this file repeatedly. Keep the file and report it with the service log.",
}


@dataclass(frozen=True)
class Steps:
    """The parts of the pipeline that belong to other areas, injectable for tests."""

    identify: Callable[[Path, Any], Any]
    options: Callable[[Any, frozenset[str]], Any]
    known_references: Callable[[Database], frozenset[str]]
    decide: Callable[..., Sequence[Any]]
    store: Callable[[Any, int, Sequence[Any]], Any]


def default_steps() -> Steps:
    from catalogue.linking import decide_scan
    from catalogue.store.documents import insert_links
    from catalogue.store.records import reference_keys
    from scanner import identify_file, scan_options

    return Steps(identify_file, scan_options, reference_keys, decide_scan, insert_links)


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: enough for a log line, the progress bar and the exit code."""

    state: str  # done | duplicate | quarantined | unreadable | gone
    scan_id: int | None = None
    kind: str = ""
    message: str = ""
    pages: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    resumed: bool = False


def place(inbox: Path, path: Path) -> tuple[str, bool, str | None]:
    """(source_file, closed, location): a file under inbox/closed/ is a closed front sheet whose
    folders below closed/ say where the paper lives."""
    relative = PurePosixPath(printable(path.relative_to(inbox).as_posix()))
    if relative.parts[0] == "closed" and len(relative.parts) > 1:
        folders = relative.parts[1:-1]
        return str(relative), True, " / ".join(folders) if folders else None
    return str(relative), False, None


class Pipeline:
    def __init__(self, workspace: Workspace, db: Database, steps: Steps) -> None:
        self.workspace = workspace
        self.db = db
        self.steps = steps

    def process(self, arrived: Arrived) -> FileResult:
        started = time.monotonic()
        path = arrived.path
        source_file, closed, location = place(self.workspace.inbox, path)
        seen_at = scans.iso(arrived.seen_at)
        if arrived.outcome is Outcome.UNREADABLE:
            return self._unreadable(source_file, arrived.reason, seen_at)
        try:
            sha256 = sha256_of(path)
            stat = path.stat()
        except FileNotFoundError:
            return FileResult("gone")
        except OSError as error:  # no permission, or a link swapped in since arrival (O_NOFOLLOW)
            return self._unreadable(source_file, f"cannot read the file ({error.strerror})", seen_at)
        file = scans.ScanFile(source_file, sha256, stat.st_size, stat.st_mtime, closed, location, seen_at)
        with self.db.transaction() as conn:
            claimed = self._claim(conn, file, started)
        if isinstance(claimed, FileResult):
            self._finish_move(path, claimed)
            return claimed
        if arrived.outcome is Outcome.TRUNCATED:
            kind = "empty" if file.size == 0 else "truncated"
            return self._quarantine(path, file, claimed, kind, arrived.reason, started)
        return self._identify(path, file, claimed, started)

    def _claim(self, conn: Any, file: scans.ScanFile, started: float) -> int | FileResult:
        """The scan id to process now, or the result when nothing is left to identify."""
        reopen: int | None = None
        for row in scans.rows_for_file(conn, file.source_file, file.sha256):
            if row["state"] in scans.FINAL_STATES and not self._destination(row).exists():
                return FileResult(row["state"], row["id"], row["error_kind"] or "", row["error"] or "",
                                  row["pages"] or 0, resumed=True)
            if row["state"] in ("seen", "processing") and reopen is None:
                reopen = row["id"]
                if row["state"] == "processing" and row["attempts"] >= MAX_ATTEMPTS:
                    message = f"processing stopped {row['attempts']} times without finishing (the worker crashed or was killed)"
                    return self._record_quarantine(conn, file, reopen, "failed", message, started)
        scan_id = scans.claim(conn, file, reopen)
        original = scans.find_original(conn, file.sha256, scan_id)
        if original is None:
            return scan_id
        archived = self._free(conn, self.workspace.archive, file.source_file, "archived_path")
        seconds = time.monotonic() - started
        scans.mark_duplicate(conn, scan_id, original["id"], archived, seconds)
        return FileResult("duplicate", scan_id, message=f"same bytes as scan {original['id']}", seconds=seconds)

    def _identify(self, path: Path, file: scans.ScanFile, scan_id: int, started: float) -> FileResult:
        options = self.steps.options(self.workspace.settings, self.steps.known_references(self.db))
        try:
            result = self.steps.identify(path, options)
        except ScanError as error:
            # Name the file as staff know it (relative to the inbox), not by the service's absolute path.
            message = error.message.replace(str(path), file.source_file)
            return self._quarantine(path, file, scan_id, error.kind, message, started)
        except Exception as error:  # a scanner bug on one hostile file must not stop the service
            log.exception("event=scanner-crashed scan=%d", scan_id)
            return self._quarantine(path, file, scan_id, "unreadable", f"the scanner failed: {error!r}", started)
        links = self.steps.decide(self.db, result, closed=file.closed, location=file.location,
                                  settings=self.workspace.settings)
        seconds = time.monotonic() - started
        with self.db.transaction() as conn:
            self.steps.store(conn, scan_id, links)
            archived = self._free(conn, self.workspace.archive, file.source_file, "archived_path")
            scans.mark_done(conn, scan_id, result.pages, archived, seconds)
        decisions = dict(Counter(str(getattr(link, "state", "stored")) for link in links))
        outcome = FileResult("done", scan_id, pages=result.pages, decisions=decisions, seconds=seconds)
        move_without_overwrite(path, self.workspace.archive / archived)
        return outcome

    def _quarantine(self, path: Path, file: scans.ScanFile, scan_id: int, kind: str, message: str,
                    started: float) -> FileResult:
        with self.db.transaction() as conn:
            outcome = self._record_quarantine(conn, file, scan_id, kind, message, started)
        self._finish_move(path, outcome)
        return outcome

    def _record_quarantine(self, conn: Any, file: scans.ScanFile, scan_id: int, kind: str, message: str,
                           started: float) -> FileResult:
        target = self._free(conn, self.workspace.quarantine, file.source_file, "quarantined_path")
        seconds = time.monotonic() - started
        scans.mark_quarantined(conn, scan_id, kind, message, target, seconds)
        return FileResult("quarantined", scan_id, kind, message, seconds=seconds)

    def _finish_move(self, path: Path, outcome: FileResult) -> None:
        """Move the original to where the committed row says it goes (and explain a quarantine)."""
        assert outcome.scan_id is not None, "only outcomes with a committed row are moved"
        row = scans.scan_row(self.db, outcome.scan_id)
        destination = self._destination(row)
        if row["state"] == "quarantined":
            write_reason(destination.with_name(destination.name + REASON_SUFFIX), {
                "file": row["source_file"],
                "sha256": row["sha256"],
                "error": row["error_kind"],
                "message": row["error"],
                "time": row["finished_at"],
                "what to do": ADVICE.get(row["error_kind"], ADVICE["unreadable"]),
            })
        move_without_overwrite(path, destination)

    def _destination(self, row: Any) -> Path:
        if row["state"] == "quarantined":
            return self.workspace.quarantine / row["quarantined_path"]
        return self.workspace.archive / row["archived_path"]

    @staticmethod
    def _free(conn: Any, folder: Path, source_file: str, column: str) -> str:
        return free_name(folder, source_file, lambda name: scans.path_reserved(conn, column, name))

    def _unreadable(self, source_file: str, message: str, seen_at: str) -> FileResult:
        retries = int(self.workspace.settings.watch.read_retries)
        scan_id = scans.record_unreadable(self.db, source_file, message, retries + 1, seen_at)
        return FileResult("unreadable", scan_id, "unreadable", message)


def log_result(result: FileResult) -> None:
    """One line per file; the file's name can hold a person's name, so it is logged at DEBUG only."""
    level = logging.WARNING if result.state in ("quarantined", "unreadable") else logging.INFO
    decisions = ",".join(f"{k}:{v}" for k, v in sorted(result.decisions.items())) or "-"
    log.log(level, "event=file scan=%s state=%s kind=%s pages=%d decisions=%s seconds=%.2f resumed=%s",
            result.scan_id, result.state, result.kind or "-", result.pages, decisions, result.seconds,
            result.resumed)
