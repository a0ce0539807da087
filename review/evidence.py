"""What the review page shows beside each candidate: the cover and the record, field by field.

Pure functions of the item and a record, so the comparison a lead relies on is tested without a
browser. Agreement is always written in words ("matches", "differs"), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from catalogue.names import name_similarity, spells_out
from common.dates import find_uk_dates
from decisions.actions import ReviewItem
from records.template import TemplateRecord, name_key
from scanner.model import CoverFields
from store.states import CATALOGUE_CHECK, EXCEPTION_KINDS, State

MATCHES, DIFFERS, NOT_READ = "matches", "differs", "not on the cover"
UNLABELLED = "in the cover's text, no label"

KIND_LABELS = {
    EXCEPTION_KINDS[State.NEEDS_REVIEW]: "Needs review",
    EXCEPTION_KINDS[State.UNKNOWN]: "Unknown reference",
    EXCEPTION_KINDS[State.UNREADABLE]: "Unreadable",
    CATALOGUE_CHECK: "Catalogue entry to check",
}

STATE_LABELS = {
    State.LINKED_AUTO: "linked automatically",
    State.LINKED_MANUAL: "linked by a person",
    State.REJECTED: "rejected (not a case file)",
    State.CATALOGUED: "catalogued",
    State.NEEDS_REVIEW: "waiting for review",
    State.UNKNOWN: "waiting for review (unknown reference)",
    State.UNREADABLE: "waiting for review (unreadable)",
}


DECIDED_HEADINGS = {
    State.LINKED_AUTO: "Linked automatically",
    State.LINKED_MANUAL: "Linked by a person",
    State.REJECTED: "Rejected: not a case file",
    State.CATALOGUED: "Catalogued closed paper file",
}
NOTED = "Unknown reference: the template lacks this case"


def heading(item: ReviewItem) -> str:
    """The item page's heading in words: what waits, or what was decided (never a raw state name)."""
    if item.noted_not_in_template:
        what = NOTED
    elif item.state in DECIDED_HEADINGS:
        what = DECIDED_HEADINGS[item.state] + (f" to {item.record_reference}" if item.record_reference else "")
    else:
        what = KIND_LABELS.get(item.kind, "Waiting for review")
    return f"Item {item.document_id}: {what}"


def state_label(item: ReviewItem) -> str:
    """The state as the sentence "this item is …" goes on."""
    if item.noted_not_in_template:
        return "noted as a case the template lacks"
    return STATE_LABELS.get(item.state, "waiting for review")


@dataclass(frozen=True)
class Comparison:
    field: str
    on_cover: str
    in_record: str
    verdict: str


def uk_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def compare(
    read_reference: str | None, fields: CoverFields, record: TemplateRecord, name_match: float, cover_text: str = ""
) -> list[Comparison]:
    """Reference, name and date of birth as read on the cover beside the record's own values. A
    name or date of birth the cover prints with no label counts when its text holds the record's
    own, as the decision counts it, and says so."""

    def verdict(on_cover: object, same: bool) -> str:
        return NOT_READ if not on_cover else (MATCHES if same else DIFFERS)

    same_reference = name_key(read_reference) == name_key(record.case_reference)
    same_name = name_similarity(fields.name, record.name) >= name_match
    same_birth = fields.date_of_birth is not None and fields.date_of_birth == record.date_of_birth
    name = Comparison("Name", fields.name or "", record.name, verdict(fields.name, same_name))
    if not fields.name and cover_text and spells_out(cover_text, record):
        name = Comparison("Name", f"{record.name} ({UNLABELLED})", record.name, MATCHES)
    birth = Comparison(
        "Date of birth",
        uk_date(fields.date_of_birth),
        uk_date(record.date_of_birth),
        verdict(fields.date_of_birth, same_birth),
    )
    if fields.date_of_birth is None and record.date_of_birth and record.date_of_birth in find_uk_dates(cover_text):
        birth = Comparison(
            "Date of birth", f"{uk_date(record.date_of_birth)} ({UNLABELLED})", uk_date(record.date_of_birth), MATCHES
        )
    reference = Comparison(
        "Case reference", read_reference or "", record.case_reference, verdict(read_reference, same_reference)
    )
    return [reference, name, birth]


def next_item(queue: Sequence[int], after: int, before_ids: Sequence[int] = ()) -> int | None:
    """The item to open after `after`: the next one in the queue's order, wrapping to the start.

    `before_ids` is the queue as it was before a decision removed `after` from it, so the lead
    moves on to the item that followed it rather than back to items they skipped.
    """
    order = list(before_ids) or list(queue)
    waiting = set(queue) - {after}
    if after in order:
        position = order.index(after)
        for candidate in order[position + 1 :] + order[:position]:
            if candidate in waiting:
                return candidate
    return next((candidate for candidate in queue if candidate != after), None)
