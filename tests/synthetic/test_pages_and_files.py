"""Drawn pages look like A4 scans, barcodes decode, and every writer produces files readers open."""

from __future__ import annotations

from pathlib import Path

import numpy
import pikepdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image, TiffImagePlugin

from synthetic import (
    A4_MM,
    degrade,
    draw_continuation,
    draw_cover,
    make_people,
    write_image,
    write_pdf,
    write_text_pdf,
    write_tiff,
)
from synthetic.pages import BARCODE_FORMATS, LAYOUTS

DPI = 150
PERSON = make_people(1)[0]


def _top(page: Image.Image) -> Image.Image:
    return page.crop((0, 0, page.width, page.height // 3))


@pytest.mark.parametrize("dpi", [200, 300])
def test_cover_is_a4_at_its_resolution(dpi: int) -> None:
    page = draw_cover(PERSON, "labelled", dpi)
    assert page.size == (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))


@pytest.mark.parametrize("symbology", sorted(BARCODE_FORMATS))
def test_barcode_decodes_to_the_reference(symbology: str) -> None:
    page = draw_cover(PERSON, "boxed", DPI, barcode=symbology)
    texts = [result.text for result in zxingcpp.read_barcodes(_top(page))]
    assert texts == [PERSON.case_reference]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layouts_differ_and_are_deterministic(layout: str) -> None:
    page = draw_cover(PERSON, layout, DPI)
    assert page.tobytes() == draw_cover(PERSON, layout, DPI).tobytes()
    others = [draw_cover(PERSON, other, DPI).tobytes() for other in LAYOUTS if other != layout]
    assert page.tobytes() not in others


def test_reference_text_and_blank_reference_change_the_page() -> None:
    plain = draw_cover(PERSON, "form", DPI).tobytes()
    assert draw_cover(PERSON, "form", DPI, reference_text="SGD / 2024 / 0412").tobytes() != plain
    assert draw_cover(PERSON, "form", DPI, reference_text="").tobytes() != plain


def test_continuation_has_no_barcode_and_depends_on_seed() -> None:
    page = draw_continuation(3, DPI)
    assert page.tobytes() == draw_continuation(3, DPI).tobytes()
    assert page.tobytes() != draw_continuation(2, DPI).tobytes()
    assert zxingcpp.read_barcodes(page) == []


def test_degrade_turns_greys_and_is_seeded() -> None:
    page = draw_cover(PERSON, "labelled", DPI)
    turned = degrade(page, rotate=90)
    assert turned.size == (page.height, page.width)
    grey = numpy.asarray(degrade(page, grey=True, seed=1))
    assert 190 < numpy.median(grey) < 220
    noisy = degrade(page, noise=0.02, skew=3, blur=1, seed=7)
    assert noisy.tobytes() == degrade(page, noise=0.02, skew=3, blur=1, seed=7).tobytes()
    assert noisy.tobytes() != degrade(page, noise=0.02, skew=3, blur=1, seed=8).tobytes()
    with pytest.raises(ValueError):
        degrade(page, rotate=45)


def _pages(count: int) -> list[Image.Image]:
    return [draw_cover(PERSON, "labelled", DPI)] + [draw_continuation(n, DPI) for n in range(count - 1)]


@pytest.mark.parametrize(
    ("encoding", "pdf_filter"),
    [("jpeg", "/DCTDecode"), ("png", "/FlateDecode"), ("g4", "/CCITTFaxDecode"), ("jbig2", "/JBIG2Decode")],
)
def test_pdf_embeds_one_image_per_page_in_the_scanner_encoding(tmp_path: Path, encoding: str, pdf_filter: str) -> None:
    path = write_pdf(iter(_pages(3)), tmp_path / "scan.pdf", DPI, encoding=encoding)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 3
        images = list(pdf.pages[0].get_images().values())
        assert len(images) == 1 and isinstance(images[0], pikepdf.Stream)
        assert pikepdf.PdfImage(images[0]).filters == [pdf_filter]
        width_pt = float(pdf.pages[0].mediabox[2])
    assert width_pt == pytest.approx(A4_MM[0] / 25.4 * 72, abs=1)
    rendered = pypdfium2.PdfDocument(path)[0].render(scale=DPI / 72).to_pil()
    assert rendered.size[0] == pytest.approx(_pages(1)[0].width, abs=2)
    original = numpy.asarray(_pages(1)[0].convert("L").resize(rendered.size)) < 128
    assert (original == (numpy.asarray(rendered.convert("L")) < 128)).mean() > 0.99  # same ink: black stays black


@pytest.mark.parametrize(("compression", "tag"), [("group4", 4), ("tiff_lzw", 5), ("jpeg", 7)])
def test_tiff_is_multipage_with_its_compression(tmp_path: Path, compression: str, tag: int) -> None:
    path = write_tiff(iter(_pages(3)), tmp_path / "scan.tif", DPI, compression=compression)
    with Image.open(path) as tiff:
        assert isinstance(tiff, TiffImagePlugin.TiffImageFile)
        assert tiff.n_frames == 3
        for frame in range(3):
            tiff.seek(frame)
            assert tiff.tag_v2[259] == tag
            assert round(float(tiff.info["dpi"][0])) == DPI


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_single_images_record_their_resolution(tmp_path: Path, suffix: str) -> None:
    path = write_image(_pages(1)[0], tmp_path / f"scan{suffix}", DPI)
    with Image.open(path) as image:
        assert round(float(image.info["dpi"][0])) == DPI


def test_text_pdf_has_real_text(tmp_path: Path) -> None:
    path = write_text_pdf(["Record of a call with Zoë O'Brien", "No new concerns."], tmp_path / "letter.pdf")
    text = pypdfium2.PdfDocument(path)[0].get_textpage().get_text_range()
    assert "Zoë O'Brien" in text


def test_writers_refuse_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_pdf(_pages(1), tmp_path / "x.pdf", DPI, encoding="jpeg2000")
    with pytest.raises(ValueError):
        write_tiff(_pages(1), tmp_path / "x.tif", DPI, compression="zip")
    with pytest.raises(ValueError):
        write_image(_pages(1)[0], tmp_path / "x.bmp", DPI)
