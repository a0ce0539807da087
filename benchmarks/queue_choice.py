"""Which PostgreSQL job library should carry the inbox's files: procrastinate or pgqueuer?

Measures, against a real throwaway PostgreSQL server (the test suite's: Debian's package, a unix
socket, `fsync` off in both runs alike), what each library costs per file through its own public
job-manager calls: enqueue one job keyed by its inbox path, then fetch it and mark it done, one job
at a time (the latency a file pays), and the same jobs drained by two consumers at once (the
throughput when several workers share one queue; a job fetched twice would be counted). It also
checks the one behaviour the service needs most: a second job for the same inbox path is refused
while the first waits. Install both first: `pip install procrastinate pgqueuer` (neither is needed
by casescan itself beyond the one chosen).

Usage:  .venv/bin/python -m benchmarks.queue_choice [--jobs 400]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg

from tests.support.postgres import admin_execute, server_binaries, start_server, stop_server


@dataclass
class Figures:
    enqueue_ms: list[float] = field(default_factory=list)
    fetch_done_ms: list[float] = field(default_factory=list)
    parallel_jobs_per_s: float = 0.0
    fetched_twice: int = 0
    duplicate_refused: bool = False
    install_s: float = 0.0


def _paths(count: int) -> list[str]:
    return [f"Team A/batch {number:05d}.pdf" for number in range(count)]


async def _timed(into: list[float], action: Callable[[], Awaitable[object]]) -> object:
    start = time.perf_counter()
    result = await action()
    into.append((time.perf_counter() - start) * 1000)
    return result


async def _drain(consumers: int, fetch_one: Callable[[int], Awaitable[object | None]]) -> tuple[int, list[object]]:
    """Run consumers until the queue is empty; returns the jobs each fetched."""
    taken: list[object] = []

    async def consumer(number: int) -> None:
        while (job := await fetch_one(number)) is not None:
            taken.append(job)

    await asyncio.gather(*(consumer(number) for number in range(consumers)))
    return len(taken), taken


async def measure_procrastinate(url: str, jobs: int) -> Figures:
    import procrastinate
    from procrastinate import jobs as pjobs
    from procrastinate.exceptions import AlreadyEnqueued

    figures = Figures()
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
    async with app.open_async():
        start = time.perf_counter()
        await app.schema_manager.apply_schema_async()
        figures.install_s = time.perf_counter() - start
        manager = app.job_manager

        def job_for(path: str) -> pjobs.Job:
            return pjobs.Job(
                id=None, queue="inbox", lock=path, queueing_lock=path, task_name="take", task_kwargs={"path": path}
            )

        worker_id = await manager.register_worker()
        for path in _paths(jobs):
            await _timed(figures.enqueue_ms, functools.partial(manager.defer_job_async, job_for(path)))
        try:
            await manager.defer_job_async(job_for(_paths(1)[0]))
        except AlreadyEnqueued:
            figures.duplicate_refused = True
        for _ in range(jobs):
            start = time.perf_counter()
            job = await manager.fetch_job(queues=["inbox"], worker_id=worker_id)
            assert job is not None
            await manager.finish_job(job, status=pjobs.Status.SUCCEEDED, delete_job=False)
            figures.fetch_done_ms.append((time.perf_counter() - start) * 1000)

        for path in _paths(jobs):
            await manager.defer_job_async(job_for(path + ".2"))
        workers = [await manager.register_worker() for _ in range(2)]

        async def fetch_one(number: int) -> object | None:
            job = await manager.fetch_job(queues=["inbox"], worker_id=workers[number])
            if job is None:
                return None
            await manager.finish_job(job, status=pjobs.Status.SUCCEEDED, delete_job=False)
            return job.id

        start = time.perf_counter()
        count, taken = await _drain(2, fetch_one)
        figures.parallel_jobs_per_s = count / (time.perf_counter() - start)
        figures.fetched_twice = count - len(set(taken))
    return figures


async def measure_pgqueuer(url: str, jobs: int) -> Figures:
    from pgqueuer.adapters.persistence.queries import Queries
    from pgqueuer.domain.errors import DuplicateJobError
    from pgqueuer.ports.repository import EntrypointExecutionParameter

    figures = Figures()
    entrypoints = {"take": EntrypointExecutionParameter(concurrency_limit=0)}
    heartbeat = timedelta(seconds=30)
    connections = [await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(3)]
    try:
        queries = [Queries.from_psycopg_connection(conn) for conn in connections]
        start = time.perf_counter()
        await queries[0].install()
        figures.install_s = time.perf_counter() - start
        manager_ids = [uuid.uuid4() for _ in connections]

        for path in _paths(jobs):
            await _timed(
                figures.enqueue_ms, functools.partial(queries[0].enqueue, "take", path.encode(), dedupe_key=path)
            )
        try:
            await queries[0].enqueue("take", b"again", dedupe_key=_paths(1)[0])
        except DuplicateJobError:
            figures.duplicate_refused = True

        async def fetch_done(number: int) -> object | None:
            found = await queries[number].dequeue(1, entrypoints, manager_ids[number], None, heartbeat)
            if not found:
                return None
            await queries[number].log_jobs([(found[0], "successful", None)])
            return found[0].id

        for _ in range(jobs):
            start = time.perf_counter()
            assert await fetch_done(0) is not None
            figures.fetch_done_ms.append((time.perf_counter() - start) * 1000)

        for path in _paths(jobs):
            await queries[0].enqueue("take", path.encode(), dedupe_key=path + ".2")
        start = time.perf_counter()
        count, taken = await _drain(2, lambda number: fetch_done(number + 1))
        figures.parallel_jobs_per_s = count / (time.perf_counter() - start)
        figures.fetched_twice = count - len(set(taken))
    finally:
        for conn in connections:
            await conn.close()
    return figures


def _line(name: str, figures: Figures) -> str:
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    per_file = statistics.median(figures.enqueue_ms) + statistics.median(figures.fetch_done_ms)
    return (
        f"{name:<14} {statistics.median(figures.enqueue_ms):8.2f} {p95(figures.enqueue_ms):8.2f} "
        f"{statistics.median(figures.fetch_done_ms):8.2f} {p95(figures.fetch_done_ms):8.2f} "
        f"{per_file:9.2f} {figures.parallel_jobs_per_s:9.0f} {figures.fetched_twice:6d} "
        f"{'yes' if figures.duplicate_refused else 'NO':>9} {figures.install_s:7.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=400)
    args = parser.parse_args()
    server = start_server(server_binaries())
    try:
        print(f"PostgreSQL {server.bindir.parent.name}, {args.jobs} jobs each, one at a time, then 2 consumers")
        print(
            f"{'library':<14} {'enq ms':>8} {'enq p95':>8} {'f+d ms':>8} {'f+d p95':>8} "
            f"{'ms/file':>9} {'jobs/s·2':>9} {'twice':>6} {'dup refd':>9} {'schema s':>7}"
        )
        for name, measure in (("procrastinate", measure_procrastinate), ("pgqueuer", measure_pgqueuer)):
            admin_execute(server, f'CREATE DATABASE "{name}"')
            print(_line(name, asyncio.run(measure(server.url(name), args.jobs))), flush=True)
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
