"""A stand-in scanner for tests of the watch machinery itself (pool, queue, observer, crash
recovery), where the real scanner's seconds per file would only slow the suite down. The
end-to-end tests use the real scanner on real images."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf

from catalogue.scans import decide_scan
from config.settings import Settings
from scanner import ScanOptions
from scanner.errors import UnsupportedFormat
from scanner.model import CaseFile, ScanResult
from store.links import insert_links
from tests.support.scans import POISON
from watch.pipeline import Steps, default_steps


def no_options(settings: Settings, known: frozenset[str]) -> ScanOptions:
    return ScanOptions()


def no_references(db: Any) -> frozenset[str]:
    return frozenset()


def one_page(path: Path, options: ScanOptions) -> ScanResult:
    """Any PNG is one page without a readable cover; anything else is refused."""
    if Path(path).read_bytes()[:4] != b"\x89PNG":
        raise UnsupportedFormat(f"{Path(path).name} is not an image")
    return ScanResult(Path(path), 1, (CaseFile(1, 1, None),))


def fake_steps() -> Steps:
    return Steps(one_page, no_options, no_references, decide_scan, insert_links)


def pdf_pages(path: Path, options: Any) -> ScanResult:
    """Any PDF is one case file without a readable cover, as long as it has pages: counts what it read."""
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    return ScanResult(Path(path), pages, (CaseFile(1, pages, None),))


def pdf_steps() -> Steps:
    return replace(fake_steps(), identify=pdf_pages)


class Gate:
    """A barrier across processes: the first identification after `arm()` waits until `open()`.

    It lets a test change the inbox while a worker is in the middle of a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def arm(self) -> None:
        (self.folder / "armed").touch()

    def wait_entered(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not (self.folder / "entered").exists():
            if time.monotonic() > deadline:
                raise AssertionError("no worker reached the gate")
            time.sleep(0.02)

    def open(self) -> None:
        (self.folder / "open").touch()

    def pass_through(self) -> None:
        try:
            os.rename(self.folder / "armed", self.folder / "entered")  # only one worker wins the gate
        except FileNotFoundError:
            return
        deadline = time.monotonic() + 120
        while not (self.folder / "open").exists() and time.monotonic() < deadline:
            time.sleep(0.02)


def gated_steps(folder: Path, scanner: str = "fake") -> Steps:
    """Steps whose identification waits at the gate in `folder`; `scanner` is fake, pdf or real."""
    base = {"fake": fake_steps, "pdf": pdf_steps, "real": default_steps}[scanner]()
    gate = Gate(folder)

    def identify(path: Path, options: Any) -> Any:
        gate.pass_through()
        return base.identify(path, options)

    return replace(base, identify=identify)


def _dies_on_poison(path: Path, options: Any) -> ScanResult:
    """Kills its own worker half a second into a file carrying `scans.POISON` (as a crash in a C
    library would); takes eight seconds on any other, which is in hand when the worker dies."""
    if POISON.encode() in Path(path).read_bytes():
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(8.0)
    return one_page(path, options)


def poison_steps() -> Steps:
    return replace(fake_steps(), identify=_dies_on_poison)


def slow_one_page(path: Path, options: Any) -> ScanResult:
    """`one_page`, taking a third of a second: files stay in hand while others wait their turn."""
    time.sleep(0.3)
    return one_page(path, options)


def slow_steps() -> Steps:
    return replace(fake_steps(), identify=slow_one_page)
