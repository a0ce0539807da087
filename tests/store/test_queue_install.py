"""Several `casescan db migrate` at once on an empty database: the job queue is installed once."""

from __future__ import annotations


def test_three_migrations_at_once_install_the_job_queue_once(postgres_url: str) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from store.database import migrate_database
    from watch.jobs import install_queue

    def migrate() -> bool:
        migrate_database(postgres_url)
        return asyncio.run(install_queue(postgres_url))

    with ThreadPoolExecutor(3) as pool:
        created = list(pool.map(lambda _: migrate(), range(3)))
    assert sorted(created) == [False, False, True]
