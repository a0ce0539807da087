"""A path the user chose that the system refuses is one line naming that path, exit 2, never a
traceback: under a regular file, a name too long, a folder nobody may write, a file where a
folder must be. Exit 2 (usage) keeps `export`'s 1 meaning "written, but no-go"."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from config.workspace import Workspace

TOO_LONG = "n" * 300
TEMPLATE = (
    "Case Reference,Forename,Surname,Date of Birth,Case Status,Paper File\nSGD-2024-0412,Zoe,Brien,04/03/2010,Open,Y\n"
)


@pytest.fixture
def imported(workspace: Workspace, run_cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """A workspace with a one-record template imported, so each command reaches its --out."""
    template = tmp_path / "template.csv"
    template.write_text(TEMPLATE, encoding="utf-8")
    assert run_cli("records", "import", str(template)).exit_code == 0
    return run_cli


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this user may not write in: a read-only one, or for root (who may write anywhere
    on disk) a kernel file system that refuses new files."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o555)
        return folder
    if not Path("/sys").is_dir():
        pytest.skip("no folder refuses root here")
    return Path("/sys")


def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a folder")
    return path


def assert_one_line_naming(result: Result, path: Path | str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert str(path) in lines[0]
    assert ".part" not in lines[0] and ".partial" not in lines[0]  # never the hidden name written first


@pytest.mark.parametrize(
    "command",
    [
        ("export", "--out", "{}"),
        ("coversheets", "--out", "{}.pdf"),
        ("locationsheet", "Basement / Box 1", "--out", "{}.pdf"),
    ],
)
@pytest.mark.parametrize("where", ["under a file", "too long", "unwritable"])
def test_an_output_path_the_system_refuses(
    imported: Callable[..., Result], tmp_path: Path, command: tuple[str, ...], where: str
) -> None:
    base = {
        "under a file": a_file(tmp_path) / "out",
        "too long": tmp_path / TOO_LONG,
        "unwritable": unwritable_folder(tmp_path) / "out",
    }[where]
    args = [part.format(base) for part in command]
    result = imported(*args)
    assert_one_line_naming(result, base if command[0] == "export" and where != "under a file" else base.parent)
    assert not list(tmp_path.glob("**/.*part*"))


def test_export_when_the_workspace_output_folder_is_a_file(
    imported: Callable[..., Result], workspace: Workspace
) -> None:
    workspace.output.rmdir()
    workspace.output.write_text("in the way")
    result = imported("export")
    assert_one_line_naming(result, workspace.output)
    assert "a file stands where a folder is needed" in result.output


@pytest.mark.parametrize("name", ["a file", "too long"])
def test_a_workspace_path_that_cannot_be_one(tmp_path: Path, name: str) -> None:
    path = a_file(tmp_path) if name == "a file" else tmp_path / TOO_LONG
    result = CliRunner().invoke(cli, ["-w", str(path), "status"], env={}, catch_exceptions=False)
    assert_one_line_naming(result, path)


@pytest.mark.parametrize("where", ["under a file", "too long"])
def test_init_where_no_folder_can_be(tmp_path: Path, where: str) -> None:
    path = a_file(tmp_path) / "ws" if where == "under a file" else tmp_path / TOO_LONG
    result = CliRunner().invoke(cli, ["init", str(path)], env={}, catch_exceptions=False)
    assert_one_line_naming(result, path)


@pytest.mark.parametrize("what", ["a folder", "too long", "under a file"])
def test_importing_what_is_no_template_file(imported: Callable[..., Result], tmp_path: Path, what: str) -> None:
    path = {"a folder": tmp_path, "too long": tmp_path / f"{TOO_LONG}.csv", "under a file": a_file(tmp_path) / "t.csv"}[
        what
    ]
    result = imported("records", "import", str(path))
    # click's own usage errors add its "Usage:" and "Try --help" lines around the one that says what is wrong
    said = [line for line in result.output.splitlines() if line.strip() and not line.startswith(("Usage:", "Try "))]
    assert result.exit_code == 2 and len(said) == 1, result.output
    assert "Traceback" not in result.output and path.name in said[0]
