"""A small template with real people's names, and scans drawn with Pillow and stored the way the
service stores them: the catalogue, decision and export tests share these."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw

from catalogue.linking import Link, decide
from catalogue.scans import beside_each_other, record_index
from config.workspace import Workspace
from scanner.model import CaseFile, CoverFields, CoverSheet, Method
from store.database import Database
from store.links import insert_links
from store.scans import ScanFile, claim, mark_done, mark_duplicate, mark_quarantined

HEADER = [
    "Case Reference",
    "Forename",
    "Surname",
    "Date of Birth",
    "Case Status",
    "Paper File",
    "Archbishop's List",
    "Notes",
]
# Real names, a reference written with slashes, a formula-like cell, one excluded record.
ROWS = [
    ["SGD/2024/0412", "Zoë", "O'Brien", "04/03/2010", "Open", "Y", "N", '=HYPERLINK("http://x")'],
    ["SGD-2024-0413", "Jack", "Smith", "06/05/2011", "Open", "Y", "N", "-5 days"],
    ["DSA-2022-10456", "Aoife", "Nowak-Kowalska", "15/07/1986", "Open", "Y", "N", ""],
    ["CSC-2018-3307", "Siobhán", "Ó Súilleabháin", "09/02/1975", "Closed", "Y", "N", ""],
    ["CSC-2016-118", "Minh", "Nguyễn", "30/11/1969", "Closed", "Y", "N", ""],
    ["SGD-2021-5520", "Leah", "Mensah", "01/01/2001", "Open", "N", "N", "@note"],
    ["SGD-2020-0999", "Withheld", "Excludedperson", "12/12/1990", "Open", "Y", "Y", "secret"],
]
EXCLUDED = ROWS[-1]


def page_images(count: int, mode: str = "L") -> list[Image.Image]:
    """Small pages, each visibly different, so page order can be checked after cutting."""
    pages = []
    for number in range(1, count + 1):
        image = Image.new(mode, (120, 160), "white" if mode != "1" else 1)
        ImageDraw.Draw(image).rectangle((10, 10, 10 + 9 * number, 20 + 9 * number), fill=0)
        pages.append(image)
    return pages


def write_scan(path: Path, pages: int, kind: str) -> Path:
    """A scan file as a multifunction scanner writes it: PDF, multi-page G4 TIFF, JPEG or PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    images = page_images(pages, "1" if kind == "tiff" else "L")
    if kind == "pdf":
        encoded = []
        for image in images:
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            encoded.append(buffer.getvalue())
        # Titled by its path: two files are never the same bytes, which the service would record as a duplicate.
        path.write_bytes(img2pdf.convert(encoded, title=path.as_posix()))
    elif kind == "tiff":
        images[0].save(path, "TIFF", compression="group4", save_all=True, append_images=images[1:])
    elif kind == "jpeg":
        images[0].save(path, "JPEG", quality=80)
    else:
        images[0].save(path, "PNG")
    return path


def cover(
    reference: str | None,
    method: Method | None = "barcode",
    *,
    name: str | None = None,
    dob: date | None = None,
    text: str = "",
    confidence: float = 1.0,
) -> CoverSheet:
    return CoverSheet(1, reference, method, confidence, (), CoverFields(name, dob), text)


@dataclass
class Scans:
    """Puts scans into a workspace the way the watch service does: file archived, rows committed together."""

    workspace: Workspace
    db: Database

    def add(
        self,
        name: str,
        case_files: Sequence[tuple[int, int, CoverSheet | None]],
        *,
        kind: str = "pdf",
        closed: bool = False,
        location: str | None = None,
        archived: bool = True,
    ) -> list[int]:
        pages = max(last for _, last, _ in case_files)
        folder = self.workspace.archive if archived else self.workspace.inbox
        path = write_scan(folder / name, pages, kind)
        index = record_index(self.db)
        links: list[Link] = beside_each_other(
            [
                decide(
                    CaseFile(first, last, sheet),
                    index,
                    closed=closed,
                    location=location,
                    settings=self.workspace.settings,
                )
                for first, last, sheet in case_files
            ],
            index,
        )
        data = path.read_bytes()
        with self.db.transaction() as conn:
            scan_id = claim(conn, self._file(name, data, closed, location), None)
            ids = insert_links(conn, scan_id, links)
            mark_done(conn, scan_id, pages, name if archived else "", 0.1)
        return ids

    def problem(self, name: str, *, duplicate_of: int | None = None) -> int:
        with self.db.transaction() as conn:
            scan_id = claim(conn, self._file(name, name.encode(), False, None), None)
            if duplicate_of is None:
                mark_quarantined(conn, scan_id, "corrupt", "not a PDF or image", name, 0.1)
            else:
                mark_duplicate(conn, scan_id, duplicate_of, name, 0.1)
        return scan_id

    @staticmethod
    def _file(name: str, data: bytes, closed: bool, location: str | None) -> ScanFile:
        return ScanFile(
            name, hashlib.sha256(data).hexdigest(), len(data), 0.0, closed, location, "2024-01-01T00:00:00+00:00"
        )
