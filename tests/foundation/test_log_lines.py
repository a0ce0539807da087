"""Every log line is one line, whoever logs it: libraries under the watch service log libpq's
multi-line messages and tracebacks, which buried the service's own events during an outage."""

from __future__ import annotations

import logging
import subprocess
import sys

from common.log_lines import OneLineFormatter


def _record() -> logging.LogRecord:
    try:
        raise ConnectionError("connection to server failed:\n\tIs the server running?")
    except ConnectionError:
        return logging.getLogger("psycopg.pool").makeRecord(
            "psycopg.pool",
            logging.WARNING,
            __file__,
            1,
            "error connecting in %r:\n  %s",
            ("pool-1", "bad"),
            sys.exc_info(),
        )


def test_a_library_record_with_a_traceback_is_one_line_naming_the_error() -> None:
    line = OneLineFormatter().format(_record())
    assert "\n" not in line and "Traceback" not in line
    assert line.endswith(
        "error connecting in 'pool-1': bad (ConnectionError: connection to server failed: Is the server running?)"
    )


def test_debug_keeps_the_traceback_for_a_developer() -> None:
    assert "Traceback" in OneLineFormatter(tracebacks=True).format(_record())


def test_the_command_line_logs_one_line_per_event() -> None:
    code = (
        "import logging, sys; sys.argv = ['casescan', '-v', 'status', '--help'];"
        "from cli.main import cli;"
        "cli.main(standalone_mode=False);"
        "logging.getLogger('asyncio').error('Task exception was never retrieved', exc_info=ValueError('x\\ny'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    [line] = done.stderr.splitlines()
    assert line.endswith("ERROR asyncio Task exception was never retrieved (ValueError: x y)")
