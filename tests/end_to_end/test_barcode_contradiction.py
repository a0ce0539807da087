"""An exact barcode is not enough: a cover carrying someone else's name and date of birth waits
for a person (PRODUCT.md, Decisions), however the reference was read."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from catalogue.importer import import_template
from config.workspace import find_workspace, init_workspace
from synthetic import make_people, write_pdf, write_template
from synthetic.pages import draw_cover
from watch.service import WatchService

DPI = 200


def test_barcoded_cover_with_another_persons_details_needs_review(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root)
    people = [p for p in make_people(12, seed=5) if not p.excluded]
    owner, stranger, honest = people[0], people[1], people[2]
    import_template(find_workspace(root, environ={}), write_template(people, tmp_path / "template.csv"))
    printed = replace(owner, forename=stranger.forename, surname=stranger.surname, date_of_birth=stranger.date_of_birth)
    write_pdf([draw_cover(printed, "labelled", DPI, barcode="qr")], root / "inbox" / "wrong details.pdf", DPI)
    write_pdf([draw_cover(honest, "labelled", DPI, barcode="qr")], root / "inbox" / "right details.pdf", DPI)

    WatchService(find_workspace(root, environ={}, overrides={"watch.settle_seconds": 0.0}), once=True).run()

    conn = sqlite3.connect(root / "casescan.db")
    states = dict(
        conn.execute("SELECT s.source_file, d.state FROM documents d JOIN scans s ON s.id = d.scan_id").fetchall()
    )
    assert states == {"wrong details.pdf": "needs_review", "right details.pdf": "linked_auto"}


def test_the_person_the_cover_describes_is_the_first_candidate(tmp_path: Path) -> None:
    """Issue 12 item 9: the reference reads A, the printed name and date of birth are B's: B first."""
    import json

    root = tmp_path / "ws"
    init_workspace(root)
    people = [p for p in make_people(16, seed=11) if not p.excluded]
    import_template(find_workspace(root, environ={}), write_template(people, tmp_path / "template.csv"))
    pairs = [
        (people[0], people[5], "labelled", None),
        (people[1], people[7], "form", "code128"),
        (people[2], people[9], "boxed", "qr"),
    ]
    for index, (owner, stranger, layout, symbology) in enumerate(pairs):
        printed = replace(
            owner, forename=stranger.forename, surname=stranger.surname, date_of_birth=stranger.date_of_birth
        )
        write_pdf([draw_cover(printed, layout, DPI, barcode=symbology)], root / "inbox" / f"cover {index}.pdf", DPI)

    WatchService(find_workspace(root, environ={}, overrides={"watch.settle_seconds": 0.0}), once=True).run()

    conn = sqlite3.connect(root / "casescan.db")
    rows = dict(
        conn.execute(
            "SELECT s.source_file, d.state || '|' || d.candidates_json FROM documents d "
            "JOIN scans s ON s.id = d.scan_id"
        ).fetchall()
    )
    for index, (owner, stranger, _, _) in enumerate(pairs):
        state, candidates = rows[f"cover {index}.pdf"].split("|", 1)
        ranked = [c["case_reference"] for c in json.loads(candidates)]
        assert state == "needs_review"
        assert ranked[0] == stranger.case_reference and owner.case_reference in ranked, ranked
