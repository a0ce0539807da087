"""A real PostgreSQL for the tests, from Debian's `postgresql` package: no mock database.

One server per test session (per xdist worker), in a temporary folder, listening on a unix socket
only, so parallel sessions and a PostgreSQL already running on the machine never meet. PostgreSQL
refuses to run as root and CI runs as root, so `initdb` and `pg_ctl` run as the `postgres` user
through `runuser` then. Every test that asks gets a database of its own, copied from a template
(`CREATE DATABASE … TEMPLATE`), which takes milliseconds where an `initdb` takes seconds.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL_HINT = (
    "run `make test` (it installs Debian's `postgresql` package and the `postgres` extra), "
    "or `apt-get install postgresql` and `pip install -e '.[postgres]'`"
)
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "32MB",
}


class PostgresMissing(Exception):
    """The PostgreSQL server programs or the Python driver are not installed."""


@dataclass(frozen=True)
class PostgresServer:
    """A running test server; `url(name)` is a libpq URL over its unix socket."""

    folder: Path
    bindir: Path

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"


def server_binaries(root: Path = Path("/usr/lib/postgresql")) -> Path:
    """The newest installed version's bin folder (Debian keeps each major version apart)."""
    found = [path.parent for path in root.glob("*/bin/pg_ctl") if (path.parent / "initdb").exists()]
    if not found:
        raise PostgresMissing(f"PostgreSQL is not installed (no {root}/*/bin/initdb): {INSTALL_HINT}.")
    return max(found, key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)] or [0])


def as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses root: as root, run the command as `postgres`; otherwise as ourselves."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    result = subprocess.run(as_server_user(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr or result.stdout}")


def start_server(bindir: Path) -> PostgresServer:
    """initdb and start a throwaway cluster in a new folder the server user owns."""
    folder = Path(tempfile.mkdtemp(prefix="casescan-pg-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            raise PostgresMissing(f"there is no `postgres` user to run the server as: {INSTALL_HINT}.") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]
    )
    settings = {**SERVER_SETTINGS, "unix_socket_directories": f"'{folder}'"}
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start"])
    return PostgresServer(folder, bindir)


def stop_server(server: PostgresServer) -> None:
    _run([str(server.bindir / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "immediate", "-w", "stop"])
    shutil.rmtree(server.folder, ignore_errors=True)


def admin_execute(server: PostgresServer, statement: str) -> None:
    """One statement outside a transaction (CREATE/DROP DATABASE cannot run inside one)."""
    try:
        import psycopg
    except ImportError:
        raise PostgresMissing(f"the PostgreSQL driver psycopg is not installed: {INSTALL_HINT}.") from None
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL; a test that needs it fails (never skips) when it is not installed."""
    try:
        server = start_server(server_binaries())
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        yield server
    finally:
        stop_server(server)


_database_numbers = itertools.count(1)


@contextmanager
def database_copy(server: PostgresServer, template: str = "template0") -> Iterator[str]:
    """A new database copied from `template` (an empty one by default); dropped afterwards."""
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    try:
        admin_execute(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        yield server.url(name)
    finally:
        admin_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A URL to a fresh, empty database of this test's own, dropped afterwards."""
    with database_copy(postgres_server) as url:
        yield url


def server_down_for(server: PostgresServer, seconds: float) -> None:
    """Stop the server, every connection cut, and start it again `seconds` later: an outage long
    enough for every client's calls to fail, not only the ones in flight."""
    data, log = str(server.folder / "data"), str(server.folder / "server.log")
    _run([str(server.bindir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "-t", "60", "stop"])
    time.sleep(seconds)
    _run([str(server.bindir / "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60", "start"])


def restart_server(server: PostgresServer) -> None:
    """Restart the server as an operator would (every connection is cut), for the chaos tests."""
    _run(
        [
            str(server.bindir / "pg_ctl"),
            "-D",
            str(server.folder / "data"),
            "-l",
            str(server.folder / "server.log"),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "restart",
        ]
    )
