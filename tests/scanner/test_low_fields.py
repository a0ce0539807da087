"""Front sheets whose fields sit low on the page, under a full top: a seventh tester's covers
merged 13 of 187 times, all of them of this kind (a "CASE DETAILS" block under a paragraph, a
box beside a narrow column of text, a reference only in the footer). Real tesseract on rendered
pages; the designs here are drawn anew, in other fonts and places."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.labels import TOP_FRACTION
from synthetic.people import Person
from tests.support.covers import TYPEFACES, batch_behind_a_cover, own_cover, page_behind_a_cover, px

PROSE = (
    "the family was seen at home and the school reported that attendance had improved since the "
    "last review although the worker noted concerns about supervision in the evenings and agreed "
    "a plan with the parents to meet again within four weeks with the health visitor present"
)


def _sheet(paper: int = 248) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    page = Image.new("L", (px(210), px(297)), paper)
    return page, ImageDraw.Draw(page)


def _font(face: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(TYPEFACES[face], round(points * 300 / 72))


def _paragraph(draw: ImageDraw.ImageDraw, top_mm: float, width_mm: float, lines: int, face: str, seed: int) -> float:
    """Lines of justified-looking prose from 20 mm, `width_mm` wide; where the text ends (mm)."""
    rng, font = random.Random(seed), _font(face, 11)
    for number in range(lines):
        line = rng.choice(PROSE.split())
        while draw.textlength(longer := f"{line} {rng.choice(PROSE.split())}", font=font) < px(width_mm):
            line = longer
        draw.text((px(20), px(top_mm + 5.2 * number)), line, font=font, fill=25)
    return top_mm + 5.2 * lines


def _letterhead(draw: ImageDraw.ImageDraw, face: str) -> None:
    draw.text((px(20), px(14)), "Westmarch Safeguarding Service", font=_font(face + "-bold", 17), fill=15)
    draw.text((px(20), px(23)), "4 Abbey Yard, Westmarch WM1 2AB  ·  01234 567890", font=_font(face, 9), fill=60)


def fields_under_a_paragraph(person: Person, face: str, label: str) -> Image.Image:
    page, draw = _sheet()
    _letterhead(draw, face)
    end = _paragraph(draw, 40, 170, 22, face, seed=len(label))
    draw.text((px(20), px(end + 8)), "Details of the case", font=_font(face + "-bold", 13), fill=15)
    for row, (name, value) in enumerate(
        [(label, person.case_reference), ("Name", person.name), ("Born", f"{person.date_of_birth:%d/%m/%Y}")]
    ):
        draw.text((px(20), px(end + 18 + 8 * row)), name, font=_font(face + "-bold", 11), fill=15)
        draw.text((px(75), px(end + 18 + 8 * row)), value, font=_font(face, 12), fill=15)
    return page


def box_beside_a_column(person: Person, face: str, label: str) -> Image.Image:
    page, draw = _sheet(240)
    _letterhead(draw, face)
    _paragraph(draw, 40, 105, 36, face, seed=7)
    draw.rectangle((px(135), px(160), px(192), px(202)), outline=30, width=5)
    draw.text((px(139), px(164)), label, font=_font(face + "-bold", 10), fill=15)
    draw.text((px(139), px(172)), person.case_reference, font=_font(face, 12), fill=15)
    draw.text((px(139), px(182)), person.name, font=_font(face, 10), fill=15)
    draw.text((px(139), px(190)), f"{person.date_of_birth:%d.%m.%Y}", font=_font(face, 10), fill=15)
    return page


def reference_in_the_footer(person: Person, face: str, label: str) -> Image.Image:
    page, draw = _sheet()
    _letterhead(draw, face)
    title = _font(face + "-bold", 22)
    text = "CHILD PROTECTION FILE"
    draw.text(((page.width - draw.textlength(text, font=title)) / 2, px(70)), text, font=title, fill=15)
    draw.line((px(20), px(281), px(190), px(281)), fill=60, width=3)
    draw.text((px(20), px(284)), f"{label} {person.case_reference}", font=_font(face, 9), fill=30)
    draw.text((px(165), px(284)), "Page 1 of 1", font=_font(face, 9), fill=30)
    return page


def small_footer_under_a_name(
    person: Person, face: str, label: str, points: float = 7.5, summary: bool = False
) -> Image.Image:
    """A sheet that names its child and birth date at the top with no label, in large print, and
    gives its reference only in a small-print footer; between them one line, or with `summary` a
    paragraph of prose and a list, as a case summary's front page fills its top."""
    page, draw = _sheet(236 if summary else 252)
    draw.text((px(24), px(22)), person.name, font=_font(face + "-bold", 17), fill=10)
    draw.text((px(24), px(34)), f"{person.date_of_birth:%d %B %Y}", font=_font(face, 13), fill=10)
    draw.text((px(24), px(52)), "Held: plans, reviews, letters", font=_font(face, 12), fill=20)
    if summary:
        end = _paragraph(draw, 62, 165, 4, face, seed=7)
        for row, agency in enumerate(("School nurse", "Youth offending team", "Housing officer")):
            draw.text((px(28), px(end + 6 + 6 * row)), f"- {agency}", font=_font(face, 11), fill=25)
    footer = f"{label} {person.case_reference}   ·   Printed 04/02/2021"
    draw.text((px(24), px(283)), footer, font=_font(face, points), fill=25)
    return page


def box_left_of_a_column(person: Person, face: str, label: str) -> Image.Image:
    """A new user's design: the framed fields on the left, half-way down, the notes' column to
    their right, the label and its value on one line."""
    page, draw = _sheet()
    _letterhead(draw, face)
    rng, font = random.Random(11), _font(face, 11)
    for number in range(40):
        line = rng.choice(PROSE.split())
        while draw.textlength(longer := f"{line} {rng.choice(PROSE.split())}", font=font) < px(95):
            line = longer
        draw.text((px(95), px(40 + 5.2 * number)), line, font=font, fill=25)
    draw.rectangle((px(18), px(140), px(88), px(172)), outline=20, width=4)
    draw.text((px(21), px(144)), f"{label} {person.case_reference}", font=_font(face, 10), fill=15)
    draw.text((px(21), px(153)), f"Name: {person.name}", font=_font(face, 10), fill=15)
    draw.text((px(21), px(162)), f"DOB: {person.date_of_birth:%d/%m/%Y}", font=_font(face, 10), fill=15)
    return page


DESIGNS = {
    "box left of a column": box_left_of_a_column,
    "fields under a paragraph": fields_under_a_paragraph,
    "box beside a column": box_beside_a_column,
    "reference in the footer": reference_in_the_footer,
    "small footer under a name": small_footer_under_a_name,
}


@pytest.mark.parametrize(
    ("design", "face", "label", "dpi"),
    [
        ("fields under a paragraph", "dejavu", "Case Reference:", 300),
        ("fields under a paragraph", "liberation-sans", "File No.", 200),
        ("fields under a paragraph", "dejavu", "Ref No.", 200),
        ("box beside a column", "liberation-sans", "Case Reference", 300),
        ("box beside a column", "dejavu", "Our ref", 200),
        ("reference in the footer", "dejavu", "File ref:", 300),
        ("reference in the footer", "liberation-sans", "Case No:", 200),
        ("box left of a column", "liberation-sans", "Case Ref:", 200),
        ("box left of a column", "dejavu", "Case No:", 300),
        ("small footer under a name", "liberation-sans", "Case file reference", 300),
        ("small footer under a name", "dejavu", "Our ref.", 300),
        ("small footer under a name", "liberation-sans", "File number", 200),
        ("small footer under a name", "dejavu", "Reference number", 200),
    ],
)
def test_a_cover_with_its_fields_low_on_a_full_page_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], design: str, face: str, label: str, dpi: int
) -> None:
    person = people[4]
    cover = own_cover(batch_behind_a_cover(tmp_path, people, DESIGNS[design](person, face, label), dpi))
    assert cover.case_reference in (person.case_reference, None), cover
    assert cover.case_reference != people[0].case_reference


@pytest.mark.parametrize(
    ("face", "label", "points", "skew"),
    [
        ("liberation-sans", "Case no.", 7, 2.2),
        ("dejavu", "File ref", 7.5, -1.8),
        ("liberation-sans", "Reference", 8, 0.6),
    ],
)
def test_a_small_footer_under_a_full_top_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], face: str, label: str, points: float, skew: float
) -> None:
    """The top is full (a summary's prose and list), so it is no sparse sheet; askew on grey paper
    at 200 dpi, the 7 pt footer read as garbage on the triage copy (a fresh tester's, merged)."""
    page = small_footer_under_a_name(people[6], face, label, points, summary=True)
    page = page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=236)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, 200))
    assert cover.case_reference in (people[6].case_reference, None), cover


# Not the box left of a column: thresholded and 1.4° askew, its first line runs into the frame's
# top rule and only the name reads (README, known limits).
@pytest.mark.parametrize("design", ["box beside a column", "fields under a paragraph", "reference in the footer"])
def test_the_same_covers_thresholded_and_askew_still_split(tmp_path: Path, people: list[Person], design: str) -> None:
    page = DESIGNS[design](people[5], "dejavu", "Case Reference:")
    scanned = page.rotate(-1.4, resample=Image.Resampling.BICUBIC, fillcolor=248).point(lambda v: 255 if v > 150 else 0)
    own_cover(batch_behind_a_cover(tmp_path, people, scanned.convert("L"), 200))


def test_a_letter_of_prose_with_a_signature_and_a_page_footer_stays_a_continuation(
    tmp_path: Path, people: list[Person]
) -> None:
    """Reading below a page's top costs a letter little and finds nothing in it: only the first
    and last line of each paragraph, the signature and the footer are read."""
    page, draw = _sheet()
    _letterhead(draw, "dejavu")
    end = _paragraph(draw, 45, 170, 16, "dejavu", seed=3)
    end = _paragraph(draw, end + 6, 170, 12, "dejavu", seed=4)
    draw.text((px(20), px(end + 10)), "Yours sincerely,", font=_font("dejavu", 11), fill=25)
    draw.text((px(20), px(end + 28)), "Hannah Okafor, Safeguarding Lead", font=_font("dejavu", 11), fill=25)
    draw.text((px(20), px(284)), "OFFICIAL - SENSITIVE", font=_font("dejavu", 9), fill=30)
    draw.text((px(165), px(284)), "Page 2 of 3", font=_font("dejavu", 9), fill=30)
    result = page_behind_a_cover(tmp_path, people, page, 5)
    assert [(c.first_page, c.last_page, c.doubts) for c in result.case_files] == [(1, 3, ())]


@pytest.mark.parametrize(
    ("text", "face", "points", "above_mm"),
    [
        ("Case Reference: {}", "liberation-sans", 12, 2.0),
        ("File No. {}", "dejavu", 14, 3.5),
        ("{}", "liberation-serif", 20, 4.0),  # unlabelled, centred
        ("{}", "dejavu-bold", 18, 2.5),
    ],
)
def test_a_field_lying_across_where_the_top_ends_is_read(
    tmp_path: Path, people: list[Person], text: str, face: str, points: float, above_mm: float
) -> None:
    """A tester's "Case Reference: …" drawn across 45 % of the page height merged its cover on a
    clean scan: the top's last rows and the lower part's first each held half a line. Each
    line here starts `above_mm` above that row, so it is cut there."""
    person = people[3]
    page, draw = _sheet(250)
    draw.text((px(105), px(18)), "PRIVATE AND CONFIDENTIAL", font=_font("dejavu-bold", 14), anchor="ma")
    font = _font(face, points)
    line = text.format(person.case_reference)
    draw.text((px(105), px(297 * TOP_FRACTION - above_mm)), line, font=font, fill=15, anchor="ma")
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, 300))
    assert cover.case_reference in (person.case_reference, None), cover


def named_at_the_top_referenced_in_the_footer(
    person: Person, face: str, footer: str, points: float, hidden: bool = False
) -> Image.Image:
    """A fresh tester's design (tryout 24): a title, the child's labelled name and date of birth
    under it, and `footer` in small print at the foot; with `hidden`, a "Case reference:" line
    at the top whose value a black bar covers (tryout 25's smudged references)."""
    page, draw = _sheet(244)
    _letterhead(draw, face)
    draw.text((px(60), px(40)), "Child Protection File", font=_font(face + "-bold", 18), fill=15)
    rows = [("Name:", person.name), ("Date of birth:", f"{person.date_of_birth:%d/%m/%Y}")]
    for row, (label, value) in enumerate([("Case reference:", ""), *rows] if hidden else rows):
        draw.text((px(20), px(55 + 8 * row)), label, font=_font(face, 12), fill=15)
        draw.text((px(70), px(55 + 8 * row)), value, font=_font(face, 12), fill=15)
    if hidden:
        draw.rectangle((px(69), px(54), px(110), px(60)), fill=10)
    draw.text((px(20), px(270)), footer, font=_font(face, points), fill=25)
    draw.text((px(80), px(280)), "OFFICIAL - SENSITIVE", font=_font(face + "-bold", 9), fill=25)
    return page


@pytest.mark.parametrize(
    ("face", "label", "points", "dpi"),
    [
        ("liberation-sans", "Case ref:", 9, 200),
        ("dejavu", "Reference:", 10, 200),
        ("liberation-sans", "File No.", 9, 300),
    ],
)
def test_a_reference_only_in_the_footer_under_a_named_top_is_read(
    tmp_path: Path, people: list[Person], face: str, label: str, points: float, dpi: int
) -> None:
    """The top showed the child, so the foot was never read and the cover waited for a person
    as unreadable: a top that names no case has its foot read too."""
    page = named_at_the_top_referenced_in_the_footer(people[3], face, f"{label} {people[3].case_reference}", points)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, dpi))
    assert cover.case_reference == people[3].case_reference


@pytest.mark.parametrize(
    "footer", ["Form CP-2019-001 (rev 3)", "Linked file: JD-2018-4471", "Printed by Print Unit job PU-2020-1145"]
)
def test_a_footer_s_unlabelled_number_names_no_case(tmp_path: Path, people: list[Person], footer: str) -> None:
    """Its reference hidden, the cover's foot may print a form's or a print job's number, or a
    sibling's file under a label of no reference: read so, it named a case, well formed and with
    no doubt (tryout 25). The cover waits for a person as unreadable."""
    page = named_at_the_top_referenced_in_the_footer(people[2], "liberation-sans", footer, 10, hidden=True)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, 200))
    assert cover.case_reference is None, cover.case_reference
