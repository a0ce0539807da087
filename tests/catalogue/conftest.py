"""A workspace with a small template imported, and its scans (tests/support/catalogue.py draws them)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from config.workspace import Workspace
from store.database import open_database
from tests.support.catalogue import HEADER, ROWS, Scans


@pytest.fixture
def write_template(tmp_path: Path) -> Callable[[list[list[str]]], Path]:
    def write(rows: list[list[str]]) -> Path:
        path = tmp_path / "template.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["Diocese of Exampleton"], [], HEADER, *rows])
        return path

    return write


@pytest.fixture
def loaded(workspace: Workspace, run_cli: Callable[..., Result], write_template: Callable[..., Path]) -> Workspace:
    """The workspace with ROWS imported through the real command."""
    result = run_cli("records", "import", str(write_template(ROWS)))
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture
def scans(loaded: Workspace) -> Iterator[Scans]:
    db = open_database(loaded.database)
    yield Scans(loaded, db)
    db.close()
