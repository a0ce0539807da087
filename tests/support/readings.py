"""What a scan's case files read, in the shapes tests compare: a missing cover fails the test
where it is asked for, with its number, instead of an AttributeError on None."""

from __future__ import annotations

from scanner.model import CaseFile, CoverSheet, Method, ScanResult


def cover_of(result: ScanResult, index: int = 0) -> CoverSheet:
    """The cover of case file `index` (0-based); fails the test when it has none."""
    cover = result.case_files[index].cover
    assert cover is not None, f"case file {index + 1} of {len(result.case_files)} has no cover"
    return cover


def pages_and_reading(case_file: CaseFile) -> tuple[int, int, str | None, Method | None]:
    """(first page, last page, reference read, how it was read); None twice for no cover."""
    cover = case_file.cover
    return (
        case_file.first_page,
        case_file.last_page,
        cover.case_reference if cover else None,
        cover.method if cover else None,
    )
