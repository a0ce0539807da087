"""Issue 12 in the pure decision: one decision over the scanner's readings, contradicted records
ranked last, doubts and unreadable covers never linked, names folded to ASCII as OCR sees them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from catalogue.candidates import RecordIndex
from catalogue.linking import Link, decide
from catalogue.names import name_similarity
from config.settings import Settings, load_settings
from records.template import TemplateRecord, name_key
from scanner.model import CaseFile, CoverFields, CoverSheet, Method, ReferenceCandidate

SETTINGS = load_settings(environ={})


def record(reference: str, forename: str, surname: str, dob: date) -> TemplateRecord:
    return TemplateRecord(1, reference, reference, forename, surname, dob, "Open", None, None, True, False, {})


PEOPLE = [
    ("SGD-2024-0412", "Zoë", "O'Brien", date(2010, 3, 4)),
    ("SGD-2019-7731", "Jack", "Smith", date(2011, 5, 6)),
    ("CSC-2020-7777", "Siobhán", "Ó Súilleabháin", date(1975, 2, 9)),
    ("DSA-2018-6558", "Søren", "Ødegård", date(1992, 1, 25)),
    ("DSA-2018-6559", "Łukasz", "Wałęsa", date(1990, 7, 1)),
    ("DSA-2018-6560", "Đorđe", "Đukić", date(1988, 8, 8)),
    ("DSA-2018-6561", "Ægir", "Æbelø", date(1987, 1, 2)),
    ("DSA-2018-6562", "Franz", "Straße", date(1986, 3, 4)),
    ("DSA-2018-6563", "Þóra", "Þórsdóttir", date(1985, 5, 6)),
    ("DSA-2018-6564", "Dylan", "Öztürk", date(1984, 7, 8)),
    ("DSA-2018-6565", "Minh", "Nguyễn", date(1983, 9, 10)),
]
RECORDS = RecordIndex([(i, record(*person)) for i, person in enumerate(PEOPLE, start=1)])


def ocr(
    reference: str, score: float = 0.85, labelled: bool = True, corrections: tuple[str, ...] = ()
) -> ReferenceCandidate:
    method: Method = "ocr-corrected" if corrections else "ocr"
    return ReferenceCandidate(reference, score, "beside a label", reference, method, labelled, corrections, 90.0)


def barcode(reference: str) -> ReferenceCandidate:
    return ReferenceCandidate(reference, 1.0, "barcode", reference, "barcode", False, (), 100.0)


def cover(
    *candidates: ReferenceCandidate,
    name: str | None = None,
    dob: date | None = None,
    evidence: str = "a reference beside a label",
) -> CoverSheet:
    top = candidates[0] if candidates else None
    return CoverSheet(
        1,
        top.case_reference if top else None,
        top.method if top else None,
        top.score if top else 0.0,
        candidates,
        CoverFields(name, dob),
        "",
        evidence,
    )


def decided(
    sheet: CoverSheet, doubts: tuple[tuple[int, str], ...] = (), closed: bool = False, settings: Settings = SETTINGS
) -> Link:
    return decide(CaseFile(1, 4, sheet, None, doubts), RECORDS, closed=closed, location="Box 1", settings=settings)


def decided_among(people: list[tuple[str, str, str, date]], sheet: CoverSheet) -> Link:
    """The decision for `sheet` against a template of `people` alone."""
    records = RecordIndex([(i, record(*person)) for i, person in enumerate(people, start=1)])
    return decide(CaseFile(1, 2, sheet, None, ()), records, closed=False, location=None, settings=SETTINGS)


@pytest.mark.parametrize(
    "read",
    [
        barcode("SGD-2024-0412"),
        ocr("SGD-2024-0412"),
        ocr("SGD-2024-0412", 0.7, corrections=("O→0",)),
        barcode("CSC-2020-7777"),
        ocr("DSA-2018-6558"),
    ],
)
@pytest.mark.parametrize(
    "name, dob",
    [
        ("Jack Smith", date(2011, 5, 6)),
        ("SMITH, JACK", date(2011, 5, 6)),
        (None, date(2011, 5, 6)),
        ("Jack Smith", None),
    ],
)
def test_a_contradicted_record_never_ranks_above_the_one_the_cover_agrees_with(
    read: ReferenceCandidate, name: str | None, dob: date | None
) -> None:
    link = decided(cover(read, name=name, dob=dob))
    assert link.state == "needs_review" and link.record_id is None
    assert link.candidates[0].case_reference == "SGD-2019-7731", link.candidates
    assert read.case_reference in [c.case_reference for c in link.candidates], "the reference read stays a candidate"


@pytest.mark.parametrize(
    "references",
    [
        ("SGD-2024-0412", "SGD-2019-7731"),
        ("SGD-2019-7731", "SGD-2024-0412"),
        ("SGD-2024-0412", "XYZ-2001-0001"),
        ("SGD-2024-0412", "SGD-2019-7731", "CSC-2020-7777"),
    ],
)
def test_barcodes_naming_different_cases_go_to_review_with_every_one_a_candidate(references: tuple[str, ...]) -> None:
    link = decided(cover(*(barcode(r) for r in references), evidence="a barcode"))
    assert link.state == "needs_review" and link.record_id is None
    held = {r for r in references if r in RECORDS.by_key}
    assert held <= {c.case_reference for c in link.candidates}
    assert "different cases" in link.reason


@pytest.mark.parametrize(
    "name, dob", [("Jack Smith", date(2011, 5, 6)), ("Zoe O'Brien", None), (None, date(1975, 2, 9))]
)
def test_every_record_two_barcodes_name_is_a_candidate_whatever_the_printed_name_says(
    name: str | None, dob: date | None
) -> None:
    """A fresh tester's two-code covers reached review holding only the record whose name was
    printed: the other code's record, contradicted by that name, scored under the candidate floor."""
    link = decided(cover(barcode("SGD-2024-0412"), barcode("CSC-2020-7777"), name=name, dob=dob, evidence="a barcode"))
    assert link.state == "needs_review" and "different cases" in link.reason
    assert {"SGD-2024-0412", "CSC-2020-7777"} <= {c.case_reference for c in link.candidates}, link.candidates


@pytest.mark.parametrize(
    "read, agrees",
    [
        ("RNKK-2019-2001", "RNK-2019-2007"),  # one letter doubled: one edit from A, two from B
        ("RNI-2019-2001", "RNK-2019-2007"),
        ("RNK-2019-2O07", "RNK-2019-2001"),  # the other way round
    ],
)
def test_a_reading_nearer_to_one_record_than_to_the_one_the_name_matches_goes_to_a_person(
    read: str, agrees: str
) -> None:
    """A fresh tester's cover printed A's reference under B's name and date of birth; read one
    letter off, A (contradicted, under the candidate floor) was dropped and B linked, corrected."""
    people = [
        ("RNK-2019-2001", "Mabel", "Quarrington", date(2012, 2, 2)),
        ("RNK-2019-2007", "Dominic", "Farrowdale", date(2011, 5, 14)),
    ]
    person = next(p for p in people if p[0] == agrees)
    link = decided_among(
        people, cover(ocr(read, corrections=("K→KK",)), name=f"{person[1]} {person[2]}", dob=person[3])
    )
    assert link.state == "needs_review" and "nearer to" in link.reason, link.reason
    assert [c.case_reference for c in link.candidates] == [agrees, next(p[0] for p in people if p[0] != agrees)]


def test_a_corrected_reading_nearest_to_the_record_its_name_matches_still_links() -> None:
    sheet = cover(ocr("SGD-2O24-0412", corrections=("O→0",)), name="Zoe O'Brien", dob=date(2010, 3, 4))
    link = decided(sheet)
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason


def test_the_catalogue_alone_weighs_close_readings_with_the_configured_margin() -> None:
    sheet = cover(ocr("SGD-2024-0412", 0.85), ocr("SGD-2019-7731", 0.75))
    assert decided(sheet).state == "needs_review"
    loose = load_settings(environ={}, overrides={"linking.margin": 0.05})
    link = decided(sheet, settings=loose)
    assert (link.state, link.record_id) == ("linked_auto", 1)


@pytest.mark.parametrize(
    "sheet",
    [cover(barcode("SGD-2024-0412")), cover(ocr("SGD-2024-0412"), name="Zoe OBrien"), cover(ocr("CSC-2020-7777"))],
)
def test_a_page_triage_was_unsure_of_keeps_its_case_file_from_an_automatic_link(sheet: CoverSheet) -> None:
    assert decided(sheet).state == "linked_auto"
    link = decided(sheet, doubts=((3, "it shows bars like a barcode's that could not be read"),))
    assert link.state == "needs_review" and link.record_id is None
    assert "page 3" in link.reason and link.candidates
    closed = decided(sheet, doubts=((2, "unsure"),), closed=True)
    assert closed.state == "needs_review" and "page 2" in closed.reason


@pytest.mark.parametrize(
    "evidence",
    [
        "a cover's evidence near the top (a reference label, a reference, or a name and date of birth)",
        "a barcode that names no case reference",
    ],
)
def test_a_cover_on_which_nothing_could_be_read_is_unreadable_with_the_reason(evidence: str) -> None:
    for closed in (False, True):
        link = decided(cover(evidence=evidence), closed=closed)
        assert (link.state, link.record_id) == ("unreadable", None)
        assert evidence in link.reason and "page 1" in link.reason


@pytest.mark.parametrize(
    "written, typed",
    [
        ("Søren Ødegård", "SOREN ODEGARD"),
        ("Łukasz Wałęsa", "LUKASZ WALESA"),
        ("Đorđe Đukić", "DORDE DUKIC"),
        ("Ægir Æbelø", "AEGIR AEBELO"),
        ("Franz Straße", "FRANZ STRASSE"),
        ("Þóra Þórsdóttir", "THORA THORSDOTTIR"),
        ("Zoë O'Brien", "zoe obrien"),
        ("Siobhán Ó Súilleabháin", "SIOBHAN O'SUILLEABHAIN"),
    ],
)
def test_every_latin_letter_folds_to_ascii_before_names_are_compared(written: str, typed: str) -> None:
    assert name_key(written) == name_key(typed)
    assert name_similarity(typed, written) >= SETTINGS.linking.name_match
    reference = next(r for r, forename, surname, _ in PEOPLE if f"{forename} {surname}" == written)
    link = decided(cover(barcode(reference), name=typed))
    assert (link.state, link.link_method) == ("linked_auto", "barcode"), link.reason


@pytest.mark.parametrize(
    "written, as_read",
    [
        ("Søren Ødegård", "Seren Sdegard"),
        ("Søren Ødegård", "Sgren @degard"),
        ("Þóra Þórsdóttir", "Péra Pérsdéttir"),
        ("Þóra Þórsdóttir", "PERSDETTIR, Pera"),
        ("Łukasz Wałęsa", "tukasz Walesa"),
        ("Đorđe Đukić", "Dorde Duki¢"),
        ("Ægir Æbelø", "Agir belo"),
        ("Siobhán Ó Súilleabháin", "Siobhan O Sdilleabhain"),
        ("Dylan Öztürk", "Dylan Oztiirk"),
        ("Minh Nguyễn", "Minh Nguyln"),
    ],
)
def test_a_name_read_as_english_ocr_reads_letters_it_does_not_know_is_the_records(written: str, as_read: str) -> None:
    """A fresh tester's covers printed with the record's own letters went to review as naming
    someone else: the English model reads ø, Þ, ó, Æ as the nearest shapes it knows, or as signs."""
    reference = next(r for r, forename, surname, _ in PEOPLE if f"{forename} {surname}" == written)
    link = decided(cover(ocr(reference), name=as_read))
    assert (link.state, link.record_id) == ("linked_auto", RECORDS.by_key[reference]), link.reason


@pytest.mark.parametrize(
    "as_read, written",
    [
        ("Begofia J6ezef Mufioz ifiguez", "Begoña Muñoz Íñiguez"),  # a middle name the record leaves out
        ("Lanna Agot Jezef", "Ågot Lønnå"),  # "SURNAME, Forename Middle"
        ("PERSDETTIR Pera", "Þóra Þórsdóttir"),
        ("Turner Jade Marie", "Jade Turner"),
        ("Jade Turner", "Jade Marie Turner"),
    ],
)
def test_middle_names_word_order_and_letters_ocr_misreads_combine(as_read: str, written: str) -> None:
    assert name_similarity(as_read, written) == 100


@pytest.mark.parametrize(
    "record_name, other",
    [
        ("Søren Ødegård", "Karen Odegard"),  # a letter OCR knows differs
        ("Søren Ødegård", "Søren Olsen"),
        ("Łukasz Wałęsa", "Tomasz Walesa"),
        ("Jade Marie Turner", "Jade Smith"),
    ],
)
def test_letters_the_ocr_knows_must_still_match(record_name: str, other: str) -> None:
    assert name_similarity(other, record_name) < SETTINGS.linking.name_match


@pytest.mark.parametrize("name, dob", [(None, None), ("Zoe O'Brien", date(2010, 3, 4)), ("Jack Smith", None)])
def test_a_reference_printed_beside_a_label_is_a_candidate_beside_a_barcode_naming_another(
    name: str | None, dob: date | None
) -> None:
    """A fresh tester's covers barcoded A and printed "Case reference: B" reached review with
    only A to choose when the printed name said against B (its score halved under the floor)."""
    link = decided(cover(barcode("SGD-2024-0412"), ocr("SGD-2019-7731"), name=name, dob=dob, evidence="a barcode"))
    assert link.state == "needs_review" and link.record_id is None
    assert {"SGD-2024-0412", "SGD-2019-7731"} <= {c.case_reference for c in link.candidates}, link.candidates


@pytest.mark.parametrize(
    "twins, printed",
    [
        (("René", "Renée"), "DUBOIS-CELIK, Renee"),
        (("Ana", "Ane"), "Ane Dubois-Çelik"),
        (("Jon", "John"), "JOHN DUBOIS-CELIK"),
    ],
)
@pytest.mark.parametrize("method", ["ocr", "barcode"])
def test_the_twin_the_cover_names_letter_for_letter_comes_first_whatever_reference_is_read(
    twins: tuple[str, str], printed: str, method: str
) -> None:
    """A fresh tester's twins René and Renée (96 % alike) under one surname and date of birth: a
    cover printing Renée under René's reference offered René first, one key from a wrong link."""
    born = date(2019, 11, 23)
    people = [("CSC-2019-2210", twins[0], "Dubois-Çelik", born), ("CSC-2019-2211", twins[1], "Dubois-Çelik", born)]
    read = barcode("CSC-2019-2210") if method == "barcode" else ocr("CSC-2019-2210")
    link = decided_among(people, cover(read, name=printed, dob=born))
    assert link.state == "needs_review" and link.record_id is None, link.reason
    assert [c.case_reference for c in link.candidates] == ["CSC-2019-2211", "CSC-2019-2210"], link.candidates


def test_a_name_spelt_exactly_for_someone_born_another_day_does_not_hold_the_link() -> None:
    people = [
        ("CSC-2019-2210", "Jack", "Smyth", date(2011, 5, 6)),
        ("CSC-2019-5555", "Jack", "Smith", date(1990, 1, 1)),
    ]
    link = decided_among(people, cover(ocr("CSC-2019-2210"), name="Jack Smith", dob=date(2011, 5, 6)))
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason


@pytest.mark.parametrize("read", [ocr("SGD-2024-0412"), barcode("SGD-2024-0412")])
@pytest.mark.parametrize("name", ["Xavier Quill", "Jock Smyth-Q"])
def test_a_record_the_cover_contradicts_outright_ranks_below_one_it_agrees_with_in_part(
    read: ReferenceCandidate, name: str
) -> None:
    """A tester's cover read as A, its date of birth B's and its name garbled past matching
    either: A (name and date of birth against it) was candidate 1, ahead of B."""
    link = decided(cover(read, name=name, dob=date(2011, 5, 6)))
    assert link.state == "needs_review" and link.record_id is None
    assert [c.case_reference for c in link.candidates[:2]] == ["SGD-2019-7731", "SGD-2024-0412"], link.candidates


def test_names_are_stored_as_written_and_a_closed_sheet_catalogues_the_template_spelling() -> None:
    link = decided(cover(ocr("CSC-2020-7777"), name="SIOBHAN O SUILLEABHAIN"), closed=True)
    assert link.state == "catalogued" and link.entry is not None
    assert link.entry.subject_name == "Siobhán Ó Súilleabháin"
    assert link.fields.name == "SIOBHAN O SUILLEABHAIN", "what the cover shows is kept as read"
    assert RECORDS.by_id[4].name == "Søren Ødegård"


def test_a_reference_read_loose_in_the_text_is_linked_only_with_the_name_or_date_of_birth() -> None:
    loose = ocr("SGD-2024-0412", 0.45, labelled=False)
    assert decided(cover(loose)).state == "needs_review"
    link = decided(cover(loose, dob=date(2010, 3, 4)))
    assert (link.state, link.record_id) == ("linked_auto", 1)


def _printed(sheet: CoverSheet, text: str) -> CoverSheet:
    """The cover with `text` as the words read on it: a name printed with no label beside it."""
    return replace(sheet, text=text)


@pytest.mark.parametrize(
    "text",
    [
        "Case Reference: SGD-2024-0412\nJACK SMITH\n06/05/2011",
        "Case Reference: SGD-2024-0412\nSMITH, Jack",
        "Jack Smith\nSGD-2024-0412",
        "Ref SGD-2024-0412 Søren Ødegård 25/01/1992",
    ],
)
@pytest.mark.parametrize("read", [ocr("SGD-2024-0412"), barcode("SGD-2024-0412")])
def test_a_cover_naming_another_records_person_without_a_label_is_not_linked(
    text: str, read: ReferenceCandidate
) -> None:
    """Two layouts nobody here drew print the name under the reference with no label: a front
    sheet with one typed wrong reference names someone else, and must wait for a person."""
    link = decided(_printed(cover(read), text))
    assert link.state == "needs_review", link.reason
    assert "SGD-2024-0412" in link.reason and "someone else" in link.reason
    named = link.candidates[0].case_reference
    assert named in {"SGD-2019-7731", "DSA-2018-6558"}, link.candidates
    assert "SGD-2024-0412" in [c.case_reference for c in link.candidates]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Case Reference: SGD-2024-0412\nZOE O'BRIEN\n04/03/2010", None),
        ("Case Reference: SGD-2024-0412\nSibling: Jack Smith", "Zoë O'Brien"),
        ("Case Reference: SGD-2024-0412\nReviewed by Jack Smithson", None),
        ("Case Reference: SGD-2024-0412\nJack attended; Smith school", None),
    ],
)
def test_a_cover_that_names_its_own_person_or_no_record_is_still_linked(text: str, name: str | None) -> None:
    link = decided(_printed(cover(ocr("SGD-2024-0412"), name=name), text))
    assert (link.state, link.record_id) == ("linked_auto", 1), link.reason


def test_a_barcode_and_a_labelled_printed_reference_naming_two_records_go_to_a_person() -> None:
    """A second user's trial: a QR naming one record on a sheet whose printed, labelled reference
    names another was linked to the QR's record; the cover contradicts itself."""
    link = decided(cover(barcode("SGD-2024-0412"), ocr("SGD-2019-7731")))
    assert link.state == "needs_review", link.reason
    assert {"SGD-2024-0412", "SGD-2019-7731"} <= {c.case_reference for c in link.candidates}
    assert "SGD-2019-7731" in link.reason


@pytest.mark.parametrize(
    "printed",
    [
        ocr("SGD-2024-0412"),
        ocr("SGD-2024-0417"),  # misread: no record has it
        ocr("SGD-2019-7731", labelled=False),  # quoted in the text ("linked case")
    ],
)
def test_a_barcode_with_its_own_printed_reference_or_a_misreading_is_still_linked(printed: ReferenceCandidate) -> None:
    link = decided(cover(barcode("SGD-2024-0412"), printed))
    assert (link.state, link.record_id, link.link_method) == ("linked_auto", 1, "barcode"), link.reason


def test_a_contradicted_candidate_scores_below_the_one_the_cover_agrees_with() -> None:
    """The review page shows each candidate's score: the record listed second because the cover
    contradicts it must not show the higher one."""
    link = decided(_printed(cover(ocr("SGD-2024-0412")), "Case Reference: SGD-2024-0412\nJACK SMITH"))
    scores = {c.case_reference: c.score for c in link.candidates}
    assert scores["SGD-2019-7731"] > scores["SGD-2024-0412"], link.candidates


@pytest.mark.parametrize(
    "text",
    [
        "Case Reference: SGD-2019-7731\nReviewed by Jack Smithson",
        "Case Reference: SGD-2019-7731\nMAJACK SMITH",
        "Case Reference: SGD-2019-7731\nBlackjack Smith Road",
        "Case Reference: SGD-2019-7731\nSmith Jackson",
    ],
)
def test_a_name_inside_a_longer_name_does_not_vouch_for_a_corrected_reference(text: str) -> None:
    """A corrected reading is linked only when the record's name is on the cover. "Jack Smith" is
    not on a cover that says "Jack Smithson": found as letters inside other words, it vouched for
    a reading OCR had to correct, and the file was linked with no one asked."""
    link = decided(_printed(cover(ocr("SGD-2019-7731", 0.7, corrections=("O→0",))), text))
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize(
    "text",
    [
        "Case Reference: SGD-2019-7731\nJACK SMITH",
        "Case Reference: SGD-2019-7731\nJACKSMITH",
        "Case Reference: SGD-2019-7731\nSmith, Jack.",
        "Case Reference: SGD-2019-7731\nChild: Jack  Smith (DOB unknown)",
    ],
)
def test_the_whole_name_however_ocr_spaced_it_vouches_for_a_corrected_reference(text: str) -> None:
    link = decided(_printed(cover(ocr("SGD-2019-7731", 0.7, corrections=("O→0",))), text))
    assert (link.state, link.record_id) == ("linked_auto", 2), link.reason


@pytest.mark.parametrize(
    "name, dob",
    [("Hugo Blenkinsop", None), ("Hugo Blenkinsop", date(2009, 9, 13)), (None, date(2009, 9, 13))],
)
def test_the_record_a_contradiction_names_is_offered_first(name: str | None, dob: date | None) -> None:
    """A tester's reviewers read "the cover matches CP-2023-5714" with only the contradicted record
    to choose: the record the cover vouches for scored under `linking.candidate_score`."""
    people = [
        ("LADO-2015-7978", "Amelia", "Hartley", date(2012, 1, 30)),
        ("CP-2023-5714", "Hugo", "Blenkinsop", date(2009, 9, 13)),
        ("SGD-2019-7731", "Jack", "Smith", date(2011, 5, 6)),
    ]
    records = RecordIndex([(i, record(*person)) for i, person in enumerate(people, start=1)])
    sheet = cover(ocr("LADO-2015-7978"), name=name, dob=dob)
    link = decide(CaseFile(1, 2, sheet, None, ()), records, closed=False, location=None, settings=SETTINGS)
    assert link.state == "needs_review" and "the cover matches CP-2023-5714" in link.reason, link.reason
    assert [c.case_reference for c in link.candidates][:2] == ["CP-2023-5714", "LADO-2015-7978"], link.candidates


@pytest.mark.parametrize(
    ("code", "name", "dob"),
    [
        ("SGD-2024-0411", None, date(2010, 3, 4)),  # a twin's: one digit off, the same birthday
        ("SGD-2024-0412X", None, date(2010, 3, 4)),
        ("SGD-2023-0412", "Zoe O'Brien", date(2010, 3, 4)),
        ("SGD-2019-7730", "Jack Smith", None),
    ],
)
def test_a_barcode_no_record_has_is_never_taken_for_the_nearest_record(
    code: str, name: str | None, dob: date | None
) -> None:
    """A fresh tester's QR naming a case the template lacks, on a sheet showing the nearest
    record's date of birth, was linked to that record as "ocr-corrected": a code is read exactly."""
    link = decided(cover(barcode(code), name=name, dob=dob, evidence="a barcode"))
    assert (link.state, link.record_id, link.link_method) == ("unknown", None, None), link.reason
    assert code in link.reason
    assert link.candidates, "the nearest record is still offered to a person"


def test_a_closed_sheet_barcoded_for_a_case_the_template_lacks_is_catalogued_as_paper_only() -> None:
    link = decided(cover(barcode("SGD-2024-0411"), dob=date(2010, 3, 4), evidence="a barcode"), closed=True)
    assert link.state == "catalogued" and link.record_id is None, link.reason
    assert link.entry is not None and link.entry.case_reference == "SGD-2024-0411"


def test_a_barcode_no_record_has_beside_a_printed_reference_of_a_record_goes_to_a_person() -> None:
    link = decided(cover(barcode("SGD-2017-9999"), ocr("SGD-2024-0412"), name="Zoe O'Brien", evidence="a barcode"))
    assert (link.state, link.record_id) == ("needs_review", None), link.reason
    assert "SGD-2017-9999" in link.reason and "SGD-2024-0412" in link.reason


@pytest.mark.parametrize("dob", [date(2010, 3, 4), None])
def test_a_reading_no_record_has_is_not_corrected_to_a_record_whose_name_the_cover_contradicts(
    dob: date | None,
) -> None:
    """Twins' references run one after the other: the other twin's sheet, its twin not yet in the
    template, shows this record's surname and birthday, and another first name."""
    link = decided(cover(ocr("SGD-2024-0411"), name="Liam O'Brien", dob=dob))
    assert link.state != "linked_auto" and link.record_id is None, link.reason


@pytest.mark.parametrize("text", ["SGD-2019-7731\nZOE O'BRIEN", "SAFEGUARDING FILE\n  SGD-2019-7731  "])
def test_another_records_reference_printed_on_a_line_of_its_own_beside_a_barcode_goes_to_a_person(text: str) -> None:
    """A fresh tester's QR naming one case on a sheet whose title is another case's reference."""
    printed = ocr("SGD-2019-7731", labelled=False)
    link = decided(_printed(cover(barcode("SGD-2024-0412"), printed), text))
    assert (link.state, link.record_id) == ("needs_review", None), link.reason
    assert {"SGD-2024-0412", "SGD-2019-7731"} <= {c.case_reference for c in link.candidates}


def test_another_records_reference_quoted_in_a_sentence_beside_a_barcode_says_nothing_against_it() -> None:
    printed = ocr("SGD-2019-7731", labelled=False)
    link = decided(_printed(cover(barcode("SGD-2024-0412"), printed), "Linked case SGD-2019-7731 (brother)"))
    assert (link.state, link.record_id, link.link_method) == ("linked_auto", 1, "barcode"), link.reason


@pytest.mark.parametrize("line", ["Our ref: SGD-2019-7731", "OUR REF SGD-2019-7731", "Our reference:  SGD-2019-7731"])
def test_another_records_reference_after_our_ref_beside_a_barcode_goes_to_a_person(line: str) -> None:
    """The scanner weighs "Our ref" as a letter's label; on a barcoded sheet it names the sheet's case."""
    printed = ocr("SGD-2019-7731", labelled=False)
    link = decided(_printed(cover(barcode("SGD-2024-0412"), printed), f"FRONT SHEET\n{line}"))
    assert (link.state, link.record_id) == ("needs_review", None), link.reason


def test_another_records_reference_after_your_ref_beside_a_barcode_says_nothing_against_it() -> None:
    printed = ocr("SGD-2019-7731", labelled=False)
    link = decided(_printed(cover(barcode("SGD-2024-0412"), printed), "FRONT SHEET\nYour ref: SGD-2019-7731"))
    assert (link.state, link.link_method) == ("linked_auto", "barcode"), link.reason


def test_a_corrected_reading_is_held_for_what_holds_an_exact_one() -> None:
    """A twin's sheet ("Fraser", born the same day) under Freya's reference misread in a tilted
    box: the shared date of birth confirmed the nearest record, and it was linked."""
    people = [
        ("CSC-2022-0917", "Freya", "Lindqvist", date(2018, 1, 9)),
        ("SGD-2019-7731", "Jack", "Smith", date(2011, 5, 6)),
    ]
    sheet = replace(
        cover(ocr("CST-2022-0917", corrections=("T→C",)), dob=date(2018, 1, 9)),
        text="FILE No. CST-2022-0917\nFraser Lindqvist\nborn 09/01/2018",
    )
    link = decided_among(people, sheet)
    assert link.state == "needs_review" and "another forename" in link.reason, link.reason
    own = replace(sheet, text="FILE No. CST-2022-0917\nFreya Lindqvist\nborn 09/01/2018")
    assert (decided_among(people, own).state, decided_among(people, own).record_id) == ("linked_auto", 1)
