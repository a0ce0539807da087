"""The cheap cover test: generous for every cover layout, no for continuation pages."""

from __future__ import annotations

import pytest

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.imaging import scaled
from scanner.triage import TRIAGE_DPI, may_be_cover
from synthetic.pages import draw_continuation, draw_cover

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
