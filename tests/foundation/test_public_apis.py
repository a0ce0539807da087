"""Only public APIs of other people's code: a private module or name (`re._parser`,
`openpyxl.worksheet._write_only`) can change or vanish in any release, without a deprecation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.packages import FLOW

ROOT = Path(__file__).parents[2]
OURS = {*FLOW, "tests", "benchmarks", "conftest"}
CHECKED = sorted(OURS - {"conftest"})
DOCUMENTED = {"os._exit"}  # underscored, but documented as public by the standard library


def _private(name: str) -> bool:
    return any(part.startswith("_") and not (part.startswith("__") and part.endswith("__")) for part in name.split("."))


def private_uses(source: str) -> list[str]:
    """Each import of, or attribute taken from, a private part of a package that is not ours."""
    tree = ast.parse(source)
    modules: set[str] = set()  # local names bound to a module that is not ours
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in OURS:
                    continue
                if _private(alias.name):
                    found.append(f"line {node.lineno}: import {alias.name}")
                modules.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in OURS:
                continue
            for alias in node.names:
                if _private(node.module) or _private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
            and f"{node.value.id}.{node.attr}" not in DOCUMENTED
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("package", CHECKED)
def test_no_private_module_or_name_of_another_package_is_used(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        found = private_uses(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} uses private APIs: {found}"


@pytest.mark.parametrize(
    "source",
    [
        "from openpyxl.worksheet._write_only import WriteOnlyWorksheet",
        "import re\nre._parser.parse('a')",
        "import re._parser",
        "import sre_parse as p\nfrom PIL import Image\nImage._decompression_bomb_check((1, 1))",
        "from PIL.Image import _conv_type_shape",
        "import openpyxl.worksheet._writer as w",
    ],
)
def test_a_private_use_is_found(source: str) -> None:
    assert private_uses(source)


@pytest.mark.parametrize(
    "source",
    [
        "from __future__ import annotations",
        "from openpyxl.cell import WriteOnlyCell",
        "from benchmarks._naive import naive_identify",
        "import re\nre.compile('a').pattern",
        "from collections import namedtuple\nnamedtuple('P', 'x')(1)._replace(x=2)",
        "from common import _helper",
        "import os\nos._exit(1)",
    ],
)
def test_public_or_our_own_names_pass(source: str) -> None:
    assert not private_uses(source)
