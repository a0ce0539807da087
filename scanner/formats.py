"""What kind of file a path holds, decided once, by its first bytes and never by its name.

Intake (is the file whole yet?), identification (how are its pages decoded?) and the export (is it
copied as a PDF or wrapped into one?) must agree on this, or a file one of them takes for a JPEG
another takes for junk. Every caller asks `kind_of_head` or `kind_of`.
"""

from __future__ import annotations

import enum
from pathlib import Path

# PDF 1.7 (ISO 32000-1, annex H.3 note 1): readers accept the header anywhere in the first 1024 bytes,
# and some capture tools write a byte-order mark or a blank line before it.
HEAD_BYTES = 1024
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic TIFF and BigTIFF, either byte order
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_START = b"\xff\xd8\xff"  # start of image, then the first marker


class FileKind(enum.Enum):
    PDF = "pdf"
    TIFF = "tiff"
    JPEG = "jpeg"
    PNG = "png"
    OTHER = "other"


def kind_of_head(head: bytes) -> FileKind:
    """The kind of a file whose first bytes (up to HEAD_BYTES of them) are `head`."""
    if head[:4] in _TIFF_MAGIC:
        return FileKind.TIFF
    if head.startswith(_JPEG_START):
        return FileKind.JPEG
    if head.startswith(_PNG_SIGNATURE):
        return FileKind.PNG
    if b"%PDF-" in head[:HEAD_BYTES]:  # after the image signatures: an image's comment may quote a PDF header
        return FileKind.PDF
    return FileKind.OTHER


def kind_of(path: Path) -> FileKind:
    """The kind of the file at `path`; an OSError (missing, a folder, no permission) is the caller's to word."""
    with path.open("rb") as handle:
        return kind_of_head(handle.read(HEAD_BYTES))
