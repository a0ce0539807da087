"""What `casescan status` reports, gathered in one place so every area adds its own section."""

from __future__ import annotations

from typing import Any

from config.junk import junk_filter
from config.workspace import Workspace
from decisions.actions import review_status
from export.originals import changed_originals, files_in_inbox
from store.database import Database
from store.records import record_counts
from store.scans import scan_status, stuck_in_inbox


def workspace_status(db: Database, workspace: Workspace | None = None) -> dict[str, Any]:
    """With the workspace, the archived originals are checked too (cheaply: size and time first)."""
    scans = scan_status(db)
    if workspace is not None:
        scans["changed_originals"] = changed_originals(db, workspace.archive, workspace.inbox, read_bytes=False)
        stuck = {scan.source_file for scan in stuck_in_inbox(db)}
        scans["in_inbox_unprocessed"] = [
            name for name in files_in_inbox(workspace.inbox, junk_filter(workspace.settings)) if name not in stuck
        ]
    return {"records": record_counts(db), "scans": scans, "review": review_status(db)}
