"""A machine that would decide differently from the others on one database refuses to start."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from config.settings import load_settings
from config.workspace import Workspace, find_workspace
from scanner.tesseract import check_tesseract
from store.database import open_database
from store.fingerprint import claim_fingerprint, replace_fingerprint
from synthetic.people import Person
from tests.support.engines import both_engines
from tests.support.scans import cover_pdf
from tests.support.watch import files_under, rows, watch_once
from watch.fingerprint import difference, language_data, machine_fingerprint, settings_parts

pytestmark = both_engines


def on_postgres(ws: Workspace) -> bool:
    return isinstance(ws.database, str)


def set_setting(ws: Workspace, line: str) -> Workspace:
    path = ws.root / "casescan.toml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n[linking]\n{line}\n", encoding="utf-8")
    return find_workspace(ws.root)


def stored(ws: Workspace) -> dict[str, str]:
    with open_database(ws.database) as db:
        return claim_fingerprint(db, {})


def test_the_first_watch_records_what_decides_and_the_same_machine_starts_again(ws: Workspace) -> None:
    assert watch_once(ws).exit_code == 0
    recorded = stored(ws)
    assert recorded == machine_fingerprint(ws.settings, check_tesseract())
    assert recorded["tesseract"] == str(check_tesseract().version)
    assert recorded["linking.margin"] == "0.15"
    assert watch_once(ws).exit_code == 0


def test_other_linking_settings_refuse_to_start_and_touch_nothing(ws: Workspace, people: list[Person]) -> None:
    assert watch_once(ws).exit_code == 0
    changed = set_setting(ws, "margin = 0.3")
    cover_pdf(people[:1], changed.inbox / "batch.pdf")
    if not on_postgres(ws):
        pytest.skip("one machine on SQLite adopts a change (test_one_sqlite_machine_adopts_a_change_and_says_so)")
    result = watch_once(changed)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "linking.margin is 0.3 here but 0.15 in the database" in result.output
    assert "casescan db fingerprint --adopt" in result.output
    assert files_under(changed.inbox) == ["batch.pdf"] and rows(changed) == []


def test_another_tesseract_or_language_data_where_the_database_was_set_up_refuses(ws: Workspace) -> None:
    if not on_postgres(ws):
        pytest.skip("one machine on SQLite adopts a change (test_one_sqlite_machine_adopts_a_change_and_says_so)")
    here = machine_fingerprint(ws.settings, check_tesseract())
    elsewhere = {**here, "tesseract": "4.1.1", "language data eng": "0123456789abcdef"}
    with open_database(ws.database) as db:
        replace_fingerprint(db, elsewhere)
    result = watch_once(ws)
    assert result.exit_code == 1
    assert "language data eng is" in result.output and "(and 1 more)" in result.output
    with open_database(ws.database) as db:
        replace_fingerprint(db, {**here, "tesseract": "4.1.1"})
    assert f"tesseract is {here['tesseract']} here but 4.1.1 in the database" in watch_once(ws).output


def test_adopting_after_a_deliberate_change_lets_every_machine_start_again(ws: Workspace) -> None:
    if not on_postgres(ws):
        pytest.skip("one machine on SQLite adopts a change (test_one_sqlite_machine_adopts_a_change_and_says_so)")
    assert watch_once(ws).exit_code == 0
    changed = set_setting(ws, "auto_link_score = 0.95")
    assert watch_once(changed).exit_code == 1
    check = CliRunner().invoke(cli, ["-w", str(ws.root), "db", "fingerprint"])
    assert check.exit_code == 1 and "linking.auto_link_score is 0.95 here but 0.9" in check.output
    adopted = CliRunner().invoke(cli, ["-w", str(ws.root), "db", "fingerprint", "--adopt"])
    assert adopted.exit_code == 0 and "adopted: this machine's fingerprint is now the database's" in adopted.output
    assert watch_once(changed).exit_code == 0
    assert stored(ws)["linking.auto_link_score"] == "0.95"


def test_one_sqlite_machine_adopts_a_change_and_says_so(
    ws: Workspace, people: list[Person], caplog: pytest.LogCaptureFixture
) -> None:
    if on_postgres(ws):
        pytest.skip("several machines share a PostgreSQL database: a change refuses (tests above)")
    assert watch_once(ws).exit_code == 0
    changed = set_setting(ws, "margin = 0.3")
    cover_pdf(people[:1], changed.inbox / "batch.pdf")
    with caplog.at_level(logging.WARNING, logger="watch"):
        assert watch_once(changed).exit_code == 0
    assert any("linking.margin is 0.3 here but 0.15 in the database" in r.getMessage() for r in caplog.records)
    assert stored(ws)["linking.margin"] == "0.3"
    assert files_under(changed.inbox) == [] and len(rows(changed)) == 1


def test_every_setting_that_changes_a_decision_is_in_the_fingerprint() -> None:
    base = settings_parts(load_settings(environ={}))
    for name, value in (
        ("CASESCAN_LINKING_MARGIN", "0.2"),
        ("CASESCAN_LINKING_NAME_MATCH", "90"),
        ("CASESCAN_LINKING_AUTO_LINK_SCORE", "0.8"),
        ("CASESCAN_LINKING_CANDIDATE_SCORE", "0.4"),
        ("CASESCAN_LINKING_CATALOGUE_REVIEW_CONFIDENCE", "0.7"),
        ("CASESCAN_CASE_REFERENCE_PATTERNS", r'["X-\\d{4}"]'),
        ("CASESCAN_SCANNER_OCR_LANGUAGE", "eng+cym"),
    ):
        assert difference(base, settings_parts(load_settings(environ={name: value}))) is not None, name
    assert difference(base, settings_parts(load_settings(environ={"CASESCAN_WATCH_SETTLE_SECONDS": "9"}))) is None


def test_language_data_is_known_by_its_bytes(tmp_path: Path) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"one")
    first = language_data(str(tmp_path), "eng+cym")
    (tmp_path / "eng.traineddata").write_bytes(b"two")
    second = language_data(str(tmp_path), "eng+cym")
    assert first["language data cym"] == second["language data cym"] == "missing"
    assert first["language data eng"] != second["language data eng"]


def test_differences_are_named_first_one_spelt_out() -> None:
    assert difference({"a": "1", "b": "2"}, {"a": "1", "b": "2"}) is None
    assert difference({"a": "1", "b": "2"}, {"a": "9", "b": "3"}) == "a is 9 here but 1 in the database (and 1 more)"
    assert difference({}, {"a": "1"}) == "a is 1 here but not set in the database"
