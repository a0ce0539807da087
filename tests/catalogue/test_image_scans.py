"""Over the image modes and encodings Pillow can write: identification, the review preview and the
export all see the page a viewer shows (transparency on white paper, upright, 8 bits), and an image
that can be identified can always be exported."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import numpy as np
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, TiffImagePlugin, features

from export.attachments import Cut, cut_scan
from scanner import UnsupportedFormat, identify_file, iter_pages, render_page
from synthetic.files import write_pdf

SIZE = (620, 877)  # A4 at 75 dpi
DPI = 75
MARK = (0.15, 0.2, 0.45, 0.5)  # the drawn mark, as fractions of width and height
PAPER = (0.6, 0.6, 0.9, 0.9)  # a patch of bare paper
# Pillow's mirroring or turning method for each EXIF orientation: it undoes what the file stores.
ORIENTATIONS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
INVERSE = {Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270}


@dataclass(frozen=True)
class Encoding:
    mode: str  # the mode written, "P+t" a palette whose paper entry is transparent
    format: str  # PNG, TIFF, JPEG, or PDF (an image of `inner` format wrapped by img2pdf)
    compression: str | None = None
    inner: str | None = None
    lossy: bool = False

    def __str__(self) -> str:
        return "-".join(part for part in (self.format, self.inner, self.compression, self.mode) if part)


# "I;16+w": 16-bit samples stored WhiteIsZero (TIFF tag 262 = 0), which Pillow does not turn over.
TIFF_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I;16+w", "I", "F")
ENCODINGS = [
    *(Encoding(mode, "PNG") for mode in ("1", "L", "LA", "P", "P+t", "RGB", "RGBA", "I;16")),
    *(
        Encoding(mode, "TIFF", compression)
        for compression in (None, "tiff_lzw", "tiff_adobe_deflate")
        for mode in TIFF_MODES
    ),
    Encoding("1", "TIFF", "group4"),
    *(Encoding(mode, "TIFF", "jpeg", lossy=True) for mode in ("L", "RGB")),
    *(Encoding(mode, "JPEG", lossy=True) for mode in ("L", "RGB", "CMYK")),
    *(Encoding(mode, "PDF", inner="PNG") for mode in ("1", "L", "P", "RGB", "I;16")),
    *(Encoding(mode, "PDF", inner="JPEG", lossy=True) for mode in ("L", "RGB", "CMYK")),
    Encoding("1", "PDF", "group4", inner="TIFF"),
    Encoding("1", "PDF", "jbig2"),  # JBIG2 generic region, as "compact PDF" scanners write it
    *(Encoding(mode, "PDF", inner="JPEG2000", lossy=True) for mode in ("L", "RGB") if features.check("jpg_2000")),
]
HAS_ALPHA = {"LA", "RGBA", "P+t"}


@dataclass(frozen=True)
class Drawing:
    paper: int  # grey of the paper where it is opaque
    paper_alpha: int  # 0: transparent paper, stored as (0, 0, 0, 0)
    mark: int
    orientation: int
    frames: int


def _original(drawing: Drawing) -> Image.Image:
    """The page as it should look: RGBA, transparent paper stored black, the mark opaque."""
    paper = (drawing.paper,) * 3 + (drawing.paper_alpha,) if drawing.paper_alpha else (0, 0, 0, 0)
    image = Image.new("RGBA", SIZE, paper)
    box = (MARK[0] * SIZE[0], MARK[1] * SIZE[1], MARK[2] * SIZE[0], MARK[3] * SIZE[1])
    ImageDraw.Draw(image).rectangle(box, fill=(drawing.mark,) * 3 + (255,))
    return image


def _on_white(image: Image.Image) -> Image.Image:
    return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("L")


def _in_mode(original: Image.Image, mode: str) -> Image.Image:
    grey = _on_white(original)
    if mode in ("RGBA", "LA"):
        return original.convert(mode)
    if mode == "P+t":
        ink = np.asarray(original)[..., 3] == 255
        tone = int(np.asarray(original)[ink][0, 0])
        palette = Image.fromarray(np.where(ink, 0, 1).astype(np.uint8), "P")
        palette.putpalette([tone, tone, tone, 0, 0, 0])
        palette.info["transparency"] = 1
        return palette
    if mode == "1":
        return grey.point(lambda value: 255 if value >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    if mode in ("I;16", "I"):
        return Image.fromarray(
            (np.asarray(grey).astype(np.uint32) * 257).astype(np.uint16 if mode == "I;16" else np.int32)
        )
    if mode == "I;16+w":
        return Image.fromarray((65535 - np.asarray(grey).astype(np.uint32) * 257).astype(np.uint16))
    if mode == "F":
        return Image.fromarray(np.asarray(grey).astype(np.float32) / 255)
    return grey.convert(mode)


def _stored(image: Image.Image, orientation: int) -> Image.Image:
    method = ORIENTATIONS[orientation]
    return image if method is None else image.transpose(INVERSE.get(method, method))


def _encode(image: Image.Image, encoding: Encoding, fmt: str, orientation: int) -> bytes:
    options: dict[str, object] = {"dpi": (DPI, DPI)}
    if encoding.compression and fmt == "TIFF":
        options["compression"] = encoding.compression
    if encoding.mode == "I;16+w":
        white_is_zero = TiffImagePlugin.ImageFileDirectory_v2()
        white_is_zero[262] = 0
        options["tiffinfo"] = white_is_zero
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    if fmt == "JPEG2000":
        options = {"irreversible": False}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _write(path: Path, encoding: Encoding, drawing: Drawing) -> Image.Image:
    """Writes the scan; returns what a viewer should show of each page."""
    original = _original(drawing)
    written = _in_mode(original, encoding.mode)
    expected = written.convert("L") if encoding.mode == "1" else _on_white(original)
    stored = _stored(written, drawing.orientation)
    if encoding.format == "PDF" and encoding.compression == "jbig2":
        write_pdf([stored.convert("L")] * drawing.frames, path, DPI, encoding="jbig2")
    elif encoding.format == "PDF":
        assert encoding.inner is not None
        path.write_bytes(
            img2pdf.convert(
                [_encode(stored, encoding, encoding.inner, 1)] * drawing.frames,
                layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)),
            )
        )
    elif encoding.format == "TIFF" and drawing.frames > 1:
        with TiffImagePlugin.AppendingTiffWriter(path, True) as tiff:
            for _ in range(drawing.frames):
                tiff.write(_encode(stored, encoding, "TIFF", drawing.orientation))
                tiff.newFrame()
    else:
        path.write_bytes(_encode(stored, encoding, encoding.format, drawing.orientation))
    return expected


def _means(image: Image.Image) -> tuple[float, float]:
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    height, width = grey.shape

    def mean(box: tuple[float, float, float, float]) -> float:
        left, top, right, bottom = box
        inset_x, inset_y = (right - left) * 0.2, (bottom - top) * 0.2
        return float(
            grey[
                round((top + inset_y) * height) : round((bottom - inset_y) * height),
                round((left + inset_x) * width) : round((right - inset_x) * width),
            ].mean()
        )

    return mean(MARK), mean(PAPER)


def _looks_like(seen: Image.Image, expected: Image.Image, tolerance: float) -> None:
    mark, paper = _means(seen)
    want_mark, want_paper = _means(expected)
    assert abs(mark - want_mark) <= tolerance and abs(paper - want_paper) <= tolerance, (
        f"mark {mark:.0f} (want {want_mark:.0f}), paper {paper:.0f} (want {want_paper:.0f})"
    )


def _drawings(encoding: Encoding) -> st.SearchStrategy[Drawing]:
    transparent = encoding.mode in HAS_ALPHA
    # Pillow's TIFF writer does not store an EXIF orientation faithfully, so only JPEG and PNG are turned.
    turns = encoding.format in ("JPEG", "PNG") and encoding.mode not in ("P+t",)
    return st.builds(
        Drawing,
        paper=st.integers(200, 255),
        paper_alpha=st.sampled_from(
            [0, 255] if transparent and encoding.mode != "P+t" else [0] if transparent else [255]
        ),
        mark=st.integers(0, 100),
        orientation=st.sampled_from(list(ORIENTATIONS)) if turns else st.just(1),
        frames=st.integers(1, 2) if encoding.format in ("TIFF", "PDF") else st.just(1),
    )


@pytest.mark.parametrize("encoding", ENCODINGS, ids=str)
def test_identification_preview_and_export_see_the_page_a_viewer_shows(
    tmp_path_factory: pytest.TempPathFactory, encoding: Encoding
) -> None:
    @settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(drawing=_drawings(encoding))
    def check(drawing: Drawing) -> None:
        folder = tmp_path_factory.mktemp("scan")
        path = folder / f"scan.{encoding.format.lower()}"
        expected = _write(path, encoding, drawing)
        # A PDF viewer turns CMYK into RGB its own way (pdfium: black ink 32, not 0).
        tolerance = 40 if encoding.mode == "CMYK" else 16 if encoding.lossy else 6

        pages = iter_pages(path)
        for _ in range(drawing.frames):
            _looks_like(next(pages).at(100), expected, tolerance)  # what identification reads
        assert next(pages, None) is None
        preview = render_page(path, drawing.frames, dpi=50)  # what the review page shows
        _looks_like(preview, expected, tolerance)
        assert abs(preview.width / preview.height - SIZE[0] / SIZE[1]) < 0.02

        target = folder / "attachment.pdf"
        [result] = cut_scan((path, [Cut(1, 1, drawing.frames, target)]))
        assert result.error is None and result.pages == drawing.frames
        document = pdfium.PdfDocument(str(target))
        try:
            assert len(document) == drawing.frames
            page = document[drawing.frames - 1]
            width, height = page.get_size()
            assert abs(width - SIZE[0] * 72 / DPI) < 2 and abs(height - SIZE[1] * 72 / DPI) < 2
            _looks_like(page.render(scale=50 / 72).to_pil(), expected, tolerance)
        finally:
            document.close()

    check()


def test_a_jpeg_2000_file_is_refused_alike_by_identification_and_export(tmp_path: Path) -> None:
    """PRODUCT.md's scans are PDF, TIFF, JPEG and PNG; a JPEG 2000 file is refused with a reason."""
    if not features.check("jpg_2000"):
        pytest.skip("Pillow was built without openjpeg")
    path = tmp_path / "scan.jp2"
    Image.new("L", SIZE, 255).save(path, "JPEG2000")
    with pytest.raises(UnsupportedFormat):
        identify_file(path)
    [result] = cut_scan((path, [Cut(1, 1, 1, tmp_path / "out.pdf")]))
    assert result.error is not None and "not a PDF, TIFF, JPEG or PNG" in result.error


@pytest.mark.parametrize("modes", [("RGB", "P", "P"), ("L", "P", "1"), ("1", "L", "RGB", "P", "1")], ids="-".join)
def test_a_tiff_whose_pages_differ_in_mode_is_read_page_by_page(tmp_path: Path, modes: tuple[str, ...]) -> None:
    """A tester's multi-page TIFFs, an RGB or grey page and palette pages after it, were quarantined
    ("unrecognized image mode", "image has wrong mode"): Pillow kept a palette frame's palette for
    the next frame it loaded, and a page kept from the open file changed under the next seek."""
    drawings = [
        Drawing(paper=250 - 10 * number, paper_alpha=255, mark=15 * number, orientation=1, frames=1)
        for number in range(len(modes))
    ]
    expected = [
        _in_mode(_original(drawing), mode).convert("L") if mode == "1" else _on_white(_original(drawing))
        for drawing, mode in zip(drawings, modes, strict=True)
    ]
    path = tmp_path / "scan.tif"
    with TiffImagePlugin.AppendingTiffWriter(path, True) as tiff:
        for drawing, mode in zip(drawings, modes, strict=True):
            tiff.write(_encode(_in_mode(_original(drawing), mode), Encoding(mode, "TIFF", "tiff_lzw"), "TIFF", 1))
            tiff.newFrame()
    seen = [page.at(100) for page in iter_pages(path)]  # each page kept past the next one's decoding
    assert len(seen) == len(modes)
    for page, want in zip(seen, expected, strict=True):
        _looks_like(page, want, 6)
    assert len(identify_file(path).case_files) == 1
    _looks_like(render_page(path, 2, dpi=50), expected[1], 6)
    [result] = cut_scan((path, [Cut(1, 1, len(modes), tmp_path / "out.pdf")]))
    assert result.error is None and result.pages == len(modes)
