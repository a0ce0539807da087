"""`casescan init DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from config.workspace import init_workspace


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a workspace: inbox/, archive/, quarantine/, output/ and a commented casescan.toml.

    Running it again on an existing workspace adds any missing folder and changes nothing else.

    \b
    Example:
      casescan init ~/safeguarding-migration
    """
    workspace, created = init_workspace(directory)
    if created:
        click.echo(f"Created workspace {workspace.root}")
    else:
        click.echo(f"{workspace.root} is already a workspace; its casescan.toml was left as it is.")
    click.echo(f"  drop open case-file scans in  {workspace.inbox}")
    click.echo(f"  drop closed front sheets in   {workspace.closed_inbox}/<building>/<room>/<box>/")
    click.echo(f"Next: casescan -w {workspace.root} records import TEMPLATE.xlsx")
