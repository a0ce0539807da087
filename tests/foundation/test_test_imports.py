"""Tests share helpers through tests/support/, never by importing a conftest or another test module:
pytest imports a conftest itself (a second import makes a second copy of its state), and helpers
living in a test module break when someone edits that module's tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parents[1]


def forbidden_imports(source: str) -> list[str]:
    """Imports of a conftest or a test module, by any spelling."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if any(part == "conftest" or part.startswith("test_") for part in name.split(".")):
                found.append(f"line {node.lineno}: {name}")
                break
    return found


@pytest.mark.parametrize("path", sorted(TESTS.rglob("*.py")), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_imports_a_conftest_or_another_test_module(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "from tests.watch.conftest import rows",
        "from tests.catalogue import conftest",
        "from conftest import ROWS",
        "import tests.watch.test_service",
        "from tests.watch.test_pipeline import drop",
        "from .conftest import x",
        "from . import test_service",
    ],
)
def test_each_spelling_is_found(source: str) -> None:
    assert forbidden_imports(source)


def test_support_modules_pass() -> None:
    assert forbidden_imports("from tests.support.watch import rows\nimport pytest") == []
