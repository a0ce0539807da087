"""The test PostgreSQL is real, private to the session, and gives each test an empty database."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from tests.support.postgres import PostgresMissing, PostgresServer, as_server_user, server_binaries


def test_each_test_gets_an_empty_database_of_its_own(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        conn.execute("CREATE TABLE left_behind (x int)")
        name = conn.execute("SELECT current_database()").fetchone()
    assert tables == (0,)
    assert name is not None and name[0] != "postgres"


def test_a_second_test_does_not_see_the_first_ones_tables(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert rows == []


def test_the_server_listens_on_its_unix_socket_only_and_not_as_root(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()
        sockets = conn.execute("SHOW unix_socket_directories").fetchone()
    assert listen == ("",)
    assert sockets == (str(postgres_server.socket_dir),)
    assert (postgres_server.folder / "data").stat().st_uid != 0


def test_missing_server_programs_are_named_with_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(PostgresMissing, match="apt-get install postgresql"):
        server_binaries(tmp_path)


def test_the_newest_installed_version_is_chosen(tmp_path: Path) -> None:
    for version in ("9", "15", "13"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        (bindir / "pg_ctl").touch()
        (bindir / "initdb").touch()
    assert server_binaries(tmp_path) == tmp_path / "15" / "bin"


def test_commands_run_as_the_postgres_user_only_when_we_are_root() -> None:
    command = as_server_user(["initdb", "-D", "x"])
    if os.geteuid() == 0:
        assert command[:4] == ["runuser", "-u", "postgres", "--"]
    else:
        assert command == ["initdb", "-D", "x"]
