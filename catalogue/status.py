"""What `casescan status` reports, gathered in one place so every area adds its own section."""

from __future__ import annotations

from typing import Any

from catalogue.decisions import review_status
from catalogue.originals import changed_originals
from catalogue.store.database import Database
from catalogue.store.records import record_counts
from catalogue.store.scans import scan_status
from config.workspace import Workspace


def workspace_status(db: Database, workspace: Workspace | None = None) -> dict[str, Any]:
    """With the workspace, the archived originals are checked too (cheaply: size and time first)."""
    scans = scan_status(db)
    if workspace is not None:
        scans["changed_originals"] = changed_originals(db, workspace.archive, workspace.inbox, read_bytes=False)
    return {"records": record_counts(db), "scans": scans, "review": review_status(db)}
