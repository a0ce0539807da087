"""The cheap cover test: generous for every cover layout, no for continuation pages."""

from __future__ import annotations

import numpy as np
import pytest

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.imaging import scaled
from scanner.triage import TRIAGE_DPI, cover_hints, may_be_cover, upright
from synthetic.pages import degrade, draw_continuation, draw_cover
from synthetic.people import make_people

DPI = 200
PATTERNS = (DEFAULT_REFERENCE_PATTERN,)


def _maybe(page) -> bool:  # type: ignore[no-untyped-def]
    return may_be_cover(scaled(page, DPI, TRIAGE_DPI), TRIAGE_DPI, PATTERNS, "eng", 60)


@pytest.mark.parametrize("layout", ["labelled", "boxed", "letterhead", "form"])
def test_every_cover_layout_may_be_a_cover_even_with_a_barcode(people, layout: str) -> None:  # type: ignore[no-untyped-def]
    assert _maybe(draw_cover(people[0], layout, DPI, barcode="qr"))


@pytest.mark.parametrize("seed", [0, 2, 3])  # a chronology, a case note, a letter
def test_continuation_pages_are_cleared(seed: int) -> None:
    assert not _maybe(draw_continuation(seed, DPI))


def _hints(page, dpi: int = DPI):  # type: ignore[no-untyped-def]
    return cover_hints(scaled(page, dpi, TRIAGE_DPI), PATTERNS, "eng", 60)


@pytest.mark.parametrize("rotate, turn", [(0, 0), (180, 180), (90, 90)])
def test_a_turned_cover_is_found_the_right_way_up(people, rotate: int, turn: int) -> None:  # type: ignore[no-untyped-def]
    # degrade turns the sheet counter-clockwise; the hint says how far clockwise puts it right.
    hints = _hints(degrade(draw_cover(people[1], "labelled", DPI), rotate=rotate))
    assert [hint.turn for hint in hints][:1] == [turn]


def test_the_hint_points_at_the_label_line(people) -> None:  # type: ignore[no-untyped-def]
    # The labelled layout prints "Case Reference:" 52 mm from the top of the sheet.
    (hint,) = _hints(draw_cover(people[2], "labelled", 300), dpi=300)
    assert 48 <= hint.row / TRIAGE_DPI * 25.4 <= 56


def test_a_label_with_a_misread_letter_still_sends_the_page_on() -> None:
    # Skewed 3° and not straightened (it is plainly upright), this letter's bold "Ref No." reads
    # "Ret No" in the first look at its lines: one letter off a label must still count.
    person = make_people(8, seed=1)[5]
    page = degrade(draw_cover(person, "letterhead", 300), seed=300, skew=-3.0)
    assert _hints(page, dpi=300)


def test_an_upside_down_continuation_page_gives_no_hint() -> None:
    assert _hints(degrade(draw_continuation(3, DPI), rotate=180)) == []


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
@pytest.mark.parametrize("angle", [3.0, -2.5, 0.2])
def test_straightening_some_rows_gives_those_rows_of_the_straightened_page(people, turn: int, angle: float) -> None:  # type: ignore[no-untyped-def]
    page = draw_cover(people[0], "labelled", 100).convert("L")
    whole = upright(page, turn, angle)
    for rows in [(150, 450), (-40, 120), (whole.height - 100, whole.height + 60)]:
        expected = whole.crop((0, max(0, rows[0]), whole.width, min(whole.height, rows[1])))
        assert np.array_equal(np.asarray(upright(page, turn, angle, rows)), np.asarray(expected))
