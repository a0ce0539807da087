"""Files as real multifunction scanners and shares write them, through the real scanner: every
image encoding and page trick must give the cover's reference, every hostile file a typed error."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image, TiffImagePlugin

from cli.main import cli
from scanner import ImageTooLarge, ScanError, UnreadableScan, UnsupportedFormat, identify_file
from synthetic.files import write_pdf, write_text_pdf
from synthetic.pages import draw_cover
from synthetic.people import Person

DPI = 150


def _cover(person: Person) -> Image.Image:
    return draw_cover(person, "labelled", DPI, barcode="qr")


def _one_image_pdf(path: Path, data: bytes, size: tuple[int, int], colour: str) -> Path:
    """A page that is one image XObject, as scanner firmware writes it (no library's choices)."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(
        pdf,
        data,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=size[0],
        Height=size[1],
        ColorSpace=pikepdf.Name("/" + colour),
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )
    width, height = size[0] * 72 / DPI, size[1] * 72 / DPI
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode()),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def _jpeg(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, **options)
    return buffer.getvalue()


def cmyk_jpeg_pdf(person: Person, path: Path) -> Path:
    page = _cover(person).convert("CMYK")
    return _one_image_pdf(path, _jpeg(page), page.size, "DeviceCMYK")


def jpeg_with_soft_mask_pdf(person: Person, path: Path) -> Path:
    page = _cover(person).convert("L")
    pdf_mask = Image.new("L", page.size, 255)
    path = _one_image_pdf(path, _jpeg(page), page.size, "DeviceGray")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        image = pdf.pages[0].Resources.XObject.Im0
        image.SMask = pikepdf.Stream(
            pdf,
            pdf_mask.tobytes(),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=page.width,
            Height=page.height,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
        )
        pdf.save(path)
    return path


def rotate_90_pdf(person: Person, path: Path) -> Path:
    """Stored sideways, with /Rotate 90 so a viewer shows it upright."""
    write_pdf([_cover(person).rotate(-90, expand=True)], path, DPI)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(path)
    return path


def exif_6_jpeg(person: Person, path: Path) -> Path:
    """A phone or scanner JPEG stored turned, with EXIF orientation 6 to turn it back."""
    exif = Image.Exif()
    exif[0x0112] = 6
    _cover(person).convert("L").rotate(90, expand=True).save(path, "JPEG", quality=85, exif=exif, dpi=(DPI, DPI))
    return path


def png_16_bit(person: Person, path: Path) -> Path:
    Image.fromarray(np.asarray(_cover(person).convert("L")).astype(np.uint16) * 257).save(path)
    return path


def palette_png(person: Person, path: Path) -> Path:
    _cover(person).convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(path, dpi=(DPI, DPI))
    return path


def pdf_with_junk_after_its_end(person: Person, path: Path) -> Path:
    write_pdf([_cover(person)], path, DPI)
    path.write_bytes(path.read_bytes() + b"\r\n" + b"\x00" * 3000 + b"scanner firmware 2.1")
    return path


@pytest.mark.parametrize(
    "build",
    [
        cmyk_jpeg_pdf,
        jpeg_with_soft_mask_pdf,
        rotate_90_pdf,
        exif_6_jpeg,
        png_16_bit,
        palette_png,
        pdf_with_junk_after_its_end,
    ],
    ids=lambda build: build.__name__,
)
def test_every_encoding_a_scanner_writes_gives_the_cover_reference(
    tmp_path: Path, people: list[Person], build: Callable[[Person, Path], Path]
) -> None:
    person = people[len(build.__name__) % len(people)]
    suffix = ".png" if "png" in build.__name__ else ".jpg" if "jpeg" in build.__name__[-4:] else ".pdf"
    result = identify_file(build(person, tmp_path / f"scan{suffix}"))
    [case_file] = result.case_files
    assert case_file.cover is not None
    assert (case_file.cover.case_reference, case_file.cover.method) == (person.case_reference, "barcode")


def test_multi_page_tiff_with_a_compression_per_page(tmp_path: Path, people: list[Person]) -> None:
    path = tmp_path / "batch.tif"
    pages = [
        (_cover(people[0]).convert("1"), "group4"),
        (_cover(people[1]).convert("L"), "jpeg"),
        (_cover(people[2]).convert("RGB"), "tiff_lzw"),
    ]
    with TiffImagePlugin.AppendingTiffWriter(path, True) as tiff:
        for page, compression in pages:
            page.save(tiff, "TIFF", compression=compression, dpi=(DPI, DPI))
            tiff.newFrame()
    found = [c.cover.case_reference for c in identify_file(path).case_files if c.cover]
    assert found == [p.case_reference for p in people[:3]]


def test_a_pdf_of_real_text_and_a_mixed_pdf_are_read(tmp_path: Path, people: list[Person]) -> None:
    text = write_text_pdf(
        [f"Case Reference: {people[3].case_reference}", f"Name: {people[3].name}"], tmp_path / "t.pdf"
    )
    image = write_pdf([_cover(people[4])], tmp_path / "i.pdf", DPI)
    with pikepdf.open(text) as mixed, pikepdf.open(image) as scanned:
        mixed.pages.extend(scanned.pages)
        mixed.save(tmp_path / "mixed.pdf")
    result = identify_file(tmp_path / "mixed.pdf")
    assert [c.cover.case_reference for c in result.case_files if c.cover] == [
        people[3].case_reference,
        people[4].case_reference,
    ]


def _tiff_claiming(width: int, height: int, path: Path) -> Path:
    entries = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 8),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 110),
        (278, 4, 1, max(height, 1)),
        (279, 4, 1, 1),
    ]
    directory = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\0" * 4
    path.write_bytes(b"II*\x00" + struct.pack("<I", 8) + directory + b"\x00")
    return path


def _huge_page_pdf(path: Path) -> Path:
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(14400, 14400))
        pdf.pages[0].UserUnit = 75000
        pdf.save(path)
    return path


def _zip_named_pdf(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("scan.txt", "not a scan")
    return path


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda path: _tiff_claiming(0, 0, path), UnreadableScan),
        (lambda path: _tiff_claiming(4_000_000_000, 4_000_000_000, path), ImageTooLarge),
        (_huge_page_pdf, ImageTooLarge),
        (_zip_named_pdf, UnsupportedFormat),
    ],
    ids=["tiff-0x0", "tiff-absurd", "pdf-huge-userunit", "zip-named-pdf"],
)
def test_hostile_files_raise_a_typed_one_line_error(
    tmp_path: Path, build: Callable[[Path], Path], error: type[ScanError]
) -> None:
    path = build(tmp_path / "hostile.pdf")
    with pytest.raises(error) as raised:
        identify_file(path)
    assert "\n" not in raised.value.message and str(path) in raised.value.message


def test_scan_of_a_folder_a_pattern_matching_nothing_and_a_latin1_name(
    tmp_path: Path, people: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASESCAN_WORKSPACE", raising=False)
    latin1 = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"Zo\xeb.png"))
    _cover(people[5]).save(latin1, dpi=(DPI, DPI))
    result = CliRunner().invoke(cli, ["scan", "--json", str(tmp_path), "nothing*.pdf", latin1])
    assert result.exit_code == 1
    folder, pattern, named = json.loads(result.stdout_bytes.decode("utf-8"))
    assert "is a folder" in folder["error"] and "no file matches" in pattern["error"]
    assert named["file"].endswith("Zo\\xeb.png") and named["documents"][0]["case_reference"] == people[5].case_reference
