"""Pixel helpers against plain-Python definitions of what they compute."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from scanner.bars import has_bars, has_slanted_bars
from scanner.imaging import in_lines_of_letters, ink, remove_rules, scaled, speckle
from synthetic.continuation import draw_continuation
from synthetic.degrade import degrade
from synthetic.drawing import barcode_image, font


def _rules_by_definition(mask: np.ndarray, length: int) -> np.ndarray:
    """Ink on a horizontal or vertical run of at least `length`, widened by a pixel across the run,
    taken away, but for the feet of letters standing on a horizontal rule (`_with_feet`)."""
    rules = _rules_by_direction(mask, length) | _rules_by_direction(mask.T, length).T
    return _with_feet(mask, mask & ~rules, length)


def _with_feet(mask: np.ndarray, kept: np.ndarray, length: int) -> np.ndarray:
    """`kept` and, of each column's run of horizontal-rule pixels, those with a kept pixel just
    above and none just below (a letter standing on the rule), where the rows holding them
    together hold such pixels in `length // 2` columns or more."""
    across = _rules_by_direction(mask, length)
    rule = mask & across & ~_rules_by_direction(mask.T, length).T
    feet = np.zeros_like(mask)
    height = mask.shape[0]
    for x in range(mask.shape[1]):
        y = 0
        while y < height:
            if not rule[y, x]:
                y += 1
                continue
            end = y
            while end < height and rule[end, x]:
                end += 1
            above = y > 0 and kept[y - 1, x]
            below = end < height and kept[end, x]
            if above and not below:
                feet[y:end, x] = True
            y = end
    rows = [y for y in range(height) if feet[y].any()]
    groups: list[list[int]] = []
    for y in rows:
        if groups and y == groups[-1][-1] + 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    for group in groups:
        if np.count_nonzero(feet[group].any(axis=0)) < length // 2:
            feet[group] = False
    return kept | feet


def _rules_by_direction(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels on a horizontal run of at least `length`, widened by a pixel above and below."""
    out = np.zeros_like(mask)
    for y, row in enumerate(mask):
        x = 0
        while x < len(row):
            end = x
            while end < len(row) and row[end]:
                end += 1
            if end - x >= length:
                out[max(0, y - 1) : y + 2, x:end] = True
            x = end + 1
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 40), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_remove_rules_matches_its_definition(height: int, width: int, length: int, seed: int) -> None:
    mask = np.random.default_rng(seed).random((height, width)) < 0.8
    assert (remove_rules(mask, length) == _rules_by_definition(mask, length)).all()


def test_letters_standing_on_a_rule_keep_their_feet_and_a_stray_stroke_does_not() -> None:
    """A line of print typed on a rule: each letter's stem ends on the rule, which is taken out
    everywhere but under the stems (a fresh tester's ruled card read "NS4-20123" for "DSA-2013"
    when the rule took the letters' feet)."""
    mask = np.zeros((30, 200), bool)
    mask[20:22, :] = True  # the rule
    stems = list(range(10, 190, 6))
    for x in stems:
        mask[8:20, x : x + 2] = True
    mask[2:20, 195:197] = True  # a stray stroke at the line's end: one of the stems too
    kept = remove_rules(mask, 60)
    assert kept[19:22, stems[0] : stems[0] + 2].all()  # the foot, through the rule's width
    assert not kept[20:22, stems[0] + 3].any()  # the rule between stems is gone
    lone = np.zeros((30, 200), bool)
    lone[20:22, :] = True
    lone[8:20, 100:102] = True
    assert not remove_rules(lone, 60)[20:22].any()


def _card_on_paper(paper: int, card: int, share: float, print_tone: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A page of `paper` grey holding a square card of `card` grey, `share` of the page, with
    lines of `print_tone` strokes on it; and where those strokes are."""
    rng = np.random.default_rng(seed)
    page = np.full((300, 200), paper, np.uint8)
    side = round((share * page.size) ** 0.5)
    top, left = rng.integers(0, 300 - side), rng.integers(0, 200 - min(side, 199))
    page[top : top + side, left : left + side] = card
    strokes = np.zeros_like(page, bool)
    for row in range(top + 5, top + side - 5, 9):
        strokes[row : row + 3, left + 5 : left + side - 5] = rng.random(max(0, side - 10)) < 0.5
    page[strokes] = print_tone
    return page, strokes


@settings(max_examples=40, deadline=None)
@given(
    st.integers(170, 240), st.integers(250, 255), st.floats(0.15, 0.45), st.integers(0, 60), st.integers(0, 2**32 - 1)
)
def test_a_white_card_on_grey_paper_is_paper_and_its_print_is_ink(
    paper: int, card: int, share: float, print_tone: int, seed: int
) -> None:
    """A card lighter than the sheet it was scanned on: Otsu's threshold parts the two papers,
    and the grey sheet, most of the page, was all ink (a fresh tester's card merged so)."""
    page, strokes = _card_on_paper(paper, card, share, print_tone, seed)
    assert (ink(Image.fromarray(page)) == strokes).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(205, 245), st.floats(0.18, 0.45), st.integers(0, 60), st.integers(0, 2**32 - 1))
def test_a_grey_card_on_white_paper_is_paper_and_its_print_is_ink(
    card: int, share: float, print_tone: int, seed: int
) -> None:
    """A card darker than the white sheet under it: Otsu's threshold took the whole card for ink
    (a fresh tester's card in grey 239, merged silently)."""
    page, strokes = _card_on_paper(255, card, share, print_tone, seed)
    assert (ink(Image.fromarray(page)) == strokes).all()


def test_a_sheet_on_a_scanners_black_lid_keeps_the_lid_as_ink() -> None:
    """Most of the page dark, but black, not a paper's grey: the threshold parted print and lid
    from the sheet, as before."""
    page = np.full((300, 200), 20, np.uint8)
    page[50:150, 50:150] = 245
    page[70:73, 60:140] = 10
    assert ink(Image.fromarray(page)).mean() > 0.5


def test_speckle_is_zero_on_solid_print_and_high_on_scattered_dots() -> None:
    solid = np.zeros((20, 20), dtype=bool)
    solid[5:10, 2:18] = True
    dots = np.zeros((20, 20), dtype=bool)
    dots[::3, ::3] = True
    assert speckle(solid) == 0.0 and speckle(dots) == 1.0


def _bars_by_definition(mask: np.ndarray, length: int, window: int) -> bool:
    """Some row is crossed, within `window` columns running, by at least `length` columns' unbroken
    vertical runs of ink `length` tall: bars side by side."""
    height, width = mask.shape
    for row in range(height):
        covered = [
            any(
                mask[top : top + length, column].all()
                for top in range(max(0, row - length + 1), row + 1)
                if top + length <= height
            )
            for column in range(width)
        ]
        if any(sum(covered[start : start + window]) >= length for start in range(width - window + 1)):
            return True
    return False


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from([10, 25]), st.integers(4, 14), st.integers(8, 40), st.floats(0.3, 1.0), st.integers(0, 2**32 - 1)
)
@example(25, 10, 30, 0.97, 0)
def test_bars_match_their_definition(dpi: int, height: int, width: int, density: float, seed: int) -> None:
    """At 10 dpi a bar is 3 pixels tall and the window 12 columns wide: small enough to check by hand.
    At 25 dpi a bar is 8 pixels tall, taller than some of the masks: a page whose tall runs all
    start within a few rows (a held-out cover at 150 dpi, 2.4° askew) raised a numpy error."""
    mask = np.random.default_rng(seed).random((height, width)) < density
    length, window = round(dpi * 8 / 25.4), round(dpi * 30 / 25.4)
    want = _bars_by_definition(mask, length, window) or _bars_by_definition(mask.T, length, window)
    assert has_bars(mask, dpi) == want


@pytest.mark.parametrize("skew", [-3.0, -2.0, 2.0, 3.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_skewed_ruled_page_shows_no_bars(skew: float, seed: int) -> None:
    """A chronology's long rules, fed a few degrees askew, cross many rows each for a short way,
    one below the other: taken for sideways bars, every such page was searched for a barcode at
    300 dpi (~0.4 s) for nothing."""
    page = degrade(draw_continuation(seed, 300), skew=skew, seed=seed)
    assert not has_bars(ink(scaled(page, 300, 100)), 100)


@pytest.mark.parametrize(
    ("symbology", "turn"),
    [("code128", 0), ("code128", 90), ("code128", 3), ("code128", 270), ("code39", 0), ("code39", 90)],
)
def test_a_linear_code_still_shows_as_bars_beside_a_skewed_table(symbology: str, turn: int) -> None:
    """A linear code, upright, sideways or a little slanted, still counts as bars at the small
    copy's resolution on a page whose skewed rules no longer do."""
    page = degrade(draw_continuation(0, 300), skew=3.0, seed=0)
    code = barcode_image("SGD-2021-4866", symbology, 300).rotate(turn, expand=True, fillcolor=255)
    page.paste(code, (1500, 2800))
    assert has_bars(ink(scaled(page, 300, 100)), 100)


@pytest.mark.parametrize(("symbology", "slant"), [("code128", 14.0), ("code39", -12.0), ("code128", 8.0)])
def test_a_slanted_code_shows_as_bars_where_words_do_not(symbology: str, slant: float) -> None:
    """A label slanted 8-15 degrees leaves no column inked 8 mm down, so it showed no bars; closed
    up, it does. Pages of words and tables, straight or skewed, stay clear."""
    page = degrade(draw_continuation(1, 300), skew=2.0, seed=1)
    clear = ink(scaled(page, 300, 100))
    code = barcode_image("SGD-2021-4866", symbology, 300).rotate(slant, expand=True, fillcolor=255)
    page.paste(code, (1500, 2800))
    assert has_slanted_bars(ink(scaled(page, 300, 100)), 100)
    assert not has_slanted_bars(clear, 100)
    assert not any(has_slanted_bars(ink(scaled(draw_continuation(seed, 300), 300, 100)), 100) for seed in range(6))


@pytest.mark.parametrize("points", [8, 11, 14, 20])
def test_lines_of_letters_keep_print_and_lose_a_stamps_frame_and_rules(points: int) -> None:
    """A slanted stamp's frame and a table's short rules, left unread beside a cover's words,
    are no letters; a line of small print, read or not, is."""
    dpi = 200
    page = Image.new("L", (1400, 900), 255)
    draw = ImageDraw.Draw(page)
    draw.text((60, 80), "Ruby Hartley  03/04/2015", font=font("sans", round(points / 72 * dpi)), fill=0)
    frame = Image.new("L", (500, 160), 255)
    ImageDraw.Draw(frame).rectangle((4, 4, 495, 155), outline=0, width=3)
    page.paste(frame.rotate(12, expand=True, fillcolor=255), (700, 400))
    for y in (300, 365, 430):
        draw.line((60, y, 160, y), fill=0, width=2)  # a table's rules under 0.6 in: rule removal keeps them
    mask = np.asarray(page) < 128
    kept = in_lines_of_letters(mask, dpi)
    text, art = mask[:200], mask[200:]
    assert kept[:200].sum() >= 0.8 * text.sum()
    assert kept[200:].sum() <= 0.02 * art.sum()
