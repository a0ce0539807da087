"""Decisions across a scan: each case file decided on its own cover (`linking.decide`), then
weighed beside the case file before it.

Minutes, a contact note or an assessment filed inside a child's case file often open with a
sibling's reference, name and date of birth set out just as a front sheet sets out its own. Such a
page rightly starts a case file of its own (it shows a cover's evidence), but linked to the sibling
it carries the child's following pages into the sibling's record. On the page alone it cannot be
told from a front sheet: a fresh tester's 16 such layouts (a quote under one line of prose, after
bullet points, in a table row, a full block at the top of the page) were linked to the sibling in
14. Beside the case file it sits in, it can: its person shares a surname with the person before it.
So a case file linked automatically, on no barcode, whose record shares a surname with the record
of the case file before it in the same scan waits for a person. Siblings' own front sheets filed
one behind the other wait too: a person glances at one page and links it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from catalogue.candidates import RecordIndex
from catalogue.linking import Link, decide
from config.settings import Settings
from records.template import TemplateRecord, name_key
from scanner.model import ScanResult
from store.database import Database
from store.links import people_in_page_order, redecide, undecided_documents
from store.records import all_records, records_version
from store.states import State

MIN_SURNAME_KEY = 2  # letters: a lone initial is no family name


def surname_keys(record: TemplateRecord) -> set[str]:
    """The parts of a record's family name as OCR and typists vary them: "Osei-Blake" is "osei"
    and "blake", so a child recorded under either part of a double-barrelled name is one family."""
    keys = {name_key(part) for part in re.split(r"[\s\-]+", record.surname or "")}
    return {key for key in keys if len(key) >= MIN_SURNAME_KEY}


def named_person(link: Link) -> int | None:
    """The record a case file names for a reader of the batch: its link, else its first candidate."""
    if link.record_id is not None:
        return link.record_id
    return link.candidates[0].record_id if link.candidates else None


def beside(link: Link, before: int | None, index: RecordIndex) -> Link:
    """`link`, waiting for a person when it was linked automatically, on no barcode, to a relative
    (a shared surname, `surname_keys`) of `before`, the record the case file before it names."""
    if link.state != State.LINKED_AUTO or link.method == "barcode" or before is None or link.record_id is None:
        return link
    if before == link.record_id or not surname_keys(index.by_id[link.record_id]) & surname_keys(index.by_id[before]):
        return link
    named, previous = index.by_id[link.record_id].case_reference, index.by_id[before].case_reference
    reason = (
        f"{named} shares a family name with {previous}, named by the case file before it: page "
        f"{link.first_page} may be a note filed in {previous}'s file about a relative, not a front sheet; {link.reason}"
    )
    return replace(link, state=State.NEEDS_REVIEW, record_id=None, link_method=None, reason=reason)


def beside_each_other(links: Sequence[Link], index: RecordIndex) -> list[Link]:
    """A scan's decisions (in page order), each weighed beside the one before it (`beside`)."""
    weighed: list[Link] = []
    for link in links:
        weighed.append(beside(link, named_person(weighed[-1]) if weighed else None, index))
    return weighed


_INDEX_CACHE: dict[str, tuple[tuple[int, int], RecordIndex]] = {}


def record_index(db: Database) -> RecordIndex:
    """The records indexed once per import, not once per scan: a template can hold 50,000 rows."""
    version = records_version(db)
    cached = _INDEX_CACHE.get(str(db.location))
    if cached is None or cached[0] != version:
        cached = (version, RecordIndex(all_records(db)))
        _INDEX_CACHE[str(db.location)] = cached
    return cached[1]


def decide_scan(
    db: Database, result: ScanResult, *, closed: bool, location: str | None, settings: Settings
) -> list[Link]:
    """Decisions for every case file of a scan, in page order. Reads the database, never writes."""
    index = record_index(db)
    links = [
        decide(case_file, index, closed=closed, location=location, settings=settings) for case_file in result.case_files
    ]
    return beside_each_other(links, index)


def redecide_all(db: Database, settings: Settings) -> int:
    """Decide again, from their stored readings, every case file no person has decided, against the
    template as it is now (an unknown reference it has gained, a contradiction it has lost or
    gained), each beside the case file before it as decided now; returns how many changed state,
    record or reason. One transaction: all or none."""
    index = record_index(db)
    changed = 0
    with db.transaction() as conn:
        undecided = {document.id: document for document in undecided_documents(conn)}
        scan, before = None, None
        for document_id, scan_id, stored in people_in_page_order(conn):
            if scan_id != scan:
                scan, before = scan_id, None
            person = stored
            document = undecided.get(document_id)
            if document is not None:
                link = beside(
                    decide(
                        document.case_file,
                        index,
                        closed=document.closed,
                        location=document.scan_location,
                        settings=settings,
                    ),
                    before,
                    index,
                )
                if (link.state, link.record_id, link.reason) != (document.state, document.record_id, document.reason):
                    redecide(conn, document.id, link)
                    changed += 1
                person = named_person(link)
            before = person
    return changed
