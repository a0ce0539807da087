"""JBIG2 page images, as scanners that save "compact PDF" write them, made from CCITT Group 4.

No JBIG2 encoder is packaged for Debian or PyPI, but JBIG2's generic region may be coded with
MMR, which is Group 4 itself (ITU T.88 6.2.6): a Group 4 page image wrapped in a page
information segment and one immediate generic region segment is a real JBIG2 stream that
pdfium decodes with its JBIG2 decoder. JBIG2 counts black as 1; the Group 4 code Pillow writes
for a black-and-white page counts black as 0, so the page is inverted before it is coded.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pikepdf

PAGE_INFORMATION, IMMEDIATE_GENERIC_REGION, END_OF_PAGE = 48, 38, 49
EVENTUALLY_LOSSLESS = 0x01
MMR = 0x01


def _segment(number: int, kind: int, data: bytes) -> bytes:
    """One segment of page 1, referring to no other: number, type, retention, page, length, data."""
    return struct.pack(">IBBBI", number, kind, 0, 1, len(data)) + data


def jbig2_from_group4(group4: bytes, width: int, height: int) -> bytes:
    """An embedded JBIG2 stream (PDF's form: no file header) holding this Group 4 coded page."""
    page = struct.pack(">IIIIBH", width, height, 0, 0, EVENTUALLY_LOSSLESS, 0)
    region = struct.pack(">IIIIB", width, height, 0, 0, 0) + bytes([MMR]) + group4
    return (
        _segment(0, PAGE_INFORMATION, page)
        + _segment(1, IMMEDIATE_GENERIC_REGION, region)
        + _segment(2, END_OF_PAGE, b"")
    )


def recode_group4_as_jbig2(path: Path) -> None:
    """Rewrite every Group 4 page image of this PDF (made from inverted pages) as JBIG2, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            for image in page.get_images().values():
                if not isinstance(image, pikepdf.Stream) or pikepdf.PdfImage(image).filters != ["/CCITTFaxDecode"]:
                    continue
                stream = jbig2_from_group4(image.read_raw_bytes(), int(image.Width), int(image.Height))
                image.write(stream, filter=pikepdf.Name.JBIG2Decode)
                if "/DecodeParms" in image:
                    del image["/DecodeParms"]
        pdf.save(path)
