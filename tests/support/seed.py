"""A small workspace with one review item of every kind, built through the real import and linking code.

Covers are drawn with Pillow and stored in the archive as the service would leave them; the
decisions come from `catalogue.linking.decide` on cover readings, so reasons and candidates are
the service's own, not invented by the test.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from catalogue.importer import import_template
from catalogue.linking import decide
from catalogue.scans import record_index
from config.workspace import Workspace
from review.security import hash_password
from scanner.model import CaseFile, CoverFields, CoverSheet, Method
from store.database import open_database, utc_now
from store.links import insert_links
from store.scans import ScanFile, claim, mark_done
from store.users import add_user

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PASSWORD = "a long test passphrase"
TEMPLATE = """Case Reference,Forename,Surname,Date of Birth,Case Status,Paper File
CP-2021-0001,Zoë,O'Brien,03/04/2012,Open,Y
CP-2021-0002,Adam,Nowak-Kowalska,12/12/2010,Open,Y
CP-2019-0042,Minh,Nguyễn,05/06/2008,Open,Y
CP-2018-0300,Ruth,Ellis,09/09/2006,Open,Y
CP-2020-0107,Siobhán,Ó Súilleabháin,01/01/2009,Closed,Y
"""


@dataclass(frozen=True)
class Cover:
    """What the scanner is pretended to have read from one drawn cover."""

    name: str
    reference: str | None
    method: Method | None = "ocr"
    confidence: float = 0.9
    person: str | None = None
    birth: date | None = None
    closed: bool = False
    location: str | None = None
    pages: int = 1


# The review queue this workspace starts with, by name.
COVERS = (
    Cover("contradicted", "CP-2021-0001", person="Adam Nowak-Kowalska", pages=2),
    Cover("corrected", "CP-2019-0042", method="ocr-corrected", confidence=0.7),
    Cover("unknown", "CP-2022-9999"),
    Cover(
        "closed",
        "CP-2020-0107",
        confidence=0.4,
        person="Siobhan O Suilleabhain",
        closed=True,
        location="Diocesan House / Basement Store / Box 12",
    ),
    Cover("unreadable", None, method=None, confidence=0.0),
    Cover("race", "CP-2018-0300", method="ocr-corrected", confidence=0.7),
    Cover("missing", "CP-2023-0500"),
    Cover("slip", "CP-2018-0300", method="ocr-corrected", confidence=0.7, pages=2),
)


def draw_scan(path: Path, cover: Cover) -> None:
    """A small multi-page TIFF: the cover with its text, then plain continuation pages."""
    font = ImageFont.truetype(FONT, 22)
    pages = []
    for number in range(1, cover.pages + 1):
        image = Image.new("L", (620, 877), 255)
        draw = ImageDraw.Draw(image)
        if number == 1:
            draw.text((40, 60), "SAFEGUARDING CASE FILE", font=font, fill=0)
            draw.text((40, 120), f"Case Reference: {cover.reference or '(smudged)'}", font=font, fill=0)
            draw.text((40, 170), f"Name: {cover.person or ''}", font=font, fill=0)
        else:
            draw.text((40, 60), f"Continuation page {number}", font=font, fill=0)
        pages.append(image)
    pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")


def case_file_of(cover: Cover) -> CaseFile:
    if cover.reference is None and cover.method is None:
        return CaseFile(first_page=1, last_page=cover.pages, cover=None)
    sheet = CoverSheet(
        page_number=1,
        case_reference=cover.reference,
        method=cover.method,
        confidence=cover.confidence,
        fields=CoverFields(name=cover.person, date_of_birth=cover.birth, words=tuple((cover.person or "").split())),
        text=f"SAFEGUARDING CASE FILE\nCase Reference: {cover.reference}\nName: {cover.person or ''}",
    )
    return CaseFile(first_page=1, last_page=cover.pages, cover=sheet)


def seed_workspace(workspace: Workspace) -> dict[str, int]:
    """Import the template, store one scan per cover and its decision; returns document ids by cover name."""
    template = workspace.root / "template.csv"
    template.write_text(TEMPLATE, encoding="utf-8")
    import_template(workspace, template)
    ids: dict[str, int] = {}
    with open_database(workspace.database) as db:
        index = record_index(db)
        for cover in COVERS:
            folder = "closed/Diocesan House/Basement Store/Box 12/" if cover.closed else ""
            source = f"{folder}{cover.name}.tif"
            archived = workspace.archive / source
            archived.parent.mkdir(parents=True, exist_ok=True)
            draw_scan(archived, cover)
            data = archived.read_bytes()
            link = decide(
                case_file_of(cover), index, closed=cover.closed, location=cover.location, settings=workspace.settings
            )
            with db.transaction() as conn:
                scan_id = claim(
                    conn,
                    ScanFile(
                        source,
                        hashlib.sha256(data).hexdigest(),
                        len(data),
                        0.0,
                        cover.closed,
                        cover.location,
                        utc_now(),
                    ),
                    None,
                )
                (ids[cover.name],) = insert_links(conn, scan_id, [link])
                mark_done(conn, scan_id, cover.pages, source, 0.1)
    return ids


def add_account(workspace: Workspace, name: str, role: str = "lead") -> None:
    with open_database(workspace.database) as db:
        add_user(db, name, role, hash_password(PASSWORD))
