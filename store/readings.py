"""A case file's readings stored as JSON, so a re-imported template can decide it again without
the scan being read a second time. Pure: text in, scanner dataclasses out."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from scanner.model import CaseFile, CoverFields, CoverSheet, ReferenceCandidate


def _cover(cover: CoverSheet) -> dict[str, Any]:
    fields = cover.fields
    return {
        "page_number": cover.page_number,
        "case_reference": cover.case_reference,
        "method": cover.method,
        "confidence": cover.confidence,
        "text": cover.text,
        "evidence": cover.evidence,
        "letter": cover.letter,
        "candidates": [
            {
                "case_reference": c.case_reference,
                "score": c.score,
                "reason": c.reason,
                "raw": c.raw,
                "method": c.method,
                "labelled": c.labelled,
                "corrections": list(c.corrections),
                "word_confidence": c.word_confidence,
            }
            for c in cover.candidates
        ],
        "fields": {
            "name": fields.name,
            "words": list(fields.words),
            "date_of_birth": fields.date_of_birth.isoformat() if fields.date_of_birth else None,
        },
    }


def case_file_json(case_file: CaseFile) -> str:
    return json.dumps(
        {
            "first_page": case_file.first_page,
            "last_page": case_file.last_page,
            "location": case_file.location,
            "doubts": [list(doubt) for doubt in case_file.doubts],
            "cover": None if case_file.cover is None else _cover(case_file.cover),
        },
        ensure_ascii=False,
    )


def _cover_from(data: dict[str, Any]) -> CoverSheet:
    fields = data["fields"]
    birth = fields["date_of_birth"]
    return CoverSheet(
        page_number=data["page_number"],
        case_reference=data["case_reference"],
        method=data["method"],
        confidence=data["confidence"],
        text=data["text"],
        evidence=data["evidence"],
        letter=data.get("letter", ""),  # readings stored before letters were told apart
        candidates=tuple(
            ReferenceCandidate(**{**c, "corrections": tuple(c["corrections"])}) for c in data["candidates"]
        ),
        fields=CoverFields(fields["name"], date.fromisoformat(birth) if birth else None, tuple(fields["words"])),
    )


def case_file_from_json(text: str) -> CaseFile:
    data = json.loads(text)
    return CaseFile(
        data["first_page"],
        data["last_page"],
        None if data["cover"] is None else _cover_from(data["cover"]),
        data["location"],
        tuple((int(page), str(why)) for page, why in data["doubts"]),
    )
