"""Pages out of PDF, TIFF, JPEG and PNG files, one at a time, greyscale, at the resolution asked.

A batch is never held in memory: `iter_pages` yields each page and forgets it. A page is decoded
only as finely as it is looked at: most pages of a batch are only ever looked at small, a JPEG
shrinks while it decodes (DCT scaling) and pdfium renders a small page for a quarter of the
cost. PDFs are rendered by pdfium (3-4× faster than pdftoppm) straight to greyscale.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from scanner.imaging import scaled
from scanner.errors import EncryptedPdf, ImageTooLarge, ScanError, UnreadableScan, UnsupportedFormat
from scanner.pdfimage import embedded_jpeg

log = logging.getLogger(__name__)
WORKING_DPI = 200
A4_WIDTH_INCHES = 8.27
DEFAULT_MAX_PIXELS = 180_000_000
Decoder = Callable[[float], tuple[Image.Image, float]]  # dpi wanted -> (image at that dpi or more, its dpi)


class Page:
    """One page of the scan `iter_pages` is on; readable until the iteration moves on."""

    def __init__(self, number: int, decode: Decoder) -> None:
        self.number = number  # 1-based
        self._decode = decode
        self._copies: dict[float, Image.Image] = {}

    def at(self, dpi: float) -> Image.Image:
        """The page, greyscale, at `dpi`; decoded once for each resolution asked for."""
        if dpi not in self._copies:
            image, native = self._decode(dpi)
            self._copies[dpi] = scaled(image, native, dpi)
        return self._copies[dpi]


def sniff(path: Path) -> str:
    """'pdf', 'tiff' or 'image' by the file's first bytes, never by its name."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except IsADirectoryError:
        raise UnreadableScan(f"{path}: is a folder, not a scan; name the files in it, e.g. '{path}/*.pdf'.") from None
    except FileNotFoundError:
        if any(wildcard in path.name for wildcard in "*?["):  # the shell passes on a pattern that matched nothing
            raise UnreadableScan(f"{path}: no file matches this pattern; check the folder and the pattern.") from None
        raise UnreadableScan(f"{path}: no such file; check the name and the folder.") from None
    except OSError as exc:
        raise UnreadableScan(f"{path}: cannot be read ({exc.strerror}); check it exists and is readable.") from None
    if not head:
        raise UnreadableScan(f"{path}: the file is empty; scan it again.")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith((b"\xff\xd8", b"\x89PNG")):
        return "image"
    raise UnsupportedFormat(f"{path}: not a PDF, TIFF, JPEG or PNG; save the scan in one of those formats.")


@contextmanager
def _guarded(path: Path, max_pixels: int) -> Iterator[None]:
    """Pillow's decompression-bomb guard on, its warning made an error, every failure typed."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge(f"{path}: a page is larger than {max_pixels:,} pixels; rescan at 600 dpi or less.") from None
    except ScanError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, pdfium.PdfiumError) as exc:
        raise UnreadableScan(f"{path}: cannot be read as a scan ({exc}); rescan it or export it again.") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous


@contextmanager
def _open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """The PDF, closed afterwards however the caller leaves: pdfium holds the file open until then."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf(f"{path}: the PDF is password-protected; save it without a password and drop it again.") from None
        raise UnreadableScan(f"{path}: damaged PDF ({exc}); rescan it or export it again.") from None
    try:
        yield document
    finally:
        document.close()


def _image_dpi(image: Image.Image) -> float:
    """The resolution stored in the file, else the one an A4 page of this width would have."""
    stored = image.info.get("dpi")
    if stored and 50 <= float(stored[0]) <= 1200:
        return float(stored[0])
    return max(50.0, min(image.width, image.height) / A4_WIDTH_INCHES)


def _grey(image: Image.Image) -> Image.Image:
    if image.mode == "1":
        return image.convert("L")
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    return image if image.mode == "L" else image.convert("L")


def count_pages(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> int:
    path = Path(path)
    kind = sniff(path)
    with _guarded(path, max_pixels):
        if kind == "pdf":
            with _open_pdf(path) as document:
                return len(document)
        with Image.open(path) as image:
            return getattr(image, "n_frames", 1)


def _pdf_page(document: pdfium.PdfDocument, index: int, dpi: float, max_pixels: int, path: Path,
              decode_jpeg: bool = False) -> tuple[Image.Image, float]:
    """(the page rendered at `dpi`, `dpi`); with `decode_jpeg`, a page that is one JPEG is decoded
    instead, at `dpi` or a little more (the second value says which)."""
    page = document[index]
    try:
        width, height = page.get_size()
        if width * height * (dpi / 72) ** 2 > max_pixels:
            raise ImageTooLarge(f"{path}: page {index + 1} is too large to render; check the PDF's page size.")
        decoded = embedded_jpeg(page, dpi) if decode_jpeg else None
        if decoded is not None:
            return decoded
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L"), dpi
    finally:
        page.close()


def _frame(image: Image.Image, kind: str, index: int) -> tuple[Image.Image, float]:
    """Frame `index` of an open TIFF/JPEG/PNG, seeked to directly: earlier frames are never decoded."""
    image.seek(index)
    frame = ImageOps.exif_transpose(image) if kind == "image" else image
    return _grey(frame), _image_dpi(image)


def iter_pages(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[Page]:
    """Each page in order, upright as stored; a failure while decoding one raises a ScanError."""
    path = Path(path)
    kind = sniff(path)
    with _guarded(path, max_pixels):
        if kind == "pdf":
            with _open_pdf(path) as document:
                for index in range(len(document)):
                    yield Page(index + 1, _guard(path, max_pixels, partial(_pdf_page, document, index,
                                                                           max_pixels=max_pixels, path=path, decode_jpeg=True)))
            return
        with Image.open(path) as image:
            for index in range(getattr(image, "n_frames", 1)):
                yield Page(index + 1, _guard(path, max_pixels, _frame_once(image, kind, index)))


def _frame_once(image: Image.Image, kind: str, index: int) -> Decoder:
    """A frame is stored at one resolution: decode it the first time any is asked for."""
    frame = cache(partial(_frame, image, kind, index))
    return lambda _dpi: frame()


def _guard(path: Path, max_pixels: int, decode: Decoder) -> Decoder:
    """`decode` under the same guard as opening the file: it runs later, from the caller's code."""
    def guarded(dpi: float) -> tuple[Image.Image, float]:
        with _guarded(path, max_pixels):
            return decode(dpi)
    return guarded


def _check_page_number(path: Path, page_number: int, total: int) -> None:
    if not 1 <= page_number <= total:
        raise UnreadableScan(f"{path}: has {total} page(s), there is no page {page_number}.")


def render_page(path: str | Path, page_number: int, dpi: int = 100, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """One page (1-based) for a person to look at, e.g. the review page's cover preview; only that
    page is decoded, however deep in a batch it lies."""
    path = Path(path)
    kind = sniff(path)
    with _guarded(path, max_pixels):
        if kind == "pdf":
            with _open_pdf(path) as document:
                _check_page_number(path, page_number, len(document))
                return _pdf_page(document, page_number - 1, dpi, max_pixels, path)[0]
        with Image.open(path) as image:
            _check_page_number(path, page_number, getattr(image, "n_frames", 1))
            frame, native = _frame(image, kind, page_number - 1)
            factor = dpi / native
            return frame.resize((max(1, round(frame.width * factor)), max(1, round(frame.height * factor))))
