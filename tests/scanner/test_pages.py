"""Bad input becomes a typed error with a one-line message; pages stream and render."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from scanner import (
    EncryptedPdf,
    ImageTooLarge,
    ScanOptions,
    UnreadableScan,
    UnsupportedFormat,
    identify_file,
    iter_pages,
    render_page,
)
from scanner.pages import Page
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation


@pytest.fixture
def two_page_pdf(tmp_path: Path) -> Path:
    return write_pdf([draw_continuation(0, 100), draw_continuation(1, 100)], tmp_path / "two.pdf", 100)


def test_count_iterate_and_render(two_page_pdf: Path) -> None:
    assert page_count(two_page_pdf) == 2
    assert [p.number for p in iter_pages(two_page_pdf)] == [1, 2]
    image = render_page(two_page_pdf, 2, dpi=50)
    assert abs(image.width - 8.27 * 50) < 3
    with pytest.raises(UnreadableScan):
        render_page(two_page_pdf, 3)


def test_encrypted_pdf(tmp_path: Path, two_page_pdf: Path) -> None:
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(two_page_pdf) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))
    with pytest.raises(EncryptedPdf, match="password"):
        identify_file(locked, ScanOptions())


@pytest.mark.parametrize(
    "content, error",
    [
        (b"", UnreadableScan),
        (b"hello, not a scan", UnsupportedFormat),
        (b"%PDF-1.4\n garbage", UnreadableScan),
        (b"\x89PNG\r\n\x1a\n truncated", UnreadableScan),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, error: type) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(error) as raised:
        identify_file(path, ScanOptions())
    assert "\n" not in str(raised.value) and str(path) in str(raised.value)


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("1", (1500, 1500), 1).save(path)
    with pytest.raises(ImageTooLarge):
        identify_file(path, ScanOptions(max_image_pixels=1_000_000))


def test_jpeg_page_decoded_from_its_stream_matches_the_rendered_page(tmp_path: Path) -> None:
    path = write_pdf([draw_continuation(2, 200)], tmp_path / "jpeg.pdf", 200)
    (decoded,) = [page.at(100) for page in iter_pages(path)]
    rendered = render_page(path, 1, dpi=100)
    assert abs(decoded.width - rendered.width) <= 1 and abs(decoded.width - 8.27 * 100) < 3
    rendered = rendered.resize(decoded.size)
    difference = np.abs(np.asarray(decoded, dtype=np.int16) - np.asarray(rendered, dtype=np.int16)).mean()
    assert difference < 8


def test_a_page_whose_image_is_damaged_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    """Pages decode only when looked at, after the file has opened cleanly: a broken image
    stream inside a sound PDF must still come back as a typed error."""
    path = write_pdf([draw_continuation(0, 100), draw_continuation(1, 100)], tmp_path / "broken.pdf", 100)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        (image,) = pdf.pages[1].get_images().values()
        image.write(b"\xff\xd8\xff\xe0 not a JPEG any more", filter=pikepdf.Name.DCTDecode)
        pdf.save(path)
    pages = iter_pages(path)
    assert next(pages).at(100).width > 0
    with pytest.raises(UnreadableScan, match="cannot be read"):
        next(pages).at(100)
    with pytest.raises(UnreadableScan):
        identify_file(path)


def test_a_page_decoded_whole_once_serves_every_finer_resolution() -> None:
    """A 300 dpi JPEG page shrinks while it decodes for the 100 dpi copy (DCT scaling halves it),
    but must be decoded whole for 200 dpi; that decode (~25 ms) serves 300 dpi too, and every
    copy is the page at the resolution asked for."""
    asked: list[float] = []
    sheet = draw_continuation(3, 300)

    def decode(dpi: float) -> tuple[Image.Image, float]:  # as a JPEG decodes: by 1/2, 1/4 or 1/8, never below `dpi`
        asked.append(dpi)
        native = next(300 / factor for factor in (8, 4, 2, 1) if 300 / factor >= dpi)
        return sheet.reduce(round(300 / native)), native

    page = Page(1, decode)
    small, working, (full, dpi) = page.at(100), page.at(200), page.at_most(300)
    assert asked == [100, 200]
    assert dpi == 300 and full.size == sheet.size
    assert abs(working.width - 1653) <= 1 and abs(small.width - 827) <= 1
    assert page.decoded(200)[1] == 300 and page.decoded(150)[1] == 150


def page_count(path: Path) -> int:
    """Pages are decoded only when asked for at a resolution, so counting them reads no pixels."""
    return sum(1 for _ in iter_pages(path))
