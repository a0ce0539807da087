"""A workspace holding the cover-sheet tests' template (tests/support/sheets.py)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from config.workspace import Workspace
from tests.support.sheets import HEADER, ROWS


@pytest.fixture
def template_workspace(tmp_path: Path, workspace: Workspace, run_cli: Callable[..., Result]) -> Workspace:
    path = tmp_path / "template.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    result = run_cli("records", "import", str(path))
    assert result.exit_code == 0, result.output
    return workspace
