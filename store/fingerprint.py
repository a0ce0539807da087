"""The decision fingerprint in the `meta` table: what the first machine to process this workspace's
files decided with, so every later machine can be checked against it."""

from __future__ import annotations

import json
from collections.abc import Mapping

from store.database import Connection, Database

KEY = "decision_fingerprint"


def claim_fingerprint(db: Database, parts: Mapping[str, str]) -> dict[str, str]:
    """Record `parts` if no fingerprint is stored yet; returns the stored one (the first machine's,
    also when two start at the same moment)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (KEY, json.dumps(dict(parts), sort_keys=True)),
        )
        stored = stored_fingerprint(conn)
    return dict(parts) if stored is None else stored


def replace_fingerprint(db: Database, parts: Mapping[str, str]) -> None:
    """Adopt `parts` as the fingerprint every machine must match (after a deliberate change)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (KEY, json.dumps(dict(parts), sort_keys=True)),
        )


def stored_fingerprint(conn: Connection) -> dict[str, str] | None:
    """The fingerprint every machine must match, read inside the caller's transaction (None before
    the first machine started)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    return None if row is None else dict(json.loads(row[0]))
