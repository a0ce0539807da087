"""The design's one-way flow, checked: watch -> scanner -> catalogue -> export, SQL in one place."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from tests.support.packages import FLOW

ROOT = Path(__file__).parents[2]
# In the order data flows: each package may import only those before it, never those after.
PACKAGES = FLOW
ALLOWED = {
    "config": set(),
    "common": {"config"},
    "scanner": {"config", "common"},
    "records": {"config", "common", "scanner"},
    "store": {"config", "common", "scanner", "records"},
    "catalogue": {"config", "common", "scanner", "records", "store"},
    "decisions": {"config", "common", "records", "store", "catalogue", "scanner"},
    "sheets": {"config", "common", "scanner", "records", "store"},
    "export": {"config", "common", "scanner", "records", "store", "catalogue", "decisions"},
    "watch": {"config", "common", "scanner", "records", "store", "catalogue"},
    "review": {"config", "common", "scanner", "records", "store", "catalogue", "decisions", "sheets", "export"},
    "synthetic": set(FLOW[: FLOW.index("synthetic")]) - {"review"},
    "cli": set(FLOW) - {"cli"},
}
SQL = re.compile(r"\b(SELECT\s+\S+.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b")


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        wrong = imported_packages(path) - ALLOWED[package] - {package}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_sql_lives_only_in_the_store() -> None:
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.is_relative_to(ROOT / "store"):
                continue
            found = SQL.search(path.read_text(encoding="utf-8"))
            assert found is None, f"{path.relative_to(ROOT)} holds SQL: {found.group(0)!r}"


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_stay_small(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        # 400 lines of the old hand-packed style; ruff format (one argument a line) spreads the same code ~10 % wider.
        assert lines <= 450, f"{path.relative_to(ROOT)} has {lines} lines; split it by what it does"


def test_each_package_imports_only_what_comes_before_it_in_the_flow() -> None:
    for package, allowed in ALLOWED.items():
        later = set(FLOW[FLOW.index(package) :])
        assert not allowed & later, f"{package} may import {sorted(allowed & later)}, which come after it"


def test_scanner_knows_nothing_of_records_the_store_or_the_service() -> None:
    assert not ALLOWED["scanner"] & {"records", "store", "catalogue", "decisions", "export", "watch", "review"}


def test_the_flow_names_every_package_the_project_ships_and_checks() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert set(project["mypy"]["packages"]) == {*FLOW, "tests", "benchmarks"}
    assert {name.rstrip("*") for name in project["setuptools"]["packages"]["find"]["include"]} == set(FLOW)
