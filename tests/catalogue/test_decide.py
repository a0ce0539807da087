"""The decision table: pure `decide` over hand-built covers, one row per rule of PRODUCT.md "Decisions"."""

from __future__ import annotations

from datetime import date

import pytest

from catalogue.candidates import RecordIndex
from catalogue.linking import decide
from catalogue.names import name_similarity
from config.settings import load_settings
from records.template import TemplateRecord
from scanner.model import CaseFile, CoverFields, CoverSheet, Method, ReferenceCandidate

SETTINGS = load_settings(environ={})


def record(reference: str, forename: str, surname: str, dob: date) -> TemplateRecord:
    return TemplateRecord(1, reference, reference, forename, surname, dob, "Open", None, None, True, False, {})


RECORDS = RecordIndex(
    [
        (1, record("SGD-2024-0412", "Zoë", "O'Brien", date(2010, 3, 4))),
        (2, record("SGD-2024-0413", "Jack", "Smith", date(2011, 5, 6))),
        (3, record("CSC-2020-7777", "Siobhán", "Ó Súilleabháin", date(1975, 2, 9))),
        (4, record("DSA-2019-55501", "Minh", "Nguyễn", date(1969, 11, 30))),
    ]
)


def sheet(
    reference: str | None,
    method: Method | None,
    name: str | None = None,
    dob: date | None = None,
    text: str = "",
    candidates: tuple[ReferenceCandidate, ...] = (),
    confidence: float = 0.9,
) -> CoverSheet:
    return CoverSheet(1, reference, method, confidence, candidates, CoverFields(name, dob), text)


CASES = [
    # id, cover, state, record_id, link_method
    ("barcode exact", sheet("CSC-2020-7777", "barcode"), "linked_auto", 3, "barcode"),
    ("ocr exact, no neighbour", sheet("DSA-2019-55501", "ocr"), "linked_auto", 4, "ocr"),
    (
        "exact with its own name, accents dropped by OCR",
        sheet("CSC-2020-7777", "ocr", name="SIOBHAN O SUILLEABHAIN"),
        "linked_auto",
        3,
        "ocr",
    ),
    ("exact with contradicting name", sheet("CSC-2020-7777", "ocr", name="Jack Smith"), "needs_review", None, None),
    ("exact with its forename alone", sheet("SGD-2024-0413", "ocr", name="JACK"), "linked_auto", 2, "ocr"),
    ("exact with another's forename alone", sheet("SGD-2024-0413", "ocr", name="Minh"), "needs_review", None, None),
    (
        "barcode exact with contradicting name",
        sheet("CSC-2020-7777", "barcode", name="Jack Smith"),
        "needs_review",
        None,
        None,
    ),
    (
        "exact with contradicting DOB",
        sheet("DSA-2019-55501", "barcode", dob=date(2011, 5, 6)),
        "needs_review",
        None,
        None,
    ),
    ("corrected without corroboration", sheet("CSC-2020-7777", "ocr-corrected"), "needs_review", None, None),
    (
        "corrected with the name in the text",
        sheet("CSC-2020-7777", "ocr-corrected", text="Re: Siobhan O'Suilleabhain"),
        "linked_auto",
        3,
        "ocr-corrected",
    ),
    (
        "corrected with the DOB written in words",
        sheet("DSA-2019-55501", "ocr-corrected", text="Born 30th November 1969"),
        "linked_auto",
        4,
        "ocr-corrected",
    ),
    (
        "two records one edit apart, nothing else on the cover",
        sheet("SGD-2024-0412", "ocr"),
        "needs_review",
        None,
        None,
    ),
    (
        "two records one edit apart, the name decides",
        sheet("SGD-2024-0412", "ocr", name="Zoe OBrien"),
        "linked_auto",
        1,
        "ocr",
    ),
    (
        "fuzzy: no record has it, nearest confirmed by DOB",
        sheet("DSA-2019-55507", "ocr", dob=date(1969, 11, 30)),
        "linked_auto",
        4,
        "ocr-corrected",
    ),
    ("fuzzy without corroboration", sheet("DSA-2019-55507", "ocr"), "needs_review", None, None),
    ("unknown reference", sheet("XYZ-2001-0001", "ocr"), "unknown", None, None),
    ("nothing read", sheet(None, None), "unreadable", None, None),
    (
        "nothing read but the name and DOB of a record",
        sheet(None, None, name="Minh Nguyen", dob=date(1969, 11, 30)),
        "unreadable",
        None,
        None,
    ),
    (
        "scanner torn between two references",
        sheet(
            None,
            None,
            candidates=(
                ReferenceCandidate("SGD-2024-0412", 0.7, "beside a label"),
                ReferenceCandidate("SGD-2024-0413", 0.68, "beside a label"),
            ),
        ),
        "needs_review",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("cover", "state", "record_id", "link_method"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decision_table(cover: CoverSheet, state: str, record_id: int | None, link_method: str | None) -> None:
    link = decide(CaseFile(1, 3, cover), RECORDS, closed=False, location=None, settings=SETTINGS)
    assert (link.state, link.record_id, link.link_method) == (state, record_id, link_method), link.reason
    assert link.reason
    if state == "needs_review":
        assert link.candidates, "a reviewer is always offered the candidates"
        agreeing = [c.score for c in link.candidates if "differs" not in c.reason]
        assert agreeing == sorted(agreeing, reverse=True)
        assert link.candidates[: len(agreeing)] == tuple(c for c in link.candidates if "differs" not in c.reason)


def test_unreadable_when_no_cover() -> None:
    link = decide(CaseFile(1, 4, None), RECORDS, closed=False, location=None, settings=SETTINGS)
    assert (link.state, link.record_id, link.first_page, link.last_page) == ("unreadable", None, 1, 4)


def test_contradiction_names_the_other_record() -> None:
    link = decide(
        CaseFile(1, 1, sheet("SGD-2024-0412", "barcode", name="Jack Smith")),
        RECORDS,
        closed=False,
        location=None,
        settings=SETTINGS,
    )
    assert "SGD-2024-0413" in link.reason and link.candidates[0].case_reference == "SGD-2024-0413"
    assert "Jack" not in link.reason, "reasons name references, never people"


@pytest.mark.parametrize(
    ("cover_name", "record_name"),
    [
        ("Zoe OBrien", "Zoë O'Brien"),
        ("O'BRIEN, ZOË", "Zoë O'Brien"),
        ("Siobhan O Suilleabhain", "Siobhán Ó Súilleabháin"),
        ("Agnieszka NowakKowalska", "Agnieszka Nowak-Kowalska"),
        ("Minh Nguyen", "Minh Nguyễn"),
        ("Jade Marie Turner", "Jade Turner"),
        ("Jade Turner", "Jade Marie Ann Turner"),
        ("Mary-Kate Elizabeth Ní Bhriain", "Mary-Kate Ní Bhriain"),
    ],
)
def test_names_compare_without_case_accents_spaces_or_punctuation(cover_name: str, record_name: str) -> None:
    assert name_similarity(cover_name, record_name) >= SETTINGS.linking.name_match
    assert name_similarity("Jack Smith", record_name) < SETTINGS.linking.name_match


@pytest.mark.parametrize(
    ("cover_name", "record_name"),
    [("Jade Marie", "Jade Turner"), ("Marie Turner", "Jade Marie Turner"), ("Jade", "Jade Marie Turner")],
)
def test_a_name_that_only_shares_some_words_is_not_taken_for_a_middle_name_left_out(
    cover_name: str, record_name: str
) -> None:
    assert name_similarity(cover_name, record_name) < 100


def test_margin_is_configurable() -> None:
    loose = load_settings(environ={}, overrides={"linking.margin": 0.05})
    link = decide(CaseFile(1, 1, sheet("SGD-2024-0412", "ocr")), RECORDS, closed=False, location=None, settings=loose)
    assert link.state == "linked_auto"


CLOSED = [
    ("held by the template", sheet("CSC-2020-7777", "barcode"), "catalogued", 3, "CSC-2020-7777"),
    ("paper-only case", sheet("CSC-2001-0042", "ocr"), "catalogued", None, "CSC-2001-0042"),
    ("read with low confidence", sheet("CSC-2001-0042", "ocr", confidence=0.3), "needs_review", None, "CSC-2001-0042"),
    ("no reference read", sheet(None, None, name="Someone"), "unreadable", None, None),
    ("contradicting name", sheet("CSC-2020-7777", "barcode", name="Jack Smith"), "needs_review", None, "CSC-2020-7777"),
]


@pytest.mark.parametrize(
    ("cover", "state", "record_id", "reference"), [c[1:] for c in CLOSED], ids=[c[0] for c in CLOSED]
)
def test_closed_front_sheets_are_catalogued(
    cover: CoverSheet, state: str, record_id: int | None, reference: str | None
) -> None:
    link = decide(CaseFile(1, 1, cover), RECORDS, closed=True, location="Diocesan House / Box 12", settings=SETTINGS)
    assert (link.state, link.record_id) == (state, record_id), link.reason
    assert link.entry is not None
    assert (link.entry.case_reference, link.entry.location) == (reference, "Diocesan House / Box 12")


@pytest.mark.parametrize("method", ["barcode", "ocr"])
@pytest.mark.parametrize("printed", ["SIOBHAN O SUILLEABHAIN", "Siobhan O'Suilleabhain", "siobhan o suilleabhain"])
def test_closed_entry_takes_the_template_name_and_a_location_sheet_wins(method: Method, printed: str) -> None:
    """The cover's printed name, as OCR spells it, agrees with the record; the catalogue keeps the
    template's spelling, accents and all, not the OCR's."""
    case_file = CaseFile(1, 2, sheet("CSC-2020-7777", method, name=printed), location="Cathedral / Crypt")
    link = decide(case_file, RECORDS, closed=True, location="Diocesan House", settings=SETTINGS)
    assert link.state == "catalogued" and link.record_id == 3
    assert link.entry is not None
    assert (link.entry.subject_name, link.entry.location) == ("Siobhán Ó Súilleabháin", "Cathedral / Crypt")


def test_a_paper_only_closed_case_keeps_the_name_its_cover_printed() -> None:
    case_file = CaseFile(1, 1, sheet("CSC-1999-0001", "barcode", name="MARY JONES"))
    link = decide(case_file, RECORDS, closed=True, location="Box 3", settings=SETTINGS)
    assert link.state == "catalogued" and link.record_id is None
    assert link.entry is not None and link.entry.subject_name == "MARY JONES"


def test_closed_unreadable_still_has_an_entry_to_check() -> None:
    link = decide(CaseFile(1, 1, None), RECORDS, closed=True, location="Box 3", settings=SETTINGS)
    assert link.state == "unreadable" and link.entry is not None and link.entry.location == "Box 3"
