"""Front sheets drawn by other offices: the label words, label positions, fonts and paper the
scanner was not tuned on.

Each differs from the house layouts (synthetic.covers) and from each other in at least two of:
the label's words ("Ref No.", "Our ref", "File No.", "Case No:", "Reference number"), where the
value sits (the right-hand cell of a ruled table, below the label, right-aligned, in a header
band), the typeface (DejaVu or Liberation; sans, serif or mono; 9 to 20 pt) and the paper (tone
200 to 255, punch holes, a staple, a rubber stamp).
"""

from __future__ import annotations

from collections.abc import Callable

from synthetic.covers import CoverText
from synthetic.drawing import Pen
from synthetic.paper import punch_holes, stamp, staple, tone

BODY = (
    "This file holds the referral, the assessment and all later",
    "correspondence about the person named above. Keep it in the",
    "locked cabinet and sign it out when it leaves the room.",
)


def _body(pen: Pen, text: CoverText, y: float, face: str, points: float = 11) -> None:
    lines = BODY + ((f"Earlier papers are filed under {text.decoy}.",) if text.decoy else ())
    for number, line in enumerate(lines):
        pen.text(20, y + number * points * 0.55, line, points, face)


def _table(
    pen: Pen,
    y: float,
    rows: list[tuple[str, str]],
    split: float,
    face: str,
    points: float,
    left: float = 20,
    right: float = 190,
    height: float = 10,
) -> float:
    """A ruled two-column table, labels in the left cells and values in the right; its bottom (mm)."""
    pen.box(left, y, right, y + height * len(rows), 0.4)
    pen.line(split, y, split, y + height * len(rows), 0.4)
    for index, (label, value) in enumerate(rows):
        top = y + index * height
        if index:
            pen.line(left, top, right, top, 0.4)
        pen.text(left + 2.5, top + (height - points * 0.35) / 2, label, points, face)
        pen.text(split + 2.5, top + (height - points * 0.35) / 2, value, points, face)
    return y + height * len(rows)


def _front_sheet(pen: Pen, text: CoverText, face: str) -> None:
    """The table stays at the top whether or not a barcode is stuck on: the barcode sits beside
    it, in the same rows as the labels."""
    pen.text(20, 12, "Diocesan Safeguarding Team", 18, "lib-sans-bold")
    pen.text(20, 21, "Case file front sheet", 14, "lib-serif")
    rows = [
        ("Ref No.", text.reference),
        ("Subject", text.name),
        ("D.O.B.", text.date_of_birth),
        ("Opened", text.date_opened),
    ]
    bottom = _table(pen, 32, rows, 52, face, 12, right=150)
    _body(pen, text, max(bottom, text.top_mm) + 10, face)


def diocesan_table(pen: Pen, text: CoverText) -> None:
    """Issue 12's plain boxed front sheet: light grey paper, Liberation Serif in a ruled table."""
    tone(pen, 240)
    _front_sheet(pen, text, "lib-serif")


def diocesan_mono(pen: Pen, text: CoverText) -> None:
    """The same sheet typed in a monospaced face on greyer paper, punched for a ring binder."""
    tone(pen, 215)
    punch_holes(pen)
    _front_sheet(pen, text, "lib-mono")


def our_ref_letter(pen: Pen, text: CoverText) -> None:
    """A letter whose reference block is right-aligned at the top right: "Our ref: …"."""
    tone(pen, 250)
    pen.text(20, 12, "Children's Services — Safeguarding Unit", 14, "lib-sans-bold")
    pen.text(20, 19, "Town Hall, Market Street, Exampleton EX2 4QQ", 9, "lib-sans")
    y = max(text.top_mm, 30)
    for number, line in enumerate((f"Our ref: {text.reference}", "Your ref: —", f"Date: {text.date_opened}")):
        pen.right(190, y + number * 6, line, 10, "lib-sans")
    subject = text.name + (f" (DOB: {text.date_of_birth})" if text.date_of_birth else "")
    pen.text(20, y + 26, f"Re: {subject}", 11, "lib-sans-bold")
    _body(pen, text, y + 36, "lib-sans", 10)


def file_no_band(pen: Pen, text: CoverText) -> None:
    """A grey header band across the top holding the heading and "File No." with its value."""
    y = max(text.top_mm, 8)
    pen.draw.rectangle([pen.px(0), pen.px(y), pen.image.width, pen.px(y + 16)], fill=200)
    pen.text(15, y + 4.5, "CONFIDENTIAL", 16, "sans-bold")
    end = pen.text(110, y + 4.5, "File No.", 14, "sans-bold")
    pen.text(end + 3, y + 4.5, text.reference, 14, "sans")
    staple(pen)
    pen.text(15, y + 26, f"Name: {text.name}", 12, "sans")
    pen.text(15, y + 34, f"Date of birth: {text.date_of_birth}", 12, "sans")
    _body(pen, text, y + 48, "sans", 10)


def case_no_above(pen: Pen, text: CoverText) -> None:
    """Small bold labels above their values, three fields to a row, as a printed form has them."""
    tone(pen, 230)
    pen.text(20, 12, "Safeguarding Record", 20, "lib-sans-bold")
    y = max(text.top_mm, 28)
    for x, label, value in (
        (20, "Case No:", text.reference),
        (85, "Name", text.name),
        (150, "Date of birth", text.date_of_birth),
    ):
        pen.text(x, y, label, 9, "lib-sans-bold")
        pen.text(x, y + 5, value, 14, "lib-sans")
    stamp(pen, 120, y + 22, ("RECEIVED", "12 MAR 2019"))
    _body(pen, text, y + 50, "lib-sans", 11)


def reference_number_right(pen: Pen, text: CoverText) -> None:
    """Labels right-aligned against a column of values: "Reference number  SGD-…"."""
    tone(pen, 245)
    punch_holes(pen)
    pen.text(28, 12, "Record of Concern — File Cover", 16, "serif-bold")
    y = max(text.top_mm, 28)
    for number, (label, value) in enumerate(
        (
            ("Reference number", text.reference),
            ("Full name", text.name),
            ("Date of birth", text.date_of_birth),
            ("Opened", text.date_opened),
        )
    ):
        pen.right(80, y + number * 8, label, 11, "serif-bold")
        pen.text(84, y + number * 8, value, 11, "serif")
    _body(pen, text, y + 40, "serif", 10)


def file_ref_below(pen: Pen, text: CoverText) -> None:
    """A large "File ref" heading with the value in a box beneath it, stamped over the body."""
    tone(pen, 225)
    pen.text(20, 12, "Adult Safeguarding", 12, "lib-serif")
    y = max(text.top_mm, 22)
    pen.text(20, y, "File ref", 20, "lib-serif-bold")
    pen.box(20, y + 10, 110, y + 22, 0.5)
    pen.text(23, y + 12.5, text.reference, 16, "lib-serif")
    pen.text(120, y + 10, text.name, 12, "lib-serif")
    pen.text(120, y + 16, text.date_of_birth, 12, "lib-serif")
    stamp(pen, 110, y + 40, ("CLOSED", "RETAIN 75 YEARS"), angle=8.0)
    _body(pen, text, y + 34, "lib-serif", 11)


def case_reference_large(pen: Pen, text: CoverText) -> None:
    """Everything large and bold on dull recycled paper."""
    tone(pen, 200)
    y = max(text.top_mm, 14)
    end = pen.text(15, y, "Case Reference:", 20, "lib-sans-bold")
    pen.text(end + 5, y, text.reference, 20, "lib-sans-bold")
    pen.text(15, y + 14, text.name, 16, "lib-sans")
    pen.text(15, y + 23, text.date_of_birth, 16, "lib-sans")
    _body(pen, text, y + 40, "lib-sans", 12)


def ref_no_small_table(pen: Pen, text: CoverText) -> None:
    """A small 9 pt table in the top right; the office's address on the left."""
    tone(pen, 252)
    for number, line in enumerate(("Safeguarding Office", "The Old Rectory", "Church Lane", "Exampleton EX3 9ZZ")):
        pen.text(20, 14 + number * 5, line, 9, "sans")
    rows = [("Ref No.", text.reference), ("Name", text.name), ("DOB", text.date_of_birth)]
    bottom = _table(pen, max(text.top_mm, 12), rows, 130, "sans", 9, left=110, right=195, height=7)
    _body(pen, text, max(bottom, 36) + 12, "sans", 10)


def our_ref_memo(pen: Pen, text: CoverText) -> None:
    """A typed memo: labels and values in two tab-aligned monospaced columns."""
    tone(pen, 235)
    staple(pen)
    pen.text(20, 14, "MEMORANDUM", 16, "lib-mono-bold")
    y = max(text.top_mm, 26)
    for number, (label, value) in enumerate(
        (("To:", "Safeguarding Lead"), ("Our ref:", text.reference), ("Re:", text.name), ("Born:", text.date_of_birth))
    ):
        pen.text(20, y + number * 7, label, 11, "lib-mono")
        pen.text(52, y + number * 7, value, 11, "lib-mono")
    _body(pen, text, y + 36, "lib-mono", 10)


def case_no_header_row(pen: Pen, text: CoverText) -> None:
    """A ruled table whose shaded header row holds the labels, the values in the row below."""
    tone(pen, 248)
    pen.text(20, 12, "Case Summary", 18, "sans-bold")
    y = max(text.top_mm, 26)
    columns = (
        (20, "Case No:", text.reference),
        (80, "Surname", text.surname if text.name else ""),
        (125, "Forename", text.forename if text.name else ""),
        (160, "D.O.B.", text.date_of_birth),
    )
    pen.draw.rectangle([pen.px(20), pen.px(y), pen.px(195), pen.px(y + 8)], fill=215)
    pen.box(20, y, 195, y + 18, 0.4)
    pen.line(20, y + 8, 195, y + 8, 0.4)
    for x, label, value in columns:
        if x > 20:
            pen.line(x, y, x, y + 18, 0.4)
        pen.text(x + 2, y + 2, label, 10, "sans-bold")
        pen.text(x + 2, y + 11, value, 11, "sans")
    _body(pen, text, y + 30, "sans", 10)


def child_case_no_right(pen: Pen, text: CoverText) -> None:
    """ "Child:" and "Date of birth:" on the left, "Case No." right-aligned on the heading's line."""
    tone(pen, 242)
    y = max(text.top_mm, 14)
    pen.text(20, y, "CHILD PROTECTION", 14, "sans-bold")
    pen.right(192, y, f"Case No. {text.reference}", 13, "serif-bold")
    pen.line(20, y + 9, 192, y + 9, 0.6)
    pen.text(20, y + 14, f"Child: {text.name}", 12, "serif")
    pen.text(20, y + 21, f"Date of birth: {text.date_of_birth}", 12, "serif")
    punch_holes(pen, shade=90)
    _body(pen, text, y + 34, "serif", 10)


FOREIGN_LAYOUTS: dict[str, Callable[[Pen, CoverText], None]] = {
    "diocesan-table": diocesan_table,
    "diocesan-mono": diocesan_mono,
    "our-ref-letter": our_ref_letter,
    "file-no-band": file_no_band,
    "case-no-above": case_no_above,
    "reference-number-right": reference_number_right,
    "file-ref-below": file_ref_below,
    "case-reference-large": case_reference_large,
    "ref-no-small-table": ref_no_small_table,
    "our-ref-memo": our_ref_memo,
    "case-no-header-row": case_no_header_row,
    "child-case-no-right": child_case_no_right,
}
