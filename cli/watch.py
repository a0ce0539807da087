"""`casescan watch [--once] [--polling]`."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import click

from cli.context import workspace
from store.engines import is_postgres
from watch.pipeline import FileResult
from watch.service import Summary, WatchService


class ProgressLine:
    """One self-rewriting line on a terminal: how many, how fast, how long to go."""

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, result: FileResult, summary: Summary) -> None:
        done, total = summary.finished, max(summary.found, summary.finished)
        elapsed = time.monotonic() - summary.started
        rate = done / elapsed * 60 if elapsed > 0 else 0.0
        eta = (total - done) / (done / elapsed) if done and elapsed > 0 else 0.0
        filled = int(30 * done / total) if total else 30
        text = (
            f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} files  {rate:.1f}/min  "
            f"ETA {int(eta) // 60}:{int(eta) % 60:02d}  quarantined {summary.states['quarantined']}"
        )
        click.echo("\r" + text.ljust(self.width), nl=False, err=True)
        self.width = len(text)

    def say(self, line: str) -> None:
        """A line of its own above the progress line."""
        if self.width:
            click.echo("\r" + " " * self.width + "\r", nl=False, err=True)
            self.width = 0
        click.echo(line, err=True)

    def close(self) -> None:
        if self.width:
            click.echo("", err=True)


def _describe(summary: Summary) -> str:
    parts = [f"{count} {state}" for state, count in sorted(summary.states.items()) if count]
    return f"{summary.finished} file(s) processed" + (": " + ", ".join(parts) if parts else "") + "."


def _not_through(summary: Summary, quarantine: Path) -> str:
    """What became of the files that did not go through, naming only what happened: a user who
    read "unreadable ones were left in the inbox" looked there for files that never were."""
    count = summary.states
    said = []
    if quarantined := count["quarantined"] + count["failed"]:
        said.append(f"{quarantined} quarantined in {quarantine}, a .reason.txt beside each")
    for state, what in (
        ("unreadable", "unreadable"),
        ("held", "still being written"),
        ("stuck", "that could not be moved"),
    ):
        if count[state]:
            said.append(f"{count[state]} {what}, left in the inbox")
    return "Some files did not go through: " + "; ".join(said) + ". See 'casescan status'."


@click.command()
@click.option(
    "--once", is_flag=True, help="Process what is in the inbox now, then exit (1 if anything was quarantined)."
)
@click.option(
    "--polling",
    is_flag=True,
    default=None,
    help="Poll the inbox instead of using filesystem events (network shares); also [watch] polling.",
)
@click.pass_context
def watch(ctx: click.Context, once: bool, polling: bool | None) -> None:
    """Watch the inbox: identify, link and archive every scan dropped into it, exactly once.

    Runs until Ctrl-C or SIGTERM (files in hand are finished first). A file is taken once it has
    stopped changing for [watch] settle_seconds, is whole, and no program has it open for writing;
    files that cannot be processed go to quarantine/ with a .reason.txt beside them. With --once,
    a file already older than [watch] grace_seconds is decided at once, and every file still
    waited for is named with the time it will be decided.

    \b
    Example:
      casescan watch --once          # process today's scans, then exit
      casescan -v watch --polling    # a service on a network share, one log line per file
    """
    ws = workspace(ctx)
    progress = ProgressLine() if once and sys.stderr.isatty() else None
    tell = None
    if once:  # the person at the terminal may see file names; the log may not
        tell = progress.say if progress is not None else (lambda line: click.echo(line, err=True))
    service: WatchService
    if is_postgres(ws.database):
        from watch.cluster import ClusterService, refuse_beside_cluster

        if once:
            refuse_beside_cluster(ws)
    if is_postgres(ws.database) and not once:  # one of many workers on a shared inbox
        service = ClusterService(ws, polling=polling or None)
    else:
        service = WatchService(ws, once=once, polling=polling or None, progress=progress, tell=tell)
    previous: dict[int, Any] = {}

    def stop(signum: int, frame: FrameType | None) -> None:
        service.stop()
        signal.signal(signum, previous[signum])  # a second Ctrl-C stops at once

    for wanted in (signal.SIGINT, signal.SIGTERM):
        previous[wanted] = signal.signal(wanted, stop)
    try:
        summary = service.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if progress is not None:
            progress.close()
    if once:
        click.echo(_describe(summary))
        if not summary.all_through:
            click.echo(_not_through(summary, ws.quarantine), err=True)
            ctx.exit(1)
