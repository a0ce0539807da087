"""A command or option nobody can find is a command nobody can use: the README must name each."""

from pathlib import Path

import click

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
        assert f"casescan {name}" in README, f"README.md does not mention 'casescan {name}'"


def test_every_option_is_in_the_readme() -> None:
    for name, command in commands(cli):
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in README for opt in param.opts), f"README.md does not mention {param.opts} of '{name}'"


def test_every_command_has_help_with_an_example() -> None:
    for name, command in commands(cli):
        if not isinstance(command, click.Group):
            assert "Example" in (command.help or ""), f"'casescan {name}' help has no example"
