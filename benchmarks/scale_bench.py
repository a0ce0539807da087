"""Several `casescan watch` processes on one inbox and one PostgreSQL, against the SQLite single service.

The same mixed scans from the synthetic corpus are dropped at once into a fresh inbox for each run:
the single service on SQLite, then N = 1, 2 … `casescan watch` processes sharing one real PostgreSQL
(the test suite's throwaway server: Debian's package, a unix socket). On one machine the N processes
share its cores, so each gets `[scanner] workers` = cores / N: the figures say what the queue costs
and that nothing is lost or done twice, not what N machines would add. Printed per run: files and
pages per minute, speed-up over SQLite, drop-to-decision (median, p95), queue overhead per file
(the run's wall time per file minus SQLite's), and the correctness gates, as counts that must be 0.

Usage:  .venv/bin/python -m benchmarks.scale_bench [--files 40] [--processes 1 2] [--settle 1.0] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.watch_bench import percentile
from catalogue.importer import import_template
from common.files import sha256_of
from config.workspace import find_workspace, init_workspace
from synthetic.corpus import make_corpus
from synthetic.people import make_people
from synthetic.template import write_template
from tests.support.postgres import admin_execute, server_binaries, start_server, stop_server

FINAL = ("done", "quarantined", "duplicate")
REASON = ".reason.txt"
Query = Callable[[str], list[tuple[Any, ...]]]


@dataclass
class Run:
    name: str
    elapsed: float = 0.0
    files: int = 0
    pages: int = 0
    latencies: list[float] = field(default_factory=list)
    gates: dict[str, int] = field(default_factory=dict)
    decisions: Counter[tuple[Any, ...]] = field(default_factory=Counter)


def sqlite_query(path: Path) -> Query:
    def run(sql: str) -> list[tuple[Any, ...]]:
        try:
            with sqlite3.connect(path, timeout=30) as conn:
                return list(conn.execute(sql).fetchall())
        except sqlite3.OperationalError:
            return []

    return run


def postgres_query(url: str) -> Query:
    def run(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url, autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())

    return run


def workspace(root: Path, people: list, settle: float, workers: int) -> Path:
    init_workspace(root)
    (root / "casescan.toml").write_text(
        f"[watch]\nsettle_seconds = {settle}\npoll_seconds = 0.5\n\n[scanner]\nworkers = {workers}\n", encoding="utf-8"
    )
    import_template(find_workspace(root, environ={}), write_template(people, root / "template.csv"))
    return root


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and not path.name.endswith(REASON)]


def drop_and_wait(root: Path, corpus: list[Path], query: Query, run: Run) -> None:
    """Drop every file at once (a rename, whole), then note when each one's decision is committed."""
    staging = root / "staging"
    staging.mkdir()
    for path in corpus:
        shutil.copyfile(path, staging / path.name)
    started = time.monotonic()
    for path in corpus:
        os.rename(staging / path.name, root / "inbox" / path.name)
    seen: dict[str, float] = {}
    deadline = started + 60 * 30
    while len(seen) < len(corpus) and time.monotonic() < deadline:
        now = time.monotonic()
        for (name,) in query(f"SELECT source_file FROM scans WHERE state IN {FINAL} AND move_error IS NULL"):
            seen.setdefault(name, now)
        time.sleep(0.05)
    run.elapsed = max(seen.values()) - started
    run.latencies = [when - started for when in seen.values()]


def check(root: Path, corpus: list[Path], query: Query, run: Run) -> None:
    rows = query("SELECT state, archived_path, quarantined_path, sha256, COALESCE(pages, 0) FROM scans")
    placed = files_under(root / "archive") + files_under(root / "quarantine")
    mismatched = 0
    for state, archived, quarantined, digest, _ in rows:
        where = root / "quarantine" / quarantined if state == "quarantined" else root / "archive" / (archived or "")
        mismatched += not where.is_file() or sha256_of(where) != digest
    run.files = len(rows)
    run.pages = sum(row[4] for row in rows if row[0] == "done")
    run.gates = {
        "left in the inbox": len(files_under(root / "inbox")),
        "placed twice or not at all": abs(len(placed) - len(corpus)),
        "rows not final": sum(state not in FINAL for state, *_ in rows) + abs(len(rows) - len(corpus)),
        "case files linked twice": len(
            query("SELECT record_id FROM documents WHERE record_id IS NOT NULL GROUP BY record_id HAVING COUNT(*) > 1")
        ),
        "archived bytes not their row's": mismatched,
    }
    scans = Counter((digest, state) for state, _, _, digest, _ in rows)
    documents = Counter(
        tuple(row)
        for row in query(
            "SELECT s.sha256, d.first_page, d.last_page, d.state, COALESCE(r.case_reference, '') FROM documents d "
            "JOIN scans s ON s.id = d.scan_id LEFT JOIN records r ON r.id = d.record_id"
        )
    )
    run.decisions = scans + documents


def start(root: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(root), "watch"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=120)


def single(scratch: Path, corpus: list[Path], people: list, settle: float) -> Run:
    root = workspace(scratch, people, settle, os.cpu_count() or 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASESCAN_")}
    service = start(root, env)
    query = sqlite_query(root / "casescan.db")
    time.sleep(4)  # the service and its workers are up, as in the other runs
    run = Run("SQLite, one service")
    try:
        drop_and_wait(root, corpus, query, run)
    finally:
        stop([service])
    check(root, corpus, query, run)
    return run


def cluster(scratch: Path, corpus: list[Path], people: list, settle: float, processes: int, url: str) -> Run:
    workers = max(1, (os.cpu_count() or 1) // processes)
    root = workspace(scratch, people, settle, workers)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CASESCAN_")}, "CASESCAN_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "-w", str(root), "db", "migrate"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import_template(find_workspace(root, environ=env), root / "template.csv")
    running = [start(root, env) for _ in range(processes)]
    query = postgres_query(url)
    time.sleep(4)
    run = Run(f"PostgreSQL, {processes} process{'es' if processes > 1 else ''} x {workers} worker(s)")
    try:
        drop_and_wait(root, corpus, query, run)
    finally:
        stop(running)
    check(root, corpus, query, run)
    return run


def fastest(rounds: list[Run]) -> Run:
    """The round least slowed by other work on the machine; its gates add up every round's."""
    best = min(rounds, key=lambda run: run.elapsed)
    decisions: Counter[tuple[Any, ...]] = Counter()
    for run in rounds:
        decisions += run.decisions
    best.gates = {gate: sum(run.gates[gate] for run in rounds) for gate in best.gates}
    best.decisions = decisions
    return best


def report(runs: list[Run], reference: Run) -> None:
    base_per_file = reference.elapsed / max(reference.files, 1)
    names = ["", *[run.name for run in runs]]
    print(" | ".join(names))
    print("|".join("---" for _ in names))
    rows: list[tuple[str, Callable[[Run], str]]] = [
        ("files / min", lambda r: f"{r.files / r.elapsed * 60:.1f}"),
        ("pages / min", lambda r: f"{r.pages / r.elapsed * 60:.1f}"),
        ("speed-up over SQLite", lambda r: f"{reference.elapsed / r.elapsed:.2f}x"),
        ("drop to decision, median s", lambda r: f"{statistics.median(r.latencies):.1f}"),
        ("drop to decision, p95 s", lambda r: f"{percentile(r.latencies, 0.95):.1f}"),
        ("queue overhead per file, s", lambda r: f"{r.elapsed / max(r.files, 1) - base_per_file:+.3f}"),
        *[(gate, (lambda r, g=gate: str(r.gates[g]))) for gate in reference.gates],
        (
            "decisions not as SQLite's",
            lambda r: str(sum(((r.decisions - reference.decisions) + (reference.decisions - r.decisions)).values())),
        ),
    ]
    for label, value in rows:
        print(" | ".join([label, *[value(run) for run in runs]]))
    for run in runs[1:]:
        for decision, count in ((run.decisions - reference.decisions) + (reference.decisions - run.decisions)).items():
            print(
                f"  {run.name}: {count} x {decision[0][:12]} {decision[1:]} "
                f"({'extra' if run.decisions[decision] > reference.decisions[decision] else 'missing'})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--settle", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1, help="each kind this often, interleaved; the fastest is shown")
    args = parser.parse_args()
    people = make_people(max(200, args.files * 3), seed=16)
    server = start_server(server_binaries())
    try:
        with tempfile.TemporaryDirectory(prefix="casescan-scale-") as folder:
            scratch = Path(folder)
            make_corpus(scratch / "corpus", people, count=args.files, dpi_choices=(200, 300))
            corpus = sorted(path for path in (scratch / "corpus").iterdir() if path.is_file())[: args.files]
            print(
                f"cores: {os.cpu_count()}   settle_seconds: {args.settle}   scans: {len(corpus)} mixed "
                f"({sum(p.stat().st_size for p in corpus) / 1e6:.1f} MB)   rounds: {args.rounds} (fastest shown, "
                f"gates summed)\n"
            )
            rounds: dict[str, list[Run]] = {}
            for number in range(args.rounds):  # interleaved, so a busy minute slows every kind alike
                run = single(scratch / f"sqlite-{number}", corpus, people, args.settle)
                rounds.setdefault(run.name, []).append(run)
                for processes in args.processes:
                    name = f"scale_{processes}_{number}"
                    admin_execute(server, f'CREATE DATABASE "{name}"')
                    run = cluster(
                        scratch / f"pg{processes}-{number}", corpus, people, args.settle, processes, server.url(name)
                    )
                    rounds.setdefault(run.name, []).append(run)
            runs = [fastest(each) for each in rounds.values()]
            reference = runs[0]
            report(runs, reference)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
