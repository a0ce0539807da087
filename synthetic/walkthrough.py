"""`casescan demo`: a synthetic diocese's first week, run end to end with the real service.

Everything runs through the same library calls the commands use — import, watch, export — so the
demo shows a newcomer the real flow, and the end-to-end test checks the demo's outcome against the
truth the synthetic inbox was built from.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalogue.importer import ImportResult, import_template
from config.errors import UsageError
from config.workspace import Workspace, find_workspace, init_workspace
from export.package import ExportResult, export_package
from synthetic.demo import DemoTruth, make_demo_inputs
from synthetic.people import make_people
from synthetic.template import write_template
from watch.service import Summary, WatchService

MARKER = ".casescan-demo"
CASELOAD = 40


@dataclass(frozen=True)
class DemoRun:
    workspace: Workspace
    truth: DemoTruth
    imported: ImportResult
    watched: Summary
    exported: ExportResult

    def table(self, name: str) -> list[dict[str, str]]:
        with (self.exported.folder / name).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))


def _fresh_directory(directory: Path) -> Path:
    """A demo may replace an earlier demo, never anything else."""
    root = directory.expanduser().resolve()
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise UsageError(f"{root} exists and is not an earlier demo; choose an empty or new folder for the demo.")
        shutil.rmtree(root)
    return root


def run_demo(directory: Path, say: Callable[[str], None], *, seed: int = 0) -> DemoRun:
    root = _fresh_directory(directory)
    init_workspace(root)
    (root / MARKER).write_text(
        "This workspace was made by 'casescan demo' and may be replaced by it.\n", encoding="utf-8"
    )
    people = make_people(CASELOAD, seed)
    template = write_template(people, root / "Migration template.xlsx")
    workspace = find_workspace(root, environ={}, overrides={"watch.settle_seconds": 0.0})
    say(f"1. Workspace {root}")
    imported = import_template(workspace, template)
    say(
        f"2. Imported {template.name}: {imported.added} records, {imported.excluded} on the Archbishop's List "
        f"(out of scope), {len(imported.template.problems)} data-quality notes in {imported.report_path.name}"
    )
    truth = make_demo_inputs(root, people, seed=seed)
    scans = len(truth.open_scans) + len(truth.closed)
    say(
        f"3. Admin staff dropped {len(truth.open_scans)} open-case scans into inbox/ and "
        f"{len(truth.closed)} closed front sheets into inbox/closed/<building>/<room>/<box>/"
    )
    watched = WatchService(workspace, once=True).run()
    say(
        f"4. The service processed {watched.finished} of {scans} files: "
        + ", ".join(f"{count} {state}" for state, count in sorted(watched.states.items()))
    )
    exported = export_package(workspace)
    return DemoRun(workspace, truth, imported, watched, exported)
