"""Bad input becomes a typed error with a one-line message; pages stream and render."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from scanner import (EncryptedPdf, ImageTooLarge, ScanOptions, UnreadableScan, UnsupportedFormat, count_pages,
                     identify_file, iter_pages, render_page)
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation


@pytest.fixture
def two_page_pdf(tmp_path: Path) -> Path:
    return write_pdf([draw_continuation(0, 100), draw_continuation(1, 100)], tmp_path / "two.pdf", 100)


def test_count_iterate_and_render(two_page_pdf: Path) -> None:
    assert count_pages(two_page_pdf) == 2
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


@pytest.mark.parametrize("content, error", [
    (b"", UnreadableScan),
    (b"hello, not a scan", UnsupportedFormat),
    (b"%PDF-1.4\n garbage", UnreadableScan),
    (b"\x89PNG\r\n\x1a\n truncated", UnreadableScan),
])
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
    (page,) = iter_pages(path, dpi=100)
    rendered = render_page(path, 1, dpi=round(page.dpi))
    assert abs(page.dpi - 100) <= 1 and abs(page.image.width - rendered.width) <= 1
    rendered = rendered.resize(page.image.size)
    difference = np.abs(np.asarray(page.image, dtype=np.int16) - np.asarray(rendered, dtype=np.int16)).mean()
    assert difference < 8
