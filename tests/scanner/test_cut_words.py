"""Triage reads a line's first 46 mm: a word the cut reaches may be a longer one cut short. A
fresh tester's letters ("…food; a referral to the local food bank…") read "a ref" there, and
15 of 62 split off as unreadable covers. The line is read whole before such a word counts."""

from __future__ import annotations

import pytest
from PIL import Image

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.imaging import scaled, text_ink
from scanner.lines import line_pieces
from scanner.strips import read_wide
from scanner.triage import TRIAGE_DPI, triage_page
from synthetic.drawing import Pen

# Words before the sentence's "a referral": each shifts where the cut falls in the line.
LEADS = ("", "so", "and", "then", "later", "after", "and so", "that day", "as agreed", "at school", "in March")


def letter(opening: str, lead: str, sentence: str, face: str) -> Image.Image:
    pen = Pen.blank(300)
    pen.text(22, 20, "Dear Sir or Madam,", 11, face)
    for line in range(6):
        pen.text(22, 32 + 6 * line, f"{opening} {lead} {sentence}", 11, face)
    return scaled(pen.image, 300, TRIAGE_DPI)


def covers(opening: str, sentence: str, face: str) -> list[str]:
    """The leads with which the letter's top shows a cover's evidence."""
    return [
        lead
        for lead in LEADS
        if triage_page(letter(opening, lead, sentence, face), (DEFAULT_REFERENCE_PATTERN,), "eng", 60).hints
    ]


@pytest.mark.parametrize("face", ["lib-serif", "sans"])
@pytest.mark.parametrize("opening", ["Case notes show that", "Clients said", "Casework shows"])
def test_a_word_cut_short_is_no_label(opening: str, face: str) -> None:
    sentence = "a referral to the local food bank was discussed and agreed with the family."
    assert covers(opening, sentence, face) == []


@pytest.mark.parametrize("face", ["lib-serif", "mono"])
def test_a_line_running_past_the_cut_is_told_from_one_ending_before_it(face: str) -> None:
    pen = Pen.blank(300)
    pen.text(22, 20, "Casework shows a referral to the local food bank was agreed.", 11, face)
    pen.text(22, 30, "Seen today.", 11, face)
    small = scaled(pen.image, 300, TRIAGE_DPI)
    pieces = line_pieces(text_ink(small, TRIAGE_DPI), TRIAGE_DPI)
    read, reached = read_wide(pieces, [46.0] * len(pieces), TRIAGE_DPI, "eng", 60)
    assert [line.text for n, (_, line) in enumerate(read) if n in reached] == [read[0][1].text]
    assert "Seen" in read[-1][1].text and len(read) - 1 not in reached
