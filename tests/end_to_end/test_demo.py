"""The whole flow, as `casescan demo` runs it, checked against the truth its inbox was built from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from synthetic.walkthrough import DemoRun, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return run_demo(tmp_path_factory.mktemp("demo") / "ws", lambda line: None)


def test_every_expected_link_is_made_and_no_other(demo: DemoRun) -> None:
    linked = sorted(row["case_reference"] for row in demo.table("manifest.csv"))
    assert linked == sorted(demo.truth.linked)


def test_contradicted_cover_waits_for_review_and_unreadable_is_reported(demo: DemoRun) -> None:
    exceptions = demo.table("exceptions.csv")
    review = {row["case_reference"]: row["detail"] for row in exceptions if row["kind"] == "needs_review"}
    assert sorted(review) == sorted(demo.truth.needs_review)
    letters = [reference for reference, detail in review.items() if "reads as a letter or a note" in detail]
    assert letters == [demo.truth.needs_review[0]]
    unreadable = [row["source_file"] for row in exceptions if row["kind"] == "unreadable"]
    assert unreadable == [path.name for path in demo.truth.unreadable]
    assert sorted(r["case_reference"] for r in exceptions if r["kind"] == "missing_scan") == sorted(
        demo.truth.missing_scans
    )
    assert [r["case_reference"] for r in exceptions if r["kind"] == "missing_catalogue"] == list(
        demo.truth.missing_catalogue
    )


def test_closed_front_sheets_are_catalogued_with_their_location(demo: DemoRun) -> None:
    catalogue = {row["case_reference"]: row for row in demo.table("closed_paper_catalogue.csv")}
    assert len(catalogue) == len(demo.truth.closed)
    for closed in demo.truth.closed:
        reference = closed.scan.case_files[0].case_reference
        assert reference is not None
        assert catalogue[reference]["location"] == closed.location
        assert catalogue[reference]["in_records"] == ("Y" if closed.in_records else "N")


def test_originals_are_archived_unchanged_and_the_inbox_is_empty(demo: DemoRun) -> None:
    inbox_files = [p for p in demo.workspace.inbox.rglob("*") if p.is_file()]
    assert inbox_files == []
    archived = {p.relative_to(demo.workspace.archive) for p in demo.workspace.archive.rglob("*") if p.is_file()}
    expected = {scan.path.relative_to(demo.workspace.inbox) for scan in demo.truth.open_scans}
    expected |= {c.scan.path.relative_to(demo.workspace.inbox) for c in demo.truth.closed}
    assert archived == expected


def test_verdict_is_no_go_with_reasons(demo: DemoRun) -> None:
    report = json.loads((demo.exported.folder / "reconciliation.json").read_text(encoding="utf-8"))
    assert report["go"] is False and demo.exported.go is False
    failed = {check["name"] for check in report["checks"] if not check["passed"]}
    assert {"nothing_to_review", "no_missing_scans", "no_missing_catalogue"} <= failed


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["demo", str(tmp_path)])
    assert result.exit_code == 2 and "not an earlier demo" in result.output
    assert (tmp_path / "precious.txt").read_text() == "keep me"
