"""One rule decides what kind of file a path holds; intake, identification and export all ask it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from export.attachments import Cut, cut_scan
from scanner import UnsupportedFormat, iter_pages
from scanner.formats import FileKind, kind_of, kind_of_head
from synthetic.files import write_pdf
from watch.arrival import Arrival, check_arrival


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (827, 1169), 255).save(buffer, fmt, dpi=(100, 100))
    return buffer.getvalue()


def _pdf(tmp_path: Path) -> bytes:
    return write_pdf([Image.new("L", (827, 1169), 255)], tmp_path / "page.pdf", 100).read_bytes()


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"%PDF-1.7\n", FileKind.PDF),
        (b"\xef\xbb\xbf%PDF-1.4\n", FileKind.PDF),  # a byte-order mark before the header
        (b"\r\n\r\n%PDF-1.4\n", FileKind.PDF),  # blank lines before it
        (b"junk" * 100 + b"%PDF-1.4\n", FileKind.PDF),  # anywhere in the first 1024 bytes
        (b"junk" * 300 + b"%PDF-1.4\n", FileKind.OTHER),
        (b"%PDF", FileKind.OTHER),  # no version: not a header
        (b"II*\x00\x08\x00\x00\x00", FileKind.TIFF),
        (b"MM\x00*\x00\x00\x00\x08", FileKind.TIFF),
        (b"II+\x00\x08\x00\x00\x00", FileKind.TIFF),  # BigTIFF
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", FileKind.JPEG),
        (b"\xff\xd8 not a marker", FileKind.OTHER),
        (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
        (b"\x89PNG\r\n", FileKind.OTHER),  # cut short
        (b"\xff\xd8\xff\xe1 Exif ... %PDF-1.4 quoted", FileKind.JPEG),
        (b"PK\x03\x04", FileKind.OTHER),
        (b"", FileKind.OTHER),
    ],
)
def test_kind_of_head(head: bytes, kind: FileKind) -> None:
    assert kind_of_head(head) is kind


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b"\r\n"])
def test_a_pdf_with_bytes_before_its_header_is_a_pdf_to_intake_identification_and_export(
    tmp_path: Path, prefix: bytes
) -> None:
    path = tmp_path / "scan.bin"
    path.write_bytes(prefix + _pdf(tmp_path))
    assert kind_of(path) is FileKind.PDF
    assert check_arrival(path).arrival is Arrival.COMPLETE
    assert page_count(path) == 1
    [result] = cut_scan((path, [Cut(1, 1, 1, tmp_path / "out.pdf")]))
    assert result.error is None and result.pages == 1


@pytest.mark.parametrize("fmt, kind", [("JPEG", FileKind.JPEG), ("PNG", FileKind.PNG), ("TIFF", FileKind.TIFF)])
def test_image_files_by_content_not_by_name(tmp_path: Path, fmt: str, kind: FileKind) -> None:
    path = tmp_path / "scan.pdf"  # the name lies
    path.write_bytes(_image(fmt))
    assert kind_of(path) is kind
    assert check_arrival(path).arrival is Arrival.COMPLETE
    assert page_count(path) == 1
    [result] = cut_scan((path, [Cut(1, 1, 1, tmp_path / "out.pdf")]))
    assert result.error is None and result.pages == 1


def test_what_is_no_scan_is_refused_alike(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8 is not a JPEG marker" + b"\x00" * 100)
    assert kind_of(path) is FileKind.OTHER
    with pytest.raises(UnsupportedFormat):
        page_count(path)
    [result] = cut_scan((path, [Cut(1, 1, 1, tmp_path / "out.pdf")]))
    assert result.error is not None and "not a PDF, TIFF, JPEG or PNG" in result.error


def page_count(path: Path) -> int:
    """Pages are decoded only when asked for at a resolution, so counting them reads no pixels."""
    return sum(1 for _ in iter_pages(path))
