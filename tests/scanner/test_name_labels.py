"""Who a cover is about, under the labels other offices print (no tesseract needed: words placed by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from scanner.fields import read_fields
from scanner.layout import group_lines
from scanner.tesseract import Word
from synthetic.pages import draw_continuation

DPI = 300
MM = DPI / 25.4


def _line(text: str, left_mm: float, top_mm: float) -> list[Word]:
    words, left = [], left_mm
    for piece in text.split():
        width = len(piece) * 2.2
        words.append(Word(piece, 95.0, round(left * MM), round(top_mm * MM), round(width * MM), round(4 * MM)))
        left += width + 2
    return words


def _fields(*lines: tuple[str, float, float]) -> tuple[str | None, str | None]:
    fields = read_fields(group_lines([w for text, x, y in lines for w in _line(text, x, y)]), DPI)
    return fields.name, fields.date_of_birth.isoformat() if fields.date_of_birth else None


@pytest.mark.parametrize(
    "label", ["Child:", "Client:", "Young person:", "Service user:", "Pupil:", "Patient:", "Adult at risk:", "Person:"]
)
def test_a_name_under_a_label_naming_who_the_file_is_about_is_read(label: str) -> None:
    assert _fields(
        ("CHILD PROTECTION", 20, 14),
        (f"{label} Zoë O'Brien", 20, 28),
        ("Date of birth: 03/11/2012", 20, 35),
    ) == ("Zoë O'Brien", "2012-11-03")


@pytest.mark.parametrize(
    "heading", ["CHILD PROTECTION CASE FILE", "Child and family record", "Client services", "Young person's plan"]
)
def test_the_same_word_in_a_heading_or_a_sentence_is_not_a_label(heading: str) -> None:
    name, _ = _fields((heading, 20, 14), ("Name: Amir Haddad", 20, 28))
    assert name == "Amir Haddad"


def test_a_heading_word_alone_names_no_one() -> None:
    assert _fields(("Child protection", 20, 14), ("Opened 01/01/2020", 20, 28)) == (None, None)


@pytest.mark.parametrize(
    "line",
    [
        "Re: Jo-Ann Ali (DOB: 07/09/1972)",
        "Re: Jo-Ann Ali (born 07/09/1972)",
        "Re: Jo-Ann Ali [DOB 07/09/1972]",
        "Re: Jo-Ann Ali - DOB 07/09/1972",
        "Re: Jo-Ann Ali, DOB 07/09/1972",
    ],
)
def test_a_name_stops_where_its_date_of_birth_starts(line: str) -> None:
    assert _fields((line, 20, 40)) == ("Jo-Ann Ali", "1972-09-07")


@pytest.mark.parametrize(
    "line, name",
    [
        ("Name: Begofia J6ézef Mufioz ifiguez", "Begofia J6ézef Mufioz ifiguez"),  # ó read as 6é
        ("Surname, Forename: Lanna, Agot Jézef", "Lanna Agot Jézef"),
        ("Name: NOWAK, Zoë Anna", "NOWAK Zoë Anna"),
        ("Name: Zoë Nowak, Female", "Zoë Nowak"),
        ("Name: Jack, aged 12", "Jack"),
        ("Name: Zoë Nowak 12th", "Zoë Nowak"),
    ],
)
def test_a_name_runs_on_past_a_letter_read_as_a_digit_and_past_a_surname_printed_first(line: str, name: str) -> None:
    """A fresh tester's covers read "Begofia" of "Begoña Józef Muñoz Íñiguez" and "Lanna" of
    "Lønnå, Ågot Józef": the name stopped at "J6ézef" and at the surname's comma."""
    assert _fields((line, 20, 40))[0] == name


@pytest.mark.parametrize("printed", ["04-Jul-2016", "4 July 2016", "04.Jul.2016", "4th of July, 2016", "04/07/2016"])
def test_a_date_of_birth_in_any_of_the_ways_offices_print_it_is_read(printed: str) -> None:
    """A fresh tester's "D.O.B. 04-Jul-2016" read as no date of birth at all."""
    assert _fields(("Name: Jo-Ann Ali", 20, 30), (f"D.O.B. {printed}", 20, 40)) == ("Jo-Ann Ali", "2016-07-04")


def _sheet(lines: list[str], points: float = 12) -> Image.Image:
    page = Image.new("L", (round(210 * MM), round(297 * MM)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", round(points / 72 * DPI)
    )
    for row, text in enumerate(lines):
        draw.text((round(20 * MM), round((20 + row * 9) * MM)), text, font=font, fill=0)
    return page


@pytest.mark.parametrize(
    "label", ["Pupil:", "Young person:", "Adult at risk:", "Person:", "Service user:", "Forename:"]
)
def test_a_cover_naming_its_person_under_any_name_label_starts_a_case_file_without_a_reference(
    tmp_path: Path, label: str
) -> None:
    """A front sheet that prints no reference: its name and date of birth mark it a cover,
    under whichever label the name is read from; its pages joined the case file before it."""
    pages = [
        _sheet(["CASE FILE", "Case Reference: CP-2023-0101", "Name: Amelia Hart", "Date of birth: 04/05/2014"]),
        draw_continuation(3, DPI).convert("L"),
        _sheet(["Safeguarding Case File", f"{label} Isaac Reid", "Date of birth: 02/08/2010", "Opened: 01/01/2020"]),
        draw_continuation(4, DPI).convert("L"),
    ]
    path = tmp_path / "batch.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=DPI)
    files = identify_file(path, ScanOptions(workers=1)).case_files
    assert [(f.first_page, f.last_page) for f in files] == [(1, 2), (3, 4)]
    assert files[1].cover is not None and files[1].cover.case_reference is None


def test_a_subject_line_names_the_person_only_when_nothing_else_does() -> None:
    assert _fields(
        ("Re: Child Protection Conference", 20, 14),
        ("Surname: Turner", 20, 28),
        ("Forename: Jade", 20, 35),
    ) == ("Jade Turner", None)


@pytest.mark.parametrize(
    "lines",
    [
        [("Surname: Turner   Forename: Jade", 20, 28)],
        [("Name: Jade Turner Gender: Female", 20, 28)],
        [("Name: Jade Turner Date of birth:", 20, 28)],
    ],
)
def test_a_name_stops_at_the_next_label_on_its_line(lines: list[tuple[str, float, float]]) -> None:
    assert _fields(*lines)[0] == "Jade Turner"


@pytest.mark.parametrize(
    "value", ["see details below", "details overleaf", "see attached", "not known", "N/A", "withheld"]
)
def test_a_label_whose_value_points_elsewhere_names_no_one(value: str) -> None:
    """ "Child: see details below" read as the name "see details below", which contradicted every
    record and sent exact covers to review as "may belong to someone else"."""
    assert _fields(("Child: " + value, 20, 28), ("Date of birth: 03/11/2012", 20, 35)) == (None, "2012-11-03")


@pytest.mark.parametrize("value", ["Anna See", "ZOË O'BRIEN", "de la Cruz Maria", "Nadia Known"])
def test_a_name_that_only_shares_a_word_with_such_a_value_is_still_read(value: str) -> None:
    assert _fields(("Name: " + value, 20, 28))[0] == value


@pytest.mark.parametrize(
    ("surname", "forename", "want"),
    [
        ("O'Neill", "[Jack", "Jack O'Neill"),
        ("|O'Neill", "Jack]", "Jack O'Neill"),
        ("[O'Neill]", "| Jack", "Jack O'Neill"),
    ],
)
def test_a_box_edge_read_as_a_bracket_or_bar_is_no_part_of_the_name(surname: str, forename: str, want: str) -> None:
    """Tesseract reads the left edge of a form's box as "[" or "|" ("[Jack"): it is the box, not a
    bracket opening an aside, and the name inside it is still read."""
    name, _ = _fields(("Surname", 20, 40), ("Forename(s)", 110, 40), (surname, 20, 47), (forename, 110, 47))
    assert name == want


@pytest.mark.parametrize("printed", ["10.07.7004", "13/03/9090", "01/01/1066", "12/03/2090"])
def test_a_date_of_birth_no_one_alive_can_have_is_no_date_of_birth(printed: str) -> None:
    """A second user's trial: a typewritten "10.07.2004" read as 7004, taken for a date of birth,
    contradicted the record and sent an exact cover to review as "may belong to someone else"."""
    assert _fields(("Name: Amir Haddad", 20, 28), (f"D.O.B. {printed}", 20, 35)) == ("Amir Haddad", None)


@pytest.mark.parametrize("label", ["Other child:", "Older child:", "Younger child's name:", "Linked child:"])
def test_a_label_for_another_child_is_not_the_covers_name(label: str) -> None:
    """Read as the cover's, another child's name contradicted the sheet's own child, or, on a
    sheet about a child not yet in the template, agreed with the code's."""
    assert _fields(
        ("Front sheet", 20, 14),
        ("Name: Amir Haddad", 20, 28),
        (f"{label} Zoë O'Brien", 20, 35),
    ) == ("Amir Haddad", None)
    assert _fields(("Front sheet", 20, 14), (f"{label} Zoë O'Brien", 20, 28)) == (None, None)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            ["Child's ForenameLily-Mae", "Child's Surname HIRST", "Date of birth 01/11/2016"],
            ("Lily-Mae HIRST", "2016-11-01"),
        ),
        (["Forename(s)Tyler", "SurnameBRENNAN", "DOB14/06/2013"], ("Tyler BRENNAN", "2013-06-14")),
        (["NameJade Turner", "D.O.B. 03/11/2012"], ("Jade Turner", "2012-11-03")),
        (["Child:Jade Turner", "DOB: 03/11/2012"], ("Jade Turner", "2012-11-03")),
    ],
)
def test_a_value_run_into_its_label_is_read(lines: list[str], want: tuple[str, str]) -> None:
    """Tesseract misses a narrow space after a label ("Child's ForenameLily-Mae"): a fresh
    tester's forename was then taken from the next line's label, and an exact cover was held."""
    assert _fields(*[(text, 20, 28 + 7 * row) for row, text in enumerate(lines)]) == want


@pytest.mark.parametrize(
    "lines",
    [
        ["Forenames", "Jade", "Surname", "Turner"],
        ["FORENAMES", "JADE", "SURNAME", "TURNER"],
        ["ChildLine: 0800 1111", "Name: Jade Turner"],
        ["Named worker Anne Hollis", "Name: Jade Turner"],
    ],
)
def test_a_label_with_its_own_ending_or_a_word_that_starts_like_one_is_no_run_in_value(lines: list[str]) -> None:
    name, _ = _fields(*[(text, 20, 28 + 7 * row) for row, text in enumerate(lines)])
    assert name is not None and name.casefold() == "jade turner"


@pytest.mark.parametrize(
    "lines",
    [
        ["Safeguarding Referral Record", "Ref:SHW-2020-0088", "Child:Ruby Shaw", "D.O.B.:22/07/2013"],
        ["Case file", "Case Ref:SHW-2020-0088", "Name: Ruby Shaw", "DOB:22/07/2013"],
        ["Child Protection File", "Ref.No.SHW-2020-0088", "Name: Ruby Shaw", "D.O.B. 22/07/2013"],
        ["Case file", "File No.SHW-2020-0088", "Child: Ruby Shaw", "DOB 22/07/2013"],
    ],
)
def test_a_reference_run_on_after_its_label_is_read(tmp_path: Path, lines: list[str]) -> None:
    """Printed against its label's colon, "Ref:SHW-2020-0088" was read as one word, which named
    no case: a fresh tester's clear cover waited for a person as unreadable; so did another's
    "Ref.No.KCC-2019-4412" (tryout 24)."""
    pages = [_sheet(["CASE FILE", "Case Reference: CP-2023-0101", "Name: Amelia Hart"]), _sheet(lines)]
    path = tmp_path / "batch.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=DPI)
    files = identify_file(path, ScanOptions(workers=1)).case_files
    assert [(f.first_page, f.cover and f.cover.case_reference) for f in files] == [
        (1, "CP-2023-0101"),
        (2, "SHW-2020-0088"),
    ]
    birth = files[1].cover.fields.date_of_birth if files[1].cover else None
    assert birth is not None and birth.isoformat() == "2013-07-22"
