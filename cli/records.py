"""`casescan records import FILE [--sheet NAME]`."""

from __future__ import annotations

from pathlib import Path

import click

from catalogue.importer import format_report, import_template
from cli.context import workspace


@click.group()
def records() -> None:
    """The migration template: the electronic records the scans are linked to."""


@records.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", metavar="NAME", help="The worksheet to read (default: the first).")
@click.pass_context
def import_(ctx: click.Context, file: Path, sheet: str | None) -> None:
    """Import (or re-import) the migration template, .xlsx or .csv, and print its data-quality report.

    Re-importing updates records by case reference. A file with no case-reference column is
    refused and nothing changes.

    \b
    Example:
      casescan records import "Migration template.xlsx" --sheet Cases
    """
    result = import_template(workspace(ctx), file, sheet)
    template = result.template
    click.echo(
        f"Imported {file.name}: header on row {template.header_row}, {template.rows_read} rows read, "
        f"{result.added} added, {result.updated} updated, {result.excluded} excluded (Archbishop's List)."
    )
    click.echo(f"Decided again against the new template: {result.redecided} item(s) changed.")
    click.echo("")
    click.echo(format_report(template.problems), nl=False)
    click.echo(f"\nReport saved to {result.report_path}")
