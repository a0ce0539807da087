"""What the scanner hands on: plain, picklable dataclasses, in the users' words.

The scanner knows nothing of templates, links or the database. It reads pages and says which case
files it found and what their cover sheets show; the catalogue decides what that means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

Method = Literal["barcode", "ocr", "ocr-corrected"]


@dataclass(frozen=True)
class ReferenceCandidate:
    """One reading of a case reference, in canonical form (parts joined by '-'), with its evidence.

    `score` (0-1) weighs the evidence on the page alone: a barcode, a label beside it, the
    corrections made, tesseract's word confidence (0-100). It never looks at the template: only
    the catalogue matches readings against the records.
    """

    case_reference: str
    score: float
    reason: str
    raw: str = ""
    method: Method = "ocr"
    labelled: bool = False
    corrections: tuple[str, ...] = ()
    word_confidence: float = 0.0


@dataclass(frozen=True)
class CoverFields:
    """The name and date of birth printed on a cover, as evidence for the link decision."""

    name: str | None = None
    date_of_birth: date | None = None
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverSheet:
    """The first page of a case file and what was read from it.

    `candidates` holds every reading (several barcodes too); `case_reference` is the one the
    page's evidence favours, or None when nothing could be read or the readings disagree.
    `evidence` says why the page was taken for a cover ("a reference label near the top", "a
    barcode"), so a cover on which nothing could be read still starts its own case file.
    `letter` says what marks the page as a letter or a note instead ('a greeting ("Dear …")',
    running text above its reference), empty when nothing does: either may be about someone
    else, and the catalogue weighs that.
    """

    page_number: int
    case_reference: str | None
    method: Method | None
    confidence: float
    candidates: tuple[ReferenceCandidate, ...] = ()
    fields: CoverFields = field(default_factory=CoverFields)
    text: str = ""
    evidence: str = ""
    letter: str = ""


@dataclass(frozen=True)
class CaseFile:
    """A run of pages, 1-based and inclusive, that starts with a cover sheet.

    `cover` is None when the scan starts with pages on which no cover could be recognised; such a
    case file is unreadable and goes to a person. `location` is set when a location sheet came
    before it in the same batch (it overrides the folder path of a closed front sheet).
    `doubts` names the following pages that could not be ruled out as covers, and why, or the
    cover itself when another sheet was scanned beside it: such a case file is never linked
    without a person.
    """

    first_page: int
    last_page: int
    cover: CoverSheet | None
    location: str | None = None
    doubts: tuple[tuple[int, str], ...] = ()

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1


@dataclass(frozen=True)
class ScanResult:
    """Everything the scanner found in one file."""

    file: Path
    pages: int
    case_files: tuple[CaseFile, ...]
