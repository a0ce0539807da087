"""`casescan link DOCUMENT CASE_REF`, `casescan reject DOCUMENT` and `casescan reopen DOCUMENT --reason TEXT`:
decisions from the command line, recorded under the operating-system user's name."""

from __future__ import annotations

import getpass

import click

from cli.context import workspace
from decisions.actions import ReviewItem, link_document, reject_document, reopen_document
from store.database import open_database
from store.states import State


def _summary(item: ReviewItem) -> str:
    pages = f"pages {item.first_page}-{item.last_page} of {item.source_file}"
    if item.state == State.REJECTED:
        return f"Document {item.document_id} ({pages}) rejected: not a case file."
    return f"Document {item.document_id} ({pages}) linked to {item.record_reference} ({item.state})."


@click.command()
@click.argument("document", type=int)
@click.argument("case_ref")
@click.pass_context
def link(ctx: click.Context, document: int, case_ref: str) -> None:
    """Link case file DOCUMENT to the template record CASE_REF, recorded under your user name.

    The ids are listed by 'casescan status'. An item already decided by a person is left alone.

    \b
    Example:
      casescan link 42 SGD-2024-0412
    """
    ws = workspace(ctx)
    with open_database(ws.database) as db:
        item = link_document(db, document, case_ref, getpass.getuser())
    click.echo(_summary(item))


@click.command()
@click.argument("document", type=int)
@click.pass_context
def reject(ctx: click.Context, document: int) -> None:
    """Reject DOCUMENT: its pages are not a case file and stay out of the migration package.

    \b
    Example:
      casescan reject 43
    """
    ws = workspace(ctx)
    with open_database(ws.database) as db:
        item = reject_document(db, document, getpass.getuser())
    click.echo(_summary(item))


@click.command()
@click.argument("document", type=int)
@click.option("--reason", required=True, metavar="TEXT", help="Why the decision is undone; kept in the audit trail.")
@click.pass_context
def reopen(ctx: click.Context, document: int, reason: str) -> None:
    """Undo a person's decision on DOCUMENT (admin): the item waits for review again.

    The audit trail keeps the decision undone, this one and the reason.

    \b
    Example:
      casescan reopen 42 --reason "linked to the wrong Ruth Ellis: a slip of the Enter key"
    """
    ws = workspace(ctx)
    with open_database(ws.database) as db:
        item = reopen_document(db, document, getpass.getuser(), reason)
    click.echo(
        f"Document {item.document_id} (pages {item.first_page}-{item.last_page} of {item.source_file}) "
        f"reopened: it waits for review again ({item.kind})."
    )
