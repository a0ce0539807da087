"""Read-only SQL for the migration package: streams of rows and the reconciliation's counts.

Every query leaves out records on the excluded list (and documents linked to them): out of scope by
law, they must not reach any file of the package, not even as a count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from records.template import DATE_FIELDS
from store.database import Database
from store.model import RecordCells, ScanProblem, from_row

LINKED_OPEN = "d.closed = 0 AND d.state IN ('linked_auto', 'linked_manual')"
CATALOGUED = "d.closed = 1 AND d.state IN ('catalogued', 'linked_manual')"
IN_SCOPE_DOCUMENT = "(d.record_id IS NULL OR d.record_id NOT IN (SELECT id FROM records WHERE excluded = 1))"


def iter_records(db: Database) -> Iterator[RecordCells]:
    """In-scope records in template order, with the template's own cells."""
    rows = db.connection.execute(
        "SELECT id, case_reference, columns_json, date_of_birth, date_opened, date_closed FROM records "
        "WHERE excluded = 0 ORDER BY source_row, id"
    )
    for row in rows:
        yield RecordCells(
            id=row["id"],
            case_reference=row["case_reference"],
            columns=json.loads(row["columns_json"]),
            dates={name: date.fromisoformat(row[name]) for name in DATE_FIELDS if row[name]},
        )


def excluded_references(db: Database) -> frozenset[str]:
    """Excluded records' references, keyed and as written, to keep them out of free-text details too."""
    found: set[str] = set()
    for row in db.query("SELECT reference_key, case_reference FROM records WHERE excluded = 1"):
        found.update((row[0], row[1]))
    return frozenset(found)


def scan_problems(db: Database) -> list[ScanProblem]:
    """Files that produced no case files: quarantined, duplicates, and files that could not be read."""
    rows = db.query(
        """
        SELECT s.id, s.state, s.source_file, s.error_kind, s.error, o.source_file AS original_file
        FROM scans s LEFT JOIN scans o ON o.id = s.duplicate_of
        WHERE s.state IN ('quarantined', 'duplicate') OR (s.state = 'seen' AND s.error_kind IS NOT NULL)
        ORDER BY s.source_file, s.id
        """
    )
    return [from_row(ScanProblem, row) for row in rows]


def _paper_without(db: Database, status: str, accounted: str) -> list[str]:
    return [
        row[0]
        for row in db.query(
            f"""
        SELECT r.case_reference FROM records r
        WHERE r.excluded = 0 AND r.status = ? AND r.paper_file = 1
          AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.record_id = r.id AND {accounted})
        ORDER BY r.source_row, r.id
        """,
            (status,),
        )
    ]


def missing_scans(db: Database) -> list[str]:
    """Open records whose paper file exists by the template but has no linked scan."""
    return _paper_without(db, "Open", LINKED_OPEN)


def missing_catalogue(db: Database) -> list[str]:
    """Closed records whose paper file exists by the template but has no catalogue entry."""
    return _paper_without(db, "Closed", CATALOGUED)


def matrix_counts(db: Database) -> dict[str, int]:
    """The migration matrix: electronic records by status, paper files expected and accounted for."""
    row = db.query(
        f"""
        SELECT
          (SELECT COUNT(*) FROM records WHERE excluded = 0) AS records,
          (SELECT COUNT(*) FROM records WHERE excluded = 0 AND status = 'Open') AS electronic_open,
          (SELECT COUNT(*) FROM records WHERE excluded = 0 AND status = 'Closed') AS electronic_closed,
          (SELECT COUNT(*) FROM records WHERE excluded = 0 AND status IS NULL) AS electronic_status_unknown,
          (SELECT COUNT(*) FROM records WHERE excluded = 0 AND status = 'Open' AND paper_file = 1)
            AS paper_open_expected,
          (SELECT COUNT(*) FROM records r WHERE excluded = 0 AND status = 'Open' AND paper_file = 1 AND EXISTS
             (SELECT 1 FROM documents d WHERE d.record_id = r.id AND {LINKED_OPEN})) AS paper_open_scanned,
          (SELECT COUNT(DISTINCT d.record_id) FROM documents d JOIN records r ON r.id = d.record_id
             WHERE r.excluded = 0 AND {LINKED_OPEN}) AS records_with_scans,
          (SELECT COUNT(*) FROM documents d JOIN records r ON r.id = d.record_id
             WHERE r.excluded = 0 AND {LINKED_OPEN}) AS linked_case_files,
          (SELECT COUNT(*) FROM records WHERE excluded = 0 AND status = 'Closed' AND paper_file = 1)
            AS paper_closed_expected,
          (SELECT COUNT(*) FROM records r WHERE excluded = 0 AND status = 'Closed' AND paper_file = 1 AND EXISTS
             (SELECT 1 FROM documents d WHERE d.record_id = r.id AND {CATALOGUED})) AS paper_closed_catalogued,
          (SELECT COUNT(*) FROM documents d WHERE {CATALOGUED} AND {IN_SCOPE_DOCUMENT}) AS catalogue_entries,
          (SELECT COUNT(*) FROM documents d WHERE {CATALOGUED} AND d.record_id IS NULL) AS paper_only_cases
        """
    )[0]
    return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 -- a row iterates its values


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """One read transaction (REPEATABLE READ on PostgreSQL): every file of the package sees the same
    state while the service writes."""
    with db.snapshot():
        yield
