"""Front sheets whose code or reference names one child while the details printed on them, with
no labels, are a sibling's: the code's child appears only in a "Siblings:" line, or in a household
table below. A fresh tester's such covers were linked automatically to the code's child (the
siblings line printing that child's date of birth too, so nothing on the cover contradicted it).
Real tesseract on rendered pages, the catalogue's own decision."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from catalogue.linking import Link
from synthetic.drawing import Pen
from synthetic.people import Person, make_people
from tests.support.siblings import sheet_decided
from tests.support.stickers import label

DPI = 300
CODES = {"qr": (0.6, 12), "datamatrix": (0.6, 12), "code128": (0.3, 10), None: (0, 0)}


@pytest.fixture(scope="module")
def people() -> list[Person]:
    """A template of twenty: the code's child and the sibling last."""
    return make_people(20, seed=53)


def _headed(coded: Person, code: str | None) -> Pen:
    """A sheet headed as a front sheet, `coded`'s reference in a code at its top right, or
    printed under a label when `code` is None."""
    pen = Pen.blank(DPI)
    pen.text(22, 22, "Safeguarding Case File", 16, "sans-bold")
    if code is None:
        pen.text(22, 36, f"Case Reference:   {coded.case_reference}", 12)
    else:
        pen.paste(label(coded.case_reference, code, *CODES[code]), 110 if code == "code128" else 160, 12)
    return pen


def _details_then_siblings(coded: Person, shown: Person, code: str | None, relation: str = "Siblings:") -> Image.Image:
    pen = _headed(coded, code)
    lines = [
        f"{shown.forename} {shown.surname}".upper(),
        f"{shown.date_of_birth:%d/%m/%Y}",
        f"{relation} {coded.forename} {coded.surname} (DOB {coded.date_of_birth:%d/%m/%Y})",
        "Allocated worker:   J. Hollis",
    ]
    for row, line in enumerate(lines):
        pen.text(22, 50 + 9 * row + (9 if row >= 2 else 0), line, 12)
    return pen.image


def _tables(coded: Person, shown: Person, relative: Person, code: str) -> Image.Image:
    """`shown`'s details in a ruled table headed "Child | D.O.B. | Gender", `relative` in a
    household table below, with a date of birth."""
    pen = _headed(coded, code)
    columns = (22, 95, 150, 188)

    def row(top: float, cells: tuple[str, str, str]) -> None:
        pen.box(columns[0], top, columns[-1], top + 9)
        for x in columns[1:-1]:
            pen.line(x, top, x, top + 9)
        for x, text in zip(columns, cells, strict=False):
            pen.text(x + 2, top + 2, text, 11)

    row(45, ("Child", "D.O.B.", "Gender"))
    row(54, (f"{shown.forename} {shown.surname}", f"{shown.date_of_birth:%d/%m/%Y}", "F"))
    pen.text(22, 72, "Household", 11, "sans-bold")
    row(80, ("Name", "Relationship", "DOB"))
    row(89, (f"{relative.forename} {relative.surname}", "Brother", f"{relative.date_of_birth:%d/%m/%Y}"))
    return pen.image


def _decided(tmp_path: Path, page: Image.Image, people: list[Person]) -> Link:
    return sheet_decided(tmp_path, page, people, following=7)


@pytest.mark.parametrize("code", CODES, ids=lambda code: code or "printed reference")
def test_a_sibling_named_first_with_the_codes_child_in_the_siblings_line_goes_to_a_person(
    tmp_path: Path, people: list[Person], code: str | None
) -> None:
    coded, shown = people[18:20]
    link = _decided(tmp_path, _details_then_siblings(coded, shown, code), people)
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize("code", ["qr", "datamatrix", "code128"])
def test_a_child_table_above_a_household_table_naming_the_codes_child_goes_to_a_person(
    tmp_path: Path, people: list[Person], code: str
) -> None:
    coded, shown = people[18:20]
    link = _decided(tmp_path, _tables(coded, shown, coded, code), people)
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize("code", ["qr", "code128"])
def test_the_codes_child_named_first_with_a_sibling_quoted_below_is_linked(
    tmp_path: Path, people: list[Person], code: str
) -> None:
    coded, shown = people[18:20]
    link = _decided(tmp_path, _tables(coded, coded, shown, code), people)
    assert (link.state, link.record_id) == ("linked_auto", 19), link.reason


@pytest.mark.parametrize(
    "relation",
    [
        "Siblings:",
        "Brother:",
        "Twin sister -",
        "Half-brother:",
        "Stepsisters:",
        "Linked case:",
        "Other children in household:",
    ],
)
@pytest.mark.parametrize("code", ["qr", "code128", None], ids=lambda code: code or "printed reference")
def test_a_child_not_in_the_template_named_first_goes_to_a_person(
    tmp_path: Path, people: list[Person], relation: str, code: str | None
) -> None:
    """The sheet is about a child the template does not hold yet; the code's child is quoted
    only as a relative, with their date of birth, so nothing on the sheet contradicts them (a
    fresh tester's such covers, 4 of 4, were linked to the code's child)."""
    coded, shown = people[18], make_people(30, seed=54)[29]
    link = _decided(tmp_path, _details_then_siblings(coded, shown, code, relation), people)
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize(
    ("in_template", "printed"),
    [(" Thomas", " T"), (" Thomas", ""), ("", " T"), (" Thomas Edward", " T E")],
    ids=["initial for a middle name", "middle name left out", "an initial the template lacks", "two initials"],
)
def test_a_sibling_named_first_with_a_middle_name_or_initial_goes_to_a_person(
    tmp_path: Path, people: list[Person], in_template: str, printed: str
) -> None:
    """The sheet's own child is in the template with a middle name the sheet gives as an initial,
    or leaves out: the code's child, quoted in the siblings line, was taken as named first (a
    fresh tester's such covers, 16 of 16, were linked to the code's child)."""
    coded, shown = people[18:20]
    template = [*people[:19], replace(shown, forename=shown.forename + in_template)]
    sheet = _details_then_siblings(coded, replace(shown, forename=shown.forename + printed), "qr")
    link = _decided(tmp_path, sheet, template)
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize("code", ["qr", "code128"])
def test_the_codes_child_with_a_middle_initial_named_first_is_linked(
    tmp_path: Path, people: list[Person], code: str
) -> None:
    coded, sibling = people[18:20]
    template = [*people[:18], replace(coded, forename=coded.forename + " Thomas"), sibling]
    pen = _headed(coded, code)
    lines = [
        f"{coded.forename} T {coded.surname}".upper(),
        f"{coded.date_of_birth:%d/%m/%Y}",
        f"Siblings: {sibling.forename} {sibling.surname} (DOB {sibling.date_of_birth:%d/%m/%Y})",
    ]
    for row, line in enumerate(lines):
        pen.text(22, 50 + 9 * row, line, 12)
    link = _decided(tmp_path, pen.image, template)
    assert (link.state, link.record_id) == ("linked_auto", 19), link.reason


@pytest.mark.parametrize("above", ["Parent/carer:", "Mother:", "Carer -", "Linked case:"])
def test_a_parent_named_above_the_codes_child_is_not_the_sheets_child(
    tmp_path: Path, people: list[Person], above: str
) -> None:
    """A parent in the template (their own case), or a linked case, named in a line above the
    child's details."""
    parent, coded = people[17], people[19]
    pen = _headed(coded, "qr")
    lines = [
        f"{above} {parent.forename} {parent.surname}",
        f"{coded.forename} {coded.surname}".upper(),
        f"{coded.date_of_birth:%d/%m/%Y}",
    ]
    for row, line in enumerate(lines):
        pen.text(22, 50 + 9 * row, line, 12)
    link = _decided(tmp_path, pen.image, people)
    assert (link.state, link.record_id) == ("linked_auto", 20), link.reason


@pytest.mark.parametrize("relation", ["Sister's name:", "Sibling name:", "Brother's name:"])
@pytest.mark.parametrize("code", ["qr", None], ids=["qr", "printed reference"])
def test_a_relatives_name_label_is_not_the_covers_name(
    tmp_path: Path, people: list[Person], relation: str, code: str | None
) -> None:
    """The sheet's own child unlabelled under "Child's details", the code's child after a
    relative's name label: that label gives the relative's name, not the cover's (a fresh
    tester's such covers were taken to name the code's child, and were linked to it)."""
    coded, shown = people[18:20]
    pen = _headed(coded, code)
    lines = [
        "Child's details",
        f"{shown.forename} {shown.surname}",
        f"{shown.date_of_birth:%d/%m/%Y}",
        f"{relation} {coded.forename} {coded.surname} ({coded.date_of_birth:%d/%m/%Y})",
    ]
    for row, line in enumerate(lines):
        pen.text(22, 50 + 9 * row + (9 if row == 3 else 0), line, 12)
    link = _decided(tmp_path, pen.image, people)
    assert link.state == "needs_review", link.reason


def _sheet(coded: Person, code: str, lines: list[str]) -> Image.Image:
    pen = _headed(coded, code)
    for row, line in enumerate(lines):
        pen.text(22, 50 + 8 * row, line, 11, "serif")
    return pen.image


QUOTED_LAYOUTS = {
    "a siblings heading over a list": ["Siblings:", "   {coded}   {dob}", "   {other_sibling}"],
    "a table header naming siblings": ["Siblings     Date of birth     School", "{coded}     {dob}     Park Primary"],
    "a nephew's row of a household table": ["Name     Rel.     DOB", "{coded_surname_first}     Nephew     {dob}"],
    "a labelled name under a sibling heading": ["Sibling details", "Name: {coded}", "DOB: {dob}"],
    "a son's line": ["Son of {coded}"],
    "a stepmum's line": ["Stepmum: {coded}"],
}


@pytest.mark.parametrize("layout", QUOTED_LAYOUTS)
def test_the_codes_person_quoted_only_as_a_relative_goes_to_a_person(
    tmp_path: Path, people: list[Person], layout: str
) -> None:
    """Under the code: a child not in the template, unlabelled, and the code's person only quoted
    (a third fresh tester's 17 such sheets were linked to the code's person; these are six kinds)."""
    coded, sibling = people[18:20]
    shown = make_people(30, seed=54)[29]
    values = {
        "coded": f"{coded.forename} {coded.surname}",
        "coded_surname_first": f"{coded.surname.upper()}, {coded.forename}",
        "dob": f"{coded.date_of_birth:%d/%m/%Y}",
        "other_sibling": f"{sibling.forename} {sibling.surname}",
    }
    lines = [f"{shown.forename} {shown.surname}".upper(), f"{shown.date_of_birth:%d/%m/%Y}", ""]
    lines += [line.format(**values) for line in QUOTED_LAYOUTS[layout]]
    link = _decided(tmp_path, _sheet(coded, "qr", lines), people)
    assert link.state == "needs_review", link.reason


@pytest.mark.parametrize(
    "line",
    ["Child: {coded}          Parent: {parent}", "Name: {coded}          Mother: {parent}"],
    ids=["child and parent", "name and mother"],
)
def test_the_childs_own_name_before_a_parents_on_one_line_is_linked(
    tmp_path: Path, people: list[Person], line: str
) -> None:
    """A two-column form row: the child's label and name, then the parent's (a fresh tester's
    such sheets, the template holding a middle name the sheet leaves out, waited for a person)."""
    parent, coded = people[17], people[19]
    template = [*people[:19], replace(coded, forename=coded.forename + " Thomas")]
    names = {"coded": f"{coded.forename} {coded.surname}", "parent": f"{parent.forename} {parent.surname}"}
    lines = [line.format(**names), f"DOB: {coded.date_of_birth:%d/%m/%Y}"]
    link = _decided(tmp_path, _sheet(coded, "code128", lines), template)
    assert (link.state, link.record_id) == ("linked_auto", 20), link.reason


def test_a_surname_that_is_a_relatives_word_is_the_childs_own(tmp_path: Path, people: list[Person]) -> None:
    coded = replace(people[19], surname="Cousins")
    template = [*people[:19], coded]
    lines = [f"{coded.forename} {coded.surname}", f"{coded.date_of_birth:%d/%m/%Y}"]
    link = _decided(tmp_path, _sheet(coded, "qr", lines), template)
    assert (link.state, link.record_id) == ("linked_auto", 20), link.reason
