"""Minutes, an assessment or a strategy record filed in a child's case file that quotes a
sibling's reference beside a label, below paragraphs of its own ("Reference: …", a household
table's "Case ref" column, a footer): the page starts a case file of its own, as any page showing
a labelled reference does, but a tester's such pages were then linked to the sibling
automatically, 89 times in 93, carrying the child's following pages with them. Drawn here in
layouts of our own; scanned and decided for real."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.imaging import text_ink
from scanner.lines import in_body_print, prose_lines, running_lines
from store.states import LINKED_BY_SERVICE
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, px
from tests.support.siblings import decided, only_the_childs_pages_are_linked, typed_page, within_a_case_file

PROSE = (
    "The meeting heard from the school nurse and the family support worker about the",
    "arrangements at home since the last review and the progress made with the plan.",
    "Attendance has improved and the parents have engaged with the parenting course,",
    "although concerns remain about supervision in the evenings and about the home.",
    "The chair asked that the actions agreed at the last meeting be carried forward.",
)


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(10, seed=59)


def _note(heading: str, prose_lines: int, quote: Sequence[str], font: str, at_foot: bool) -> Image.Image:
    """A page under `heading`: `prose_lines` lines of running text, then `quote`'s lines (each
    10 pt), then more running text; or, `at_foot`, the quote in 8 pt at the page's foot."""
    lines = [(16.0, heading, 14)]
    lines += [(28.0 + 6 * n, PROSE[n % len(PROSE)], 10) for n in range(prose_lines)]
    below = 32.0 + 6 * prose_lines
    if at_foot:
        lines += [(280.0 + 5 * n, text, 8) for n, text in enumerate(quote)]
    else:
        lines += [(below + 6 * n, text, 10) for n, text in enumerate(quote)]
        below += 6 * len(quote) + 4
    lines += [(below + 6 * n, PROSE[(n + 2) % len(PROSE)], 10) for n in range(4)]
    return typed_page(lines, font, 246)


def _starts_and_links(cover: Image.Image, child: Person, people: list[Person], tmp_path: Path, seed: int) -> None:
    """`cover` (drawn at 300 dpi) as the third page of a batch, behind another case file of two
    pages: it starts its own case file, linked automatically to `child`."""
    pages = [draw_cover(people[2], "boxed", 300), draw_continuation(seed, 300), cover, draw_continuation(seed + 1, 300)]
    links = decided(write_pdf(pages, tmp_path / "batch.pdf", 300), people)
    assert [(link.first_page, link.last_page) for link in links] == [(1, 2), (3, 4)]
    assert links[1].state in LINKED_BY_SERVICE and links[1].record_id == people.index(child) + 1, links[1].reason


@pytest.mark.parametrize(
    "heading, prose_lines, quote, font, at_foot",
    [
        ("Multi-agency meeting minutes", 6, ("Reference: {ref}",), "dejavu", False),
        ("Core group record", 4, ("Sibling: {name}    Ref No. {ref}",), "liberation-serif", False),
        (
            "Child and family assessment",
            5,
            (
                "Household members",
                "Name    Date of birth    Relationship    Case ref",
                "{name}    {dob}    Sibling    {ref}",
            ),
            "liberation-sans",
            False,
        ),
        ("Strategy discussion record", 5, ("Case reference: {ref}    Page 2 of 3",), "dejavu", True),
    ],
)
def test_a_note_quoting_a_siblings_reference_never_links_the_pages_after_it_to_the_sibling(
    tmp_path: Path,
    people: list[Person],
    heading: str,
    prose_lines: int,
    quote: tuple[str, ...],
    font: str,
    at_foot: bool,
) -> None:
    child, sibling = people[1], people[7]
    filled = [
        text.format(ref=sibling.case_reference, name=sibling.name, dob=f"{sibling.date_of_birth:%d/%m/%Y}")
        for text in quote
    ]
    page = _note(heading, prose_lines, filled, font, at_foot)
    links = decided(within_a_case_file(page, child, tmp_path, 300), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


def test_a_front_sheet_under_a_short_instruction_is_still_linked(tmp_path: Path, people: list[Person]) -> None:
    """A line or two of instructions above a front sheet's fields leaves it a cover."""
    child = people[4]
    cover = typed_page(
        [
            (16, "Early Help - case file front sheet", 14),
            (28, "Complete every field below before the file is sent to the records office for storage.", 10),
            (40, f"Case reference: {child.case_reference}", 12),
            (48, f"Name: {child.name}", 12),
            (56, f"Date of birth: {child.date_of_birth:%d/%m/%Y}", 12),
        ],
        "dejavu",
        246,
    )
    _starts_and_links(cover, child, people, tmp_path, 51)


@pytest.mark.parametrize("prose, expected", [(0, 0), (2, 2), (5, 5)])
def test_running_lines_counts_a_paragraphs_lines_not_a_forms(prose: int, expected: int) -> None:
    """A heading and a form's fields are no running text; each line of a paragraph is."""
    page = Image.new("L", (827, 600), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(TYPEFACES["dejavu"], 14)
    draw.text((80, 30), "Multi-agency meeting minutes", font=font, fill=0)
    for row, text in enumerate(("Case reference:", "Name:", "Date of birth:")):
        draw.text((80, 60 + 20 * row), text, font=font, fill=0)
        draw.text((300, 60 + 20 * row), "SGD-2024-0412" if row == 0 else "Jack Smith", font=font, fill=0)
    for row in range(prose):
        draw.text((80, 140 + 20 * row), PROSE[row % len(PROSE)], font=font, fill=0)
    assert running_lines(text_ink(page, 100), 100) == expected


@pytest.mark.parametrize(
    "opening, quote, font, dpi",
    [
        (("Contact note", PROSE[0]), "Reference: {ref}", "dejavu", 200),
        (("Telephone call", PROSE[1]), "Ref: {ref}", "liberation-serif", 300),
        ((PROSE[2],), "Case reference {ref}", "liberation-sans", 200),
        (("Sibling contact", PROSE[3], PROSE[4]), "File ref: {ref}", "dejavu-mono", 300),
    ],
)
def test_a_bare_reference_below_a_sentence_never_links_the_pages_after_it(
    tmp_path: Path, people: list[Person], opening: tuple[str, ...], quote: str, font: str, dpi: int
) -> None:
    """A note quoting another case's reference under its first sentence or two, with no name or
    date of birth beside it: too little prose for a paragraph, but a front sheet has a heading
    there, not a sentence. The quoted person here shares no family name with the child."""
    child, other = people[8], people[3]
    lines = [(16.0 + 7 * n, text, 13 if n == 0 and len(opening) > 1 else 10) for n, text in enumerate(opening)]
    below = 20.0 + 7 * len(opening)
    lines += [(below, quote.format(ref=other.case_reference), 11)]
    lines += [(below + 10 + 6 * n, PROSE[(n + 1) % len(PROSE)], 10) for n in range(4)]
    links = decided(within_a_case_file(typed_page(lines, font, 246), child, tmp_path, dpi), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


def _grid_row(page: Image.Image, reference: str) -> None:
    """A ruled one-row grid "Case ref | reference" at 40 mm from the top."""
    draw = ImageDraw.Draw(page)
    left, top, middle, right, bottom = px(20), px(40), px(60), px(120), px(48)
    draw.rectangle((left, top, right, bottom), outline=20, width=3)
    draw.line((middle, top, middle, bottom), fill=20, width=3)
    face = ImageFont.truetype(TYPEFACES["liberation-sans"], round(11 * 300 / 72))
    draw.text((left + px(2), top + px(2)), "Case ref", font=face, fill=20)
    draw.text((middle + px(2), top + px(2)), reference, font=face, fill=20)


@pytest.mark.parametrize("opening", ["bullets", "short line", "large sentence", "grid row", "label-like words"])
def test_a_bare_reference_on_a_page_of_prose_never_links_the_pages_after_it(
    tmp_path: Path, people: list[Person], opening: str
) -> None:
    """A note's bare quote under bullet points, a short line, a sentence in large print or in a
    ruled grid row, with the note's paragraph below it: no sentence of body print above it, but
    a front sheet printing only a reference carries no paragraph."""
    child, other = people[8], people[5]
    lines: list[tuple[float, str, int]] = [(16.0, "File note", 14)]
    if opening == "bullets":
        lines += [(26.0, "- Sibling seen at school", 10), (32.0, "- Mother informed by phone", 10)]
    elif opening == "short line":
        lines += [(26.0, "Brother also known to us.", 11)]
    elif opening == "large sentence":
        lines += [(26.0, "Her brother has an open file too; see the reference below.", 14)]
    elif opening == "label-like words":  # sentences opening with a person's label word are no form
        lines += [(26.0, "Child presented as relaxed and chatty throughout the visit.", 10)]
        lines += [(32.0, "Name of the school nurse withheld at her request.", 10)]
    if opening != "grid row":
        lines += [(40.0, f"Reference: {other.case_reference}", 11)]
    lines += [(56.0 + 6 * n, PROSE[n % len(PROSE)], 10) for n in range(3)]
    page = typed_page(lines, "liberation-serif", 248)
    if opening == "grid row":
        _grid_row(page, other.case_reference)
    links = decided(within_a_case_file(page, child, tmp_path, 300), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


@pytest.mark.parametrize(
    "below",
    [(), ((46, "Please keep this sheet on top of the file and do not remove any pages from it.", 8),)],
)
def test_a_sparse_front_sheet_with_only_a_reference_is_still_linked(
    tmp_path: Path, people: list[Person], below: tuple[tuple[float, str, int], ...]
) -> None:
    """A heading and a reference, perhaps a line of instructions under them: a front sheet, however
    wide its heading and value run against a sparse page's margin."""
    child = people[9]
    cover = typed_page(
        [(16, "CASE FILE", 18), (34, f"Case Reference:    {child.case_reference}", 12), *below], "dejavu", 250
    )
    _starts_and_links(cover, child, people, tmp_path, 55)


@pytest.mark.parametrize("heading_points", [14, 18])
def test_a_front_sheet_with_only_a_reference_under_its_heading_is_still_linked(
    tmp_path: Path, people: list[Person], heading_points: int
) -> None:
    """A heading is larger print than a sentence, however wide it runs."""
    child = people[9]
    cover = typed_page(
        [
            (16, "Children and Families Service: Safeguarding Case File", heading_points),
            (34, f"Case reference: {child.case_reference}", 12),
        ],
        "dejavu",
        246,
    )
    _starts_and_links(cover, child, people, tmp_path, 53)


@pytest.mark.parametrize("sentences, expected", [(0, 0), (1, 1), (3, 3)])
def test_prose_lines_in_body_print_above_a_label_count_sentences_not_headings_or_fields(
    sentences: int, expected: int
) -> None:
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    draw.text((80, 30), "Safeguarding Case File Front Sheet", font=ImageFont.truetype(TYPEFACES["dejavu"], 24), fill=0)
    body = ImageFont.truetype(TYPEFACES["dejavu"], 14)
    for row in range(sentences):
        draw.text((80, 80 + 20 * row), PROSE[row], font=body, fill=0)
    draw.text((80, 160), "Case reference:", font=body, fill=0)
    draw.text((300, 160), "SGD-2024-0412", font=body, fill=0)
    draw.text((80, 400), PROSE[4], font=body, fill=0)  # below the label: not counted
    lines = prose_lines(text_ink(page, 100), 100)
    assert sum(bottom <= 155 and in_body_print((top, bottom), 100) for top, bottom in lines) == expected


def test_a_bare_reference_over_a_table_of_actions_never_links_the_pages_after_it(
    tmp_path: Path, people: list[Person]
) -> None:
    """A plan's page quoting another child's bare reference over a ruled table of short cells: no
    prose anywhere, but no front sheet printing only a reference is so full."""
    child, other = people[8], people[4]
    page = typed_page(
        [(16.0, "Child Protection Plan - Actions", 16), (30.0, f"Case ref: {other.case_reference}", 12)],
        "liberation-sans",
        235,
    )
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(TYPEFACES["liberation-sans"], round(11 * 300 / 72))
    rows = [("Action", "Who", "By when")] + [(task, who, f"{day:02d}/0{month}/2022") for day, month, task, who in (
        (5, 3, "Core group", "SW"), (25, 9, "Housing referral", "Parent"), (21, 2, "Home visit", "SW"),
        (20, 8, "GP check", "HV"), (19, 5, "Home visit", "Parent"), (16, 9, "Core group", "SW"),
    )]  # fmt: skip
    for row, cells in enumerate(rows):
        top = px(42 + 9 * row)
        for column, (left, right) in enumerate(((20, 110), (110, 150), (150, 190))):
            draw.rectangle((px(left), top, px(right), top + px(9)), outline=20, width=3)
            draw.text((px(left + 2), top + px(2)), cells[column], font=face, fill=20)
    links = decided(within_a_case_file(page, child, tmp_path, 200), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


@pytest.mark.parametrize("layout", ["diocesan-table", "boxed"])
def test_a_front_sheet_whose_name_and_birth_boxes_are_blank_is_still_linked(
    tmp_path: Path, people: list[Person], layout: str
) -> None:
    """A form's "Subject" and "D.O.B." boxes left blank, a paragraph below: a bare reference on a
    fuller page than a note's quote needs, but a front sheet by its labels."""
    child = people[9]
    cover = draw_cover(child, layout, 300, show_name=False, show_dob=False)
    _starts_and_links(cover, child, people, tmp_path, 57)
