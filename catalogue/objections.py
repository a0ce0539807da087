"""What on a cover speaks against the record its reference or barcode names exactly.

Each check is pure and answers in a reviewer's words, or None: a reference that names a record
exactly is linked only when none of them objects (`catalogue.linking`). Every one was a fresh
tester's cover linked to the wrong child before it existed.
"""

from __future__ import annotations

import regex

from catalogue.births import (
    aged_beside_another,
    born_beside_another,
    named_with_another_forename,
    shows_another_birth,
)
from catalogue.candidates import Evidence, RecordIndex
from catalogue.names import name_similarity, spells_out
from catalogue.quoting import childs_details, first_person_shown
from scanner.model import CoverSheet, ReferenceCandidate

OUR_REF = regex.compile(r"\bour\s*ref(?:erence)?\W*$", regex.IGNORECASE)  # what precedes the value
SOMEONE_ELSE = "the file may belong to someone else"


def reference_of(index: RecordIndex, evidence: Evidence) -> str:
    return index.by_id[evidence.record_id].case_reference


def objection_to(
    cover: CoverSheet, barcode: bool, index: RecordIndex, ranked: list[Evidence], exact: Evidence, name_match: float
) -> str | None:
    """Why the record `exact` (the one the cover's reference, or its `barcode`, names) may not be
    the cover's: its name or date of birth contradicted, another record's shown or named first,
    spelt letter for letter, or printed as the sheet's own reference beside a barcode."""
    reference = reference_of(index, exact)
    if exact.name_contradicts or exact.dob_contradicts:
        return contradiction(index, exact, ranked)
    shown = _shown_instead(exact, ranked)
    if shown is not None:
        return (
            f"the cover shows {reference_of(index, shown)}'s name and date of birth, and not {reference}'s "
            f"date of birth: {SOMEONE_ELSE}"
        )
    first = None if exact.name_exact else index.first_named(cover.text)
    if first is not None and first != exact.record_id:
        # A front sheet names the child it is about before a sibling it quotes: a fresh tester's
        # codes for one child over another child's unlabelled name and birth date, the code's
        # child's own only in a "Siblings:" line or a household table below, were linked.
        return f"the cover names {index.by_id[first].case_reference}'s person before {reference}'s: {SOMEONE_ELSE}"
    elsewhere = _someone_else_shown(cover, index, exact, name_match)
    if elsewhere is not None:
        where = f"before {reference}'s person" if elsewhere == "below" else f"and not {reference}'s person's"
        return f"the cover shows another person's name and date of birth {where}: {SOMEONE_ELSE}"
    if index.named_only_as_a_relative(cover.text, exact.record_id):
        # A front sheet for a child not yet in the template, quoting the code's child as a sibling;
        # a name label under a "Sibling details" heading makes the name field exact, and says so too.
        return f"the cover names {reference}'s person only as a relative or a linked case: {SOMEONE_ELSE}"
    record = index.by_id[exact.record_id]
    if cover.fields.name and named_with_another_forename(cover.fields.name, record):
        return f"the name on the cover has another forename than {reference}'s person: {SOMEONE_ELSE}"
    if shows_another_birth(cover.text, record):
        return f"the cover shows a date that may be a date of birth, and not {reference}'s: {SOMEONE_ELSE}"
    if born_beside_another(cover.text, record):
        return f"the cover shows {reference}'s date of birth beside another forename: {SOMEONE_ELSE}"
    if aged_beside_another(cover.text, record):
        return f"the cover gives another forename's age, and not {reference}'s date of birth: {SOMEONE_ELSE}"
    spelt = next((e for e in ranked if e.name_exact and not e.dob_contradicts), None)
    if spelt is not None and spelt.record_id != exact.record_id and not exact.name_exact:
        # Twins "Ana" and "Ane" are alike enough for the name to count as found for either.
        spelt_for = reference_of(index, spelt)
        return f"the name on the cover is {spelt_for}'s letter for letter, not {reference}'s: {SOMEONE_ELSE}"
    printed = printed_other(cover, exact.record_id, index) if barcode else None
    if printed is not None:
        return (
            f"the barcode reads {reference} but the sheet prints {printed} as its reference: the cover names two cases"
        )
    return None


def contradiction(index: RecordIndex, exact: Evidence, ranked: list[Evidence]) -> str:
    what = " and ".join(
        part for part, flag in (("name", exact.name_contradicts), ("date of birth", exact.dob_contradicts)) if flag
    )
    reason = f"the {what} on the cover do{'es' if ' and ' not in what else ''} not match {reference_of(index, exact)}"
    other = vouched_for(exact, ranked)
    if other is not None:
        reason += f"; the cover matches {reference_of(index, other)}"
    return f"{reason}: {SOMEONE_ELSE}"


def vouched_for(exact: Evidence, ranked: list[Evidence]) -> Evidence | None:
    """The record the cover's name or date of birth points to instead of the one its reference names."""
    return next((e for e in ranked if e.record_id != exact.record_id and e.corroborated), None)


def _shown_instead(exact: Evidence, ranked: list[Evidence]) -> Evidence | None:
    """Another record whose name and date of birth the cover both shows, when it does not show the
    reference's record's date of birth: the sheet is about that other person, and the reference's
    name may be printed only as a sibling's (a fresh tester's code and title for one child, over
    another child's unlabelled name and birth date, were linked to the code's child)."""
    if exact.dob_found:
        return None
    return next((e for e in ranked if e.record_id != exact.record_id and e.name_found and e.dob_found), None)


def _someone_else_shown(cover: CoverSheet, index: RecordIndex, exact: Evidence, name_match: float) -> str | None:
    """Where the record's person is, when the first person the cover shows with a date of birth
    (`first_person_shown`) is someone else, perhaps not in the template: "below" them, quoted in
    whatever words ("Bro.", "Placed together with", "Other child:"), or "nowhere" (a fresh
    tester's sheets about such a person, under the code of a sibling quoted by forename or in
    those words, were linked to the sibling). None when that person is the record's: named as it
    is, or close enough for a misreading, or born on its date of birth; or when the sheet's
    labelled child's details are the record's whole name and date of birth."""
    shown = first_person_shown(cover.text)
    record = index.by_id[exact.record_id]
    if shown is None or shown.born == record.date_of_birth or spells_out(shown.above, record):
        return None
    details = childs_details(cover.text)
    if record.date_of_birth in details.born and any(spells_out(name, record) for name in details.names):
        return None
    if spells_out(shown.below, record):
        return "below"
    return "nowhere" if name_similarity(shown.name, record.name) < name_match else None


def printed_other(cover: CoverSheet, record_id: int | None, index: RecordIndex) -> str | None:
    """Another record's reference printed as a barcoded cover's own (`printed_as_the_sheets`):
    the sheet names two cases, as two barcodes that disagree do. A misreading no record has, or
    a reference quoted in a sentence ("linked case"), says nothing against the barcode."""
    return next(
        (
            c.case_reference
            for c in cover.candidates
            if printed_as_the_sheets(cover, c) and index.by_key.get(c.case_reference, record_id) != record_id
        ),
        None,
    )


def printed_as_the_sheets(cover: CoverSheet, candidate: ReferenceCandidate) -> bool:
    """Whether a printed reading stands as the sheet's own reference: beside a label, alone on
    its line, or after "Our ref", which the scanner weighs as a letter's (fresh testers' QR
    covers for one case over another's reference in 34 pt, or beside "Our ref:", were linked)."""
    if candidate.method == "barcode":
        return False
    if candidate.labelled:
        return True
    for line in cover.text.splitlines():
        before, found, after = line.partition(candidate.raw.strip())
        if found and ((not before.strip() and not after.strip()) or OUR_REF.search(before)):
            return True
    return False
