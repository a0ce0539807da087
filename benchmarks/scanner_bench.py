"""Scanner benchmark: the casescan scanner against the naive baseline, on the same corpus, in one run.

Run: .venv/bin/python -m benchmarks.scanner_bench [--count 40] [--big-pages 300]
Prints references right, case files split right, names and dates of birth right, median seconds
per case file, pages per minute, where the time goes (median per page of each kind), peak memory
for a big batch, and the speed ratios. Targets are in issue 3.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._naive import naive_identify  # noqa: E402
from catalogue.template import name_key  # noqa: E402
from scanner import ScanOptions, identify_file, iter_pages  # noqa: E402
from scanner.analysis import analyse_page  # noqa: E402
from synthetic.corpus import make_corpus  # noqa: E402
from synthetic.files import write_pdf  # noqa: E402
from synthetic.pages import draw_continuation, draw_cover  # noqa: E402
from synthetic.people import make_people  # noqa: E402

Row = tuple  # (first page, last page, reference), and for casescan the name and date of birth read


def _cpu_seconds() -> float:
    """This process's CPU time and its finished children's (the naive baseline runs tesseract and
    pdftoppm as programs): steadier than wall time when others share the machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _ours(path: Path, options: ScanOptions) -> tuple[list[Row], float, float]:
    start, cpu = time.perf_counter(), _cpu_seconds()
    result = identify_file(path, options)
    rows = [(c.first_page, c.last_page, c.cover.case_reference, c.cover.fields.name, c.cover.fields.date_of_birth)
            if c.cover else (c.first_page, c.last_page, None, None, None) for c in result.case_files]
    return rows, time.perf_counter() - start, _cpu_seconds() - cpu


def _naive(path: Path) -> tuple[list[Row], float, float]:
    start, cpu = time.perf_counter(), _cpu_seconds()
    rows = naive_identify(path)
    return rows, time.perf_counter() - start, _cpu_seconds() - cpu


def _run(which: str, path: Path, options: ScanOptions) -> tuple[list[Row], float, float]:
    return _ours(path, options) if which == "ours" else _naive(path)


def _init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _fields(truth: list, results: list[tuple[list[Row], float, float]]) -> dict[str, float]:
    """Names and dates of birth read right (%), of those the covers print: the evidence the link
    decision weighs, so no speed-up may cost it. Names compare as the catalogue compares them."""
    right = {"name": 0, "dob": 0}
    shown = {"name": 0, "dob": 0}
    for scan, (rows, _, _) in zip(truth, results):
        for got, exp in zip(rows, scan.case_files):
            if exp.name is not None:
                shown["name"] += 1
                right["name"] += name_key(got[3]) == name_key(exp.name)
            if exp.date_of_birth is not None:
                shown["dob"] += 1
                right["dob"] += got[4] == exp.date_of_birth
    return {field: 100 * right[field] / max(1, shown[field]) for field in right}


def _score(truth: list, results: list[tuple[list[Row], float, float]]) -> dict[str, float]:
    refs_right = files_total = split_right = batches = 0
    per_file: list[float] = []
    per_file_barcode: list[float] = []
    per_file_cpu: list[float] = []
    for scan, (rows, seconds, cpu) in zip(truth, results):
        want = [(c.first_page, c.last_page, c.case_reference) for c in scan.case_files]
        files_total += len(want)
        refs_right += sum(1 for got, exp in zip(rows, want) if got[:3] == exp)
        batches += 1
        split_right += [r[:2] for r in rows] == [w[:2] for w in want]
        per_file += [seconds / len(want)] * len(want)
        per_file_cpu += [cpu / len(want)] * len(want)
        if scan.variation.startswith("barcode-"):
            per_file_barcode.append(seconds / len(want))
    pages = sum(scan.pages for scan in truth)
    total = sum(seconds for _, seconds, _ in results)
    return {
        "refs": 100 * refs_right / files_total, "split": 100 * split_right / batches,
        "median": statistics.median(per_file), "barcode": statistics.median(per_file_barcode or [0.0]),
        "ppm": 60 * pages / total, "files": files_total, "cpu": statistics.median(per_file_cpu),
    }


def _page_kinds(paths: list[Path], options: ScanOptions) -> dict[str, float]:
    """Median milliseconds `analyse_page` spends on each kind of page, one page at a time: where a
    case file's time goes."""
    times: dict[str, list[float]] = {"continuation": [], "cover (OCR)": [], "cover (barcode)": []}
    for path in paths:
        for page in iter_pages(path, options.max_image_pixels):
            start = time.perf_counter()
            found = analyse_page(page, options.patterns, options.known_references, options.language, options.ocr_timeout)
            kind = "cover (barcode)" if found.barcode else "cover (OCR)" if found.cover else "continuation"
            times[kind].append(1000 * (time.perf_counter() - start))
    return {kind: statistics.median(values) for kind, values in times.items() if values}


def _kinds_alone(paths: list[Path], options: ScanOptions) -> dict[str, float]:
    with ProcessPoolExecutor(1, initializer=_init) as pool:
        return pool.submit(_page_kinds, paths, options).result()


def _big_batch(directory: Path, pages: int) -> Path:
    people = make_people(pages // 4 + 1, seed=7)

    def generate():
        for index in range(pages):
            person = people[index // 4]
            if index % 4 == 0:
                yield draw_cover(person, "labelled", 200, barcode=None if index < 8 else "qr")
            else:
                yield draw_continuation(index % 4, 200)

    return write_pdf(generate(), directory / "big-batch.pdf", 200)


def _measured(path: Path, options: ScanOptions) -> tuple[float, float]:
    _, seconds, _ = _ours(path, options)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, seconds


def _peak_memory_mb(path: Path, options: ScanOptions) -> tuple[float, float]:
    """Identify in a freshly spawned process; its own peak resident memory (MB) and the time taken."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_init) as pool:
        return pool.submit(_measured, path, options).result()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40, help="case files in the corpus (at least 40)")
    parser.add_argument("--big-pages", type=int, default=300, help="pages in the memory-test batch")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        people = make_people(60, seed=0)
        truth = make_corpus(directory / "corpus", people, seed=0, count=args.count)
        options = ScanOptions(known_references=frozenset(p.case_reference for p in people))
        paths = [scan.path for scan in truth]
        # Each file by both pipelines side by side in the same pool, so both meet the same load.
        jobs = [(which, path) for path in paths for which in ("ours", "naive")]
        with ProcessPoolExecutor(2, initializer=_init) as pool:
            done = list(pool.map(_run, [w for w, _ in jobs], [p for _, p in jobs], [options] * len(jobs)))
        ours, naive = done[0::2], done[1::2]
        mine, base, fields = _score(truth, ours), _score(truth, naive), _fields(truth, ours)
        kinds = _kinds_alone(paths, options)
        memory, big_seconds = _peak_memory_mb(_big_batch(directory, args.big_pages), options)
    print(f"corpus: {len(truth)} files, {mine['files']:.0f} case files, {sum(s.pages for s in truth)} pages")
    print(f"{'':28s}{'casescan':>12s}{'naive':>12s}")
    print(f"{'references right (%)':28s}{mine['refs']:12.1f}{base['refs']:12.1f}")
    print(f"{'case files split right (%)':28s}{mine['split']:12.1f}{base['split']:12.1f}")
    print(f"{'names right (%)':28s}{fields['name']:12.1f}{'-':>12s}")
    print(f"{'dates of birth right (%)':28s}{fields['dob']:12.1f}{'-':>12s}")
    print(f"{'median s per case file':28s}{mine['median']:12.3f}{base['median']:12.3f}")
    print(f"{'median CPU s per case file':28s}{mine['cpu']:12.3f}{base['cpu']:12.3f}")
    print(f"{'median s, barcode covers':28s}{mine['barcode']:12.3f}{base['barcode']:12.3f}")
    print(f"{'pages per minute (1 core)':28s}{mine['ppm']:12.1f}{base['ppm']:12.1f}")
    print(f"speed ratio per case file: {base['median'] / mine['median']:.1f}x; barcode covers: "
          f"{base['barcode'] / max(mine['barcode'], 1e-9):.1f}x; CPU per case file: {base['cpu'] / mine['cpu']:.1f}x")
    print("median ms per page, casescan: " + ", ".join(f"{kind} {ms:.0f}" for kind, ms in kinds.items())
          + f"; naive: every page {60_000 / base['ppm']:.0f}")
    print(f"peak memory, {args.big_pages}-page batch: {memory:.0f} MB ({big_seconds:.1f} s, "
          f"{60 * args.big_pages / big_seconds:.0f} pages/min)")


if __name__ == "__main__":
    main()
