"""`casescan review [--host H] [--port P] [--cert FILE --key FILE]` and `casescan users add|list|disable|passwd`."""

from __future__ import annotations

import getpass
import ipaddress
import ssl
import sys
from pathlib import Path

import click

from cli.context import workspace
from config.errors import UsageError
from review.app import create_app
from review.security import hash_password, password_problem
from review.serving import make_server
from store.audit import record_event
from store.database import open_database
from store.users import ROLES, add_user, disable_user, list_users, set_password


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", metavar="ADDRESS", help="Address to listen on (default 127.0.0.1: this computer only).")
@click.option("--port", type=int, metavar="PORT", help="Port to listen on (default 8765).")
@click.option(
    "--cert", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TLS certificate (PEM) for HTTPS."
)
@click.option(
    "--key", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TLS private key (PEM) for HTTPS."
)
@click.pass_context
def review(ctx: click.Context, host: str | None, port: int | None, cert: Path | None, key: Path | None) -> None:
    """Serve the review page where safeguarding leads confirm or correct uncertain links.

    It listens on 127.0.0.1 unless told otherwise; on any other address use --cert and --key
    so passwords and personal data never cross the network in clear text.

    \b
    Example:
      casescan users add alex --role admin
      casescan review --port 8765
    """
    if (cert is None) != (key is None):
        raise UsageError("--cert and --key go together; give both files for HTTPS, or neither.")
    ws = workspace(ctx, **{"review.host": host, "review.port": port})
    host, port = ws.settings.review.host, ws.settings.review.port
    app = create_app(ws)
    app.config["SESSION_COOKIE_SECURE"] = cert is not None
    with open_database(ws.database) as db:
        if not list_users(db):
            click.echo("casescan: no accounts yet; add one with 'casescan users add NAME --role admin'.", err=True)
    if not is_loopback(host):
        click.echo(
            f"casescan: WARNING the review page is reachable from other computers on {host}"
            + (
                "."
                if cert
                else " without TLS: passwords and personal data cross the network unencrypted; use --cert and --key."
            ),
            err=True,
        )
    try:
        server = make_server(host, port, app, cert=cert, key=key)
    except ssl.SSLError as error:
        raise UsageError(
            f"cannot use {cert} and {key} for HTTPS ({error.reason or error}); give a PEM certificate "
            "and its private key."
        ) from None
    except OSError as error:
        raise UsageError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); choose another with --port or --host."
        ) from None
    scheme = "https" if cert else "http"
    click.echo(f"Review page on {scheme}://{host}:{server.port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    finally:
        server.server_close()


@click.group()
def users() -> None:
    """Accounts for the review page: leads decide items; admins also manage users and read the audit log."""


def _read_password() -> str:
    """Twice at a hidden prompt, or two lines on stdin when a script pipes them in."""
    if sys.stdin.isatty():
        first = click.prompt("Password", hide_input=True)
        second = click.prompt("Password again", hide_input=True)
    else:
        first, second = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(first, second)
    if problem:
        raise UsageError(f"{problem} Nothing was changed.")
    return first


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="lead decides items; admin also manages users and the audit log.",
)
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str) -> None:
    """Add an account; the password is asked twice (or read as two lines from stdin).

    \b
    Example:
      casescan users add sam --role lead
      printf '%s\\n%s\\n' "$PW" "$PW" | casescan users add sam --role lead
    """
    ws = workspace(ctx)
    password = _read_password()
    with open_database(ws.database) as db:
        add_user(db, name, role, hash_password(password))
        record_event(db, actor=getpass.getuser(), action="user_added", detail=f"{name} as {role}")
    click.echo(f"Added {name} ({role}).")


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List the accounts, their role and whether they are disabled.

    \b
    Example:
      casescan users list
    """
    with open_database(workspace(ctx).database) as db:
        accounts = list_users(db)
    if not accounts:
        click.echo("No accounts yet; add one with 'casescan users add NAME --role admin'.")
    for account in accounts:
        click.echo(
            f"{account.name}\t{account.role}\t{'disabled' if account.disabled else 'active'}\t{account.created_at}"
        )


@users.command("disable")
@click.argument("name")
@click.pass_context
def users_disable(ctx: click.Context, name: str) -> None:
    """Stop an account signing in (its decisions stay in the audit log).

    \b
    Example:
      casescan users disable sam
    """
    with open_database(workspace(ctx).database) as db:
        disable_user(db, name)
        record_event(db, actor=getpass.getuser(), action="user_disabled", detail=name)
    click.echo(f"Disabled {name}; it can no longer sign in, and its open sessions have ended.")


@users.command("passwd")
@click.argument("name")
@click.pass_context
def users_passwd(ctx: click.Context, name: str) -> None:
    """Set a new password for NAME (asked twice, or two lines on stdin); its sessions end at once.

    It also lifts a lockout after too many failed sign-ins.

    \b
    Example:
      casescan users passwd sam
    """
    ws = workspace(ctx)
    password = _read_password()
    with open_database(ws.database) as db:
        set_password(db, name, hash_password(password))
        record_event(db, actor=getpass.getuser(), action="password_changed", detail=f"for {name}")
    click.echo(f"New password set for {name}; every session of the account has ended.")
