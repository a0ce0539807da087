"""Scanner benchmark: the casescan scanner against the naive baseline, on the same corpus, in one run.

Run: .venv/bin/python -m benchmarks.scanner_bench [--count 60] [--seeds 0,1] [--big-pages 300]
For each seed (the first is the one thresholds were tuned on, the others are held out) it prints
references right, covers missed, case files holding another case file's cover, wrong automatic
links (the catalogue's own decision run on the scanner's output against the corpus's template),
case files split right, names and dates of birth right, median seconds per case file, the ratio
to the naive baseline, and where the time goes (per kind of page, and what covers alone cost per
case file: the ratio's ceiling however cheaply continuation pages were classified); then, once,
pages per minute on the real scanned continuation pages and what triage made of them, and issue
12's 300-page batch of plain boxed front sheets: covers found and peak memory, and the ratio on its
first 60 pages (case files of six pages, as the issue draws them). Targets are in issues 3 and 12.
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

from benchmarks._naive import naive_identify
from benchmarks._safety import Safety, real_pages_report, safety
from records.template import name_key
from scanner import ScanOptions, identify_file, iter_pages
from scanner.analysis import analyse_page
from scanner.model import CaseFile
from synthetic.corpus import make_corpus
from synthetic.files import write_pdf
from synthetic.pages import draw_continuation, draw_cover
from synthetic.people import make_people

Row = tuple  # (first page, last page, reference), and for casescan the name and date of birth read


def _cpu_seconds() -> float:
    """This process's CPU time and its finished children's (the naive baseline runs tesseract and
    pdftoppm as programs): steadier than wall time when others share the machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


Run = tuple[list[Row], float, float, tuple[CaseFile, ...]]  # rows, seconds, CPU seconds, case files


def _ours(path: Path, options: ScanOptions) -> Run:
    start, cpu = time.perf_counter(), _cpu_seconds()
    result = identify_file(path, options)
    rows = [
        (c.first_page, c.last_page, c.cover.case_reference, c.cover.fields.name, c.cover.fields.date_of_birth)
        if c.cover
        else (c.first_page, c.last_page, None, None, None)
        for c in result.case_files
    ]
    return rows, time.perf_counter() - start, _cpu_seconds() - cpu, tuple(result.case_files)


def _naive(path: Path) -> Run:
    start, cpu = time.perf_counter(), _cpu_seconds()
    rows = naive_identify(path)
    return rows, time.perf_counter() - start, _cpu_seconds() - cpu, ()


def _run(which: str, path: Path, options: ScanOptions) -> Run:
    return _ours(path, options) if which == "ours" else _naive(path)


def _init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _fields(truth: list, results: list[Run]) -> dict[str, float]:
    """Names and dates of birth read right (%), of those the covers print: the evidence the link
    decision weighs, so no speed-up may cost it. Names compare as the catalogue compares them."""
    right = {"name": 0, "dob": 0}
    shown = {"name": 0, "dob": 0}
    for scan, (rows, _, _, _) in zip(truth, results, strict=False):
        for got, exp in zip(rows, scan.case_files, strict=False):
            if exp.name is not None:
                shown["name"] += 1
                right["name"] += name_key(got[3]) == name_key(exp.name)
            if exp.date_of_birth is not None:
                shown["dob"] += 1
                right["dob"] += got[4] == exp.date_of_birth
    return {field: 100 * right[field] / max(1, shown[field]) for field in right}


def _score(truth: list, results: list[Run]) -> dict[str, float]:
    refs_right = files_total = split_right = batches = 0
    per_file: list[float] = []
    per_file_barcode: list[float] = []
    per_file_cpu: list[float] = []
    for scan, (rows, seconds, cpu, _) in zip(truth, results, strict=False):
        want = [(c.first_page, c.last_page, c.case_reference) for c in scan.case_files]
        files_total += len(want)
        refs_right += sum(1 for got, exp in zip(rows, want, strict=False) if got[:3] == exp)
        batches += 1
        split_right += [r[:2] for r in rows] == [w[:2] for w in want]
        per_file += [seconds / len(want)] * len(want)
        per_file_cpu += [cpu / len(want)] * len(want)
        if scan.variation.startswith("barcode-"):
            per_file_barcode.append(seconds / len(want))
    pages = sum(scan.pages for scan in truth)
    total = sum(run[1] for run in results)
    return {
        "refs": 100 * refs_right / files_total,
        "split": 100 * split_right / batches,
        "median": statistics.median(per_file),
        "barcode": statistics.median(per_file_barcode or [0.0]),
        "ppm": 60 * pages / total,
        "files": files_total,
        "cpu": statistics.median(per_file_cpu),
    }


def _page_kinds(paths: list[Path], options: ScanOptions) -> tuple[dict[str, float], list[float]]:
    """Median milliseconds `analyse_page` spends on each kind of page, one page at a time: where a
    case file's time goes; and for each file the CPU seconds its covers alone took, the least a
    case file can cost however cheaply its continuation pages were classified."""
    times: dict[str, list[float]] = {"continuation": [], "cover (OCR)": [], "cover (barcode)": []}
    covers: list[float] = []
    for path in paths:
        spent = 0.0
        for page in iter_pages(path, options.max_image_pixels):
            start, cpu = time.perf_counter(), time.process_time()
            found = analyse_page(
                page, options.patterns, options.known_references, options.language, options.ocr_timeout
            )
            kind = "cover (barcode)" if found.barcode else "cover (OCR)" if found.cover else "continuation"
            times[kind].append(1000 * (time.perf_counter() - start))
            spent += time.process_time() - cpu if found.cover else 0.0
        covers.append(spent)
    return {kind: statistics.median(values) for kind, values in times.items() if values}, covers


def _kinds_alone(paths: list[Path], options: ScanOptions) -> tuple[dict[str, float], list[float]]:
    with ProcessPoolExecutor(1, initializer=_init) as pool:
        return pool.submit(_page_kinds, paths, options).result()


def _covers_alone(truth: list, covers: list[float]) -> float:
    """Median CPU seconds per case file spent on covers alone."""
    return statistics.median(
        cpu / len(scan.case_files) for scan, cpu in zip(truth, covers, strict=False) for _ in scan.case_files
    )


def _big_batch(directory: Path, pages: int) -> tuple[Path, list[int]]:
    """Issue 12's batch: plain boxed front sheets (Liberation Serif in a ruled table on grey paper)
    at 300 dpi, six pages to a case file, a QR code on every other cover; and where covers are."""
    people = make_people(pages // 6 + 1, seed=7)

    def generate():
        for index in range(pages):
            person = people[index // 6]
            if index % 6 == 0:
                yield draw_cover(person, "diocesan-table", 300, barcode="qr" if index % 12 else None)
            else:
                yield draw_continuation(index % 6 + index // 6, 300)

    return write_pdf(generate(), directory / "big-batch.pdf", 300), list(range(1, pages + 1, 6))


def _thick_files_ratio(directory: Path, options: ScanOptions, pages: int = 60) -> tuple[float, float]:
    """CPU seconds per case file, casescan and naive, on case files of the issue's own shape (a
    cover and five pages behind it, the first `pages` of the big batch): the corpus's case files
    hold two pages on average, real ones many more, and the ratio grows with the pages behind a cover."""
    (directory / "thick").mkdir()
    path, _ = _big_batch(directory / "thick", pages)
    with ProcessPoolExecutor(2, initializer=_init) as pool:
        ours, naive = pool.map(_run, ("ours", "naive"), (path, path), (options, options))
    files = pages / 6
    return ours[2] / files, naive[2] / files


def _measured(path: Path, options: ScanOptions) -> tuple[float, float, list[int]]:
    rows, seconds, _, _ = _ours(path, options)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, seconds, [row[0] for row in rows if row[2]]


def _peak_memory_mb(path: Path, options: ScanOptions) -> tuple[float, float, list[int]]:
    """Identify in a freshly spawned process; its own peak resident memory (MB), the time taken,
    and the first page of every case file whose reference was read."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_init) as pool:
        return pool.submit(_measured, path, options).result()


def _seed(
    directory: Path, seed: int, count: int
) -> tuple[dict, dict, dict[str, float], Safety, dict[str, float], float]:
    """One corpus, both pipelines side by side in the same pool, so both meet the same load."""
    people = make_people(60, seed=seed)
    truth = make_corpus(directory / f"corpus-{seed}", people, seed=seed, count=count)
    options = ScanOptions(known_references=frozenset(p.case_reference for p in people))
    paths = [scan.path for scan in truth]
    jobs = [(which, path) for path in paths for which in ("ours", "naive")]
    with ProcessPoolExecutor(2, initializer=_init) as pool:
        done = list(pool.map(_run, [w for w, _ in jobs], [p for _, p in jobs], [options] * len(jobs)))
    ours, naive = done[0::2], done[1::2]
    checked = safety(truth, [run[3] for run in ours], people, options.patterns)
    kinds, covers = _kinds_alone(paths, options)
    return _score(truth, ours), _score(truth, naive), _fields(truth, ours), checked, kinds, _covers_alone(truth, covers)


def _print_seed(
    seed: int,
    role: str,
    mine: dict,
    base: dict,
    fields: dict[str, float],
    checked: Safety,
    kinds: dict[str, float],
    covers_alone: float,
) -> None:
    print(
        f"seed {seed} ({role}): {checked.files} files, {mine['files']:.0f} case files, {checked.pages} pages "
        f"({checked.real_pages} real)"
    )
    print(f"{'':36s}{'casescan':>12s}{'naive':>12s}")
    print(f"{'references right (%)':36s}{mine['refs']:12.1f}{base['refs']:12.1f}")
    print(f"{'covers missed':36s}{checked.covers_missed:12d}{'-':>12s}")
    print(f"{'case files holding another cover':36s}{checked.holding_another:12d}{'-':>12s}")
    print(f"{'wrong automatic links':36s}{checked.wrong_links:12d}{'-':>12s}")
    print(f"{'linked automatically / to review':36s}{f'{checked.linked} / {checked.to_review}':>12s}{'-':>12s}")
    print(f"{'case files split right (%)':36s}{mine['split']:12.1f}{base['split']:12.1f}")
    print(f"{'names right (%)':36s}{fields['name']:12.1f}{'-':>12s}")
    print(f"{'dates of birth right (%)':36s}{fields['dob']:12.1f}{'-':>12s}")
    print(f"{'median s per case file':36s}{mine['median']:12.3f}{base['median']:12.3f}")
    print(f"{'median CPU s per case file':36s}{mine['cpu']:12.3f}{base['cpu']:12.3f}")
    print(f"{'pages per minute (1 core)':36s}{mine['ppm']:12.1f}{base['ppm']:12.1f}")
    print(
        f"ratio to naive per case file: {base['median'] / mine['median']:.1f}x; barcode covers: "
        f"{base['barcode'] / max(mine['barcode'], 1e-9):.1f}x; CPU per case file: {base['cpu'] / mine['cpu']:.1f}x"
    )
    print(
        "median ms per page, casescan: "
        + ", ".join(f"{kind} {ms:.0f}" for kind, ms in kinds.items())
        + f"; naive: every page {60_000 / base['ppm']:.0f}"
    )
    print(
        f"covers alone: median CPU s per case file {covers_alone:.3f}; were continuation pages free, the ratio "
        f"would be at most {base['cpu'] / covers_alone:.1f}x"
    )
    for line in checked.details:
        print("  " + line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=60, help="case files in each corpus (at least 40)")
    parser.add_argument(
        "--seeds", default="0,1", help="corpus seeds: the first was used for tuning, the rest are held out"
    )
    parser.add_argument("--big-pages", type=int, default=300, help="pages in the memory-test batch (0: skip)")
    args = parser.parse_args(argv)
    seeds = [int(seed) for seed in args.seeds.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for number, seed in enumerate(seeds):
            _print_seed(seed, "tuning" if number == 0 else "held out", *_seed(directory, seed, args.count))
            print(flush=True)
        for line in real_pages_report(ScanOptions()):
            print(line)
        if args.big_pages:
            ours, naive = _thick_files_ratio(directory, ScanOptions())
            print(
                f"case files of six pages (a boxed front sheet and five pages): CPU s per case file "
                f"{ours:.3f}, naive {naive:.3f}, ratio {naive / ours:.1f}x"
            )
            path, covers = _big_batch(directory, args.big_pages)
            memory, big_seconds, read = _peak_memory_mb(path, ScanOptions())
            print(
                f"{args.big_pages}-page batch of plain boxed front sheets (300 dpi): covers found and read "
                f"{len(set(read) & set(covers))} of {len(covers)}, other case files {len(set(read) - set(covers))}; "
                f"peak memory {memory:.0f} MB ({big_seconds:.1f} s, {60 * args.big_pages / big_seconds:.0f} pages/min)"
            )


if __name__ == "__main__":
    main()
