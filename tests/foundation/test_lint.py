"""ruff's lint and format rules (pyproject.toml) hold for every file, as mypy's do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_finds_nothing_to_lint() -> None:
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_is_formatted_as_ruff_formats_it() -> None:
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
