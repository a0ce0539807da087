"""People's decisions on case files: link, reject, correct a catalogue entry, note that the
template lacks a case, reopen a decision — and what waits for them.

Used by the CLI and the review page alike. Each decision reads the item and writes the change and
its audit row in one `BEGIN IMMEDIATE` transaction, so two reviewers racing on one item queue up
and the second is told it was already decided: nothing is ever linked twice. A decision is a
person's when `linked_by` names someone other than the service (or a catalogue entry was verified):
re-importing the template leaves those alone, and only `reopen` (an admin, with a reason) undoes one.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalogue.candidates import Candidate
from catalogue.linking import CatalogueEntry
from store.audit import add_audit, last_before
from store.database import Database
from store.documents import (REVIEW_STATES, document_counts, get_document, review_rows, row_dict, set_entry,
                                       set_link, set_noted, set_waiting)
from store.records import find_record
from store.users import AUTOMATIC_ACTOR, is_reserved
from records.template import is_formula_like
from config.errors import CasescanError, UsageError
from scanner.model import CoverFields

log = logging.getLogger(__name__)

KINDS = {"needs_review": "needs_review", "unknown": "unknown_reference", "unreadable": "unreadable"}
PERSON_STATES = ("linked_manual", "rejected")
DECISIONS = ("link", "reject", "edit_entry", "not_in_template")


class AlreadyDecided(CasescanError):
    """Someone decided this item first; the second decision changed nothing."""


class NoSuchDocument(UsageError):
    """The document id given is not in this workspace."""


@dataclass(frozen=True)
class ReviewItem:
    """A case file as a reviewer sees it: what was read, why it was not linked, who it might be."""

    document_id: int
    kind: str
    state: str
    closed: bool
    scan_id: int
    source_file: str
    first_page: int
    last_page: int
    read_reference: str | None
    method: str | None
    confidence: float
    reason: str
    candidates: tuple[Candidate, ...]
    fields: CoverFields
    cover_text: str
    entry: CatalogueEntry | None
    record_id: int | None
    record_reference: str | None
    link_method: str | None
    linked_by: str | None
    linked_at: str | None
    created_at: str
    note: str = ""

    @property
    def decided_by_person(self) -> bool:
        return self.state in PERSON_STATES or self.linked_by not in (None, AUTOMATIC_ACTOR)

    @property
    def noted_not_in_template(self) -> bool:
        """An unknown reference a lead has said the template lacks: an exception, no longer waiting."""
        return self.state == "unknown" and self.decided_by_person


def _kind(state: str, closed: bool) -> str:
    return "catalogue_check" if closed else KINDS.get(state, state)


def _fields(text: str) -> CoverFields:
    data = json.loads(text or "{}")
    birth = data.get("date_of_birth")
    return CoverFields(name=data.get("name"), date_of_birth=date.fromisoformat(birth) if birth else None,
                       words=tuple(data.get("words") or ()))


def _item(row: sqlite3.Row) -> ReviewItem:
    keys = row.keys()
    entry = None
    if row["closed"] and "entry_location" in keys and row["entry_location"] is not None:
        entry = CatalogueEntry(row["entry_reference"], row["entry_subject_name"], row["entry_location"],
                                float(row["entry_confidence"] or 0.0))
    return ReviewItem(
        document_id=row["id"], kind=_kind(row["state"], bool(row["closed"])), state=row["state"],
        closed=bool(row["closed"]), scan_id=row["scan_id"], source_file=row["source_file"],
        first_page=row["first_page"], last_page=row["last_page"], read_reference=row["read_reference"],
        method=row["method"], confidence=float(row["confidence"] or 0.0), reason=row["reason"],
        candidates=tuple(Candidate(**c) for c in json.loads(row["candidates_json"])),
        fields=_fields(row["fields_json"]), cover_text=row["cover_text"], entry=entry,
        record_id=row["record_id"], record_reference=row["record_reference"] if "record_reference" in keys else None,
        link_method=row["link_method"], linked_by=row["linked_by"], linked_at=row["linked_at"],
        created_at=row["created_at"], note=row["note"] if "note" in keys else "",
    )


def review_items(db: Database) -> list[ReviewItem]:
    """Everything waiting for a person, oldest first."""
    return [_item(row) for row in review_rows(db)]


def get_item(db: Database, document_id: int) -> ReviewItem | None:
    """Any document, decided or not (the review page shows what happened to it)."""
    row = get_document(db.connection, document_id)
    return _item(row) if row is not None else None


def _snapshot(row: sqlite3.Row) -> dict[str, Any]:
    values = row_dict(row) or {}
    keys = ("state", "record_id", "record_reference", "link_method", "linked_by", "linked_at", "note",
            "entry_reference", "entry_subject_name", "entry_location")
    return {key: values.get(key) for key in keys if key in values}


def _decided_by_person(row: sqlite3.Row) -> bool:
    return (row["state"] in PERSON_STATES or row["entry_verified_by"] is not None
            or row["linked_by"] not in (None, AUTOMATIC_ACTOR))


def _person(actor: str) -> str:
    """Refuse to record a person under the service's own name: their decision would pass as automatic."""
    if is_reserved(actor):
        raise UsageError(f"decisions are recorded under your user name, and '{actor}' is the name of casescan's "
                         "automatic links; run the command as your own user (or decide on the review page).")
    return actor


def _row(conn: sqlite3.Connection, document_id: int) -> sqlite3.Row:
    row = get_document(conn, document_id)
    if row is None:
        raise NoSuchDocument(f"there is no document {document_id}; 'casescan status' lists the review items with their ids.")
    return row


def _open_item(conn: sqlite3.Connection, document_id: int, if_state: str | None) -> sqlite3.Row:
    """The item, if a person may still decide it; raises otherwise (inside the write lock)."""
    row = _row(conn, document_id)
    decided_by_person = _decided_by_person(row)
    changed = if_state is not None and row["state"] != if_state
    if decided_by_person or changed or row["state"] not in (*REVIEW_STATES, "linked_auto", "catalogued"):
        who = f" by {row['linked_by'] or row['entry_verified_by']}" if (row["linked_by"] or row["entry_verified_by"]) else ""
        raise AlreadyDecided(f"document {document_id} was already decided ({row['state']}{who}); nothing was changed.")
    return row


def _record(conn: sqlite3.Connection, case_reference: str) -> tuple[int, str]:
    found = find_record(conn, case_reference)
    if found is None:
        raise UsageError(f"no template record has case reference '{case_reference}'; check it, or import the template "
                         "again with 'casescan records import FILE'.")
    return found


def _finish(conn: sqlite3.Connection, document_id: int, action: str, actor: str, before: sqlite3.Row,
            detail: str = "") -> ReviewItem:
    after = _row(conn, document_id)
    add_audit(conn, actor=actor, action=action, document_id=document_id, before=_snapshot(before), after=_snapshot(after),
              detail=detail)
    log.info("decision action=%s document=%d state=%s", action, document_id, after["state"])
    return _item(after)


def link_document(db: Database, document_id: int, case_reference: str, actor: str, *,
                  if_state: str | None = None) -> ReviewItem:
    """Link a case file to the record with `case_reference` (a closed front sheet: mark it as that case).

    `if_state` is the state the person saw; if the item has moved on since, AlreadyDecided.
    """
    _person(actor)
    with db.transaction() as conn:
        row = _open_item(conn, document_id, if_state)
        record_id, reference = _record(conn, case_reference)
        state = "catalogued" if row["closed"] else "linked_manual"
        if not set_link(conn, document_id, state=state, record_id=record_id, link_method="manual", actor=actor,
                        expected_state=row["state"]):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        if row["closed"]:
            set_entry(conn, document_id, case_reference=reference,
                      subject_name=row["entry_subject_name"], location=row["entry_location"] or "", actor=actor)
        return _finish(conn, document_id, "link", actor, row)


def reject_document(db: Database, document_id: int, actor: str, *, if_state: str | None = None) -> ReviewItem:
    """Mark pages as not a case file: they are left out of the package and off the review queue."""
    _person(actor)
    with db.transaction() as conn:
        row = _open_item(conn, document_id, if_state)
        if not set_link(conn, document_id, state="rejected", record_id=None, link_method=None, actor=actor,
                        expected_state=row["state"]):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        return _finish(conn, document_id, "reject", actor, row)


def _refuse_formula(label: str, value: str) -> None:
    if is_formula_like(value):
        first = {"\t": "a tab", "\r": "a line break"}.get(value[0], f"'{value[0]}'")
        raise UsageError(f"the {label} '{value.strip()}' starts with {first}, which a spreadsheet would run as a "
                         "formula; type it without that character. Nothing was saved.")


def edit_catalogue_entry(db: Database, document_id: int, *, case_reference: str | None, subject_name: str | None,
                         location: str, actor: str, if_state: str | None = None) -> ReviewItem:
    """Correct a closed front sheet's entry; it is then catalogued, linked to the record if the template holds it.

    Text a spreadsheet would run as a formula is refused: it is a slip (or worse), never a reference."""
    _person(actor)
    for label, value in (("case reference", case_reference), ("name", subject_name), ("location", location)):
        _refuse_formula(label, (value or "").strip(" "))
    with db.transaction() as conn:
        row = _open_item(conn, document_id, if_state)
        if not row["closed"]:
            raise UsageError(f"document {document_id} is an open case file, not a closed front sheet; link or reject it instead.")
        reference = (case_reference or "").strip() or None
        found = find_record(conn, reference) if reference else None
        record_id = found[0] if found else None
        reference = found[1] if found else reference
        if not set_link(conn, document_id, state="catalogued", record_id=record_id,
                        link_method="manual" if record_id else None, actor=actor, expected_state=row["state"]):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        set_entry(conn, document_id, case_reference=reference, subject_name=(subject_name or "").strip() or None,
                  location=location.strip(), actor=actor)
        return _finish(conn, document_id, "edit_entry", actor, row)


def note_not_in_template(db: Database, document_id: int, actor: str, note: str, *,
                         if_state: str | None = None) -> ReviewItem:
    """A lead's decision that an unknown reference is a real case the template lacks.

    The item stays an `unknown_reference` exception (with the note, for the data officer) instead
    of being rejected out of the package, and leaves the review queue."""
    _person(actor)
    note = " ".join(note.split())
    if not note:
        raise UsageError("write a note for the template's keeper (for example: opened in 2023, not yet in the "
                         "case system); it goes into exceptions.csv beside the case file.")
    with db.transaction() as conn:
        row = _open_item(conn, document_id, if_state)
        if row["state"] != "unknown" or row["closed"]:
            raise UsageError(f"document {document_id} is not an open case file with an unknown reference; "
                             "link or reject it instead.")
        if not set_noted(conn, document_id, actor=actor, note=note):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        return _finish(conn, document_id, "not_in_template", actor, row, detail=note)


def _waiting_state(conn: sqlite3.Connection, row: sqlite3.Row) -> tuple[str, dict[str, Any] | None]:
    """Where a reopened item waits, and the catalogue entry to restore: as before the last person's decision."""
    before = last_before(conn, row["id"], DECISIONS) or {}
    state = before.get("state")
    if state not in REVIEW_STATES:
        state = "needs_review" if row["read_reference"] else "unreadable"
    entry = before if row["closed"] and row["entry_id"] is not None and "entry_location" in before else None
    return str(state), entry


def reopen_document(db: Database, document_id: int, actor: str, reason: str) -> ReviewItem:
    """Undo a person's decision (an admin's correction of a slip): the item waits for review again.

    The audit trail keeps the decision undone and gains this one with its reason."""
    _person(actor)
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("say why the decision is reopened (--reason TEXT); the audit trail keeps it.")
    with db.transaction() as conn:
        row = _row(conn, document_id)
        if not _decided_by_person(row):
            raise UsageError(f"document {document_id} has no decision by a person to reopen (it is {row['state']}); "
                             "a lead can decide it on the review page.")
        state, entry = _waiting_state(conn, row)
        set_waiting(conn, document_id, state=state, entry=entry)
        return _finish(conn, document_id, "reopen", actor, row, detail=reason)


STATUS_ITEMS = 100


def review_status(db: Database) -> dict[str, Any]:
    """For `casescan status`: documents per state, review items per kind, and the items with their ids."""
    items = review_items(db)
    by_kind = {kind: 0 for kind in ("needs_review", "unknown_reference", "unreadable", "catalogue_check")}
    for item in items:
        by_kind[item.kind] += 1
    listed = [
        {"id": item.document_id, "kind": item.kind, "source_file": item.source_file,
         "pages": f"{item.first_page}-{item.last_page}", "read_reference": item.read_reference or "",
         "reason": item.reason}
        for item in items[:STATUS_ITEMS]
    ]
    return {"documents": document_counts(db), "waiting": by_kind, "items": listed,
            "items_not_listed": max(0, len(items) - STATUS_ITEMS)}
