"""Every image as a person sees it in a viewer: identification and the review page's preview decode
a page the same way, whatever the file stores (a wrong resolution, transparent paper, 16 bits)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, TiffImagePlugin

from scanner import ImageTooLarge, identify_file, iter_pages, render_page
from synthetic.pages import draw_cover
from synthetic.people import Person
from tests.support.scans import bomb_png

A4_300 = (2480, 3508)


def _ocr_cover(person: Person, dpi: int) -> Image.Image:
    return draw_cover(person, "labelled", dpi).convert("L")


@pytest.mark.parametrize(
    "fmt, dpi, stored",
    [
        ("JPEG", 300, 72),  # the JPEG: 2480 × 3508 px, JFIF says 72 dpi
        ("JPEG", 300, 96),
        ("PNG", 300, 72),  # pHYs says 72
        ("TIFF", 200, 72),
        ("JPEG", 150, 600),  # claims a page of 2 × 3 inches
    ],
)
def test_a_stored_resolution_no_sheet_of_paper_has_is_replaced(
    tmp_path: Path, people: list[Person], fmt: str, dpi: int, stored: int
) -> None:
    person = people[dpi % len(people) + len(fmt) % 2]
    path = tmp_path / f"cover.{fmt.lower()}"
    _ocr_cover(person, dpi).save(path, fmt, dpi=(stored, stored))
    [case_file] = identify_file(path).case_files
    assert case_file.cover is not None and case_file.cover.case_reference == person.case_reference
    assert abs(render_page(path, 1, dpi=100).width - 8.27 * 100) < 10  # an A4 page at 100 dpi, whatever the header said


def test_a_page_with_no_stored_resolution_gets_the_estimate(tmp_path: Path, people: list[Person]) -> None:
    path = tmp_path / "letter.png"
    Image.new("L", (2550, 3300), 255).save(path)  # US letter at 300 dpi, no pHYs chunk
    assert Image.open(path).info.get("dpi") is None
    assert render_page(path, 1, dpi=100).size == (850, 1100)


def test_a_pdf_page_wrapped_as_if_72_dpi_is_read_as_the_sheet_it_is(tmp_path: Path) -> None:
    """A tool that wraps a 300 dpi scan at 72 dpi writes a 34 × 48 in page: it is A4 at 300."""
    import img2pdf

    path = tmp_path / "wrapped.pdf"
    Image.new("L", A4_300, 255).save(tmp_path / "page.png", dpi=(72, 72))
    path.write_bytes(img2pdf.convert(str(tmp_path / "page.png")))
    assert abs(render_page(path, 1, dpi=100).width - 827) < 3


def _transparent_cover(person: Person, mode: str) -> Image.Image:
    """Ink opaque, paper fully transparent and stored as (0, 0, 0, 0), as some tools write it."""
    ink = 255 - np.asarray(draw_cover(person, "labelled", 150, barcode="qr").convert("L"))
    rgba = np.zeros((*ink.shape, 4), np.uint8)
    rgba[..., 3] = ink
    image = Image.fromarray(rgba, "RGBA")
    if mode == "LA":
        return image.convert("LA")
    if mode == "P":
        flat = Image.fromarray(np.where(ink > 127, 0, 1).astype(np.uint8), "P")
        flat.putpalette([0, 0, 0, 0, 0, 0])
        flat.info["transparency"] = 1  # palette entry 1 is the paper: black, and transparent
        return flat
    return image


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparent_paper_is_white_to_identification_and_to_the_preview(
    tmp_path: Path, people: list[Person], mode: str
) -> None:
    person = people[len(mode)]
    path = tmp_path / "transparent.png"
    _transparent_cover(person, mode).save(path, dpi=(150, 150))
    [case_file] = identify_file(path).case_files
    assert case_file.cover is not None and case_file.cover.case_reference == person.case_reference
    preview = np.asarray(render_page(path, 1, dpi=100).convert("L"))
    assert preview.mean() > 200 and preview.min() < 60  # white paper, dark ink


@pytest.mark.parametrize("bits", ["I;16", "I;16B", "I"])
def test_a_greyscale_page_of_more_than_8_bits_is_scaled_not_clipped(
    tmp_path: Path, people: list[Person], bits: str
) -> None:
    cover = np.asarray(draw_cover(people[5], "labelled", 150, barcode="qr").convert("L")).astype(np.uint32) * 257
    image = Image.fromarray(cover.astype(np.int32 if bits == "I" else np.uint16))
    path = tmp_path / "deep.tif"
    (image if bits != "I;16B" else image.convert("I").convert("I;16B")).save(path, dpi=(150, 150))
    pages = iter_pages(path)
    page = np.asarray(next(pages).at(150))
    assert 200 < page.mean() < 255 and page.min() < 60
    [case_file] = identify_file(path).case_files
    assert case_file.cover is not None and case_file.cover.case_reference == people[5].case_reference


@pytest.mark.parametrize("compression", [None, "tiff_lzw"])
def test_a_16_bit_tiff_whose_white_is_zero_is_paper_white_to_identification_and_the_preview(
    tmp_path: Path, people: list[Person], compression: str | None
) -> None:
    """TIFF's WhiteIsZero (tag 262 = 0): a fresh tester's 16-bit page was identified and linked,
    and exported as a negative, white print on a black page."""
    cover = np.asarray(draw_cover(people[6], "boxed", 150).convert("L")).astype(np.uint32) * 257
    directory = TiffImagePlugin.ImageFileDirectory_v2()
    directory[262] = 0
    path = tmp_path / "white-is-zero.tif"
    Image.fromarray((65535 - cover).astype(np.uint16)).save(
        path, tiffinfo=directory, dpi=(150, 150), compression=compression
    )
    stored = TiffImagePlugin.TiffImageFile(path)
    try:
        assert stored.tag_v2[262] == 0
    finally:
        stored.close()
    pages = iter_pages(path)
    page = np.asarray(next(pages).at(150))
    assert 200 < page.mean() < 255 and page.min() < 60
    [case_file] = identify_file(path).case_files
    assert case_file.cover is not None and case_file.cover.case_reference == people[6].case_reference
    preview = np.asarray(render_page(path, 1, dpi=100).convert("L"))
    assert preview.mean() > 200 and preview.min() < 60


def test_decoding_changes_nothing_process_wide(tmp_path: Path) -> None:
    """The review server decodes on several threads: a per-call limit must not be a global one."""
    path = tmp_path / "page.png"
    Image.new("L", (827, 1169), 255).save(path)
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    for page in iter_pages(path, max_pixels=5_000_000):
        page.at(100)
        assert (Image.MAX_IMAGE_PIXELS, warnings.filters) == (limit, filters)
    render_page(path, 1, max_pixels=5_000_000)
    assert (Image.MAX_IMAGE_PIXELS, warnings.filters) == (limit, filters)


def test_a_huge_page_deep_in_a_tiff_is_refused(tmp_path: Path) -> None:
    """Pillow checks the size of the first frame only, when the file is opened."""
    path = tmp_path / "deep.tif"
    with TiffImagePlugin.AppendingTiffWriter(path, True) as tiff:
        for size in ((800, 1100), (3000, 3000)):
            Image.new("1", size, 1).save(tiff, "TIFF", compression="group4")
            tiff.newFrame()
    pages = iter_pages(path, max_pixels=2_000_000)
    next(pages).at(100)
    with pytest.raises(ImageTooLarge):
        next(pages).at(100)
    with pytest.raises(ImageTooLarge):
        render_page(path, 2, max_pixels=2_000_000)


@pytest.mark.parametrize("down", [98, 196])
def test_a_fax_with_oblong_pixels_is_shown_in_its_true_proportions(tmp_path: Path, down: int) -> None:
    """A fax stores 204 dpi across and 98 (normal) or 196 (fine) down; a viewer makes the pixels square."""
    width, height = 1728, round(11.69 * down)  # an A4 sheet, as the fax machine sampled it
    page = Image.new("1", (width, height), 1)
    page.paste(0, (200, round(height * 0.2), 1000, round(height * 0.4)))
    path = tmp_path / "fax.tif"
    page.save(path, "TIFF", compression="group4", dpi=(204, down))
    shown = render_page(path, 1, dpi=100)
    assert abs(shown.height / shown.width - 11.69 / 8.47) < 0.03
    mark = np.asarray(shown)[round(shown.height * 0.25) : round(shown.height * 0.35), 150:450]
    assert mark.mean() < 30


@pytest.mark.parametrize("kind", ["png", "tiff", "pdf"])
@pytest.mark.parametrize("decode", ["preview", "identification"])
def test_threads_with_different_limits_do_not_see_each_others(tmp_path: Path, kind: str, decode: str) -> None:
    """One thread's small limit must never refuse another thread's page, nor its large limit let one through."""
    from concurrent.futures import ThreadPoolExecutor

    import img2pdf

    path = tmp_path / f"page.{kind}"
    page = Image.new("L", (1240, 1754), 255)  # 2.2 million pixels, A4 at 150 dpi
    if kind == "pdf":
        page.save(tmp_path / "page.png", dpi=(150, 150))
        path.write_bytes(img2pdf.convert(str(tmp_path / "page.png")))
    else:
        page.save(path, dpi=(150, 150))

    def decoded(limit: int) -> bool:
        try:
            if decode == "preview":
                render_page(path, 1, dpi=150, max_pixels=limit)
            else:
                for first in iter_pages(path, max_pixels=limit):  # the loop holds the file open meanwhile
                    first.at(150)
                    break
            return True
        except ImageTooLarge:
            return False

    limits = [1_000_000, 50_000_000] * 20
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(decoded, limits)) == [limit > 2_200_000 for limit in limits]


@pytest.mark.parametrize("limit", [500_000_000, 100_000_000])
def test_a_page_pillow_itself_refuses_names_the_limit_that_refused_it(tmp_path: Path, limit: int) -> None:
    """Pillow refuses a page above twice its own limit before ours is asked: the message must not
    claim a larger limit than the one that refused the page."""
    path = bomb_png(tmp_path / "bomb.png", side=15_000)  # 225 million pixels claimed
    with pytest.raises(ImageTooLarge, match=f"larger than {min(limit, 2 * (Image.MAX_IMAGE_PIXELS or limit)):,} "):
        render_page(path, 1, max_pixels=limit)
