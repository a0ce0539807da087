"""casescan's own packages, in the order data flows through them: each may import only those before it."""

from __future__ import annotations

FLOW = (
    "config",
    "common",
    "scanner",
    "records",
    "store",
    "catalogue",
    "decisions",
    "sheets",
    "export",
    "watch",
    "review",
    "synthetic",
    "cli",
)
