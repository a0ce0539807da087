"""The front-sheet layouts found on real safeguarding files, one function each.

Each layout puts the reference where its real-world counterpart does: beside a typed label, inside
a ruled table cell, in a letter's "Ref No." line (with other reference-like strings further down),
or in a box on a printed form. The scanner has to cope with all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from synthetic.drawing import Pen

ORGANISATION = "Diocese of Exampleton"
ADDRESS = "Diocesan House, 1 Cathedral Close, Exampleton EX1 2AB  ·  01632 960123"


@dataclass(frozen=True)
class CoverText:
    """What a cover prints: empty strings are left blank on the sheet."""

    reference: str
    name: str
    forename: str
    surname: str
    date_of_birth: str
    status: str
    date_opened: str
    decoy: str
    top_mm: float  # where the layout may start, below any barcode


def _decoy_paragraph(pen: Pen, text: CoverText, y: float) -> None:
    if text.decoy:
        pen.text(20, y, f"Papers transferred from file {text.decoy} when the case was reopened.", 10)


def labelled(pen: Pen, text: CoverText) -> None:
    pen.text(20, 14, ORGANISATION, 16, "sans-bold")
    pen.text(20, 22, "Safeguarding Team", 11)
    pen.line(20, 28, 190, 28, 0.5)
    y = max(text.top_mm, 36)
    pen.text(20, y, "CONFIDENTIAL CASE FILE", 18, "sans-bold")
    rows = [
        ("Case Reference:", text.reference),
        ("Name:", text.name),
        ("Date of Birth:", text.date_of_birth),
        ("Case Status:", text.status),
        ("Date Opened:", text.date_opened),
    ]
    y += 16
    for label, value in rows:
        if value or label == "Case Reference:":
            end = pen.text(20, y, label, 13, "sans-bold")
            pen.text(end + 4, y, value, 13)
            y += 10
    pen.text(20, y + 10, "Contents", 12, "sans-bold")
    for number, item in enumerate(("Referral and initial assessment", "Case notes", "Correspondence"), 1):
        pen.text(25, y + 10 + 8 * number, f"{number}. {item}", 11)
    _decoy_paragraph(pen, text, y + 50)
    pen.text(20, 280, "This file contains special category personal data. Do not remove from the office.", 8)


def boxed(pen: Pen, text: CoverText) -> None:
    pen.text(20, 14, ORGANISATION, 14, "sans-bold")
    pen.text(20, 21, "Safeguarding — case file record sheet", 11)
    y = max(text.top_mm, 34)
    rows = [
        ("Case Reference", text.reference),
        ("Surname", text.surname if text.name else ""),
        ("Forename(s)", text.forename if text.name else ""),
        ("Date of Birth", text.date_of_birth),
        ("Case Status", text.status),
        ("Date Opened", text.date_opened),
    ]
    height = 13.0
    pen.box(20, y, 190, y + height * len(rows), 0.6)
    pen.line(72, y, 72, y + height * len(rows), 0.5)
    for index, (label, value) in enumerate(rows):
        top = y + index * height
        if index:
            pen.line(20, top, 190, top, 0.5)
        pen.text(23, top + 3.5, label, 12, "sans-bold")
        pen.text(76, top + 3.2, value, 13)
    _decoy_paragraph(pen, text, y + height * len(rows) + 15)
    pen.box(20, 200, 190, 260, 0.4)
    pen.text(23, 203, "Retention / disposal notes", 10, "sans-bold")


def letterhead(pen: Pen, text: CoverText) -> None:
    pen.text(55, 12, ORGANISATION.upper(), 20, "serif-bold")
    pen.text(32, 22, ADDRESS, 9, "serif")
    pen.line(20, 28, 190, 28, 0.8)
    y = max(text.top_mm, 36)
    label = "Ref No.:" if sum(map(ord, text.surname)) % 2 else "File ref:"
    end = pen.text(120, y, label, 11, "serif-bold")
    pen.text(end + 3, y, text.reference, 11, "serif")
    pen.text(120, y + 7, f"Date: {text.date_opened}", 11, "serif")
    pen.text(20, y, "PRIVATE AND CONFIDENTIAL", 11, "serif-bold")
    pen.text(20, y + 7, "Safeguarding Adviser", 11, "serif")
    subject = ", ".join(
        part for part in (text.name, f"born {text.date_of_birth}" if text.date_of_birth else "") if part
    )
    y += 28
    if subject:
        pen.text(20, y, f"Re: {subject}", 12, "serif-bold")
    body = [
        "Thank you for your referral, which was received by the safeguarding team and has been",
        "considered in line with the House of Bishops' guidance. A risk assessment has been",
        "completed and the parish safeguarding officer has been informed of the outcome.",
        "",
        "A safeguarding agreement will be put in place and reviewed at six-monthly intervals.",
        f"Earlier correspondence is held under {text.decoy} and has been read alongside this."
        if text.decoy
        else "Earlier correspondence has been read alongside this referral.",
        "Please contact the office if anything further comes to light.",
        "",
        "Yours sincerely,",
    ]
    for number, line in enumerate(body):
        pen.text(20, y + 12 + 6.5 * number, line, 11, "serif")
    pen.text(20, y + 90, "Diocesan Safeguarding Adviser", 11, "serif-bold")


def form(pen: Pen, text: CoverText) -> None:
    pen.text(20, 12, "CASE FILE FRONT SHEET", 20, "sans-bold")
    pen.text(20, 22, f"{ORGANISATION} — Children's and Adults' Safeguarding", 10)
    y = max(text.top_mm, 32)

    def field(x0: float, x1: float, top: float, label: str, value: str) -> None:
        pen.text(x0, top, label, 9, "sans-bold")
        pen.box(x0, top + 5, x1, top + 15, 0.35)
        pen.text(x0 + 2, top + 7.2, value, 12)

    field(20, 100, y, "Case Reference", text.reference)
    field(110, 190, y, "Case Status", text.status)
    field(20, 100, y + 22, "Surname", text.surname if text.name else "")
    field(110, 190, y + 22, "Forename(s)", text.forename if text.name else "")
    field(20, 100, y + 44, "Date of Birth", text.date_of_birth)
    field(110, 190, y + 44, "Date Opened", text.date_opened)
    field(20, 190, y + 66, "Lead Worker", "")
    for number, option in enumerate(("Child", "Adult at risk", "Church officer")):
        pen.box(20 + 50 * number, y + 90, 25 + 50 * number, y + 95, 0.3)
        pen.text(28 + 50 * number, y + 90, option, 10)
    _decoy_paragraph(pen, text, y + 108)
    pen.box(20, 230, 190, 275, 0.35)
    pen.text(22, 232, "Office use only", 9, "sans-bold")


HOUSE_LAYOUTS: dict[str, Callable[[Pen, CoverText], None]] = {
    "labelled": labelled,
    "boxed": boxed,
    "letterhead": letterhead,
    "form": form,
}
