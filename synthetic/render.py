"""Turn a description of a scan (which covers, how damaged, what format) into a file and its truth.

The truth is what a perfect scanner would report: the 1-based page range of every case file, the
canonical reference a person reading the cover would write down, and the name and date of birth
printed on it. Pages are produced lazily so a long batch is never held decoded in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from PIL import Image

from synthetic.files import concatenate_pdfs, write_image, write_pdf, write_text_pdf, write_tiff
from synthetic.pages import degrade, draw_continuation, draw_cover
from synthetic.people import Person
from synthetic.real import real_page

CONTINUATION_POOL = 4  # distinct continuation pages per resolution; drawing each once keeps generation fast


@dataclass(frozen=True)
class TruthCaseFile:
    """One case file as a perfect scanner would report it (pages 1-based, inclusive)."""

    first_page: int
    last_page: int
    case_reference: str | None
    name: str | None
    date_of_birth: date | None


@dataclass(frozen=True)
class TruthScan:
    """One file written to disk and every case file in it."""

    path: Path
    case_files: tuple[TruthCaseFile, ...]
    variation: str
    pages: int


@dataclass(frozen=True)
class Damage:
    """How the scanner and the years treated a sheet (see synthetic.degrade)."""

    rotate: int = 0
    skew: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    grey: bool = False


@dataclass(frozen=True)
class CoverSpec:
    """One case file: its cover as drawn, and how many continuation pages follow it."""

    person: Person
    layout: str
    barcode: str | None = None
    reference_text: str | None = None
    decoy_reference: str | None = None
    show_name: bool = True
    show_dob: bool = True
    dob_format: str = "%d/%m/%Y"
    continuation: int = 1
    damage: Damage = field(default_factory=Damage)
    real: tuple[tuple[str, int], ...] = ()  # real scanned pages (synthetic.real) after the drawn ones

    @property
    def pages_after(self) -> int:
        """The continuation pages behind the cover, drawn and real."""
        return self.continuation + len(self.real)

    def truth(self, first_page: int) -> TruthCaseFile:
        readable = bool(self.barcode) or self.reference_text != ""
        return TruthCaseFile(
            first_page=first_page,
            last_page=first_page + self.pages_after,
            case_reference=self.person.case_reference if readable else None,
            name=self.person.name if self.show_name else None,
            date_of_birth=self.person.date_of_birth if self.show_dob else None,
        )


@dataclass(frozen=True)
class ScanSpec:
    """One file: its case files, container ("pdf", "tiff", "png", "jpg", "mixed") and encoding."""

    filename: str
    variation: str
    covers: tuple[CoverSpec, ...]
    container: str = "pdf"
    encoding: str = "jpeg"
    quality: int = 75
    dpi: int = 200


def _pages(spec: ScanSpec, seed: int) -> Iterator[Image.Image]:
    for index, cover in enumerate(spec.covers):
        page_seed = seed * 1000 + index * 10
        image = draw_cover(
            cover.person,
            cover.layout,
            spec.dpi,
            barcode=cover.barcode,
            reference_text=cover.reference_text,
            decoy_reference=cover.decoy_reference,
            show_name=cover.show_name,
            show_dob=cover.show_dob,
            dob_format=cover.dob_format,
        )
        yield _damage(image, cover.damage, page_seed)
        for number in range(cover.continuation):
            page = draw_continuation((page_seed + number) % CONTINUATION_POOL, spec.dpi)
            # A continuation sheet is fed the right way up; it shares the batch's paper and optics.
            yield _damage(
                page,
                Damage(0, -cover.damage.skew / 2, cover.damage.blur, cover.damage.noise, cover.damage.grey),
                page_seed + number + 1,
            )
        for name, number in cover.real:
            yield real_page(name, number, spec.dpi)


def _damage(image: Image.Image, damage: Damage, seed: int) -> Image.Image:
    if damage == Damage():
        return image
    return degrade(
        image, rotate=damage.rotate, skew=damage.skew, blur=damage.blur, noise=damage.noise, grey=damage.grey, seed=seed
    )


def _letter_lines(person: Person) -> list[str]:
    return [
        "Safeguarding team — record of telephone call",
        "",
        f"Call with the family of {person.forename} about the support plan.",
        "The parish safeguarding officer will visit next week and report back.",
        "No new concerns were raised during the call.",
    ]


def render_scan(spec: ScanSpec, directory: Path, seed: int) -> TruthScan:
    """Write the file `spec` describes into `directory` and return its truth."""
    path = Path(directory) / spec.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    case_files: list[TruthCaseFile] = []
    page = 1
    for cover in spec.covers:
        case_files.append(cover.truth(page))
        page += 1 + cover.pages_after
    total = page - 1
    if spec.container in ("png", "jpg"):
        if len(spec.covers) != 1 or spec.covers[0].pages_after:
            raise ValueError(f"{spec.filename}: an image file holds exactly one page")
        write_image(next(_pages(spec, seed)), path, spec.dpi, quality=spec.quality)
    elif spec.container == "tiff":
        write_tiff(_pages(spec, seed), path, spec.dpi, compression=spec.encoding)
    elif spec.container == "pdf":
        write_pdf(_pages(spec, seed), path, spec.dpi, encoding=spec.encoding, quality=spec.quality)
    elif spec.container == "mixed":
        # The scanned cover, then a born-digital letter printed to PDF: one continuation page of text.
        if len(spec.covers) != 1 or spec.covers[0].continuation != 1:
            raise ValueError(f"{spec.filename}: a mixed PDF is one cover and one text page")
        with tempfile.TemporaryDirectory() as scratch:
            cover_path, text_path = Path(scratch) / "cover.pdf", Path(scratch) / "text.pdf"
            first = replace(spec, covers=(replace(spec.covers[0], continuation=0),))
            write_pdf(_pages(first, seed), cover_path, spec.dpi, quality=spec.quality)
            write_text_pdf(_letter_lines(spec.covers[0].person), text_path)
            concatenate_pdfs([cover_path, text_path], path)
    else:
        raise ValueError(f"unknown container {spec.container!r}")
    return TruthScan(path=path, case_files=tuple(case_files), variation=spec.variation, pages=total)
