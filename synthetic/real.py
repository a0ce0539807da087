"""Real scanned pages, drawn by nobody here, to follow synthetic covers as continuation pages.

They are OCRmyPDF's public test scans, which `scripts/real_scans.sh` takes from its source
distribution on PyPI into `.cache/real-scans/` (tests/resources/REAL_SCANS.md names each and its
licence): a book page, a brochure, typewriting, turned and skewed. No real page may start a case
file, so they test the triage as no drawing can.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image

from scanner.pages import iter_pages

REAL_DIR = Path(__file__).resolve().parent.parent / ".cache" / "real-scans"
SUFFIXES = (".pdf", ".png", ".tif")
MAX_PIXELS = 40_000_000


@lru_cache(maxsize=1)
def real_pages() -> tuple[tuple[str, int], ...]:
    """(file name, page number) of every real page, in name order.

    Raises FileNotFoundError, saying how to fetch them, when the pages are not there: a test or
    benchmark without its real pages would prove nothing about them."""
    if not any(path.suffix in SUFFIXES for path in REAL_DIR.glob("*")):
        raise FileNotFoundError(f"no real scanned pages in {REAL_DIR}; run scripts/real_scans.sh (make test does)")
    return tuple(
        (path.name, page.number)
        for path in sorted(REAL_DIR.iterdir())
        if path.suffix in SUFFIXES
        for page in iter_pages(path, MAX_PIXELS)
    )


@lru_cache(maxsize=32)
def _real_page(name: str, number: int, dpi: int) -> Image.Image:
    for page in iter_pages(REAL_DIR / name, MAX_PIXELS):  # a page reads only while its file is open
        if page.number == number:
            return page.at(dpi).convert("L")
    raise ValueError(f"{name} has no page {number}")


def real_page(name: str, number: int, dpi: int) -> Image.Image:
    """One real page as a scanner at `dpi` would have delivered it (greyscale)."""
    return _real_page(name, number, dpi).copy()
