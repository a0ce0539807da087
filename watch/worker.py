"""What runs inside each worker process: one database connection and one pipeline per process.

Workers ignore SIGINT/SIGTERM so a stop request lets the file in hand finish (the service waits
for them), and on Linux ask the kernel to kill them when the service dies, so a `kill -9` of the
service never leaves an orphan still moving files while a restarted service redoes them.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Callable

from common.log_lines import configure_logging
from config.workspace import Workspace, make_private
from store.database import open_database
from watch.pipeline import FileResult, Pipeline, Steps
from watch.stability import Arrived

_PR_SET_PDEATHSIG = 1
_started: tuple[Workspace, Callable[[], Steps]] | None = None
_pipeline: Pipeline | None = None


class WorkerNotStarted(RuntimeError):
    """A file was handed to a process whose pool was not started with `start_worker`: a wiring fault."""


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def start_worker(
    workspace: Workspace, steps_factory: Callable[[], Steps], parent_pid: int, log_level: int = logging.WARNING
) -> None:
    global _started  # noqa: PLW0603 -- one pipeline per worker process, made for its first file
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != parent_pid:  # the service died before the kernel could be told
        os._exit(1)
    make_private()
    configure_logging(log_level)
    # Tesseract's OpenMP threads fight each other across processes and slow every call many times.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _started = (workspace, steps_factory)


def process_in_worker(arrived: Arrived) -> FileResult:
    """Process one file in this worker process. Raises WorkerNotStarted unless `start_worker` ran here."""
    return current_pipeline().process(arrived)


def current_pipeline() -> Pipeline:
    """This worker process's pipeline (for the PostgreSQL job runner, which fences its commits),
    connected for the process's first file, not when the process starts: a pool started while the
    database is away would fail in its initializer, and the pool takes that for a worker that
    died with the file in hand. Raises WorkerNotStarted unless `start_worker` ran here, and
    DatabaseError when the database cannot be reached."""
    global _pipeline  # noqa: PLW0603 -- one pipeline per worker process
    if _started is None:
        raise WorkerNotStarted(
            "a file reached a process where start_worker did not run; start the pool "
            "with start_worker as its initializer."
        )
    if _pipeline is None:
        workspace, steps_factory = _started
        _pipeline = Pipeline(workspace, open_database(workspace.database), steps_factory())
    return _pipeline
