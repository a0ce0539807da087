"""One file, start to finish: take -> hash -> duplicate check -> scanner -> decision -> commit -> move.

The file is first taken into the service's hands (`watch.intake`): every step reads the bytes taken,
and every commit checks that the inbox path still names them. If it does not (replaced, renamed,
deleted, written to), the work is dropped, the claim is forgotten and the path is a new arrival.

The order is what makes the service crash-safe. The outcome (documents and the scan's final state,
with the name it will have in archive/ or quarantine/) is committed in one transaction, and only
then does the original leave the inbox. After a crash at any point a rerun of the same file finds:
no row or a 'processing' row -> redo (documents are replaced, not added); a final row whose
destination is still empty -> only the move is left to do. Same bytes seen before -> 'duplicate'.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from catalogue.linking import Link
from common.files import printable, real_path, sha256_of
from config.settings import Settings
from config.workspace import Workspace
from scanner.errors import ScanError
from scanner.identify import ScanOptions
from scanner.model import ScanResult
from store import scans
from store.database import Connection, Database
from store.model import Scan
from store.records import records_version
from watch.files import REASON_SUFFIX, free_name, place_original, write_reason
from watch.intake import Held, PathChanged, processing_area, take
from watch.stability import Arrived, Outcome

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a file that kills its worker this often is quarantined instead of retried for ever
MOVE_RETRY_FIRST = 30.0  # seconds before a failed move is tried again; doubled each time
MOVE_RETRY_MAX = 3600.0

ADVICE = {
    "truncated": (
        "The file never became whole (the scanner or copy stopped part-way). Scan or copy it again into the inbox."
    ),
    "empty": "The file is empty. Scan or copy it again into the inbox.",
    "encrypted": "The PDF is password-protected. Save an unprotected copy and drop that into the inbox.",
    "unsupported": "This is not a PDF, TIFF, JPEG or PNG scan. Export it as one of those and drop it into the inbox.",
    "too-large": "A page is too large to be a scan (a decompression bomb?). Rescan at 300 dpi and drop it in again.",
    "unreadable": "The file could not be read as a scan (damaged?). Rescan it and drop the new file into the inbox.",
    "failed": "casescan's worker died on this file again and again (stops of the whole service are not counted). "
    "Re-scan the paper and drop the new file into the inbox; if that fails too, keep this file and report "
    "it with the service log.",
}


class Identify(Protocol):
    """Read one file taken from the inbox: its case files; raises a ScanError when it cannot be read."""

    def __call__(self, path: Path, options: ScanOptions, /) -> ScanResult: ...


class ScanOptionsFor(Protocol):
    """The scanner's options from the settings and the template's canonical references."""

    def __call__(self, settings: Settings, known_references: frozenset[str], /) -> ScanOptions: ...


class KnownReferences(Protocol):
    """The template's canonical references, which the scanner ranks its readings against."""

    def __call__(self, db: Database, /) -> frozenset[str]: ...


class Decide(Protocol):
    """The link decision for every case file of a scan; reads the database, never writes."""

    def __call__(
        self, db: Database, result: ScanResult, *, closed: bool, location: str | None, settings: Settings
    ) -> Sequence[Link]: ...


class StoreLinks(Protocol):
    """Store a scan's decisions inside the caller's transaction (committed with the scan's outcome)."""

    def __call__(self, conn: Connection, scan_id: int, links: Sequence[Link], /) -> object: ...


@dataclass(frozen=True)
class Steps:
    """The parts of the pipeline that belong to other areas, injectable for tests."""

    identify: Identify
    options: ScanOptionsFor
    known_references: KnownReferences
    decide: Decide
    store: StoreLinks


def default_steps() -> Steps:
    from catalogue.scans import decide_scan
    from scanner import identify_file, scan_options
    from store.links import insert_links
    from store.records import reference_keys

    return Steps(identify_file, scan_options, reference_keys, decide_scan, insert_links)


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: enough for a log line, the progress bar and the exit code."""

    state: str  # done | duplicate | quarantined | unreadable | gone | changed | stuck (processed, move failed)
    scan_id: int | None = None
    kind: str = ""
    message: str = ""
    pages: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    resumed: bool = False
    retry_in: float = 0.0  # stuck: seconds until the move is tried again


def destination_of(workspace: Workspace, scan: Scan) -> Path:
    """Where a committed scan says its original goes: the name chosen at commit, never worked out again."""
    folder, name = (
        (workspace.quarantine, scan.quarantined_path)
        if scan.state == "quarantined"
        else (workspace.archive, scan.archived_path)
    )
    if name is None:
        raise ValueError(f"scan {scan.id} is {scan.state}: it has no destination until its outcome is committed")
    return folder / name


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
        self.area = processing_area(workspace.root)
        # Run first in every commit; several workers on one database fence their commits here.
        self.commit_guard: Callable[[Connection], None] | None = None
        self.counts_starts = True  # several machines count deaths as they see them (`scans.claim`)
        self._options: tuple[tuple[int, int], ScanOptions] | None = None

    def process(self, arrived: Arrived) -> FileResult:
        started = time.monotonic()
        source_file, closed, location = place(self.workspace.inbox, arrived.path)
        seen_at = scans.iso(arrived.seen_at)
        if arrived.outcome is Outcome.UNREADABLE:
            return self._unreadable(source_file, arrived.reason, seen_at)
        try:
            held = take(arrived.path, self.area)
        except FileNotFoundError:
            return FileResult("gone")
        except PathChanged as change:
            return FileResult("changed", message=str(change))
        except OSError as error:  # no permission, or a link swapped in since arrival
            return self._unreadable(source_file, f"cannot read the file ({error.strerror})", seen_at)
        try:
            file = scans.ScanFile(
                source_file,
                sha256_of(held.copy),
                held.identity.size,
                held.identity.mtime_ns / 1e9,
                closed,
                location,
                seen_at,
                held.identity.mtime_ns,
            )
            return self._process_held(held, file, arrived, started)
        except PathChanged as change:
            log.info("event=file-changed action=dropped-and-taken-again")
            return FileResult("changed", message=str(change))
        finally:
            held.release()

    def _process_held(self, held: Held, file: scans.ScanFile, arrived: Arrived, started: float) -> FileResult:
        with held.writers_kept_off():
            with self._committing(held) as conn:
                claimed = self._claim(conn, file, started)
            if isinstance(claimed, FileResult):  # a duplicate, or only the move was left to do
                return self._finish_move(held, claimed)
        try:
            if arrived.outcome is Outcome.TRUNCATED:
                kind = "empty" if file.size == 0 else "truncated"
                return self._quarantine(held, file, claimed, kind, arrived.reason, started)
            return self._identify(held, file, claimed, started)
        except PathChanged:
            with self._guarded() as conn:
                scans.drop(conn, claimed)
            raise

    @contextmanager
    def _committing(self, held: Held) -> Iterator[Connection]:
        """A transaction that commits only if the inbox path still names the bytes taken."""
        with self._guarded() as conn:
            yield conn
            held.check()

    @contextmanager
    def _guarded(self) -> Iterator[Connection]:
        """A transaction that first passes the commit guard: a worker that lost its job changes nothing."""
        with self.db.transaction() as conn:
            if self.commit_guard is not None:
                self.commit_guard(conn)
            yield conn

    def _claim(self, conn: Connection, file: scans.ScanFile, started: float) -> int | FileResult:
        """The scan id to process now, or the result when nothing is left to identify."""
        reopen: int | None = None
        for scan in scans.scans_of_file(conn, file.source_file, file.sha256):
            if scan.state in scans.FINAL_STATES and not destination_of(self.workspace, scan).exists():
                return FileResult(
                    scan.state, scan.id, scan.error_kind or "", scan.error or "", scan.pages or 0, resumed=True
                )
            if scan.state in ("seen", "processing") and reopen is None:
                reopen = scan.id
                if scan.state == "processing" and scan.attempts >= MAX_ATTEMPTS:
                    message = (
                        f"a worker died {scan.attempts} times with this file in hand, the service "
                        "running on (a crash, or the server out of memory on this file): re-scan the paper, "
                        "or report the file with the service log"
                    )
                    return self._record_quarantine(conn, file, reopen, "failed", message, started)
        scan_id = scans.claim(conn, file, reopen, count_start=self.counts_starts)
        return self._duplicate(conn, file, scan_id, started) or scan_id

    def _duplicate(self, conn: Connection, file: scans.ScanFile, scan_id: int, started: float) -> FileResult | None:
        """Same bytes already processed: this file is recorded as their duplicate.

        Asked when the file is claimed and again at its final commit, against finished scans only: a
        copy dropped while its original is in hand is identified too, so if the original's work is
        dropped (renamed or replaced meanwhile) the copy still stands on its own.
        """
        original = scans.find_original(conn, file.sha256, scan_id)
        if original is None:
            return None
        if self._left_behind(original):
            # The original's own file could not be moved and has since been renamed (a person
            # fixing the folder): these are its bytes under a new name, so they go where its row says.
            scans.drop(conn, scan_id)
            return FileResult(
                "done",
                original.id,
                resumed=True,
                message=f"the original of scan {original.id}, renamed before it could be archived",
            )
        archived = self._free(conn, self.workspace.archive, file.source_file, "archived_path")
        seconds = time.monotonic() - started
        scans.mark_duplicate(conn, scan_id, original.id, archived, seconds)
        return FileResult("duplicate", scan_id, message=f"same bytes as scan {original.id}", seconds=seconds)

    def _left_behind(self, original: Scan) -> bool:
        """A finished scan whose file never reached its destination and is no longer at its inbox path."""
        return not destination_of(self.workspace, original).exists() and not os.path.lexists(
            real_path(self.workspace.inbox, original.source_file)
        )

    def _identify(self, held: Held, file: scans.ScanFile, scan_id: int, started: float) -> FileResult:
        try:
            result = self.steps.identify(held.copy, self._scan_options())
        except ScanError as error:
            # Name the file as staff know it (relative to the inbox), not by the private name it is held under.
            message = error.message.replace(str(held.copy), file.source_file).replace(held.copy.name, file.source_file)
            return self._quarantine(held, file, scan_id, error.kind, message, started)
        except Exception as error:  # a scanner bug on one hostile file must not stop the service
            # The traceback's messages may quote the file's name: the type at ERROR, the rest at DEBUG only.
            log.error("event=scanner-crashed scan=%d error=%s", scan_id, type(error).__name__)
            log.debug("event=scanner-crashed scan=%d", scan_id, exc_info=True)
            return self._quarantine(held, file, scan_id, "unreadable", f"the scanner failed: {error!r}", started)
        links = self.steps.decide(
            self.db, result, closed=file.closed, location=file.location, settings=self.workspace.settings
        )
        seconds = time.monotonic() - started
        decisions = dict(Counter(str(link.state) for link in links))
        with held.writers_kept_off():
            with self._committing(held) as conn:
                outcome = self._duplicate(conn, file, scan_id, started)
                if outcome is None:
                    self.steps.store(conn, scan_id, links)
                    archived = self._free(conn, self.workspace.archive, file.source_file, "archived_path")
                    scans.mark_done(conn, scan_id, result.pages, archived, seconds)
                    outcome = FileResult("done", scan_id, pages=result.pages, decisions=decisions, seconds=seconds)
            return self._finish_move(held, outcome)

    def _scan_options(self) -> ScanOptions:
        """Built once per template import, not once per file: reading 50,000 references for every
        scan cost about 70 ms of each file's time."""
        version = records_version(self.db)
        if self._options is None or self._options[0] != version:
            self._options = (version, self.steps.options(self.workspace.settings, self.steps.known_references(self.db)))
        return self._options[1]

    def _quarantine(
        self, held: Held, file: scans.ScanFile, scan_id: int, kind: str, message: str, started: float
    ) -> FileResult:
        with held.writers_kept_off():
            with self._committing(held) as conn:
                outcome = self._record_quarantine(conn, file, scan_id, kind, message, started)
            return self._finish_move(held, outcome)

    def _record_quarantine(
        self, conn: Connection, file: scans.ScanFile, scan_id: int, kind: str, message: str, started: float
    ) -> FileResult:
        target = self._free(conn, self.workspace.quarantine, file.source_file, "quarantined_path")
        seconds = time.monotonic() - started
        scans.mark_quarantined(conn, scan_id, kind, message, target, seconds)
        return FileResult("quarantined", scan_id, kind, message, seconds=seconds)

    def _finish_move(self, held: Held, outcome: FileResult) -> FileResult:
        """Move the original to where the committed row says it goes (and explain a quarantine).

        The name comes from the row, never worked out again. A move that fails is recorded on the
        row with what to do, and tried again later: the outcome stands, the file is `stuck`.
        """
        if outcome.scan_id is None:  # no committed row: nowhere is recorded for the file to go
            return outcome
        scan = scans.get_scan(self.db, outcome.scan_id)
        destination = destination_of(self.workspace, scan)
        try:
            if scan.state == "quarantined":
                write_reason(
                    destination.with_name(destination.name + REASON_SUFFIX),
                    {
                        "file": scan.source_file,
                        "sha256": scan.sha256,
                        "error": scan.error_kind,
                        "message": scan.error,
                        "time": scan.finished_at,
                        "what to do": ADVICE.get(scan.error_kind or "", ADVICE["unreadable"]),
                    },
                )
            place_original(held, destination, scan.sha256)
        except OSError as error:
            return self._stuck(scan, held.path, destination, error, outcome)
        if scan.move_error is not None:
            scans.clear_move_problem(self.db, scan.id)
        return outcome

    def _stuck(self, scan: Scan, path: Path, destination: Path, error: OSError, outcome: FileResult) -> FileResult:
        retry_in = min(MOVE_RETRY_FIRST * 2**scan.move_attempts, MOVE_RETRY_MAX)
        message = move_advice(self.workspace, scan.source_file, path, destination, error)
        scans.record_move_problem(self.db, scan.id, message, retry_in)
        return FileResult(
            "stuck",
            scan.id,
            "move",
            message,
            outcome.pages,
            outcome.decisions,
            outcome.seconds,
            outcome.resumed,
            retry_in,
        )

    @staticmethod
    def _free(conn: Connection, folder: Path, source_file: str, column: str) -> str:
        return free_name(folder, source_file, lambda name: scans.path_reserved(conn, column, name))

    def _unreadable(self, source_file: str, message: str, seen_at: str) -> FileResult:
        retries = int(self.workspace.settings.watch.read_retries)
        scan_id = scans.record_unreadable(self.db, source_file, message, retries + 1, seen_at)
        return FileResult("unreadable", scan_id, "unreadable", message)


def _label(folder: Path, root: Path, name: str) -> str:
    """`inbox/Team A`: a folder as staff see it, whatever the absolute path on the server."""
    try:
        relative = folder.relative_to(root).as_posix()
    except ValueError:
        return str(folder)
    return name if relative == "." else f"{name}/{printable(relative)}"


def move_advice(workspace: Workspace, source_file: str, path: Path, destination: Path, error: OSError) -> str:
    """One line: which file could not be moved, and what a person can do about it."""
    inbox_folder = _label(path.parent, workspace.inbox, "inbox")
    kind = "quarantine" if destination.is_relative_to(workspace.quarantine) else "archive"
    target_folder = _label(destination.parent, getattr(workspace, kind), kind)
    what = f"cannot move {source_file} to the {kind} ({error.strerror or error})"
    if error.errno == errno.ENOSPC:
        return f"{what}: the disk holding the {kind} is full; free some space"
    if error.errno == errno.EEXIST:
        return f"{what}: {target_folder}/{destination.name} is already there; move that file aside"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"{what}: give the service user write permission on {inbox_folder}"
    return f"{what}: give the service user write permission on {inbox_folder} and on {target_folder}"


def log_result(result: FileResult) -> None:
    """One line per file; the file's name can hold a person's name, so it is logged at DEBUG only."""
    level = logging.WARNING if result.state in ("quarantined", "unreadable", "stuck") else logging.INFO
    decisions = ",".join(f"{k}:{v}" for k, v in sorted(result.decisions.items())) or "-"
    log.log(
        level,
        "event=file scan=%s state=%s kind=%s pages=%d decisions=%s seconds=%.2f resumed=%s",
        result.scan_id,
        result.state,
        result.kind or "-",
        result.pages,
        decisions,
        result.seconds,
        result.resumed,
    )
