"""`casescan scan FILE… [--json]`: identify scans without changing anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from cli.context import optional_workspace
from common.files import printable
from config.settings import load_settings
from scanner import ScanError, ScanResult, identify_files, scan_options
from scanner.model import CaseFile


def _document(case_file: CaseFile) -> dict[str, Any]:
    cover = case_file.cover
    fields = cover.fields if cover else None
    return {
        "first_page": case_file.first_page,
        "last_page": case_file.last_page,
        "case_reference": cover.case_reference if cover else None,
        "method": cover.method if cover else None,
        "confidence": cover.confidence if cover else 0.0,
        "evidence": cover.evidence if cover else "",
        "letter": cover.letter if cover else "",
        "candidates": [
            {
                "case_reference": c.case_reference,
                "score": c.score,
                "reason": c.reason,
                "method": c.method,
                "labelled": c.labelled,
                "corrections": list(c.corrections),
                "word_confidence": c.word_confidence,
            }
            for c in (cover.candidates if cover else ())
        ],
        "doubts": [{"page": page, "reason": why} for page, why in case_file.doubts],
        "fields": {
            "name": fields.name if fields else None,
            "date_of_birth": fields.date_of_birth.isoformat() if fields and fields.date_of_birth else None,
        },
        **({"location": case_file.location} if case_file.location else {}),
    }


def as_json(path: Path, outcome: ScanResult | ScanError) -> dict[str, Any]:
    """One file's entry; a file name that is not UTF-8 is shown escaped, so the output stays valid JSON."""
    file = printable(str(path))
    if isinstance(outcome, ScanError):
        return {"file": file, "pages": None, "documents": [], "error": printable(outcome.message)}
    return {
        "file": file,
        "pages": outcome.pages,
        "documents": [_document(c) for c in outcome.case_files],
        "error": None,
    }


def _as_lines(entry: dict[str, Any]) -> list[str]:
    if entry["error"]:  # a scan error names its file already: "x.pdf: error: x.pdf: ..." said it twice
        return [f"{entry['file']}: error: {entry['error'].removeprefix(entry['file'] + ': ')}"]
    lines = [f"{entry['file']}: {entry['pages']} page(s), {len(entry['documents'])} case file(s)"]
    for doc in entry["documents"]:
        reference = doc["case_reference"] or ("no single reference read" if doc["candidates"] else "no reference read")
        if doc["evidence"] and not doc["case_reference"]:
            reference += f" (a cover: {doc['evidence']})"
        how = f" ({doc['method']}, confidence {doc['confidence']:.2f})" if doc["method"] else ""
        lines.append(f"  pages {doc['first_page']}-{doc['last_page']}: {reference}{how}")
        if doc["letter"]:
            lines.append(
                f"    reads as a letter or a note ({doc['letter']}): waits for a person unless a barcode names it"
            )
        lines += [f"    a doubt on page {doubt['page']}: {doubt['reason']}" for doubt in doc["doubts"]]
    return lines


@click.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json_output", is_flag=True, help="Print a JSON array, one object per file.")
@click.pass_context
def scan(ctx: click.Context, files: tuple[Path, ...], as_json_output: bool) -> None:
    """Identify the case files in scans and read their references; changes nothing.

    It prints every reading with its evidence; only the catalogue matches them against the template.

    Example: casescan scan inbox/batch-01.pdf --json
    """
    workspace = optional_workspace(ctx)
    if workspace is None:
        options = scan_options(load_settings())
    else:
        from store.database import open_database
        from store.records import reference_keys

        known: frozenset[str] = frozenset()
        location = workspace.database
        if not isinstance(location, Path) or location.exists():
            with open_database(location, readonly=True) as db:
                known = reference_keys(db)
        options = scan_options(workspace.settings, known)
    entries = [as_json(path, outcome) for path, outcome in identify_files(files, options)]
    if as_json_output:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
    else:
        for entry in entries:
            click.echo("\n".join(_as_lines(entry)))
    ctx.exit(1 if any(e["error"] for e in entries) else 0)
