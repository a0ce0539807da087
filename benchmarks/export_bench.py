"""How long does `casescan export` take on a diocese-sized migration, and how much memory?

Builds a workspace with 50,000 template records and 20,000 linked case files (small generated
PDFs, five case files of two pages per batch scan), then runs the real `casescan export` as a
subprocess: wall time, and peak resident memory of the export's whole process tree (sampled).
Baseline, measured in the same run: the naive way to cut attachments — one process, the scan
opened again for every case file — on a sample, extrapolated to all case files.
Target: under 60 s and 500 MB on 2 cores.

Usage:  .venv/bin/python -m benchmarks.export_bench [--records 50000] [--case-files 20000]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageDraw

from benchmarks.watch_bench import tree_rss_mb
from catalogue.importer import import_template
from catalogue.linking import Link
from config.workspace import find_workspace, init_workspace
from scanner.model import CoverFields
from store.database import open_database
from store.links import insert_links
from store.records import in_scope_records
from store.scans import ScanFile, claim, mark_done
from store.states import State
from synthetic.people import Person
from synthetic.template import write_template

PAGES_PER_CASE_FILE = 2
CASE_FILES_PER_SCAN = 5
BASELINE_SAMPLE = 2000


def people(count: int) -> list[Person]:
    """Cheap distinct people; names need not be varied for a timing run."""
    rng = random.Random(7)
    return [
        Person(
            case_reference=f"SGD-{2010 + i % 15}-{i:06d}",
            forename=rng.choice(("Zoë", "Jack", "Aoife", "Minh")),
            surname=rng.choice(("O'Brien", "Smith", "Nguyễn", "Ó Súilleabháin")),
            date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(25000)),
            status="Open" if i % 3 else "Closed",
            date_opened=date(2015, 1, 1),
            date_closed=None,
            paper_file=i % 2 == 0,
            excluded=i % 20 == 0,
        )
        for i in range(count)
    ]


def batch_pdf(pages: int) -> bytes:
    encoded = []
    for number in range(pages):
        image = Image.new("L", (200, 260), 255)
        ImageDraw.Draw(image).rectangle((10, 10, 20 + 5 * number, 30), fill=0)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        encoded.append(buffer.getvalue())
    return img2pdf.convert(encoded)


def build(root: Path, records: int, case_files: int) -> Path:
    workspace, _ = init_workspace(root / "ws")
    template = write_template(people(records), root / "template.csv")
    import_template(workspace, template)
    ws = find_workspace(workspace.root)
    data = batch_pdf(PAGES_PER_CASE_FILE * CASE_FILES_PER_SCAN)
    with open_database(ws.database) as db:
        ids = [record_id for record_id, _ in in_scope_records(db)][:case_files]
        with db.transaction() as conn:
            for scan_number in range(0, len(ids), CASE_FILES_PER_SCAN):
                name = f"batches/batch-{scan_number:06d}.pdf"
                (ws.archive / name).parent.mkdir(parents=True, exist_ok=True)
                (ws.archive / name).write_bytes(data)
                scan_id = claim(
                    conn,
                    ScanFile(name, f"{scan_number:064d}", len(data), 0.0, False, None, "2024-01-01T00:00:00+00:00"),
                    None,
                )
                links = [
                    Link(
                        first_page=k * PAGES_PER_CASE_FILE + 1,
                        last_page=(k + 1) * PAGES_PER_CASE_FILE,
                        closed=False,
                        state=State.LINKED_AUTO,
                        record_id=record_id,
                        read_reference=None,
                        method="barcode",
                        confidence=1.0,
                        candidates=(),
                        fields=CoverFields(),
                        cover_text="",
                        reason="benchmark",
                        link_method="barcode",
                    )
                    for k, record_id in enumerate(ids[scan_number : scan_number + CASE_FILES_PER_SCAN])
                ]
                insert_links(conn, scan_id, links)
                mark_done(conn, scan_id, PAGES_PER_CASE_FILE * CASE_FILES_PER_SCAN, name, 0.0)
    return ws.root


def run_export(root: Path, out: Path) -> tuple[float, float, int]:
    """(seconds, peak MB of the process tree, exit code) of a real `casescan export`."""
    peak = 0.0
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "casescan"), "-w", str(root), "export", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    sampler.join()
    return seconds, peak, code


def naive_seconds_per_case_file(root: Path, sample: int) -> float:
    """The obvious way: for every case file, open its scan again and save the pages, one process."""
    batches = sorted((root / "archive" / "batches").iterdir())
    out = root / "naive"
    out.mkdir()
    started = time.perf_counter()
    for n in range(sample):
        source = batches[(n // CASE_FILES_PER_SCAN) % len(batches)]
        first = (n % CASE_FILES_PER_SCAN) * PAGES_PER_CASE_FILE
        with pikepdf.open(source) as pdf:
            cut = pikepdf.new()
            cut.pages.extend(pdf.pages[first : first + PAGES_PER_CASE_FILE])
            cut.save(out / f"{n}.pdf")
    return (time.perf_counter() - started) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--case-files", type=int, default=20_000)
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="Where to build the workspace (default: the system temp folder). Creating 20,000 "
        "files is dominated by the file system: use the disk the real workspace will live on.",
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="casescan-export-bench-", dir=args.dir))
    try:
        started = time.perf_counter()
        workspace = build(root, args.records, args.case_files)
        print(
            f"set-up: {args.records} records, {args.case_files} linked case files in "
            f"{time.perf_counter() - started:.1f} s"
        )
        seconds, peak, code = run_export(workspace, root / "package")
        package = root / "package"
        attachments = sum(1 for _ in (package / "attachments").rglob("*.pdf"))
        print(
            f"export: {seconds:.1f} s, peak memory {peak:.0f} MB (process tree), exit {code}, "
            f"{attachments} attachments, records.csv {(package / 'records.csv').stat().st_size / 1e6:.1f} MB, "
            f"migration.xlsx {(package / 'migration.xlsx').stat().st_size / 1e6:.1f} MB"
        )
        naive = naive_seconds_per_case_file(workspace, min(BASELINE_SAMPLE, args.case_files)) * args.case_files
        print(
            f"naive attachments only (extrapolated from {min(BASELINE_SAMPLE, args.case_files)}): {naive:.1f} s; "
            f"whole export vs naive attachments alone: {naive / seconds:.2f}x"
        )
        verdict = "MET" if seconds < 60 and peak < 500 else "MISSED"
        print(f"target (< 60 s, < 500 MB): {verdict}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
