"""Pages that follow a cover: case notes, letters and chronologies.

They look busy (dates, names, ruled tables) but carry no labelled reference near the top and no
barcode, because a continuation page must never be taken for the start of a new case file.
"""

from __future__ import annotations

import random
from functools import lru_cache

from PIL import Image

from synthetic.drawing import Pen

_SUBJECTS = (
    "The parish safeguarding officer",
    "The social worker",
    "The family",
    "The school",
    "The incumbent",
    "The police liaison officer",
    "The GP",
    "The churchwarden",
)
_VERBS = (
    "reported",
    "confirmed",
    "raised concerns",
    "agreed",
    "was informed",
    "attended a meeting",
    "requested an update",
    "provided a written statement",
)
_TAILS = (
    "about attendance at the youth group.",
    "following the home visit.",
    "regarding contact arrangements.",
    "and the plan was reviewed.",
    "at the strategy discussion.",
    "about the safeguarding agreement.",
    "and no further action was required.",
    "and a referral was made to the LADO.",
)
_WORKERS = ("J. Ashworth", "R. Begum", "M. Kowalczyk", "T. O'Connell")


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_TAILS)}"


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2012, 2024)}"


def paragraphs(pen: Pen, rng: random.Random, y: float, count: int) -> None:
    """Case-note prose from `y` down: a continuation page's body, and the body of a test's page."""
    for _ in range(count):
        words = " ".join(_sentence(rng) for _ in range(3)).split()
        line: list[str] = []
        for word in words:
            if len(" ".join([*line, word])) > 88:
                pen.text(20, y, " ".join(line), 11, "serif")
                y += 6
                line = []
            line.append(word)
        pen.text(20, y, " ".join(line), 11, "serif")
        y += 11


def _case_note(pen: Pen, rng: random.Random) -> None:
    pen.text(20, 18, "Case note", 16, "sans-bold")
    pen.text(20, 28, f"Date: {_date(rng)}    Recorded by: {rng.choice(_WORKERS)}", 11)
    pen.line(20, 34, 190, 34, 0.4)
    paragraphs(pen, rng, 42, rng.randint(4, 7))


def _letter(pen: Pen, rng: random.Random) -> None:
    pen.text(130, 20, _date(rng), 11, "serif")
    pen.text(20, 40, "Dear Colleague,", 11, "serif")
    paragraphs(pen, rng, 52, rng.randint(3, 5))
    pen.text(20, 200, "With best wishes,", 11, "serif")
    pen.text(20, 215, rng.choice(_WORKERS), 11, "serif-bold")


def _chronology(pen: Pen, rng: random.Random) -> None:
    pen.text(20, 18, "Chronology of significant events", 14, "sans-bold")
    columns = (20, 50, 150, 190)
    y = 30.0
    pen.line(20, y, 190, y, 0.4)
    for x, heading in zip(columns, ("Date", "Event", "By"), strict=False):
        pen.text(x + 2, y + 2, heading, 10, "sans-bold")
    for _ in range(rng.randint(8, 14)):
        y += 9
        pen.line(20, y, 190, y, 0.3)
        pen.text(22, y + 2, _date(rng), 10)
        pen.text(52, y + 2, _sentence(rng)[:52], 10)
        pen.text(152, y + 2, rng.choice(_WORKERS), 10)
    for x in columns:
        pen.line(x, 30, x, y + 9, 0.3)
    pen.line(20, y + 9, 190, y + 9, 0.4)


@lru_cache(maxsize=8)
def _render(seed: int, dpi: int) -> Image.Image:
    rng = random.Random(f"continuation-{seed}")
    pen = Pen.blank(dpi)
    rng.choice((_case_note, _letter, _chronology))(pen, rng)
    pen.text(100, 285, f"Page {rng.randint(2, 9)}", 9)
    return pen.image


def draw_continuation(seed: int, dpi: int = 300) -> Image.Image:
    """A page of a case note, letter or chronology, chosen and filled from `seed`."""
    return _render(seed, dpi).copy()
