"""A page about a sibling filed in a child's case file, set out as a front sheet would be (the
sibling's reference, name and date of birth at the top, under a line of prose, in a household
table, after bullet points): on the page alone it is a cover, and a fresh tester's such pages
were linked to the sibling in 14 layouts of 16, the child's following pages with them. Beside the
case file before it, it names a relative, and waits for a person. Drawn here in layouts of our
own; scanned and decided for real, and decided again by a template import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from catalogue.candidates import Candidate, RecordIndex
from catalogue.linking import Link
from catalogue.scans import Before, beside, beside_each_other, family_keys, related
from records.template import TemplateRecord
from scanner.model import CaseFile, CoverFields, CoverSheet
from store.documents import get_document
from store.states import State
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.catalogue import HEADER, ROWS, Scans, cover
from tests.support.siblings import decided, only_the_childs_pages_are_linked, typed_page, within_a_case_file

PROSE = (
    "Visit to the family home with the health visitor; both children were seen and spoken to.",
    "The school confirmed attendance has been good and that no new concerns have been raised.",
    "Father explained the new arrangements for collecting the children from the after-school club.",
)


@pytest.fixture(scope="module")
def family() -> list[Person]:
    """Ten people; the ninth is the tenth's brother (one family name, two case files)."""
    people = make_people(10, seed=61)
    people[8] = replace(people[8], surname=people[9].surname)
    return people


def _fields(person: Person, top: float, points: int) -> list[tuple[float, str, int]]:
    return [
        (top, f"Case Reference: {person.case_reference}", points),
        (top + 7, f"Name: {person.name}", points),
        (top + 14, f"Date of birth: {person.date_of_birth:%d/%m/%Y}", points),
    ]


def _block_at_top(sibling: Person) -> list[tuple[float, str, int]]:
    return [*_fields(sibling, 16, 12), *((40.0 + 6 * n, PROSE[n % 3], 10) for n in range(8))]


def _under_one_sentence(sibling: Person) -> list[tuple[float, str, int]]:
    return [(16, PROSE[0], 10), *_fields(sibling, 26, 13)]


def _household_row(sibling: Person) -> list[tuple[float, str, int]]:
    return [
        (16, "Household composition", 13),
        (28, "Name                    Date of birth     Case ref", 10),
        (35, f"{sibling.name}     {sibling.date_of_birth:%d/%m/%Y}     {sibling.case_reference}", 10),
        *((48.0 + 6 * n, PROSE[n % 3], 10) for n in range(4)),
    ]


def _after_bullets(sibling: Person) -> list[tuple[float, str, int]]:
    return [
        (16, "Agreed actions", 13),
        (26, "- Book contact between the brothers at the family centre", 10),
        (32, "- Share these notes with the school nurse", 10),
        *_fields(sibling, 44, 11),
    ]


@pytest.mark.parametrize(
    "layout, font, dpi",
    [
        (_block_at_top, "liberation-serif", 300),
        (_under_one_sentence, "dejavu-mono", 200),
        (_household_row, "liberation-sans", 300),
        (_after_bullets, "dejavu", 200),
    ],
)
def test_a_page_naming_a_sibling_as_a_front_sheet_would_never_links_the_childs_pages_to_the_sibling(
    tmp_path: Path,
    family: list[Person],
    layout: Callable[[Person], list[tuple[float, str, int]]],
    font: str,
    dpi: int,
) -> None:
    child, sibling = family[9], family[8]
    links = decided(within_a_case_file(typed_page(layout(sibling), font, 246), child, tmp_path, dpi), family)
    only_the_childs_pages_are_linked(links, family.index(child) + 1)
    held = ("family name", "only as a relative")  # the sibling's own page, held for what it shows
    assert any(link.state == State.NEEDS_REVIEW and any(why in link.reason for why in held) for link in links), [
        link.reason for link in links
    ]


def test_front_sheets_of_unrelated_people_one_behind_the_other_still_link(tmp_path: Path, family: list[Person]) -> None:
    """Only a shared family name makes a neighbour wait: the batch's other covers link."""
    order = [family[2], family[9], family[6]]
    assert not family_keys_of(order[0]) & family_keys_of(order[1])
    pages = [page for person in order for page in (draw_cover(person, "labelled", 300), draw_continuation(3, 300))]
    links = decided(write_pdf(pages, tmp_path / "batch.pdf", 300), family)
    assert [link.state for link in links] == [State.LINKED_AUTO] * 3, [link.reason for link in links]


def test_a_siblings_barcoded_front_sheet_behind_the_childs_still_links(tmp_path: Path, family: list[Person]) -> None:
    """A barcode is printed on a cover sheet, never quoted in a note."""
    child, sibling = family[9], family[8]
    pages = [
        draw_cover(child, "labelled", 300),
        draw_continuation(5, 300),
        draw_cover(sibling, "boxed", 300, barcode="code128"),
        draw_continuation(6, 300),
    ]
    links = decided(write_pdf(pages, tmp_path / "batch.pdf", 300), family)
    assert [(link.state, link.record_id) for link in links] == [
        (State.LINKED_AUTO, family.index(child) + 1),
        (State.LINKED_AUTO, family.index(sibling) + 1),
    ], [link.reason for link in links]


def family_keys_of(person: Person) -> frozenset[str]:
    return family_keys(person.surname)


def _record(reference: str, forename: str, surname: str) -> TemplateRecord:
    return TemplateRecord(
        1, reference, reference, forename, surname, date(2010, 1, 1), "Open", None, None, True, False, {}
    )


INDEX = RecordIndex(
    [
        (1, _record("SGD-2020-0001", "Amy", "Osei-Blake")),
        (2, _record("SGD-2020-0002", "Kofi", "Blake")),
        (3, _record("SGD-2020-0003", "Ben", "Ng")),
        (4, _record("SGD-2020-0004", "Ola", "Ng")),
        (5, _record("SGD-2020-0005", "Sam", "Jones")),
    ]
)


def _link(record_id: int | None, state: State = State.LINKED_AUTO, method: str = "ocr") -> Link:
    return Link(3, 4, False, state, record_id, "SGD-2020-0002", method, 0.9, (), CoverFields(), "", "exact reference")


@pytest.mark.parametrize(
    "link, before, waits",
    [
        (_link(2), 1, True),  # one part of a double-barrelled name
        (_link(4), 3, True),  # a two-letter family name
        (_link(4), 5, False),
        (_link(4), 4, False),  # the same person's second case file
        (_link(4), None, False),  # first in the scan
        (_link(4, method="barcode"), 3, False),
        (_link(None, State.NEEDS_REVIEW), 3, False),
        (_link(4, State.CATALOGUED), 3, False),
    ],
)
def test_a_case_file_waits_only_when_linked_automatically_beside_a_relative(
    link: Link, before: int | None, waits: bool
) -> None:
    keys = family_keys(INDEX.by_id[before].surname) if before is not None else frozenset()
    weighed = beside(link, Before(before, keys), INDEX)
    if waits:
        assert weighed.state == State.NEEDS_REVIEW and weighed.record_id is None
        assert weighed.reason.endswith("; exact reference") and "family name" in weighed.reason
    else:
        assert weighed == link


@pytest.mark.parametrize(
    "one, other, family",
    [
        ("O'Brien", "O Brien", True),
        ("MacDonald", "Mac Donald", True),
        ("Osei-Blake", "Blake", True),
        ("Nowak Kowalska", "Kowalska", True),
        ("Kowalski", "Kowalska", True),
        ("Petrov", "Petrova", True),
        ("McKenzie", "Mackenzie", True),
        ("Søren-Ødegård", "Odegard", True),
        ("Novak", "Nováková", True),
        ("Svoboda", "Svobodová", True),
        ("Hall", "Marshall", False),
        ("Wood", "Woodward", False),
        ("King", "Kingsley", False),
        ("Cole", "Coleman", False),
        ("Hill", "Hillier", False),
        ("Sorokin", "Sorokina", True),
        ("Khan", "Kahn", False),
        ("Al-Hassan", "Al-Masri", False),
        ("De Souza", "de la Cruz", False),
        ("van Dijk", "van der Berg", False),
        ("Ben-David", "Ben-Ami", False),
        ("St John", "St Clair", False),
        ("Smith", "Jones", False),
        ("Ng", "Ngo", False),
    ],
)
def test_relatives_are_told_by_their_family_names_as_typists_vary_them(one: str, other: str, family: bool) -> None:
    assert related(family_keys(one), family_keys(other)) is family


def _front_sheet(record_id: int, letter: str = "") -> Link:
    """A case file linked automatically by OCR to `record_id`, its cover marked `letter` by the
    scanner; its record is a candidate too, as `decide` always offers the record read."""
    reference = f"SGD-2020-000{record_id}"
    cover = CoverSheet(3, reference, "ocr", 0.9, (), CoverFields(), "", letter=letter)
    offered = (Candidate(record_id, reference, 1.0, "exact reference"),)
    return replace(_link(record_id), case_file=CaseFile(3, 4, cover), candidates=offered)


def test_notes_in_a_row_are_each_weighed_beside_the_front_sheet_they_follow() -> None:
    """Two pages of minutes headed with a sibling's reference, or a note about a half-sibling and
    then one about the sibling: each is weighed beside the child's front sheet, not the note
    before it."""
    two_notes = beside_each_other([_front_sheet(3), _front_sheet(4), _front_sheet(4)], INDEX)
    assert [link.state for link in two_notes] == [State.LINKED_AUTO, State.NEEDS_REVIEW, State.NEEDS_REVIEW]
    half_then_full = beside_each_other([_front_sheet(3), _front_sheet(5, "a note"), _front_sheet(4)], INDEX)
    assert half_then_full[2].state == State.NEEDS_REVIEW and "SGD-2020-0003" in half_then_full[2].reason
    unrelated_next = beside_each_other([_front_sheet(3), _front_sheet(5), _front_sheet(4)], INDEX)
    assert unrelated_next[2].state == State.LINKED_AUTO
    after_a_note_first = beside_each_other(
        [_front_sheet(3, "a note"), _front_sheet(5, "a note"), _front_sheet(4)], INDEX
    )
    assert after_a_note_first[2].state == State.NEEDS_REVIEW, "a note with nothing before it stands for a front sheet"


def test_a_record_a_front_sheet_named_earlier_in_the_scan_waits_once_another_stands_between() -> None:
    """A household table quoting a child whose own file opens the scan, filed in the next
    child's file; the same front sheet twice in a row is one person's, and links."""
    again = beside_each_other([_front_sheet(5), _front_sheet(1), _front_sheet(5)], INDEX)
    assert [link.state for link in again] == [State.LINKED_AUTO, State.LINKED_AUTO, State.NEEDS_REVIEW]
    assert "opens an earlier case file" in again[2].reason
    twice = beside_each_other([_front_sheet(5), _front_sheet(5), _front_sheet(1)], INDEX)
    assert [link.state for link in twice] == [State.LINKED_AUTO] * 3


def test_a_front_sheet_the_template_lacks_is_weighed_by_its_printed_name() -> None:
    """A child's front sheet whose reference the template lacks (or that could not be read), then
    a note about the child's sibling: the printed family name is the context."""
    unknown = replace(_link(None, State.UNKNOWN), fields=CoverFields(name="Ada Ng"))
    after_unknown = beside_each_other([unknown, _front_sheet(4)], INDEX)
    assert (
        after_unknown[1].state == State.NEEDS_REVIEW and "shares a family name with the name" in after_unknown[1].reason
    )


def test_a_case_file_behind_one_that_names_nobody_waits_and_then_stands_for_its_family() -> None:
    """Behind a front sheet nothing could be read on, a sibling's note cannot be told from the
    next child's front sheet: it waits. Whom it names is the context after it (a note in a
    child's file is about the child's family), so an unrelated front sheet behind it links and a
    relative's waits. A barcode is still the identifier."""
    unreadable = _link(None, State.UNREADABLE)
    states = [link.state for link in beside_each_other([unreadable, _front_sheet(4), _front_sheet(5)], INDEX)]
    assert states == [State.UNREADABLE, State.NEEDS_REVIEW, State.LINKED_AUTO]
    weighed = beside_each_other([unreadable, _front_sheet(4), _front_sheet(3)], INDEX)
    assert "names nobody that could be read" in weighed[1].reason and "family name" in weighed[2].reason
    barcoded = replace(_front_sheet(4), method="barcode")
    assert beside_each_other([unreadable, barcoded], INDEX)[1].state == State.LINKED_AUTO
    same_person = beside_each_other([_front_sheet(5), unreadable, _front_sheet(5), _front_sheet(1)], INDEX)
    assert [link.state for link in same_person][2:] == [State.NEEDS_REVIEW, State.LINKED_AUTO]


def test_a_siblings_note_behind_a_front_sheet_nothing_could_be_read_on_waits(
    tmp_path: Path, family: list[Person]
) -> None:
    """Scanned for real: a child's front sheet with every field left blank, then a note setting
    out the sibling's details as a front sheet would."""
    child, sibling = family[9], family[8]
    blank = draw_cover(child, "diocesan-table", 200, reference_text="", show_name=False, show_dob=False)
    note = typed_page(_block_at_top(sibling), "liberation-sans", 246).resize(blank.size)
    pages = [blank, draw_continuation(41, 200), note, draw_continuation(42, 200)]
    links = decided(write_pdf(pages, tmp_path / "batch.pdf", 200), family)
    assert links[0].state == State.UNREADABLE, [link.reason for link in links]
    assert all(link.state != State.LINKED_AUTO for link in links), [link.reason for link in links]


def test_a_template_import_weighs_a_case_file_beside_the_one_before_it(
    scans: Scans, write_template: Callable[[Sequence[Sequence[str]]], Path], run_cli: Callable[..., object]
) -> None:
    """A reference the template lacked is decided again when an import brings it: beside the case
    file before it, as the scan would have been decided."""
    brother = ["SGD-2025-0077", "Tom", "Smith", "02/02/2013", "Open", "Y", "N", ""]
    assert HEADER[0] == "Case Reference" and ROWS[1][2] == "Smith"
    ids = scans.add(
        "family.pdf",
        [
            (1, 2, cover("SGD-2024-0413", "ocr", name="Jack Smith")),
            (3, 4, cover("SGD-2025-0077", "ocr", name="Tom Smith")),
            (5, 6, cover("SGD-2021-5520", "ocr", name="Leah Mensah")),
        ],
    )
    assert [state for state, _ in _stored(scans, ids)] == [State.LINKED_AUTO, State.UNKNOWN, State.LINKED_AUTO]
    run_cli("records", "import", str(write_template([*ROWS, brother])))
    after = _stored(scans, ids)
    assert [state for state, _ in after] == [State.LINKED_AUTO, State.NEEDS_REVIEW, State.LINKED_AUTO], after[1]
    assert "SGD-2024-0413" in after[1][1] and "family name" in after[1][1]


def _stored(scans: Scans, ids: Sequence[int]) -> list[tuple[State, str]]:
    with scans.db.transaction() as conn:
        documents = [get_document(conn, document_id) for document_id in ids]
    return [(document.state, document.reason) for document in documents if document is not None]
