"""A command or option nobody can find is a command nobody can use: the README must name each."""

import re
from pathlib import Path

import click
import pytest

from cli.main import cli

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += commands(command, full + " ")
    return found


def test_every_command_is_in_the_readme() -> None:
    for name, _ in commands(cli):
        assert _mentions(README, f"casescan {name}"), f"README.md does not mention 'casescan {name}'"


def _mentions(line: str, option: str) -> bool:
    """`option` as a whole token: '-o' is not documented by 'tesseract-ocr'."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", line) is not None


def test_every_option_is_documented_beside_its_command() -> None:
    lines = README.splitlines()
    for name, command in [("", cli), *commands(cli)]:
        where = [line for line in lines if (_mentions(line, f"casescan {name}") if name else "Global options" in line)]
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(_mentions(line, opt) for line in where for opt in param.opts), (
                    f"README.md names {param.opts} of 'casescan {name}' on no line that names the command"
                )


def test_every_command_has_help_with_an_example() -> None:
    for name, command in commands(cli):
        if not isinstance(command, click.Group):
            assert "Example" in (command.help or ""), f"'casescan {name}' help has no example"


@pytest.mark.parametrize(
    "line, token, found",
    [
        ("sudo apt-get install tesseract-ocr", "-o", False),
        ("`casescan export [--outdir DIR]`", "--out", False),
        ("`casescan export [--out DIR]`", "--out", True),
        ("pass `-w DIR` / set `CASESCAN_WORKSPACE`", "-w", True),
        ("`casescan links`", "casescan link", False),
        ("`casescan link DOCUMENT REF`", "casescan link", True),
        ("(--json)", "--json", True),
    ],
)
def test_an_option_or_command_counts_only_as_a_whole_token(line: str, token: str, found: bool) -> None:
    assert _mentions(line, token) is found
