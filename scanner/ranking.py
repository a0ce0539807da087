"""Scoring what was read by the evidence on the page alone.

Scores are 0-1 and explain themselves in `reason`. A barcode counts most, then a label beside the
reference; corrections cost; tesseract's word confidence is a weak signal only, because correct
reads of clean print can score low. The template plays no part: the catalogue alone matches the
readings against the records, with its configured margin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scanner.model import Method, ReferenceCandidate
from scanner.references import Reading


@dataclass(frozen=True)
class Finding:
    """A reading and where it was found: beside a label, alone on its line, or loose in the text."""

    reading: Reading
    labelled: bool
    confidence: float  # tesseract's mean word confidence, 0-100
    alone: bool = False  # the whole of its line: a sheet's title, not a quote inside another line


def _candidate(finding: Finding) -> ReferenceCandidate:
    reading = finding.reading
    # A reference alone on its line is the sheet's own (a front sheet's title in 36 pt) more
    # surely than one quoted inside a line ("Siblings: … (ref)"): a fresh tester's such covers
    # tied the two and waited for a person. A label still counts most.
    score = 0.6 + (0.25 if finding.labelled else 0.1 if finding.alone else -0.2)
    score -= 0.12 * len(reading.corrections)
    score += 0.1 * (min(finding.confidence, 100.0) / 100.0 - 0.5)
    where = "alone on its line" if finding.alone else "in the text, no label"
    reasons = ["beside a label" if finding.labelled else where]
    if reading.corrections:
        reasons.append("corrected " + ", ".join(reading.corrections))
    method: Method = "ocr-corrected" if reading.corrections else "ocr"
    return ReferenceCandidate(
        reading.canonical,
        round(max(0.0, min(1.0, score)), 3),
        "; ".join(reasons),
        reading.raw,
        method,
        finding.labelled,
        reading.corrections,
        round(finding.confidence, 1),
    )


def rank(findings: Iterable[Finding]) -> tuple[ReferenceCandidate, ...]:
    """Readings best first by their evidence, one per reference (its best finding)."""
    best = best_per_reference(_candidate(finding) for finding in findings)
    return tuple(sorted(best, key=lambda c: (-c.score, c.case_reference)))


def best_per_reference(candidates: Iterable[ReferenceCandidate]) -> list[ReferenceCandidate]:
    """The best-scored candidate of each reference, in the order the references first come."""
    best: dict[str, ReferenceCandidate] = {}
    for candidate in candidates:
        if candidate.case_reference not in best or candidate.score > best[candidate.case_reference].score:
            best[candidate.case_reference] = candidate
    return list(best.values())


def barcode_candidate(reference: str, raw: str) -> ReferenceCandidate:
    return ReferenceCandidate(reference, 1.0, "barcode", raw, "barcode", False, (), 100.0)


def favoured(candidates: Sequence[ReferenceCandidate]) -> tuple[str | None, Method | None, float]:
    """The reading the page's evidence favours, how it was read, and its score: None when
    nothing was read, when barcodes name different cases, or when two references score the
    same. How far a reading must beat the next is the catalogue's call, not the scanner's."""
    if not candidates:
        return None, None, 0.0
    top = candidates[0]
    if top.method == "barcode":
        if any(c.method == "barcode" and c.case_reference != top.case_reference for c in candidates[1:]):
            return None, None, 0.0
        return top.case_reference, top.method, top.score
    if len(candidates) > 1 and candidates[1].score >= top.score:
        return None, None, top.score
    return top.case_reference, top.method, top.score
