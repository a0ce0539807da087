"""Which template records a cover sheet could belong to, and how strongly the cover says so.

Evidence is scored per record in three parts — the reference read, the name, the date of birth —
and the parts present on the cover are averaged by weight, so a cover without a name is judged on
its reference alone rather than punished for a field it never had. Pure: no database, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from catalogue.names import (
    CoverWords,
    WholeName,
    name_similarity,
    name_tokens,
    one_of_its_words,
    whole_names,
    without_nicknames,
)
from catalogue.quoting import cover_lines
from common.dates import find_uk_dates
from records.template import TemplateRecord, name_key
from scanner.model import CoverSheet

REFERENCE_WEIGHT, NAME_WEIGHT, DOB_WEIGHT = 0.6, 0.25, 0.15
MAX_REFERENCE_EDITS = 2
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Candidate:
    """A record a person might link a case file to, with the evidence for it in words."""

    record_id: int
    case_reference: str
    score: float
    reason: str


@dataclass(frozen=True)
class Evidence:
    """How one record compares with one cover. `None` means the cover offers no such evidence."""

    record_id: int
    reference_similarity: float | None
    name_similarity: float | None
    name_found: bool
    dob_found: bool
    dob_contradicts: bool
    name_contradicts: bool
    score: float
    name_exact: bool = False  # the cover's name is the record's letter for letter, in some word order

    @property
    def corroborated(self) -> bool:
        return self.name_found or self.dob_found


class RecordIndex:
    """The template records, indexed for the three kinds of lookup a decision needs."""

    def __init__(self, records: Iterable[tuple[int, TemplateRecord]]) -> None:
        self.by_id: dict[int, TemplateRecord] = {}
        self.by_key: dict[str, int] = {}
        self.by_dob: dict[date, list[int]] = {}
        for record_id, record in records:
            self.by_id[record_id] = record
            self.by_key[record.reference_key] = record_id
            if record.date_of_birth:
                self.by_dob.setdefault(record.date_of_birth, []).append(record_id)
        self._key_ids = list(self.by_key.values())
        self._keys = list(self.by_key)
        self._name_ids = list(self.by_id)
        self._names = [name_key(self.by_id[i].name) for i in self._name_ids]
        self.whole_names: dict[str, list[tuple[int, WholeName]]] = {}
        for record_id, record in self.by_id.items():
            for name in whole_names(record):
                self.whole_names.setdefault(name.first[0], []).append((record_id, name))

    def __len__(self) -> int:
        return len(self.by_id)

    def near_references(self, reading: str) -> list[int]:
        found = process.extract(
            reading, self._keys, scorer=Levenshtein.distance, score_cutoff=MAX_REFERENCE_EDITS, limit=MAX_CANDIDATES
        )
        return [self._key_ids[index] for _, _, index in found]

    def named_in(self, text: str) -> set[int]:
        """The records whose whole name the text spells out (`WholeName`), forename first or
        surname first ("Jack Smith", "SMITH, Jack"): a name printed on a cover with no label."""
        return {record_id for _, record_id, _ in self._spelt(text)}

    def first_named(self, text: str) -> int | None:
        """The record whose whole name the text spells out first, outside a line naming a
        relative; None when it names none, or two from the same word on. A front sheet names
        the child it is about before a sibling it quotes ("Siblings: …", a household table
        below the child's details), and may name a parent or carer above the child."""
        spelt = [(start, record_id) for start, record_id, relative in self._spelt(text) if not relative]
        first = {record_id for start, record_id in spelt if start == spelt[0][0]} if spelt else set()
        return first.pop() if len(first) == 1 else None

    def named_only_as_a_relative(self, text: str, record_id: int) -> bool:
        """Whether the text spells out the record's whole name, but only in lines naming a
        relative or another case (`catalogue.quoting`): the sheet quotes the person as someone's
        sibling, parent or carer, and is about someone else, who may not be in the template."""
        lines = {relative for _, spelt, relative in self._spelt(text) if spelt == record_id}
        return lines == {True}

    def _spelt(self, text: str) -> Iterator[tuple[int, int, bool]]:
        """(word number, record, whether the sheet quotes the person: `CoverLine.quoted`) for each
        whole name the text spells out, in the text's order. Words run on across lines: OCR may
        break a name."""
        lines = list(cover_lines(without_nicknames(text)))
        words = [word.key for line in lines for word in line.words]
        where = [(line, number) for line in lines for number in range(len(line.words))]
        for start, word in enumerate(words):
            for record_id, name in self.whole_names.get(word, ()):
                end = name.end(words, start)
                if end is not None:
                    line, first = where[start]
                    yield start, record_id, line.quoted(first, first + end - start)

    def similar_names(self, name: str, cutoff: float) -> list[int]:
        found = process.extract(
            name_key(name), self._names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=MAX_CANDIDATES
        )
        return [self._name_ids[index] for _, _, index in found]


def readings(cover: CoverSheet, chosen: str | None) -> list[tuple[str, float]]:
    """(reference, weight) for everything the scanner read; the chosen reading counts in full."""
    found: dict[str, float] = {}
    if chosen:
        found[chosen] = 1.0
    for candidate in cover.candidates:
        found[candidate.case_reference] = max(found.get(candidate.case_reference, 0.0), candidate.score)
    return list(found.items())


def _reference_similarity(key: str, read: Sequence[tuple[str, float]]) -> float | None:
    if not read:
        return None
    return max(Levenshtein.normalized_similarity(reading, key) * weight for reading, weight in read)


def evaluate(
    record_id: int,
    record: TemplateRecord,
    cover: CoverSheet,
    read: Sequence[tuple[str, float]],
    text_dates: Sequence[date],
    words: CoverWords,
    name_match: float,
    named: Set[int] = frozenset(),
) -> Evidence:
    """Compare one record with one cover; `words` are the whole cover text's, `named` the records
    whose whole name the cover's text spells out. A cover that names another record's person
    and not this one's contradicts this record as a printed name label would."""
    fields = cover.fields
    similarity = name_similarity(fields.name, record.name) if fields.name and record.name else None
    in_text = record_id in named or bool(
        record.forename
        and record.surname
        and (words.spell(record.name) or words.spell(f"{record.surname} {record.forename}"))
    )
    name_found = in_text or (similarity is not None and similarity >= name_match)
    dob = record.date_of_birth
    dob_found = dob is not None and (fields.date_of_birth == dob or dob in text_dates)
    return Evidence(
        record_id=record_id,
        reference_similarity=_reference_similarity(record.reference_key, read),
        name_similarity=similarity,
        name_found=name_found,
        name_exact=bool(fields.name) and name_tokens(fields.name or "") == name_tokens(record.name),
        dob_found=dob_found,
        dob_contradicts=bool(fields.date_of_birth and dob and fields.date_of_birth != dob),
        name_contradicts=(
            similarity is not None
            and similarity < name_match
            and not in_text
            and not one_of_its_words(fields.name or "", record.name)
        )
        or (not name_found and bool(named - {record_id})),
        score=0.0,
    )


def _scored(evidence: Evidence, has_name: bool, has_dob: bool) -> Evidence:
    parts: list[tuple[float, float]] = []
    if evidence.reference_similarity is not None:
        parts.append((REFERENCE_WEIGHT, evidence.reference_similarity))
    if has_name:
        name = 1.0 if evidence.name_found else (evidence.name_similarity or 0.0) / 100
        parts.append((NAME_WEIGHT, name))
    if has_dob:
        parts.append((DOB_WEIGHT, 1.0 if evidence.dob_found else 0.0))
    total = sum(weight for weight, _ in parts)
    score = sum(weight * value for weight, value in parts) / total if total else 0.0
    if evidence.name_contradicts or evidence.dob_contradicts:
        score /= 2  # what the cover says against a record weighs as much as a reference matching it
    return Evidence(**{**evidence.__dict__, "score": round(score, 3)})


def describe(evidence: Evidence, record: TemplateRecord) -> str:
    """The evidence in a reviewer's words; references and facts only, never the person's name."""
    notes: list[str] = []
    if evidence.reference_similarity is not None:
        if evidence.reference_similarity >= 0.999:
            notes.append("reference matches")
        else:
            edits = round((1 - evidence.reference_similarity) * max(len(record.reference_key), 1))
            notes.append(f"reference about {max(edits, 1)} character(s) different")
    if evidence.name_found:
        notes.append("name found on the cover")
    elif evidence.name_contradicts and evidence.name_similarity is None:
        notes.append("the cover names another record's person")
    elif evidence.name_contradicts:
        notes.append(f"name on the cover differs ({evidence.name_similarity:.0f}% similar)")
    if evidence.dob_found:
        notes.append("date of birth found on the cover")
    elif evidence.dob_contradicts:
        notes.append("date of birth on the cover differs")
    return "; ".join(notes) or "no evidence"


def rank_records(cover: CoverSheet, chosen: str | None, index: RecordIndex, name_match: float) -> list[Evidence]:
    """Every record with any evidence for it, best first (ties by reference, so the order is stable).

    A record the cover's name or date of birth contradicts comes after every record it does not,
    and one the cover contradicts outright after one it also agrees with in part: a reviewer's
    first candidate must never be a person the cover says it is not (a tester's cover read as
    record A, its date of birth B's and its name garbled, offered A first). Then a record whose
    name the cover spells letter for letter comes before one it spells nearly: twins "René" and
    "Renée" are 96 % alike, and a cover naming Renée under René's reference offered René first."""
    read = readings(cover, chosen)
    ids: dict[int, None] = {}
    for reference, _ in read:
        if reference in index.by_key:
            ids[index.by_key[reference]] = None
        ids.update(dict.fromkeys(index.near_references(reference)))
    if cover.fields.name:
        ids.update(dict.fromkeys(index.similar_names(cover.fields.name, name_match)))
    if cover.fields.date_of_birth:
        ids.update(dict.fromkeys(index.by_dob.get(cover.fields.date_of_birth, [])))
    named = index.named_in(cover.text) if cover.text else set()
    ids.update(dict.fromkeys(sorted(named)))
    text_dates = find_uk_dates(cover.text) if cover.text else []
    words = CoverWords.of(cover.text or "")
    evidence = [evaluate(i, index.by_id[i], cover, read, text_dates, words, name_match, named) for i in ids]
    has_name = bool(cover.fields.name) or any(e.name_found for e in evidence)
    has_dob = bool(cover.fields.date_of_birth) or any(e.dob_found for e in evidence)
    scored = [_scored(e, has_name, has_dob) for e in evidence]
    return sorted(
        scored,
        key=lambda e: (
            contradicted := e.name_contradicts or e.dob_contradicts,
            contradicted and not e.corroborated,
            not e.name_exact,
            -e.score,
            index.by_id[e.record_id].reference_key,
        ),
    )


def to_candidates(
    ranked: Sequence[Evidence], index: RecordIndex, minimum: float, offered: Set[int] = frozenset()
) -> tuple[Candidate, ...]:
    """The first `MAX_CANDIDATES` records scoring `minimum` or more, in `ranked`'s order, and every
    record in `offered` wherever it ranks: one the cover names outright a person must be able to
    choose, however much else on the cover says against it."""
    kept = [e for e in ranked if e.score >= minimum or e.record_id in offered]
    return tuple(
        Candidate(e.record_id, index.by_id[e.record_id].case_reference, e.score, describe(e, index.by_id[e.record_id]))
        for number, e in enumerate(kept)
        if number < MAX_CANDIDATES or e.record_id in offered
    )
