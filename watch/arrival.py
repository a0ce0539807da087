"""Is a file whole by its own structure?

A multifunction scanner writes a batch page by page and may pause longer than any settle time
between pages, so "size unchanged for N seconds" is not enough: a PDF without its trailer, a TIFF
whose directories point past its end, a JPEG without EOI or a PNG without IEND has not arrived yet.
These checks read only the head, the tail and (for TIFF) the directory chain, never the pixels.
Formats we do not recognise are `COMPLETE` here: the scanner will say what is wrong with them.
"""

from __future__ import annotations

import enum
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from scanner.formats import HEAD_BYTES, FileKind, kind_of_head
from watch.intake import writer_holds

TAIL_BYTES = 64 * 1024  # scanners pad after the end marker (NULs, a banner, junk): look past a few KB of it
_PDF_UPDATE_MARKERS = (b" obj", b"xref", b"trailer")
# What an update cut short looks like: the first bytes of `12 0 obj` or of `xref`, and nothing else.
_PDF_UPDATE_START = re.compile(rb"[\s\x00]*(\d+(\s+(\d+(\s+(o(bj?)?)?)?)?)?|x(r(ef?)?)?)\Z")
SYMLINK_REASON = (
    "it is a symbolic link, and casescan never follows links: replace the link with a copy of the scan "
    "itself (another run of 'casescan watch' would not help)"
)
HELD_REASON = "a program still has the file open for writing"
_MAX_IFDS = 10_000
_OFFSET_TAGS = {273: 279, 324: 325}  # StripOffsets -> StripByteCounts, TileOffsets -> TileByteCounts


class Arrival(enum.Enum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    UNREADABLE = "unreadable"
    HELD = "held"  # a program still has it open for writing: never taken, however long it waits


@dataclass(frozen=True)
class Verdict:
    arrival: Arrival
    reason: str = ""


def check_arrival(path: Path) -> Verdict:
    """Open the file and judge it; a permission problem is `UNREADABLE`, not a crash.

    A symbolic link is `UNREADABLE` too, never opened: it may point out of the inbox (at /etc or at
    another team's share), and what it points at is not ours to read, archive or quarantine.
    A file some program has open for writing is `HELD`, whatever its structure says: a scanner may
    finish a valid one-page PDF, keep it open and append the rest of the batch after a pause.
    """
    if path.is_symlink():
        return Verdict(Arrival.UNREADABLE, SYMLINK_REASON)
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
            if writer_holds(handle.fileno()):
                return Verdict(Arrival.HELD, HELD_REASON)
            size = os.fstat(handle.fileno()).st_size
            return check_structure(handle, size)
    except BlockingIOError:  # another program holds a write lease on it (Samba, for a client writing)
        return Verdict(Arrival.HELD, HELD_REASON)
    except PermissionError as error:
        return Verdict(
            Arrival.UNREADABLE,
            f"cannot open the file for reading ({error.strerror}): give the service user read permission on it",
        )
    except FileNotFoundError:
        return Verdict(Arrival.INCOMPLETE, "the file disappeared")
    except OSError as error:
        return Verdict(Arrival.UNREADABLE, f"cannot read the file ({error.strerror or error})")


def check_structure(handle: BinaryIO, size: int) -> Verdict:
    if size == 0:
        return Verdict(Arrival.INCOMPLETE, "the file is empty")
    head = handle.read(HEAD_BYTES)
    handle.seek(max(0, size - TAIL_BYTES))
    tail = handle.read(TAIL_BYTES)
    kind = kind_of_head(head)
    if kind is FileKind.PDF:
        return _pdf(tail, size)
    if kind is FileKind.PNG:
        return _png(tail)
    if kind is FileKind.JPEG:
        return _jpeg(tail)
    if kind is FileKind.TIFF:
        return _tiff(handle, size, head)
    return Verdict(Arrival.COMPLETE)


def _pdf(tail: bytes, size: int) -> Verdict:
    """A finished PDF has `startxref N %%EOF` where N points inside the file.

    Scanners leave bytes after that marker (NUL padding, a firmware banner, junk), and readers
    ignore them, so they do not make the file unfinished. An object or cross-reference section
    after the last marker does: an incremental update (a scanner appending a page) still being
    written, or, when it never ends, a file cut short after an earlier revision's marker (a
    linearized PDF has one near its start). The reason names both: after the grace time it is
    what the quarantine note says.
    """
    eof = tail.rfind(b"%%EOF")
    if eof < 0:
        return Verdict(Arrival.INCOMPLETE, "the PDF has no end-of-file trailer yet")
    after = tail[eof + len(b"%%EOF") :]
    if any(marker in after for marker in _PDF_UPDATE_MARKERS) or _PDF_UPDATE_START.match(after):
        return Verdict(
            Arrival.INCOMPLETE,
            "the PDF goes on past its last end-of-file trailer: a page still being added, or the file cut short",
        )
    marker = tail.rfind(b"startxref", 0, eof)
    if marker < 0:
        return Verdict(Arrival.INCOMPLETE, "the PDF has no startxref before its end-of-file marker")
    digits = tail[marker + len(b"startxref") : eof].strip()
    if not digits.isdigit() or int(digits) >= size:
        return Verdict(Arrival.INCOMPLETE, "the PDF's cross-reference offset points past its end")
    return Verdict(Arrival.COMPLETE)


def _png(tail: bytes) -> Verdict:
    if tail.endswith(b"IEND\xaeB`\x82"):
        return Verdict(Arrival.COMPLETE)
    return Verdict(Arrival.INCOMPLETE, "the PNG has no IEND chunk yet")


def _jpeg(tail: bytes) -> Verdict:
    # Some scanners pad JPEGs with zeros after EOI; the padding is harmless.
    if tail.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return Verdict(Arrival.COMPLETE)
    return Verdict(Arrival.INCOMPLETE, "the JPEG has no end-of-image marker yet")


@dataclass(frozen=True)
class _TiffLayout:
    endian: str
    offset: str  # struct code of an offset: I (classic) or Q (BigTIFF)
    count: str  # struct code of a directory's entry count
    entry: int  # bytes per directory entry
    inline: int  # bytes of value stored inside an entry


def _tiff(handle: BinaryIO, size: int, head: bytes) -> Verdict:
    """Walk the IFD chain: every directory and every strip or tile must lie inside the file."""
    endian = "<" if head[:2] == b"II" else ">"
    big = head[2:4] in (b"+\x00", b"\x00+")
    layout = _TiffLayout(endian, "Q", "Q", 20, 8) if big else _TiffLayout(endian, "I", "H", 12, 4)
    first = struct.unpack(endian + layout.offset, head[8:16] if big else head[4:8])[0]
    seen: set[int] = set()
    offset = first
    while offset:
        if offset in seen or len(seen) > _MAX_IFDS:
            return Verdict(Arrival.COMPLETE)  # a loop is corruption, not lateness: let the scanner refuse it
        seen.add(offset)
        problem = _tiff_directory(handle, size, offset, layout)
        if isinstance(problem, str):
            return Verdict(Arrival.INCOMPLETE, problem)
        offset = problem
    if not seen:
        return Verdict(Arrival.INCOMPLETE, "the TIFF has no image directory yet")
    return Verdict(Arrival.COMPLETE)


def _tiff_directory(handle: BinaryIO, size: int, offset: int, layout: _TiffLayout) -> int | str:
    """The next directory's offset, or why this one shows the file is not whole yet."""
    count_size = struct.calcsize(layout.count)
    offset_size = struct.calcsize(layout.offset)
    if offset + count_size > size:
        return "a TIFF directory lies past the end of the file"
    handle.seek(offset)
    (entries,) = struct.unpack(layout.endian + layout.count, handle.read(count_size))
    table_end = offset + count_size + entries * layout.entry + offset_size
    if table_end > size:
        return "a TIFF directory runs past the end of the file"
    table = handle.read(entries * layout.entry)
    values: dict[int, list[int]] = {}
    for index in range(entries):
        raw = table[index * layout.entry : (index + 1) * layout.entry]
        tag, kind = struct.unpack(layout.endian + "HH", raw[:4])
        if tag in _OFFSET_TAGS or tag in _OFFSET_TAGS.values():
            read = _tiff_values(handle, size, raw, kind, layout)
            if read is None:
                return "a TIFF strip table lies past the end of the file"
            values[tag] = read
    for offsets_tag, counts_tag in _OFFSET_TAGS.items():
        for start, length in zip(values.get(offsets_tag, []), values.get(counts_tag, []), strict=False):
            if start + length > size:
                return "a TIFF page's image data lies past the end of the file"
    handle.seek(table_end - offset_size)
    return struct.unpack(layout.endian + layout.offset, handle.read(offset_size))[0]


_TYPE_CODES = {3: "H", 4: "I", 16: "Q"}  # SHORT, LONG, LONG8


def _tiff_values(handle: BinaryIO, size: int, raw: bytes, kind: int, layout: _TiffLayout) -> list[int] | None:
    code = _TYPE_CODES.get(kind)
    if code is None:
        return []
    count_bytes = struct.calcsize(layout.offset)
    (count,) = struct.unpack(layout.endian + layout.offset, raw[4 : 4 + count_bytes])
    width = struct.calcsize(code) * count
    field = raw[4 + count_bytes :]
    if width <= layout.inline:
        data = field[:width]
    else:
        (where,) = struct.unpack(layout.endian + layout.offset, field[: layout.inline])
        if where + width > size:
            return None
        here = handle.tell()
        handle.seek(where)
        data = handle.read(width)
        handle.seek(here)
    return list(struct.unpack(f"{layout.endian}{count}{code}", data))
