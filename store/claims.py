"""What lets several `casescan watch` processes share one PostgreSQL database without doing any
file twice: the discoverer's lock, and the fence every final commit passes.

Both are PostgreSQL's own mechanisms, not a protocol of ours. The discoverer holds a session
advisory lock: the server releases it the moment the holder's connection dies (a machine killed,
unplugged, or the server restarted), and another machine's `watch` takes it on its next try. A job's
claim is procrastinate's job row: a worker that stalled (no heartbeat) has its job handed to another
worker, which bumps the row's attempts; the fence checks, inside the commit's own transaction and
with the row locked until that commit, that the job is still this worker's attempt, so a worker that
lost its job records nothing. Commits are also taken one at a time across machines, as SQLite's
write lock does on one: the duplicate check and the choice of a free archive name then see every
earlier commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from store.database import Connection, Database
from store.engines import advisory_lock, end_idle_sessions, end_idle_transactions
from store.fingerprint import stored_fingerprint

# Any constants will do; they only have to be the same for every casescan sharing one database.
DISCOVERER_LOCK_KEY = 0x63617366
COMMIT_LOCK_KEY = 0x63617367
SINGLE_SERVICE_LOCK_KEY = 0x63617368
QUEUE_MIGRATION = "job_queue_migration"  # in `meta`: the last of procrastinate's migrations applied


class JobLost(Exception):
    """This worker's job was handed to another worker (it stalled): its work is not recorded."""


class DecisionsChanged(JobLost):
    """The database's decision fingerprint is no longer this machine's (`db fingerprint --adopt` ran
    elsewhere meanwhile): this machine would decide differently, so it records nothing."""

    def __init__(self, stored: Mapping[str, str]) -> None:
        super().__init__("the database's decision fingerprint changed")
        self.stored = dict(stored)

    def __reduce__(self) -> tuple[type[DecisionsChanged], tuple[dict[str, str]]]:
        """Raised in a worker process, it crosses back to the service pickled: rebuilt from its
        message, it failed to unpickle, and the service took that for a worker that died."""
        return DecisionsChanged, (self.stored,)


@dataclass(frozen=True)
class JobToken:
    """Which attempt at which job this worker holds."""

    job_id: int
    worker_id: int | None
    attempts: int


def take_discoverer_lock(db: Database) -> bool:
    """Try, without waiting, to become the one process that scans the inbox; held while `db` is open."""
    return bool(db.connection.execute(advisory_lock(DISCOVERER_LOCK_KEY, until="session", wait=False)).fetchone()[0])


class LockLost(Exception):
    """The discoverer's session no longer holds the lock (the server ended it): another process may
    be the discoverer now."""


def holds_discoverer_lock(db: Database) -> bool:
    """Whether this session still holds the discoverer lock; also the statement that keeps the
    session from looking idle. Raises the driver's error when the session is gone."""
    row = db.connection.execute(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = ? AND pid = pg_backend_pid() "
        "AND granted",
        (DISCOVERER_LOCK_KEY,),
    ).fetchone()
    return bool(row[0])


def end_when_idle(db: Database, seconds: float) -> bool:
    """Ask the server to end this session after `seconds` without a statement, and so free its
    session locks; False on a server too old to (before PostgreSQL 14)."""
    version = int(db.connection.execute("SELECT current_setting('server_version_num')").fetchone()[0])
    statement = end_idle_sessions(version, seconds)
    if statement is None:
        return False
    db.connection.execute(statement)
    return True


def end_when_stuck_in_transaction(db: Database, seconds: float) -> None:
    """Ask the server to end this session when one of its transactions sits `seconds` without a
    statement: the commit lock and the job row that `fence` takes are then never held by a frozen worker."""
    db.connection.execute(end_idle_transactions(seconds))


def take_single_service_lock(db: Database) -> bool:
    """Try, without waiting, to be the one `watch --once` working outside the job queue; held while
    `db` is open (the server frees it when the process dies)."""
    return bool(
        db.connection.execute(advisory_lock(SINGLE_SERVICE_LOCK_KEY, until="session", wait=False)).fetchone()[0]
    )


def join_cluster(db: Database) -> bool:
    """Hold, while `db` is open, the shared side of the `watch --once` lock: a `watch --once` cannot
    start while any cluster `watch` is connected, heartbeat or not. False while a `watch --once` runs."""
    return bool(
        db.connection.execute(
            advisory_lock(SINGLE_SERVICE_LOCK_KEY, until="session", wait=False, shared=True)
        ).fetchone()[0]
    )


def cluster_present(db: Database) -> bool:
    """Whether cluster `watch` processes hold the shared side of the `watch --once` lock."""
    return _single_service_lock_held(db, "ShareLock")


def single_service_running(db: Database) -> bool:
    """Whether a `watch --once` holds its lock now (a starting cluster `watch` must not work beside it).
    Read from `pg_locks`, not by taking the lock: a try would fail beside the other cluster processes'
    shared holds, and for a moment keep them from joining."""
    return _single_service_lock_held(db, "ExclusiveLock")


def _single_service_lock_held(db: Database, mode: str) -> bool:
    row = db.connection.execute(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = ? AND mode = ? AND granted",
        (SINGLE_SERVICE_LOCK_KEY, mode),
    ).fetchone()
    return bool(row[0])


def fence(conn: Connection, token: JobToken, fingerprint: Mapping[str, str] | None = None) -> None:
    """Inside a commit's transaction: wait for the commit turn, then refuse unless the job is still ours
    and, given this machine's `fingerprint`, unless the database's is still the same.

    The job row stays locked until the commit, so the job cannot be handed on half-way through it;
    `db fingerprint --adopt` writes in a transaction of its own, so a commit sees it before or after.
    """
    conn.execute(advisory_lock(COMMIT_LOCK_KEY, until="transaction", wait=True))
    if fingerprint is not None:
        stored = stored_fingerprint(conn)
        if stored is not None and stored != dict(fingerprint):
            raise DecisionsChanged(stored)
    row = conn.execute(
        "SELECT 1 FROM procrastinate_jobs WHERE id = ? AND status = 'doing' AND attempts = ? "
        "AND worker_id IS NOT DISTINCT FROM ? FOR SHARE",
        (token.job_id, token.attempts, token.worker_id),
    ).fetchone()
    if row is None:
        raise JobLost(f"job {token.job_id} (attempt {token.attempts + 1}) was handed to another worker")


# procrastinate's own functions for a job's end, called only while its row is still this attempt's
# (locked for the statement): a worker whose job was handed on leaves the row to its new worker.
# Named parameters in procrastinate's connector's style.
_OURS = (
    "SELECT id FROM procrastinate_jobs WHERE id = %(job_id)s AND status = 'doing' AND attempts = %(attempts)s "
    "AND worker_id IS NOT DISTINCT FROM %(worker_id)s FOR UPDATE"
)
FINISH_IF_OURS = (
    f"WITH ours AS ({_OURS}) SELECT id, procrastinate_finish_job_v1(id, %(status)s, %(delete_job)s) FROM ours"
)
RETRY_IF_OURS = (
    f"WITH ours AS ({_OURS}) SELECT id, procrastinate_retry_job_v2(id, %(retry_at)s, %(new_priority)s, "
    "%(new_queue_name)s, %(new_lock)s) FROM ours"
)


def live_workers(db: Database, stalled_seconds: float) -> int:
    """How many `casescan watch` workers have sent a heartbeat within `stalled_seconds` (0 before the
    job queue's tables exist)."""
    return len(live_worker_ids(db, stalled_seconds))


def live_worker_ids(db: Database, stalled_seconds: float) -> set[int]:
    """The job queue's ids of the workers that sent a heartbeat within `stalled_seconds`."""
    if db.connection.execute(db.engine.table_exists, ("procrastinate_workers",)).fetchone() is None:
        return set()
    return {
        int(row[0])
        for row in db.connection.execute(
            "SELECT id FROM procrastinate_workers WHERE last_heartbeat > NOW() - make_interval(secs => ?)",
            (stalled_seconds,),
        )
    }


def locks_in_hand(db: Database, queue: str) -> set[str]:
    """The locks (inbox paths) of the queue's jobs waiting or running, on any machine: one column,
    from the jobs procrastinate indexes for its own lock check (a unique index keeps one running job
    per lock)."""
    return {
        row[0]
        for row in db.connection.execute(
            "SELECT lock FROM procrastinate_jobs WHERE queue_name = ? AND status IN ('todo', 'doing') "
            "AND lock IS NOT NULL",
            (queue,),
        )
    }


def queue_migration(db: Database) -> str | None:
    """The last of the job library's migration files applied to this database (None: not recorded,
    the queue was created before casescan kept count)."""
    row = db.connection.execute("SELECT value FROM meta WHERE key = ?", (QUEUE_MIGRATION,)).fetchone()
    return None if row is None else str(row[0])


def record_queue_migration(conn: Connection, name: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (QUEUE_MIGRATION, name),
    )
