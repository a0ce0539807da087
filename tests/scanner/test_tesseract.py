"""The tesseract wrapper: its parsers without the program, then both ways of calling it for real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from packaging.version import Version
from PIL import Image, ImageDraw, ImageFont

from config.errors import MissingDependencyError
from scanner import ScanOptions, identify_file, tesseract
from scanner.errors import OcrTimeout
from scanner.tesseract import (
    Backend,
    Word,
    check_language,
    check_tesseract,
    parse_languages,
    parse_tsv,
    parse_version,
    read_words,
)
from synthetic.files import write_image
from synthetic.pages import draw_cover
from synthetic.people import make_people

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t96.5\tCase", [Word("Case", 96.5, 10, 20, 30, 40)]),
        ("5\t1\t1\t1\t1\t2\t1\t2\t3\t4\t-1\tRef", [Word("Ref", 0.0, 1, 2, 3, 4)]),  # -1: no confidence
        ("5\t1\t1\t1\t1\t3\t1\t2\t3\t4\t90\t   ", []),  # an empty word
        ("4\t1\t1\t1\t1\t0\t1\t2\t3\t4\t-1\t", []),  # a line row, not a word
        ("5\t1\t1\t1", []),  # cut short
    ],
)
def test_parse_tsv(line: str, expected: list[Word]) -> None:
    assert parse_tsv(f"{HEADER}\n{line}\n") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("tesseract 5.3.0\n leptonica-1.82.0\n  libgif 5.2.1", Version("5.3.0")),
        ("tesseract v5.0.0-alpha.20201127", Version("5.0.0")),
        ("tesseract 4.1.1-rc2-21-gf4ef", Version("4.1.1")),
        ("tesseract 4.00.00alpha", Version("4.0.0")),
        ("tesseract 3.05", Version("3.5")),
    ],
)
def test_parse_version(text: str, expected: Version) -> None:
    assert parse_version(text) == expected


def test_a_version_string_without_a_number_is_a_dependency_error() -> None:
    with pytest.raises(MissingDependencyError, match="cannot tell which tesseract"):
        parse_version("tesseract (unknown build)")


@pytest.mark.parametrize(
    "listing, folder, languages",
    [
        (
            'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):\neng\nosd\n',
            "/usr/share/tesseract-ocr/5/tessdata/",
            {"eng", "osd"},
        ),
        ("List of available languages (3):\ncym\neng\nosd\n", None, {"cym", "eng", "osd"}),
        (
            'Error opening data file /nowhere/eng.traineddata\nList of available languages in "/nowhere/" (0):\n',
            None,
            set(),
        ),
        ("", None, set()),
    ],
)
def test_parse_languages(listing: str, folder: str | None, languages: set[str]) -> None:
    assert parse_languages(listing) == (folder, frozenset(languages))


def _words_image(text: str, size: tuple[int, int] = (900, 120)) -> Image.Image:
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((30, 30), text, font=ImageFont.truetype(FONT, 48), fill=0)
    return image


@pytest.mark.parametrize("backend", ["tesserocr", "tesseract"])
def test_both_ways_of_calling_tesseract_read_the_same_words(backend: Backend) -> None:
    check_tesseract()
    words = read_words(_words_image("Case Reference SGD-2024-0412"), 300, backend=backend)
    assert [w.text for w in words] == ["Case", "Reference", "SGD-2024-0412"]
    assert all(w.confidence > 50 for w in words)


@pytest.mark.parametrize("backend", ["tesserocr", "tesseract"])
def test_a_call_that_runs_out_of_time_is_an_ocr_timeout_not_partial_text(backend: Backend) -> None:
    noise = np.random.default_rng(7).integers(0, 2, size=(2400, 2400), dtype=np.uint8) * 255
    lines = _words_image("SGD-2024-0412 " * 8, (2400, 2400))
    busy = Image.fromarray(np.minimum(noise, np.asarray(lines)))
    with pytest.raises(OcrTimeout, match="ocr_timeout_seconds"):
        read_words(busy, 300, psm=3, timeout=0.001, backend=backend)


def test_languages_are_asked_of_tesseract_itself() -> None:
    found = check_tesseract()
    assert "eng" in found.languages
    check_language("eng")
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr-xyz"):
        check_language("eng+xyz")


def test_no_tesseract_at_all_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    check_tesseract.cache_clear()
    try:
        with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr"):
            check_tesseract()
    finally:
        check_tesseract.cache_clear()


def test_without_tesserocr_the_program_is_found_and_reads_a_whole_cover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path a user without tesserocr takes: version and languages asked of the program, every
    call through pytesseract."""
    person = make_people(1, seed=11)[0]
    page = draw_cover(person, "labelled", 200)
    monkeypatch.setattr(tesseract, "_tesserocr", lambda: None)
    check_tesseract.cache_clear()
    try:
        found = check_tesseract()
        assert found.backend == "tesseract" and "eng" in found.languages and found.version >= Version("4.0")
        cover = identify_file(write_image(page, tmp_path / "cover.png", 200), ScanOptions()).case_files[0].cover
    finally:
        check_tesseract.cache_clear()
    assert cover is not None and cover.method == "ocr"
    assert cover.case_reference == person.case_reference
    assert cover.fields.date_of_birth == person.date_of_birth


_LEPTONICA_COMPLAINT = """
import ctypes, sys
from pathlib import Path
import tesserocr
from PIL import Image
from scanner.tesseract import read_words
if sys.argv[1] == "read":
    read_words(Image.new("L", (60, 60), 255), 200)
folder = Path(tesserocr.__file__).parent.parent / "tesserocr.libs"
ctypes.CDLL(str(next(folder.glob("libleptonica*.so*")))).boxClipToRectangle(None, 10, 10)
"""


@pytest.mark.skipif(tesseract._tesserocr() is None, reason="tesserocr is not installed")
def test_leptonicas_complaints_inside_tesseract_never_reach_the_terminal() -> None:
    """The service's terminal showed 50 "Error in boxClipToRectangle" lines on a tester's batches:
    once tesseract is in use, leptonica (the same complaint, raised on purpose) says nothing."""
    root = Path(__file__).resolve().parents[2]

    def complaint(before: str) -> str:
        run = [sys.executable, "-c", _LEPTONICA_COMPLAINT, before]
        return subprocess.run(run, capture_output=True, text=True, cwd=root, check=True).stderr

    assert "boxClipToRectangle" in complaint("nothing")
    assert complaint("read") == ""
