"""The fence on a cluster worker's commits and on its job's end: a worker whose job was handed on,
or whose decisions no longer match the database's, changes nothing, and says so without a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from config.workspace import init_workspace
from store import claims, scans
from store.database import migrate_database, open_database
from store.fingerprint import replace_fingerprint
from tests.support.cluster import query
from watch.jobs import QUEUE, TASK, make_app, migrate_queue

HERE = {"linking.margin": "0.15", "tesseract": "5.3.0"}


@pytest.fixture
def url(postgres_url: str, tmp_path: Path) -> str:
    init_workspace(tmp_path / "ws")
    migrate_database(postgres_url)
    migrate_queue(postgres_url)
    return postgres_url


def _doing_job(url: str) -> claims.JobToken:
    worker = query(url, "INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id")[0][0]
    job = query(
        url,
        "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, args, status, worker_id) "
        "VALUES ('q', 't', 'a.pdf', '{}', 'doing', %s) RETURNING id",
        (worker,),
    )[0][0]
    return claims.JobToken(job, worker, 0)


@pytest.mark.parametrize(
    "adopted",
    [{**HERE, "linking.margin": "0.3"}, {**HERE, "tesseract": "5.4.1"}, {**HERE, "language data eng": "ab12"}],
)
def test_a_commit_after_another_fingerprint_was_adopted_records_nothing(url: str, adopted: dict[str, str]) -> None:
    ours = _doing_job(url)
    file = scans.ScanFile("a.pdf", "aa", 1, 1.0, False, None, "2026-12-01T00:00:00+00:00", 1)
    with open_database(url) as db:
        replace_fingerprint(db, HERE)
        with db.transaction() as conn:
            claims.fence(conn, ours, HERE)  # the same decisions: the commit goes ahead
            scan_id = scans.claim(conn, file, None)
        replace_fingerprint(db, adopted)  # `casescan db fingerprint --adopt` on another machine
        with pytest.raises(claims.DecisionsChanged) as refused, db.transaction() as conn:
            claims.fence(conn, ours, HERE)
            scans.mark_done(conn, scan_id, 1, "a.pdf", 0.1)
        assert refused.value.stored == adopted
        assert scans.get_scan(db, scan_id).state == "processing"


async def _hand_on_then_end(url: str, end: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Worker A fetches a job; it stalls and is handed to worker B, which fetches it; then A ends it."""
    import procrastinate

    app = make_app(url)
    async with app.open_async():
        await app.configure_task(TASK, queue=QUEUE, lock="a.pdf").defer_async(path="a.pdf")
        manager = app.job_manager
        first, second = await manager.register_worker(), await manager.register_worker()
        taken = await manager.fetch_job(queues=[QUEUE], worker_id=first)
        await manager.retry_job(taken)  # A went silent: its job goes back to the queue
        again = await manager.fetch_job(queues=[QUEUE], worker_id=second)
        assert again.id == taken.id and again.attempts == taken.attempts + 1
        if end == "finish":  # A comes back and reports its (lost) job done
            await manager.finish_job(taken, procrastinate.jobs.Status.SUCCEEDED, delete_job=True)
        else:  # A comes back and asks for its job to be tried again
            await manager.retry_job(taken)
        during = query(url, "SELECT status, worker_id, attempts FROM procrastinate_jobs")
        await manager.finish_job(again, procrastinate.jobs.Status.SUCCEEDED, delete_job=True)
        after = query(url, "SELECT status FROM procrastinate_jobs")
        return [(during[0][0], during[0][1] == second, during[0][2])], after


@pytest.mark.parametrize("end", ["finish", "retry"])
def test_a_worker_back_from_a_pause_leaves_its_handed_on_job_to_its_new_worker(
    url: str, end: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="watch.jobs")
    during, after = asyncio.run(_hand_on_then_end(url, end))
    assert during == [("doing", True, 1)]  # still B's, untouched
    assert after == []  # B's own end deletes it, as for any finished job
    assert "event=job-handed-on" in caplog.text


def test_a_job_finished_by_its_new_worker_is_no_error_for_the_old_one(url: str) -> None:
    async def scenario() -> list[tuple[Any, ...]]:
        import procrastinate

        app = make_app(url)
        async with app.open_async():
            await app.configure_task(TASK, queue=QUEUE, lock="a.pdf").defer_async(path="a.pdf")
            manager = app.job_manager
            first, second = await manager.register_worker(), await manager.register_worker()
            taken = await manager.fetch_job(queues=[QUEUE], worker_id=first)
            await manager.retry_job(taken)
            again = await manager.fetch_job(queues=[QUEUE], worker_id=second)
            await manager.finish_job(again, procrastinate.jobs.Status.SUCCEEDED, delete_job=True)
            await manager.finish_job(taken, procrastinate.jobs.Status.SUCCEEDED, delete_job=True)  # no raise
            return query(url, "SELECT id FROM procrastinate_jobs")

    assert asyncio.run(scenario()) == []
