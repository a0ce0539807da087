"""`casescan db migrate`: create or upgrade the workspace database's schema."""

from __future__ import annotations

import click

from cli.context import workspace
from scanner.tesseract import check_tesseract
from store.database import migrate_database, open_database
from store.engines import describe, is_postgres
from store.fingerprint import claim_fingerprint, replace_fingerprint
from watch.fingerprint import ADOPT, difference, machine_fingerprint


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
    applied, after = migrate_database(location)
    if not applied:
        click.echo(f"{describe(location)}: schema up to date (version {after}).")
    else:
        versions = ", ".join(str(version) for version in applied)
        click.echo(f"{describe(location)}: schema upgraded to version {after} (applied here: {versions}).")
    if is_postgres(location):
        from watch.jobs import migrate_queue

        for done in migrate_queue(str(location)):
            click.echo(f"{describe(location)}: job queue {done}.")


@db.command()
@click.option("--adopt", is_flag=True, help="Record this machine's fingerprint as the one every machine must match.")
@click.pass_context
def fingerprint(ctx: click.Context, adopt: bool) -> None:
    """What decides a scan's fate on this machine (settings, tesseract, language data), against the
    database's; exit 1 when they differ. A 'casescan watch' that differs refuses to start.

    \b
    Example:
      casescan db fingerprint
      casescan db fingerprint --adopt   # after changing every machine on purpose
    """
    ws = workspace(ctx)
    here = machine_fingerprint(ws.settings, check_tesseract())
    with open_database(ws.database) as database:
        if adopt:
            replace_fingerprint(database, here)
        stored = claim_fingerprint(database, here)
    for name, value in sorted(here.items()):
        click.echo(f"{name}: {value}")
    differs = difference(stored, here)
    if differs is None:
        click.echo(
            "adopted: this machine's fingerprint is now the database's; every 'casescan watch' that differs "
            "stops and refuses to start."
            if adopt
            else "this machine matches the database's fingerprint."
        )
        return
    click.echo(f"differs: {differs}; run '{ADOPT}' if every machine was changed on purpose.")
    ctx.exit(1)
