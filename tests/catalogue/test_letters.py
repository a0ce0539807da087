"""A letter about another person filed inside a case file (a sibling's, a twin's: "Your ref" and
"Re:" both name them) must never carry the pages after it into that person's record: a tester's
batches did so 24 times in 24, each with no word said. Scanned and decided for real: tesseract on
drawn pages, the catalogue's own decision against a template holding both children."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.cover import letter_marks
from scanner.layout import group_lines
from scanner.tesseract import Word
from store.states import LINKED_BY_SERVICE
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import TYPEFACES, px
from tests.support.siblings import (
    decided,
    only_the_childs_pages_are_linked,
    typed_page,
    within_a_case_file,
)


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(10, seed=23)


def _about(other: Person, label: str, greeting: bool, font: str, paper: int) -> Image.Image:
    """A police or school letter about `other`: their reference beside `label`, their name and
    date of birth on the subject line, with or without "Dear …" and "Yours sincerely"."""
    lines = [
        (14, "Westbury Police - Public Protection Unit", 12),
        (20, "1 High Street, Westbury WB2 3CD", 9),
        (40, f"{label} {other.case_reference}", 10),
        (47, "04 March 2022", 10),
        (60, f"Re: {other.name}, DOB {other.date_of_birth:%d/%m/%Y}", 10),
    ]
    body = [
        "We write about the incident reported at the family home last week and the",
        "strategy discussion that followed. Officers attended and spoke with the family.",
        "A further visit is planned and we will share the outcome with your team.",
    ]
    top = 70
    if greeting:
        lines.append((top, "Dear Colleague,", 10))
        top += 8
    lines += [(top + 6 * n, text, 10) for n, text in enumerate(body)]
    if greeting:
        lines.append((top + 30, "Yours sincerely,", 10))
    return typed_page(lines, font, paper)


def _email(other: Person, headers: Sequence[str], font: str, paper: int) -> Image.Image:
    """A printed e-mail or memo about `other`: header lines (`headers`' words, each with its value
    in a column), their name, date of birth and reference on the subject line, a short body."""
    values = {
        "From:": "duty.team@westbury.example",
        "Sent:": "02/08/2023 09:41",
        "To:": "safeguarding@westbury.example",
        "Cc:": "school.nurse@westbury.example",
        "Date:": "2 August 2023",
        "Subject:": f"RE: {other.name} DOB {other.date_of_birth:%d/%m/%Y} ref {other.case_reference}",
    }
    top = 24 + 7 * len(headers)
    body = "Following up on the visit this morning - notes attached, more to follow after the meeting."
    page = typed_page([(14, "MEMORANDUM", 14)] if "Date:" in headers else [], font, paper)
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(TYPEFACES[font], round(11 * 300 / 72))
    for n, word in enumerate(headers):
        draw.text((px(24), px(24 + 7 * n)), word, font=face, fill=20)
        draw.text((px(50), px(24 + 7 * n)), values[word], font=face, fill=20)
    draw.line([(px(24), px(top - 2)), (px(190), px(top - 2))], fill=60, width=3)
    draw.text((px(24), px(top + 4)), body, font=face, fill=20)
    return page


def _referral(other: Person, wording: str, font: str, paper: int) -> Image.Image:
    """A multi-agency referral form's page whose sentence, wrapped so that a line opens with the
    words before the reference, quotes `other`'s reference."""
    opening, rest = wording.split("|")
    return typed_page(
        [
            (14, "Multi-agency referral form", 14),
            (24, "Section 3 - reason for referral", 11),
            (34, f"The family is already known to the service and was visited last spring. {opening}", 10),
            (40, rest.format(reference=other.case_reference), 10),
            (46, "The referrer is worried about attendance and presentation at school.", 10),
        ],
        font,
        paper,
    )


@pytest.mark.parametrize(
    "label, greeting, font, paper",
    [
        ("Your ref:", True, "dejavu", 250),
        ("Your Ref.", False, "liberation-serif", 236),
        ("Our ref:", True, "liberation-sans", 244),
        ("Our ref:", False, "dejavu-mono", 228),
        ("Their ref:", True, "liberation-sans-bold", 252),
    ],
)
def test_a_letter_about_a_sibling_never_links_the_pages_after_it_to_the_sibling(
    tmp_path: Path, people: list[Person], label: str, greeting: bool, font: str, paper: int
) -> None:
    child, sibling = people[2], people[3]
    links = decided(within_a_case_file(_about(sibling, label, greeting, font, paper), child, tmp_path), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


@pytest.mark.parametrize(
    "headers, font, paper, dpi",
    [
        (("From:", "Sent:", "To:", "Subject:"), "liberation-sans", 250, 300),
        (("From:", "Sent:", "To:", "Cc:", "Subject:"), "dejavu", 238, 200),
        (("To:", "From:", "Date:", "Subject:"), "liberation-serif", 246, 300),
        (("From:", "Subject:"), "dejavu-mono", 230, 300),
    ],
)
def test_a_printed_email_about_a_sibling_never_links_the_pages_after_it_to_the_sibling(
    tmp_path: Path, people: list[Person], headers: tuple[str, ...], font: str, paper: int, dpi: int
) -> None:
    """A tester's printed e-mails ("Subject: RE: <sibling> DOB … ref …") were linked to the
    sibling automatically, with the child's own notes after them, 30 times in 32."""
    child, sibling = people[4], people[6]
    links = decided(within_a_case_file(_email(sibling, headers, font, paper), child, tmp_path, dpi), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


@pytest.mark.parametrize(
    "wording, font",
    [
        ("Her brother's|file, reference {reference}, was opened after a referral from the school.", "liberation-serif"),
        ("His sister is known under|case reference {reference} since 2019, after a strategy meeting.", "dejavu"),
        ("A cousin's|reference {reference} was closed last year when the family moved away.", "liberation-sans"),
        ("The cousin's|Case No {reference} stays open until the review in March.", "dejavu-mono"),
    ],
)
def test_a_reference_quoted_in_a_sentence_never_links_the_pages_after_it(
    tmp_path: Path, people: list[Person], wording: str, font: str
) -> None:
    child, sibling = people[2], people[8]
    links = decided(within_a_case_file(_referral(sibling, wording, font, 240), child, tmp_path, 300), people)
    only_the_childs_pages_are_linked(links, people.index(child) + 1)


@pytest.mark.parametrize("font", ["dejavu", "liberation-serif"])
def test_a_cover_using_our_ref_as_its_label_is_still_linked(tmp_path: Path, people: list[Person], font: str) -> None:
    """Offices print "Our ref" on their own front sheets: without a letter's marks, its name and
    date of birth fields vouch for it as before."""
    child = people[5]
    cover = typed_page(
        [
            (16, "Children's Services - Case file", 16),
            (34, f"Our ref: {child.case_reference}", 12),
            (42, f"Name: {child.name}", 12),
            (50, f"Date of birth: {child.date_of_birth:%d/%m/%Y}", 12),
        ],
        font,
        246,
    )
    pages = [draw_cover(people[1], "boxed", 300), draw_continuation(41, 300), cover, draw_continuation(42, 300)]
    links = decided(write_pdf(pages, tmp_path / "batch.pdf", 300), people)
    assert [(link.first_page, link.last_page) for link in links] == [(1, 2), (3, 4)]
    assert links[1].state in LINKED_BY_SERVICE and links[1].record_id == people.index(child) + 1, links[1].reason


def _line(*texts: str) -> list[Word]:
    words, left = [], 100
    for text in texts:
        words.append(Word(text, 90.0, left, 200, 20 * len(text), 40))
        left += 20 * len(text) + 20
    return words


@pytest.mark.parametrize(
    "texts, marked",
    [
        (("Dear", "Ms", "Example,"), True),
        (("Yours", "faithfully,"), True),
        (("Kind", "regards"), True),
        (("Your", "ref:", "SGD-2024-0412"), True),
        (("Re:", "Jack", "Smith"), True),
        (("Case", "Reference:", "SGD-2024-0412"), False),
        (("Our", "ref:", "SGD-2024-0412"), False),
        (("Endeared", "to", "the", "family"), False),
        (("Name:", "Jack", "Smith"), False),
        (("From:", "duty.team@example.org", "/", "Subject:", "RE:", "Jack"), False),  # headers open lines
    ],
)
def test_what_marks_a_page_as_a_letter(texts: tuple[str, ...], marked: bool) -> None:
    assert bool(letter_marks(group_lines(_line(*texts)))) is marked


def _lines(*rows: tuple[str, ...]) -> list[Word]:
    return [
        Word(w.text, w.confidence, w.left, w.top + 80 * n, w.width, w.height)
        for n, row in enumerate(rows)
        for w in _line(*row)
    ]


@pytest.mark.parametrize(
    "rows, marked",
    [
        ((("From:", "duty.team@example.org"), ("Subject:", "RE:", "Jack", "Smith")), True),
        ((("To:", "Safeguarding", "Lead"), ("From:", "School", "Nurse")), True),
        ((("Sent:", "02/08/2023"), ("Cc:", "Duty", "Team")), True),
        ((("Subject:", "Jack", "Smith"), ("Case", "ref:", "SGD-2024-0412")), False),  # a cover's "Subject"
        ((("To", "be", "seen", "weekly"), ("From", "2019", "onwards")), False),
    ],
)
def test_an_emails_or_memos_header_marks_a_letter(rows: tuple[tuple[str, ...], ...], marked: bool) -> None:
    assert bool(letter_marks(group_lines(_lines(*rows)))) is marked


def test_a_subject_line_beside_a_name_field_is_a_covers() -> None:
    words = _line("Re:", "Child", "protection") + [
        Word(w.text, w.confidence, w.left, w.top + 80, w.width, w.height) for w in _line("Name:", "Jack", "Smith")
    ]
    assert letter_marks(group_lines(words)) == ""
