"""`records import`: read, check, store, report — all or nothing."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from catalogue.scans import redecide_all
from config.workspace import Workspace
from records.spreadsheet import read_rows
from records.template import Problem, Template, parse_template
from store.database import open_database
from store.records import save_import

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    template: Template
    added: int
    updated: int
    report_path: Path
    redecided: int = 0  # case files no person had decided whose decision the new template changed

    @property
    def excluded(self) -> int:
        return sum(1 for record in self.template.records if record.excluded)


def format_report(problems: list[Problem]) -> str:
    """The data-quality report as a plain table; references and row numbers only, never names."""
    if not problems:
        return "No data-quality problems found.\n"
    headings = ("Row", "Problem", "Column", "Detail")
    rows = [(str(p.row), p.kind, p.column, p.detail) for p in sorted(problems, key=lambda p: (p.row, p.kind))]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=False)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in rows]
    totals = Counter(p.kind for p in problems)
    lines += ["", "Totals: " + ", ".join(f"{kind} {count}" for kind, count in sorted(totals.items()))]
    return "\n".join(lines) + "\n"


def import_template(workspace: Workspace, path: Path, sheet: str | None = None) -> ImportResult:
    """Import a migration template; a refused file changes nothing (the error is raised before any write).

    Raises UsageError (no such file, not .xlsx or .csv, no such sheet), TemplateUnreadable (a
    damaged workbook or undecodable CSV) or TemplateRefused (no case-reference column)."""
    rows = read_rows(path, sheet)
    template = parse_template(rows, workspace.settings, str(path))
    with open_database(workspace.database) as db:
        added, updated = save_import(db, template, str(path.resolve()), sheet)
        redecided = redecide_all(db, workspace.settings)
    report = (
        f"Import of {path.name}: header on row {template.header_row}, {template.rows_read} rows read, "
        f"{added} records added, {updated} updated.\n\n" + format_report(template.problems)
    )
    workspace.quality_report.write_text(report, encoding="utf-8")
    log.info(
        "event=template_imported rows=%d added=%d updated=%d problems=%d redecided=%d",
        template.rows_read,
        added,
        updated,
        len(template.problems),
        redecided,
    )
    return ImportResult(
        template=template, added=added, updated=updated, report_path=workspace.quality_report, redecided=redecided
    )
