"""The cheap cover test: generous for every cover layout, no for continuation pages, drawn or
real; a doubt only for what it cannot rule out cheaply."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageFilter

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.cues import (
    evidence_row,
    may_start_label,
    opens_like_a_reference,
    reference_cut_short,
    reference_spoilt,
    shows_a_code_alone,
    shows_birth_label,
)
from scanner.imaging import scaled
from scanner.layout import Line
from scanner.lines import Piece
from scanner.looking import look
from scanner.tesseract import Word
from scanner.triage import TRIAGE_DPI, Hint, Triage, cover_hints, triage_page
from scanner.turning import upright
from synthetic.continuation import paragraphs
from synthetic.drawing import Pen
from synthetic.pages import degrade, draw_continuation, draw_cover
from synthetic.people import Person, make_people
from synthetic.real import real_page, real_pages

DPI = 200
PATTERNS = (DEFAULT_REFERENCE_PATTERN,)


def _line(read: str, start: int = 10) -> Line:
    """A line as tesseract would hand triage these words, 40 pixels apart from `start`."""
    return Line(tuple(Word(text, 90.0, start + 40 * n, 5, 36, 10) for n, text in enumerate(read.split())))


def _maybe(page: Image.Image) -> bool:
    return look(scaled(page, DPI, TRIAGE_DPI), TRIAGE_DPI, PATTERNS, "eng", 60).row is not None


@pytest.mark.parametrize("layout", ["labelled", "boxed", "letterhead", "form"])
def test_every_cover_layout_may_be_a_cover_even_with_a_barcode(people: list[Person], layout: str) -> None:
    assert _maybe(draw_cover(people[0], layout, DPI, barcode="qr"))


@pytest.mark.parametrize("seed", [0, 2, 3])  # a chronology, a case note, a letter
def test_continuation_pages_are_cleared(seed: int) -> None:
    assert not _maybe(draw_continuation(seed, DPI))


def _hints(page: Image.Image, dpi: int = DPI) -> list[Hint]:
    return cover_hints(scaled(page, dpi, TRIAGE_DPI), PATTERNS, "eng", 60)


@pytest.mark.parametrize("rotate, turn", [(0, 0), (180, 180), (90, 90)])
def test_a_turned_cover_is_found_the_right_way_up(people: list[Person], rotate: int, turn: int) -> None:
    # degrade turns the sheet counter-clockwise; the hint says how far clockwise puts it right.
    hints = _hints(degrade(draw_cover(people[1], "labelled", DPI), rotate=rotate))
    assert [hint.turn for hint in hints][:1] == [turn]


def test_the_hint_points_at_the_label_line(people: list[Person]) -> None:
    # The labelled layout prints "Case Reference:" 52 mm from the top of the sheet.
    (hint,) = _hints(draw_cover(people[2], "labelled", 300), dpi=300)
    assert 48 <= hint.row / TRIAGE_DPI * 25.4 <= 56


def test_a_label_with_a_misread_letter_still_sends_the_page_on() -> None:
    # Skewed 3° and not straightened (it is plainly upright), this letter's bold "Ref No." reads
    # "Ret No" in the first look at its lines: one letter off a label must still count.
    person = make_people(8, seed=1)[5]
    page = degrade(draw_cover(person, "letterhead", 300), seed=300, skew=-3.0)
    assert _hints(page, dpi=300)


def test_an_upside_down_continuation_page_gives_no_hint() -> None:
    assert _hints(degrade(draw_continuation(3, DPI), rotate=180)) == []


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
@pytest.mark.parametrize("angle", [3.0, -2.5, 0.2])
def test_straightening_some_rows_gives_those_rows_of_the_straightened_page(
    people: list[Person], turn: int, angle: float
) -> None:
    page = draw_cover(people[0], "labelled", 100).convert("L")
    whole = upright(page, turn, angle)
    for rows in [(150, 450), (-40, 120), (whole.height - 100, whole.height + 60)]:
        expected = whole.crop((0, max(0, rows[0]), whole.width, min(whole.height, rows[1])))
        assert np.array_equal(np.asarray(upright(page, turn, angle, rows)), np.asarray(expected))


def _sheet(rows: list[tuple[str, str]], blur_labels: bool = False) -> Image.Image:
    """A page with a heading, `rows` of label and value near the top (in a ruled table when the
    labels are blurred past reading), then a letter's paragraphs."""
    pen = Pen.blank(DPI)
    pen.text(20, 12, "Safeguarding Office", 16, "sans-bold")
    for number, (label, value) in enumerate(rows):
        top = 30 + 10 * number
        if blur_labels:
            pen.box(20, top, 150, top + 10, 0.4)
            pen.line(60, top, 60, top + 10, 0.4)
        pen.text(22, top + 2, label, 12, "sans-bold")
        pen.text(62, top + 2, value, 12)
        if blur_labels:
            cell = (pen.px(22), pen.px(top + 2), pen.px(58), pen.px(top + 8))
            pen.image.paste(pen.image.crop(cell).filter(ImageFilter.GaussianBlur(6)), cell[:2])
    paragraphs(pen, random.Random(1), 40 + 10 * len(rows), 3)
    return pen.image


def _triage(page: Image.Image) -> Triage:
    return triage_page(scaled(page, DPI, TRIAGE_DPI), PATTERNS, "eng", 60)


@pytest.mark.parametrize(
    "rows",
    [
        [("Name:", "Amelia Hart"), ("Date of birth:", "25/01/1992")],
        [("Child", "Amelia Hart"), ("D.O.B.", "25/01/1992")],
        [("Subject", "Amelia Hart"), ("Born", "25 January 1992")],
        [("Surname", "Hart"), ("Forename", "Amelia"), ("DOB", "25/01/1992")],
    ],
)
def test_a_name_and_birth_block_is_a_covers_evidence_without_a_reference(rows: list[tuple[str, str]]) -> None:
    triaged = _triage(_sheet(rows))
    assert triaged.hints and triaged.hints[0].turn == 0


@pytest.mark.parametrize("label", ["Ret No.", "Case Nc:", "File Reg"])
def test_a_label_read_one_letter_off_leaves_a_doubt(label: str) -> None:
    triaged = _triage(_sheet([(label, ""), ("Opened", "01/01/2020")]))
    assert triaged.hints == ()
    assert triaged.doubt is not None and label.split()[0] in triaged.doubt


def test_a_ruled_table_whose_label_cells_cannot_be_read_leaves_a_doubt() -> None:
    triaged = _triage(
        _sheet(
            [("Ref No.", ""), ("Subject", "Amelia Hart"), ("D.O.B.", "25/01/1992"), ("Opened", "01/01/2020")],
            blur_labels=True,
        )
    )
    assert triaged.hints == ()
    assert triaged.doubt is not None and "ruled table" in triaged.doubt


@pytest.mark.parametrize("label", ["Your ref:", "Our reply", "Date:"])
def test_words_near_a_label_that_are_not_one_leave_no_doubt(label: str) -> None:
    assert _triage(_sheet([(label, "with thanks"), ("Opened", "yesterday")])) == Triage(())


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("damage", [{}, {"noise": 0.02}, {"skew": 3.0}, {"rotate": 180}])
def test_drawn_continuation_pages_get_neither_hint_nor_doubt(seed: int, damage: dict) -> None:
    assert _triage(degrade(draw_continuation(seed, DPI), seed=seed, **damage)) == Triage(())


@pytest.mark.parametrize("name, number", real_pages())
def test_real_scanned_pages_get_neither_hint_nor_doubt(name: str, number: int) -> None:
    assert _triage(real_page(name, number, DPI)) == Triage(())


@pytest.mark.parametrize(
    "layout, damage",
    [
        ("diocesan-table", {"skew": -3.0}),  # a skewed table's rules survive and run into its labels
        ("case-no-header-row", {"skew": 3.0}),  # a sparse table's long rules make the sheet look sideways
        ("file-no-band", {"noise": 0.02}),  # the shaded band turns to solid ink at the first threshold
        ("file-no-band", {"blur": 1.5}),
    ],
)
def test_other_office_covers_are_hinted_through_damage(people: list[Person], layout: str, damage: dict) -> None:
    assert _triage(degrade(draw_cover(people[3], layout, DPI), seed=4, **damage)).hints


def _wider_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The text lines in each strip triage hands tesseract after its first look at every piece."""
    import scanner.strips
    from scanner.lines import text_bands

    strips: list[int] = []
    real = scanner.strips.read_words

    def read_words(image: Image.Image, *args: object, **kwargs: object) -> list:
        strips.append(len(text_bands(np.asarray(image) < 128, TRIAGE_DPI)))
        return real(image, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scanner.strips, "read_words", read_words)
    return strips


def test_the_wider_read_of_a_cover_stops_at_its_first_label(monkeypatch: pytest.MonkeyPatch) -> None:
    strips = _wider_reads(monkeypatch)
    rows = [("Ref No.", "SGD-2019-1234"), ("Subject", "Amelia Hart"), ("D.O.B.", "25/01/1992"), ("Surname", "Hart")]
    triaged = _triage(_sheet(rows))
    assert triaged.hints and 28 <= triaged.hints[0].row / TRIAGE_DPI * 25.4 <= 36
    assert strips[-1] <= 2, "the label lines after the first were read too"


@pytest.mark.parametrize(
    "rows",
    [
        [("Case notes", "reviewed"), ("Call with", "the family"), ("Ref No.", "SGD-2019-1234")],
        [("Date", "of the meeting"), ("Case notes", "kept here"), ("Subject", "Amelia Hart"), ("DOB", "25/01/1992")],
        [("Filed", "in the cabinet"), ("Our reply", "is enclosed"), ("Reference number", "")],
    ],
)
def test_a_label_after_label_like_lines_is_still_found(rows: list[tuple[str, str]]) -> None:
    # The first two lines that may start a label are read on their own first; a label after them
    # is found in the read of them all.
    triaged = _triage(_sheet(rows))
    assert triaged.hints and triaged.hints[0].turn == 0


@pytest.mark.parametrize(
    ("read", "whole"),
    [("Bel No: CSC-2010-622€", False), ("Reel No.: DSA-2018-65|", True), ("CSC 2010 62263", True)],
)
def test_text_shaped_like_a_reference_is_evidence_however_its_cut_ends(read: str, whole: bool) -> None:
    """A second user's stamped cover fed 3° askew: triage's 46 mm cut ended inside the reference and
    tesseract read "Bel No: CSC-2010-622€". No reference reads from it, but it is a cover's evidence
    in a page's first lines; further down only a whole one is, after a label or opening its piece."""
    line = _line(read)
    piece = Piece(np.zeros((12, 200), bool), 0, 200, 173, 2, 12)
    assert evidence_row([(piece, line)], [DEFAULT_REFERENCE_PATTERN]) == 173
    low = Piece(np.zeros((12, 200), bool), 0, 200, 173, 9, 12)
    assert (evidence_row([(low, line)], [DEFAULT_REFERENCE_PATTERN]) is not None) is whole
    assert (evidence_row([(piece, line)], [DEFAULT_REFERENCE_PATTERN], bare=False) is not None) is (whole)


@pytest.mark.parametrize(
    ("read", "evidence"),
    [
        ("AP NN 6969602 XATAL JEN 800", False),  # a skewed book page read upside down
        ("NNT 6468674 XATAL 1818-800", False),
        ("25 EF 9228", False),  # cut short, with a year no case has begun
        ("Page 4 EF 1928", True),  # cut short inside one that may be a case's
        ("see 96 DSA 2021 4412", True),
    ],
)
def test_text_shaped_like_a_reference_with_a_year_no_case_has_is_no_evidence(read: str, evidence: bool) -> None:
    """Book pages read at a scale their PDF's page size implied, turned the way the page is not
    up, read "AP NN 6969602" in their first line, and split off as covers of their own."""
    piece = Piece(np.zeros((12, 200), bool), 0, 200, 173, 1, 12)
    assert (evidence_row([(piece, _line(read))], [DEFAULT_REFERENCE_PATTERN]) is not None) is evidence


@pytest.mark.parametrize(
    ("name", "number", "times", "skew", "turn"),
    [
        ("cardinal.pdf", 1, 1.15, 0.0, 0),
        ("cardinal.pdf", 2, 0.75, 0.0, 180),
        ("cardinal.pdf", 2, 1.15, 1.75, 0),
        ("cardinal.pdf", 4, 1.0, 1.75, 180),
        ("linn.png", 1, 1.15, 0.0, 0),
        ("skew.pdf", 1, 1.15, -1.2, 180),
        ("skew.pdf", 1, 0.8, 1.75, 0),
        ("typewriter.png", 1, 0.7, -1.75, 180),
    ],
)
def test_real_pages_read_at_a_wrong_scale_and_askew_show_no_cover_either_way_up(
    name: str, number: int, times: float, skew: float, turn: int
) -> None:
    """A PDF's page size may imply another resolution than its scan's (a 300 dpi book page on a
    page sized for 400 dpi): read at it, the page is smaller or larger than it looks, and its
    upside-down print read as a reference's shape when it was looked at the unlikely way up."""
    page = real_page(name, number, 300).rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255).rotate(turn)
    small = page.resize((round(page.width * times / 3), round(page.height * times / 3)), Image.Resampling.LANCZOS)
    assert triage_page(small, PATTERNS, "eng", 60) == Triage(())


@pytest.mark.parametrize(
    ("read", "shows"),
    [
        ("Date of birth: 27/08/2007", True),
        ("Date%ef birth: 27/0821", True),  # a stamp's stroke across "of"
        ("Dbte of bith /05/2:", True),  # ... and one letter of each word
        ("D.O.B. 01/02/2006", True),
        ("008: 14/08/2017", True),  # "DOB" in a monospaced font, read as figures
        ("D0B: 14/08/2017", True),
        ("0.0.8. 01/02/2006", True),
        ("008: 14 August", False),  # no date beside it
        ("2008: 14/08/2017", False),
        ("100: 14/08/2017", False),
        ("BOB: 10/12/1947", True),  # ... and its "D" as a "B"
        ("Bobby Smith 10/12/1947", False),
        ("Date: 12 March 2021", False),
        ("Date of referral 12/03/2021", False),
        ("Date of last visit", False),
        ("Dear Ms Birch", False),
    ],
)
def test_a_birth_label_is_known_through_a_stamps_damage_and_nothing_else_is(read: str, shows: bool) -> None:
    assert shows_birth_label(_line(read)) is shows


@pytest.mark.parametrize(
    ("read", "evidence"),
    [
        ("Ret: CP-2007-353408 Page 1 of 1", True),  # "Ref:" misread, in a footer
        ("Client ID: KLM-2019-00412", True),  # a label word no list holds
        ("Unique no: SGD / 2024 / 0412", True),
        ("Your ref: CSC-2020-7731", False),  # another agency's case, on every page of its letter
        ("Printed: 12/03/2020 Page 2 of 5", False),
        ("Note: see CSC-2020-7731 for the sibling", False),  # a reference quoted in a sentence
        ("12/03/2020: CSC-2020-7731", False),  # a chronology's date, not a label
    ],
)
def test_a_whole_reference_after_any_label_is_evidence_anywhere_on_the_page(read: str, evidence: bool) -> None:
    """A seventh tester's front sheet printed its reference only in a 9 pt footer, upside down,
    read "Ret: CP-2007-353408": no label known, and too low for a bare reference to count. A
    whole reference right after a word ending in a colon is a labelled one, whatever the label."""
    line = _line(read)
    low = Piece(np.zeros((12, 200), bool), 0, 200, 1100, 30, 12)
    assert (evidence_row([(low, line)], [DEFAULT_REFERENCE_PATTERN]) == 1100) is evidence


@pytest.mark.parametrize(
    ("pieces", "evidence"),
    [
        ([("Case Ret:", 0), ("DSB-2019-301", 100)], True),  # a label one letter off, its value beside it
        ([("vase ne!", 0), ("DSB-2019-305", 100)], True),  # a smudged label: the value opens its own piece
        ([("Date:", 0), ("12/03/2020", 100)], False),
        ([("2TS-0202-09s", 0)], False),  # upside-down print: a reading only with corrections, year 0202
        ([("CSC+2020-720", 0)], True),  # a hyphen a stamp's ring crossed is still a separator
        ([("the note quotes", 0), ("see DSB-2019-301", 100)], False),
    ],
)
def test_a_form_value_column_holding_a_whole_reference_is_evidence_below_the_top(
    pieces: list[tuple[str, int]], evidence: bool
) -> None:
    """A new user's framed fields beside a column of notes, half-way down: triage read "Case Ret:"
    beside "DSB-2019-301" (a doubt, not evidence) and the cover merged."""
    read = [(Piece(np.zeros((12, 400), bool), start, 400, 700, 30, 12), _line(words, start)) for words, start in pieces]
    assert (evidence_row(read, [DEFAULT_REFERENCE_PATTERN], bare=False) is not None) is evidence


@pytest.mark.parametrize(
    ("read", "may"),
    [
        ("CF.2023", True),  # a hyphen 2.6° askew read as a full stop; the label cell read nothing
        ("CF-2023", True),
        ("CSC+20", True),  # a hyphen a stamp's ring crossed
        ("CSC~20", True),
        ("KLM- 20", True),
        ("LADO-", True),
        ("Dear Dr.", False),
        ("the family", False),
    ],
)
def test_the_first_look_sends_on_what_may_start_a_reference(read: str, may: bool) -> None:
    assert may_start_label(_line(read)) is may


@pytest.mark.parametrize(
    ("read", "spoilt"),
    [
        ("DSA-292}-6614", True),  # the year spoilt by a stamp's ring, the shape kept
        ("CIN-20I8-899318", True),
        ("SG-2C 14-604", True),  # a narrow 0 read as C, and a space OCR put after it
        ("TO-2 May-2019", False),  # a date's day and month are no year
        ("ciN-201", False),  # a start alone: upside-down print reads so too
        ("ETE-904 (GIB)", False),
        ("isiog/2015", False),
        ("COVID-19", False),
        ("12/03/2021", False),
        ("Tel 01234 567890", False),
    ],
)
def test_a_reference_spoilt_in_the_first_lines_is_still_evidence(read: str, spoilt: bool) -> None:
    assert reference_spoilt(_line(read)) is spoilt


@pytest.mark.parametrize(
    ("read", "opens"),
    [
        ("SG-2018", True),
        ("‘TxG/20 12", True),  # a speck before it, a space between its year's figures
        ("2S-2019-11", True),  # "ZS-2019-1628" white on a black box, its Z read as a figure
        ("$G-2018", True),
        ("2019/2020 annual report", False),  # a year is no code's letters
        ("12.03.2019 meeting", False),
        ("Tel 01234 567890", False),
    ],
)
def test_a_first_look_that_may_open_a_reference_is_read_whole(read: str, opens: bool) -> None:
    assert opens_like_a_reference(_line(read), (DEFAULT_REFERENCE_PATTERN,)) is opens


@pytest.mark.parametrize(
    ("read", "alone"),
    [
        ("LBH", True),
        ("csc", True),  # small capitals read as lower case
        ("2M", True),  # a bold "ZM" white on a box of its own, its Z read as a figure
        ("$G -", True),
        ("2nd", False),  # an ordinal in a letter's line
        ("2019", False),  # figures alone are no code
    ],
)
def test_a_code_read_alone_may_have_its_figures_read_for_letters(read: str, alone: bool) -> None:
    assert shows_a_code_alone(_line(read)) is alone


@pytest.mark.parametrize(
    ("read", "in_part"),
    [
        ("DSA-2016- eat", True),  # a stamp across the number
        ("¥6G-2017.42973", True),  # 8 pt narrow white print whose code read as no letters
        ("csc-2025-0142", True),
        ("CSC-2025-0142", False),  # read whole: a reference, not a part of one
        ("(AB-2019-3301)", False),
        ("0161-2019-123", False),  # a telephone number's area code is all figures
        ("12/03/2021", False),
        ("2021-03-12", False),
        ("see page 12-2019 4567", False),
    ],
)
def test_a_reference_read_in_part_is_told_from_dates_and_numbers(read: str, in_part: bool) -> None:
    assert reference_cut_short(_line(read)) is in_part
