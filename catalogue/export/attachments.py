"""Attachments cut from the original scans, page for page, without re-encoding a single image.

A PDF scan's pages are copied as they are (pikepdf); an image scan (TIFF, JPEG, PNG) is wrapped
losslessly (img2pdf keeps JPEG and CCITT G4 data byte for byte) and then cut the same way. Output
is deterministic — no dates, content-derived ids — so two exports of one state hash the same.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageSequence

log = logging.getLogger(__name__)
PARALLEL_FROM = 200


@dataclass(frozen=True)
class Cut:
    """Pages first..last (1-based, inclusive) of a scan, to be written to `target`."""

    document_id: int
    first_page: int
    last_page: int
    target: Path


@dataclass(frozen=True)
class CutResult:
    document_id: int
    pages: int
    sha256: str
    error: str | None = None


def _image_pdf(source: Path) -> bytes:
    """The image file as a PDF, losslessly; an alpha channel (which PDF images cannot carry) is flattened
    and the frame stored as PNG, still without loss of the visible pixels."""
    try:
        return img2pdf.convert(str(source), nodate=True)
    except img2pdf.AlphaChannelError:
        frames: list[bytes] = []
        with Image.open(source) as image:
            for frame in ImageSequence.Iterator(image):
                buffer = io.BytesIO()
                frame.convert("RGB").save(buffer, "PNG")
                frames.append(buffer.getvalue())
        return img2pdf.convert(frames, nodate=True)


def _open_scan(source: Path) -> pikepdf.Pdf:
    with source.open("rb") as handle:
        is_pdf = handle.read(1024).lstrip().startswith(b"%PDF")
    if is_pdf:
        return pikepdf.open(source)
    return pikepdf.open(io.BytesIO(_image_pdf(source)))


def _write(pdf: pikepdf.Pdf, cut: Cut) -> CutResult:
    if cut.first_page < 1 or cut.last_page > len(pdf.pages) or cut.first_page > cut.last_page:
        return CutResult(cut.document_id, 0, "", f"pages {cut.first_page}-{cut.last_page} are not in the scan "
                                                 f"({len(pdf.pages)} pages)")
    out = pikepdf.new()
    out.pages.extend(pdf.pages[cut.first_page - 1: cut.last_page])
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    data = buffer.getvalue()
    cut.target.parent.mkdir(parents=True, exist_ok=True)
    cut.target.write_bytes(data)
    return CutResult(cut.document_id, len(out.pages), hashlib.sha256(data).hexdigest())


def cut_scan(job: tuple[Path, Sequence[Cut]]) -> list[CutResult]:
    """Every case file of one scan, opening the scan once; a bad scan fails its cuts, not the export."""
    source, cuts = job
    try:
        with _open_scan(source) as pdf:
            return [_write(pdf, cut) for cut in cuts]
    except (OSError, pikepdf.PdfError, img2pdf.ImageOpenError, ValueError) as error:
        log.warning("attachment_failed source=%s error=%s", source.name, type(error).__name__)
        return [CutResult(cut.document_id, 0, "", f"cannot read the original {source}: {error}") for cut in cuts]


class Cutting:
    """Cuts running in the background while the caller writes the tables that do not need them.

    Small exports cut inline; large ones on `workers` processes, all submitted on entry.
    """

    def __init__(self, jobs: Sequence[tuple[Path, Sequence[Cut]]], workers: int) -> None:
        self.jobs = jobs
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.batches: Iterator[list[CutResult]] = iter(())

    def __enter__(self) -> "Cutting":
        if self.workers >= 1 and len(self.jobs) >= PARALLEL_FROM:
            self.pool = ProcessPoolExecutor(max_workers=self.workers)
            self.batches = self.pool.map(cut_scan, self.jobs, chunksize=64)
        else:
            self.batches = map(cut_scan, self.jobs)
        return self

    def results(self) -> Iterator[CutResult]:
        for batch in self.batches:
            yield from batch

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
