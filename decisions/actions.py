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
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalogue.candidates import Candidate
from catalogue.linking import CatalogueEntry
from config.errors import CasescanError, UsageError
from records.template import is_formula_like
from scanner.model import CoverFields
from store.audit import add_audit, last_before
from store.database import Connection, Database
from store.documents import document_counts, get_document, review_documents, set_entry, set_link, set_noted, set_waiting
from store.model import Document
from store.records import find_record
from store.states import (
    CATALOGUE_CHECK,
    DECIDED_BY_PERSON,
    EXCEPTION_KINDS,
    LINKED_BY_SERVICE,
    WAITING,
    State,
    review_kind,
)
from store.users import AUTOMATIC_ACTOR, is_reserved

log = logging.getLogger(__name__)

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
    state: State
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
        return self.state in DECIDED_BY_PERSON or self.linked_by not in (None, AUTOMATIC_ACTOR)

    @property
    def noted_not_in_template(self) -> bool:
        """An unknown reference a lead has said the template lacks: an exception, no longer waiting."""
        return self.state == State.UNKNOWN and self.decided_by_person


def _fields(text: str) -> CoverFields:
    data = json.loads(text or "{}")
    birth = data.get("date_of_birth")
    return CoverFields(
        name=data.get("name"),
        date_of_birth=date.fromisoformat(birth) if birth else None,
        words=tuple(data.get("words") or ()),
    )


def _item(document: Document) -> ReviewItem:
    stored = document.entry
    entry = None
    if document.closed and stored is not None:
        entry = CatalogueEntry(
            stored.case_reference, stored.subject_name, stored.location, float(stored.confidence or 0.0)
        )
    return ReviewItem(
        document_id=document.id,
        kind=review_kind(document.state, document.closed),
        state=document.state,
        closed=document.closed,
        scan_id=document.scan_id,
        source_file=document.source_file,
        first_page=document.first_page,
        last_page=document.last_page,
        read_reference=document.read_reference,
        method=document.method,
        confidence=float(document.confidence or 0.0),
        reason=document.reason,
        candidates=tuple(Candidate(**c) for c in json.loads(document.candidates_json)),
        fields=_fields(document.fields_json),
        cover_text=document.cover_text,
        entry=entry,
        record_id=document.record_id,
        record_reference=document.record_reference,
        link_method=document.link_method,
        linked_by=document.linked_by,
        linked_at=document.linked_at,
        created_at=document.created_at,
        note=document.note,
    )


def review_items(db: Database) -> list[ReviewItem]:
    """Everything waiting for a person, oldest first."""
    return [_item(document) for document in review_documents(db)]


def get_item(db: Database, document_id: int) -> ReviewItem | None:
    """Any document, decided or not (the review page shows what happened to it)."""
    document = get_document(db.connection, document_id)
    return _item(document) if document is not None else None


def _snapshot(document: Document) -> dict[str, Any]:
    """The document as the audit trail keeps it, before and after a decision (these keys, always)."""
    entry = document.entry
    return {
        "state": document.state,
        "record_id": document.record_id,
        "record_reference": document.record_reference,
        "link_method": document.link_method,
        "linked_by": document.linked_by,
        "linked_at": document.linked_at,
        "note": document.note,
        "entry_reference": entry.case_reference if entry else None,
        "entry_subject_name": entry.subject_name if entry else None,
        "entry_location": entry.location if entry else None,
    }


def _verified_by(document: Document) -> str | None:
    return document.entry.verified_by if document.entry else None


def _decided_by_person(document: Document) -> bool:
    return (
        document.state in DECIDED_BY_PERSON
        or _verified_by(document) is not None
        or document.linked_by not in (None, AUTOMATIC_ACTOR)
    )


def _person(actor: str) -> str:
    """Refuse to record a person under the service's own name: their decision would pass as automatic."""
    if is_reserved(actor):
        raise UsageError(
            f"decisions are recorded under your user name, and '{actor}' is the name of casescan's "
            "automatic links; run the command as your own user (or decide on the review page)."
        )
    return actor


def _document(conn: Connection, document_id: int) -> Document:
    document = get_document(conn, document_id)
    if document is None:
        raise NoSuchDocument(
            f"there is no document {document_id}; 'casescan status' lists the review items with their ids."
        )
    return document


def _open_item(conn: Connection, document_id: int, if_state: str | None) -> Document:
    """The item, if a person may still decide it; raises otherwise (inside the write lock)."""
    document = _document(conn, document_id)
    decided_by_person = _decided_by_person(document)
    changed = if_state is not None and document.state != if_state
    if decided_by_person or changed or document.state not in (*WAITING, *LINKED_BY_SERVICE):
        by = document.linked_by or _verified_by(document)
        who = f" by {by}" if by else ""
        raise AlreadyDecided(
            f"document {document_id} was already decided ({document.state}{who}); nothing was changed."
        )
    return document


def _record(conn: Connection, case_reference: str) -> tuple[int, str]:
    found = find_record(conn, case_reference)
    if found is None:
        raise UsageError(
            f"no template record has case reference '{case_reference}'; check it, or import the template "
            "again with 'casescan records import FILE'."
        )
    return found


def _finish(
    conn: Connection, document_id: int, action: str, actor: str, before: Document, detail: str = ""
) -> ReviewItem:
    after = _document(conn, document_id)
    add_audit(
        conn,
        actor=actor,
        action=action,
        document_id=document_id,
        before=_snapshot(before),
        after=_snapshot(after),
        detail=detail,
    )
    log.info("decision action=%s document=%d state=%s", action, document_id, after.state)
    return _item(after)


def link_document(
    db: Database, document_id: int, case_reference: str, actor: str, *, if_state: str | None = None
) -> ReviewItem:
    """Link a case file to the record with `case_reference` (a closed front sheet: mark it as that case).

    `if_state` is the state the person saw; if the item has moved on since, AlreadyDecided.
    """
    _person(actor)
    with db.transaction() as conn:
        document = _open_item(conn, document_id, if_state)
        record_id, reference = _record(conn, case_reference)
        state = State.CATALOGUED if document.closed else State.LINKED_MANUAL
        if not set_link(
            conn,
            document_id,
            state=state,
            record_id=record_id,
            link_method="manual",
            actor=actor,
            expected_state=document.state,
        ):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        if document.closed:
            entry = document.entry
            set_entry(
                conn,
                document_id,
                case_reference=reference,
                subject_name=entry.subject_name if entry else None,
                location=(entry.location if entry else None) or "",
                actor=actor,
            )
        return _finish(conn, document_id, "link", actor, document)


def reject_document(db: Database, document_id: int, actor: str, *, if_state: str | None = None) -> ReviewItem:
    """Mark pages as not a case file: they are left out of the package and off the review queue."""
    _person(actor)
    with db.transaction() as conn:
        document = _open_item(conn, document_id, if_state)
        if not set_link(
            conn,
            document_id,
            state=State.REJECTED,
            record_id=None,
            link_method=None,
            actor=actor,
            expected_state=document.state,
        ):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        return _finish(conn, document_id, "reject", actor, document)


def _refuse_formula(label: str, value: str) -> None:
    if is_formula_like(value):
        first = {"\t": "a tab", "\r": "a line break"}.get(value[0], f"'{value[0]}'")
        raise UsageError(
            f"the {label} '{value.strip()}' starts with {first}, which a spreadsheet would run as a "
            "formula; type it without that character. Nothing was saved."
        )


def edit_catalogue_entry(
    db: Database,
    document_id: int,
    *,
    case_reference: str | None,
    subject_name: str | None,
    location: str,
    actor: str,
    if_state: str | None = None,
) -> ReviewItem:
    """Correct a closed front sheet's entry; it is then catalogued, linked to the record if the template holds it.

    Text a spreadsheet would run as a formula is refused: it is a slip (or worse), never a reference."""
    _person(actor)
    for label, value in (("case reference", case_reference), ("name", subject_name), ("location", location)):
        _refuse_formula(label, (value or "").strip(" "))
    with db.transaction() as conn:
        document = _open_item(conn, document_id, if_state)
        if not document.closed:
            raise UsageError(
                f"document {document_id} is an open case file, not a closed front sheet; link or reject it instead."
            )
        reference = (case_reference or "").strip() or None
        found = find_record(conn, reference) if reference else None
        record_id = found[0] if found else None
        reference = found[1] if found else reference
        if not set_link(
            conn,
            document_id,
            state=State.CATALOGUED,
            record_id=record_id,
            link_method="manual" if record_id else None,
            actor=actor,
            expected_state=document.state,
        ):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        set_entry(
            conn,
            document_id,
            case_reference=reference,
            subject_name=(subject_name or "").strip() or None,
            location=location.strip(),
            actor=actor,
        )
        return _finish(conn, document_id, "edit_entry", actor, document)


def note_not_in_template(
    db: Database, document_id: int, actor: str, note: str, *, if_state: str | None = None
) -> ReviewItem:
    """A lead's decision that an unknown reference is a real case the template lacks.

    The item stays an `unknown_reference` exception (with the note, for the data officer) instead
    of being rejected out of the package, and leaves the review queue."""
    _person(actor)
    note = " ".join(note.split())
    if not note:
        raise UsageError(
            "write a note for the template's keeper (for example: opened in 2023, not yet in the "
            "case system); it goes into exceptions.csv beside the case file."
        )
    with db.transaction() as conn:
        document = _open_item(conn, document_id, if_state)
        if document.state != State.UNKNOWN or document.closed:
            raise UsageError(
                f"document {document_id} is not an open case file with an unknown reference; link or reject it instead."
            )
        if not set_noted(conn, document_id, actor=actor, note=note):
            raise AlreadyDecided(f"document {document_id} was decided by someone else meanwhile; nothing was changed.")
        return _finish(conn, document_id, "not_in_template", actor, document, detail=note)


def _waiting_state(conn: Connection, document: Document) -> tuple[State, dict[str, Any] | None]:
    """Where a reopened item waits, and the catalogue entry to restore: as before the last person's decision."""
    before = last_before(conn, document.id, DECISIONS) or {}
    state = before.get("state")
    if state in WAITING:
        waiting = State(state)
    else:
        waiting = State.NEEDS_REVIEW if document.read_reference else State.UNREADABLE
    entry = before if document.closed and document.entry is not None and "entry_location" in before else None
    return waiting, entry


def reopen_document(db: Database, document_id: int, actor: str, reason: str) -> ReviewItem:
    """Undo a person's decision (an admin's correction of a slip): the item waits for review again.

    The audit trail keeps the decision undone and gains this one with its reason."""
    _person(actor)
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("say why the decision is reopened (--reason TEXT); the audit trail keeps it.")
    with db.transaction() as conn:
        document = _document(conn, document_id)
        if not _decided_by_person(document):
            fix = (
                f"to correct it, run 'casescan link {document_id} CASE_REF' or 'casescan reject {document_id}'."
                if document.state in LINKED_BY_SERVICE
                else "a lead can decide it on the review page."
            )
            raise UsageError(
                f"document {document_id} has no decision by a person to reopen (it is {document.state}); {fix}"
            )
        state, entry = _waiting_state(conn, document)
        set_waiting(conn, document_id, state=state, entry=entry)
        return _finish(conn, document_id, "reopen", actor, document, detail=reason)


STATUS_ITEMS = 100


def review_status(db: Database) -> dict[str, Any]:
    """For `casescan status`: documents per state, review items per kind, and the items with their ids."""
    items = review_items(db)
    by_kind = {kind: 0 for kind in (*EXCEPTION_KINDS.values(), CATALOGUE_CHECK)}
    for item in items:
        by_kind[item.kind] += 1
    listed = [
        {
            "id": item.document_id,
            "kind": item.kind,
            "source_file": item.source_file,
            "pages": f"{item.first_page}-{item.last_page}",
            "read_reference": item.read_reference or "",
            "reason": item.reason,
        }
        for item in items[:STATUS_ITEMS]
    ]
    return {
        "documents": document_counts(db),
        "waiting": by_kind,
        "items": listed,
        "items_not_listed": max(0, len(items) - STATUS_ITEMS),
    }
