"""A database URL that is empty, malformed or percent-encoded: one line, never the password, and
never a quiet switch to another database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.workspace import find_workspace, init_workspace
from store.database import DatabaseError, open_database
from watch.jobs import named

SECRET = "S3cretPW"


def test_an_empty_database_variable_leaves_the_file_s_url_in_force(tmp_path: Path) -> None:
    ws, _ = init_workspace(tmp_path / "ws")
    url = "postgresql://casescan@db.example/casescan"
    ws.config_file.write_text(ws.config_file.read_text().replace("[database]", f"[database]\nurl = {url!r}", 1))
    assert find_workspace(ws.root, {"CASESCAN_DATABASE_URL": ""}).database == url
    assert find_workspace(ws.root, {"CASESCAN_DATABASE_URL": "", "CASESCAN_WATCH_SETTLE_SECONDS": ""}).settings


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://postgres:{SECRET}%PW@/casescan?host=/tmp/pgtry",
        f"postgresql://postgres:{SECRET}%zz@localhost/casescan",
        f"host=/tmp/pgtry dbname=x password={SECRET}",
        f"dbname=x user=u password='{SECRET}'",
        f"postgresql://u:{SECRET}@localhost:99999/casescan",
        f"postgresql://u:{SECRET}@localhost:abc/casescan",
        f"postgresql://u:{SECRET}@[::1/casescan",
        f"postgres://u:{SECRET}@[::1]:-5/casescan",
    ],
)
def test_a_malformed_url_is_one_line_naming_the_setting_not_the_text(url: str, tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as raised:
        open_database(url)
    assert SECRET not in raised.value.message and "[database] url" in raised.value.message
    init_workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "status"], env={"CASESCAN_DATABASE_URL": url})
    assert result.exit_code != 0 and result.output.count("\n") == 1
    assert SECRET not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "query", ["host=/tmp/pg%20try", "host=%2Ftmp%2Fpg+x&sslmode=disable", "options=-c%20search_path%3Dx%26y"]
)
def test_the_worker_s_url_keeps_the_operator_s_encoding(query: str) -> None:
    url = f"postgresql://u@/casescan?{query}"
    from psycopg.conninfo import conninfo_to_dict

    given, worker = conninfo_to_dict(url), conninfo_to_dict(named(url, "worker"))
    assert str(worker.pop("application_name")).startswith("casescan worker ")
    assert worker == given


def test_a_malformed_url_in_the_environment_is_not_echoed(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws")
    url = f"postgresql://postgres:{SECRET}%PW@/casescan?host=/tmp/pgtry"
    result = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "db", "migrate"], env={"CASESCAN_DATABASE_URL": url})
    assert result.exit_code != 0 and SECRET not in result.output and "Traceback" not in result.output
