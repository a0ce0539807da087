"""A header whose resolution lies to another real sheet: a 300 dpi A4 scan stating 400, 420 or
600 dpi is an A5 or A6 sheet by its header, and reached OCR at three quarters to half its size.
Every kind of file carries such a header (JFIF, TIFF tags per page, PNG pHYs, a PDF's page size),
and honest A5 and A6 scans, whose pixels may be the very same, must still be read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, TiffImagePlugin

from scanner import ScanOptions, identify_file, iter_pages, render_page
from scanner.analysis import analyse_page
from scanner.pages import Page
from scanner.paper import is_offered, likeliest_reading, plausible_dpi, scale_doubt, scale_readings
from synthetic.drawing import Pen
from synthetic.files import concatenate_pdfs, write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import Person
from synthetic.real import real_page

OPTIONS = ScanOptions(workers=1)
PATTERNS = (r"[A-Z]{2,4}[-/ ]?\d{4}[-/ ]?\d{3,6}",)


def _cover(person: Person, layout: str, barcode: str | None = None) -> Image.Image:
    return draw_cover(person, layout, 300, barcode=barcode).convert("L")


def _read(path: Path) -> list[str | None]:
    """The reference of each case file found, None for one with no cover or an unread one."""
    return [None if f.cover is None else f.cover.case_reference for f in identify_file(path, OPTIONS).case_files]


@pytest.mark.parametrize(
    "layout, stated, suffix",
    [
        ("diocesan-table", 600, ".png"),  # A4 pixels stating A6
        ("case-no-header-row", 420, ".png"),  # a resolution no scanner offers, stating A5
        ("ref-no-small-table", 400, ".jpg"),  # stating A5 in a JFIF header
        ("our-ref-letter", 400, ".tif"),
        ("letterhead", 600, ".jpg"),
        ("reference-number-right", 600, ".tif"),
    ],
)
def test_a_single_page_cover_whose_header_states_a_smaller_sheet_is_read(
    tmp_path: Path, people: list[Person], layout: str, stated: int, suffix: str
) -> None:
    person = people[stated % 7]
    path = tmp_path / f"cover{suffix}"
    _cover(person, layout).save(path, dpi=(stated, stated))
    assert _read(path) == [person.case_reference]


def _tiff(pages: list[tuple[Image.Image, int]], path: Path) -> Path:
    """A multi-page TIFF with a resolution per page, as a scanner that mixes settings writes it."""
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tiff:
        for page, dpi in pages:
            page.save(tiff, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
            tiff.newFrame()
    return path


@pytest.mark.parametrize("stated", [400, 600])
def test_in_a_tiff_of_mixed_resolutions_a_lying_cover_starts_its_own_case_file(
    tmp_path: Path, people: list[Person], stated: int
) -> None:
    """The tester's batch: every page scanned at 300 dpi, one cover's header lying. Its pages
    were merged into the case file before it."""
    first, second = people[0], people[1]
    pages = [
        (_cover(first, "labelled"), 300),
        (draw_continuation(0, 300).convert("L"), 300),
        (_cover(second, "diocesan-table"), stated),
        (draw_continuation(1, 300).convert("L"), stated),
    ]
    path = _tiff(pages, tmp_path / "batch.tif")
    files = identify_file(path, OPTIONS).case_files
    assert [(f.first_page, f.last_page) for f in files] == [(1, 2), (3, 4)]
    assert [f.cover.case_reference if f.cover else None for f in files] == [
        first.case_reference,
        second.case_reference,
    ]


@pytest.mark.parametrize("encoding, stated", [("jpeg", 600), ("png", 400), ("g4", 600)])
def test_a_pdf_whose_page_is_a_smaller_sheet_than_its_scan_is_read(
    tmp_path: Path, people: list[Person], encoding: str, stated: int
) -> None:
    """img2pdf sizes the page by the image's stated resolution: an A4 scan stating 600 dpi
    becomes an A6 page, and a viewer shows it as one."""
    first, second = people[2], people[3]
    honest = write_pdf([_cover(first, "labelled"), draw_continuation(2, 300)], tmp_path / "a.pdf", 300)
    lying = write_pdf([_cover(second, "diocesan-table")], tmp_path / "b.pdf", stated, encoding=encoding)
    path = concatenate_pdfs([honest, lying], tmp_path / "batch.pdf")
    assert _read(path) == [first.case_reference, second.case_reference]


def test_an_a3_scan_whose_header_states_a5_is_read(tmp_path: Path, people: list[Person]) -> None:
    """An A3 sheet at 300 dpi (3508 × 4961 px) stating 600 dpi: neither its header (A5) nor the
    everyday sheet of its shape (A4 at 424 dpi) is true; the text finds A3 at 300."""
    person = people[3]
    sheet = Image.new("L", (3508, 4961), 255)
    sheet.paste(_cover(person, "diocesan-table"), (0, 0))
    path = tmp_path / "a3.png"
    sheet.save(path, dpi=(600, 600))
    assert _read(path) == [person.case_reference]


def _letter(image: Image.Image) -> Image.Image:
    """An A4 drawing on a US letter sheet at 300 dpi (2550 × 3300 px)."""
    sheet = Image.new("L", (2550, 3300), 255)
    sheet.paste(image.crop((0, 0, image.width, 3300)), (35, 0))
    return sheet


@pytest.mark.parametrize("stated", [400, 600])
def test_a_us_letter_scan_whose_header_lies_is_read(tmp_path: Path, people: list[Person], stated: int) -> None:
    person = people[4]
    path = tmp_path / "letter.png"
    _letter(_cover(person, "case-no-header-row")).save(path, dpi=(stated, stated))
    assert _read(path) == [person.case_reference]


def test_a_sideways_cover_with_a_lying_header_is_read(tmp_path: Path, people: list[Person]) -> None:
    person = people[5]
    path = tmp_path / "sideways.jpg"
    _cover(person, "diocesan-table").transpose(Image.Transpose.ROTATE_90).save(path, dpi=(600, 600), quality=85)
    assert _read(path) == [person.case_reference]


def test_a_barcoded_cover_with_a_lying_header_is_named_by_its_barcode(tmp_path: Path, people: list[Person]) -> None:
    person = people[6]
    path = tmp_path / "barcoded.png"
    _cover(person, "case-no-header-row", barcode="code128").save(path, dpi=(600, 600))
    files = identify_file(path, OPTIONS).case_files
    assert [f.cover.case_reference if f.cover else None for f in files] == [person.case_reference]
    assert files[0].cover is not None and files[0].cover.method == "barcode"


def _card(person: Person, size_mm: tuple[float, float], dpi: int) -> Image.Image:
    """A small front sheet really of this size: labels 12 pt, body 10 pt, as printed on A5 or A6."""
    pen = Pen(Image.new("L", (round(size_mm[0] / 25.4 * dpi), round(size_mm[1] / 25.4 * dpi)), 255), dpi)
    pen.text(8, 8, "Safeguarding Office", 14, "lib-sans-bold")
    end = pen.text(8, 18, "Case Reference:", 12, "lib-sans-bold")
    pen.text(end + 3, 18, person.case_reference, 12, "lib-sans")
    pen.text(8, 25, f"Name: {person.name}", 12, "lib-sans")
    pen.text(8, 32, f"Date of birth: {person.date_of_birth:%d/%m/%Y}", 12, "lib-sans")
    for line in range(6):
        pen.text(8, 44 + line * 5, "Notes of every contact are filed behind this sheet.", 10, "lib-serif")
    return pen.image


@pytest.mark.parametrize(
    "size_mm, dpi, suffix",
    [((148, 210), 300, ".png"), ((105, 148), 600, ".png"), ((105, 148), 600, ".jpg"), ((148, 210), 400, ".tif")],
)
def test_honest_a5_and_a6_scans_are_read_at_their_own_resolution(
    tmp_path: Path, people: list[Person], size_mm: tuple[float, float], dpi: int, suffix: str
) -> None:
    """An A6 card at 600 dpi has the pixels of an A4 page at 300: its header is true."""
    person = people[7]
    path = tmp_path / f"card{suffix}"
    _card(person, size_mm, dpi).save(path, dpi=(dpi, dpi))
    assert _read(path) == [person.case_reference]
    for page in iter_pages(path):
        page.at(100)
        assert page.doubt is None


@pytest.mark.parametrize("stated", [420, 500, 180, 333])
def test_a_resolution_no_scanner_offers_is_no_evidence(stated: int) -> None:
    assert not is_offered(stated)
    assert plausible_dpi(2480, 3508, stated) == pytest.approx(300, rel=0.01)


@pytest.mark.parametrize("stated", [72, 75, 96, 100, 150, 200, 300, 400, 600, 254, 204, 299.9994])
def test_resolutions_scanners_offer_are_evidence(stated: float) -> None:
    assert is_offered(stated)


@pytest.mark.parametrize(
    "size, believed, readings",
    [
        ((2480, 3508), 300.0, (300.0,)),  # A4 at 300: header and pixels agree
        ((2480, 3508), 600.0, (600.0, 300.0)),  # A6 by its header, A4 by its shape
        ((2480, 3508), 400.0, (400.0, 300.0)),
        ((3508, 2480), 600.0, (600.0, 300.0)),  # landscape
        ((2550, 3300), 400.0, (400.0, 300.0)),  # US letter
        ((1748, 2480), 300.0, (300.0, 211.4)),  # a true A5 at 300 is also A4 at 211: the text decides
        ((2000, 2000), 240.0, (240.0,)),  # no everyday sheet is square
        ((3508, 4961), 600.0, (600.0, 424.2, 300.0)),  # A3 at 300 stating A5: A4 by its shape, or A3 at 300
        ((595, 842), 72.0, (72.0,)),  # an A4 PDF page in points
    ],
)
def test_scale_readings(size: tuple[int, int], believed: float, readings: tuple[float, ...]) -> None:
    assert scale_readings(*size, believed) == pytest.approx(readings, rel=0.01)


@pytest.mark.parametrize(
    "cores, expected",
    [
        ((3.2, 6.4), 1),  # half size under the header, nominal under the shape
        ((6.1, 12.2), 0),  # an honest A6 card: its header puts the text right
        ((None, None), 0),  # no text: the header stands
        ((5.6, 7.5), 1),  # a third apart and both near: the larger, which OCR reads
        ((4.3, 6.1), 1),
        ((4.9, 6.9), 1),  # an honest A5 card of small print: read a size larger
        ((4.9, 8.1), 0),  # a small book page (5 x 6.6 in) is no US letter page shrunk: too far apart to be alike
    ],
)
def test_the_text_chooses_the_reading(cores: tuple[float | None, ...], expected: int) -> None:
    assert likeliest_reading(cores) == expected


def test_a_scale_doubt_is_said_only_for_text_out_of_reach() -> None:
    assert scale_doubt(None) is None
    assert scale_doubt(6.0) is None
    assert "too small" in (scale_doubt(1.5) or "")
    assert "too large" in (scale_doubt(20.0) or "")


def _tiny_text_page() -> Image.Image:
    """A continuation page of 3 pt print: too small to read at any reading offered."""
    pen = Pen.blank(300)
    for line in range(60):
        pen.text(20, 20 + line * 2.5, "Notes of every contact are filed behind this sheet, in date order.", 3, "sans")
    return pen.image


def test_a_page_whose_text_is_out_of_reach_is_never_silently_a_continuation_page() -> None:
    """Whatever the readings, a page whose text cannot be read at the scale chosen leaves a doubt,
    so its case file goes to a person instead of being linked with it inside."""
    image = _tiny_text_page()
    page = Page(2, lambda _dpi: (image, 300.0), lambda: (1.0, 0.95))
    finding = analyse_page(page, PATTERNS, frozenset())
    assert finding.cover is None
    assert finding.doubt is not None and "too small" in finding.doubt


def test_a_page_stated_right_is_never_measured(people: list[Person]) -> None:
    """An A4 page at 300 dpi whose header agrees costs nothing more and carries no doubt."""
    image = _cover(people[0], "labelled")
    page = Page(1, lambda _dpi: (image, 300.0))
    assert page.at(100).width == 827
    assert page.doubt is None


def test_a_jpeg_lie_and_its_preview_agree_on_the_pixels(tmp_path: Path, people: list[Person]) -> None:
    """Identification and the review preview decode the same pixels whatever the header says."""
    path = tmp_path / "cover.jpg"
    buffer = io.BytesIO()
    _cover(people[1], "labelled").save(buffer, "JPEG", dpi=(420, 420), quality=85)
    path.write_bytes(buffer.getvalue())
    assert render_page(path, 1, dpi=100).size == (827, 1169)  # 420 is no scanner's: A4 at 300


@pytest.mark.parametrize(
    "name, number, stated",
    [("skew.pdf", 1, 400), ("skew.pdf", 1, 72), ("cardinal.pdf", 4, 150), ("linn.png", 1, 600)],
)
def test_a_real_page_on_a_pdf_page_sized_for_another_resolution_stays_in_its_case_file(
    tmp_path: Path, people: list[Person], name: str, number: int, stated: int
) -> None:
    """A 300 dpi book page behind a cover, both on PDF pages sized for `stated` dpi: read at the
    scale that implies, looked at the unlikely way up, its print read "NN 6969602" and it split
    off as an unreadable cover of its own (a new user's batches)."""
    pages = [_cover(people[2], "boxed"), real_page(name, number, 300)]
    found = identify_file(write_pdf(pages, tmp_path / "batch.pdf", stated), OPTIONS).case_files
    assert [(f.first_page, f.last_page, f.doubts) for f in found] == [(1, 2, ())]
    assert found[0].cover is not None and found[0].cover.case_reference == people[2].case_reference
