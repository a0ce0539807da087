"""Files in, case files out: one file per worker process, results in the order asked for."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import DEFAULT_REFERENCE_PATTERN, Settings
from scanner.analysis import PageFinding, analyse_page
from scanner.batch import split
from scanner.errors import ScanError
from scanner.model import ScanResult
from scanner.pages import DEFAULT_MAX_PIXELS, iter_pages
from scanner.tesseract import check_language, check_tesseract

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanOptions:
    """Everything a worker needs to identify a file; small and picklable."""

    patterns: tuple[str, ...] = (DEFAULT_REFERENCE_PATTERN,)
    known_references: frozenset[str] = field(default_factory=frozenset)
    language: str = "eng"
    max_image_pixels: int = DEFAULT_MAX_PIXELS
    ocr_timeout: int = 60
    workers: int = 0


def scan_options(settings: Settings, known_references: frozenset[str] = frozenset()) -> ScanOptions:
    """ScanOptions from `config.Settings` and the template's canonical references."""
    return ScanOptions(
        patterns=tuple(settings.case_reference.patterns),
        known_references=frozenset(known_references),
        language=settings.scanner.ocr_language,
        max_image_pixels=settings.scanner.max_image_pixels,
        ocr_timeout=settings.scanner.ocr_timeout_seconds,
        workers=settings.scanner.workers,
    )


def _findings(path: Path, options: ScanOptions) -> Iterator[PageFinding]:
    """Page by page, every page checked for a cover: a batch may mix barcoded and plain covers,
    and a plain cover taken for a continuation would put its pages in someone else's case file."""
    for page in iter_pages(path, options.max_image_pixels):
        yield analyse_page(page, options.patterns, options.known_references, options.language, options.ocr_timeout)


def identify_file(path: str | Path, options: ScanOptions = ScanOptions()) -> ScanResult:
    """The case files in one scan; raises a ScanError subclass when the file cannot be read."""
    check_tesseract()
    check_language(options.language)
    path = Path(path)
    findings = list(_findings(path, options))
    case_files = split(findings)
    log.debug("event=identified file=%s", path.name)  # a file name is often the child's name: never at INFO
    log.info("event=identified pages=%d case_files=%d", len(findings), len(case_files))
    return ScanResult(path, len(findings), case_files)


def _worker_init() -> None:
    # Tesseract's OpenMP threads fight each other across processes and slow every call many times.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _identify_quietly(path: Path, options: ScanOptions) -> ScanResult | ScanError:
    try:
        return identify_file(path, options)
    except ScanError as error:
        return error


def identify_files(
    paths: Iterable[str | Path], options: ScanOptions = ScanOptions()
) -> Iterator[tuple[Path, ScanResult | ScanError]]:
    """Each file's result (or its ScanError), in input order, the files spread over all cores."""
    check_tesseract()
    check_language(options.language)
    files = [Path(p) for p in paths]
    workers = min(options.workers or os.cpu_count() or 1, max(1, len(files)))
    if workers == 1:
        _worker_init()
        for path in files:
            yield path, _identify_quietly(path, options)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        yield from zip(files, pool.map(_identify_quietly, files, [options] * len(files)), strict=False)
