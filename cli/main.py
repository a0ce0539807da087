"""The `casescan` group and the one place errors become messages and exit codes."""

from __future__ import annotations

import errno
import logging
import os
import sys
from typing import Any

import click

from cli.context import AppContext
from cli.coversheets import coversheets, locationsheet
from cli.db import db
from cli.demo import demo
from cli.export import export
from cli.links import link, reject, reopen
from cli.records import records
from cli.review import review, users
from cli.scan import scan
from cli.status import status
from cli.watch import watch
from cli.workspace import init
from common.log_lines import configure_logging
from config.errors import CasescanError
from config.workspace import make_private


def os_error_message(error: OSError) -> str:
    """One line for an OS error on a path the user chose: the path, the system's words, what to do."""
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or str(error)
    if error.errno in (errno.EEXIST, errno.ENOTDIR):
        reason = f"{reason} (a file stands where a folder is needed)"
    return f"cannot use{where}: {reason}; choose another path or fix its permissions."


class CasescanGroup(click.Group):
    """Turns every CasescanError into one line on stderr and its exit code: no tracebacks for users."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CasescanError as error:
            click.echo(f"casescan: {error.message}", err=True)
            sys.exit(error.exit_code)
        except BrokenPipeError:
            # The reader went away (`casescan status | head`): nothing was wrong with what was chosen.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as error:
            # A folder or file the user chose that cannot be written or read (a path under a
            # file, no permission, a full disk): the system's words and the path are what to act on.
            # A usage error (2), never 1: `export` exits 1 for a package written with a no-go.
            click.echo(f"casescan: {os_error_message(error)}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("casescan: interrupted.", err=True)
            sys.exit(130)


@click.group(cls=CasescanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-w",
    "--workspace",
    "workspace_option",
    envvar="CASESCAN_WORKSPACE",
    metavar="DIR",
    help="The workspace (default: $CASESCAN_WORKSPACE, else the current directory).",
)
@click.option("-v", "--verbose", count=True, help="More log detail (-v info, -vv debug).")
@click.version_option(package_name="casescan")
@click.pass_context
def cli(ctx: click.Context, workspace_option: str | None, verbose: int) -> None:
    """casescan turns scanned paper safeguarding case files into a reconciled migration package.

    \b
    Example:
      casescan init ~/migration && cd ~/migration
      casescan records import template.xlsx
      casescan watch --once && casescan export
    """
    make_private()
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    configure_logging(level)
    ctx.obj = AppContext(workspace_option=workspace_option)


cli.add_command(init)
cli.add_command(db)
cli.add_command(demo)
cli.add_command(records)
cli.add_command(review)
cli.add_command(users)
cli.add_command(link)
cli.add_command(reject)
cli.add_command(reopen)
cli.add_command(export)
cli.add_command(status)
cli.add_command(watch)
cli.add_command(scan)
cli.add_command(coversheets)
cli.add_command(locationsheet)


def main() -> None:
    cli(prog_name="casescan")
