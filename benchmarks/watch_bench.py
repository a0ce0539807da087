"""How fast does a dropped scan reach a decision, and does memory stay flat under a big drop?

Runs a real `casescan watch` process on a fresh workspace:
  1. 100 mixed scans from the synthetic corpus (PDF/TIFF/JPEG/PNG, batches, OCR and barcodes) are
     dropped at once: time from drop to decision (median, p95), files per minute, peak memory of
     the service and its workers. Baseline: the same scanner called on the same files one by one in one process.
  2. 2,000 small unique cover scans dropped at once: memory of the process tree sampled throughout.

Usage:  .venv/bin/python benchmarks/watch_bench.py [--files 100] [--small 2000] [--settle 1.0]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import PngImagePlugin

from catalogue.importer import import_template
from config.settings import load_settings
from config.workspace import find_workspace, init_workspace
from scanner import identify_file, scan_options
from synthetic.corpus import make_corpus
from synthetic.pages import draw_cover
from synthetic.people import make_people
from synthetic.template import write_template

FINAL = ("done", "quarantined", "duplicate")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.running = pid, True
        self.samples: list[float] = []

    def run(self) -> None:
        while self.running:
            self.samples.append(tree_rss_mb(self.pid))
            time.sleep(0.25)


def workspace(root: Path, settle: float, people: list) -> Path:
    init_workspace(root)
    (root / "casescan.toml").write_text(f"[watch]\nsettle_seconds = {settle}\n", encoding="utf-8")
    import_template(find_workspace(root, environ={}), write_template(people, root / "template.csv"))
    return root


def decided(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return dict(conn.execute("SELECT source_file, state FROM scans WHERE state IN (?, ?, ?)", FINAL).fetchall())
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def run_drop(root: Path, files: list[Path]) -> tuple[list[float], float, list[float]]:
    """Start the service, drop `files`, wait for every decision; (latencies, elapsed, memory samples)."""
    service = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(root), "watch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return _measure(root, files, service.pid)
    finally:
        service.terminate()
        service.wait(timeout=60)


def _measure(root: Path, files: list[Path], pid: int) -> tuple[list[float], float, list[float]]:
    while not (root / "casescan.watch.lock").exists() or not (root / "casescan.watch.lock").read_text().strip():
        time.sleep(0.1)
    time.sleep(3)  # workers started
    sampler = MemorySampler(pid)
    sampler.start()
    dropped: dict[str, float] = {}
    started = time.monotonic()
    for path in files:
        shutil.copyfile(path, root / "inbox" / path.name)
        dropped[path.name] = time.monotonic()
    seen: dict[str, float] = {}
    while len(seen) < len(files):
        now = time.monotonic()
        for name in decided(root / "casescan.db"):
            seen.setdefault(name, now)
        time.sleep(0.05)
    elapsed = max(seen.values()) - started
    sampler.running = False
    return [seen[name] - dropped[name] for name in seen], elapsed, sampler.samples


def baseline(files: list[Path], people: list) -> list[float]:
    """Seconds per file of the scanner called file by file in one process: what a naive loop does."""
    options = scan_options(load_settings(environ={}), frozenset(p.case_reference for p in people))
    seconds = []
    for path in files:
        started = time.monotonic()
        try:
            identify_file(path, options)
        except Exception:
            pass
        seconds.append(time.monotonic() - started)
    return seconds


def per_minute(seconds: list[float]) -> float:
    return len(seconds) / sum(seconds) * 60


def small_scans(folder: Path, people: list, count: int) -> list[Path]:
    """Unique bytes per file (a text chunk with its number), small pages with a QR cover."""
    folder.mkdir()
    covers = [draw_cover(p, "labelled", 100, barcode="qr") for p in people]
    paths = []
    for n in range(count):
        info = PngImagePlugin.PngInfo()
        info.add_text("n", str(n))
        buffer = io.BytesIO()
        covers[n % len(covers)].save(buffer, "PNG", pnginfo=info, dpi=(100, 100))
        paths.append(folder / f"small-{n:05d}.png")
        paths[-1].write_bytes(buffer.getvalue())
    return paths


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--settle", type=float, default=1.0)
    args = parser.parse_args()
    people = make_people(80, seed=7)
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        make_corpus(scratch_path / "corpus", people, count=int(args.files * 1.25), dpi_choices=(200, 300))
        corpus = sorted(p for p in (scratch_path / "corpus").iterdir() if p.is_file())[: args.files]
        print(
            f"cores: {os.cpu_count()}   settle_seconds: {args.settle}   scans: {len(corpus)} mixed "
            f"({sum(p.stat().st_size for p in corpus) / 1e6:.1f} MB)"
        )
        root = workspace(scratch_path / "ws-mixed", args.settle, people)
        before = os.times()
        latencies, elapsed, memory = run_drop(root, corpus)
        after = os.times()
        service_cpu = after.children_user + after.children_system - before.children_user - before.children_system
        rate = len(corpus) / elapsed * 60
        # The same files as the service: the corpus is sorted light to heavy (single covers first,
        # mixed batches last), so its first 20 files alone made the loop look about 1.6 times as fast as it is.
        naive_cpu = time.process_time()
        naive_seconds = baseline(corpus, people)
        naive_cpu = time.process_time() - naive_cpu
        naive, first_20 = per_minute(naive_seconds), per_minute(naive_seconds[:20])
        print(
            f"drop to decision: median {statistics.median(latencies):.1f} s, p95 {percentile(latencies, 0.95):.1f} s "
            f"(includes the {args.settle} s settle time)"
        )
        print(
            f"throughput: {rate:.1f} files/min  vs naive one-process loop {naive:.1f} files/min  -> {rate / naive:.2f}x"
        )
        print(
            f"  (as measured before, the naive loop on the first 20 files only: {first_20:.1f} files/min "
            f"-> {rate / first_20:.2f}x)"
        )
        # CPU per file does not depend on what else the machine runs at the time; files per minute does.
        print(
            f"CPU per file: service {service_cpu / len(corpus):.3f} s (its start-up included), "
            f"naive loop {naive_cpu / len(corpus):.3f} s"
        )
        print(f"peak memory (service + workers): {max(memory):.0f} MB")

        small = small_scans(scratch_path / "small", people, args.small)
        root = workspace(scratch_path / "ws-small", args.settle, people)
        latencies, elapsed, memory = run_drop(root, small)
        tenth = max(1, len(memory) // 10)
        early, late = max(memory[: tenth * 2]), max(memory[-tenth * 2 :])
        print(
            f"{len(small)} small files: {len(small) / elapsed * 60:.0f} files/min; memory peak in first 20% "
            f"{early:.0f} MB, last 20% {late:.0f} MB, overall {max(memory):.0f} MB -> growth x{late / early:.2f}"
        )


if __name__ == "__main__":
    main()
