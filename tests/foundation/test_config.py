import tomllib
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import SETTINGS, default_toml, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file() -> None:
    settings = load_settings(None, environ={})
    assert settings.watch.settle_seconds == 5.0
    assert settings.watch.grace_seconds == 600.0
    assert settings.review.host == "127.0.0.1"


def test_precedence_defaults_then_file_then_environment_then_flags(tmp_path: Path) -> None:
    toml = write(tmp_path / "casescan.toml", "[watch]\nsettle_seconds = 7\npolling = true\n[review]\nport = 9000\n")
    env = {"CASESCAN_WATCH_SETTLE_SECONDS": "9", "CASESCAN_REVIEW_PORT": "9100"}
    settings = load_settings(toml, environ=env, overrides={"review.port": 9200})
    assert settings.watch.polling is True  # file over default
    assert settings.watch.settle_seconds == 9.0  # environment over file
    assert settings.review.port == 9200  # flag over environment
    assert settings.watch.grace_seconds == 600.0  # untouched default


def test_environment_list_values(tmp_path: Path) -> None:
    env = {"CASESCAN_CASE_REFERENCE_PATTERNS": r'["(?P<a>[A-Z]{3})(?P<n>\\d{5})"]'}
    assert load_settings(None, environ=env).case_reference.patterns == (r"(?P<a>[A-Z]{3})(?P<n>\d{5})",)
    env = {"CASESCAN_WATCH_IGNORE_FOLDERS": "@eaDir, #snapshot"}
    assert load_settings(None, environ=env).watch.ignore_folders == ("@eaDir", "#snapshot")
    env = {"CASESCAN_CASE_REFERENCE_PATTERNS": r"(?P<a>[A-Z]{2,4})-(?P<n>\d{3,6}), (?P<a>SG)(?P<n>\d{4})"}
    assert load_settings(None, environ=env).case_reference.patterns == (
        r"(?P<a>[A-Z]{2,4})-(?P<n>\d{3,6})",
        r"(?P<a>SG)(?P<n>\d{4})",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[watch]\nsettle_secs = 3\n", "unknown setting 'watch.settle_secs'"),
        ("[wach]\npolling = true\n", "unknown section [wach]"),
        ("[watch]\npolling = 'sometimes'\n", "'watch.polling' = 'sometimes' is not allowed; expected true or false"),
        ("[review]\nport = 0\n", "'review.port' = 0 is not allowed; expected at least 1"),
        ("[watch]\nsettle_seconds = 'soon'\n", "expected a number"),
        ("[case_reference]\npatterns = 'ABC'\n", "expected a list of text"),
        ("[watch\n", "not valid TOML"),
    ],
)
def test_config_errors_name_key_value_and_what_is_allowed(tmp_path: Path, text: str, expected: str) -> None:
    toml = write(tmp_path / "casescan.toml", text)
    with pytest.raises(ConfigError) as raised:
        load_settings(toml, environ={})
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)


def test_environment_error_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="CASESCAN_WATCH_POLL_SECONDS"):
        load_settings(None, environ={"CASESCAN_WATCH_POLL_SECONDS": "fast"})


def test_default_toml_lists_every_setting_commented_and_parses() -> None:
    text = default_toml()
    assert tomllib.loads(text) == {section: {} for section in tomllib.loads(text)}
    for setting in SETTINGS:
        assert f"# {setting.key} = " in text, setting.name
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line else line for line in text.splitlines())
    assert load_settings(None, environ={}).as_dict() == load_settings_from_text(uncommented)


def load_settings_from_text(text: str) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "casescan.toml"
        path.write_text(text, encoding="utf-8")
        return load_settings(path, environ={}).as_dict()


def test_every_setting_is_documented_in_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.key}`" in readme, f"README.md does not document {setting.name}"


def test_every_section_class_holds_exactly_its_settings_with_their_types() -> None:
    from dataclasses import fields
    from typing import get_type_hints

    from config.sections import SECTION_TYPES

    expected_type = {bool: bool, int: int, float: float, str: str, list: tuple[str, ...]}
    assert set(SECTION_TYPES) == {s.section for s in SETTINGS}
    for section, cls in SECTION_TYPES.items():
        hints = get_type_hints(cls)
        table = {s.key: s.default for s in SETTINGS if s.section == section}
        assert {f.name for f in fields(cls)} == set(table), section
        for key, default in table.items():
            assert hints[key] == expected_type[type(default)], f"{section}.{key}"


@pytest.mark.parametrize(
    "section, key, value, message",
    [
        ("review", "port", 80000, "at most 65535"),
        ("linking", "auto_link_score", 7, "at most 1"),
        ("linking", "margin", 1.5, "at most 1"),
        ("linking", "name_match", 101, "at most 100"),
    ],
)
def test_values_past_their_maximum_are_refused(
    tmp_path: Path, section: str, key: str, value: float, message: str
) -> None:
    toml = write(tmp_path / "casescan.toml", f"[{section}]\n{key} = {value}\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(toml, environ={})


def test_a_port_past_the_maximum_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli.main import cli

    CliRunner().invoke(cli, ["init", str(tmp_path / "ws")])
    result = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "review", "--port", "80000"])
    assert result.exit_code == 2
    assert "at most 65535" in result.output and "Traceback" not in result.output
