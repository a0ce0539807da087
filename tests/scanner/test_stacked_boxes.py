"""A front sheet whose labels are white on black boxes stacked down its left ("CASE REF" over
"NAME" over "DOB"), the reference white on a dark box beside its label (a tester's, tryout 23).
Rows of boxes a line's gap apart were taken for one tall band, which none of the boxes filled,
so none was read in reverse: the reference read as nothing, and with a header band above it
the sheet merged silently into the case file before it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from scanner import ScanOptions, identify_file
from synthetic.drawing import PAPER, Pen
from synthetic.files import write_pdf
from synthetic.people import Person, make_people
from tests.support.covers import batch_behind_a_cover, own_cover


def _stacked(
    person: Person, label: str, face: str, points: float, gap_mm: float, shade: int | None, dpi: int
) -> Image.Image:
    """A header band, then each label boxed, `gap_mm` between the rows of boxes; the reference
    on a box of `shade` beside its label, or printed black on the paper when `shade` is None."""
    pen = Pen.blank(dpi)
    pen.draw.rectangle([0, pen.px(12), pen.image.width, pen.px(30)], fill=0)
    pen.draw.text((pen.px(18), pen.px(16)), "SAFEGUARDING CASE FILE", font=pen.font("sans-bold", 20), fill=PAPER)
    height = points / 72 * 25.4 + 3
    fields = (
        (label, person.case_reference, shade),
        ("NAME", f"{person.forename} {person.surname}", None),
        ("DOB", person.date_of_birth.strftime("%d/%m/%Y"), None),
    )
    for row, (name, value, value_shade) in enumerate(fields):
        y = 45 + row * (height + gap_mm)
        right = pen.reversed(24, y, name, points, face, 0)
        if value_shade is None:
            pen.text(right + 3, y + 1.5, value, points, face)
        else:
            pen.reversed(right + 2, y, value, points, face, value_shade)
    return pen.image


STACKS: list[tuple[str, str, float, float, int | None, int]] = [  # label, face, points, gap, value's box, dpi
    ("CASE REF", "sans-bold", 12, 4.5, 64, 300),
    ("Our ref", "lib-sans-bold", 11, 3.0, 0, 200),
    ("File No.", "lib-serif-bold", 12, 5.0, 40, 300),
    ("Case No:", "lib-mono-bold", 10, 3.5, None, 200),
    ("Reference number", "lib-sans", 14, 6.0, 20, 300),
]


# Parting the rows read these, but it also parted a stamp's frame from the fields it crosses,
# and a stamped cover in the suite merged; withdrawn until the two are told apart.
WITHDRAWN = pytest.mark.xfail(reason="rows of boxes a line's gap apart are still read as one band", strict=True)


@pytest.mark.parametrize(
    ("label", "face", "points", "gap", "shade", "dpi"),
    [pytest.param(*case, marks=WITHDRAWN) if case[5] == 300 else case for case in STACKS],
)
def test_a_reference_beside_stacked_label_boxes_is_read(
    tmp_path: Path, label: str, face: str, points: float, gap: float, shade: int | None, dpi: int
) -> None:
    person = make_people(5, seed=233)[STACKS.index((label, face, points, gap, shade, dpi))]
    sheet = _stacked(person, label, face, points, gap, shade, dpi)
    path = write_pdf(iter([sheet]), tmp_path / "sheet.pdf", dpi, quality=85)
    (found,) = identify_file(path, ScanOptions(workers=1)).case_files
    assert found.cover is not None and found.cover.case_reference == person.case_reference


@WITHDRAWN
def test_the_tester_s_stacked_form_starts_its_own_case_file_in_a_batch(tmp_path: Path) -> None:
    people = make_people(2, seed=234)
    sheet = _stacked(people[1], "CASE REF", "sans-bold", 12, 4.5, 64, 300)
    result = batch_behind_a_cover(tmp_path, people, sheet, dpi=200)
    assert own_cover(result).case_reference == people[1].case_reference
