"""Intake situations a new user found after issue 13 was built: a scan dropped while no service
ran, an original rewritten after processing, and a same-size rewrite that put its old
modification time back. Real files, real folders, the real CLI."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from config.workspace import init_workspace
from synthetic import make_people, write_pdf, write_template
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person
from tests.support.engines import both_engines
from watch.intake import PathChanged, processing_area, take

pytestmark = both_engines

DPI = 200


def _workspace(tmp_path: Path) -> tuple[Path, dict[str, str], list[Person]]:
    root = tmp_path / "ws"
    init_workspace(root)
    people = [p for p in make_people(6, seed=5) if not p.excluded]
    env = {"CASESCAN_WORKSPACE": str(root), "CASESCAN_WATCH_SETTLE_SECONDS": "0"}
    template = write_template(people, tmp_path / "template.csv")
    assert CliRunner().invoke(cli, ["records", "import", str(template)], env=env).exit_code == 0
    return root, env, people


def _checks(folder: Path) -> dict[str, dict[str, object]]:
    report = json.loads((folder / "reconciliation.json").read_text(encoding="utf-8"))
    return {check["name"]: check for check in report["checks"]}


def test_a_scan_no_service_has_seen_fails_the_inbox_check_by_name(tmp_path: Path) -> None:
    root, env, people = _workspace(tmp_path)
    (root / "inbox" / "Team C").mkdir()
    write_pdf([draw_cover(people[0], "labelled", DPI)], root / "inbox" / "Team C" / "never seen.pdf", DPI)
    (root / "inbox" / "Thumbs.db").write_bytes(b"junk")  # junk is no unprocessed scan
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path / "out")], env=env)
    assert result.exit_code == 1
    inbox = _checks(tmp_path / "out")["inbox_processed"]
    assert inbox["passed"] is False and "Team C/never seen.pdf" in str(inbox["detail"])
    assert "Thumbs.db" not in str(inbox["detail"])
    status = json.loads(CliRunner().invoke(cli, ["status", "--json"], env=env).output)
    assert status["scans"]["in_inbox_unprocessed"] == ["Team C/never seen.pdf"]


def test_an_original_rewritten_after_processing_is_never_cut_into_an_attachment(tmp_path: Path) -> None:
    root, env, people = _workspace(tmp_path)
    owner, stranger = people[0], people[1]
    write_pdf(
        [draw_cover(owner, "labelled", DPI, barcode="qr"), draw_continuation(1, DPI)], root / "inbox" / "g.pdf", DPI
    )
    assert CliRunner().invoke(cli, ["watch", "--once"], env=env).exit_code == 0
    archived = root / "archive" / "g.pdf"
    write_pdf([draw_cover(stranger, "labelled", DPI), draw_continuation(2, DPI)], tmp_path / "other.pdf", DPI)
    archived.write_bytes((tmp_path / "other.pdf").read_bytes())  # a sync tool or a person, afterwards
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path / "out")], env=env)
    assert result.exit_code == 1
    assert not list((tmp_path / "out" / "attachments").rglob("*.pdf"))
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.DictReader(handle)) == []
    assert _checks(tmp_path / "out")["originals_unchanged"]["passed"] is False


def test_a_same_size_rewrite_with_its_old_modification_time_put_back_is_noticed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "batch.pdf"
    scan.write_bytes(b"%PDF-1.4 first version of the bytes\n%%EOF\n")
    before = os.stat(scan)
    held = take(scan, processing_area(tmp_path))
    try:
        with scan.open("r+b") as handle:  # rsync --inplace -t: same size, old time restored
            handle.write(b"%PDF-1.4 other person's bytes here!\n%%EOF\n"[: before.st_size])
        os.utime(scan, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert os.stat(scan).st_size == before.st_size and os.stat(scan).st_mtime_ns == before.st_mtime_ns
        try:
            held.check()
        except PathChanged:
            pass
        else:
            raise AssertionError("a rewrite that kept size and modification time was taken for the same file")
    finally:
        held.release()
