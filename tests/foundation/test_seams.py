"""The seams between packages are typed: no database row leaves the store, no `Any` in the
settings, the link rules or the pipeline's steps, and one list of document states."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from store.database import open_database
from store.states import EXCEPTION_KINDS, WAITING, State
from tests.support.packages import FLOW

ROOT = Path(__file__).parents[2]
NO_ANY = ("config/sections.py", "catalogue/linking.py")
PIPELINE = "watch/pipeline.py"


def _outside_store() -> list[Path]:
    return [path for package in FLOW if package != "store" for path in sorted((ROOT / package).rglob("*.py"))]


def _annotations(tree: ast.AST) -> list[ast.expr]:
    """Every annotation: arguments, returns, and annotated names (class fields included)."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            for argument in (
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                arguments.vararg,
                arguments.kwarg,
            ):
                if argument is not None and argument.annotation is not None:
                    found.append(argument.annotation)
            if node.returns is not None:
                found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    return found


def _names_in(annotation: ast.expr) -> set[str]:
    """Names an annotation uses, `typing.Any` and quoted (forward) annotations included."""
    names: set[str] = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            names |= _names_in(node.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= _names_in(ast.parse(node.value, mode="eval").body)
    return names


def _dotted(node: ast.expr) -> str:
    return f"{_dotted(node.value)}.{node.attr}" if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def test_no_database_row_or_connection_type_leaves_the_store() -> None:
    """Outside store/, nothing imports sqlite3 or names its types: the store hands out dataclasses."""
    found = []
    for path in _outside_store():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "sqlite3" for alias in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports sqlite3")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports from sqlite3")
        for annotation in _annotations(tree):
            if {"sqlite3", "Row"} & _names_in(annotation):
                found.append(f"{path.relative_to(ROOT)}:{annotation.lineno} annotates with {ast.unparse(annotation)}")
    assert not found, "\n".join(found)


def test_the_store_returns_no_rows() -> None:
    """A public store function returns the store's dataclasses (or plain values), never a row."""
    found = []
    for path in sorted((ROOT / "store").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if node.returns is not None and "Row" in _names_in(node.returns):
                found.append(f"{path.relative_to(ROOT)}: {node.name} returns {ast.unparse(node.returns)}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("relative", NO_ANY)
def test_no_any_in_settings_or_link_rules(relative: str) -> None:
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    typed_any = [f"{relative}:{a.lineno} {ast.unparse(a)}" for a in _annotations(tree) if "Any" in _names_in(a)]
    assert not typed_any, "\n".join(typed_any)


def test_the_pipeline_steps_are_protocols_without_any() -> None:
    """Each injected step is a Protocol with a real signature, not `Callable[..., Any]`."""
    tree = ast.parse((ROOT / PIPELINE).read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    steps = classes["Steps"]
    fields = [node for node in steps.body if isinstance(node, ast.AnnAssign)]
    assert fields, "Steps has no typed fields"
    for field in fields:
        step_type = ast.unparse(field.annotation)
        protocol = classes.get(step_type)
        assert protocol is not None, f"Steps.{ast.unparse(field.target)} is {step_type}, not a Protocol of {PIPELINE}"
        assert "Protocol" in {_dotted(base).split(".")[-1] for base in protocol.bases}, f"{step_type} is no Protocol"
        for annotation in [field.annotation, *_annotations(protocol)]:
            wrong = {"Any", "Callable"} & _names_in(annotation)
            assert not wrong, f"{step_type}: {ast.unparse(annotation)} uses {sorted(wrong)}"
        call = next(
            (node for node in protocol.body if isinstance(node, ast.FunctionDef) and node.name == "__call__"), None
        )
        assert call is not None and call.returns is not None, f"{step_type} has no typed __call__"
        arguments = call.args
        untyped = [
            a.arg
            for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            if a.arg != "self" and a.annotation is None
        ]
        assert not untyped and arguments.vararg is None and arguments.kwarg is None, f"{step_type}: {untyped}"


def test_the_database_admits_exactly_the_document_states(tmp_path: Path) -> None:
    """The enum and the schema's CHECK name the same states, so a state written is a state read."""
    with open_database(tmp_path / "casescan.db"):
        pass
    conn = sqlite3.connect(tmp_path / "casescan.db")
    try:
        conn.execute("INSERT INTO scans (id, source_file, state, seen_at) VALUES (1, 'a.pdf', 'done', 'now')")
        admitted: set[str] = set()
        for word in {*State, "linked", "needs review", "NEEDS_REVIEW", "stored"}:
            try:
                conn.execute(
                    "INSERT INTO documents (scan_id, first_page, last_page, state, created_at) "
                    "VALUES (1, ?, ?, ?, 'now')",
                    (len(admitted) + 1, len(admitted) + 1, str(word)),
                )
                admitted.add(str(word))
            except sqlite3.IntegrityError:
                pass
    finally:
        conn.close()
    assert admitted == {state.value for state in State}


def test_waiting_states_have_one_exception_kind_each() -> None:
    assert set(EXCEPTION_KINDS) == set(WAITING)
    assert sorted(EXCEPTION_KINDS.values()) == ["needs_review", "unknown_reference", "unreadable"]
    assert [state.value for state in State] == [
        "linked_auto",
        "linked_manual",
        "needs_review",
        "unknown",
        "unreadable",
        "rejected",
        "catalogued",
    ]
