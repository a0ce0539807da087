"""People's decisions on real SQLite: guarded, audited, never twice; and the store's crash-safe insert."""

from __future__ import annotations

import threading

import pytest

from catalogue.linking import decide
from catalogue.scans import record_index
from config.errors import CasescanError
from decisions.actions import (
    AlreadyDecided,
    NoSuchDocument,
    ReviewItem,
    edit_catalogue_entry,
    get_item,
    link_document,
    note_not_in_template,
    reject_document,
    reopen_document,
    review_items,
)
from scanner.model import CaseFile
from store.audit import audit_entries
from store.database import Database, open_database
from store.links import insert_links
from tests.support.catalogue import Scans, cover
from tests.support.engines import both_engines

pytestmark = both_engines


def review_item(db: Database, document: int) -> ReviewItem:
    """The review item of a document the test stored: it is always there."""
    found = get_item(db, document)
    assert found is not None, f"document {document} is gone"
    return found


def test_insert_links_replaces_what_a_crashed_run_stored(scans: Scans) -> None:
    first = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr")), (2, 2, cover("XYZ-2001-0001", "ocr"))])
    scan_id = scans.db.query("SELECT scan_id FROM documents WHERE id = ?", (first[0],))[0][0]
    link = decide(
        CaseFile(1, 2, cover("CSC-2018-3307")),
        record_index(scans.db),
        closed=True,
        location="Box 1",
        settings=scans.workspace.settings,
    )
    with scans.db.transaction() as conn:
        insert_links(conn, scan_id, [link])
    rows = scans.db.query(
        "SELECT d.first_page, d.state, e.location FROM documents d "
        "LEFT JOIN catalogue_entries e ON e.document_id = d.id WHERE d.scan_id = ?",
        (scan_id,),
    )
    assert [tuple(r) for r in rows] == [(1, "catalogued", "Box 1")]


def test_insert_links_is_undone_with_the_callers_transaction(scans: Scans) -> None:
    scan_id = scans.db.query("SELECT COALESCE(MAX(id), 0) FROM scans")[0][0]
    scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr"))])
    scan_id += 1
    before = scans.db.query("SELECT COUNT(*) FROM documents")[0][0]
    with pytest.raises(RuntimeError), scans.db.transaction() as conn:
        insert_links(conn, scan_id, [])
        raise RuntimeError("crash before commit")
    assert scans.db.query("SELECT COUNT(*) FROM documents")[0][0] == before


def test_review_items_oldest_first_with_kinds_and_evidence(scans: Scans) -> None:
    ids = scans.add(
        "a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr")), (2, 2, cover("XYZ-2001-0001", "ocr")), (3, 3, None)]
    )
    closed = scans.add("closed/b.pdf", [(1, 1, cover(None, None))], closed=True, location="Box 9")
    items = review_items(scans.db)
    assert [(i.document_id, i.kind) for i in items] == [
        (ids[0], "needs_review"),
        (ids[1], "unknown_reference"),
        (ids[2], "unreadable"),
        (closed[0], "catalogue_check"),
    ]
    assert [c.case_reference for c in items[0].candidates] == ["SGD-2024-0413", "SGD/2024/0412"]
    assert items[0].reason and items[3].entry is not None and items[3].entry.location == "Box 9"


def test_link_is_audited_and_cannot_happen_twice(scans: Scans) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr"))])
    item = link_document(scans.db, document, "SGD-2024-0413", "alice")
    assert (item.state, item.record_reference, item.linked_by, item.link_method) == (
        "linked_manual",
        "SGD-2024-0413",
        "alice",
        "manual",
    )
    with pytest.raises(AlreadyDecided, match="already decided"):
        link_document(scans.db, document, "SGD/2024/0412", "bob")
    with pytest.raises(AlreadyDecided):
        reject_document(scans.db, document, "bob")
    audit = audit_entries(scans.db, document_id=document)
    assert [(a.actor, a.action, a.before["state"], a.after["state"]) for a in audit] == [
        ("alice", "link", "needs_review", "linked_manual")
    ]
    assert review_item(scans.db, document).record_reference == "SGD-2024-0413"


def test_a_decision_on_a_state_the_reviewer_did_not_see_is_refused(scans: Scans) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr"))])
    with pytest.raises(AlreadyDecided):
        reject_document(scans.db, document, "alice", if_state="unknown")
    assert review_item(scans.db, document).state == "needs_review"


def test_two_reviewers_racing_link_once(scans: Scans) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr"))])
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def decide_as(actor: str, reference: str) -> None:
        with open_database(scans.db.location) as db:
            barrier.wait()
            try:
                link_document(db, document, reference, actor)
                outcomes.append("linked")
            except AlreadyDecided:
                outcomes.append("refused")

    threads = [
        threading.Thread(target=decide_as, args=(f"lead{n}", ref))
        for n, ref in enumerate(["SGD-2024-0413", "SGD/2024/0412"] * 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["linked", "refused", "refused", "refused"]
    assert len(audit_entries(scans.db, document_id=document)) == 1


def test_edit_catalogue_entry_links_a_held_case(scans: Scans) -> None:
    (document,) = scans.add(
        "closed/f.pdf", [(1, 1, cover(None, None, name="S O Suilleabhain"))], closed=True, location="Box 1"
    )
    item = edit_catalogue_entry(
        scans.db,
        document,
        case_reference="csc 2018 3307",
        subject_name="Siobhán Ó Súilleabháin",
        location="Box 1 / Shelf 2",
        actor="carol",
    )
    assert item.state == "catalogued" and item.record_reference == "CSC-2018-3307"
    assert item.entry is not None and (item.entry.case_reference, item.entry.location) == (
        "CSC-2018-3307",
        "Box 1 / Shelf 2",
    )
    assert audit_entries(scans.db)[0].after["entry_location"] == "Box 1 / Shelf 2"
    with pytest.raises(AlreadyDecided):
        edit_catalogue_entry(scans.db, document, case_reference=None, subject_name=None, location="x", actor="dave")


def test_open_case_files_have_no_catalogue_entry_to_edit(scans: Scans) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("XYZ-2001-0001", "ocr"))])
    with pytest.raises(CasescanError, match="not a closed front sheet"):
        edit_catalogue_entry(scans.db, document, case_reference="X", subject_name=None, location="", actor="carol")
    with pytest.raises(NoSuchDocument):
        reject_document(scans.db, 12345, "carol")


def test_a_scan_with_peoples_decisions_is_not_overwritten(scans: Scans) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("XYZ-2001-0001", "ocr"))])
    reject_document(scans.db, document, "carol")
    scan_id = scans.db.query("SELECT scan_id FROM documents WHERE id = ?", (document,))[0][0]
    with pytest.raises(CasescanError, match="decided by people"), scans.db.transaction() as conn:
        insert_links(conn, scan_id, [])
    assert review_item(scans.db, document).state == "rejected"


@pytest.mark.parametrize(
    "decide_it, waits_as",
    [
        (lambda db, doc: link_document(db, doc, "SGD-2024-0412", "alice"), "needs_review"),
        (lambda db, doc: reject_document(db, doc, "alice"), "needs_review"),
    ],
)
def test_reopen_puts_an_item_back_in_the_queue_and_keeps_both_decisions(scans: Scans, decide_it, waits_as) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr"))])
    decide_it(scans.db, document)
    assert document not in [i.document_id for i in review_items(scans.db)]
    item = reopen_document(scans.db, document, "ada", "  a slip of the   Enter key ")
    assert (item.state, item.record_id, item.linked_by, item.link_method) == (waits_as, None, None, None)
    assert document in [i.document_id for i in review_items(scans.db)]
    trail = list(reversed(audit_entries(scans.db, document_id=document)))
    assert [(e.actor, e.action) for e in trail][-1] == ("ada", "reopen")
    assert trail[-1].detail == "a slip of the Enter key" and trail[-1].before["linked_by"] == "alice"
    assert len(trail) == 2
    again = link_document(scans.db, document, "SGD-2024-0413", "bob")  # decided afresh, by anyone
    assert again.state == "linked_manual" and again.linked_by == "bob"


def test_reopen_restores_an_unknown_reference_and_a_closed_entry(scans: Scans) -> None:
    (unknown,) = scans.add("u.pdf", [(1, 1, cover("XYZ-2001-0001", "ocr"))])
    note_not_in_template(scans.db, unknown, "alice", "opened last month")
    assert reopen_document(scans.db, unknown, "ada", "the template holds it now").state == "unknown"
    assert unknown in [i.document_id for i in review_items(scans.db)]
    (closed,) = scans.add("closed/b.pdf", [(1, 1, cover(None, None))], closed=True, location="Box 9")
    edit_catalogue_entry(
        scans.db, closed, case_reference="CSC-2018-3307", subject_name="Someone", location="Box 10", actor="alice"
    )
    item = reopen_document(scans.db, closed, "ada", "wrong box")
    assert item.kind == "catalogue_check" and item.entry is not None
    assert (item.entry.case_reference, item.entry.location) == (None, "Box 9")
    assert (
        edit_catalogue_entry(
            scans.db, closed, case_reference=None, subject_name=None, location="Box 11", actor="bob"
        ).linked_by
        == "bob"
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopen_needs_a_reason_and_a_persons_decision(scans: Scans, reason: str) -> None:
    document, auto = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr")), (2, 2, cover("SGD-2021-5520"))])
    link_document(scans.db, document, "SGD-2024-0413", "alice")
    with pytest.raises(CasescanError, match="say why"):
        reopen_document(scans.db, document, "ada", reason)
    assert review_item(scans.db, auto).state == "linked_auto"
    with pytest.raises(CasescanError, match="no decision by a person") as refused:
        reopen_document(scans.db, auto, "ada", "because")
    assert f"casescan link {auto} CASE_REF" in str(refused.value), "an automatic link is corrected with link or reject"
    with pytest.raises(NoSuchDocument):
        reopen_document(scans.db, 10**6, "ada", "because")


def test_the_template_lacks_this_case_keeps_it_as_an_exception_with_the_note(scans: Scans) -> None:
    document, review = scans.add(
        "u.pdf", [(1, 1, cover("XYZ-2001-0001", "ocr")), (2, 2, cover("SGD-2024-0413", "ocr"))]
    )
    item = note_not_in_template(scans.db, document, "alice", "opened 2023,\n not yet in the system")
    assert (item.state, item.kind, item.linked_by, item.note) == (
        "unknown",
        "unknown_reference",
        "alice",
        "opened 2023, not yet in the system",
    )
    assert item.noted_not_in_template and document not in [i.document_id for i in review_items(scans.db)]
    with pytest.raises(AlreadyDecided):
        note_not_in_template(scans.db, document, "bob", "again")
    with pytest.raises(AlreadyDecided):
        reject_document(scans.db, document, "bob")
    with pytest.raises(CasescanError, match="not an open case file with an unknown reference"):
        note_not_in_template(scans.db, review, "alice", "a note")
    assert audit_entries(scans.db, document_id=document)[0].action == "not_in_template"


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_the_template_lacks_this_case_needs_a_note(scans: Scans, note: str) -> None:
    (document,) = scans.add("u.pdf", [(1, 1, cover("XYZ-2001-0001", "ocr"))])
    with pytest.raises(CasescanError, match="write a note"):
        note_not_in_template(scans.db, document, "alice", note)
    assert review_item(scans.db, document).linked_by is None


@pytest.mark.parametrize("actor", ["casescan", "CaseScan", " casescan "])
def test_no_person_is_recorded_as_the_automatic_linker(scans: Scans, actor: str) -> None:
    (document,) = scans.add("a.pdf", [(1, 1, cover("SGD-2024-0413", "ocr"))])
    for decision in (
        lambda: link_document(scans.db, document, "SGD-2024-0413", actor),
        lambda: reject_document(scans.db, document, actor),
        lambda: reopen_document(scans.db, document, actor, "x"),
    ):
        with pytest.raises(CasescanError, match="automatic links"):
            decision()
    assert review_item(scans.db, document).state == "needs_review"


@pytest.mark.parametrize(
    "field, value",
    [
        ("case_reference", "=1+1"),
        ("case_reference", "+44 1234"),
        ("subject_name", "@SUM(A1)"),
        ("location", "-2+3"),
        ("location", "\tBox"),
        ("case_reference", '  =HYPERLINK("x")'),
    ],
)
def test_the_catalogue_form_refuses_formula_like_text(scans: Scans, field: str, value: str) -> None:
    (closed,) = scans.add("closed/b.pdf", [(1, 1, cover(None, None))], closed=True, location="Box 9")
    values = {"case_reference": "CSC-2018-3307", "subject_name": "Someone", "location": "Box 9", field: value}
    with pytest.raises(CasescanError, match="formula"):
        edit_catalogue_entry(scans.db, closed, actor="alice", **values)
    assert review_item(scans.db, closed).linked_by is None
