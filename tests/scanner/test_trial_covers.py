"""Covers a new user drew when trying the scanner (issue 12's kind, found after the fix): each sits
in a batch behind another cover and a continuation page, so a miss shows as a merge."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy
import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.covers import DPI, FONTS, TYPEFACES, batch_behind_a_cover, own_cover, px


def _page(lines: Sequence[tuple[float, str, int]], font: str) -> Image.Image:
    """An A4 page with each (mm from the top, text, points) line at 20 mm from the left."""
    page = Image.new("L", (px(210), px(297)), 250)
    draw = ImageDraw.Draw(page)
    for top, text, points in lines:
        draw.text((px(20), px(top)), text, font=ImageFont.truetype(FONTS[font], round(points * DPI / 72)), fill=20)
    return page


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return make_people(8, seed=11)


@pytest.mark.parametrize("letterhead_lines", [5, 8, 10])
@pytest.mark.parametrize("font", sorted(FONTS))
def test_a_cover_whose_labels_stand_below_a_letterhead_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], letterhead_lines: int, font: str
) -> None:
    person = people[3]
    lines = [(12 + 6 * n, f"St Example's Diocese, line {n + 1} of the letterhead", 11) for n in range(letterhead_lines)]
    top = 16 + 6 * letterhead_lines
    lines += [
        (top, "CASE FILE", 14),
        (top + 10, f"Case Reference: {person.case_reference}", 12),
        (top + 17, f"Name: {person.name}", 12),
    ]
    result = batch_behind_a_cover(tmp_path, people, _page(lines, font))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    assert result.case_files[1].cover is not None
    assert result.case_files[1].cover.case_reference == person.case_reference


def _symbol(text: str, symbology: zxingcpp.BarcodeFormat, size_mm: float) -> Image.Image:
    picture = zxingcpp.create_barcode(text, symbology).to_image(scale=4, add_quiet_zones=True)
    image = Image.fromarray(numpy.asarray(picture)).convert("L")
    side = px(size_mm)
    return image.resize((side, round(side * image.height / image.width)), Image.Resampling.NEAREST)


@pytest.mark.parametrize(
    "second, size_mm",
    [
        (zxingcpp.BarcodeFormat.DataMatrix, 10),
        (zxingcpp.BarcodeFormat.DataMatrix, 14),
        (zxingcpp.BarcodeFormat.Code128, 55),
    ],
)
def test_a_small_second_code_beside_a_qr_is_seen_and_both_go_to_a_person(
    tmp_path: Path, people: list[Person], second: zxingcpp.BarcodeFormat, size_mm: float
) -> None:
    one, other = people[4], people[5]
    page = _page([(15, "Safeguarding front sheet", 16), (30, "Case Reference:", 12)], "dejavu")
    page.paste(_symbol(one.case_reference, zxingcpp.BarcodeFormat.QRCode, 18), (px(120), px(20)))
    page.paste(_symbol(other.case_reference, second, size_mm), (px(120), px(45)))
    result = batch_behind_a_cover(tmp_path, people, page)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    cover = result.case_files[1].cover
    assert cover is not None and cover.case_reference is None
    assert {c.case_reference for c in cover.candidates} == {one.case_reference, other.case_reference}


@pytest.mark.parametrize("label", ["Your ref:", "Our ref:", "Your Ref."])
def test_a_letters_reference_is_weighed_as_one_loose_in_the_text(
    tmp_path: Path, people: list[Person], label: str
) -> None:
    """A letter filed in a case file may quote another case's reference in its header: the page
    may start a case file (the safe side), but its reading must not count as a cover's label."""
    other = people[6]
    letter = _page(
        [
            (15, "Exampleton Borough Council", 14),
            (26, f"{label} {other.case_reference}", 11),
            (33, "Date: 4 March 2024", 11),
            (45, "Dear Ms Example,", 11),
            (52, "Thank you for your letter about the family's housing.", 11),
        ],
        "dejavu",
    )
    result = batch_behind_a_cover(tmp_path, people, letter)
    holder = next(c for c in result.case_files if c.first_page <= 3 <= c.last_page)
    if holder.first_page == 3:  # it started a case file: its reading counts as loose, not a label
        assert holder.cover is not None
        quoted = [c for c in holder.cover.candidates if c.case_reference == other.case_reference]
        assert quoted and not any(c.labelled for c in quoted)
    else:  # it stayed a continuation page: a doubt keeps the case file from an automatic link
        assert any(page == 3 for page, _ in holder.doubts)


@pytest.mark.parametrize("label", ["CaseRef:", "RefNo.", "CaseReference:", "FileNo:"])
@pytest.mark.parametrize("font", sorted(FONTS))
def test_a_cover_printing_its_label_as_one_word_below_a_letterhead_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], label: str, font: str
) -> None:
    """Some case systems print labels without a space ("CaseRef:"), and tight print makes
    tesseract run a label's words together: below a letterhead, where a bare reference is not
    evidence enough, such a label must still be seen."""
    person = people[4]
    lines = [(12 + 6 * n, f"St Example's Diocese, line {n + 1} of the letterhead", 11) for n in range(8)]
    lines += [(70, f"{label} {person.case_reference}", 12), (77, f"Name: {person.name}", 12)]
    result = batch_behind_a_cover(tmp_path, people, _page(lines, font))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    assert result.case_files[1].cover is not None
    assert result.case_files[1].cover.case_reference == person.case_reference
    assert result.case_files[1].cover.candidates[0].labelled


@pytest.mark.parametrize("points", [12, 14, 16, 20])
@pytest.mark.parametrize("font", sorted(FONTS))
def test_a_name_and_birth_block_in_large_print_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], points: int, font: str
) -> None:
    """A second user's trial: "Name:" and "Date of Birth:" in 14 pt under a heading, no reference,
    was merged into the case file before it, because the first 14 mm of "Date of Birth" in
    large print is "Date", and "Date" opens any letter's line."""
    person = people[5]
    step = points * 0.6
    lines = [(25, "SAFEGUARDING CASE FILE", points), (25 + step, f"Name: {person.name.upper()}", points)]
    lines += [(25 + 2 * step, f"Date of Birth: {person.date_of_birth:%d/%m/%Y}", points)]
    result = batch_behind_a_cover(tmp_path, people, _page(lines, font))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


@pytest.mark.parametrize("points", [12, 14, 18])
@pytest.mark.parametrize("label", ["Client No:", "Client ref:"])
def test_a_reference_in_large_print_beside_a_client_label_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], points: int, label: str
) -> None:
    person = people[6]
    spaced = person.case_reference.replace("-", " ")
    lines = [(25, f"{label} {spaced}", points), (25 + points * 0.6, f"Client: {person.name}", points)]
    result = batch_behind_a_cover(tmp_path, people, _page(lines, "dejavu"))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    assert result.case_files[1].cover is not None
    assert result.case_files[1].cover.case_reference == person.case_reference


@pytest.mark.parametrize("band", [40, 60, 90])
@pytest.mark.parametrize("width_mm", [170, 110])
def test_a_cover_printing_its_fields_white_on_a_dark_band_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], band: int, width_mm: int
) -> None:
    """A second user's trial: "CASE REF:", "NAME:" and "DOB:" white on a dark grey band showed
    triage only a block, and the cover was merged into the case file before it."""
    person = people[7]
    page = Image.new("L", (px(210), px(297)), 250)
    draw = ImageDraw.Draw(page)
    draw.text((px(20), px(15)), "Safeguarding front sheet", font=ImageFont.truetype(FONTS["dejavu"], 50), fill=20)
    draw.rectangle((px(15), px(30), px(15 + width_mm), px(62)), fill=band)
    small = ImageFont.truetype(FONTS["dejavu"], round(12 * DPI / 72))
    for top, label, value in [(35, "CASE REF:", person.case_reference), (44, "NAME:", person.name)]:
        draw.text((px(20), px(top)), label, font=small, fill=255)
        draw.text((px(65), px(top)), value, font=small, fill=255)
    draw.text((px(20), px(53)), "DOB:", font=small, fill=255)
    draw.text((px(65), px(53)), f"{person.date_of_birth:%d/%m/%Y}", font=small, fill=255)
    result = batch_behind_a_cover(tmp_path, people, page)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


def _stamped(fields: Sequence[tuple[float, str, str]], font: str, stamp_top_mm: float) -> Image.Image:
    """A cover whose labels are right-aligned against a column of values, with a rubber stamp
    ("CONFIDENTIAL" in a box, 25° askew) across its fields from `stamp_top_mm` down."""
    page = _page([(15, "Northmoor Borough Council", 16), (24, "Children's Services Department", 10)], font)
    draw = ImageDraw.Draw(page)
    letters = ImageFont.truetype(FONTS[font], round(12 * DPI / 72))
    for top, label, value in fields:
        draw.text((px(62), px(top)), label, font=letters, fill=20, anchor="ra")
        draw.text((px(66), px(top)), value, font=letters, fill=20, anchor="la")
    stamp = Image.new("L", (px(110), px(22)), 0)
    marks = ImageDraw.Draw(stamp)
    marks.rectangle((4, 4, stamp.width - 5, stamp.height - 5), outline=255, width=8)
    marks.text((px(6), px(3)), "CONFIDENTIAL", font=ImageFont.truetype(FONTS["dejavu"], px(14)), fill=255)
    turned = stamp.rotate(-25, expand=True, fillcolor=0)
    page.paste(Image.new("L", turned.size, 90), (px(40), px(stamp_top_mm)), turned)  # red ink, in grey
    return page


@pytest.mark.parametrize("font", sorted(FONTS))
def test_a_cover_with_a_stamp_across_its_fields_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str
) -> None:
    """A second user's trial: a red stamp across "Subject" and "D.O.B." joined the fields' lines
    into one band for triage, whose pieces started where its longest label did; the legible
    "Ref No." line at its top was never read, and the cover was merged into the case file before it."""
    person = people[1]
    fields = [(45, "Ref No.:", person.case_reference), (53, "Subject:", person.name)]
    fields += [(61, "D.O.B.:", f"{person.date_of_birth:%d/%m/%Y}"), (69, "Allocated to:", "Team 3 (East)")]
    result = batch_behind_a_cover(tmp_path, people, _stamped(fields, font, 48))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


@pytest.mark.parametrize("font, skew", [("dejavu", 0.0), ("dejavu", 1.0), ("dejavu", -1.0), ("dejavu", 2.0)])
def test_a_cover_whose_reference_label_a_stamp_crosses_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, skew: float
) -> None:
    """The stamp's frame runs through "Ref No." itself and the sheet is fed askew: the start of
    the reference's line reads as nothing, and the legible reference beside it was never read."""
    person = people[1]
    fields = [(45, "Ref No.:", person.case_reference), (53, "Subject:", person.name)]
    fields += [(61, "D.O.B.:", f"{person.date_of_birth:%d/%m/%Y}"), (69, "Allocated to:", "Team 3 (East)")]
    page = _stamped(fields, font, 44).rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=250)
    result = batch_behind_a_cover(tmp_path, people, page)
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


@pytest.mark.parametrize(
    "font, points, corner, whose",
    [
        ("dejavu-mono", 10, "top right", 5),
        ("dejavu-mono", 12, "top right", 2),
        ("dejavu-mono", 14, "top right", 7),
        ("dejavu-mono", 14, "under the letterhead", 5),
        ("liberation-mono", 14, "top right", 5),
        ("liberation-mono", 10, "under the letterhead", 0),
    ],
)
def test_an_unlabelled_reference_in_a_monospaced_font_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, points: int, corner: str, whose: int
) -> None:
    """A tester's cover: the reference alone, no label, typed in a monospaced font whose hyphen
    stands in a full letter's width, so tesseract reads "KLM- 2019-4412" with a space after the
    hyphen; the reference's start was not taken for one, and the cover was merged."""
    result = batch_behind_a_cover(tmp_path, people, _unlabelled(people[whose].case_reference, font, points, corner))
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


@pytest.mark.parametrize("points", [16, 18])
@pytest.mark.parametrize("whose", [1, 6])
def test_an_unlabelled_reference_in_large_bold_print_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], points: int, whose: int
) -> None:
    """Another tester's cover: "LADO-2019-6410" alone in 16 pt bold under a letterhead. The first
    14 mm of it read "LADO-", which ends before any digit, so the line was never read further."""
    reference = people[whose].case_reference.replace("SGD", "LADO").replace("DSA", "LADO")
    result = batch_behind_a_cover(
        tmp_path, people, _unlabelled(reference, "dejavu-bold", points, "under the letterhead")
    )
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]


def _unlabelled(reference: str, font: str, points: int, corner: str) -> Image.Image:
    """A letterhead, `reference` alone with no label in the top right corner or under the
    letterhead, and a page of case notes below."""
    page = _page([(20, "Northshire Council", 16), (30, "Children's Services", 11)], "liberation-serif")
    page.paste(draw_continuation(9, DPI).crop((0, px(60), px(210), px(297))), (0, px(60)))
    draw = ImageDraw.Draw(page)
    letters = ImageFont.truetype(TYPEFACES[font], round(points * DPI / 72))
    where = (px(190), px(15), "ra") if corner == "top right" else (px(20), px(45), "la")
    draw.text(where[:2], reference, font=letters, fill=20, anchor=where[2])
    return page


def _rubber_stamped(person: Person, font: str, points: int, across: int, ink: tuple[int, int, int]) -> Image.Image:
    """A colour scan of a plain labelled cover with a bold "RECEIVED" stamp in a frame, 8° askew,
    printed over field line `across` (0 the reference, 2 the date of birth) in `ink`, as a rubber
    stamp's ink darkens the paper and the print under it."""
    page = Image.new("RGB", (px(210), px(297)), (250, 250, 250))
    draw = ImageDraw.Draw(page)
    letters = ImageFont.truetype(FONTS[font], round(points * DPI / 72))
    fields = [f"Case Reference: {person.case_reference}", f"Name: {person.name}"]
    fields.append(f"Date of birth: {person.date_of_birth:%d/%m/%Y}")
    for number, text in enumerate(fields):
        draw.text((px(20), px(25 + 8 * number)), text, font=letters, fill=(15, 15, 15))
    stamp = Image.new("L", (px(150), px(26)), 0)
    marks = ImageDraw.Draw(stamp)
    marks.rectangle((4, 4, stamp.width - 5, stamp.height - 5), outline=255, width=6)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", round(32 * DPI / 72))
    marks.text((px(6), px(5)), "RECEIVED 04 NOV 2019", font=bold, fill=255)
    turned = stamp.rotate(8, expand=True, fillcolor=0)
    colour = Image.new("RGB", page.size, (255, 255, 255))
    colour.paste(Image.new("RGB", turned.size, ink), (px(18), px(25 + 8 * across) - turned.height // 2), turned)
    return ImageChops.multiply(page, colour)


@pytest.mark.parametrize(
    "font, points, across, ink",
    [
        ("dejavu", 11, 0, (200, 35, 45)),
        ("liberation-serif", 12, 2, (190, 30, 30)),
        ("dejavu", 12, 2, (40, 60, 190)),
        ("liberation-serif", 12, 0, (110, 110, 110)),
    ],
)
def test_a_cover_with_a_rubber_stamp_over_its_fields_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, points: int, across: int, ink: tuple[int, int, int]
) -> None:
    """A tester's stamps: a red, blue or grey "RECEIVED" stamp over the reference or the date of
    birth ran the fields and its own big letters into one muddle, and the cover was merged into
    the case file before it, which was linked. Now it starts its own case file or, where the
    stamp hides its label ("Case Reeang"), holds that case file back for a person."""
    result = batch_behind_a_cover(tmp_path, people, _rubber_stamped(people[4], font, points, across, ink))
    split = [(c.first_page, c.last_page) for c in result.case_files] == [(1, 2), (3, 4)]
    doubted = any(page == 3 for page, _ in result.case_files[0].doubts)
    assert split or doubted


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("fields_at", [0.45, 0.55, 0.63, 0.72])
def test_a_cover_whose_fields_start_halfway_down_the_page_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, fields_at: float
) -> None:
    """A tester's covers: a letterhead and white space, then the labelled fields at 45-72 % of
    the page's height, below the top 45 % triage read; the cover was merged. Held-out covers
    put them at 60-75 % below a logo, past where the first fix followed a sparse top."""
    person = people[6]
    top = 297 * fields_at
    lines: list[tuple[float, str, int]] = [(15, "Northshire Council", 16), (24, "Children's Services", 11)]
    lines += [(top, f"Case Reference: {person.case_reference}", 12), (top + 8, f"Name: {person.name}", 12)]
    assert own_cover(batch_behind_a_cover(tmp_path, people, _page(lines, font))).case_reference == person.case_reference


def _grey_fields(person: Person, font: str, label_grey: int, value_grey: int, paper: int) -> Image.Image:
    """A black bold heading, then the fields printed in grey: a template's labels and values set
    in a light colour, or a laser printer low on toner after the heading's page was printed."""
    page = Image.new("L", (px(210), px(297)), paper)
    draw = ImageDraw.Draw(page)
    draw.text((px(20), px(20)), "Safeguarding Case File", font=ImageFont.truetype(TYPEFACES["dejavu-bold"], 75), fill=0)
    letters = ImageFont.truetype(FONTS[font], round(11 * DPI / 72))
    fields = [("Case Reference:", person.case_reference), ("Name:", person.name)]
    fields.append(("Date of birth:", f"{person.date_of_birth:%d/%m/%Y}"))
    for number, (label, value) in enumerate(fields):
        draw.text((px(20), px(40 + 10 * number)), label, font=letters, fill=label_grey)
        draw.text((px(70), px(40 + 10 * number)), value, font=letters, fill=value_grey)
    return page


@pytest.mark.parametrize(
    "font, label_grey, value_grey, paper",
    [
        ("dejavu", 165, 165, 255),
        ("liberation-serif", 160, 150, 255),
        ("dejavu", 150, 110, 250),
        ("liberation-serif", 140, 140, 245),
        ("dejavu", 165, 165, 224),
        ("liberation-serif", 170, 160, 230),
    ],
)
def test_a_cover_printing_its_fields_in_grey_under_a_black_heading_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, label_grey: int, value_grey: int, paper: int
) -> None:
    """A tester's covers: a black heading, the fields in grey 110-170 on white or light grey
    paper. The page's one threshold parted the black heading from everything else, the grey
    fields went with the paper, triage saw a heading alone, and the cover was merged."""
    person = people[2]
    assert (
        own_cover(
            batch_behind_a_cover(tmp_path, people, _grey_fields(person, font, label_grey, value_grey, paper))
        ).case_reference
        == person.case_reference
    )


@pytest.mark.parametrize(("font", "table_at"), [("dejavu", 0.6), ("liberation-serif", 0.68), ("dejavu", 0.75)])
def test_a_cover_with_a_big_logo_and_its_table_low_on_the_page_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, table_at: float
) -> None:
    """Held-out covers: a logo a third of the page tall, the organisation's name, white space,
    then a ruled table of the fields at 60-75 % of the page's height; the cover was merged."""
    person = people[7]
    page = Image.new("L", (px(210), px(297)), 248)
    draw = ImageDraw.Draw(page)
    draw.ellipse((px(70), px(15), px(140), px(85)), fill=40)
    draw.text((px(88), px(40)), "NW", font=ImageFont.truetype(TYPEFACES["dejavu-bold"], 170), fill=250)
    draw.text(
        (px(45), px(95)), "Northwold Safeguarding", font=ImageFont.truetype(TYPEFACES["dejavu-bold"], 90), fill=20
    )
    letters = ImageFont.truetype(FONTS[font], round(12 * DPI / 72))
    rows = [("Ref No.", person.case_reference), ("Subject", person.name), ("D.O.B.", "25/01/1992")]
    top = 297 * table_at
    for n, (label, value) in enumerate(rows):
        row = top + 11 * n
        draw.rectangle((px(20), px(row), px(190), px(row + 11)), outline=30, width=4)
        draw.line((px(65), px(row), px(65), px(row + 11)), fill=30, width=4)
        draw.text((px(23), px(row + 3)), label, font=letters, fill=20)
        draw.text((px(68), px(row + 3)), value, font=letters, fill=20)
    assert own_cover(batch_behind_a_cover(tmp_path, people, page)).case_reference in (person.case_reference, None)


def _centred_block(
    person: Person, heading: str, birth_label: str, top_mm: float, bold: str, reference: bool
) -> Image.Image:
    """A centred title, the person's name in capitals with no label, their date of birth under it,
    and, when `reference`, the reference alone below: a front sheet as a word processor sets one."""
    page = Image.new("L", (px(210), px(297)), 252)
    draw = ImageDraw.Draw(page)
    middle = px(105)
    draw.text((middle, px(20)), heading, font=ImageFont.truetype(TYPEFACES[bold], 70), fill=15, anchor="ma")
    draw.text(
        (middle, px(32)),
        "Ashdown District Council",
        font=ImageFont.truetype(FONTS["dejavu"], 45),
        fill=15,
        anchor="ma",
    )
    draw.text(
        (middle, px(top_mm)), person.name.upper(), font=ImageFont.truetype(TYPEFACES[bold], 62), fill=15, anchor="ma"
    )
    born = f"{birth_label} {person.date_of_birth:%d/%m/%Y}"
    draw.text((middle, px(top_mm + 11)), born, font=ImageFont.truetype(FONTS["dejavu"], 50), fill=15, anchor="ma")
    if reference:
        draw.text(
            (middle, px(top_mm + 24)),
            person.case_reference,
            font=ImageFont.truetype(TYPEFACES[bold], 62),
            fill=15,
            anchor="ma",
        )
    return page


@pytest.mark.parametrize(
    ("heading", "birth_label", "top_mm", "bold", "reference"),
    [
        ("SAFEGUARDING CASE FILE", "D.O.B.", 45, "dejavu-bold", False),
        ("Front Sheet", "DOB:", 110, "dejavu-bold", False),
        ("CHILD PROTECTION RECORD", "Date of birth:", 70, "dejavu-mono", False),
        ("SAFEGUARDING CASE FILE", "D.O.B.", 100, "dejavu-bold", True),
    ],
)
def test_a_name_in_capitals_over_a_date_of_birth_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], heading: str, birth_label: str, top_mm: float, bold: str, reference: bool
) -> None:
    """Held-out covers: a centred title, the name in capitals with no label and "D.O.B. 06/10/2008"
    under it, alone on the page or with the reference below; no name label, so the page showed
    no cover's evidence and was merged into the case file before it."""
    person = people[5]
    assert own_cover(
        batch_behind_a_cover(tmp_path, people, _centred_block(person, heading, birth_label, top_mm, bold, reference))
    ).case_reference == (person.case_reference if reference else None)


NOTICE = (
    "This file holds personal and sensitive information processed under the organisation's "
    "safeguarding duties. It must be stored securely, must not leave the premises without the "
    "agreement of the designated lead, and must go back to the central registry when it is no "
    "longer in active use. Anyone finding it should hand it, unopened, to the duty manager. "
) * 2


def _notice_over_box(person: Person, font: str, label: str, box_at: float, ink: int) -> Image.Image:
    """A heading, a privacy notice of nine or ten lines, then the fields in a frame lower down."""
    page = Image.new("L", (px(210), px(297)), 250)
    draw = ImageDraw.Draw(page)
    draw.text(
        (px(20), px(18)), "Confidential Case File", font=ImageFont.truetype(TYPEFACES["dejavu-bold"], 80), fill=10
    )
    body = ImageFont.truetype(FONTS[font], round(9 * DPI / 72))
    words, line, top = NOTICE.split(), "", 34.0
    for word in words:
        if draw.textlength(f"{line} {word}", font=body) > px(170):
            draw.text((px(20), px(top)), line, font=body, fill=ink)
            line, top = word, top + 5
        else:
            line = f"{line} {word}".strip()
    draw.text((px(20), px(top)), line, font=body, fill=ink)
    box = 297 * box_at
    draw.rectangle((px(18), px(box), px(192), px(box + 62)), outline=30, width=5)
    letters = ImageFont.truetype(FONTS[font], round(11 * DPI / 72))
    fields = [
        (label, person.case_reference),
        ("Name:", person.name),
        ("Date of Birth:", f"{person.date_of_birth:%d/%m/%Y}"),
    ]
    fields += [("Address:", "68 Kingfisher Court, Stroud"), ("Allocated worker:", "Dee Hollis")]
    for n, (name, value) in enumerate(fields):
        draw.text((px(24), px(box + 7 + 10 * n)), name, font=letters, fill=ink)
        draw.text((px(75), px(box + 7 + 10 * n)), value, font=letters, fill=ink)
    return page


@pytest.mark.parametrize(
    ("font", "label", "box_at", "ink"),
    [
        ("dejavu", "Case No:", 0.5, 15),
        ("liberation-serif", "Our ref:", 0.55, 15),
        ("dejavu", "Ref No.", 0.62, 120),
        ("liberation-serif", "Case Reference:", 0.68, 15),
    ],
)
def test_a_cover_with_a_notice_above_its_framed_fields_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], font: str, label: str, box_at: float, ink: int
) -> None:
    """Held-out covers: a heading, a privacy notice filling the top, and the fields framed halfway
    down. The top held too many lines to be followed further down, so the cover was merged."""
    person = people[4]
    assert own_cover(
        batch_behind_a_cover(tmp_path, people, _notice_over_box(person, font, label, box_at, ink))
    ).case_reference in (
        person.case_reference,
        None,
    )


def _low_fields(person: Person, top: str, fields_at: float) -> Image.Image:
    """Four inline fields in Liberation Sans at `fields_at` of the page's height, under `top`:
    nothing, a 22 mm logo beside a two-line name, or a centred title."""
    page = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(page)
    if top == "letterhead":
        draw.ellipse((px(20), px(12), px(42), px(34)), fill=60)
        draw.text(
            (px(31), px(23)),
            "HC",
            font=ImageFont.truetype(TYPEFACES["liberation-sans-bold"], 90),
            fill=255,
            anchor="mm",
        )
        draw.text(
            (px(48), px(14)),
            "Hollowmere Borough Council",
            font=ImageFont.truetype(TYPEFACES["liberation-sans-bold"], 70),
            fill=0,
        )
        draw.text(
            (px(48), px(25)),
            "Children and Families Directorate",
            font=ImageFont.truetype(TYPEFACES["liberation-sans"], 45),
            fill=0,
        )
    elif top == "title":
        draw.text(
            (px(105), px(60)),
            "CHILD PROTECTION",
            font=ImageFont.truetype(TYPEFACES["liberation-sans-bold"], 115),
            fill=0,
            anchor="ma",
        )
    letters = ImageFont.truetype(TYPEFACES["liberation-sans"], 50)
    fields = [f"Case Reference: {person.case_reference}", "Name: Harvey Collins", "Date of birth: 19/10/2010"]
    fields.append("Status: Open")
    for n, text in enumerate(fields):
        draw.text((px(20), px(297 * fields_at + 8.14 * n)), text, font=letters, fill=0)
    return page


@pytest.mark.parametrize(
    ("top", "fields_at", "dpi", "writer"),
    [
        ("nothing", 0.52, 300, "pillow"),
        ("nothing", 0.72, 300, "pillow"),
        ("letterhead", 0.55, 200, "img2pdf"),
        ("letterhead", 0.7, 200, "img2pdf"),
        ("title", 0.62, 300, "pillow"),
        ("title", 0.78, 300, "pillow"),
    ],
)
def test_a_cover_whose_inline_fields_stand_low_under_little_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], top: str, fields_at: float, dpi: int, writer: str
) -> None:
    """A fresh tester's covers: four inline fields at 52-78 % of the page, under nothing, a
    letterhead whose logo beside a two-line name made five "lines", or a centred title. The
    upside-down test took the sparse sheets for upside down, and the way up tried last was not
    followed down; the letterhead's five lines were taken for a page of text; fields starting at
    78 % had one line inside the band followed. All were merged."""
    person = people[3]
    page = _low_fields(person, top, fields_at)
    assert own_cover(batch_behind_a_cover(tmp_path, people, page, dpi, writer)).case_reference == person.case_reference


def _grainy(page: Image.Image, sigma: float, seed: int) -> Image.Image:
    """`page` as a worn or high-gain scanner gives it: Gaussian noise of `sigma` grey levels on every pixel."""
    pixels = numpy.asarray(page.convert("L"), dtype=numpy.float32)
    pixels += numpy.random.default_rng(seed).normal(0.0, sigma, pixels.shape).astype(numpy.float32)
    return Image.fromarray(numpy.clip(pixels, 0, 255).astype(numpy.uint8))


@pytest.mark.parametrize(
    ("layout", "sigma", "quality"),
    [
        ("our-ref-memo", 45, 75),
        ("case-no-above", 55, 75),
        ("file-no-band", 55, 75),
        ("reference-number-right", 55, 75),
        ("boxed", 55, 75),
        ("labelled", 45, 90),
        ("boxed", 45, 90),
        ("our-ref-memo", 50, 90),
    ],
)
def test_a_cover_scanned_with_heavy_grain_starts_its_own_case_file_and_is_read(
    tmp_path: Path, people: list[Person], layout: str, sigma: float, quality: int
) -> None:
    """A new user's cover scanned at 200 dpi with noise of standard deviation 45: tesseract saw
    dots, not labels, and the page joined the case file before it. At 55 most layouts merged.
    A finer JPEG (quality 90) keeps more of the grain; that the 100 dpi copy such a JPEG yields
    while it decodes is smoothed before it is scaled is checked in test_noise.py."""
    dpi = 200
    person = people[4]
    pages = [
        draw_cover(people[0], "boxed", dpi),
        draw_continuation(5, dpi),
        _grainy(draw_cover(person, layout, dpi), sigma, seed=len(layout)),
        draw_continuation(6, dpi),
    ]
    write_pdf(pages, tmp_path / "batch.pdf", dpi, quality=quality)
    cover = own_cover(identify_file(tmp_path / "batch.pdf", ScanOptions()))
    assert cover.case_reference == person.case_reference


def _shaded_table(person: Person, shade: int, reference: bool) -> Image.Image:
    """A front sheet whose label column is shaded grey, its "Case No." cell left empty or filled."""
    page = Image.new("L", (px(210), px(297)), 252)
    draw = ImageDraw.Draw(page)
    bold = TYPEFACES["dejavu-bold"]
    draw.text((px(20), px(15)), "Northmoor Borough Council", font=ImageFont.truetype(bold, 66), fill=40)
    draw.text((px(20), px(35)), "CASE FILE FRONT SHEET", font=ImageFont.truetype(bold, 58), fill=10)
    rows = [
        ("Case No.", person.case_reference if reference else ""),
        ("Name:", f"{person.forename} {person.surname}"),
        ("Date of birth:", person.date_of_birth.strftime("%d/%m/%Y")),
        ("Address", "54 Bede Street"),
        ("Allocated worker", "Tyler Ellery"),
        ("Date opened", "04/09/2017"),
    ]
    labels, values = ImageFont.truetype(bold, 46), ImageFont.truetype(FONTS["dejavu"], 50)
    for n, (label, value) in enumerate(rows):
        top = px(48 + 10 * n)
        draw.rectangle((px(20), top, px(80), top + px(10)), fill=shade, outline=0, width=3)
        draw.rectangle((px(80), top, px(190), top + px(10)), outline=0, width=3)
        draw.text((px(22), top + px(2.5)), label, font=labels, fill=15)
        draw.text((px(83), top + px(2.5)), value, font=values, fill=15)
    return page


@pytest.mark.parametrize(
    ("shade", "reference", "dpi", "grain"),
    [(210, False, 300, 0), (200, False, 200, 0), (215, True, 200, 0), (205, True, 150, 18), (220, False, 150, 18)],
)
def test_a_table_whose_label_column_is_shaded_grey_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], shade: int, reference: bool, dpi: int, grain: float
) -> None:
    """A held-out front sheet: its label cells shaded grey were one black block to the threshold,
    so neither "Case No." nor "Date of birth:" could be read, and the sheet (reference left
    blank, or filled in) was merged into the case file before it every time."""
    person = people[5]
    page = _shaded_table(person, shade, reference)
    if dpi != DPI:
        page = page.resize((round(page.width * dpi / DPI), round(page.height * dpi / DPI)), Image.Resampling.LANCZOS)
    if grain:
        page = _grainy(page, grain, seed=shade)
    pages = [draw_cover(people[0], "boxed", dpi), draw_continuation(5, dpi), page, draw_continuation(6, dpi)]
    write_pdf(pages, tmp_path / "batch.pdf", dpi)
    cover = own_cover(identify_file(tmp_path / "batch.pdf", ScanOptions()))
    assert cover.case_reference == (person.case_reference if reference else None)


def _stamped_centre(person: Person, paper: int, turn: float) -> Image.Image:
    """A front sheet printing its reference, name and date of birth centred, a round "RECEIVED"
    stamp in purple ink across all three."""
    page = Image.new("RGB", (px(210), px(297)), (paper, paper, paper - 4))
    draw = ImageDraw.Draw(page)
    centre = px(105)

    def centred(top_mm: float, text: str, face: str, size: int, fill: tuple[int, int, int]) -> None:
        font = ImageFont.truetype(face, size)
        draw.text((centre - draw.textlength(text, font=font) / 2, px(top_mm)), text, font=font, fill=fill)

    serif_bold = "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"
    heading = ImageFont.truetype(TYPEFACES["dejavu-bold"], 66)
    draw.text((px(20), px(15)), "Northmoor Borough Council", font=heading, fill=(30, 50, 110))
    centred(42, "OUR REF", TYPEFACES["liberation-sans"], 38, (80, 80, 80))
    centred(48, person.case_reference, serif_bold, 67, (15, 15, 15))
    centred(58, f"{person.forename} {person.surname}", TYPEFACES["dejavu-bold"], 84, (15, 15, 15))
    centred(68, f"Date of birth: {person.date_of_birth:%d/%m/%Y}", FONTS["dejavu"], 58, (20, 20, 20))
    draw.line((px(20), px(78), px(190), px(78)), fill=(30, 50, 110), width=8)
    stamp = Image.new("RGBA", (px(56), px(56)), (0, 0, 0, 0))
    pen = ImageDraw.Draw(stamp)
    ink_colour = (95, 40, 125, 150)
    pen.ellipse((4, 4, stamp.width - 5, stamp.height - 5), outline=ink_colour, width=9)
    pen.ellipse((px(5), px(5), stamp.width - px(5), stamp.height - px(5)), outline=ink_colour, width=4)
    pen.text((px(9), px(19)), "RECEIVED", font=ImageFont.truetype(FONTS["dejavu"], 90), fill=ink_colour)
    pen.text((px(13), px(31)), "16 FEB 2022", font=ImageFont.truetype(FONTS["dejavu"], 70), fill=ink_colour)
    stamp = stamp.rotate(turn, resample=Image.Resampling.BICUBIC)
    page.paste(stamp, (centre - stamp.width // 2, px(36)), stamp)
    return page


@pytest.mark.parametrize(
    ("paper", "turn", "dpi"),
    [(235, -15, 200), (250, 30, 200), (240, 5, 300), (225, -5, 200), (245, 15, 150), (230, 40, 300)],
)
def test_a_round_stamp_across_a_centred_reference_name_and_birth_date_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], paper: int, turn: float, dpi: int
) -> None:
    """A held-out front sheet with a "RECEIVED" stamp across its centred reference, name and date
    of birth: triage read only "Date%ef birth: 27/0821" and the page joined the case file before
    it with no word said. A birth label on a page with so little above it is a cover's. (Turned
    so that its letters cross the word "birth" itself, as at 20 and -25 degrees on paper 215,
    the stamp still hides the cover: see README, known limits.) What is read under the stamp may
    be part of the reference ("SA-2013-8744" for "DSA-2013-87445"): no record has it, and the
    catalogue links the nearest only with the name or date of birth to confirm it."""
    person = people[6]
    cover = own_cover(batch_behind_a_cover(tmp_path, people, _stamped_centre(person, paper, turn), dpi))
    assert cover.case_reference != people[0].case_reference
