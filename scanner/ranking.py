"""Scoring what was read, and ranking it against the references the template holds.

Scores are 0-1 and explain themselves in `reason`. A label beside the reference counts for more
than anything else; corrections and fuzzy matches cost; tesseract's word confidence is a weak
signal only, because correct reads of clean print can score low.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Iterable, Sequence

from rapidfuzz.distance import Levenshtein
from rapidfuzz import process

from scanner.model import Method, ReferenceCandidate
from scanner.references import Reading

MAX_EDITS = 2
AMBIGUITY_MARGIN = 0.15


@dataclass(frozen=True)
class Finding:
    """A reading and where it was found: beside a label or loose in the text."""

    reading: Reading
    labelled: bool
    confidence: float  # tesseract's mean word confidence, 0-100


def _ocr_score(finding: Finding) -> tuple[float, list[str]]:
    score = 0.6 + (0.25 if finding.labelled else -0.2)
    score -= 0.12 * len(finding.reading.corrections)
    score += 0.1 * (min(finding.confidence, 100.0) / 100.0 - 0.5)
    reasons = ["beside a label" if finding.labelled else "in the text, no label"]
    if finding.reading.corrections:
        reasons.append("corrected " + ", ".join(finding.reading.corrections))
    return score, reasons


def rank(findings: Iterable[Finding], known: AbstractSet[str]) -> tuple[ReferenceCandidate, ...]:
    """Candidates best first, one per reference, each with the reason for its score."""
    best: dict[str, ReferenceCandidate] = {}
    for finding in findings:
        score, reasons = _ocr_score(finding)
        reading = finding.reading
        method: Method = "ocr-corrected" if reading.corrections else "ocr"
        options = [(reading.canonical, score, reasons, method)]
        if known and reading.canonical in known:
            options = [(reading.canonical, score + 0.1, reasons + ["matches a template record"], method)]
        elif known:
            options[0] = (reading.canonical, score - 0.1, reasons + ["no template record has it"], method)
            for reference, edits, _ in process.extract(reading.canonical, known, scorer=Levenshtein.distance,
                                                       score_cutoff=MAX_EDITS, limit=5):
                note = f"read {reading.canonical}, {edits} character{'s' if edits > 1 else ''} from a template record"
                options.append((reference, score - 0.05 - 0.15 * (edits - 1), reasons + [note], "ocr-corrected"))
        for reference, value, why, how in options:
            candidate = ReferenceCandidate(reference, round(max(0.0, min(1.0, value)), 3), "; ".join(why), reading.raw, how)
            if reference not in best or candidate.score > best[reference].score:
                best[reference] = candidate
    return tuple(sorted(best.values(), key=lambda c: (-c.score, c.case_reference)))


def barcode_candidate(reference: str, raw: str, known: AbstractSet[str]) -> ReferenceCandidate:
    reason = "barcode" + ("; matches a template record" if reference in known else "")
    return ReferenceCandidate(reference, 1.0, reason, raw, "barcode")


def decide(candidates: Sequence[ReferenceCandidate]) -> tuple[str | None, Method | None, float]:
    """The reference to report, how it was read, and how sure: unsure beats a wrong guess.

    Two different references scoring within the margin of each other leave the cover without a
    reference (confidence shows how close it was), so a person chooses.
    """
    if not candidates:
        return None, None, 0.0
    top = candidates[0]
    if len(candidates) > 1 and top.score - candidates[1].score < AMBIGUITY_MARGIN:
        return None, None, round(top.score / 2, 3)
    return top.case_reference, top.method, top.score
