"""Same decisions on every machine: a fingerprint of what decides a scan's fate.

Two machines sharing one database must link the same scan the same way. What decides it: the
linking settings, the reference patterns, the OCR language, the tesseract version and the bytes of
its language data. The first machine to start records them; a machine that differs refuses to start
with one line naming the first difference, instead of quietly deciding otherwise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

from config.errors import CasescanError
from config.settings import Settings
from scanner.tesseract import Tesseract
from store.database import Database
from store.engines import SQLITE
from store.fingerprint import claim_fingerprint, replace_fingerprint

ADOPT = "casescan db fingerprint --adopt"


class FingerprintDiffers(CasescanError):
    """This machine would decide differently from the one that set up the database."""


def language_data(tessdata: str | None, language: str) -> dict[str, str]:
    """The SHA-256 of each language's traineddata file ('missing' where it cannot be read)."""
    found: dict[str, str] = {}
    for name in language.split("+"):
        path = Path(tessdata or "") / f"{name}.traineddata"
        try:
            found[f"language data {name}"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        except OSError:
            found[f"language data {name}"] = "missing"
    return found


def settings_parts(settings: Settings) -> dict[str, str]:
    """The settings that change a decision, each as text."""
    parts = {
        f"linking.{field.name}": json.dumps(getattr(settings.linking, field.name)) for field in fields(settings.linking)
    }
    parts["case_reference.patterns"] = json.dumps(list(settings.case_reference.patterns))
    parts["scanner.ocr_language"] = json.dumps(settings.scanner.ocr_language)
    return parts


def machine_fingerprint(settings: Settings, tesseract: Tesseract) -> dict[str, str]:
    return {
        **settings_parts(settings),
        "tesseract": str(tesseract.version),
        **language_data(tesseract.tessdata, settings.scanner.ocr_language),
    }


def difference(stored: Mapping[str, str], here: Mapping[str, str]) -> str | None:
    """The differences in words, the first one spelt out; None when the two agree."""
    names = sorted(set(stored) | set(here))
    differing = [name for name in names if stored.get(name) != here.get(name)]
    if not differing:
        return None
    first = differing[0]
    more = f" (and {len(differing) - 1} more)" if len(differing) > 1 else ""
    return f"{first} is {here.get(first, 'not set')} here but {stored.get(first, 'not set')} in the database{more}"


def changed_under(stored: Mapping[str, str], here: Mapping[str, str]) -> str:
    """Why a running worker stops: `db fingerprint --adopt` recorded other decisions meanwhile."""
    return (
        f"the database's decision fingerprint changed while this 'casescan watch' ran "
        f"({difference(stored, here)}); it recorded nothing more and stopped, and its files went back "
        f"to the queue for the machines that match. Give this machine the same tesseract, language "
        f"data and settings, then start it again."
    )


def check_fingerprint(db: Database, here: Mapping[str, str]) -> str | None:
    """Record this machine's fingerprint if it is the first; returns what changed, or None.

    On PostgreSQL several machines share the decisions, so one that differs refuses to go on
    (raises `FingerprintDiffers`). A SQLite workspace has one machine by design (PRODUCT.md: "nothing
    to set up"): a deliberate change of settings or an upgraded tesseract there is adopted, and the
    caller says what changed.
    """
    differs = difference(claim_fingerprint(db, here), here)
    if differs is None:
        return None
    if db.engine is not SQLITE:
        raise FingerprintDiffers(
            f"this machine would decide differently from the others on this database: {differs}; install "
            f"the same tesseract and language data and use the same settings, or, if every machine was "
            f"changed on purpose, run '{ADOPT}'."
        )
    replace_fingerprint(db, here)
    return differs
