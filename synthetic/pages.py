"""Draw synthetic scanned pages: cover sheets, continuation pages, and scanner damage."""

from __future__ import annotations

from PIL import Image

from synthetic.continuation import draw_continuation
from synthetic.covers import HOUSE_LAYOUTS, CoverText
from synthetic.degrade import degrade
from synthetic.drawing import A4_MM, BARCODE_FORMATS, Pen, barcode_image
from synthetic.foreign import FOREIGN_LAYOUTS
from synthetic.people import Person

__all__ = ["A4_MM", "BARCODE_FORMATS", "LAYOUTS", "degrade", "draw_continuation", "draw_cover"]

_UK_DATE = "%d/%m/%Y"
LAYOUTS = {**HOUSE_LAYOUTS, **FOREIGN_LAYOUTS}


def _place_barcode(pen: Pen, text: str, symbology: str) -> float:
    """Put the barcode in the top band, right-aligned; return where the layout may continue (mm)."""
    picture = barcode_image(text, symbology, pen.dpi)
    width_mm = picture.width / pen.dpi * 25.4
    height_mm = picture.height / pen.dpi * 25.4
    pen.paste(picture, max(10.0, A4_MM[0] - 12 - width_mm), 31)
    return 31 + height_mm + 4


def draw_cover(
    person: Person,
    layout: str,
    dpi: int = 300,
    *,
    barcode: str | None = None,
    reference_text: str | None = None,
    decoy_reference: str | None = None,
    show_name: bool = True,
    show_dob: bool = True,
    dob_format: str = _UK_DATE,
) -> Image.Image:
    """Draw the front sheet of `person`'s case file in one of LAYOUTS.

    The barcode (one of BARCODE_FORMATS) encodes `person.case_reference` and sits just below the
    heading. `reference_text` replaces the printed reference (e.g. "SGD / 2024 / 0412"); an empty
    string leaves the reference field blank, as on a sheet nobody filled in. To print a name that
    contradicts the record, pass `dataclasses.replace(person, forename=..., surname=...)`.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; use one of {sorted(LAYOUTS)}")
    pen = Pen.blank(dpi)
    top = _place_barcode(pen, person.case_reference, barcode) if barcode else 0.0
    text = CoverText(
        reference=person.case_reference if reference_text is None else reference_text,
        name=person.name if show_name else "",
        forename=person.forename,
        surname=person.surname,
        date_of_birth=person.date_of_birth.strftime(dob_format) if show_dob else "",
        status=person.status,
        date_opened=person.date_opened.strftime(_UK_DATE),
        decoy=decoy_reference or "",
        top_mm=top,
    )
    LAYOUTS[layout](pen, text)
    return pen.image
