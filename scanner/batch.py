"""Cutting a scan's pages into case files: each cover starts one, a location sheet sets where."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from scanner.analysis import PageFinding
from scanner.model import CaseFile


def split(findings: Iterable[PageFinding]) -> tuple[CaseFile, ...]:
    """Case files in page order. Pages before the first cover form one with `cover=None`.

    A location sheet is no part of any case file: it closes the one before it and names the
    location of every case file after it, until the next location sheet. A continuation page that
    could not be ruled out as a cover stays in its case file, which carries the doubt to a person,
    as does a cover with a doubt of its own (another sheet scanned beside it).
    """
    files: list[CaseFile] = []
    location: str | None = None
    current: CaseFile | None = None
    for finding in findings:
        if finding.location is not None:
            if current is not None:
                files.append(current)
            current, location = None, finding.location
        elif finding.cover is not None:
            if current is not None:
                files.append(current)
            current = CaseFile(finding.number, finding.number, finding.cover, location, _doubt(finding))
        elif current is None:
            current = CaseFile(finding.number, finding.number, None, location, _doubt(finding))
        else:
            current = replace(current, last_page=finding.number, doubts=current.doubts + _doubt(finding))
    if current is not None:
        files.append(current)
    return tuple(files)


def _doubt(finding: PageFinding) -> tuple[tuple[int, str], ...]:
    return () if finding.doubt is None else ((finding.number, finding.doubt),)
