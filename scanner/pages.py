"""Pages out of PDF, TIFF, JPEG and PNG files, one at a time, greyscale, at the resolution asked.

A batch is never held in memory: `iter_pages` yields each page and forgets it. A page is decoded
only as finely as it is looked at: most pages of a batch are only ever looked at small, a JPEG
shrinks while it decodes (DCT scaling) and pdfium renders a small page for a quarter of the
cost. PDFs are rendered by pdfium (3-4× faster than pdftoppm) straight to greyscale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TypeVar

import pypdfium2 as pdfium
from PIL import Image

from scanner.colour import has_coloured_ink, without_coloured_ink
from scanner.decoding import frame_as_seen, page_dpi, page_readings
from scanner.errors import EncryptedPdf, ImageTooLarge, ScanError, UnreadableScan, UnsupportedFormat
from scanner.formats import FileKind, kind_of
from scanner.imaging import scaled
from scanner.noise import REFERENCE_DPI, grainy, smoothed
from scanner.paper import dpi_by_shape, likeliest_reading, plausible_dpi, scale_doubt, scale_readings
from scanner.pdfimage import colourless, embedded_jpeg
from scanner.textsize import core_height

log = logging.getLogger(__name__)
WORKING_DPI = 200
POINTS_PER_INCH = 72.0
DEFAULT_MAX_PIXELS = 180_000_000
MEASURE_DPI = 100  # the resolution `scanner.textsize` is calibrated at
Decoder = Callable[[float], tuple[Image.Image, float]]  # dpi wanted -> (image at that dpi or more, its dpi)
# The resolutions a page may truly have, as multiples of the one its decoder goes by, likeliest first.
Readings = Callable[[], tuple[float, ...]]
T = TypeVar("T")


@dataclass(frozen=True)
class Colour:
    """A page's colour, when its file may hold some: whether it does (cheap: a PDF page's image
    header, an image file's mode), and its decoder in "RGB"."""

    possible: Callable[[], bool]
    decode: Decoder


def _as_stated() -> tuple[float, ...]:
    return (1.0,)


def _fixed(reading: float) -> tuple[float, ...]:
    return (reading,)


class Page:
    """One page of the scan `iter_pages` is on; readable until the iteration moves on.

    `doubt` says why the page may hide a cover whatever it shows (its text too small or too large
    to read at any resolution its file or size suggests: `scanner.paper.scale_doubt`); it is
    known once the page has been decoded."""

    def __init__(
        self, number: int, decode: Decoder, readings: Readings = _as_stated, colour: Colour | None = None
    ) -> None:
        self.number = number  # 1-based
        self.doubt: str | None = None
        self._decode = decode
        self._readings = readings
        self._colour = colour
        self._factor: float | None = None
        self._decoded: list[tuple[Image.Image, float]] = []
        self._copies: dict[float, Image.Image] = {}

    def _as_decoded(self, dpi: float) -> tuple[Image.Image, float]:
        """The page decoded for `dpi` by its decoder's reckoning. A finer decode already made
        serves: a JPEG decodes at full size for any resolution its DCT scaling cannot reach, and
        decoding it twice costs ~25 ms."""
        finer = [done for done in self._decoded if done[1] >= dpi * 0.9]
        if finer:
            return min(finer, key=lambda done: done[1])
        image, native = self._decode(dpi)
        if grainy(image, native):
            if native < REFERENCE_DPI * 0.9:
                # Decoded coarse (a JPEG's 100 dpi copy made while it decodes), the grain is already
                # averaged into the print: smoothed at 200 dpi and then scaled, it reads.
                image, native = self._decode(REFERENCE_DPI)
            image = smoothed(image, native)
        done = (image, native)
        self._decoded.append(done)
        return done

    def scale(self) -> float:
        """How many times the decoder's resolution the page's true one is: 1 unless its header and
        its pixel size disagree, and then what its text says (`scanner.paper.likeliest_reading`),
        each reading's copy measured at `MEASURE_DPI` by that reading."""
        if self._factor is None:
            readings = self._readings()
            if len(readings) == 1:
                self._factor = readings[0]
                return self._factor
            cores = []
            for reading in readings:
                image, dpi = self._as_decoded(MEASURE_DPI / reading)
                height = core_height(scaled(image, dpi, MEASURE_DPI / reading))
                cores.append(None if height is None else height / MEASURE_DPI * POINTS_PER_INCH)
            best = likeliest_reading(cores)
            self._factor, self.doubt = readings[best], scale_doubt(cores[best])
            log.debug("event=scale page=%d readings=%s text=%s chose=%d", self.number, readings, cores, best)
        return self._factor

    def other_readings(self) -> list[Page]:
        """This page at each other resolution its header and its pixel size allow, the text's
        choice left out: the text may choose wrong (a big heading over small labels), and a
        cover read at the wrong size shows nothing."""
        chosen = self.scale()
        return [Page(self.number, self._decode, partial(_fixed, r)) for r in self._readings() if r != chosen]

    def magnified(self, times: float) -> Page:
        """This page read as if printed `times` larger: print too small to read at the
        resolutions the scanner reads at becomes readable, from the scan's own pixels."""
        return Page(self.number, self._decode, partial(_fixed, self.scale() / times))

    def without_coloured_ink(self) -> Page | None:
        """This page, at the scale chosen for it, with its coloured ink made paper (a stamp or a
        highlighter across the fields: `scanner.colour`), or None when it holds too little: most
        scans are grey or black and white, and most colour pages hold no stamp."""
        if self._colour is None or not self._colour.possible():
            return None
        factor = self.scale()
        decode = cache(self._colour.decode)  # the check's copy is the dropped page's triage copy
        image, native = decode(MEASURE_DPI / factor)
        if not has_coloured_ink(scaled(image, native, MEASURE_DPI / factor)):  # an image file's frame is full size
            return None
        return Page(self.number, partial(_dropped, decode), partial(_fixed, factor))

    def decoded(self, dpi: float) -> tuple[Image.Image, float]:
        """(the page as decoded for `dpi`, at that resolution or finer and not yet scaled; its
        resolution), the resolution judged by `_scale`."""
        factor = self.scale()
        image, native = self._as_decoded(dpi / factor)
        return image, native * factor

    def at(self, dpi: float) -> Image.Image:
        """The page, greyscale, at `dpi`; decoded once for each resolution asked for."""
        if dpi not in self._copies:
            image, native = self.decoded(dpi)
            self._copies[dpi] = scaled(image, native, dpi)
        return self._copies[dpi]

    def at_most(self, dpi: float) -> tuple[Image.Image, float]:
        """(the page at `dpi`, or at its own resolution when that is lower, and the resolution given).

        An enlarged copy shows a barcode no better than the scan does, and costs the square of the
        factor: a 100 dpi page searched "at 300 dpi" took nine times the pixels for nothing."""
        if dpi in self._copies:
            return self._copies[dpi], dpi
        image, native = self.decoded(dpi)
        if native < dpi * 0.9:
            self._copies.setdefault(native, image)
            return self._copies[native], native
        self._copies[dpi] = scaled(image, native, dpi)
        return self._copies[dpi], dpi


def sniff(path: Path) -> FileKind:
    """The kind of scan at `path` (see `scanner.formats`). Raises UnreadableScan (missing, a folder,
    no permission, empty) or UnsupportedFormat (not a PDF, TIFF, JPEG or PNG)."""
    try:
        kind = kind_of(path)
    except IsADirectoryError:
        raise UnreadableScan(f"{path}: is a folder, not a scan; name the files in it, e.g. '{path}/*.pdf'.") from None
    except FileNotFoundError:
        if any(wildcard in path.name for wildcard in "*?["):  # the shell passes on a pattern that matched nothing
            raise UnreadableScan(f"{path}: no file matches this pattern; check the folder and the pattern.") from None
        raise UnreadableScan(f"{path}: no such file; check the name and the folder.") from None
    except OSError as exc:
        raise UnreadableScan(f"{path}: cannot be read ({exc.strerror}); check it exists and is readable.") from None
    if kind is FileKind.OTHER:
        if path.stat().st_size == 0:
            raise UnreadableScan(f"{path}: the file is empty; scan it again.")
        raise UnsupportedFormat(f"{path}: not a PDF, TIFF, JPEG or PNG; save the scan in one of those formats.")
    return kind


@contextmanager
def _guarded(path: Path, max_pixels: int) -> Iterator[None]:
    """Every failure typed. The size limit is checked per page by the caller (`check_size`), so
    nothing process-wide is changed; Pillow's own bomb error (at twice its default limit) still counts."""
    try:
        yield
    except Image.DecompressionBombError:  # Pillow refuses above twice its limit, whatever ours is
        refused_above = min(max_pixels, 2 * (Image.MAX_IMAGE_PIXELS or max_pixels))
        raise ImageTooLarge(
            f"{path}: a page is larger than {refused_above:,} pixels; rescan at 600 dpi or less."
        ) from None
    except ScanError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, pdfium.PdfiumError) as exc:
        raise UnreadableScan(f"{path}: cannot be read as a scan ({exc}); rescan it or export it again.") from None


@contextmanager
def _open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """The PDF, closed afterwards however the caller leaves: pdfium holds the file open until then."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf(
                f"{path}: the PDF is password-protected; save it without a password and drop it again."
            ) from None
        raise UnreadableScan(f"{path}: damaged PDF ({exc}); rescan it or export it again.") from None
    try:
        yield document
    finally:
        document.close()


def points_per_inch(width_pt: float, height_pt: float) -> float:
    """72, unless the page is larger than A3 and has a paper's shape: a tool that wrapped a 300 dpi
    scan as if it were 72 dpi wrote a 34 × 48 in page, which is an A4 sheet at 300 points an inch.
    A huge page of no paper's shape stays huge, and is refused as such."""
    width, height = round(width_pt), round(height_pt)
    if plausible_dpi(width, height, POINTS_PER_INCH) == POINTS_PER_INCH:
        return POINTS_PER_INCH
    return max(POINTS_PER_INCH, dpi_by_shape(width, height) or POINTS_PER_INCH)


def _pdf_readings(document: pdfium.PdfDocument, index: int) -> tuple[float, ...]:
    """`Readings` of a PDF page: its size in points is its header (an image placed on an A5 page
    is an A5 sheet to a viewer), and its shape may say it is an everyday sheet shrunk."""
    page = document[index]
    try:
        width, height = page.get_size()
    finally:
        page.close()
    per_inch = points_per_inch(width, height)
    return tuple(reading / per_inch for reading in scale_readings(width, height, per_inch, pixels=False))


def _pdf_page(
    document: pdfium.PdfDocument,
    index: int,
    dpi: float,
    max_pixels: int,
    path: Path,
    decode_jpeg: bool = False,
    mode: str = "L",
) -> tuple[Image.Image, float]:
    """(the page rendered at `dpi` in `mode`, "L" or "RGB", `dpi`); with `decode_jpeg`, a page that
    is one JPEG is decoded instead, at `dpi` or a little more (the second value says which)."""
    page = document[index]
    try:
        width, height = page.get_size()
        per_inch = points_per_inch(width, height)
        scale = dpi / per_inch
        if width * height * scale**2 > max_pixels:
            raise ImageTooLarge(f"{path}: page {index + 1} is too large to render; check the PDF's page size.")
        decoded = embedded_jpeg(page, dpi, per_inch, max_pixels, mode) if decode_jpeg else None
        if decoded is not None:
            return decoded
        bitmap = page.render(scale=scale, grayscale=mode == "L")
        return bitmap.to_pil().convert(mode), dpi
    finally:
        page.close()


def _dropped(decode: Decoder, dpi: float) -> tuple[Image.Image, float]:
    image, native = decode(dpi)
    return without_coloured_ink(image), native


def _pdf_colour(document: pdfium.PdfDocument, index: int) -> bool:
    page = document[index]
    try:
        return not colourless(page)
    finally:
        page.close()


def _grey(decoded: tuple[Image.Image, float]) -> tuple[Image.Image, float]:
    image, dpi = decoded
    return image.convert("L") if image.mode != "L" else image, dpi


def iter_pages(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[Page]:
    """Each page in order (numbered from 1), upright as a viewer shows it, greyscale, decoded only
    when asked for at a resolution. Raises a ScanError subclass: `sniff`'s, EncryptedPdf,
    ImageTooLarge above `max_pixels` pixels, UnreadableScan for a damaged page (when it is decoded)."""
    path = Path(path)
    kind = sniff(path)
    with _guarded(path, max_pixels):
        if kind is FileKind.PDF:
            with _open_pdf(path) as document:
                for index in range(len(document)):
                    decode = partial(_pdf_page, document, index, max_pixels=max_pixels, path=path, decode_jpeg=True)
                    yield Page(
                        index + 1,
                        _guard(path, max_pixels, decode),
                        _guard(path, max_pixels, partial(_pdf_readings, document, index)),
                        Colour(
                            _guard(path, max_pixels, partial(_pdf_colour, document, index)),
                            _guard(path, max_pixels, partial(decode, mode="RGB")),
                        ),
                    )
            return
        with Image.open(path) as image:
            for index in range(getattr(image, "n_frames", 1)):
                yield _frame_page(image, index, max_pixels, path)


Frame = Callable[[], tuple[Image.Image, float]]


def _frame_page(image: Image.Image, index: int, max_pixels: int, path: Path) -> Page:
    """Frame `index` (0-based) of an open image file, decoded the first time any resolution is
    asked for (a frame is stored at one), in grey, and in colour when it has some."""
    frame = cache(_guard(path, max_pixels, partial(frame_as_seen, image, index, max_pixels, str(path))))
    return Page(
        index + 1,
        _grey_once(frame),
        _guard(path, max_pixels, partial(_frame_readings, image, index)),
        Colour(lambda: frame()[0].mode == "RGB", lambda _dpi: frame()),
    )


def _grey_once(frame: Frame) -> Decoder:
    grey = cache(lambda: _grey(frame()))
    return lambda _dpi: grey()


def frame_dpi(image: Image.Image, index: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> float:
    """The resolution (dots per inch) identification reads frame `index` (0-based) of an open image
    file at: its `page_dpi`, unless its header and its pixel size disagree, and then what its text
    says (`Page.scale`). The export and the review page's preview size a page by it, so a 300 dpi
    scan stating 600 dpi is neither exported as a quarter-size sheet nor previewed at half size.
    Raises ImageTooLarge when the frame has more than `max_pixels` pixels."""
    image.seek(index)
    native = page_dpi(image)
    frame = cache(partial(frame_as_seen, image, index, max_pixels, ""))
    page = Page(index + 1, _grey_once(frame), partial(_frame_readings, image, index))
    return native * page.scale()


def _frame_readings(image: Image.Image, index: int) -> tuple[float, ...]:
    """`Readings` of an image file's frame, as multiples of its `page_dpi`."""
    image.seek(index)
    readings = page_readings(image)
    return tuple(reading / readings[0] for reading in readings)


def _guard(path: Path, max_pixels: int, work: Callable[..., T]) -> Callable[..., T]:
    """`work` (a page's decoder or its `Readings`) under the same guard as opening the file: it
    runs later, from the caller's code."""

    def guarded(*args: float) -> T:
        with _guarded(path, max_pixels):
            return work(*args)

    return guarded


def _check_page_number(path: Path, page_number: int, total: int) -> None:
    if not 1 <= page_number <= total:
        raise UnreadableScan(f"{path}: has {total} page(s), there is no page {page_number}.")


def render_page(
    path: str | Path, page_number: int, dpi: int = 100, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Image.Image:
    """One page (1-based) for a person to look at, e.g. the review page's cover preview, decoded as
    identification decodes it, at `dpi` dots per inch; only that page is decoded, however deep in a
    batch it lies. Raises the ScanErrors of `iter_pages`, and UnreadableScan for a page number the
    scan does not have."""
    path = Path(path)
    kind = sniff(path)
    with _guarded(path, max_pixels):
        if kind is FileKind.PDF:
            with _open_pdf(path) as document:
                _check_page_number(path, page_number, len(document))
                index = page_number - 1
                decode = partial(_pdf_page, document, index, max_pixels=max_pixels, path=path)
                return Page(page_number, decode, partial(_pdf_readings, document, index)).at(dpi)
        with Image.open(path) as image:
            _check_page_number(path, page_number, getattr(image, "n_frames", 1))
            native = frame_dpi(image, page_number - 1, max_pixels)
            frame, _ = frame_as_seen(image, page_number - 1, max_pixels, str(path))
            factor = dpi / native
            return frame.resize((max(1, round(frame.width * factor)), max(1, round(frame.height * factor))))
