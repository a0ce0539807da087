"""Scan files for the watch tests, drawn with Pillow: real covers for the real scanner, and
every kind of bad input a shared inbox collects."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
from PIL import Image, PngImagePlugin

from synthetic.files import write_image, write_pdf, write_tiff
from synthetic.pages import draw_cover
from synthetic.people import Person

DPI = 150


def cover(person: Person) -> Image.Image:
    """A front sheet with a QR code: the scanner reads it without OCR, so tests stay fast."""
    return draw_cover(person, "labelled", DPI, barcode="qr")


def cover_png(person: Person, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_image(cover(person), path, DPI)


def cover_pdf(people: list[Person], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_pdf([cover(p) for p in people], path, DPI, encoding="jpeg")


def cover_tiff(people: list[Person], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_tiff([cover(p) for p in people], path, DPI, compression="group4")


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def tiny_png(seed: int) -> bytes:
    """A small, unique image (different bytes for every seed)."""
    image = Image.new("L", (64, 64), 255)
    image.putpixel((seed % 64, (seed // 64) % 64), 0)
    image.putpixel((63 - seed % 64, 0), seed % 200)
    return png_bytes(image)


POISON = "kill-my-worker"


def poisoned_png(path: Path) -> Path:
    """A whole PNG whose text chunk tells `fakes.poison_steps` to kill the worker reading it."""
    info = PngImagePlugin.PngInfo()
    info.add_text("casescan-test", POISON)
    image = Image.new("L", (64, 64), 255)
    image.save(path, "PNG", pnginfo=info)
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(path: Path, side: int = 40_000) -> Path:
    """A few hundred bytes claiming a 1.6-gigapixel page: a decompression bomb, whole by structure."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * (side // 8)
    data = zlib.compress(row * 64, 9)  # far fewer rows than claimed; a decoder would still allocate them
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))
    return path


def encrypted_pdf(person: Person, path: Path, scratch: Path) -> Path:
    plain = cover_pdf([person], scratch / "plain.pdf")
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user="secret"))
    return path


def corrupt_pdf(path: Path) -> Path:
    """Header and trailer in place (so it has 'arrived'), nonsense in between."""
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\nstartxref\n9\n%%EOF\n")
    return path


def _pdf_section(objects: dict[int, bytes], start: int, size: int, previous: int | None) -> bytes:
    """Objects, their cross-reference section and a trailer, written as if `start` bytes came before."""
    body, offsets = b"", {}
    for number, content in objects.items():
        offsets[number] = start + len(body)
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = start + len(body)
    table = b"xref\n" + (b"0 1\n0000000000 65535 f \n" if previous is None else b"")
    for number in sorted(offsets):
        table += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    prev = b"" if previous is None else b" /Prev %d" % previous
    trailer = b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, prev, xref)
    return body + table + trailer


def incremental_pdf(pages: int) -> tuple[bytes, bytes]:
    """A whole one-page PDF, and the incremental update a scanner appends to make it `pages` long."""

    def page(number: int) -> bytes:
        return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d 792] >>" % (600 + number)

    head = b"%PDF-1.4\n"
    first = head + _pdf_section(
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 3: page(3)},
        len(head),
        4,
        None,
    )
    kids = b" ".join(b"%d 0 R" % n for n in range(3, 3 + pages))
    objects = {2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)}
    objects.update({n: page(n) for n in range(4, 3 + pages)})
    previous = int(first.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    return first, _pdf_section(objects, len(first), 3 + pages, previous)
