"""Fixtures every area's tests share: a real workspace on disk and the CLI run in-process."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from config.workspace import Workspace, find_workspace, init_workspace

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# A real PostgreSQL server, started only when a test asks for one (`postgres_url`).
pytest_plugins = ("tests.postgres",)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A fresh workspace, with no CASESCAN_* settings leaking in from the environment."""
    for name in list(os.environ):
        if name.startswith("CASESCAN_"):
            monkeypatch.delenv(name)
    init_workspace(tmp_path / "ws")
    return find_workspace(tmp_path / "ws")


@pytest.fixture
def run_cli(workspace: Workspace) -> Callable[..., Result]:
    """Run `casescan -w WORKSPACE ARGS...` in-process and return click's result."""

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["-w", str(workspace.root), *args], input=input, catch_exceptions=False)

    return run
