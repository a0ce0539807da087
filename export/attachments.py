"""Attachments cut from the original scans, page for page, without re-encoding a single image.

A PDF scan's pages are copied as they are (pikepdf); an image scan (TIFF, JPEG, PNG) is wrapped
losslessly (img2pdf keeps JPEG and CCITT G4 data byte for byte) and then cut the same way. An
image identification could read can always be wrapped: what img2pdf refuses, or would show
otherwise than a viewer, is decoded by the scanner's own decoder instead. Output is
deterministic — no dates, content-derived ids — so two exports of one state hash the same.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from scanner.decoding import EXIF_ORIENTATION, frames_as_seen, has_transparency
from scanner.errors import ScanError, UnsupportedFormat
from scanner.formats import FileKind, kind_of
from scanner.pages import DEFAULT_MAX_PIXELS, POINTS_PER_INCH, frame_dpi, points_per_inch

log = logging.getLogger(__name__)
PARALLEL_FROM = 200
_IMG2PDF_REFUSALS = (
    img2pdf.AlphaChannelError,
    img2pdf.ExifOrientationError,
    img2pdf.UnsupportedColorspaceError,
    img2pdf.JpegColorspaceError,
    img2pdf.ImageOpenError,
    ValueError,
)


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
    """The image file as a PDF whose pages look as identification saw them, at the resolution it
    judged (`scanner.decoding`). What img2pdf embeds faithfully (JPEG, CCITT G4, 8-bit PNG) stays
    byte for byte; anything else (transparency, 16-bit TIFF, EXIF orientation outside a JPEG) is
    decoded as identification decodes it and stored as PNG, losing nothing a viewer shows."""
    with Image.open(source) as image:
        dpis = list(_frame_dpis(image))
        as_stored = all(_img2pdf_shows_as_seen(image, index) for index in range(len(dpis)))
    if as_stored:
        try:
            return img2pdf.convert(str(source), nodate=True, layout_fun=_layout(dpis))
        except _IMG2PDF_REFUSALS:
            pass
    frames: list[bytes] = []
    with Image.open(source) as image:
        for frame, dpi in frames_as_seen(image, DEFAULT_MAX_PIXELS, source.name):
            buffer = io.BytesIO()
            frame.save(buffer, "PNG", dpi=(dpi, dpi))
            frames.append(buffer.getvalue())
    return img2pdf.convert(frames, nodate=True, rotation=img2pdf.Rotation.none, layout_fun=_layout(dpis))


def _img2pdf_shows_as_seen(image: Image.Image, index: int) -> bool:
    """Whether img2pdf's page for this frame looks as `scanner.decoding` shows it. img2pdf keeps
    transparency as a soft mask (and loses a palette's transparent entry), and follows an EXIF
    orientation only in a JPEG, and only a turn: such frames are decoded instead."""
    image.seek(index)
    orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    turned_jpeg = image.format == "JPEG" and orientation in (3, 6, 8)
    return not has_transparency(image) and (orientation == 1 or turned_jpeg)


def _frame_dpis(image: Image.Image) -> Iterator[float]:
    for index in range(getattr(image, "n_frames", 1)):
        yield frame_dpi(image, index)


def _layout(dpis: Sequence[float]) -> Callable[[int, int, tuple[float, float]], tuple[float, float, float, float]]:
    """img2pdf's page size for each frame in turn, from the resolution identification judged."""
    pending = iter(dpis)

    def layout(width_px: int, height_px: int, stored: tuple[float, float]) -> tuple[float, float, float, float]:
        """A fax's pixels stay as tall as its resolution down says (204 × 98 dpi: twice as tall)."""
        dpi = next(pending)
        aspect = stored[1] / stored[0] if min(stored) > 0 else 1.0
        width, height = width_px * 72 / dpi, height_px * 72 / (dpi * aspect)
        return width, height, width, height

    return layout


def _open_scan(source: Path) -> pikepdf.Pdf:
    kind = kind_of(source)
    if kind is FileKind.PDF:
        return pikepdf.open(source)
    if kind is FileKind.OTHER:
        raise UnsupportedFormat(f"{source}: not a PDF, TIFF, JPEG or PNG")
    return pikepdf.open(io.BytesIO(_image_pdf(source)))


def _write(pdf: pikepdf.Pdf, cut: Cut) -> CutResult:
    if cut.first_page < 1 or cut.last_page > len(pdf.pages) or cut.first_page > cut.last_page:
        return CutResult(
            cut.document_id,
            0,
            "",
            f"pages {cut.first_page}-{cut.last_page} are not in the scan ({len(pdf.pages)} pages)",
        )
    out = pikepdf.new()
    out.pages.extend(pdf.pages[cut.first_page - 1 : cut.last_page])
    for page in out.pages:
        _as_paper(page)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    data = buffer.getvalue()
    cut.target.parent.mkdir(parents=True, exist_ok=True)
    cut.target.write_bytes(data)
    return CutResult(cut.document_id, len(out.pages), hashlib.sha256(data).hexdigest())


def _as_paper(page: pikepdf.Page) -> None:
    """A page stated larger than A3 in a paper's shape shrunk to that paper, as identification
    reads it (`scanner.pages.points_per_inch`): a tool that wrapped a 300 dpi A4 scan as if it
    were 72 dpi wrote an 875 x 1238 mm page, which the new system would print as such. Its
    drawing is scaled, not its images: no byte of a scan is re-encoded."""
    left, bottom, right, top = (float(v) for v in page.mediabox)
    factor = POINTS_PER_INCH / points_per_inch(right - left, top - bottom)
    if factor == 1:
        return
    for box in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if box in page.obj:
            del page.obj[box]
    page.contents_add(
        f"q {factor:.6f} 0 0 {factor:.6f} {-left * factor:.4f} {-bottom * factor:.4f} cm ".encode(), prepend=True
    )
    page.contents_add(b" Q")
    page.mediabox = pikepdf.Array([0, 0, (right - left) * factor, (top - bottom) * factor])


def cut_scan(job: tuple[Path, Sequence[Cut]]) -> list[CutResult]:
    """Every case file of one scan, opening the scan once; a bad scan fails its cuts, not the export."""
    source, cuts = job
    try:
        with _open_scan(source) as pdf:
            return [_write(pdf, cut) for cut in cuts]
    except (OSError, pikepdf.PdfError, img2pdf.ImageOpenError, ValueError, ScanError) as error:
        log.warning("attachment_failed error=%s", type(error).__name__)
        log.debug("attachment_failed source=%s", source.name)
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

    def __enter__(self) -> Cutting:
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
