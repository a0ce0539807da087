"""The cover-sheet tests' template, with real people's names, and sheets rasterised like a scan."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image

SCAN_DPI = 200
HEADER = ["Case Reference", "Forename", "Surname", "Date of Birth", "Case Status", "Paper File", "Archbishop's List"]
# The template's own spellings: one with slashes, one lower-case, the rest canonical.
ROWS = [
    ["SGD/2024/0412", "Zoë", "Ó Súilleabháin", "03/04/2011", "Open", "Y", "N"],
    ["sgd-2019-7731", "Nguyễn", "Văn An", "21/12/2007", "Open", "Y", "N"],
    ["DSA-2022-10456", "Aoife", "O'Brien", "15/07/1986", "Open", "Y", "N"],
    ["CSC-2018-3307", "Tomasz", "Nowak-Kowalska", "09/02/1975", "Closed", "Y", "N"],
    ["CSC-2016-118", "Siân", "Lloyd-Jones", "30/11/1969", "Closed", "Y", "N"],
    ["SGD-2021-5520", "Leah", "Mensah", "01/01/2001", "Closed", "Y", "N"],
    ["SGD-2020-0999", "Withheld", "Person", "12/12/1990", "Open", "Y", "Y"],
]
EXCLUDED = "SGD-2020-0999"


def rasterise(pdf: Path, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """Each page as the grey image a scanner at `dpi` would see."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def page_texts(pdf: Path) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
