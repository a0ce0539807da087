"""A child's case file with a page about another child filed inside it, scanned and decided for
real: tesseract on drawn pages, the catalogue's own decision against a template holding both."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from catalogue.candidates import RecordIndex
from catalogue.linking import Link, decide
from catalogue.scans import beside_each_other
from config.settings import load_settings
from records.template import TemplateRecord
from scanner import ScanOptions, identify_file
from store.states import LINKED_BY_SERVICE
from synthetic.drawing import Pen
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person
from tests.support.covers import TYPEFACES, px
from tests.support.stickers import label

SETTINGS = load_settings(environ={})


def index_of(people: Sequence[Person]) -> RecordIndex:
    return RecordIndex(
        (
            number,
            TemplateRecord(
                number,
                p.case_reference,
                p.case_reference,
                p.forename,
                p.surname,
                p.date_of_birth,
                "Open",
                None,
                None,
                True,
                False,
                {},
            ),
        )
        for number, p in enumerate(people, start=1)
    )


def sheet_decided(tmp_path: Path, page: Image.Image, people: Sequence[Person], following: int) -> Link:
    """A sheet (drawn at 300 dpi) and continuation page `following`, scanned and decided against
    a template of `people`, numbered from 1: the case file the sheet starts. Scanned as the
    service scans, knowing the template's references."""
    path = write_pdf([page, draw_continuation(following, 300)], tmp_path / "sheet.pdf", 300)
    known = frozenset(person.case_reference for person in people)
    (case_file,) = identify_file(path, ScanOptions(known_references=known)).case_files
    return decide(case_file, index_of(people), closed=False, location=None, settings=SETTINGS)


def typed_page(lines: Sequence[tuple[float, str, int]], font: str, paper: int) -> Image.Image:
    """An A4 letter at 300 dpi, each (mm from the top, text, points) line at 20 mm from the left."""
    page = Image.new("L", (px(210), px(297)), paper)
    draw = ImageDraw.Draw(page)
    for top, text, points in lines:
        face = ImageFont.truetype(TYPEFACES[font], round(points * 300 / 72))
        draw.text((px(20), px(top)), text, font=face, fill=25)
    return page


def within_a_case_file(page: Image.Image, child: Person, tmp_path: Path, dpi: int = 200) -> Path:
    """`page` (drawn at 300 dpi) as the third page of `child`'s case file of five, scanned at `dpi`."""
    pages = [
        draw_cover(child, "boxed", dpi),
        draw_continuation(31, dpi),
        page.resize((px(210) * dpi // 300, px(297) * dpi // 300)),
        draw_continuation(32, dpi),
        draw_continuation(33, dpi),
    ]
    return write_pdf(pages, tmp_path / "batch.pdf", dpi)


def only_the_childs_pages_are_linked(links: Sequence[Link], child_id: int) -> None:
    """Every page of the batch is the child's: a case file linked automatically to anyone else
    holds another person's pages. The page about the sibling may start its own case file (it
    shows a cover's evidence), which a person then sees, or stay where it was filed."""
    assert links[0].first_page == 1 and links[0].state in LINKED_BY_SERVICE, links[0].reason
    for link in links:
        assert link.state not in LINKED_BY_SERVICE or link.record_id == child_id, link.reason


def decided(path: Path, people: Sequence[Person]) -> list[Link]:
    """The scan's case files, identified as the service does (the template's references known,
    so a sure band read ends the careful read), and decided by the catalogue as the service
    decides them: each on its cover, then beside the one before it."""
    known = frozenset(person.case_reference for person in people)
    result = identify_file(path, ScanOptions(known_references=known))
    index = index_of(people)
    links = [decide(c, index, closed=False, location=None, settings=SETTINGS) for c in result.case_files]
    return beside_each_other(links, index)


def coded_sheet(coded: Person, lines: Sequence[str], code: str, face: str, points: float) -> Pen:
    """A front sheet at 300 dpi: `coded`'s reference as a barcode (`code`: "qr", "code128", …)
    at the top right, inside the page however long, or printed after "File No." ("printed"),
    over `lines` at `points`."""
    pen = Pen.blank(300)
    pen.text(20, 20, "Front Sheet", 15, f"{face}-bold")
    if code == "printed":
        pen.text(20, 33, f"File No.  {coded.case_reference}", points, face)
    else:
        sticker = label(coded.case_reference, code, 0.6 if code == "qr" else 0.3, 12)
        pen.paste(sticker, min(150.0, 202 - sticker.width / pen.dpi * 25.4), 14)
    for row, line in enumerate(lines):
        pen.text(20, 48 + points * 0.75 * row, line, points, face)
    return pen
