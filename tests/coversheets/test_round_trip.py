"""Printed sheets scanned back: every case file split at its cover and identified by barcode.

The sheets go through what a multifunction scanner does to paper (200 dpi, skew, speckle, blur,
JPEG at quality 50, one fed upside down) with case-note pages between them, then through the
real scanner.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

import scanner
from config.workspace import Workspace
from scanner.references import canonical_reference
from store.database import open_database
from store.records import reference_keys
from synthetic.files import write_pdf
from synthetic.pages import degrade, draw_continuation
from tests.support.engines import both_engines
from tests.support.sheets import ROWS, SCAN_DPI, rasterise

pytestmark = both_engines

LOCATION = "Diocesan House / Basement Store / Box 12"


def options(workspace: Workspace) -> scanner.ScanOptions:
    with open_database(workspace.database, readonly=True) as db:
        known = reference_keys(db)
    return scanner.scan_options(workspace.settings, known)


def keys_of(status: str, workspace: Workspace) -> list[str]:
    patterns = workspace.settings.case_reference.patterns
    return [canonical_reference(row[0], patterns) or "" for row in ROWS if row[4] == status and row[6] == "N"]


def scanned(page: Image.Image, index: int, *, upside_down: bool = False) -> Image.Image:
    """A page as a worn scanner feeds it: each one skewed its own way."""
    return degrade(
        page,
        skew=(-1.2, 0.8, 1.5, -0.5)[index % 4],
        blur=0.7,
        noise=0.004,
        rotate=180 if upside_down else 0,
        seed=index,
    )


def test_open_batch_is_split_at_each_cover_and_identified_by_barcode(
    tmp_path: Path, template_workspace, run_cli
) -> None:
    covers = tmp_path / "open.pdf"
    assert run_cli("coversheets", "--status", "Open", "--out", str(covers)).exit_code == 0
    pages: list[Image.Image] = []
    expected: list[tuple[int, int, str]] = []
    for index, (cover, key) in enumerate(zip(rasterise(covers), keys_of("Open", template_workspace), strict=False)):
        first = len(pages) + 1
        pages.append(scanned(cover, index, upside_down=index == 1))
        pages += [scanned(draw_continuation(seed, SCAN_DPI), seed) for seed in range(index + 1)]
        expected.append((first, len(pages), key))
    batch = write_pdf(pages, tmp_path / "batch.pdf", SCAN_DPI, encoding="jpeg", quality=50)

    result = scanner.identify_file(batch, options(template_workspace))

    assert result.pages == len(pages)
    assert [
        (f.first_page, f.last_page, f.cover.case_reference if f.cover else None) for f in result.case_files
    ] == expected
    assert all(f.cover is not None and f.cover.method == "barcode" for f in result.case_files)


def test_location_sheet_sets_the_location_of_the_closed_sheets_behind_it(
    tmp_path: Path, template_workspace, run_cli
) -> None:
    location_pdf, covers = tmp_path / "location.pdf", tmp_path / "closed.pdf"
    assert run_cli("locationsheet", LOCATION, "--out", str(location_pdf)).exit_code == 0
    assert run_cli("coversheets", "--status", "Closed", "--out", str(covers)).exit_code == 0
    pages = [
        scanned(page, index, upside_down=index == 2)
        for index, page in enumerate(rasterise(location_pdf) + rasterise(covers))
    ]
    batch = write_pdf(pages, tmp_path / "front sheets.pdf", SCAN_DPI, encoding="jpeg", quality=50)

    result = scanner.identify_file(batch, options(template_workspace))

    keys = keys_of("Closed", template_workspace)
    assert [(f.first_page, f.last_page) for f in result.case_files] == [(n, n) for n in range(2, len(keys) + 2)]
    assert [f.cover.case_reference if f.cover else None for f in result.case_files] == keys
    assert all(f.cover is not None and f.cover.method == "barcode" for f in result.case_files)
    assert {f.location for f in result.case_files} == {LOCATION}


def white_out_half_of_every_barcode(page: Image.Image) -> Image.Image:
    """Cover the left half of each barcode found, as a torn corner or a coffee stain would."""
    found = zxingcpp.read_barcodes(page)
    assert {r.format for r in found} == {zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128}
    damaged = page.copy()
    pen = ImageDraw.Draw(damaged)
    for barcode in found:
        corners = (
            barcode.position.top_left,
            barcode.position.top_right,
            barcode.position.bottom_right,
            barcode.position.bottom_left,
        )
        xs, ys = [c.x for c in corners], [c.y for c in corners]
        left, right = min(xs) - 40, max(xs)
        pen.rectangle((left, min(ys) - 40, (left + right) // 2, max(ys) + 40), fill=255)
    assert zxingcpp.read_barcodes(damaged) == []
    return damaged


@pytest.mark.parametrize("status", ["Open", "Closed"])
def test_reference_is_read_by_ocr_alone_when_the_barcodes_are_damaged(
    tmp_path: Path, template_workspace, run_cli, status: str
) -> None:
    covers = tmp_path / "covers.pdf"
    key = keys_of(status, template_workspace)[0]
    assert run_cli("coversheets", "--case", key, "--out", str(covers)).exit_code == 0
    [page] = rasterise(covers)
    damaged = scanned(white_out_half_of_every_barcode(page), 1)
    batch = write_pdf(
        [damaged, scanned(draw_continuation(3, SCAN_DPI), 3)],
        tmp_path / "damaged.pdf",
        SCAN_DPI,
        encoding="jpeg",
        quality=50,
    )

    result = scanner.identify_file(batch, options(template_workspace))

    [case_file] = result.case_files
    assert (case_file.first_page, case_file.last_page) == (1, 2)
    assert case_file.cover is not None
    assert case_file.cover.case_reference == key
    assert case_file.cover.method in ("ocr", "ocr-corrected")
