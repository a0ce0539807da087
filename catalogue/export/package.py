"""`casescan export`: the whole migration package, written to a staging folder and then renamed.

The package is complete on its own or absent: an interrupted export leaves only a hidden
`.NAME.partial-PID` folder, never a folder that looks finished. It reads one database snapshot so
the files agree with each other while the service keeps working.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from catalogue.export.attachments import Cut, cut_all
from catalogue.export.tables import (
    CATALOGUE, EXCEPTIONS, EXTRA_RECORD_COLUMNS, MANIFEST, Attachment, Scope, catalogue_rows, date_columns,
    exception_rows, manifest_rows, record_rows,
)
from catalogue.export.writers import PackageWriter
from catalogue.reconcile import reconciliation
from catalogue.store.database import Database, open_database
from catalogue.store.documents import document_counts, iter_linked
from catalogue.store.export import excluded_references, matrix_counts, missing_catalogue, missing_scans, snapshot
from catalogue.store.records import template_columns
from catalogue.store.scans import scan_status
from config.errors import UsageError
from config.workspace import Workspace

log = logging.getLogger(__name__)
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    go: bool
    reconciliation: dict[str, Any]


def safe_name(reference: str) -> str:
    """A case reference as a file name: characters no file system allows (e.g. '/') become '-'."""
    return UNSAFE_IN_NAMES.sub("-", reference).strip(" .") or "unnamed"


def _target(workspace: Workspace, out: Path | None) -> Path:
    if out is not None:
        out = out.expanduser().resolve()
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise UsageError(f"{out} already exists and is not an empty folder; choose a new folder for the export.")
        return out
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    candidate, n = workspace.output / stamp, 2
    while candidate.exists():
        candidate, n = workspace.output / f"{stamp}-{n}", n + 1
    return candidate


def _plan(db: Database, workspace: Workspace) -> tuple[list[Attachment], list[tuple[Path, list[Cut]]]]:
    """Name every attachment (<ref>/<ref>_<n>.pdf in record and page order) and group the cuts by scan."""
    attachments: list[Attachment] = []
    jobs: dict[int, tuple[Path, list[Cut]]] = {}
    numbers: dict[int, int] = defaultdict(int)
    for row in iter_linked(db):
        numbers[row["record_id"]] += 1
        name = safe_name(row["case_reference"])
        path = f"attachments/{name}/{name}_{numbers[row['record_id']]}.pdf"
        attachments.append(Attachment(
            document_id=row["id"], record_id=row["record_id"], case_reference=row["case_reference"], path=path,
            source_file=row["source_file"], first_page=row["first_page"], last_page=row["last_page"],
            link_method=row["link_method"], confidence=row["confidence"], linked_by=row["linked_by"],
            linked_at=row["linked_at"],
        ))
        source = (workspace.archive / row["archived_path"]) if row["archived_path"] else workspace.inbox / row["source_file"]
        if row["archived_path"] and not source.exists():
            source = workspace.inbox / row["source_file"]
        jobs.setdefault(row["scan_id"], (source, []))[1].append(Cut(row["id"], row["first_page"], row["last_page"], Path(path)))
    return attachments, list(jobs.values())


def _cut(staging: Path, attachments: list[Attachment], jobs: Sequence[tuple[Path, list[Cut]]], workers: int) -> list[Attachment]:
    rooted = [(source, [replace(cut, target=staging / cut.target) for cut in cuts]) for source, cuts in jobs]
    results = {r.document_id: r for r in cut_all(rooted, workers)}
    return [replace(a, pages=results[a.document_id].pages, sha256=results[a.document_id].sha256,
                    error=results[a.document_id].error) for a in attachments]


def _workers(workspace: Workspace) -> int:
    configured = int(workspace.settings.scanner.workers)
    return configured if configured > 0 else (os.cpu_count() or 1)


def _write(db: Database, workspace: Workspace, staging: Path) -> dict[str, Any]:
    attachments, jobs = _plan(db, workspace)
    attachments = _cut(staging, attachments, jobs, _workers(workspace))
    written = [a for a in attachments if a.error is None]
    failed = [a for a in attachments if a.error is not None]
    by_record: dict[int, list[str]] = defaultdict(list)
    for a in written:
        by_record[a.record_id].append(a.path)
    columns = template_columns(db)
    scope = Scope(excluded_references(db))
    missing = missing_scans(db), missing_catalogue(db)
    writer = PackageWriter(staging)
    writer.table("records", [*columns, *EXTRA_RECORD_COLUMNS],
                 record_rows(db, columns, date_columns(columns, workspace.settings), by_record))
    writer.table("manifest", MANIFEST, manifest_rows(written))
    writer.table("closed_paper_catalogue", CATALOGUE, catalogue_rows(db, scope))
    writer.table("exceptions", EXCEPTIONS, exception_rows(db, scope, *missing, failed))
    report = reconciliation(matrix_counts(db), document_counts(db, in_scope_only=True), scan_status(db)["by_state"],
                            *missing, len(failed))
    writer.sheet("reconciliation", ("name", "passed", "detail"),
                 [[c["name"], "yes" if c["passed"] else "no", c["detail"]] for c in report["checks"]])
    writer.close()
    (staging / "reconciliation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report


def export_package(workspace: Workspace, out: Path | None = None) -> ExportResult:
    """Write the migration package; `go` says whether it is ready to load (it is written either way)."""
    target = _target(workspace, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.partial-{os.getpid()}"
    staging.mkdir()
    try:
        with open_database(workspace.database, readonly=True) as db, snapshot(db):
            report = _write(db, workspace, staging)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("export_written folder=%s go=%s", target.name, report["go"])
    return ExportResult(folder=target, go=report["go"], reconciliation=report)
