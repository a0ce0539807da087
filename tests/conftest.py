"""Fixtures every area's tests share: a real workspace on disk and the CLI run in-process."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from config.workspace import Workspace, find_workspace, init_workspace
from store.database import migrate_database
from tests.support.engines import ENGINES

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# A real PostgreSQL server, started only when a test asks for one (`postgres_url`).
pytest_plugins = ("tests.support.postgres",)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_engines") and "database_engine" in metafunc.fixturenames:
        metafunc.parametrize("database_engine", ENGINES)


@pytest.fixture
def database_engine() -> str:
    """Where a test workspace keeps its state; `both_engines` runs a test once on each."""
    return "sqlite"


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, database_engine: str
) -> Workspace:
    """A fresh workspace, with no CASESCAN_* settings leaking in from the environment; on PostgreSQL
    its own new database, migrated, named by CASESCAN_DATABASE_URL as an operator would."""
    for name in list(os.environ):
        if name.startswith("CASESCAN_"):
            monkeypatch.delenv(name)
    init_workspace(tmp_path / "ws")
    if database_engine == "postgresql":
        url = request.getfixturevalue("postgres_url")
        monkeypatch.setenv("CASESCAN_DATABASE_URL", url)
        migrate_database(url)
    return find_workspace(tmp_path / "ws")


@pytest.fixture
def run_cli(workspace: Workspace) -> Callable[..., Result]:
    """Run `casescan -w WORKSPACE ARGS...` in-process and return click's result."""

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["-w", str(workspace.root), *args], input=input, catch_exceptions=False)

    return run
