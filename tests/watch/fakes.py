"""A stand-in scanner for tests of the watch machinery itself (pool, queue, observer, crash
recovery), where the real scanner's seconds per file would only slow the suite down. The
end-to-end tests use the real scanner on real images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalogue.linking import decide_scan
from catalogue.store.documents import insert_links
from scanner.errors import UnsupportedFormat
from scanner.model import CaseFile, ScanResult
from watch.pipeline import Steps


def no_options(settings: Any, known: frozenset[str]) -> None:
    return None


def no_references(db: Any) -> frozenset[str]:
    return frozenset()


def one_page(path: Path, options: Any) -> ScanResult:
    """Any PNG is one page without a readable cover; anything else is refused."""
    if Path(path).read_bytes()[:4] != b"\x89PNG":
        raise UnsupportedFormat(f"{Path(path).name} is not an image")
    return ScanResult(Path(path), 1, (CaseFile(1, 1, None),))


def fake_steps() -> Steps:
    return Steps(one_page, no_options, no_references, decide_scan, insert_links)
