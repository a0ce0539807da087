"""`casescan export`: the whole migration package, written to a staging folder and then renamed.

The package is complete on its own or absent: an interrupted export leaves only a hidden
`.NAME.partial-PID` folder, never a folder that looks finished. It reads one database snapshot so
the files agree with each other while the service keeps working.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common.files import real_path, sha256_of
from config.errors import CasescanError, UsageError
from config.junk import junk_filter
from config.workspace import Workspace
from export.attachments import Cut, Cutting
from export.originals import changed_originals, files_in_inbox
from export.reconcile import Gathered, processing_advice, reconciliation
from export.tables import (
    CATALOGUE,
    EXCEPTIONS,
    EXTRA_RECORD_COLUMNS,
    MANIFEST,
    Attachment,
    Scope,
    catalogue_rows,
    date_columns,
    exception_rows,
    manifest_rows,
    record_rows,
)
from export.writers import PackageWriter
from store.audit import record_event
from store.claims import live_workers
from store.database import Database, open_database
from store.documents import document_counts, iter_linked, noted_unknown_count
from store.engines import POSTGRES
from store.export import excluded_references, matrix_counts, missing_catalogue, missing_scans, snapshot
from store.model import LinkedDocument
from store.records import template_columns
from store.scans import cannot_take, scan_status, seen_files, stuck_in_inbox
from store.states import State

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
        out.mkdir(parents=True, exist_ok=True)
        return out
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    workspace.output.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        candidate = workspace.output / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            candidate.mkdir()  # taken atomically: two exports in one second get two folders
        except FileExistsError:
            n += 1
        else:
            return candidate


class OriginalsFailing(CasescanError):
    """Originals that read a moment ago fail now: the export stops rather than package a moving target."""


class _Unforeseen(Exception):
    """A cut failed that the plan could not foresee (a corrupt original); the package is written again."""

    def __init__(self, failures: dict[int, str]) -> None:
        super().__init__(f"{len(failures)} attachment(s) failed")
        self.failures = failures


def _source(workspace: Workspace, linked: LinkedDocument) -> Path:
    """The original in the archive; the inbox copy if it was never archived (or has gone from there)."""
    if linked.archived_path:
        archived = workspace.archive / linked.archived_path
        if archived.exists():
            return archived
    return real_path(workspace.inbox, linked.source_file)


def _foreseen_error(linked: LinkedDocument, source: Path, digests: dict[Path, str | None]) -> str | None:
    """Why this case file cannot be cut, known before cutting. The original is hashed first: a
    file replaced in the inbox, or changed in the archive, after processing would put pages no
    decision was made on (another person's, perhaps) under this case."""
    if not source.is_file():
        return f"the original scan is neither at {source} nor in the archive"
    if source not in digests:
        try:
            digests[source] = sha256_of(source)
        except OSError:
            digests[source] = None
    if digests[source] != linked.scan_sha256:
        return (
            f"{source.name} is no longer the file that was processed (it changed or was replaced "
            "afterwards): restore the original, or drop the new file into the inbox as a new scan"
        )
    if linked.scan_pages and linked.last_page > linked.scan_pages:
        return f"pages {linked.first_page}-{linked.last_page} are not in the {linked.scan_pages}-page scan"
    return None


def _plan(
    db: Database, workspace: Workspace, failures: dict[int, str]
) -> tuple[list[Attachment], list[tuple[Path, list[Cut]]]]:
    """Name every attachment (<ref>/<ref>_<n>.pdf in record and page order) and group the cuts by scan.

    Failures known before cutting (original gone, pages out of range) are settled here, so the
    records table can be written while the cutting runs.
    """
    attachments: list[Attachment] = []
    jobs: dict[int, tuple[Path, list[Cut]]] = {}
    numbers: dict[int, int] = defaultdict(int)
    sources: dict[int, Path] = {}
    digests: dict[Path, str | None] = {}
    for linked in iter_linked(db):
        source = sources.setdefault(linked.scan_id, _source(workspace, linked))
        error = failures.get(linked.id) or _foreseen_error(linked, source, digests)
        if error is None:
            numbers[linked.record_id] += 1
        name = safe_name(linked.case_reference)
        path = f"attachments/{name}/{name}_{numbers[linked.record_id]}.pdf"
        attachments.append(
            Attachment(
                document_id=linked.id,
                record_id=linked.record_id,
                case_reference=linked.case_reference,
                path=path,
                source_file=linked.source_file,
                first_page=linked.first_page,
                last_page=linked.last_page,
                link_method=linked.link_method,
                confidence=linked.confidence,
                linked_by=linked.linked_by,
                linked_at=linked.linked_at,
                error=error,
            )
        )
        if error is None:
            cut = Cut(linked.id, linked.first_page, linked.last_page, Path(path))
            jobs.setdefault(linked.scan_id, (source, []))[1].append(cut)
    return attachments, list(jobs.values())


def _workers(workspace: Workspace) -> int:
    """Cutting is mostly file-system work: one core is left for writing the tables meanwhile."""
    configured = int(workspace.settings.scanner.workers)
    return configured if configured > 0 else max(1, (os.cpu_count() or 1) - 1)


def _states(db: Database) -> dict[str, int]:
    """Documents per state, with the unknown references a lead noted as missing from the template
    counted apart (`unknown_noted`): they are exceptions for the data officer, not work left to review."""
    states = document_counts(db, in_scope_only=True)
    noted = noted_unknown_count(db)
    return {**states, State.UNKNOWN.value: states[State.UNKNOWN] - noted, "unknown_noted": noted}


def _write(db: Database, workspace: Workspace, staging: Path, failures: dict[int, str]) -> dict[str, Any]:
    attachments, jobs = _plan(db, workspace, failures)
    by_record: dict[int, list[str]] = defaultdict(list)
    for a in attachments:
        if a.error is None:
            by_record[a.record_id].append(a.path)
    columns = template_columns(db)
    writer = PackageWriter(staging)
    rooted = [(source, [replace(cut, target=staging / cut.target) for cut in cuts]) for source, cuts in jobs]
    with Cutting(rooted, _workers(workspace)) as cutting:
        writer.table(
            "records",
            [*columns, *EXTRA_RECORD_COLUMNS],
            record_rows(db, columns, date_columns(columns, workspace.settings), by_record),
        )
        results = {r.document_id: r for r in cutting.results()}
    unforeseen = {i: r.error for i, r in results.items() if r.error}
    if unforeseen:
        writer.close()  # a write-only workbook must be finished, even one about to be thrown away
        raise _Unforeseen(unforeseen)
    attachments = [
        replace(a, pages=results[a.document_id].pages, sha256=results[a.document_id].sha256) if a.error is None else a
        for a in attachments
    ]
    failed = [a for a in attachments if a.error is not None]
    scope = Scope(excluded_references(db))
    missing = missing_scans(db), missing_catalogue(db)
    writer.table("manifest", MANIFEST, manifest_rows(attachments))
    writer.table("closed_paper_catalogue", CATALOGUE, catalogue_rows(db, scope))
    writer.table("exceptions", EXCEPTIONS, exception_rows(db, scope, *missing, failed))
    stuck_rows = stuck_in_inbox(db)
    stuck = [scan.move_error for scan in stuck_rows]
    changed = [c["problem"] for c in changed_originals(db, workspace.archive, workspace.inbox, read_bytes=True)]
    # A file seen but not taken (one casescan cannot take among them) counts while it is there:
    # once someone took it out of the inbox, it blocked every export for good.
    unreadable = [(name, why) for name, why in cannot_take(db) if os.path.lexists(workspace.inbox / name)]
    by_state = dict(scan_status(db)["by_state"])
    by_state["seen"] = sum(os.path.lexists(workspace.inbox / name) for name in seen_files(db))
    known = {scan.source_file for scan in stuck_rows} | {name for name, _why in unreadable}
    left = [name for name in files_in_inbox(workspace.inbox, junk_filter(workspace.settings)) if name not in known]
    report = reconciliation(
        Gathered(
            matrix_counts(db),
            _states(db),
            by_state,
            *missing,
            len(failed),
            stuck,
            changed,
            left,
            [f"{name}: {why}" for name, why in unreadable],
            _processing_advice(db, workspace),
        )
    )
    writer.sheet(
        "reconciliation",
        ("name", "passed", "detail"),
        [[c["name"], "yes" if c["passed"] else "no", c["detail"]] for c in report["checks"]],
    )
    writer.close()
    (staging / "reconciliation.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return report


def _move_into(staging: Path, target: Path) -> None:
    """Put the finished package in its (empty, reserved) folder: one rename on POSIX, which replaces
    an empty folder atomically; elsewhere the empty folder is removed first."""
    try:
        staging.rename(target)
    except OSError:
        target.rmdir()
        staging.rename(target)


def _pass(workspace: Workspace, staging: Path, failures: dict[int, str]) -> dict[str, Any]:
    """One pass into a fresh staging folder, removed again if the pass fails."""
    staging.mkdir()
    try:
        with open_database(workspace.database, readonly=True) as db, snapshot(db):
            return _write(db, workspace, staging, failures)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _staged(workspace: Workspace, target: Path) -> dict[str, Any]:
    """Write into a staging folder; once more, without them, if some originals proved unreadable.

    Raises OriginalsFailing when the second pass finds originals failing that read in the first
    (a failing disk or share): the package would rest on originals that change under it.
    """
    staging = target.parent / f".{target.name}.partial-{os.getpid()}"
    failures: dict[int, str] = {}
    try:
        report = _pass(workspace, staging, failures)
    except _Unforeseen as unforeseen:
        failures.update(unforeseen.failures)
        try:
            report = _pass(workspace, staging, failures)
        except _Unforeseen as again:
            raise OriginalsFailing(
                f"{len(again.failures)} more original(s) could not be read on a second pass "
                "(they read on the first); check the disk or share that holds archive/, then run "
                "the export again."
            ) from None
    _move_into(staging, target)
    return report


def export_package(workspace: Workspace, out: Path | None = None, *, actor: str | None = None) -> ExportResult:
    """Write the migration package; `go` says whether it is ready to load (it is written either way).

    The audit trail records who exported (`actor`, else the operating-system user) and where to.
    Raises UsageError when `out` exists and is not an empty folder, OriginalsFailing when originals
    fail anew on the second pass, DatabaseError without a database, and OSError when `out` cannot
    be created or written (the CLI words it as a path the user chose)."""
    target = _target(workspace, out)
    try:
        report = _staged(workspace, target)
    except BaseException:
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        raise
    with open_database(workspace.database) as db:
        record_event(
            db,
            actor=actor or getpass.getuser(),
            action="export",
            detail=f"{target}: {'go' if report['go'] else 'no-go'}",
        )
    log.info("export_written go=%s", report["go"])
    log.debug("export_written folder=%s", target)  # a folder the user named, perhaps after a person
    return ExportResult(folder=target, go=report["go"], reconciliation=report)


def _processing_advice(db: Database, workspace: Workspace) -> str:
    on_postgres = db.engine is POSTGRES
    workers = live_workers(db, workspace.settings.database.stalled_seconds) if on_postgres else 0
    return processing_advice(on_postgres, workers)
