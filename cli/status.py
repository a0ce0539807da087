"""`casescan status [--json]`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from cli.context import workspace
from export.status import workspace_status
from store.database import open_database


def _field(name: str, value: Any) -> str:
    """`next retry at 2026-03-02 14:05:31 (local time)`: people read a bare `at=` in UTC as when it failed."""
    if name == "at" or name.endswith("_at"):
        words = name.replace("_", " ")
        try:
            when = datetime.fromisoformat(str(value)).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return f"{words} {value}"
        return f"{words} {when} (local time)"
    return f"{name}={value}"


def _print_section(name: str, value: Any, indent: int = 0) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        click.echo(f"{pad}{name.replace('_', ' ')}:")
        for key, item in value.items():
            _print_section(key, item, indent + 1)
    elif isinstance(value, list):
        click.echo(f"{pad}{name.replace('_', ' ')}: {len(value)}")
        for item in value:
            click.echo(
                f"{pad}  - "
                + (", ".join(_field(k, v) for k, v in item.items()) if isinstance(item, dict) else str(item))
            )
    else:
        click.echo(f"{pad}{name.replace('_', ' ')}: {value}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Where the migration stands: records, scans, links and what is waiting for review.

    \b
    Example:
      casescan status --json
    """
    ws = workspace(ctx)
    with open_database(ws.database) as db:
        report = workspace_status(db, ws)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(f"Workspace {ws.root}")
    for name, value in report.items():
        _print_section(name, value)
