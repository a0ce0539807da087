"""Where a case file stands: PRODUCT.md's document states, one name each.

`State` is a `StrEnum`, so the database, the CSVs, `status --json` and the review page keep the
very words they always had; code compares members, never strings typed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class State(StrEnum):
    """The state of one document (a case file as stored). In `casescan status`'s order."""

    LINKED_AUTO = "linked_auto"
    LINKED_MANUAL = "linked_manual"
    NEEDS_REVIEW = "needs_review"
    UNKNOWN = "unknown"
    UNREADABLE = "unreadable"
    REJECTED = "rejected"
    CATALOGUED = "catalogued"


WAITING: tuple[State, ...] = (State.NEEDS_REVIEW, State.UNKNOWN, State.UNREADABLE)
"""Waiting for a person: the review queue, and unresolved in `exceptions.csv`."""

DECIDED_BY_PERSON: tuple[State, ...] = (State.LINKED_MANUAL, State.REJECTED)
"""States only a person's decision reaches."""

LINKED_BY_SERVICE: tuple[State, ...] = (State.LINKED_AUTO, State.CATALOGUED)
"""States the service reaches on its own (a person may still confirm or correct them)."""

EXCEPTION_KINDS: Mapping[State, str] = {
    State.NEEDS_REVIEW: "needs_review",
    State.UNKNOWN: "unknown_reference",
    State.UNREADABLE: "unreadable",
}
"""A waiting state as `exceptions.csv` and the review page name its kind (PRODUCT.md's words)."""

CATALOGUE_CHECK = "catalogue_check"
"""The review kind of a closed front sheet, whatever its state: its catalogue entry is checked."""


def review_kind(state: State, closed: bool) -> str:
    """What a person is asked to do about a document: check a catalogue entry, or its exception kind."""
    return CATALOGUE_CHECK if closed else EXCEPTION_KINDS.get(state, str(state))
