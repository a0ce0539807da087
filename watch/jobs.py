"""The inbox's files as jobs in PostgreSQL, through procrastinate (a maintained job library).

One job per settled inbox path: its `queueing_lock` is the path, so a path never waits twice, and
its `lock` is the path, so no two workers ever run the same path at once. Workers fetch jobs with
`SELECT … FOR UPDATE SKIP LOCKED`, send heartbeats, and a job whose worker went silent is handed to
another (`retry_stalled`). The work itself is the single service's pipeline, unchanged, run in this
machine's pool of worker processes; its commits pass the job's fence (`store.claims.fence`), so a
worker whose job was handed on records nothing and moves nothing.

procrastinate is imported only here, and only with a PostgreSQL URL: SQLite needs none of it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from config.workspace import Workspace
from store import claims
from store.database import Database, DatabaseError, open_database
from store.engines import MIGRATION_LOCK_KEY, advisory_lock, describe, driver_errors, one_line, run_script
from watch import worker
from watch.held import worker_area
from watch.intake import processing_area
from watch.pipeline import MAX_ATTEMPTS, FileResult
from watch.stability import Arrived, Outcome

QUEUE = "casescan-inbox"
LONGEST_RETRY = 10.0  # seconds between tries while the database is away, at most
TASK = "casescan.process_file"
HEX_PREFIX = "hex:"
log = logging.getLogger(__name__)

RunFile = Callable[[Arrived, claims.JobToken], Awaitable[FileResult]]


class DatabaseGone(Exception):
    """The worker's connection to PostgreSQL broke mid-file (a restart, a network cut); the file is
    tried again once the database is back, by this worker or another."""


class BrokenProcessPoolError(Exception):
    """A worker process died mid-file (killed, out of memory): the file is tried again."""


class LeftForAnotherMachine(Exception):
    """This machine's decisions no longer match the database's: the file goes back to the queue for a
    machine whose do."""


def retry_delay(failures: int, first: float) -> float:
    """Seconds before the next try after `failures` in a row: doubling from `first`, so an outage of
    an hour costs the server a try every few seconds from each process, not several a second."""
    return min(LONGEST_RETRY, first * 2 ** min(failures, 32))


def job_key(relative: str) -> str:
    """An inbox path as a job's lock and argument: itself when it is valid text, else its bytes in hex
    (a name in no valid encoding cannot be stored as JSON text, and one such name made every
    queueing of the discoverer's round fail); a name that itself begins "hex:" is hexed too."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return HEX_PREFIX + os.fsencode(relative).hex()
    return HEX_PREFIX + os.fsencode(relative).hex() if relative.startswith(HEX_PREFIX) else relative


def path_of(key: str) -> str:
    return os.fsdecode(bytes.fromhex(key[len(HEX_PREFIX) :])) if key.startswith(HEX_PREFIX) else key


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def named(url: str, role: str) -> str:
    """`url` with an application_name saying which machine and process, and what for: an operator
    sees in pg_stat_activity who holds the discoverer lock and who works."""
    parts = urlsplit(url)
    added = "application_name=" + quote(f"casescan {role} {worker_name()}", safe="")
    return urlunsplit(parts._replace(query=f"{parts.query}&{added}" if parts.query else added))


def make_app(url: str) -> Any:
    """A procrastinate app on `url` (its pool checks a connection before lending it, so a restarted
    server costs a reconnection, not a failed job)."""
    try:
        import procrastinate
    except ImportError:
        raise DatabaseError(
            "[database] url names a PostgreSQL database, but its job library is not installed: "
            "pip install 'casescan[postgres]'."
        ) from None
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=named(url, "worker"), min_size=1, max_size=4)
    )
    app.job_manager = _fenced_job_manager(app.connector)
    return app


def _fenced_job_manager(connector: Any) -> Any:
    """procrastinate's job manager, except that a job's end (finished, or to be tried again) is
    written only while the job is still this attempt's. A worker whose job was handed on while it
    was alive (paused, cut off) would otherwise end its successor's attempt, or fail on a row
    already gone with an error nobody awaits ("Task exception was never retrieved")."""
    from procrastinate import utils
    from procrastinate.exceptions import ConnectorException
    from procrastinate.manager import JobManager

    class FencedJobManager(JobManager):
        async def finish_job(self, job: Any, status: Any, delete_job: bool) -> None:
            await self._if_ours(claims.FINISH_IF_OURS, job, status=status.value, delete_job=delete_job)

        async def retry_job(
            self, job: Any, retry_at: Any = None, priority: Any = None, queue: Any = None, lock: Any = None
        ) -> None:
            await self.hand_on(job, retry_at=retry_at, priority=priority, queue=queue, lock=lock)

        async def hand_on(self, job: Any, **change: Any) -> bool:
            """Back to the queue (tried again); False when it was no longer this attempt's."""
            return await self._if_ours(
                claims.RETRY_IF_OURS,
                job,
                retry_at=change.get("retry_at") or utils.utcnow(),
                new_priority=change.get("priority"),
                new_queue_name=change.get("queue"),
                new_lock=change.get("lock"),
            )

        async def _if_ours(self, query: str, job: Any, **arguments: Any) -> bool:
            """procrastinate writes a job's end once: lost to an outage, the job stayed running for
            ever under a worker whose heartbeat goes on, its path locked against any later file."""
            failures = 0
            while True:
                try:
                    rows = await self.connector.execute_query_all_async(
                        query=query, job_id=job.id, attempts=job.attempts, worker_id=job.worker_id, **arguments
                    )
                    break
                except ConnectorException as error:
                    delay = retry_delay(failures, 0.5)
                    failures += 1
                    log.warning(
                        "event=job-end-unwritten job=%s action=retry retry_in=%.1f (%s)",
                        job.id,
                        delay,
                        one_line(error)[:200],
                    )
                    await asyncio.sleep(delay)
            if not rows:
                log.info("event=job-handed-on job=%s action=left-to-its-new-worker", job.id)
            return bool(rows)

    return FencedJobManager(connector)


async def run_worker(app: Any, **options: Any) -> None:
    """procrastinate's worker (`App.run_worker_async`'s options), whose heartbeat outlives a database
    outage.

    procrastinate 3.10's heartbeat stops for good at its first failed update, and nothing notices:
    the worker watches its side tasks only until the first one ends, and the periodic deferrer ends
    at once when there are no periodic tasks (procrastinate-org/procrastinate#1597). After a
    PostgreSQL restart such a worker went on taking jobs that the discoverer handed on as stalled,
    each hand-on counted against the file, until good scans were quarantined as "failed"."""
    from procrastinate.worker import Worker

    class SteadyWorker(Worker):
        async def _update_heartbeat(self) -> None:
            while True:
                await asyncio.sleep(self.update_heartbeat_interval)
                if self.worker_id is None:  # registered before this task starts; unregistered at the end
                    continue
                try:
                    await self.app.job_manager.update_heartbeat(self.worker_id)
                except Exception as error:  # the server away: try again next beat, never stop beating
                    log.warning("event=heartbeat-failed action=retry (%s)", one_line(error)[:200])

    await SteadyWorker(app=app, **options).run()


def register_task(
    app: Any, run_file: RunFile, finished: Callable[[FileResult], None], refuse: Callable[[Mapping[str, str]], None]
) -> Any:
    """The one task: take the job's file through the pipeline in a worker process. `refuse` is told
    when the database's decision fingerprint stopped matching this machine's."""
    import procrastinate

    retry = procrastinate.RetryStrategy(
        max_attempts=MAX_ATTEMPTS,
        wait=2,
        retry_exceptions={DatabaseGone, BrokenProcessPoolError, LeftForAnotherMachine},
    )

    @app.task(name=TASK, queue=QUEUE, pass_context=True, retry=retry)
    async def process_file(context: Any, path: str, outcome: str, reason: str, seen_at: float) -> str:
        job = context.job
        token = claims.JobToken(int(job.id), job.worker_id, int(job.attempts))
        arrived = Arrived(Path(path_of(path)), Outcome(outcome), reason, seen_at)
        try:
            result = await run_file(arrived, token)
        except claims.DecisionsChanged as changed:
            refuse(changed.stored)
            raise LeftForAnotherMachine("this machine's decisions no longer match the database's") from None
        except claims.JobLost as lost:
            log.warning("event=job-lost job=%s action=nothing-recorded (%s)", job.id, lost)
            return "lost"
        finished(result)
        return result.state

    return process_file


async def queue_file(app: Any, relative: str, arrived: Arrived) -> bool:
    """Queue one settled inbox path; False when a job for it already waits."""
    import procrastinate.exceptions

    key = job_key(relative)
    try:
        await app.configure_task(TASK, queue=QUEUE, lock=key, queueing_lock=key).defer_async(
            path=key, outcome=arrived.outcome.value, reason=arrived.reason, seen_at=arrived.seen_at
        )
    except procrastinate.exceptions.AlreadyEnqueued:
        return False
    return True


def paths_in_hand(db: Database) -> set[str]:
    """Inbox paths (relative) with a job waiting or running, anywhere."""
    return {path_of(lock) for lock in claims.locks_in_hand(db, QUEUE)}


async def retry_stalled(app: Any, stalled_seconds: float) -> int:
    """Hand the jobs of workers silent for `stalled_seconds` (killed, cut off) to the others."""
    handed = 0
    for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_seconds):
        if await app.job_manager.hand_on(job):  # False: finished or handed on meanwhile
            handed += 1
            log.warning("event=job-stalled job=%s action=handed-to-another-worker", job.id)
    return handed


def queue_installed(db: Database) -> bool:
    return db.connection.execute(db.engine.table_exists, ("procrastinate_jobs",)).fetchone() is not None


def queue_migrations(folder: Path | None = None) -> list[Path]:
    """procrastinate's migration files, oldest first (their names begin with the version)."""
    from procrastinate.schema import SchemaManager

    return sorted(Path(folder or SchemaManager.get_migrations_path()).glob("*.sql"), key=lambda path: path.name)


def pending_migrations(applied: str | None, migrations: list[Path]) -> list[Path]:
    """The migrations after `applied`; none when nothing was recorded (a queue created before
    casescan kept count is taken to be the installed procrastinate's)."""
    return [] if applied is None else [path for path in migrations if path.name > applied]


def queue_behind(db: Database) -> bool:
    """The job queue's tables are older than this machine's procrastinate: `db migrate` is due."""
    return bool(pending_migrations(claims.queue_migration(db), queue_migrations()))


def migrate_queue(url: str, folder: Path | None = None) -> list[str]:
    """Create procrastinate's tables, or apply its migrations since the last one applied
    (`casescan db migrate`); returns what was done, for the operator.

    Under the schema migration's lock, held by a connection of its own: several `db migrate` at once
    do it once. Each step and its record commit together, so an interrupted upgrade resumes."""
    import psycopg
    from procrastinate.schema import SchemaManager

    migrations = queue_migrations(folder)
    done: list[str] = []
    with open_database(url) as db:
        db.connection.execute(advisory_lock(MIGRATION_LOCK_KEY, until="session", wait=True))
        if not queue_installed(db):
            steps = [("created (procrastinate's tables)", SchemaManager.get_schema(), migrations[-1].name)]
        else:
            applied = claims.queue_migration(db)
            if applied is None:  # created before casescan kept count: count from here
                with db.transaction() as conn:
                    claims.record_queue_migration(conn, migrations[-1].name)
            steps = [
                (f"upgraded ({path.name})", path.read_text(encoding="utf-8"), path.name)
                for path in pending_migrations(applied, migrations)
            ]
        for said, script, name in steps:
            try:
                with db.transaction() as conn:
                    run_script(conn, script)
                    claims.record_queue_migration(conn, name)
            except psycopg.Error as error:
                raise DatabaseError(
                    f"could not {'create' if said.startswith('created') else 'upgrade'} the job queue in "
                    f"{describe(url)} ({name}: {one_line(error)})."
                ) from None
            done.append(said)
    return done


def process_claimed(arrived: Arrived, token: claims.JobToken, fingerprint: Mapping[str, str]) -> FileResult:
    """In a worker process: the pipeline, with every commit fenced by this job's attempt and this
    machine's decision fingerprint."""
    try:
        pipeline = worker.current_pipeline()
    except DatabaseError as error:
        raise DatabaseGone(str(error)) from None
    pipeline.commit_guard = partial(claims.fence, token=token, fingerprint=fingerprint)
    pipeline.counts_starts = False
    pipeline.area = worker_area(processing_area(pipeline.workspace.root), token.worker_id)
    try:
        claims.end_when_stuck_in_transaction(pipeline.db, pipeline.workspace.settings.database.stalled_seconds)
        return pipeline.process(arrived)
    except driver_errors(pipeline.db.location) as error:
        _reconnect(pipeline.workspace)
        raise DatabaseGone(f"the database connection broke: {one_line(error)}") from None


def _reconnect(workspace: Workspace) -> None:
    pipeline = worker.current_pipeline()
    try:
        pipeline.db.close()
    except Exception:  # already broken; closing it only frees the socket
        pass
    try:
        pipeline.db = open_database(workspace.database)
    except DatabaseError:
        log.warning("event=database-unreachable action=retry-next-file")
