"""Tesseract, found once and called through one seam.

tesserocr runs tesseract in-process (about 10 ms against 200 ms a call for a small crop), so it
is used when installed; pytesseract (the command-line program) serves otherwise. Both hand back
the same TSV, parsed by one pure function.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from pathlib import Path

from PIL import Image

from config.errors import MissingDependencyError

MIN_VERSION = (4, 0)
SPARSE_TEXT = 11
# Tesseract 5 reads every low-confidence line a second time as white-on-black text; scans hold
# none, and the second pass cost ~7% of all OCR time on the corpus.
VARIABLES = {"tessedit_do_invert": "0"}
INSTALL = "install it with 'sudo apt-get install tesseract-ocr tesseract-ocr-eng'"
_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata")


@dataclass(frozen=True)
class Word:
    """One word tesseract read, with its box in the image it was given and its confidence 0-100."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int


def parse_tsv(tsv: str) -> list[Word]:
    """Words from tesseract's TSV output (level 5 rows), skipping empty ones."""
    words = []
    for line in tsv.splitlines():
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        words.append(Word(cells[11].strip(), max(0.0, float(cells[10])), left, top, width, height))
    return words


def tessdata_dir() -> str | None:
    configured = os.environ.get("TESSDATA_PREFIX")
    if configured and Path(configured).is_dir():
        return configured
    return next((d for d in _TESSDATA_DIRS if Path(d).is_dir()), None)


def _version_tuple(text: str) -> tuple[int, int]:
    match = re.search(r"(\d+)\.(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


@lru_cache(maxsize=1)
def check_tesseract() -> str:
    """The tesseract version in use; MissingDependencyError with install advice if none will do."""
    try:
        import tesserocr

        version = tesserocr.tesseract_version().split()[1]
    except (ImportError, IndexError):
        program = shutil.which("tesseract")
        if program is None:
            raise MissingDependencyError(f"tesseract is not installed; {INSTALL}.") from None
        output = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
        version = (output.stdout + output.stderr).split("\n")[0].split()[-1]
    if _version_tuple(version) < MIN_VERSION:
        raise MissingDependencyError(f"tesseract {version} is too old (4.0 or later needed); {INSTALL}.")
    return version


def check_language(language: str) -> None:
    """Every language asked for has its traineddata installed."""
    folder = tessdata_dir()
    for part in language.split("+"):
        if folder is not None and not (Path(folder) / f"{part}.traineddata").exists():
            raise MissingDependencyError(
                f"tesseract has no '{part}' language data; install it with 'sudo apt-get install tesseract-ocr-{part}'."
            )


@lru_cache(maxsize=4)
def _api(language: str, psm: int) -> Any:
    """One tesserocr engine per process, language and mode: loading the model costs ~100 ms."""
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=tessdata_dir() or "", lang=language, psm=psm, variables=VARIABLES)


def _options() -> str:
    return " ".join(f"-c {name}={value}" for name, value in VARIABLES.items())


def _has_tesserocr() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata_dir() is not None


def read_words(image: Image.Image, dpi: int, language: str = "eng", psm: int = SPARSE_TEXT, timeout: int = 60) -> list[Word]:
    """OCR one greyscale image, telling tesseract its real resolution (it misreads when it guesses)."""
    if _has_tesserocr():
        api = _api(language, psm)
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        api.Recognize(timeout * 1000)
        return parse_tsv(api.GetTSVText(0))
    import pytesseract

    tsv = pytesseract.image_to_data(image, lang=language, config=f"--psm {psm} --dpi {dpi} {_options()}", timeout=timeout)
    return parse_tsv(tsv)
