"""Whether a page taken for a cover reads as a note quoting a case rather than a front sheet: the
triage copy's pixels (above the first reference label, or the whole page for a reference read
with no name or date of birth) and the words the careful read already has; no OCR of its own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from PIL import Image

from common.dates import MONTHS, find_uk_dates
from scanner.cover import first_label_top, shows_person_fields
from scanner.imaging import text_ink
from scanner.lines import in_body_print, prose_lines, running_lines, text_share
from scanner.model import CoverSheet
from scanner.pages import WORKING_DPI
from scanner.tesseract import Word
from scanner.triage import TRIAGE_DPI, Hint
from scanner.turning import upright

# A front sheet's fields stand under a heading and a line or two of instructions, not this many
# lines of a paragraph.
RUNNING_TEXT_LINES = 3
# Lines of prose anywhere on a page that make a bare reference (no name or date of birth read) a
# note's quote: a front sheet printing only a reference has a heading and perhaps one line of
# instructions, not a paragraph.
PROSE_ON_THE_PAGE = 2
# ... or this share of the page's rows in lines of text or tables: a front sheet printing only its
# reference is a sparse sheet (a heading, a line or two: under 10 %), while a fresh tester's action
# plan quoting another child's bare reference over a ruled table of actions filled 30 %.
BUSY_SHARE = 0.2


def as_note(sheet: CoverSheet, small: Image.Image, hint: Hint, words: Sequence[Word]) -> CoverSheet:
    """The cover, marked as a note when `RUNNING_TEXT_LINES` or more lines of running text stand
    above its first reference label (as `words` place it, at the working resolution on the page
    turned upright), or above the line where triage saw its evidence when no label shows
    (`small` is the page's triage copy as it lies). A front sheet opens with its fields, under
    a heading and a line or two of instructions, while minutes, an assessment or a footer quote
    a case's reference below paragraphs of their own, often a sibling's (a tester's such pages
    were linked to the sibling 89 times in 93). So is a reference with no name or date of birth
    read beside it, below even one line of prose in body print (`prose_lines`, `in_body_print`):
    a contact note's "Reference: …" under its first sentence, where a front sheet has a heading;
    or anywhere on a page holding `PROSE_ON_THE_PAGE` lines of prose (a bare reference under
    bullet points, a short line, a grid row or a sentence in large print, above the note's text),
    or over a page of text or tables (`BUSY_SHARE`). The cost: a front sheet printing only its
    reference under a line of instructions or a letterhead's address waits for a person too (a
    fresh tester's 58 of 64); a contact note's bare quote under its one sentence has the same
    shape, and linked it puts a child's pages in someone else's file. The catalogue weighs a
    note as it weighs a letter."""
    label = first_label_top(words)
    row = hint.row if label is None else round(label * TRIAGE_DPI / WORKING_DPI)
    if sheet.letter or row <= 0:
        return sheet
    above = upright(small, hint.turn, hint.angle, (0, row))
    lines = running_lines(text_ink(above, TRIAGE_DPI), TRIAGE_DPI)
    if lines >= RUNNING_TEXT_LINES:
        return replace(sheet, letter=f"its reference follows {lines} lines of running text, as a note's quote does")
    if sheet.fields.name or sheet.fields.date_of_birth or _date_set_apart(sheet.text) or shows_person_fields(words):
        return sheet
    page = text_ink(upright(small, hint.turn, hint.angle), TRIAGE_DPI)
    prose = prose_lines(page, TRIAGE_DPI)
    if any(bottom <= row and in_body_print((top, bottom), TRIAGE_DPI) for top, bottom in prose):
        return replace(sheet, letter="its reference stands alone, no name or date of birth read, below a sentence")
    if len(prose) >= PROSE_ON_THE_PAGE:
        return replace(sheet, letter="its reference stands alone, no name or date of birth read, on a page of prose")
    if text_share(page, TRIAGE_DPI) >= BUSY_SHARE:
        return replace(sheet, letter="its reference stands alone, no name or date of birth read, over a page of text")
    return sheet


def _date_set_apart(text: str) -> bool:
    """Whether a line of the cover's text is a date alone ("22/07/1997", "22 July 1997"): a front
    sheet printing the person's name and date of birth under the reference with no labels names
    its person as surely as labelled fields do, while a note's dates stand in its sentences or
    beside a label of their own ("Date 14/03/2022")."""
    return any(
        find_uk_dates(line) and all(word[:3].lower() in MONTHS for word in re.findall(r"[^\W\d_]+", line))
        for line in text.splitlines()
    )
