"""Reading a cover sheet from OCR words: the labelled reference, the other candidates, the fields."""

from __future__ import annotations

from statistics import mean
from typing import AbstractSet, Sequence

from scanner.fields import read_fields
from scanner.layout import Line, find_label, group_lines, value_after
from scanner.model import CoverSheet, ReferenceCandidate
from scanner.ranking import Finding, barcode_candidate, decide, rank
from scanner.references import readings_in_line
from scanner.tesseract import Word

REFERENCE_LABELS = (
    ("case", "reference"), ("case", "ref*"), ("ref", "no*"), ("file", "ref*"), ("our", "ref*"),
    ("reference*",), ("ref",), ("case", "no*"), ("case", "number"), ("case", "id"),
)


def _findings(lines: Sequence[Line], patterns: Sequence[str], dpi: float) -> list[Finding]:
    findings: list[Finding] = []
    labelled_raw: set[str] = set()
    for index, line in enumerate(lines):
        for label in REFERENCE_LABELS:
            end = find_label(line, label)
            if end is None:
                continue
            words = value_after(lines, index, end, dpi)
            for _, _, reading in readings_in_line([w.text for w in words], patterns):
                findings.append(Finding(reading, True, mean(w.confidence for w in words)))
                labelled_raw.add(reading.raw)
    for line in lines:
        texts = [w.text for w in line.words]
        for start, end, reading in readings_in_line(texts, patterns):
            if reading.raw not in labelled_raw:
                findings.append(Finding(reading, False, mean(w.confidence for w in line.words[start:end])))
    return findings


def read_cover(words: Sequence[Word], dpi: float, page_number: int, patterns: Sequence[str],
               known: AbstractSet[str]) -> tuple[bool, CoverSheet]:
    """(is this page a cover?, what it shows). A cover has a reference beside a label."""
    lines = group_lines(words)
    findings = _findings(lines, patterns, dpi)
    candidates = rank(findings, known)
    reference, method, confidence = decide(candidates)
    sheet = CoverSheet(
        page_number=page_number,
        case_reference=reference,
        method=method,
        confidence=confidence,
        candidates=candidates,
        fields=read_fields(lines, dpi),
        text="\n".join(line.text for line in lines),
    )
    return any(f.labelled for f in findings), sheet


def barcode_cover(reference: str, raw: str, page_number: int, known: AbstractSet[str],
                  words: Sequence[Word] = (), dpi: float = 200) -> CoverSheet:
    candidate: ReferenceCandidate = barcode_candidate(reference, raw, known)
    lines = group_lines(words)
    return CoverSheet(page_number, reference, "barcode", 1.0, (candidate,), read_fields(lines, dpi),
                      "\n".join(line.text for line in lines))
