"""Tesseract, found once and called through one seam, as OCRmyPDF wraps its programs.

tesserocr runs tesseract in-process (about 10 ms against 200 ms a call for a small crop), so it
is used when installed; the `tesseract` program through pytesseract serves otherwise. Both hand
back the same TSV, parsed by one pure function, and both turn a call that runs out of time into
`OcrTimeout`: text read up to the cut would be a page read in part and taken for the whole.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from packaging.version import Version
from PIL import Image, ImageOps

from config.errors import MissingDependencyError
from scanner.errors import OcrTimeout

MIN_VERSION = Version("4.0")
SPARSE_TEXT = 11
# Tesseract 5 reads every low-confidence line a second time as white-on-black text; scans hold
# none, and the second pass cost ~7% of all OCR time on the corpus.
VARIABLES = {"tessedit_do_invert": "0"}
INSTALL = "install it with 'sudo apt-get install tesseract-ocr tesseract-ocr-eng'"
PROGRAM_TIMEOUT_SECONDS = 30

Backend = Literal["tesserocr", "tesseract"]


@dataclass(frozen=True)
class Word:
    """One word tesseract read, with its box in the image it was given and its confidence 0-100."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Tesseract:
    """The tesseract in use: its version, how it is called, and the languages it has."""

    version: Version
    backend: Backend
    tessdata: str | None
    languages: frozenset[str]


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


def parse_version(text: str) -> Version:
    """The first release number in `tesseract --version`'s output or tesserocr's version string.

    Builds name themselves freely ("tesseract 5.3.0", "tesseract v5.0.0-alpha.20201127",
    "tesseract 4.1.1-rc2-21-gf4ef"), so only the numeric release is kept: a pre-release of 4.1
    counts as 4.1. Raises MissingDependencyError when there is no version in the text at all.
    """
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if match is None:
        raise MissingDependencyError(f"cannot tell which tesseract this is (it says {text.strip()[:60]!r}); {INSTALL}.")
    return Version(".".join(part for part in match.groups() if part is not None))


def parse_languages(listing: str) -> tuple[str | None, frozenset[str]]:
    """(tessdata folder, languages) from `tesseract --list-langs`.

    Its first line names the folder in quotes (`List of available languages in "/usr/…/tessdata/"
    (2):`); each later line is a language. A line starting "Error" means no data was found.
    """
    lines = [line.strip() for line in listing.splitlines() if line.strip()]
    if not lines or any(line.startswith("Error") for line in lines):
        return None, frozenset()
    folder = re.search(r'"([^"]+)"', lines[0])
    return (folder.group(1) if folder else None), frozenset(lines[1:])


def _program_output(*args: str) -> str:
    program = shutil.which("tesseract")
    if program is None:
        raise MissingDependencyError(f"tesseract is not installed; {INSTALL}.")
    try:
        done = subprocess.run(
            [program, *args], capture_output=True, text=True, timeout=PROGRAM_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MissingDependencyError(f"tesseract did not answer '{' '.join(args)}' ({error}); {INSTALL}.") from None
    return done.stdout + done.stderr


def _tesserocr() -> Any:
    try:
        import tesserocr
    except ImportError:
        return None
    _quieten_leptonica(Path(tesserocr.__file__).parent.parent / "tesserocr.libs")
    return tesserocr


def _quieten_leptonica(folder: Path) -> None:
    """Leptonica, inside tesseract, writes its complaints about a crop tesseract chose ("Error in
    boxClipToRectangle: box outside rectangle") straight to the terminal, where the staff running
    the service read them as the scan failing; they say nothing of the scan. Severity 6 is
    L_SEVERITY_NONE in leptonica's environ.h. The program backend's stderr is captured already."""
    for library in sorted(folder.glob("libleptonica*.so*")):
        ctypes.CDLL(str(library)).setMsgSeverity(6)


def _find() -> Tesseract:
    """tesserocr needs the tessdata folder named: the environment's, else the one the program
    reports. Without either, the program is used on its own."""
    program_folder, program_languages = (None, frozenset[str]())
    if shutil.which("tesseract") is not None:
        program_folder, program_languages = parse_languages(_program_output("--list-langs"))
    folder = os.environ.get("TESSDATA_PREFIX") or program_folder
    module = _tesserocr()
    if module is not None and folder is not None:
        _, languages = module.get_languages(folder)
        return Tesseract(parse_version(module.tesseract_version()), "tesserocr", folder, frozenset(languages))
    version = parse_version(_program_output("--version"))
    return Tesseract(version, "tesseract", program_folder, program_languages)


@lru_cache(maxsize=1)
def check_tesseract() -> Tesseract:
    """The tesseract in use, checked once per process.

    Raises MissingDependencyError, with install advice, when none is installed or it is older
    than 4.0 (the LSTM engine, whose word confidences the ranking relies on).
    """
    found = _find()
    if found.version < MIN_VERSION:
        raise MissingDependencyError(f"tesseract {found.version} is too old (4.0 or later needed); {INSTALL}.")
    return found


def check_language(language: str) -> None:
    """Every language in `language` ('eng', 'eng+cym') is one tesseract says it has.

    Raises MissingDependencyError naming the package to install.
    """
    have = check_tesseract().languages
    for part in language.split("+"):
        if part not in have:
            raise MissingDependencyError(
                f"tesseract has no '{part}' language data; install it with 'sudo apt-get install tesseract-ocr-{part}'."
            )


@lru_cache(maxsize=4)
def _api(language: str, psm: int) -> Any:
    """One tesserocr engine per process, language and mode: loading the model costs ~100 ms."""
    return _tesserocr().PyTessBaseAPI(
        path=check_tesseract().tessdata or "", lang=language, psm=psm, variables=VARIABLES
    )


def _timed_out(timeout: float) -> OcrTimeout:
    return OcrTimeout(
        f"tesseract took longer than {timeout:g} s on part of a page; raise [scanner] "
        "ocr_timeout_seconds in casescan.toml, or re-scan the file at 300 dpi."
    )


def _read_in_process(image: Image.Image, dpi: int, language: str, psm: int, timeout: float) -> str:
    api = _api(language, psm)
    api.SetImage(image)
    api.SetSourceResolution(dpi)
    if not api.Recognize(max(1, round(timeout * 1000))):
        raise _timed_out(timeout)
    return str(api.GetTSVText(0))


def _read_by_program(image: Image.Image, dpi: int, language: str, psm: int, timeout: float) -> str:
    import pytesseract

    options = " ".join(f"-c {name}={value}" for name, value in VARIABLES.items())
    try:
        return str(
            pytesseract.image_to_data(
                image, lang=language, config=f"--psm {psm} --dpi {dpi} {options}", timeout=timeout
            )
        )
    except RuntimeError as error:
        if "timeout" in str(error).lower():
            raise _timed_out(timeout) from None
        raise


# White added around every image read: text that touches the image's edge is misread (a band's
# crop cut 5 px above "15/05/1972" read "15/03/1972"). tesseract's own guide, "Improving the
# quality of the output", Borders: "a small border (e.g. 10 pt)".
BORDER_PT = 10.0


def read_words(
    image: Image.Image,
    dpi: int,
    language: str = "eng",
    psm: int = SPARSE_TEXT,
    timeout: float = 60,
    backend: Backend | None = None,
    border_pt: float = BORDER_PT,
) -> list[Word]:
    """OCR one greyscale image, telling tesseract its real resolution (it misreads when it guesses).

    `dpi` is the image's resolution in dots per inch, `timeout` the longest the call may take in
    seconds, `backend` forces one way of calling tesseract (default: the one `check_tesseract`
    found), `border_pt` the white added round the image (points; words keep the image's own
    coordinates). Raises OcrTimeout when the call runs out of time.
    """
    chosen = backend or check_tesseract().backend
    read = _read_in_process if chosen == "tesserocr" else _read_by_program
    border = round(dpi * border_pt / 72)
    framed = ImageOps.expand(image, border, fill=255)
    return [
        replace(word, left=word.left - border, top=word.top - border)
        for word in parse_tsv(read(framed, dpi, language, psm, timeout))
    ]
