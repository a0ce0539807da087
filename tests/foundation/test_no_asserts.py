"""Product code never steers by `assert`: `python -O` strips asserts, and an AssertionError
reaches a user as a traceback. Each former assert is a typed error or code that needs none."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.packages import FLOW
from watch.stability import Arrived, Outcome
from watch.worker import WorkerNotStarted, process_in_worker

ROOT = Path(__file__).parents[2]
PRODUCT = FLOW


def asserts_in(source: str) -> list[int]:
    """Lines holding an `assert` statement or raising AssertionError."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            lines.append(node.lineno)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == "AssertionError":
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("package", PRODUCT)
def test_product_code_holds_no_assert(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        found = asserts_in(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} asserts on lines {found}: raise a typed error instead"


@pytest.mark.parametrize(
    "source, found",
    [
        ("assert x is not None", [1]),
        ("x = 1\nraise AssertionError('unreachable')", [2]),
        ("raise AssertionError", [1]),
        ("raise ValueError('x')", []),
    ],
)
def test_asserts_are_found(source: str, found: list[int]) -> None:
    assert asserts_in(source) == found


def test_a_worker_never_started_says_so(tmp_path: Path) -> None:
    with pytest.raises(WorkerNotStarted, match="start_worker"):
        process_in_worker(Arrived(tmp_path / "scan.pdf", Outcome.READY, "", 0.0))
