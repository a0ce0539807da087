"""Triage audit: no cover may be cleared, no damaged continuation page flagged. Run after any
change to scanner/triage.py.

Run: .venv/bin/python -m benchmarks.triage_check
Covers: every layout (the house's and other offices') x 9 damages x 200/300 dpi, with and without
a barcode; continuation pages: 3 kinds x 8 damages x 200/300 dpi, and every real scanned page
(.cache/real-scans, see tests/resources/REAL_SCANS.md). Each page goes through the same decision `analyse_page` makes
(`triage_page` on the 100 dpi copy); prints every miss, every doubt, and the totals.
"""

from __future__ import annotations

import io
import itertools
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.imaging import scaled
from scanner.triage import TRIAGE_DPI, triage_page
from synthetic.pages import LAYOUTS, degrade, draw_continuation, draw_cover
from synthetic.people import make_people
from synthetic.real import real_page, real_pages

DAMAGES: dict[str, dict] = {
    "clean": {},
    "grey": {"grey": True},
    "blur": {"blur": 1.5},
    "noise": {"noise": 0.02},
    "jpeg-q50": {},
    "skew+3": {"skew": 3.0},
    "skew-3": {"skew": -3.0},
    "rotate-90": {"rotate": 90},
    "rotate-180": {"rotate": 180},
    # Askew and sideways at once: skew blurred a sparse sheet's lines out of the sideways test
    # (a fresh tester's front sheets, merged so; each damage alone was read).
    "rotate-90 skew+3": {"rotate": 90, "skew": 3.0},
    "rotate-270 skew-3": {"rotate": 270, "skew": -3.0},
}
CONTINUATION_DAMAGES = (
    "clean",
    "grey",
    "noise",
    "jpeg-q50",
    "skew+3",
    "skew-3",
    "rotate-90",
    "rotate-180",
    "rotate-90 skew+3",
    "rotate-270 skew-3",
)


def _damaged(page: Image.Image, damage: str, dpi: int, seed: int) -> Image.Image:
    settings = dict(DAMAGES[damage])
    if "blur" in settings:
        settings["blur"] *= dpi / 200
    page = degrade(page, seed=seed, **settings)
    if damage == "jpeg-q50":
        buffer = io.BytesIO()
        page.convert("L").save(buffer, "JPEG", quality=50)
        page = Image.open(buffer)
    return page.convert("L")


def _flagged(case: tuple[str, str, str, int, bool | int]) -> tuple[tuple, bool, str | None]:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    kind, name, damage, dpi, extra = case
    if kind == "real":
        page = real_page(name, int(extra), dpi)
    else:
        if kind == "cover":
            person = make_people(8, seed=1)[(sorted(LAYOUTS).index(name) + list(DAMAGES).index(damage) + dpi) % 8]
            page = draw_cover(person, name, dpi, barcode="code39" if extra else None)
        else:
            page = draw_continuation(int(extra), dpi)
        page = _damaged(page, damage, dpi, seed=dpi)
    triaged = triage_page(scaled(page, dpi, TRIAGE_DPI), (DEFAULT_REFERENCE_PATTERN,), "eng", 60)
    return case, bool(triaged.hints), triaged.doubt


def main() -> None:
    covers = [
        ("cover", layout, damage, dpi, barcode)
        for layout, damage, dpi, barcode in itertools.product(sorted(LAYOUTS), DAMAGES, (200, 300), (False, True))
    ]
    pages = [
        ("continuation", "page", damage, dpi, seed)
        for damage, dpi, seed in itertools.product(CONTINUATION_DAMAGES, (200, 300), (0, 2, 3))
    ]
    real = [("real", name, "as scanned", 300, number) for name, number in real_pages()]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_flagged, covers + pages + real, chunksize=4))
    missed = [(case, doubt) for case, flagged, doubt in results if case[0] == "cover" and not flagged]
    false = [case for case, flagged, _ in results if case[0] != "cover" and flagged]
    doubted = [(case, doubt) for case, flagged, doubt in results if case[0] != "cover" and doubt]
    for case, doubt in missed:
        print("MISSED COVER", case, f"(doubt: {doubt})" if doubt else "(no doubt)")
    for case in false:
        print("flagged continuation", case)
    for case, doubt in doubted:
        print("doubted continuation", case, doubt)
    print(
        f"covers: {len(covers)}, missed {len(missed)} (of which doubted {sum(1 for _, d in missed if d)}); "
        f"drawn continuation pages: {len(pages)}, real: {len(real)}; flagged {len(false)}, doubted {len(doubted)}"
    )


if __name__ == "__main__":
    main()
