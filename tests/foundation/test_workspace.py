import os
import stat
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from store.database import MIGRATIONS, open_database


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)


def test_init_creates_layout_privately(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "ws"))
    assert result.exit_code == 0
    root = tmp_path / "ws"
    for folder in ("inbox", "inbox/closed", "archive", "quarantine", "output"):
        assert (root / folder).is_dir()
    assert "# settle_seconds = 5.0" in (root / "casescan.toml").read_text()
    assert stat.S_IMODE(os.stat(root / "archive").st_mode) & 0o077 == 0


def test_init_twice_does_not_clobber(tmp_path: Path) -> None:
    invoke("init", str(tmp_path / "ws"))
    config = tmp_path / "ws" / "casescan.toml"
    config.write_text("[watch]\npolling = true\n")
    (tmp_path / "ws" / "inbox" / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = invoke("init", str(tmp_path / "ws"))
    assert result.exit_code == 0 and "already a workspace" in result.output
    assert config.read_text() == "[watch]\npolling = true\n"
    assert (tmp_path / "ws" / "inbox" / "scan.pdf").read_bytes() == b"%PDF-1.4"


def test_outside_a_workspace_says_so_and_names_init(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("status")
    assert result.exit_code == 2
    assert "not a casescan workspace" in result.output and "casescan init" in result.output


def test_workspace_from_environment_and_flag(tmp_path: Path) -> None:
    invoke("init", str(tmp_path / "a"))
    assert invoke("status", env={"CASESCAN_WORKSPACE": str(tmp_path / "a")}).exit_code == 0
    assert invoke("-w", str(tmp_path / "a"), "status").exit_code == 0
    assert invoke("--workspace", str(tmp_path / "nowhere"), "status").exit_code == 2


def test_bad_config_is_one_line_exit_2(tmp_path: Path) -> None:
    invoke("init", str(tmp_path / "ws"))
    (tmp_path / "ws" / "casescan.toml").write_text("[watch]\nsettle = 1\n")
    result = invoke("-w", str(tmp_path / "ws"), "status")
    assert result.exit_code == 2
    assert "unknown setting 'watch.settle'" in result.output and result.output.count("\n") == 1


def test_migrations_are_recorded_and_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "casescan.db"
    with open_database(path) as db, db.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    with open_database(path) as db:
        assert db.query("SELECT value FROM meta WHERE key = 'kept'")[0][0] == "yes"
        versions = [row[0] for row in db.query("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        assert db.query("PRAGMA journal_mode")[0][0] == "wal"
        assert db.query("PRAGMA foreign_keys")[0][0] == 1


def test_an_os_error_from_a_path_the_user_chose_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    workspace = tmp_path / "ws"
    runner.invoke(cli, ["init", str(workspace)])
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    result = runner.invoke(cli, ["-w", str(workspace), "export", "--out", str(a_file / "package")])
    assert result.exit_code == 2  # a usage error: export's 1 means a package written with a no-go
    assert isinstance(result.exception, SystemExit)
    assert str(a_file) in result.output and len(result.output.strip().splitlines()) == 1
