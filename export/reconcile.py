"""The reconciliation: does the paper side add up to what the template expects, and is it a go?

`go` is true only when nothing is left to review, unknown, unreadable, quarantined, missing or
still in the inbox (a processed file that could not be moved out of it included), every archived
original is still the file processed, and every linked case file has its attachment. Each check says why in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from store.states import State

MISSING_LISTED = 50
RUN_ONCE = "run 'casescan watch --once'"


def processing_advice(on_postgres: bool, live_workers: int) -> str:
    """What to do about files not yet processed: `watch --once` refuses beside a cluster's workers."""
    if not on_postgres:
        return RUN_ONCE
    if live_workers:
        return f"the {live_workers} running 'casescan watch' worker(s) will process them: wait, then export again"
    return f"start 'casescan watch' on a machine (or {RUN_ONCE})"


def _check(name: str, passed: bool, detail: str) -> dict[str, Any]:
    return {"name": name, "passed": passed, "detail": detail}


def _sample(items: Sequence[str], separator: str = ", ") -> str:
    shown = separator.join(items[:MISSING_LISTED])
    return shown + (f" and {len(items) - MISSING_LISTED} more" if len(items) > MISSING_LISTED else "")


def _inbox_detail(
    waiting: int, stuck: Sequence[str], left: Sequence[str], cannot_take: Sequence[str], advice: str
) -> str:
    if not waiting and not stuck and not left and not cannot_take:
        return "every file in the inbox has been processed and moved out of it"
    parts = []
    if left:
        parts.append(f"{len(left)} file(s) still in the inbox ({_sample(left)}): {advice}")
    elif waiting:
        parts.append(f"{waiting} file(s) not yet processed: {advice}")
    if cannot_take:  # another run would not help: each line says what will
        parts.append(f"{len(cannot_take)} file(s) casescan cannot take: {_sample(cannot_take, '; ')}")
    if stuck:
        parts.append(f"{len(stuck)} processed file(s) could not be moved out of the inbox: {_sample(stuck, '; ')}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Gathered:
    """What the store and the inbox said at the export's moment; the checks are pure over it.

    `stuck`: one line per file whose move out of the inbox failed (the file and what to do);
    `changed`: one line per archived original that is no longer the file processed; `left`: the
    files found in the inbox folder itself that are neither processed nor stuck nor in `cannot_take`:
    one line per file the service found it cannot read (a link, no permission) and what to do;
    `advice`: how to get the inbox processed (`processing_advice`).
    """

    matrix: Mapping[str, int]
    states: Mapping[str, int]
    scans: Mapping[str, int]
    missing_scan: Sequence[str]
    missing_catalogue: Sequence[str]
    failed_attachments: int
    stuck: Sequence[str] = ()
    changed: Sequence[str] = ()
    left: Sequence[str] = ()
    cannot_take: Sequence[str] = ()
    advice: str = RUN_ONCE


def checks(gathered: Gathered) -> list[dict[str, Any]]:
    """Each check of the package: its name, whether it passed, and the detail in words."""
    matrix, states, scans = gathered.matrix, gathered.states, gathered.scans
    missing_scan, missing_catalogue = gathered.missing_scan, gathered.missing_catalogue
    failed_attachments, stuck, changed = gathered.failed_attachments, gathered.stuck, gathered.changed
    left, cannot_take, advice = gathered.left, gathered.cannot_take, gathered.advice
    waiting = max(0, scans.get("seen", 0) + scans.get("processing", 0) - len(cannot_take))
    return [
        _check(
            "records_imported",
            matrix["records"] > 0,
            f"{matrix['records']} in-scope template records"
            if matrix["records"]
            else "no template records: run 'casescan records import FILE'",
        ),
        _check(
            "inbox_processed",
            waiting == 0 and not stuck and not left and not cannot_take,
            _inbox_detail(waiting, stuck, left, cannot_take, advice),
        ),
        _check(
            "originals_unchanged",
            not changed,
            "every archived original is the file processed"
            if not changed
            else f"{len(changed)} archived original(s) changed after processing: {_sample(changed, '; ')}",
        ),
        _check(
            "nothing_to_review",
            states[State.NEEDS_REVIEW] == 0,
            f"{states[State.NEEDS_REVIEW]} case file(s) need review: run 'casescan review'",
        ),
        _check(
            "no_unknown_references",
            states[State.UNKNOWN] == 0,
            f"{states[State.UNKNOWN]} case file(s) with a reference no record has",
        ),
        _check(
            "no_unreadable",
            states[State.UNREADABLE] == 0,
            f"{states[State.UNREADABLE]} case file(s) whose cover could not be read",
        ),
        _check(
            "nothing_quarantined",
            scans.get("quarantined", 0) == 0,
            f"{scans.get('quarantined', 0)} file(s) quarantined: see the quarantine folder",
        ),
        _check(
            "no_missing_scans",
            not missing_scan,
            f"{len(missing_scan)} open paper file(s) with no scan linked (not scanned yet, or waiting in review)"
            + (f": {_sample(missing_scan)}" if missing_scan else ""),
        ),
        _check(
            "no_missing_catalogue",
            not missing_catalogue,
            f"{len(missing_catalogue)} closed paper file(s) not catalogued"
            + (f": {_sample(missing_catalogue)}" if missing_catalogue else ""),
        ),
        _check(
            "attachments_written",
            failed_attachments == 0,
            f"{matrix['linked_case_files'] - failed_attachments} of {matrix['linked_case_files']} "
            "attachment(s) written",
        ),
    ]


def reconciliation(gathered: Gathered) -> dict[str, Any]:
    """The whole of reconciliation.json, built from counts the store gathered."""
    found = checks(gathered)
    matrix, states, scans = gathered.matrix, gathered.states, gathered.scans
    missing_scan, missing_catalogue = gathered.missing_scan, gathered.missing_catalogue
    return {
        "matrix": {
            "electronic": {
                "open": matrix["electronic_open"],
                "closed": matrix["electronic_closed"],
                "status_unknown": matrix["electronic_status_unknown"],
                "total": matrix["records"],
            },
            "paper_open": {
                "expected": matrix["paper_open_expected"],
                "scanned": matrix["paper_open_scanned"],
                "records_with_scans": matrix["records_with_scans"],
                "linked_case_files": matrix["linked_case_files"],
            },
            "paper_closed": {
                "expected": matrix["paper_closed_expected"],
                "catalogued": matrix["paper_closed_catalogued"],
                "catalogue_entries": matrix["catalogue_entries"],
                "paper_only": matrix["paper_only_cases"],
            },
        },
        "states": dict(states),
        "scans": dict(scans),
        "missing": {"missing_scan": list(missing_scan), "missing_catalogue": list(missing_catalogue)},
        "checks": found,
        "go": all(check["passed"] for check in found),
    }
