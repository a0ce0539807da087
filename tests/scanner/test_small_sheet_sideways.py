"""A small front sheet (an index card, an A5 slip) scanned lying a quarter turn on white A4. A
fresh tester's A6 card, framed by a thin light-grey outline, was merged silently into the case
file before it, three times in three: the outline's long sides banded the page's row profile,
so the page seemed upright and its sideways lines were never read. A second tester's cards in
20 pt bold, and of two short lines of 9 pt print, merged so too. Real tesseract."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from synthetic.drawing import font
from synthetic.people import Person, make_people
from tests.support.covers import DPI, batch_behind_a_cover, own_cover, px

SHEETS_MM = {"A6 card": (105, 148), "A6 card, landscape": (148, 105), "A5 slip": (148, 210)}


def _sheet(person: Person, size_mm: tuple[int, int], frame: int | None) -> Image.Image:
    """A sheet of `size_mm` with its fields near its top, its edge outlined in `frame` grey (as a
    scanner's light shows a card's edge), or not."""
    sheet = Image.new("L", (px(size_mm[0]), px(size_mm[1])), 255)
    pen = ImageDraw.Draw(sheet)
    if frame is not None:
        pen.rectangle((0, 0, sheet.width - 1, sheet.height - 1), outline=frame, width=px(0.3))
    lines = [
        ("Referral card", 13, "lib-sans-bold"),
        (f"Case ref: {person.case_reference}", 11, "lib-sans"),
        (f"Name: {person.name}", 11, "lib-sans"),
        (f"DOB: {person.date_of_birth:%d/%m/%Y}", 11, "lib-sans"),
    ]
    for row, (text, points, face) in enumerate(lines):
        pen.text((px(10), px(12 + 8 * row)), text, font=font(face, round(points / 72 * DPI)), fill=20)
    return sheet


def _bold_card(person: Person, frame: int | None) -> Image.Image:
    """A landscape index card in 18-21 pt bold, each label above its value (a second fresh
    tester's: bold print this size is heavy strokes on the 100 dpi copy, like a stamp's)."""
    card = Image.new("L", (px(148), px(105)), 255)
    pen = ImageDraw.Draw(card)
    if frame is not None:
        pen.rectangle((0, 0, card.width - 1, card.height - 1), outline=frame, width=px(0.3))
    pen.text((px(10), px(9)), "SAFEGUARDING INDEX CARD", font=font("sans-bold", round(21 / 72 * DPI)), fill=20)
    top = 24.4
    for label, value in (
        ("Our ref:", person.case_reference),
        ("Child:", person.name),
        ("DOB:", f"{person.date_of_birth:%d/%m/%Y}"),
    ):
        pen.text((px(10), px(top)), label, font=font("sans-bold", round(18 / 72 * DPI)), fill=20)
        pen.text((px(12), px(top + 9.2)), value, font=font("sans-bold", round(20 / 72 * DPI)), fill=20)
        top += 22.6
    return card


def _header_row_card(person: Person) -> Image.Image:
    """A landscape index card in 8-9 pt serif, its labels a header row and each value under its
    label, nothing else on it (a second fresh tester's): two short lines, which lying sideways
    band the page's rows as much as its columns."""
    card = Image.new("L", (px(148), px(105)), 255)
    pen = ImageDraw.Draw(card)
    label, value = font("lib-serif", round(8 / 72 * DPI)), font("lib-serif", round(9 / 72 * DPI))
    for left, (name, text) in zip(
        (10, 55, 105),
        (("Our ref:", person.case_reference), ("Child:", person.name), ("DOB:", f"{person.date_of_birth:%d-%b-%Y}")),
        strict=True,
    ):
        pen.text((px(left), px(9)), name, font=label, fill=20)
        pen.text((px(left), px(15)), text, font=value, fill=20)
    return card


def _ruled_card(person: Person, labelled: bool, points: int, size_mm: tuple[int, int]) -> Image.Image:
    """A landscape index card (A6, or 6 x 4 inches) ruled in light grey every 8 mm under a darker
    header rule, its lines typed in `points` bold on every other rule, their feet across it,
    "Label: value" or values alone (a second fresh tester's: lying sideways at the foot of A4,
    its fields lay across the middle of the page turned upright, where the page's top is parted
    from the rest)."""
    card = Image.new("L", (px(size_mm[0]), px(size_mm[1])), 252)
    pen = ImageDraw.Draw(card)
    pen.line((0, px(16), card.width, px(16)), fill=110, width=px(0.5))
    for top in range(24, size_mm[1] - 2, 8):
        pen.line((0, px(top), card.width, px(top)), fill=185, width=px(0.25))
    face = font("sans-bold", round(points / 72 * DPI))
    pen.text((px(8), px(6)), "CHILD INDEX CARD", font=face, fill=25)
    fields = (("Ref:", person.case_reference), ("Name:", person.name), ("DOB:", f"{person.date_of_birth:%d/%m/%Y}"))
    for row, (label, value) in enumerate(fields):
        text = f"{label} {value}" if labelled else value
        pen.text((px(8), px(24.5 + 16 * row) - face.getbbox(text)[3]), text, font=face, fill=25)  # on the rule
    return card


def _on_a4(sheet: Image.Image, turn: float, at: tuple[float, float], paper: int = 255) -> Image.Image:
    """The sheet turned `turn` degrees, laid on an A4 scan of `paper` grey `at` (fractions of the
    room left across and down: (0.5, 0.5) in the middle, (0, 0) in the corner)."""
    sheet = sheet.rotate(turn, expand=True, fillcolor=paper, resample=Image.Resampling.BICUBIC)
    page = Image.new("L", (px(210), px(297)), paper)
    page.paste(sheet, (round((page.width - sheet.width) * at[0]), round((page.height - sheet.height) * at[1])))
    return page


MIDDLE, CORNER = (0.5, 0.5), (0.1, 0.05)


@pytest.mark.parametrize("turn", [90, 270, 0])
@pytest.mark.parametrize("frame", [220, 60, None], ids=["light outline", "dark outline", "no outline"])
@pytest.mark.parametrize("size", SHEETS_MM)
def test_a_small_sheet_lying_sideways_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], size: str, frame: int | None, turn: int
) -> None:
    page = _on_a4(_sheet(people[5], SHEETS_MM[size], frame), turn, MIDDLE)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference == people[5].case_reference


@pytest.mark.parametrize("turn", [90, 270])
@pytest.mark.parametrize("size", ["A6 card", "A5 slip"])
def test_an_outlined_sheet_in_the_scanners_corner_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], size: str, turn: int
) -> None:
    page = _on_a4(_sheet(people[6], SHEETS_MM[size], 220), turn, CORNER)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference == people[6].case_reference


@pytest.mark.parametrize("turn", [90, 270])
@pytest.mark.parametrize("frame", [200, None], ids=["light outline", "no outline"])
def test_a_bold_card_lying_sideways_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], frame: int | None, turn: int
) -> None:
    page = _on_a4(_bold_card(people[7], frame), turn, (0.3, 0.5))
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, dpi=200))
    assert cover.case_reference == people[7].case_reference


@pytest.mark.parametrize(("turn", "dpi"), [(90, 300), (270, 300), (90, 200), (270, 200)])
def test_a_card_of_two_short_lines_lying_sideways_near_the_foot_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], turn: int, dpi: int
) -> None:
    """Its reference, 9 pt under its label, may stay unread at 200 dpi: the card then waits as
    unreadable, its own case file still."""
    child = replace(people[4], case_reference="KSB-2019-0832", forename="Amara", surname="Okonkwo")
    page = _on_a4(_header_row_card(child), turn, (0.21, 0.98))
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, dpi=dpi))
    assert cover.case_reference in (child.case_reference, None)


FOOT, EDGE = (0.5, 0.98), (0.02, 0.5)
A6, INCHES = (148, 105), (152, 102)


def _jpeg(page: Image.Image, quality: int = 80) -> Image.Image:
    """The page as a scanner's JPEG holds it."""
    held = BytesIO()
    page.save(held, "JPEG", quality=quality)
    return Image.open(held)


@pytest.mark.parametrize(
    ("child", "size", "labelled", "points", "turn", "at", "paper", "dpi"),
    [
        ((7, 5), A6, True, 20, 92.5, FOOT, 255, 200),
        ((7, 5), A6, False, 20, 92.5, FOOT, 255, 300),
        ((11, 2), A6, False, 20, 92.5, FOOT, 255, 200),
        ((11, 6), INCHES, False, 20, 88, EDGE, 255, 300),
        ((11, 11), INCHES, False, 22, 92.5, EDGE, 255, 300),
        ((3, 5), A6, False, 20, 88, EDGE, 255, 300),
        ((3, 5), A6, True, 22, 90, FOOT, 235, 300),
        ((3, 5), A6, True, 20, 270, FOOT, 235, 200),
        ((3, 5), A6, False, 22, 268, EDGE, 235, 300),
    ],
    ids=str,
)
def test_a_ruled_index_card_lying_sideways_starts_its_own_case_file(
    tmp_path: Path,
    child: tuple[int, int],
    size: tuple[int, int],
    labelled: bool,
    points: int,
    turn: float,
    at: tuple[float, float],
    paper: int,
    dpi: int,
) -> None:
    """`child` is (seed, which) of a template of twelve. Its reference, typed on a rule, may stay
    unread: the card then waits as unreadable, its own case file still."""
    people = make_people(12, seed=child[0])
    person = people[child[1]]
    page = _jpeg(_on_a4(_ruled_card(person, labelled, points, size), turn, at, paper))
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, dpi=dpi))
    assert cover.case_reference in (person.case_reference, None)


@pytest.mark.parametrize(
    ("which", "turn", "at", "paper"),
    [(1, 93, (0.9, 0.1), 235), (2, 272, (0.21, 0.98), 235), (0, 267, (0.9, 0.1), 235), (2, 88, (0.9, 0.1), 215)],
    ids=str,
)
def test_a_white_card_askew_and_sideways_on_grey_paper_starts_its_own_case_file(
    tmp_path: Path, which: int, turn: float, at: tuple[float, float], paper: int
) -> None:
    """A card of two short lines of 8-9 pt print, 2-3° off a quarter turn, on grey paper (a
    fresh tester's, 2 of 6 merged): Otsu's threshold parted the grey paper from the white card,
    so the whole page was ink and the card's print was never looked at."""
    people = make_people(12, seed=21)
    page = _on_a4(_header_row_card(people[which]), turn, at, paper)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page))
    assert cover.case_reference in (people[which].case_reference, None)


@pytest.mark.parametrize(("dpi", "quality"), [(200, 65), (300, 80)])
def test_a_light_grey_card_of_values_alone_at_the_foot_starts_its_own_case_file(
    tmp_path: Path, dpi: int, quality: int
) -> None:
    """A card in grey 239, its reference, name and date of birth in 9 pt serif with no labels,
    lying a quarter turn at the foot of white A4 (a fresh tester's, merged silently): Otsu's
    threshold took the whole card for ink, so nothing on it was ever read."""
    people = make_people(12, seed=105)
    child = people[3]
    card = Image.new("L", (px(148), px(105)), 239)
    pen = ImageDraw.Draw(card)
    face = font("lib-serif", round(9 / 72 * DPI))
    for row, text in enumerate((child.case_reference, child.name.upper(), f"{child.date_of_birth:%d %b %Y}")):
        pen.text((px(7), px(16 + 7 * row)), text, font=face, fill=30)
    page = _jpeg(_on_a4(card, 90, FOOT), quality)
    cover = own_cover(batch_behind_a_cover(tmp_path, people, page, dpi=dpi))
    assert cover.case_reference in (child.case_reference, None)


def _grey_record_card(
    person: Person, points: int, tone: int = 235, face: str = "mono", size: tuple[int, int] = (74, 105)
) -> Image.Image:
    """A record card (A7 unless `size` says otherwise, in mm) of grey `tone`: an eighth of an A4
    page, under the share a second paper once had to cover, so its whole face was taken for ink."""
    card = Image.new("L", (px(size[0]), px(size[1])), tone)
    pen = ImageDraw.Draw(card)
    step = points * 0.55 + 1
    for row, text in enumerate(["Record card", f"Name: {person.name}", f"DOB: {person.date_of_birth:%d/%m/%Y}"]):
        pen.text((px(6), px(8 + step * row)), text, font=font(face, round(points / 72 * DPI)), fill=30)
    return card


@pytest.mark.parametrize(
    ("turn", "at", "points"),
    [(90, MIDDLE, 9), (90.7, (0.88, 0.98), 9), (91.5, (0.627, 0.721), 10), (268.6, (0.35, 0.3), 10)],
)
def test_a_grey_a7_card_on_white_is_never_merged_silently(
    tmp_path: Path, people: list[Person], turn: float, at: tuple[float, float], points: int
) -> None:
    """It starts its own case file, or its page leaves a doubt that sends the case file to a
    person. Askew by 1.5° as well as sideways, its 10 pt print read only as it lay: straightened,
    at triage's resolution, it blurred past reading."""
    result = batch_behind_a_cover(tmp_path, people, _on_a4(_grey_record_card(people[3], points), turn, at))
    merged = [case_file for case_file in result.case_files if case_file.first_page < 3 <= case_file.last_page]
    assert not merged or 3 in [page for page, _ in merged[0].doubts], result.case_files


@pytest.mark.parametrize(
    ("tone", "turn", "points", "face", "size", "at"),
    [
        (215, 88.5, 10, "mono", (74, 105), MIDDLE),  # its "DOB" read "008"
        (208, 91.0, 11, "mono", (105, 148), (0.3, 0.6)),
        (222, 269.0, 10, "lib-mono", (74, 105), (0.8, 0.2)),
        (218, 268.2, 12, "lib-mono", (74, 105), (0.5, 0.97)),
        (226, 272.0, 11, "lib-sans", (105, 148), (0.6, 0.75)),
    ],
)
def test_a_darker_grey_card_lying_sideways_is_never_merged_silently(
    tmp_path: Path,
    people: list[Person],
    tone: int,
    turn: float,
    points: int,
    face: str,
    size: tuple[int, int],
    at: tuple[float, float],
) -> None:
    """A fresh tester's cards (3 of 8, with other names, merged on the code of 2026-12-06). On the
    one in DejaVu Sans Mono, "DOB" read "008" at triage's resolution, so no birth label showed."""
    card = _grey_record_card(people[3], points, tone, face, size)
    result = batch_behind_a_cover(tmp_path, people, _on_a4(card, turn, at))
    merged = [case_file for case_file in result.case_files if case_file.first_page < 3 <= case_file.last_page]
    assert not merged or 3 in [page for page, _ in merged[0].doubts], result.case_files


def _a5_record(person: Person, tone: int, points: int, face: str) -> Image.Image:
    """An A5 card of grey `tone`, each label in lighter print above its value, a photo box beside
    them: small print on a sheet of its own shade, as nurseries and schools keep."""
    card = Image.new("L", (px(148), px(210)), tone)
    pen = ImageDraw.Draw(card)
    pen.rectangle((px(6), px(6), card.width - px(6), card.height - px(6)), outline=25, width=px(0.5))
    pen.text((px(14), px(12)), "Early Years Record", font=font("lib-sans-bold", round(11 / 72 * DPI)), fill=25)
    pen.rectangle((px(100), px(24), px(132), px(62)), outline=40, width=px(0.4))
    label, value = font(face, round(points / 72 * DPI)), font(face, round((points + 1) / 72 * DPI))
    fields = (("Child's name", person.name), ("Born", f"{person.date_of_birth:%d %b %Y}"))
    for row, (name, text) in enumerate((*fields, ("Social care reference", person.case_reference))):
        pen.text((px(14), px(26 + 13 * row)), name, font=label, fill=95)
        pen.text((px(14), px(31 + 13 * row)), text, font=value, fill=20)
    return card


@pytest.mark.parametrize(
    ("tone", "skew", "points", "face", "at"),
    [
        (204, -2.36, 8, "mono", (0.2, 0.1)),
        (213, -2.78, 8, "lib-sans-narrow", (0.7, 0.2)),
        (209, 2.85, 8, "lib-sans", (0.4, 0.05)),
        (225, 3.03, 9, "lib-serif", (0.9, 0.25)),
    ],
)
def test_a_grey_a5_card_of_small_print_askew_is_never_merged_silently(
    tmp_path: Path, people: list[Person], tone: int, skew: float, points: int, face: str, at: tuple[float, float]
) -> None:
    """Upright, askew 2.4° to 3.2°, scanned at 200 dpi into JPEG: at triage's resolution its
    8 pt print is under 10 px tall, and straightened it blurred past reading (a fresh tester's
    nursery card, merged silently; ours, 3 in 14 so on an unseen seed)."""
    page = _jpeg(_on_a4(_a5_record(people[3], tone, points, face), skew, at), 60)
    result = batch_behind_a_cover(tmp_path, people, page, dpi=200)
    merged = [case_file for case_file in result.case_files if case_file.first_page < 3 <= case_file.last_page]
    assert not merged or 3 in [page for page, _ in merged[0].doubts], result.case_files
