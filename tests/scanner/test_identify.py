"""Real tesseract and zxing on rendered pages: every variation the scanner must cope with."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import ScanOptions, identify_file
from synthetic.files import write_image, write_pdf, write_tiff
from synthetic.pages import degrade, draw_continuation, draw_cover
from synthetic.people import Person, make_people
from tests.support.readings import cover_of, pages_and_reading

DPI = 200


@pytest.mark.parametrize(
    "layout, damage",
    [
        ("labelled", {}),
        ("boxed", {"noise": 0.02}),
        ("form", {"grey": True, "skew": 3.0}),
        ("letterhead", {"rotate": 180}),
        ("labelled", {"rotate": 90, "skew": -3.0}),
        ("boxed", {"rotate": 270, "blur": 1.0}),
    ],
)
def test_ocr_cover_variations(tmp_path: Path, people: list[Person], layout: str, damage: dict) -> None:
    person = people[0]
    page = degrade(draw_cover(person, layout, DPI), seed=1, **damage)
    result = identify_file(write_image(page, tmp_path / "cover.png", DPI), ScanOptions())
    (case_file,) = result.case_files
    assert case_file.cover is not None
    assert case_file.cover.case_reference == person.case_reference
    assert case_file.cover.method == "ocr"


def test_decoy_reference_in_letter_body_does_not_win(tmp_path: Path, people: list[Person]) -> None:
    page = draw_cover(people[1], "letterhead", DPI, decoy_reference=people[2].case_reference)
    result = identify_file(write_image(page, tmp_path / "letter.png", DPI), ScanOptions())
    assert cover_of(result).case_reference == people[1].case_reference


def test_spaced_reference_is_read_and_fields_are_read(tmp_path: Path, people: list[Person]) -> None:
    person = people[3]
    prefix, year, number = person.case_reference.split("-")
    page = draw_cover(person, "labelled", DPI, reference_text=f"{prefix} - {year} {number}")
    cover = cover_of(identify_file(write_image(page, tmp_path / "c.png", DPI), ScanOptions()))
    assert cover.case_reference == person.case_reference
    assert cover.fields.date_of_birth == person.date_of_birth


@pytest.mark.parametrize("encoding", ["g4", "jbig2"])
@pytest.mark.parametrize("symbology", ["qr", "code128"])
def test_barcode_cover_in_black_and_white_pdf_needs_no_ocr(
    tmp_path: Path, people: list[Person], symbology: str, encoding: str
) -> None:
    person = people[4]
    page = degrade(draw_cover(person, "boxed", DPI, barcode=symbology, reference_text=""), rotate=90)
    cover = cover_of(identify_file(write_pdf([page], tmp_path / "b.pdf", DPI, encoding=encoding), ScanOptions()))
    assert (cover.case_reference, cover.method, cover.confidence) == (person.case_reference, "barcode", 1.0)


def test_plain_cover_in_a_jbig2_pdf_is_read(tmp_path: Path, people: list[Person]) -> None:
    pages = [draw_cover(people[3], "form", DPI), draw_continuation(1, DPI)]
    result = identify_file(write_pdf(pages, tmp_path / "j.pdf", DPI, encoding="jbig2"), ScanOptions())
    assert [pages_and_reading(c) for c in result.case_files] == [(1, 2, people[3].case_reference, "ocr")]


def test_batch_in_tiff_splits_at_each_cover(tmp_path: Path, people: list[Person]) -> None:
    pages = [
        draw_cover(people[5], "labelled", DPI),
        draw_continuation(1, DPI),
        draw_cover(people[6], "form", DPI),
        draw_continuation(2, DPI),
        draw_continuation(3, DPI),
    ]
    result = identify_file(write_tiff(pages, tmp_path / "batch.tif", DPI, compression="tiff_lzw"), ScanOptions())
    assert [pages_and_reading(c)[:3] for c in result.case_files] == [
        (1, 2, people[5].case_reference),
        (3, 5, people[6].case_reference),
    ]


def test_pages_without_a_cover_form_one_case_file_without_cover(tmp_path: Path) -> None:
    result = identify_file(write_pdf([draw_continuation(0, DPI)], tmp_path / "p.pdf", DPI), ScanOptions())
    assert [(c.first_page, c.last_page, c.cover) for c in result.case_files] == [(1, 1, None)]


def test_plain_cover_after_a_barcoded_one_still_starts_a_case_file(tmp_path: Path, people: list[Person]) -> None:
    pages = [
        draw_cover(people[0], "boxed", DPI, barcode="qr"),
        draw_continuation(4, DPI),
        draw_cover(people[1], "labelled", DPI),
        draw_continuation(5, DPI),
    ]
    result = identify_file(write_pdf(pages, tmp_path / "mixed.pdf", DPI), ScanOptions())
    assert [pages_and_reading(c) for c in result.case_files] == [
        (1, 2, people[0].case_reference, "barcode"),
        (3, 4, people[1].case_reference, "ocr"),
    ]


@pytest.mark.parametrize("shade", [255, 0, 250])
def test_blank_or_single_tone_pages_are_unreadable_not_a_crash(tmp_path: Path, shade: int) -> None:
    from PIL import Image

    blank = Image.new("L", (1654, 2339), shade)
    if shade == 250:
        blank.putpixel((800, 1200), 0)
    result = identify_file(write_pdf([blank, blank], tmp_path / "blank.pdf", DPI), ScanOptions())
    assert [(c.first_page, c.last_page, c.cover) for c in result.case_files] == [(1, 2, None)]


@pytest.mark.parametrize("layout", ["labelled", "boxed", "form", "letterhead"])
def test_cover_read_from_the_band_below_its_label_keeps_name_and_date_of_birth(
    tmp_path: Path, people: list[Person], layout: str
) -> None:
    # With the template's references known, a sure read of the band under the label is final:
    # the name and date of birth further down every layout must still be inside that band.
    person = people[5]
    options = ScanOptions(known_references=frozenset(p.case_reference for p in people))
    page = degrade(draw_cover(person, layout, DPI), seed=2, skew=2.0)
    cover = cover_of(identify_file(write_image(page, tmp_path / "c.png", DPI), options))
    assert (cover.case_reference, cover.method) == (person.case_reference, "ocr")
    assert cover.fields.date_of_birth == person.date_of_birth
    assert person.surname.lower() in (cover.fields.name or "").lower()


@pytest.mark.parametrize("symbology", ["qr", "datamatrix", "code128", "code39"])
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_every_symbology_any_way_up_is_read_as_a_barcode(
    tmp_path: Path, people: list[Person], symbology: str, turn: int
) -> None:
    person = people[6]
    page = degrade(draw_cover(person, "labelled", DPI, barcode=symbology), rotate=turn)
    cover = cover_of(identify_file(write_pdf([page], tmp_path / "b.pdf", DPI), ScanOptions()))
    assert (cover.case_reference, cover.method) == (person.case_reference, "barcode")


def test_skewed_cover_with_a_barcode_too_fine_for_the_small_copy_is_still_a_cover(tmp_path: Path) -> None:
    # Skew runs this letter's "Ref No." into the lines beside it at the small copy's resolution,
    # and Code 39 does not decode there: the bars alone must send the page to a closer look.
    person = make_people(8, seed=0)[0]
    page = degrade(draw_cover(person, "letterhead", DPI, barcode="code39"), seed=0, skew=-3.0)
    pages = [draw_continuation(1, DPI), page, draw_continuation(2, DPI)]
    result = identify_file(write_pdf(pages, tmp_path / "batch.pdf", DPI), ScanOptions())
    assert [(c.first_page, c.last_page) for c in result.case_files] == [(1, 1), (2, 3)]
    cover = cover_of(result, 1)
    assert (cover.case_reference, cover.method) == (person.case_reference, "barcode")
    assert cover.fields.date_of_birth == person.date_of_birth
