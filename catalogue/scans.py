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
of the front sheet before it in the same scan waits for a person, as does one naming a record an
earlier front sheet of the scan named already, another's standing between. Siblings' own front
sheets filed one behind the other wait too: a person glances at one page and links it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from catalogue.candidates import RecordIndex
from catalogue.linking import Link, decide
from config.settings import Settings
from records.template import name_key
from scanner.model import ScanResult
from store.database import Database
from store.links import people_in_page_order, redecide, undecided_documents
from store.records import all_records, records_version
from store.states import State

# Name parts that say nothing of a family on their own: Al-Hassan and Al-Masri, De Souza and de la
# Cruz, van Dijk and van der Berg are no relatives (a fresh tester's pairs).
PARTICLES = frozenset(
    {"al", "el", "ben", "bin", "bint", "ibn", "abu", "ap", "da", "das", "de", "del", "della", "der", "des"}
    | {"di", "do", "dos", "du", "la", "le", "mac", "mc", "st", "ten", "ter", "van", "von"}
)
MIN_PART = 3  # letters: "O" of "O Brien" is no family name of its own
# Of two family names' keys (rapidfuzz's ratio, 0-100): the same family typed two ways by two
# workers or two systems (Kowalski/Kowalska 88, Petrov/Petrova 92, McKenzie/Mackenzie 94,
# Mahmood/Mehmood 86, D'Souza/De Souza 92); unrelated names with a particle in common score under
# 75 (Ben-David/Ben-Ami 71), as do Khan/Kahn (75).
SAME_FAMILY = 80.0
MIN_FUZZY = 4  # letters: keys shorter than this are compared exactly
# Endings a Slavic or Baltic family name takes for a woman or girl, as `name_key` spells them
# (Nováková: "ova"; Ivanova: "a"; Sorokina: "ina"): a sister's name is her brother's plus one.
FEMININE_ENDINGS = frozenset({"a", "ova", "eva", "ina", "aya", "yna"})


def family_keys(surname: str | None) -> frozenset[str]:
    """A family name as OCR and typists vary it: the whole name as one key ("O'Brien", "O Brien"
    and "OBrien" alike, `name_key`), and each part of a double-barrelled or spaced name that is
    no particle ("Osei-Blake": also "osei" and "blake"), so a child recorded under either part is
    one family."""
    parts = {name_key(part) for part in re.split(r"[\s\-]+", surname or "")}
    keys = {key for key in parts if len(key) >= MIN_PART and key not in PARTICLES}
    whole = name_key(surname)
    return frozenset(keys | {whole} if whole else keys)


def _feminine(a: str, b: str) -> bool:
    """Whether one key is the other with a feminine ending (`FEMININE_ENDINGS`)."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and long[len(short) :] in FEMININE_ENDINGS


def related(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Whether two families' keys (`family_keys`) may be one family's: a key in common, two spelt
    nearly alike (`SAME_FAMILY`), or one the other with a feminine ending (Novak and Nováková, 77
    by ratio). Any longer name that opens with a shorter one is no family: Wood and Woodward,
    King and Kingsley (a fresh tester's strangers, held side by side)."""
    if mine & theirs:
        return True
    return any(
        fuzz.ratio(a, b) >= SAME_FAMILY or _feminine(a, b)
        for a in mine
        for b in theirs
        if min(len(a), len(b)) >= MIN_FUZZY
    )


def named_person(link: Link) -> int | None:
    """The record a case file names for a reader of the batch: its link, else its first candidate."""
    if link.record_id is not None:
        return link.record_id
    return link.candidates[0].record_id if link.candidates else None


@dataclass(frozen=True)
class Before:
    """What the front sheets before a case file in its scan name: the last one's record (None when
    it named none the template holds), its family's keys (from the record, or else from the name
    printed on it), the records the ones before it named, and the first page of the case file just
    before when it named nobody at all (`blind`): no record, no name read on it."""

    last: int | None = None
    keys: frozenset[str] = frozenset()
    earlier: frozenset[int] = frozenset()
    blind: int | None = None

    def then(self, person: int | None, keys: frozenset[str]) -> Before:
        """After a front sheet naming `person` (or a name whose family is `keys`)."""
        if person is not None and person == self.last:
            return replace(self, blind=None)
        return Before(person, keys, self.earlier | ({self.last} if self.last is not None else set()))


def _held(link: Link, why: str) -> Link:
    reason = f"{why}: page {link.first_page} may be a note in that file, not a front sheet; {link.reason}"
    return replace(link, state=State.NEEDS_REVIEW, record_id=None, link_method=None, reason=reason, held=True)


def beside(link: Link, before: Before, index: RecordIndex) -> Link:
    """`link`, waiting for a person when it was linked automatically, on no barcode, to a relative
    (`related`) of the person the last front sheet before it names, or to a record an earlier
    front sheet of the scan named already: a household table quoting a child whose own file opens
    the scan was linked to that child with another child's pages (a fresh tester's). A front sheet
    naming nobody the template holds is weighed by the name printed on it: a sibling's note after
    a child's front sheet the template lacks was linked to the sibling. One after a case file that
    names nobody at all (a cover nothing could be read on, pages before any cover) cannot be weighed,
    and waits too: a sibling's note behind a child's unreadable front sheet was linked to the
    sibling with the child's pages (a fresh tester's)."""
    record = link.record_id
    if link.state != State.LINKED_AUTO or link.method == "barcode" or record is None:
        return link
    if before.blind is not None:
        return _held(link, f"the case file before it, from page {before.blind}, names nobody that could be read")
    if not before.keys or before.last == record:
        return link
    named = index.by_id[record].case_reference
    previous = "the name" if before.last is None else index.by_id[before.last].case_reference
    if related(family_keys(index.by_id[record].surname), before.keys):
        return _held(link, f"{named} shares a family name with {previous} on the case file before it")
    if record in before.earlier:
        return _held(link, f"{named} opens an earlier case file of this scan, and another stands between")
    return link


def after(link: Link, before: Before, index: RecordIndex) -> Before:
    """What the next case file is weighed beside once `link` is decided: `before` and whom `link`
    names, when it reads as a front sheet. A note or a letter (the scanner's mark), a case file
    held here, and one naming nobody may all be pages of the file before them: two notes in a row
    about a sibling, or a note about a half-sibling and then one about the sibling, were each
    weighed beside the note before and linked (a fresh tester's). One naming nobody leaves the
    next case file unweighable (`Before.blind`); whom that next one names, held or not, is then
    the context: a note filed in a child's file is about the child's family. A note or a letter
    with no front sheet before it stands for one: a child's front sheet printing only its
    reference under a letterhead reads as a note."""
    cover = link.case_file.cover if link.case_file else None
    if before.blind is None and (link.held or (cover is not None and cover.letter and before.keys)):
        return before
    person = named_person(link)
    if person is not None:
        return before.then(person, family_keys(index.by_id[person].surname))
    printed = _printed_family(link.fields.name)
    return before.then(None, printed) if printed else replace(before, blind=link.first_page)


def _printed_family(name: str | None) -> frozenset[str]:
    """The keys of a name printed on a cover, whose family name is not told apart from the rest:
    each of its words (`family_keys`), and its last word whatever its length ("Ada Ng": "ng")."""
    words = (name or "").split()
    return family_keys(name) | {name_key(words[-1])} - {""} if words else frozenset()


def beside_each_other(links: Sequence[Link], index: RecordIndex) -> list[Link]:
    """A scan's decisions (in page order), each weighed beside the front sheets before it
    (`beside`, `after`)."""
    weighed: list[Link] = []
    before = Before()
    for link in links:
        weighed.append(beside(link, before, index))
        before = after(weighed[-1], before, index)
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
        scan, before = None, Before()
        for document_id, scan_id, decided_by_person in people_in_page_order(conn):
            if scan_id != scan:
                scan, before = scan_id, Before()
            document = undecided.get(document_id)
            if document is None:
                if decided_by_person is not None:
                    before = before.then(decided_by_person, family_keys(index.by_id[decided_by_person].surname))
            else:
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
                before = after(link, before, index)
    return changed
