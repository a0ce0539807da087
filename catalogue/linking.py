"""The decision for each case file found in a scan: link it, ask a person, or say it is unknown.

A wrong link attaches one person's file to another person's case, so every path that is not
certain ends in `needs_review` with the ranked candidates and the reason in words. `decide` is
pure (a table of tests covers it); `catalogue.scans` decides a scan's case files with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from catalogue.candidates import Candidate, Evidence, RecordIndex, rank_records, to_candidates
from catalogue.objections import objection_to, printed_as_the_sheets, printed_other, reference_of, vouched_for
from config.sections import LinkingSettings
from config.settings import Settings
from records.template import TemplateRecord
from scanner.model import CaseFile, CoverFields, CoverSheet, Method
from store.states import LINKED_BY_SERVICE, State

LinkMethod = Literal["barcode", "ocr", "ocr-corrected"]
FUZZY_REFERENCE_SIMILARITY = 0.8


@dataclass(frozen=True)
class CatalogueEntry:
    """What the closed paper catalogue lists for a front sheet; a person may correct it later."""

    case_reference: str | None
    subject_name: str | None
    location: str
    confidence: float


@dataclass(frozen=True)
class Link:
    """The decision for one case file (pages 1-based, inclusive) and the evidence behind it."""

    first_page: int
    last_page: int
    closed: bool
    state: State
    record_id: int | None
    read_reference: str | None
    method: str | None
    confidence: float
    candidates: tuple[Candidate, ...]
    fields: CoverFields
    cover_text: str
    reason: str
    link_method: LinkMethod | None = None
    entry: CatalogueEntry | None = None
    case_file: CaseFile | None = None  # what the scanner read, kept so a new template can decide again
    held: bool = False  # held for what the case files before it in the scan name (`catalogue.scans`)


@dataclass(frozen=True)
class Read:
    """The reference the catalogue takes as read from a cover, or why it takes none."""

    reference: str | None
    method: Method | None
    doubt: str | None = None
    labelled: bool = True  # False for a reading found only loose in the text, no label beside it


def chosen_reading(cover: CoverSheet, margin: float) -> Read:
    """One reading from all the scanner made, by their evidence on the page: barcodes first (two
    naming different cases leave none), else the best OCR reading when it beats every other
    reference by `margin`. The template has no say here; it judges the reading afterwards."""
    barcodes = list(dict.fromkeys(c.case_reference for c in cover.candidates if c.method == "barcode"))
    if len(barcodes) > 1:
        return Read(None, None, "the barcodes on the cover name different cases (" + ", ".join(barcodes) + ")")
    if barcodes:
        return Read(barcodes[0], "barcode")
    read = sorted(cover.candidates, key=lambda c: -c.score)
    if not read:
        return Read(cover.case_reference, cover.method)
    top = read[0]
    runner = next((c for c in read if c.case_reference != top.case_reference), None)
    if runner is not None and top.score - runner.score < margin:
        return Read(
            None,
            None,
            f"{top.case_reference} and {runner.case_reference} were both read on the cover "
            f"({top.score:.2f} vs {runner.score:.2f})",
        )
    return Read(
        top.case_reference, top.method, labelled=any(c.labelled for c in read if c.case_reference == top.case_reference)
    )


@dataclass(frozen=True)
class _Verdict:
    state: State
    reason: str
    record_id: int | None = None
    link_method: LinkMethod | None = None


def _exact(
    cover: CoverSheet, read: Read, index: RecordIndex, ranked: list[Evidence], exact: Evidence, rules: LinkingSettings
) -> _Verdict:
    """The reference read is a template record's: link unless anything on the cover says otherwise."""
    reference = reference_of(index, exact)
    objection = objection_to(cover, read.method == "barcode", index, ranked, exact, rules.name_match)
    if objection is not None:
        return _Verdict(State.NEEDS_REVIEW, objection)
    if read.method == "barcode":
        return _Verdict(State.LINKED_AUTO, f"barcode reads {reference}", exact.record_id, "barcode")
    corrected = read.method == "ocr-corrected"
    if not read.labelled and not exact.corroborated:
        return _Verdict(
            State.NEEDS_REVIEW,
            f"{reference} was read in the text, not beside a label, and neither its name "
            "nor its date of birth is on the cover",
        )
    if corrected and not exact.corroborated:
        return _Verdict(
            State.NEEDS_REVIEW,
            f"the reference was corrected to {reference} and neither its name nor its date of birth is on the cover",
        )
    best = ranked[0]
    if best.record_id != exact.record_id:
        return _Verdict(
            State.NEEDS_REVIEW, f"the cover reads {reference} but its other details match {reference_of(index, best)}"
        )
    runner = ranked[1] if len(ranked) > 1 else None
    if runner is not None and exact.score - runner.score < rules.margin:
        return _Verdict(
            State.NEEDS_REVIEW,
            f"{reference_of(index, runner)} is too close to {reference} to tell apart "
            f"({exact.score:.2f} vs {runner.score:.2f}); check the reference on the cover",
        )
    if corrected and exact.score < rules.auto_link_score:
        return _Verdict(
            State.NEEDS_REVIEW,
            f"the reference was corrected to {reference} and the cover supports it only weakly ({exact.score:.2f})",
        )
    how: LinkMethod = "ocr-corrected" if corrected else "ocr"
    evidence = " with the name or date of birth on the cover" if exact.corroborated else ""
    return _Verdict(State.LINKED_AUTO, f"reference {reference} read by OCR{evidence}", exact.record_id, how)


def _nearer(ranked: list[Evidence], best: Evidence) -> Evidence | None:
    """A record whose reference is nearer to the reading than `best`'s: the cover's reference
    points to one person and its name or date of birth to another."""
    mine = best.reference_similarity or 0.0
    return next((e for e in ranked if (e.reference_similarity or 0.0) > mine), None)


def _fuzzy(
    cover: CoverSheet,
    chosen: Read,
    index: RecordIndex,
    ranked: list[Evidence],
    candidates: tuple[Candidate, ...],
    rules: LinkingSettings,
) -> _Verdict:
    """No record has the reference as read: link the nearest only with the cover to back it up."""
    read = chosen.reference
    if chosen.doubt is not None:
        return _Verdict(
            State.NEEDS_REVIEW, f"{chosen.doubt}; {len(candidates)} possible record(s) ranked for a person to choose"
        )
    if not read and not cover.candidates:
        shows = cover.evidence or "a cover sheet"
        unread = f"page {cover.page_number} shows {shows} but no case reference could be read on it"
        return _Verdict(
            State.UNREADABLE,
            unread + (f"; {len(candidates)} record(s) share its name or date of birth" if candidates else ""),
        )
    if read and chosen.method == "barcode":
        return _unknown_barcode(cover, read, index)
    if not candidates:
        if read:
            return _Verdict(State.UNKNOWN, f"no template record has reference {read}")
        return _Verdict(State.UNKNOWN, "no single case reference could be read from the cover")
    best = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    nearer = _nearer(ranked, best)
    if read and nearer is not None and best.corroborated:
        return _Verdict(
            State.NEEDS_REVIEW,
            f"the reference read, {read}, is nearer to {reference_of(index, nearer)} "
            f"than to {reference_of(index, best)}, "
            "whose name or date of birth the cover shows: check the reference on the cover",
        )
    close_reference = (best.reference_similarity or 0.0) >= FUZZY_REFERENCE_SIMILARITY
    clear = runner is None or best.score - runner.score >= rules.margin
    contradicted = best.name_contradicts or best.dob_contradicts
    sure = best.corroborated and not contradicted and clear and best.score >= rules.auto_link_score
    if read and close_reference and sure:
        # What holds an exact reference holds a corrected one: a fresh tester's twin "Fraser",
        # under Freya's reference misread in a tilted box, was linked on their shared birth date.
        objection = objection_to(cover, False, index, ranked, best, rules.name_match)
        if objection is not None:
            return _Verdict(
                State.NEEDS_REVIEW, f"read {read}, nearest record {reference_of(index, best)}, but {objection}"
            )
        return _Verdict(
            State.LINKED_AUTO,
            f"read {read}, nearest record {reference_of(index, best)} "
            "confirmed by the name or date of birth on the cover",
            best.record_id,
            "ocr-corrected",
        )
    opening = f"no template record has reference {read}" if read else "no single case reference could be read"
    return _Verdict(
        State.NEEDS_REVIEW, f"{opening}; {len(candidates)} possible record(s) ranked for a person to choose"
    )


def _unknown_barcode(cover: CoverSheet, read: str, index: RecordIndex) -> _Verdict:
    """A barcode no record has names a case the template lacks (a twin's, not yet in it), never a
    misreading of the nearest record's: a code is read exactly or not at all. A fresh tester's QR
    naming KCC-2017-4411 on a sheet showing KCC-2017-4410's date of birth was linked to 4410."""
    printed = printed_other(cover, None, index)
    if printed is not None:
        return _Verdict(
            State.NEEDS_REVIEW,
            f"the barcode reads {read}, which no template record has, but the sheet prints {printed} "
            "as its reference: the cover names two cases",
        )
    return _Verdict(
        State.UNKNOWN,
        f"no template record has reference {read}, which the barcode reads; a barcode is read exactly, "
        "so it is not taken for the nearest record",
    )


def _offered(cover: CoverSheet, index: RecordIndex, ranked: list[Evidence], exact: Evidence | None) -> set[int]:
    """Records a person must be able to choose whatever their score: the one the reference read
    names, the one its name or date of birth vouch for instead, every one a barcode names (two
    codes that disagree: both, says PRODUCT), and one whose reference is nearer to the reading
    than the best-ranked record's; so is every record a reference printed as the sheet's names.
    A tester's reviewers were told "the cover matches X" with no X to choose, a cover's second
    code's record was dropped for its printed name, and so was the record a cover's printed
    reference named beside a barcode naming another."""
    named = (
        index.by_key.get(c.case_reference)
        for c in cover.candidates
        if c.method == "barcode" or printed_as_the_sheets(cover, c)
    )
    offered = {record_id for record_id in named if record_id is not None}
    if exact is not None:
        offered.add(exact.record_id)
        other = vouched_for(exact, ranked) if exact.name_contradicts or exact.dob_contradicts else None
        offered |= {other.record_id} if other is not None else set()
    elif ranked and (nearer := _nearer(ranked, ranked[0])) is not None:
        offered.add(nearer.record_id)
    return offered


def _verdict(
    cover: CoverSheet, read: Read, index: RecordIndex, rules: LinkingSettings
) -> tuple[_Verdict, tuple[Candidate, ...]]:
    ranked = rank_records(cover, read.reference, index, rules.name_match)
    exact_id = index.by_key.get(read.reference) if read.reference else None
    exact = next((e for e in ranked if e.record_id == exact_id), None)
    candidates = to_candidates(ranked, index, rules.candidate_score, _offered(cover, index, ranked, exact))
    if exact is not None:
        return _exact(cover, read, index, ranked, exact, rules), candidates
    return _fuzzy(cover, read, index, ranked, candidates, rules), candidates


def _with_doubts(verdict: _Verdict, doubts: tuple[tuple[int, str], ...], cover: int) -> _Verdict:
    """A page that could not be ruled out as another cover keeps its case file from any automatic
    link: it may hold someone else's front sheet and notes. So does the `cover` page's own doubt
    (another sheet scanned beside it)."""
    if not doubts:
        return verdict
    pages = "; ".join(f"page {page} {'' if page == cover else 'may be another cover: '}{why}" for page, why in doubts)
    if verdict.state in LINKED_BY_SERVICE:
        return _Verdict(State.NEEDS_REVIEW, f"{verdict.reason}; but {pages}")
    return _Verdict(verdict.state, f"{verdict.reason}; {pages}", verdict.record_id, verdict.link_method)


def _as_letter(verdict: _Verdict, cover: CoverSheet, read: Read) -> _Verdict:
    """A letter's reference and subject line name whom the letter is about, and a note or minutes
    quote a case's reference in passing, either perhaps another case's child (a sibling, a twin):
    a case file that opens with a letter or a note is a person's call, unless a barcode names it."""
    if not cover.letter or read.method == "barcode" or verdict.state not in LINKED_BY_SERVICE:
        return verdict
    return _Verdict(
        State.NEEDS_REVIEW,
        f"page {cover.page_number} reads as a letter or a note, not a cover sheet ({cover.letter}), and either "
        f"may be about another case: {verdict.reason}",
    )


def _closed(
    verdict: _Verdict, cover: CoverSheet, read: Read, index: RecordIndex, where: str, rules: LinkingSettings
) -> tuple[_Verdict, CatalogueEntry]:
    """A closed front sheet is catalogued whether or not the template holds the case."""
    record: TemplateRecord | None = index.by_id.get(verdict.record_id) if verdict.record_id is not None else None
    entry = CatalogueEntry(  # the template's spelling of a matched record, not the OCR's
        case_reference=record.case_reference if record else read.reference,
        subject_name=(record.name if record else None) or cover.fields.name or None,
        location=where,
        confidence=cover.confidence,
    )
    if verdict.state == State.LINKED_AUTO:
        verdict = _Verdict(
            State.CATALOGUED, verdict.reason + "; the template holds the case", verdict.record_id, verdict.link_method
        )
    elif verdict.state == State.UNKNOWN and read.reference:
        verdict = _Verdict(State.CATALOGUED, verdict.reason + ": catalogued as a paper-only case")
    elif verdict.state == State.UNKNOWN:
        verdict = _Verdict(State.NEEDS_REVIEW, verdict.reason)
    if verdict.state == State.CATALOGUED and cover.confidence < rules.catalogue_review_confidence:
        verdict = _Verdict(
            State.NEEDS_REVIEW,
            f"{verdict.reason}; read with low confidence ({cover.confidence:.2f})",
            verdict.record_id,
            verdict.link_method,
        )
    return verdict, entry


def decide(
    case_file: CaseFile,
    records: RecordIndex | Iterable[tuple[int, TemplateRecord]],
    *,
    closed: bool,
    location: str | None,
    settings: Settings,
) -> Link:
    """The state of one case file and why. `settings.linking` holds the thresholds."""
    index = records if isinstance(records, RecordIndex) else RecordIndex(records)
    rules = settings.linking
    where = case_file.location or location or ""
    cover = case_file.cover
    if cover is None:
        entry = CatalogueEntry(None, None, where, 0.0) if closed else None
        verdict = _with_doubts(
            _Verdict(State.UNREADABLE, "no cover sheet was recognised on the first page"), case_file.doubts, cover=0
        )
        return Link(
            first_page=case_file.first_page,
            last_page=case_file.last_page,
            closed=closed,
            state=verdict.state,
            record_id=None,
            read_reference=None,
            method=None,
            confidence=0.0,
            candidates=(),
            fields=CoverFields(),
            cover_text="",
            entry=entry,
            reason=verdict.reason,
            case_file=case_file,
        )
    read = chosen_reading(cover, rules.margin)
    verdict, candidates = _verdict(cover, read, index, rules)
    entry = None
    if closed:
        verdict, entry = _closed(verdict, cover, read, index, where, rules)
    verdict = _with_doubts(_as_letter(verdict, cover, read), case_file.doubts, cover=case_file.first_page)
    return Link(
        first_page=case_file.first_page,
        last_page=case_file.last_page,
        closed=closed,
        state=verdict.state,
        record_id=verdict.record_id,
        read_reference=read.reference,
        method=read.method,
        confidence=cover.confidence,
        candidates=candidates,
        fields=cover.fields,
        cover_text=cover.text,
        reason=verdict.reason,
        link_method=verdict.link_method,
        entry=entry,
        case_file=case_file,
    )
