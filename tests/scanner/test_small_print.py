"""Front sheets printed in very small type (a form shrunk to fit, a photocopy reduced to A5 and
filed on A4): at the triage copy's 100 dpi a 4-5 pt line is a smudge tesseract reads nothing in,
so such a cover was taken for a continuation page and its pages joined the case file before it,
which was then linked automatically. A page whose lines are that small must be looked at
magnified before it is cleared. Drawn here, not by `synthetic`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner import ScanOptions, identify_file
from scanner.imaging import ink
from scanner.lines import usual_line_mm
from scanner.looking import SMALL_LINE_MM
from synthetic.drawing import font
from synthetic.pages import draw_continuation

DPI = 300
BODY = "The assessment and every later note about this child are kept in this file."


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def _font(points: float, face: str) -> ImageFont.FreeTypeFont:
    return font(face, round(points / 72 * DPI))


def _small_cover(points: float, face: str, labels: tuple[str, str, str], left_mm: float = 20) -> Image.Image:
    """An A4 front sheet every line of which is `points` tall: heading, three fields, a paragraph."""
    page = Image.new("L", (_px(210), _px(297)), 245)
    draw = ImageDraw.Draw(page)
    font, line = _font(points, face), points * 0.55
    draw.text((_px(left_mm), _px(14)), "Children's Services - case file", font=_font(points * 1.3, face), fill=20)
    values = ("SG-2021-0457", "Maja Lindqvist", "07/11/2013")
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = _px(22 + row * line)
        draw.text((_px(left_mm), top), label, font=font, fill=20)
        draw.text((_px(left_mm + points * 4.5), top), value, font=font, fill=20)
    for row in range(10):
        draw.text((_px(left_mm), _px(26 + 3 * line + row * line)), BODY, font=font, fill=20)
    return page


def _small_letter(points: float) -> Image.Image:
    """A continuation page of small print with no label on it: a photocopied leaflet."""
    page = Image.new("L", (_px(210), _px(297)), 250)
    draw = ImageDraw.Draw(page)
    for row in range(40):
        draw.text((_px(20), _px(15 + row * points * 0.55)), BODY, font=_font(points, "lib-serif"), fill=20)
    return page


def _batch(pages: list[Image.Image], path: Path) -> Path:
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=DPI)
    return path


@pytest.mark.parametrize(
    "points, face, labels",
    [
        (4.0, "sans", ("Case Reference:", "Name:", "Date of birth:")),
        (5.0, "lib-serif", ("Ref No.", "Subject", "D.O.B.")),
        (4.5, "lib-mono", ("Case No:", "Child:", "DOB:")),
        (5.0, "lib-sans-bold", ("Our ref", "Name", "Born")),
    ],
)
def test_a_cover_in_small_print_starts_its_own_case_file(
    tmp_path: Path, points: float, face: str, labels: tuple[str, str, str]
) -> None:
    before = draw_continuation(3, DPI).convert("L")
    path = _batch(
        [before, _small_cover(points, face, labels), draw_continuation(4, DPI).convert("L")], tmp_path / "b.pdf"
    )
    files = identify_file(path, ScanOptions(workers=1)).case_files
    assert [(f.first_page, f.last_page) for f in files] == [(1, 1), (2, 3)]
    assert files[1].cover is not None and files[1].cover.case_reference in ("SG-2021-0457", None)


def test_a_page_of_small_print_without_labels_stays_a_continuation_page(tmp_path: Path) -> None:
    path = _batch(
        [_small_cover(5.0, "sans", ("Case Reference:", "Name:", "Date of birth:")), _small_letter(5.0)],
        tmp_path / "b.pdf",
    )
    files = identify_file(path, ScanOptions(workers=1)).case_files
    assert [(f.first_page, f.last_page, f.doubts) for f in files] == [(1, 2, ())]


@pytest.mark.parametrize("points, small", [(4.0, True), (5.0, True), (9.0, False), (12.0, False)])
@pytest.mark.parametrize("turn", [0, 90])
def test_the_usual_line_tells_print_too_small_for_the_triage_copy(points: float, small: bool, turn: int) -> None:
    copy = _small_letter(points).resize((827, 1169), Image.Resampling.LANCZOS).rotate(turn, expand=True)
    line = usual_line_mm(ink(copy), 100)
    assert line is not None and (line < SMALL_LINE_MM) is small


def test_a_page_without_lines_has_no_usual_line() -> None:
    assert usual_line_mm(ink(Image.new("L", (827, 1169), 255)), 100) is None


def _sparse_cover(face: str, paper: int) -> Image.Image:
    """A tester's referral record: a 12 pt heading, three 9 pt fields, a grey paragraph, and
    nothing else: too little print for the triage to be sure which way up it is."""
    page = Image.new("L", (_px(210), _px(297)), paper)
    draw = ImageDraw.Draw(page)
    draw.text((_px(18), _px(14)), "Adult Safeguarding Referral Record", font=_font(12, "lib-sans-bold"), fill=20)
    for row, line in enumerate(("Client ID: SG-2021-0457", "Client name: Maja Lindqvist", "Date of birth: 07/11/2013")):
        draw.text((_px(18), _px(22 + 5 * row)), line, font=_font(9, face), fill=20)
    words, line, row = ("This record is confidential. " * 12).split(), "", 0
    for word in [*words, ""]:
        if word and _font(9, "lib-serif").getlength(f"{line} {word}") < _px(170):
            line = f"{line} {word}".strip()
            continue
        draw.text((_px(18), _px(42 + 4.5 * row)), line, font=_font(9, "lib-serif"), fill=80)
        line, row = word, row + 1
    return page


@pytest.mark.parametrize(
    "face, paper, grain, skew",
    [
        ("lib-sans-narrow", 235, 12, 0.0),
        ("lib-sans-narrow", 250, 0, 1.0),
        ("lib-sans-narrow", 240, 6, -1.1),
        ("lib-sans-narrow", 235, 12, 1.3),
        ("lib-sans-narrow", 228, 20, -0.8),
        ("lib-sans", 240, 12, 0.6),
        ("lib-sans", 250, 0, 1.2),
        ("sans", 236, 6, -1.2),
        ("lib-serif", 245, 0, 0.9),
        ("lib-sans-narrow", 235, 12, -1.0),
        ("lib-sans-narrow", 220, 16, 1.6),
        ("lib-sans-narrow", 245, 20, 0.3),
        ("lib-mono", 235, 12, -1.0),
    ],
)
def test_a_sparse_cover_in_9_pt_print_starts_its_own_case_file(
    tmp_path: Path, face: str, paper: int, grain: float, skew: float
) -> None:
    """Straightening a sparse page by a skew measured on its grain blurred 9 pt fields past
    reading at 100 dpi: a tester's cover merged into the case file before it, linked automatically."""
    cover = _sparse_cover(face, paper).rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    noise = np.random.default_rng(7).normal(0, grain, (cover.height, cover.width))
    cover = Image.fromarray(np.clip(np.asarray(cover, dtype=np.float32) + noise, 0, 255).astype(np.uint8))
    before = draw_continuation(3, DPI).convert("L")
    path = _batch([before, cover, draw_continuation(4, DPI).convert("L")], tmp_path / "b.pdf")
    files = identify_file(path, ScanOptions(workers=1)).case_files
    assert [(f.first_page, f.last_page) for f in files] == [(1, 1), (2, 3)]
