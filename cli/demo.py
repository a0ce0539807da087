"""`casescan demo [DIR]`."""

from __future__ import annotations

from pathlib import Path

import click

from synthetic.walkthrough import run_demo


@click.command()
@click.argument("directory", default="casescan-demo", type=click.Path(file_okay=False, path_type=Path))
def demo(directory: Path) -> None:
    """Build a synthetic workspace and run it end to end: import, scan, link, catalogue, export.

    Everything in it is invented. DIR (default ./casescan-demo) must be new, empty, or an earlier demo.

    \b
    Example:
      casescan demo /tmp/casescan-demo
    """
    run = run_demo(directory, click.echo)
    manifest = run.table("manifest.csv")
    catalogue = run.table("closed_paper_catalogue.csv")
    exceptions = run.table("exceptions.csv")
    click.echo(f"5. Linked automatically ({len(manifest)} case files):")
    for row in manifest:
        click.echo(
            f"     {row['case_reference']:<16} {row['link_method']:<14} {row['source_file']} "
            f"pages {row['source_pages']}"
        )
    click.echo(f"   Closed paper catalogue ({len(catalogue)} entries):")
    for row in catalogue:
        held = "in the template" if row["in_records"] == "Y" else "NOT in the template"
        click.echo(f"     {row['case_reference'] or '(unread)':<16} {row['location']}  ({held})")
    click.echo(f"   Waiting for a person ({len(exceptions)} exceptions):")
    for row in exceptions:
        click.echo(
            f"     {row['kind']:<18} {row['case_reference'] or '-':<16} {row['source_file'] or ''}  {row['detail']}"
        )
    verdict = "GO" if run.exported.go else "NO-GO"
    click.echo(f"6. Export written to {run.exported.folder}: {verdict}")
    for check in run.exported.reconciliation["checks"]:
        click.echo(f"     [{'x' if check['passed'] else ' '}] {check['detail']}")
    ws = run.workspace.root
    click.echo("\nNext, as a safeguarding lead would:")
    click.echo(f"  casescan -w {ws} users add lead --role lead")
    click.echo(f"  casescan -w {ws} review          # then open http://127.0.0.1:8765")
    click.echo(f"  casescan -w {ws} export          # again, once the review queue is empty")
