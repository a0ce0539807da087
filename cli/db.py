"""`casescan db migrate`: create or upgrade the workspace database's schema."""

from __future__ import annotations

import asyncio

import click

from store.database import migrate_database
from store.engines import describe, is_postgres
from cli.context import workspace


@click.group()
def db() -> None:
    """The workspace database (SQLite, or PostgreSQL with [database] url)."""


@db.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Create or upgrade the database's schema; running it again changes nothing.

    A workspace's own SQLite file is upgraded whenever it is opened; a PostgreSQL database shared by
    several machines only by this command (stop every 'casescan watch' first, then upgrade them all).

    \b
    Example:
      CASESCAN_DATABASE_URL=postgresql://casescan@db.example/casescan casescan db migrate
    """
    location = workspace(ctx).database
    before, after = migrate_database(location)
    if before == after:
        click.echo(f"{describe(location)}: schema up to date (version {after}).")
    else:
        click.echo(f"{describe(location)}: schema upgraded from version {before} to {after}.")
    if is_postgres(location):
        from watch.jobs import install_queue
        if asyncio.run(install_queue(str(location))):
            click.echo(f"{describe(location)}: job queue created (procrastinate's tables).")
