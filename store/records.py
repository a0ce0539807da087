"""SQL for template records and imports."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from records.template import Template, TemplateRecord, name_key
from store.database import Connection, Database, Row, utc_now


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def save_import(db: Database, template: Template, file: str, sheet: str | None) -> tuple[int, int]:
    """Insert new records and update existing ones by reference, atomically. Returns (added, updated)."""
    now = utc_now()
    added = updated = 0
    with db.transaction() as conn:
        existing = {row[0] for row in conn.execute("SELECT reference_key FROM records")}
        conn.execute("DELETE FROM template_columns")
        conn.executemany(
            "INSERT INTO template_columns (position, name) VALUES (?, ?)", list(enumerate(template.columns))
        )
        for record in template.records:
            values = (
                record.reference_key,
                record.case_reference,
                record.forename,
                record.surname,
                _iso(record.date_of_birth),
                record.status,
                _iso(record.date_opened),
                _iso(record.date_closed),
                _flag(record.paper_file),
                int(record.excluded),
                record.row,
                json.dumps(record.columns, ensure_ascii=False),
                now,
                now,
            )
            conn.execute(
                """
                INSERT INTO records (reference_key, case_reference, forename, surname, date_of_birth, status,
                                     date_opened, date_closed, paper_file, excluded, source_row, columns_json,
                                     imported_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (reference_key) DO UPDATE SET
                    case_reference = excluded.case_reference, forename = excluded.forename,
                    surname = excluded.surname, date_of_birth = excluded.date_of_birth,
                    status = excluded.status, date_opened = excluded.date_opened,
                    date_closed = excluded.date_closed, paper_file = excluded.paper_file,
                    excluded = excluded.excluded, source_row = excluded.source_row,
                    columns_json = excluded.columns_json, updated_at = excluded.updated_at
                """,
                values,
            )
            if record.reference_key in existing:
                updated += 1
            else:
                added += 1
        conn.execute(
            "INSERT INTO imports (file, sheet, imported_at, rows, added, updated, report_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                file,
                sheet,
                now,
                template.rows_read,
                added,
                updated,
                json.dumps([asdict(problem) for problem in template.problems], ensure_ascii=False),
            ),
        )
    return added, updated


def reference_keys(db: Database, *, include_excluded: bool = False) -> frozenset[str]:
    """Canonical references the template holds: what the scanner ranks its readings against."""
    sql = "SELECT reference_key FROM records" + ("" if include_excluded else " WHERE excluded = 0")
    return frozenset(row[0] for row in db.query(sql))


def template_columns(db: Database) -> list[str]:
    return [row[0] for row in db.query("SELECT name FROM template_columns ORDER BY position")]


def _to_record(row: Row) -> TemplateRecord:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return TemplateRecord(
        row=row["source_row"],
        case_reference=row["case_reference"],
        reference_key=row["reference_key"],
        forename=row["forename"],
        surname=row["surname"],
        date_of_birth=day(row["date_of_birth"]),
        status=row["status"],
        date_opened=day(row["date_opened"]),
        date_closed=day(row["date_closed"]),
        paper_file=None if row["paper_file"] is None else bool(row["paper_file"]),
        excluded=bool(row["excluded"]),
        columns=json.loads(row["columns_json"]),
    )


def in_scope_records(db: Database) -> list[tuple[int, TemplateRecord]]:
    """(record id, record) for every record not excluded from the migration, in template order."""
    rows = db.query("SELECT * FROM records WHERE excluded = 0 ORDER BY source_row, id")
    return [(row["id"], _to_record(row)) for row in rows]


def all_records(db: Database) -> list[tuple[int, TemplateRecord]]:
    """Every record, excluded ones too: a scan of an excluded case must still find its record
    (and then be kept out of every export), never be reported as an unknown reference."""
    rows = db.query("SELECT * FROM records ORDER BY source_row, id")
    return [(row["id"], _to_record(row)) for row in rows]


def records_version(db: Database) -> tuple[int, int]:
    """Changes whenever an import runs, so a cached index of the records knows when to reload."""
    row = db.query("SELECT (SELECT COUNT(*) FROM imports), (SELECT COUNT(*) FROM records)")[0]
    return int(row[0]), int(row[1])


def find_record(conn: Connection, reference: str) -> tuple[int, str] | None:
    """(id, case reference as the template writes it) for a reference a person typed, however spaced."""
    wanted = _compact(reference)
    for row in conn.execute("SELECT id, reference_key, case_reference FROM records ORDER BY excluded, id"):
        if wanted and wanted in (_compact(row[1]), _compact(row[2])):
            return int(row[0]), str(row[2])
    return None


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def record_by_id(db: Database, record_id: int) -> TemplateRecord | None:
    rows = db.query("SELECT * FROM records WHERE id = ? AND excluded = 0", (record_id,))
    return _to_record(rows[0]) if rows else None


def record_counts(db: Database) -> dict[str, int]:
    """Counts for `status`: records by status, in and out of scope, paper files expected."""
    row = db.query(
        """
        SELECT COUNT(*) AS total,
               COUNT(*) FILTER (WHERE excluded = 0) AS in_scope,
               COUNT(*) FILTER (WHERE excluded = 1) AS excluded,
               COUNT(*) FILTER (WHERE excluded = 0 AND status = 'Open') AS open,
               COUNT(*) FILTER (WHERE excluded = 0 AND status = 'Closed') AS closed,
               COUNT(*) FILTER (WHERE excluded = 0 AND status IS NULL) AS status_unknown,
               COUNT(*) FILTER (WHERE excluded = 0 AND paper_file = 1 AND status = 'Open') AS paper_open_expected,
               COUNT(*) FILTER (WHERE excluded = 0 AND paper_file = 1 AND status = 'Closed') AS paper_closed_expected
        FROM records
        """
    )[0]
    return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 -- a row iterates its values


def search_records(db: Database, text: str, limit: int = 20) -> list[tuple[int, TemplateRecord]]:
    """In-scope records whose reference or name contains `text`, compared as OCR and people type
    them (no case, accents, spaces or punctuation); references that start with it come first."""
    needle = name_key(text)
    if not needle:
        return []
    starts: list[tuple[int, TemplateRecord]] = []
    contains: list[tuple[int, TemplateRecord]] = []
    for record_id, record in in_scope_records(db):
        reference = name_key(record.case_reference)
        if reference.startswith(needle):
            starts.append((record_id, record))
        elif (
            needle in reference
            or needle in name_key(record.name)
            or needle in name_key(f"{record.surname or ''} {record.forename or ''}")
        ):
            contains.append((record_id, record))
    return (starts + contains)[:limit]
