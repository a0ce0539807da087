"""A file has arrived only when it is whole by its own structure, whatever the cut point."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from tests.support.scans import bomb_png, corrupt_pdf
from watch.arrival import Arrival, check_arrival


def _page(seed: int) -> Image.Image:
    image = Image.new("L", (120, 160), 255)
    for x in range(0, 120, 7):
        image.putpixel((x, (x * seed) % 160), 0)
    return image


def _encoded(kind: str) -> bytes:
    buffer = io.BytesIO()
    pages = [_page(n) for n in (1, 2, 3)]
    if kind == "pdf":
        pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=100)
    elif kind == "tiff":
        pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    elif kind == "jpeg":
        pages[0].save(buffer, "JPEG", quality=80)
    else:
        pages[0].save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["pdf", "tiff", "jpeg", "png"])
def test_whole_file_has_arrived(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"scan.{kind}"
    path.write_bytes(_encoded(kind))
    assert check_arrival(path).arrival is Arrival.COMPLETE


@pytest.mark.parametrize("kind", ["pdf", "tiff", "jpeg", "png"])
@pytest.mark.parametrize("fraction", [0.1, 0.35, 0.6, 0.85, 0.98])
def test_cut_file_has_not_arrived(tmp_path: Path, kind: str, fraction: float) -> None:
    data = _encoded(kind)
    path = tmp_path / f"scan.{kind}"
    path.write_bytes(data[: int(len(data) * fraction)])
    verdict = check_arrival(path)
    assert verdict.arrival is Arrival.INCOMPLETE
    assert verdict.reason


def test_tiff_with_pages_still_to_come(tmp_path: Path) -> None:
    """A multi-page TIFF written page by page: the last directory points at a page not yet written."""
    data = _encoded("tiff")
    path = tmp_path / "batch.tif"
    for cut in range(16, len(data) - 1, max(1, len(data) // 40)):
        path.write_bytes(data[:cut])
        assert check_arrival(path).arrival is Arrival.INCOMPLETE, cut


def test_empty_file_has_not_arrived(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"")
    assert check_arrival(tmp_path / "scan.pdf").reason == "the file is empty"


def test_unknown_formats_are_left_to_the_scanner(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not a scan")
    assert check_arrival(tmp_path / "notes.docx").arrival is Arrival.COMPLETE


def test_bomb_and_corrupt_pdf_are_whole_by_structure(tmp_path: Path) -> None:
    """Arrival is not validity: these arrive, and the scanner refuses them."""
    assert check_arrival(bomb_png(tmp_path / "bomb.png")).arrival is Arrival.COMPLETE
    assert check_arrival(corrupt_pdf(tmp_path / "bad.pdf")).arrival is Arrival.COMPLETE


def test_jpeg_padding_after_end_marker_is_fine(tmp_path: Path) -> None:
    (tmp_path / "scan.jpg").write_bytes(_encoded("jpeg") + b"\x00" * 300)
    assert check_arrival(tmp_path / "scan.jpg").arrival is Arrival.COMPLETE


def test_missing_file_is_not_an_error(tmp_path: Path) -> None:
    assert check_arrival(tmp_path / "gone.pdf").arrival is Arrival.INCOMPLETE


def _with_update(data: bytes) -> bytes:
    """`data` plus an incremental update (a new Info dictionary), as a scanner appending to a PDF writes it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        size, root = int(pdf.trailer.Size), pdf.trailer.Root.objgen
    previous = int(data.rsplit(b"startxref", 1)[1].split(b"%%EOF")[0])
    body = f"{size} 0 obj\n<< /Title (rescanned) >>\nendobj\n".encode()
    xref = (
        f"xref\n{size} 1\n{len(data):010d} 00000 n \ntrailer\n<< /Size {size + 1} /Root {root[0]} {root[1]} R "
        f"/Info {size} 0 R /Prev {previous} >>\nstartxref\n{len(data) + len(body)}\n%%EOF\n"
    ).encode()
    return data + body + xref


@pytest.mark.parametrize(
    "junk",
    [b"\x00" * 5000, b"\r\nScanner firmware 2.13\r\n", random.Random(7).randbytes(3000)],
    ids=["nul-padding", "banner", "random-bytes"],
)
def test_bytes_after_the_pdf_end_marker_do_not_hold_the_file(tmp_path: Path, junk: bytes) -> None:
    """Scanners write padding or junk after %%EOF; such a file must be taken now, not held as truncated."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(_encoded("pdf") + junk)
    assert check_arrival(path).arrival is Arrival.COMPLETE


def test_an_incremental_update_counts_once_it_is_whole(tmp_path: Path) -> None:
    base = _encoded("pdf")
    updated = _with_update(base)
    path = tmp_path / "scan.pdf"
    path.write_bytes(updated)
    assert check_arrival(path).arrival is Arrival.COMPLETE
    for cut in range(len(base) + 4, len(updated) - 1, 9):
        path.write_bytes(updated[:cut])
        assert check_arrival(path).arrival is Arrival.INCOMPLETE, cut


def test_a_pdf_cut_after_an_earlier_trailer_may_be_cut_short(tmp_path: Path) -> None:
    """Cut inside its update, a PDF ends with an earlier revision's %%EOF and objects after it: after
    the grace time that is the quarantine note, so it must not claim that someone is still writing."""
    base = _encoded("pdf")
    updated = _with_update(base)
    path = tmp_path / "scan.pdf"
    path.write_bytes(updated[: len(base) + 40])
    verdict = check_arrival(path)
    assert verdict.arrival is Arrival.INCOMPLETE
    assert "cut short" in verdict.reason
