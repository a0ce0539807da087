"""The careful read of a cover whose band around the label is no sure match (a letter's "Our ref"):
the whole top of the page is still read, but the lines the band read whole are not read twice."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image

import scanner.analysis
from scanner import ScanOptions, identify_file
from scanner.tesseract import Word
from synthetic.continuation import paragraphs
from synthetic.drawing import Pen
from synthetic.files import write_image
from synthetic.pages import degrade
from tests.support.readings import cover_of

DPI = 300


def _letter(reference: str, below: tuple[float, str] | None = None) -> Image.Image:
    """A letter quoting its case as "Our ref:" (a reading that weighs as loose text, so the band
    is no sure match), the person below, a body, and maybe a labelled line further down the top."""
    pen = Pen.blank(DPI)
    pen.text(20, 12, "Safeguarding Office", 14, "sans-bold")
    pen.text(20, 32, f"Our ref: {reference}", 11)
    pen.text(20, 40, "Your ref: —", 11)
    pen.text(20, 52, "Re: Amelia Hart (DOB: 25/01/1992)", 11, "sans-bold")
    paragraphs(pen, random.Random(4), 62, 1)
    if below is not None:
        pen.text(20, below[0], below[1], 11)
    return pen.image


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Image.Image, list[Word]]]:
    calls: list[tuple[Image.Image, list[Word]]] = []
    real = scanner.analysis.read_words

    def read_words(image: Image.Image, *args: object, **kwargs: object) -> list[Word]:
        words = real(image, *args, **kwargs)  # type: ignore[arg-type]
        calls.append((image, words))
        return words

    monkeypatch.setattr(scanner.analysis, "read_words", read_words)
    return calls


@pytest.mark.parametrize(
    "reference, damage",
    [
        ("SGD-2019-1234", {}),
        ("DSA-2021-80765", {}),
        ("CSC-2018-4471", {"rotate": 90, "skew": 2.0}),
        ("SGD-2020-512", {"rotate": 180, "skew": -1.5, "grey": True}),
    ],
)
def test_the_top_of_a_letter_is_read_without_the_lines_its_band_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: str, damage: dict
) -> None:
    calls = _recording(monkeypatch)
    page = degrade(_letter(reference), seed=2, **damage)
    result = identify_file(write_image(page, tmp_path / "letter.png", DPI), ScanOptions())
    cover = cover_of(result)
    assert reference in [candidate.case_reference for candidate in cover.candidates]
    assert cover.fields.date_of_birth is not None
    top_words = max(calls, key=lambda call: call[0].height)[1]  # the whole top of the page
    assert top_words, "the top's other lines were read"
    again = [word.text for word in top_words if word.text.lower() in ("our", "your", "ref:", reference.lower())]
    assert not again, "the band's lines were read again"


@pytest.mark.parametrize(
    "below",
    [(100.0, "Case Reference: DSA-2020-5678"), (118.0, "File ref DSA-2020-5678")],
)
def test_a_reference_below_the_band_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, below: tuple[float, str]
) -> None:
    # The band ends 60 mm below the "Our ref" line; the top of the page reaches 45 % of its height.
    result = identify_file(write_image(_letter("SGD-2019-1234", below), tmp_path / "letter.png", DPI), ScanOptions())
    read = {candidate.case_reference for candidate in cover_of(result).candidates}
    assert {"SGD-2019-1234", "DSA-2020-5678"} <= read
