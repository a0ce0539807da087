"""What `casescan status` reports, gathered in one place so every area adds its own section."""

from __future__ import annotations

from typing import Any

from catalogue.store.database import Database
from catalogue.store.records import record_counts
from catalogue.store.scans import scan_status
from catalogue.decisions import review_status


def workspace_status(db: Database) -> dict[str, Any]:
    return {"records": record_counts(db), "scans": scan_status(db), "review": review_status(db)}
