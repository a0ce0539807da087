"""`casescan export [--out DIR]`: write the migration package and say whether it is a go."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.context import workspace
from export import export_package


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where to write the package (a new or empty folder; default: output/<timestamp>/).",
)
@click.pass_context
def export(ctx: click.Context, out: Path | None) -> None:
    """Write the migration package: records.csv, attachments/, manifest.csv, closed_paper_catalogue.csv,
    exceptions.csv, migration.xlsx and reconciliation.json.

    Exits 0 when the reconciliation says go, 1 when it says no-go (the package is written either way).

    \b
    Example:
      casescan export --out /mnt/migration/package-1
    """
    result = export_package(workspace(ctx), out)
    report = result.reconciliation
    click.echo(f"Package written to {result.folder}")
    for check in report["checks"]:
        click.echo(f"  [{'ok' if check['passed'] else 'NO'}] {check['name']}: {check['detail']}")
    click.echo("GO: ready to load." if result.go else "NO-GO: see exceptions.csv and reconciliation.json.")
    if not result.go:
        sys.exit(1)
