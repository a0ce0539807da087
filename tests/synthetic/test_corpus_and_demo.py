"""The corpus and demo inbox: every variation present, truth consistent with the files written."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, TiffImagePlugin

from synthetic import TruthScan, format_reference, make_corpus, make_demo_inputs, make_people
from synthetic.foreign import FOREIGN_LAYOUTS

DPIS = (100, 150)  # low resolutions keep the suite fast; the benchmark uses 200 and 300


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[TruthScan]:
    return make_corpus(tmp_path_factory.mktemp("corpus"), make_people(50, seed=2), seed=3, count=40, dpi_choices=DPIS)


def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        return len(pypdfium2.PdfDocument(path))
    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def _first_page(path: Path) -> Image.Image:
    if path.suffix == ".pdf":
        return pypdfium2.PdfDocument(path)[0].render(scale=200 / 72).to_pil()
    with Image.open(path) as image:
        return image.convert("L")


def test_at_least_count_case_files_across_every_variation(corpus: list[TruthScan]) -> None:
    assert sum(len(scan.case_files) for scan in corpus) >= 40
    variations = {scan.variation for scan in corpus}
    expected = {
        "layout-labelled",
        "layout-boxed",
        "layout-letterhead",
        "layout-form",
        "letterhead-decoy",
        "dpi-100",
        "dpi-150",
        "grey-paper",
        "blur",
        "noise",
        "jpeg-q50",
        "skew+3",
        "skew-3",
        "rotate-90",
        "rotate-180",
        "rotate-270",
        "barcode-qr",
        "barcode-datamatrix",
        "barcode-code128",
        "barcode-code39",
        "reference-spaces",
        "reference-slashes",
        "reference-joined",
        "batch-4",
        "tiff-group4",
        "tiff-tiff_lzw",
        "tiff-jpeg",
        "png-single",
        "jpeg-single",
        "pdf-g4",
        "mixed-pdf",
        "blank-reference",
        "front-sheet-mono",
        "real-continuation",
    } | {f"layout-{name}" for name in FOREIGN_LAYOUTS}
    assert expected <= variations
    suffixes = {scan.path.suffix for scan in corpus}
    assert suffixes == {".pdf", ".tif", ".png", ".jpg"}


def test_truth_page_ranges_tile_each_file(corpus: list[TruthScan]) -> None:
    for scan in corpus:
        assert _page_count(scan.path) == scan.pages, scan.path.name
        next_page = 1
        for case_file in scan.case_files:
            assert case_file.first_page == next_page
            assert case_file.last_page >= case_file.first_page
            next_page = case_file.last_page + 1
        assert next_page == scan.pages + 1


def test_batch_holds_four_case_files_with_continuation_pages(corpus: list[TruthScan]) -> None:
    batch = next(scan for scan in corpus if scan.variation == "batch-4")
    assert len(batch.case_files) == 4
    assert all(case.last_page > case.first_page for case in batch.case_files)


def test_truth_references_are_canonical_and_from_the_caseload(corpus: list[TruthScan]) -> None:
    known = {person.case_reference for person in make_people(50, seed=2)}
    for scan in corpus:
        for case_file in scan.case_files:
            if scan.variation == "blank-reference" and case_file.first_page > 1:  # its reference field is empty
                assert case_file.case_reference is None
                continue
            assert case_file.case_reference in known
            assert re.fullmatch(r"[A-Z]{2,4}-\d{4}-\d{3,6}", case_file.case_reference)


@pytest.mark.parametrize("symbology", ["qr", "datamatrix", "code128", "code39"])
def test_barcode_scans_decode_to_their_truth(corpus: list[TruthScan], symbology: str) -> None:
    scan = next(scan for scan in corpus if scan.variation == f"barcode-{symbology}")
    texts = {result.text for result in zxingcpp.read_barcodes(_first_page(scan.path))}
    assert texts == {scan.case_files[0].case_reference}


def _content(path: Path) -> bytes:
    """PDF, PNG and JPEG bytes; TIFF pixels (libtiff leaves one uninitialised pad byte between JPEG frames)."""
    if path.suffix != ".tif":
        return path.read_bytes()
    with Image.open(path) as tiff:
        assert isinstance(tiff, TiffImagePlugin.TiffImageFile)
        frames = []
        for frame in range(tiff.n_frames):
            tiff.seek(frame)
            frames.append(tiff.tobytes())
    return b"".join(frames)


def test_same_seed_writes_the_same_files(tmp_path: Path, corpus: list[TruthScan]) -> None:
    again = make_corpus(tmp_path, make_people(50, seed=2), seed=3, count=40, dpi_choices=DPIS)
    assert [scan.case_files for scan in again] == [scan.case_files for scan in corpus]
    for first, second in zip(corpus, again, strict=False):
        assert hashlib.sha256(_content(first.path)).digest() == hashlib.sha256(_content(second.path)).digest()


@pytest.mark.parametrize(
    ("style", "printed"), [("spaces", "SGD - 2024 0412"), ("slashes", "SGD/2024/0412"), ("joined", "SGD20240412")]
)
def test_reference_styles(style: str, printed: str) -> None:
    assert format_reference("SGD-2024-0412", style) == printed


def test_demo_inbox_matches_its_truth(tmp_path: Path) -> None:
    people = make_people(30, seed=1)
    truth = make_demo_inputs(tmp_path, people, seed=1)
    inbox = tmp_path / "inbox"
    records = {person.case_reference: person for person in people}
    for scan in truth.open_scans:
        assert scan.path.parent == inbox
        assert _page_count(scan.path) == scan.pages
    for entry in truth.closed:
        relative = entry.scan.path.parent.relative_to(inbox / "closed")
        assert " / ".join(relative.parts) == entry.location
        assert entry.in_records == (entry.scan.case_files[0].case_reference in records)
    assert truth.not_in_template.case_reference not in records
    assert [entry.in_records for entry in truth.closed].count(False) == 1

    contradicted = next(scan for scan in truth.open_scans if scan.variation == "contradicting-name")
    printed = contradicted.case_files[0]
    assert printed.case_reference in truth.needs_review
    assert printed.name != records[printed.case_reference].name
    assert truth.unreadable == tuple(s.path for s in truth.open_scans if s.case_files[0].case_reference is None)
    linked = {case.case_reference for scan in truth.open_scans for case in scan.case_files} - set(truth.needs_review)
    assert linked - {None} == set(truth.linked)
    for reference in truth.linked + truth.missing_scans:
        assert records[reference].status == "Open" and records[reference].paper_file
    assert records[truth.missing_catalogue[0]].status == "Closed"
