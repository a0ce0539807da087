"""Which template records a cover sheet could belong to, and how strongly the cover says so.

Evidence is scored per record in three parts — the reference read, the name, the date of birth —
and the parts present on the cover are averaged by weight, so a cover without a name is judged on
its reference alone rather than punished for a field it never had. Pure: no database, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import accumulate

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from common.dates import find_uk_dates
from records.template import TemplateRecord, name_key
from scanner.model import CoverSheet

REFERENCE_WEIGHT, NAME_WEIGHT, DOB_WEIGHT = 0.6, 0.25, 0.15
MAX_REFERENCE_EDITS = 2
MAX_CANDIDATES = 10


def _name_tokens(text: str) -> str:
    """Words normalised one by one, so word order can be ignored ("O'Brien, Zoë" = "Zoë O'Brien")."""
    return " ".join(sorted(filter(None, (name_key(word) for word in text.replace("-", " ").split()))))


def _words(text: str) -> list[str]:
    return [key for word in text.replace("-", " ").split() if (key := name_key(word))]


def _full_name_orders(record: TemplateRecord) -> list[tuple[str, ...]]:
    """A record's name as words, forename first and surname first; none for a one-word name,
    which any line of text might hold."""
    forename, surname = _words(record.forename or ""), _words(record.surname or "")
    if forename and surname:
        return [(*forename, *surname), (*surname, *forename)]
    whole = tuple(_words(record.name))
    return [whole] if len(whole) > 1 else []


def _spelt_at(words: Sequence[str], start: int, name: tuple[str, ...]) -> bool:
    return tuple(words[start : start + len(name)]) == name


def spells_out(text: str, record: TemplateRecord) -> bool:
    """Whether the text holds the record's whole name word for word, forename or surname first."""
    words = _words(text)
    return any(_spelt_at(words, start, name) for name in _full_name_orders(record) for start in range(len(words)))


@dataclass(frozen=True)
class CoverWords:
    """A cover's text as `name_key` sees it, run together, with where each of its words starts
    and ends: a name is found in it only from a word's start to a word's end."""

    joined: str
    starts: frozenset[int]
    ends: frozenset[int]

    @classmethod
    def of(cls, text: str) -> CoverWords:
        words = _words(text)
        ends = list(accumulate(len(word) for word in words))
        return cls("".join(words), frozenset([0, *ends[:-1]]), frozenset(ends))

    def spell(self, name: str) -> bool:
        """Whether the name, its spaces and punctuation ignored (OCR parts "O' Brien" and runs
        "JACKSMITH" together), lies here from a word's start to a word's end: "Ann Smith" is not
        in "Joann Smith", nor "Jack Smith" in "Jack Smithson" or "Blackjack Smith"."""
        key = name_key(name)
        at = self.joined.find(key) if key else -1
        while at >= 0:
            if at in self.starts and at + len(key) in self.ends:
                return True
            at = self.joined.find(key, at + 1)
        return False


def _letter_as_read(letter: str) -> str:
    if letter.isascii():
        return re.escape(letter.casefold()) if letter.isalnum() else ""
    folded = name_key(letter)
    return f"(?:{re.escape(folded)}|.{{1,2}})?" if folded else ""


@lru_cache(maxsize=8192)
def _as_read(written: str) -> re.Pattern[str]:
    """One word of a record's name as English OCR may read it: each letter outside ASCII stands
    for its ASCII spelling, any one or two letters (ü is read "ii", ñ "fi"), or none.

    The English model reads letters it was not trained on as their nearest shapes, or as a sign
    `name_key` drops (a tester's "Søren Ødegård" came back "Seren Sdegard", "Þóra Þórsdóttir"
    "Péra Pérsdéttir"; ours "Sgren @degard", "Agir belo" for "Ægir Æbelø", "Oztiirk" for
    "Öztürk"), so a cover typed with the record's exact letters was held as naming someone
    else. Every ASCII letter must still match."""
    return re.compile("".join(_letter_as_read(ch) for ch in unicodedata.normalize("NFC", written)))


@lru_cache(maxsize=4096)
def _written_words(record_name: str) -> tuple[tuple[str, ...], bool]:
    """The record's name as words, as written; and whether OCR's reading of its letters outside
    ASCII is allowed for (not when most of its letters are: too little would be left to match)."""
    words = tuple(w for w in unicodedata.normalize("NFC", record_name).replace("-", " ").split() if name_key(w))
    letters = [ch for ch in "".join(words) if ch.isalpha()]
    outside = sum(not ch.isascii() for ch in letters)
    return words, 0 < 2 * outside <= len(letters)


def _reads_as(read: str, written: str, leeway: bool) -> bool:
    return read == name_key(written) or (leeway and _as_read(written).fullmatch(read) is not None)


def _middle_names_aside(cover_name: str, record_name: str) -> bool:
    """Whether one name is the other with middle names left out, forename or surname first,
    each word as OCR may read it (`_as_read`): the same first and last word, and every word of
    the shorter in the longer in order ("Jade Turner" in "Jade Marie Turner", "TURNER, Jade
    Marie")."""
    read = _words(cover_name)
    written, leeway = _written_words(record_name)
    if min(len(read), len(written)) < 2:
        return False

    def same(read_word: str, written_word: str) -> bool:
        return _reads_as(read_word, written_word, leeway)

    surname_first = (written[-1], *written[:-1])
    for printed, order in ((read, written), ([*read[1:], read[0]], written), (read, surname_first)):
        if len(printed) <= len(order):
            spelt = _within(printed, order, same)
        else:
            spelt = _within(order, printed, lambda written_word, read_word: same(read_word, written_word))
        if spelt:
            return True
    return False


def _within(short: Sequence[str], long: Sequence[str], same: Callable[[str, str], bool]) -> bool:
    """Whether `short` is `long` with words left out of its middle: the same first and last
    word, and every word of it in `long`, in order."""
    if not (same(short[0], long[0]) and same(short[-1], long[-1])):
        return False
    remaining = iter(long)
    return all(any(same(word, other) for other in remaining) for word in short)


def _one_of_its_words(cover_name: str, record_name: str) -> bool:
    """Whether the cover's name is a single word of the record's name: the forename alone, read
    where a form prints "Surname: … Forename: …" on one line and only one value reads. Part of a
    name says nothing against the person (a tester's such covers, their date of birth matching,
    were held as naming someone else)."""
    read = _words(cover_name)
    written, leeway = _written_words(record_name)
    return len(read) == 1 and any(_reads_as(read[0], word, leeway) for word in written)


def name_similarity(cover_name: str | None, record_name: str | None) -> float:
    """0-100: the better of whole-name and any-word-order similarity, spaces and accents ignored;
    100 when one is the other with middle names left out (a front sheet prints a middle name the
    template leaves out, or the other way round), each word as English OCR reads the record's
    (`_as_read`)."""
    if not cover_name or not record_name:
        return 0.0
    if _middle_names_aside(cover_name, record_name):
        return 100.0
    whole = fuzz.ratio(name_key(cover_name), name_key(record_name))
    ordered = fuzz.ratio(_name_tokens(cover_name), _name_tokens(record_name))
    return max(whole, ordered)


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
        self._full_names: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for record_id, record in self.by_id.items():
            for words in _full_name_orders(record):
                self._full_names.setdefault(words[0], []).append((record_id, words))

    def __len__(self) -> int:
        return len(self.by_id)

    def near_references(self, reading: str) -> list[int]:
        found = process.extract(
            reading, self._keys, scorer=Levenshtein.distance, score_cutoff=MAX_REFERENCE_EDITS, limit=MAX_CANDIDATES
        )
        return [self._key_ids[index] for _, _, index in found]

    def named_in(self, text: str) -> set[int]:
        """The records whose whole name the text spells out word for word, forename first or
        surname first ("Jack Smith", "SMITH, Jack"): a name printed on a cover with no label."""
        return {record_id for _, record_id in self._spelt(text)}

    def first_named(self, text: str) -> int | None:
        """The record whose whole name the text spells out first (`named_in`); None when it names
        none, or two from the same word on. A front sheet names the child it is about before a
        sibling it quotes ("Siblings: …", a household table below the child's details)."""
        spelt = list(self._spelt(text))
        first = {record_id for start, record_id in spelt if start == spelt[0][0]} if spelt else set()
        return first.pop() if len(first) == 1 else None

    def _spelt(self, text: str) -> Iterator[tuple[int, int]]:
        """(word number, record) for each whole name the text spells out, in the text's order."""
        words = _words(text)
        for start, word in enumerate(words):
            for record_id, name in self._full_names.get(word, ()):
                if _spelt_at(words, start, name):
                    yield start, record_id

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
    in_text = bool(
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
        name_exact=bool(fields.name) and _name_tokens(fields.name or "") == _name_tokens(record.name),
        dob_found=dob_found,
        dob_contradicts=bool(fields.date_of_birth and dob and fields.date_of_birth != dob),
        name_contradicts=(
            similarity is not None
            and similarity < name_match
            and not in_text
            and not _one_of_its_words(fields.name or "", record.name)
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
