"""Issue 12 item 8: a barcoded cover typed without the record's letters (ø, ł, þ, đ, æ) is the
record's own cover, linked automatically; the record's name is kept exactly as written."""

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
NAMES = [
    ("Søren", "Ødegård", "SOREN", "ODEGARD"),
    ("Łukasz", "Wałęsa", "LUKASZ", "WALESA"),
    ("Þóra", "Þórsdóttir", "THORA", "THORSDOTTIR"),
    ("Đorđe", "Æbelø", "DORDE", "AEBELO"),
]


def test_covers_typed_in_ascii_link_to_records_written_with_other_letters(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root)
    people = [p for p in make_people(12, seed=13) if not p.excluded][: len(NAMES)]
    written = [replace(p, forename=f, surname=s) for p, (f, s, _, _) in zip(people, NAMES, strict=False)]
    template = write_template(written, tmp_path / "template.csv")
    import_template(find_workspace(root, environ={}), template)
    for person, (_, _, forename, surname) in zip(written, NAMES, strict=False):
        typed = replace(person, forename=forename, surname=surname)
        write_pdf(
            [draw_cover(typed, "labelled", DPI, barcode="qr")], root / "inbox" / f"{person.case_reference}.pdf", DPI
        )

    WatchService(find_workspace(root, environ={}, overrides={"watch.settle_seconds": 0.0}), once=True).run()

    conn = sqlite3.connect(root / "casescan.db")
    states = dict(
        conn.execute("SELECT r.case_reference, d.state FROM documents d JOIN records r ON r.id = d.record_id")
    )
    assert states == {p.case_reference: "linked_auto" for p in written}
    stored = {row[0] for row in conn.execute("SELECT forename || ' ' || surname FROM records")}
    assert {f"{f} {s}" for f, s, _, _ in NAMES} <= stored


EXACT = [
    ("Søren", "Ødegård"),
    ("Þóra", "Þórsdóttir"),
    ("Łukasz", "Wałęsa"),
    ("Đorđe", "Đukić"),
    ("Ægir", "Æbelø"),
    ("Siobhán", "Ó Súilleabháin"),
]


def test_covers_typed_with_the_records_own_letters_link_to_them(tmp_path: Path) -> None:
    """A fresh tester's covers printed with the record's exact letters went to review as naming
    someone else: English OCR reads ø, Þ, ó as the nearest shapes it knows ("Seren Sdegard",
    "Péra Pérsdéttir"). OCR alone reads the reference here, so the name decides nothing unless
    it is wrongly taken as a contradiction."""
    root = tmp_path / "ws"
    init_workspace(root)
    people = [p for p in make_people(16, seed=29) if not p.excluded][: len(EXACT)]
    written = [replace(p, forename=f, surname=s) for p, (f, s) in zip(people, EXACT, strict=False)]
    template = write_template(written, tmp_path / "template.csv")
    import_template(find_workspace(root, environ={}), template)
    for person in written:
        write_pdf([draw_cover(person, "labelled", 300)], root / "inbox" / f"{person.case_reference}.pdf", 300)

    WatchService(find_workspace(root, environ={}, overrides={"watch.settle_seconds": 0.0}), once=True).run()

    conn = sqlite3.connect(root / "casescan.db")
    decided = dict(conn.execute("SELECT read_reference, state || ': ' || reason FROM documents"))
    assert set(decided) == {p.case_reference for p in written}, decided
    assert [o for o in decided.values() if not o.startswith("linked_auto")] == []
