"""A stored resolution is believed only when the sheet it implies is office paper (A6 to A3, US letter
or legal, either orientation); otherwise the pixel size says what the resolution was."""

from __future__ import annotations

import pytest

from scanner.paper import PAPERS, estimated_dpi, is_paper_size, plausible_dpi


def _pixels(paper: str, dpi: int, landscape: bool = False) -> tuple[int, int]:
    sheet = next(p for p in PAPERS if p.name == paper)
    size = (round(sheet.short_inches * dpi), round(sheet.long_inches * dpi))
    return (size[1], size[0]) if landscape else size


@pytest.mark.parametrize(
    "paper, dpi, stored, expected",
    [
        ("A4", 300, 72, 300),  # the JPEG: 2480 × 3508 px whose JFIF says 72 dpi
        ("A4", 300, 96, 300),
        ("A4", 300, 1, 300),  # TIFF with no resolution unit, read as 1 dpi
        ("A4", 300, None, 300),  # no resolution stored at all
        ("A4", 200, 72, 200),
        ("A4", 600, 72, 600),
        ("A4", 300, 300, 300),  # right already: kept
        ("A4", 72, 72, 72),  # a real 72 dpi page of A4 size: kept
        ("A4", 150, 600, 150),  # claims 600: a 2 × 3 in page, too small for A6
        ("US letter", 300, 72, 300),
        ("US letter", 200, None, 200),
        ("US legal", 300, 72, 300),
        ("A5", 300, 72, 300),
        ("A3", 300, 72, 300),
        ("A6", 300, 300, 300),  # small but real paper: kept
        ("A3", 200, 200, 200),
        ("A4", 300, 5000, 300),  # nonsense beyond any scanner
    ],
)
@pytest.mark.parametrize("landscape", [False, True])
def test_a_stored_resolution_is_checked_against_the_paper_it_implies(
    paper: str, dpi: int, stored: float | None, expected: float, landscape: bool
) -> None:
    width, height = _pixels(paper, dpi, landscape)
    assert plausible_dpi(width, height, stored) == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("paper", [p.name for p in PAPERS])
@pytest.mark.parametrize("dpi", [150, 200, 300, 400, 600])
def test_every_paper_at_every_common_resolution_is_its_own_estimate_or_an_equally_sized_sheet(
    paper: str, dpi: int
) -> None:
    """A-series sheets share one shape, so 1240 × 1754 px is A4 at 150 or A6 at 300 dpi: the estimate
    prefers A4. Whatever it picks, the sheet it implies is real paper."""
    width, height = _pixels(paper, dpi)
    estimate = estimated_dpi(width, height)
    assert is_paper_size(*sorted((width / estimate, height / estimate)))
    if paper in ("A4", "US letter", "US legal"):
        assert estimate == pytest.approx(dpi, rel=0.01)


def test_a_page_cropped_to_its_content_is_estimated_to_fit_a_sheet() -> None:
    estimate = estimated_dpi(2000, 2000)  # square: no paper has this shape
    assert is_paper_size(2000 / estimate, 2000 / estimate)


@pytest.mark.parametrize(
    "inches, ok",
    [
        ((8.27, 11.69), True),
        ((11.69, 8.27), True),
        ((8.5, 14), True),
        ((34.4, 48.7), False),
        ((2.0, 2.9), False),
        ((4.13, 5.83), True),
        ((11.69, 16.54), True),
        ((20, 30), False),
    ],
)
def test_paper_sizes(inches: tuple[float, float], ok: bool) -> None:
    assert is_paper_size(*sorted(inches)) is ok
