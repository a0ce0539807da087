"""PRODUCT.md "Re-importing the template re-decides": a case file nobody has decided is decided
again from its stored readings, and the import says how many changed; a person's decision stays."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from config.workspace import init_workspace
from synthetic import make_people, write_pdf, write_template
from synthetic.pages import draw_continuation, draw_cover

DPI = 200


def _states(root: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(root / "casescan.db") as conn:
        return {
            name: (state, reference)
            for name, state, reference in conn.execute(
                "SELECT s.source_file, d.state, r.case_reference FROM documents d JOIN scans s ON s.id = d.scan_id "
                "LEFT JOIN records r ON r.id = d.record_id"
            )
        }


def test_a_reimported_template_decides_again_what_no_person_decided(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root)
    people = [p for p in make_people(12, seed=7) if not p.excluded]
    late, owner, stranger, decided = people[0], people[1], people[2], people[3]
    runner = CliRunner()
    env = {"CASESCAN_WORKSPACE": str(root)}
    first = write_template([p for p in people if p is not late], tmp_path / "first.csv")
    assert runner.invoke(cli, ["records", "import", str(first)], env=env).exit_code == 0
    write_pdf(
        [draw_cover(late, "labelled", DPI, barcode="qr"), draw_continuation(1, DPI)], root / "inbox" / "late.pdf", DPI
    )
    write_pdf([draw_cover(owner, "form", DPI)], root / "inbox" / "owner.pdf", DPI)
    write_pdf([draw_cover(decided, "boxed", DPI, barcode="code128")], root / "inbox" / "decided.pdf", DPI)
    assert runner.invoke(cli, ["watch", "--once"], env={**env, "CASESCAN_WATCH_SETTLE_SECONDS": "0"}).exit_code == 0
    before = _states(root)
    assert before == {
        "late.pdf": ("unknown", None),
        "owner.pdf": ("linked_auto", owner.case_reference),
        "decided.pdf": ("linked_auto", decided.case_reference),
    }
    with sqlite3.connect(root / "casescan.db") as conn:
        document = conn.execute(
            "SELECT d.id FROM documents d JOIN scans s ON s.id = d.scan_id WHERE s.source_file = 'decided.pdf'"
        ).fetchone()[0]
    assert runner.invoke(cli, ["reject", str(document)], env=env).exit_code == 0

    # The template now holds the late case, and the owner's record carries someone else's name and
    # date of birth: the cover contradicts it, so its automatic link is withdrawn.
    changed = [
        replace(owner, forename=stranger.forename, surname=stranger.surname, date_of_birth=stranger.date_of_birth)
        if p is owner
        else p
        for p in people
    ]
    second = write_template(changed, tmp_path / "second.csv")
    result = runner.invoke(cli, ["records", "import", str(second)], env=env)
    assert result.exit_code == 0, result.output
    assert "2 item(s) changed" in result.output
    assert _states(root) == {
        "late.pdf": ("linked_auto", late.case_reference),
        "owner.pdf": ("needs_review", None),
        "decided.pdf": ("rejected", None),
    }
    again = runner.invoke(cli, ["records", "import", str(second)], env=env)
    assert "0 item(s) changed" in again.output
