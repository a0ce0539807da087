"""`casescan watch` with PostgreSQL: the same command on every machine, one shared inbox.

Each process is two things at once. A **discoverer**, but only while it holds the database's
discoverer lock (one process at a time; the server frees the lock when its holder dies, and another
process takes it on its next try): it watches the inbox with the single service's own rules
(arrival, settle, grace, junk, links, rescans) and queues one job per settled path. And a
**worker**: procrastinate fetches jobs (`SKIP LOCKED`, a path never run twice at once) and this
process runs each through the ordinary pipeline in its pool of worker processes, `[scanner] workers`
of them. The discoverer also hands the jobs of silent workers (heartbeat older than
`[database] stalled_seconds`) to the others.

Nothing is kept only in this process: a file queued, taken, committed or moved is in the database,
so `kill -9` of any process, or a restart of PostgreSQL, loses no file and does none twice.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import time
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import Any

from config.errors import CasescanError
from config.workspace import Workspace
from scanner.tesseract import Tesseract, check_language, check_tesseract
from store import claims, scans
from store.database import Database, DatabaseError, open_database
from store.engines import describe, driver_errors, one_line
from store.fingerprint import stored_fingerprint
from watch import jobs
from watch.fingerprint import FingerprintDiffers, changed_under, check_fingerprint, machine_fingerprint
from watch.guard import WorkspaceLock, check_folders
from watch.held import orphaned, settle_orphans, tidy_held, worker_area
from watch.intake import processing_area
from watch.jobs import LONGEST_RETRY, retry_delay
from watch.observer import Noticed, start_observer
from watch.pipeline import FileResult, Steps, default_steps, log_result, place
from watch.service import Summary, WatchService
from watch.stability import Arrived, FileStabilityTracker, Outcome
from watch.worker import WorkerNotStarted

log = logging.getLogger(__name__)
NEVER = float("inf")


class ClusterRunning(CasescanError):
    """`watch --once` would work beside the cluster's workers without their queue."""


def refuse_beside_cluster(workspace: Workspace) -> None:
    """`watch --once` on PostgreSQL runs this machine alone, outside the queue: never beside workers."""
    with open_database(workspace.database) as db:
        live = claims.live_workers(db, workspace.settings.database.stalled_seconds)
    if live:
        raise ClusterRunning(
            f"{live} 'casescan watch' worker(s) are running on {describe(str(workspace.database))}; "
            "they process the inbox already. Stop them before 'casescan watch --once', "
            "or leave the work to them."
        )


class ClusterService(WatchService):
    """One of many `casescan watch` processes sharing a PostgreSQL database and an inbox."""

    def __init__(
        self, workspace: Workspace, *, polling: bool | None = None, steps_factory: Callable[[], Steps] = default_steps
    ) -> None:
        super().__init__(workspace, once=False, polling=polling, steps_factory=steps_factory)
        self.url = str(workspace.database)
        self.database = workspace.settings.database
        self._pool: ProcessPoolExecutor | None = None
        self.discovering = False
        self._in_hand: set[str] = set()
        self._fingerprint: dict[str, str] = {}
        self._refused: CasescanError | None = None
        self._told_no_timeout = False

    def run(self) -> Summary:
        check_folders(self.workspace)
        tesseract = check_tesseract()
        check_language(self.workspace.settings.scanner.ocr_language)
        with WorkspaceLock(self.workspace, shared=True):  # never beside a single service on this workspace
            return self._run(tesseract)

    def _run(self, tesseract: Tesseract) -> Summary:
        with open_database(self.url) as db:  # a wrong URL or an old schema stops here, in one line
            if claims.single_service_running(db):
                raise ClusterRunning(
                    f"a 'casescan watch --once' is working on {describe(self.url)} outside the job queue; "
                    "let it finish, then start 'casescan watch'."
                )
            self._fingerprint = machine_fingerprint(self.workspace.settings, tesseract)
            check_fingerprint(db, self._fingerprint)
            if not jobs.queue_installed(db):
                raise DatabaseError(
                    f"the database {describe(self.url)} has no job queue yet; run 'casescan db migrate' once."
                )
            if jobs.queue_behind(db):
                raise DatabaseError(
                    f"the job queue in {describe(self.url)} is older than this casescan's procrastinate; stop "
                    "every 'casescan watch', then run 'casescan db migrate' once."
                )
        # procrastinate names a job's arguments (a file's name, often a child's) in its INFO lines.
        if not log.isEnabledFor(logging.DEBUG):
            logging.getLogger("procrastinate").setLevel(logging.WARNING)
        log.info(
            "event=watch-start mode=cluster workers=%d settle=%s grace=%s",
            self.workers,
            self.settings.settle_seconds,
            self.settings.grace_seconds,
        )
        asyncio.run(self._main())
        log.info("event=watch-stop %s", " ".join(f"{k}={v}" for k, v in sorted(self.summary.states.items())))
        if self._refused is not None:
            raise self._refused
        return self.summary

    async def _main(self) -> None:
        app = jobs.make_app(self.url)
        jobs.register_task(app, self._run_file, self._finished, self._refuse)
        self._pool = self._new_pool()
        try:
            async with app.open_async():
                tasks = [asyncio.create_task(self._work(app)), asyncio.create_task(self._discover(app))]
                while not self._stop.is_set() and not any(task.done() for task in tasks):
                    await asyncio.sleep(0.2)
                for task in tasks:
                    task.cancel()
                for outcome in await asyncio.gather(*tasks, return_exceptions=True):
                    if isinstance(outcome, Exception):  # a fault of ours: stop with it, never silently
                        raise outcome
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    # -- the worker ---------------------------------------------------------------------------

    async def _work(self, app: object) -> None:
        """procrastinate's worker, started again whenever it stops while this process goes on
        (the database gone away under it, its row pruned as stalled)."""
        failures = 0
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                await jobs.run_worker(
                    app,
                    queues=[jobs.QUEUE],
                    concurrency=self.workers,
                    name=jobs.worker_name(),
                    install_signal_handlers=False,
                    delete_jobs="successful",
                    update_heartbeat_interval=self.database.heartbeat_seconds,
                    stalled_worker_timeout=self.database.stalled_seconds,
                    fetch_job_polling_interval=self.settings.poll_seconds,
                )
                reason = "the job worker stopped"
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the server restarting, a network cut: start again
                reason = one_line(error)[:200]
            if self._stop.is_set():
                return
            failures = 1 if time.monotonic() - started > LONGEST_RETRY else failures + 1
            delay = retry_delay(failures - 1, 1.0)
            log.warning("event=worker-restart retry_in=%.1f reason=%s", delay, reason)
            await asyncio.sleep(delay)

    async def _run_file(self, arrived: Arrived, token: claims.JobToken) -> FileResult:
        inbox_path = Arrived(self._inbox / arrived.path, arrived.outcome, arrived.reason, arrived.seen_at)
        pool = self._pool
        if pool is None:
            raise WorkerNotStarted("a job arrived before this process's worker pool started")
        try:
            result = await asyncio.get_running_loop().run_in_executor(
                pool, jobs.process_claimed, inbox_path, token, self._fingerprint
            )
            await asyncio.to_thread(self._settle_orphans, token.worker_id)
            return result
        except BrokenProcessPool:
            log.error("event=worker-died action=retry")
            if self._pool is pool:  # the first of the files that pool had in hand replaces it
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            await asyncio.to_thread(self._count_death, inbox_path.path)
            raise jobs.BrokenProcessPoolError("a worker process died while processing the file") from None

    def _settle_orphans(self, worker_id: int | None) -> None:
        """What a dead worker process of this machine's left in its folder, once a file ends."""
        orphans = orphaned(worker_area(processing_area(self.workspace.root), worker_id))
        if not orphans:
            return
        failed: tuple[type[Exception], ...] = (DatabaseError, OSError, *driver_errors(self.url))
        try:
            with open_database(self.url) as db:
                settle_orphans(db, self.workspace, orphans)
        except failed as error:
            log.warning("event=held-untidied reason=%s (%s)", type(error).__name__, one_line(error)[:200])

    def _count_death(self, path: Path) -> None:
        """Against the file: its worker process died with it in hand, this process alive to see it."""
        unreachable: tuple[type[Exception], ...] = (DatabaseError, *driver_errors(self.url))
        try:
            with open_database(self.url) as db:
                scans.count_death(db, place(self._inbox, path)[0])
        except unreachable as error:
            log.warning("event=death-uncounted reason=database-unreachable (%s)", one_line(error)[:200])

    def _refuse(self, stored: Mapping[str, str]) -> None:
        """The fingerprint was adopted elsewhere mid-run: stop, the files in hand back to the queue."""
        if self._refused is None:
            self._refused = FingerprintDiffers(changed_under(stored, self._fingerprint))
            self._stop.set()

    def _finished(self, result: FileResult) -> None:
        self.summary.states[result.state] += 1
        log_result(result)

    # -- the discoverer -----------------------------------------------------------------------

    async def _discover(self, app: object) -> None:
        db: Database | None = None
        events: queue.SimpleQueue[Noticed] = queue.SimpleQueue()
        observer = None
        last_rescan = 0.0
        gone: tuple[type[BaseException], ...] = (DatabaseError, OSError, claims.LockLost, *driver_errors(self.url))
        failures = 0
        first = min(self.settings.poll_seconds, 1.0)
        try:
            while not self._stop.is_set():
                try:
                    if db is None:
                        db = await asyncio.to_thread(self._open_lock_session)
                    stored = await asyncio.to_thread(stored_fingerprint, db.connection)
                    if stored is not None and stored != self._fingerprint:
                        self._refuse(stored)
                        return
                    if not self.discovering and await asyncio.to_thread(claims.take_discoverer_lock, db):
                        self._become_discoverer()
                        observer = start_observer(
                            self._inbox, events, polling=self.polling, poll_seconds=self.settings.poll_seconds
                        )
                        last_rescan = 0.0
                    if self.discovering:
                        sweep = time.monotonic() - last_rescan >= self.settings.rescan_seconds
                        if sweep:
                            last_rescan = time.monotonic()
                        await self._keeping_session(db, self._discover_round(app, db, events, sweep))
                    failures = 0
                except Exception as error:  # the server or the lock's session gone; procrastinate's own errors
                    if not isinstance(error, gone) and "procrastinate" not in type(error).__module__:
                        raise
                    failures += 1
                    reason = "database-unreachable" if isinstance(error, gone) else "queue-unreachable"
                    if self.discovering:  # the lock went with its session: one line says both
                        reason = f"discoverer-stop reason={'lock-lost' if isinstance(error, gone) else reason}"
                    log.warning(
                        "event=%s role=discoverer action=retry retry_in=%.1f (%s)",
                        reason,
                        retry_delay(failures, first),
                        one_line(error)[:200],
                    )
                    db, observer = self._step_down(db, observer, said=True)
                await asyncio.sleep(retry_delay(failures, first))
        finally:
            self._step_down(db, observer)

    def _open_lock_session(self) -> Database:
        """The discoverer's own connection, ended by the server after `stalled_seconds` idle
        (PostgreSQL 14 and later): a frozen discoverer (SIGSTOP, a paused VM) loses its lock like a
        dead one, since the discoverer runs a statement on it every round while it lives. Every
        process holds one, with the shared side of the `watch --once` lock: no `watch --once` starts
        beside a cluster process, even one that has not sent its first heartbeat yet."""
        db = open_database(jobs.named(self.url, "discoverer"))
        if not claims.join_cluster(db):
            db.close()
            raise ClusterRunning(
                f"a 'casescan watch --once' started on {describe(self.url)} outside the job queue; "
                "let it finish, then start 'casescan watch' again."
            )
        if not claims.end_when_idle(db, self.database.stalled_seconds) and not self._told_no_timeout:
            self._told_no_timeout = True
            log.warning(
                "event=discoverer-no-idle-timeout reason=server-older-than-14 "
                "(a frozen discoverer keeps its lock until its connection drops)"
            )
        return db

    async def _keeping_session(self, db: Database, work: Coroutine[Any, Any, None]) -> None:
        """Run one round, with a statement on the lock's session every quarter of `stalled_seconds`
        meanwhile: a long sweep of a large inbox must not look like a frozen discoverer."""

        async def ping() -> None:
            while True:
                await asyncio.sleep(self.database.stalled_seconds / 4)
                await asyncio.to_thread(claims.holds_discoverer_lock, db)

        pinger = asyncio.create_task(ping())
        try:
            await work
        finally:
            pinger.cancel()
            await asyncio.gather(pinger, return_exceptions=True)  # a dead session is the round's to report

    async def _discover_round(self, app: object, db: Database, events: queue.SimpleQueue[Noticed], sweep: bool) -> None:
        if sweep:
            await asyncio.to_thread(tidy_held, db, self.workspace, self.database.stalled_seconds)
        await self._queue_arrivals(app, db, events, sweep=sweep)
        await jobs.retry_stalled(app, self.database.stalled_seconds)

    def _become_discoverer(self) -> None:
        """A fresh start: whatever this process tracked before may have been queued by another."""
        log.info("event=discoverer-start")
        self.discovering = True
        self._tracker = FileStabilityTracker(
            self.settings.settle_seconds,
            self.settings.grace_seconds,
            int(self.settings.read_retries),
            give_up_held=False,
        )

    def _step_down(self, db: Database | None, observer: object, *, said: bool = False) -> tuple[None, None]:
        """The lock goes with the connection: close both, and try to become the discoverer again."""
        if self.discovering and not said:
            log.info("event=discoverer-stop")
        self.discovering = False
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=5)  # type: ignore[attr-defined]
        if db is not None:
            try:
                db.close()
            except Exception:  # the connection is already broken
                pass
        return None, None

    async def _queue_arrivals(self, app: object, db: Database, events: queue.SimpleQueue[Noticed], sweep: bool) -> None:
        in_hand = await asyncio.to_thread(jobs.paths_in_hand, db)
        stuck = await asyncio.to_thread(_stuck_moves, db)
        now = time.monotonic()
        self._backoff = {self._inbox / path: NEVER for path in in_hand}
        self._backoff.update(
            {self._inbox / path: when for path, when in stuck.items() if path not in in_hand and when > now}
        )
        # A job that ended with its file still in the inbox (changed under it, a move due again):
        # what is at the path now is a new arrival, as in the single service.
        for path in (self._in_hand - in_hand) | {path for path, when in stuck.items() if when <= now}:
            if path not in in_hand and (self._inbox / path).exists() and self._inbox / path not in self._tracker:
                self._tracker.track(self._inbox / path, activity=True)
        self._in_hand = in_hand
        self._drain(events)
        if sweep:
            await asyncio.to_thread(self._sweep)
        due = self._tracker.due(max(1, self.capacity * 4))
        if due and not await asyncio.to_thread(claims.holds_discoverer_lock, db):
            raise claims.LockLost("this process no longer holds the discoverer lock")
        queued = 0
        for arrived in due:
            if arrived.outcome is Outcome.HELD:
                continue
            relative = arrived.path.relative_to(self._inbox).as_posix()
            if await jobs.queue_file(
                app, relative, Arrived(Path(relative), arrived.outcome, arrived.reason, arrived.seen_at)
            ):
                queued += 1
        if queued:
            log.info("event=queued files=%d", queued)


def _stuck_moves(db: Database) -> dict[str, float]:
    """Files processed whose move failed, and (monotonic) when to try again: the single service's backoff."""
    now_wall, now = time.time(), time.monotonic()
    return {
        stuck.source_file: now + datetime.fromisoformat(stuck.move_retry_at).timestamp() - now_wall
        for stuck in scans.stuck_in_inbox(db)
        if stuck.move_retry_at
    }
