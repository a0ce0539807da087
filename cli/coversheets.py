"""`casescan coversheets` and `casescan locationsheet`: printable sheets for the people filing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli.context import workspace
from sheets.coversheets import records_to_print, write_cover_sheets, write_location_sheet
from store.database import open_database

_OUT = click.option(
    "--out",
    required=True,
    metavar="FILE.pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF to write (replaced if it exists).",
)


@click.command()
@click.option(
    "--status", type=click.Choice(["Open", "Closed"], case_sensitive=False), help="Only records with this case status."
)
@click.option(
    "--case",
    "cases",
    multiple=True,
    metavar="REF",
    help="Only this case reference; repeat the option (or separate with commas) for several.",
)
@_OUT
@click.pass_context
def coversheets(ctx: click.Context, status: str | None, cases: tuple[str, ...], out: Path) -> None:
    """Print one A4 cover sheet per in-scope template record: reference (large type, QR code,
    Code 128), name, date of birth and, for closed cases, boxes to write the location in.

    Place a sheet on top of its paper file and scan the whole file behind it: the scanner splits
    batches at these sheets and identifies each file by its barcode. Excluded records get no sheet.

    \b
    Example:
      casescan coversheets --status Open --out open-covers.pdf
      casescan coversheets --case SGD-2024-0412 --case SGD-2024-0413 --out two.pdf
    """
    ws = workspace(ctx)
    wanted = [part.strip() for case in cases for part in case.split(",") if part.strip()]
    patterns = ws.settings.case_reference.patterns
    with open_database(ws.database, readonly=True) as db:
        records = records_to_print(db, patterns, status=status, cases=wanted)
    pages = write_cover_sheets(records, out, patterns, date.today())
    click.echo(f"Wrote {pages} cover sheet{'s' if pages != 1 else ''} to {out}")


@click.command()
@click.argument("location")
@_OUT
def locationsheet(location: str, out: Path) -> None:
    """Print a location sheet: a QR code and the LOCATION in large type.

    Scan it as the first page of a batch of closed front sheets: it sets the location of every
    sheet behind it, overriding the folder path below inbox/closed/.

    \b
    Example:
      casescan locationsheet "Diocesan House / Basement Store / Box 12" --out box12.pdf
    """
    printed = write_location_sheet(location, out, date.today())
    click.echo(f"Wrote the location sheet for '{printed}' to {out}")
