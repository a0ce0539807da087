"""Log records as one line each, whoever wrote them.

casescan's own events are one line (`event=… key=value`), but the libraries under the watch
service (psycopg's pool, procrastinate, asyncio, concurrent.futures) log libpq's multi-line
messages and whole tracebacks at WARNING and ERROR: during a database outage they buried the
service's own lines, and a traceback reads to staff as a crash. The exception's type and message
stay on the line; the traceback itself is kept for `-vv` (DEBUG), where a developer asked for it.
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class OneLineFormatter(logging.Formatter):
    """`FORMAT`, every run of whitespace in the message made one space, and an exception as
    "(Type: message)" at the line's end unless `tracebacks` is set."""

    def __init__(self, tracebacks: bool = False) -> None:
        super().__init__(FORMAT)
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if self.tracebacks:
            return super().format(record)
        flat = logging.makeLogRecord(record.__dict__)
        flat.msg, flat.args = " ".join(record.getMessage().split()), None
        flat.exc_info, flat.exc_text, flat.stack_info = None, None, None
        line = super().format(flat)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line += f" ({type(error).__name__}: {' '.join(str(error).split())})"
        return line


def configure_logging(level: int) -> None:
    """Log to stderr at `level`, one line per record (tracebacks only at DEBUG): the command line's
    logging, and each worker process's, since a spawned process starts with none and printed its
    warnings bare, without time, level or logger."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(tracebacks=level <= logging.DEBUG))
    logging.basicConfig(level=level, handlers=[handler])
