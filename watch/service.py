"""The service loop: notice, wait for arrival, hand to a worker pool, report.

Start-up: guard rails, the workspace lock, release rows whose file has gone, observer, then a sweep
of everything already in the inbox (and a full rescan every `rescan_seconds`, since inotify misses
events and network shares send none). A file whose work was dropped because it changed is a new
arrival; one whose move out of the inbox failed is tried again with a growing pause, not at every
rescan. Only `queue_size` files wait for a worker at once, so a
10,000-file drop costs one small tracker entry per file, not one pending task each.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from common.files import printable, real_path
from config.junk import JunkFilter, junk_filter
from config.workspace import Workspace
from scanner.tesseract import check_language, check_tesseract
from store import claims, scans
from store.database import Database, open_database
from store.engines import POSTGRES, describe
from watch.fingerprint import check_fingerprint, machine_fingerprint
from watch.guard import WatchAlreadyRunning, WorkspaceLock, check_folders
from watch.held import orphaned, recover_held, settle_orphans
from watch.intake import processing_area
from watch.observer import Noticed, start_observer
from watch.pipeline import FileResult, Steps, default_steps, log_result
from watch.stability import FileStabilityTracker, Outcome, Waiting
from watch.worker import process_in_worker, start_worker

MIN_PAUSE_SECONDS = 0.01
log = logging.getLogger(__name__)

Progress = Callable[[FileResult, "Summary"], None]
Tell = Callable[[str], None]  # a line for the person running `watch --once`; it may name files


@dataclass
class Summary:
    """Counts for this run: the CLI's exit code and progress bar come from here."""

    states: Counter[str] = field(default_factory=Counter)
    found: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> int:
        return sum(self.states.values())

    @property
    def all_through(self) -> bool:
        return not any(self.states[state] for state in ("quarantined", "unreadable", "failed", "stuck", "held"))


def printable_path(path: Path, inbox: Path) -> str:
    return "inbox/" + printable(path.relative_to(inbox).as_posix())


def _moved(before: float | None, now: float | None) -> bool:
    return (before is None) != (now is None) or (before is not None and now is not None and abs(before - now) > 1)


class WatchService:
    def __init__(
        self,
        workspace: Workspace,
        *,
        once: bool = False,
        polling: bool | None = None,
        steps_factory: Callable[[], Steps] = default_steps,
        progress: Progress | None = None,
        tell: Tell | None = None,
    ) -> None:
        self.workspace = workspace
        self.settings = workspace.settings.watch
        self.once = once
        self.polling = self.settings.polling if polling is None else polling
        self.steps_factory = steps_factory
        self.progress = progress
        self.tell = tell
        self.summary = Summary()
        self.workers = int(workspace.settings.scanner.workers) or os.cpu_count() or 1
        self.capacity = self.workers + int(self.settings.queue_size)
        self._stop = threading.Event()
        self._junk: JunkFilter = junk_filter(workspace.settings)
        self._inbox = workspace.inbox.resolve()
        self._tracker = FileStabilityTracker(
            self.settings.settle_seconds,
            self.settings.grace_seconds,
            int(self.settings.read_retries),
            give_up_held=once,
        )
        self._in_flight: dict[Future[FileResult], Path] = {}
        self._backoff: dict[Path, float] = {}  # a file whose move failed: not looked at again before then
        self._told: dict[Path, float | None] = {}
        self._db: Database | None = None  # the service's own connection, while it runs

    def stop(self) -> None:
        """Safe from a signal handler: the loop finishes files in hand and returns."""
        self._stop.set()

    def run(self) -> Summary:
        check_folders(self.workspace)
        # Once, at start-up: a missing OCR engine or language must stop the service with its
        # install advice, not quarantine every file that arrives.
        tesseract = check_tesseract()
        check_language(self.workspace.settings.scanner.ocr_language)
        with WorkspaceLock(self.workspace), open_database(self.workspace.database) as db:
            if db.engine is POSTGRES and not claims.take_single_service_lock(db):
                raise WatchAlreadyRunning(
                    f"'casescan watch' workers are running on {describe(db.location)}; stop them before "
                    "'casescan watch --once', or leave the work to them."
                    if claims.cluster_present(db)
                    else f"another 'casescan watch --once' is already running on {describe(db.location)}; "
                    "let it finish first."
                )
            changed = check_fingerprint(db, machine_fingerprint(self.workspace.settings, tesseract))
            if changed is not None:
                log.warning("event=decisions-changed %s; files from now on are decided this way", changed)
            self._release_orphans(db)
            recover_held(db, self.workspace)
            self._db = db
            events: queue.SimpleQueue[Noticed] = queue.SimpleQueue()
            observer = (
                None
                if self.once
                else start_observer(self._inbox, events, polling=self.polling, poll_seconds=self.settings.poll_seconds)
            )
            log.info(
                "event=watch-start mode=%s workers=%d settle=%s grace=%s",
                "once" if self.once else ("polling" if self.polling else "native"),
                self.workers,
                self.settings.settle_seconds,
                self.settings.grace_seconds,
            )
            try:
                self._sweep()
                self.summary.found = len(self._tracker)
                self._loop(events)
            finally:
                if observer is not None:
                    observer.stop()
                    observer.join(timeout=5)
        log.info("event=watch-stop %s", " ".join(f"{k}={v}" for k, v in sorted(self.summary.states.items())))
        return self.summary

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(self.workspace, self.steps_factory, os.getpid(), logging.getLogger().getEffectiveLevel()),
        )

    def _loop(self, events: queue.SimpleQueue[Noticed]) -> None:
        pool = self._new_pool()
        last_rescan = time.monotonic()
        try:
            while not self._stop.is_set():
                self._drain(events)
                if not self.once and time.monotonic() - last_rescan >= self.settings.rescan_seconds:
                    self._sweep()
                    last_rescan = time.monotonic()
                if self._collect():
                    pool.shutdown(wait=True, cancel_futures=True)
                    self._collect()
                    pool = self._new_pool()
                self._retry_due()
                for arrived in self._tracker.due(self.capacity - len(self._in_flight)):
                    if arrived.outcome is Outcome.HELD:
                        self._record(arrived.path, FileResult("held", message=arrived.reason))
                    else:
                        self._in_flight[pool.submit(process_in_worker, arrived)] = arrived.path
                if self.once:
                    self._tell_waiting(self._tracker.waiting())
                    if not self._tracker and not self._in_flight:
                        return
                self._pause(events)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._collect()

    def _pause(self, events: queue.SimpleQueue[Noticed]) -> None:
        """Sleep until a worker finishes, an event arrives, or a tracked file is due a look."""
        next_check = self._tracker.seconds_to_next_check()
        if len(self._in_flight) >= self.capacity:
            next_check = None  # files due a look wait for a worker; one finishing ends the wait
        # Never a zero wait: the loop would spin, and its CPU is the workers' on a small server.
        timeout = max(MIN_PAUSE_SECONDS, min(0.25, next_check if next_check is not None else 0.25))
        if self._in_flight:
            wait(list(self._in_flight), timeout=timeout, return_when=FIRST_COMPLETED)
        elif timeout > 0:
            try:
                events_item = events.get(timeout=timeout)
            except queue.Empty:
                return
            self._notice(events_item)

    def _drain(self, events: queue.SimpleQueue[Noticed]) -> None:
        while True:
            try:
                self._notice(events.get_nowait())
            except queue.Empty:
                return

    def _notice(self, noticed: Noticed) -> None:
        if noticed.is_directory:
            if noticed.path.is_dir() and not noticed.path.is_symlink() and self._wanted(noticed.path):
                self._sweep(noticed.path)
        elif (
            self._wanted(noticed.path)
            and noticed.path not in self._in_flight.values()
            and noticed.path not in self._backoff
        ):
            self._tracker.track(noticed.path, activity=True)

    def _wanted(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self._inbox)
        except ValueError:
            return False
        if not relative.parts or self._junk.is_junk(relative):
            return False
        # A path reached through a linked folder names the inbox but lies outside it: never taken,
        # or moving it to the archive would move someone else's file.
        return path.parent.resolve() == self._inbox / relative.parent

    def _sweep(self, top: Path | None = None) -> None:
        busy = set(self._in_flight.values())
        now = time.time()
        for folder, subfolders, files in os.walk(top or self._inbox):
            subfolders[:] = [name for name in subfolders if not self._junk.is_junk_folder(name)]
            links = [name for name in subfolders if os.path.islink(os.path.join(folder, name))]  # reported, not walked
            for name in files + links:
                path = Path(folder, name)
                if path in busy or path in self._tracker or path in self._backoff or not self._wanted(path):
                    continue
                try:
                    age = now - path.lstat().st_mtime
                except OSError:
                    continue
                self._tracker.track(path, activity=False, age=age)

    def _collect(self) -> bool:
        """Record finished files; True when the pool broke (a worker died) and must be replaced.
        What a dead worker process held is settled once the files of its time have ended."""
        broken = False
        finished = [f for f in self._in_flight if f.done()]
        if finished and self._db is not None:
            settle_orphans(self._db, self.workspace, orphaned(processing_area(self.workspace.root)))
        for future in finished:
            path = self._in_flight.pop(future)
            if future.cancelled():  # stopping: the file was never started and stays in the inbox
                continue
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                log.error("event=worker-died action=retry")
                self._tracker.track(path, activity=False)
                continue
            except Exception as error:  # its message may quote the file's name: DEBUG only, with the traceback
                log.error("event=file-failed action=left-in-inbox error=%s", type(error).__name__)
                log.debug("event=file-failed", exc_info=True)
                result = FileResult("failed")
            self._record(path, result)
        return broken

    def _record(self, path: Path, result: FileResult) -> None:
        if result.state in ("changed", "gone"):  # the work was dropped: what is at the path now is a new arrival,
            self._tracker.track(path, activity=True)
            if path.parent.is_dir():
                self._sweep(path.parent)  # and a name it was renamed to, even with no events (--once)
            return
        if result.state == "stuck":
            if not self.once:
                self._backoff[path] = time.monotonic() + result.retry_in
            if self.tell is not None:
                self.tell(result.message)
        elif result.state == "held" and self.tell is not None:
            self.tell(
                f"left in the inbox: {printable_path(path, self._inbox)}: {result.message}; "
                "run 'casescan watch --once' again once the scanner or copy has finished"
            )
        elif result.state in scans.FINAL_STATES and os.path.lexists(path):  # a new file took the name meanwhile
            self._tracker.track(path, activity=True)
        self.summary.states[result.state] += 1
        log_result(result)
        if self.progress is not None:
            self.progress(result, self.summary)

    def _retry_due(self) -> None:
        now = time.monotonic()
        for path in [p for p, when in self._backoff.items() if when <= now]:
            del self._backoff[path]
            self._tracker.track(path, activity=False, age=self.settings.settle_seconds)

    def _tell_waiting(self, waiting: list[Waiting]) -> None:
        """One line per file still waited for, again only when its deadline moves; no names in the log."""
        fresh = [w for w in waiting if w.path not in self._told or _moved(self._told[w.path], w.until)]
        if not fresh:
            return
        log.info("event=waiting files=%d", len(waiting))
        for item in fresh:
            self._told[item.path] = item.until
            log.debug("event=waiting file=%s reason=%s", item.path, item.reason)
            if self.tell is not None:
                when = (
                    "until it is closed"
                    if item.until is None
                    else "until " + time.strftime("%H:%M:%S", time.localtime(item.until))
                )
                self.tell(f"waiting for {printable_path(item.path, self._inbox)} {when}: {item.reason}")

    def _release_orphans(self, db: Database) -> None:
        """Rows a stopped service left in hand: released if their file has gone, else processed again,
        without counting that start against the file (the service was stopped, the file did nothing)."""
        for scan in scans.processing_scans(db):
            if real_path(self.workspace.inbox, scan.source_file).is_file():
                scans.interrupted(db, scan.id)
            else:
                scans.release(db, scan.id, "the file left the inbox before processing finished")
