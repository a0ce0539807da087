"""The migration package end to end: real template import, real scan files, the real command."""

from __future__ import annotations

import csv
import getpass
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import cast

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import Result
from openpyxl import load_workbook
from PIL import Image

from config.workspace import Workspace
from store.database import open_database
from tests.support import catalogue as shared_scans
from tests.support.catalogue import EXCLUDED, Scans, cover, page_images
from tests.support.engines import both_engines

pytestmark = both_engines

PACKAGE_FILES = {
    "records.csv",
    "manifest.csv",
    "closed_paper_catalogue.csv",
    "exceptions.csv",
    "migration.xlsx",
    "reconciliation.json",
    "attachments",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def state(scans: Scans) -> dict[str, int]:
    """A realistic mix: batches, a G4 TIFF, a JPEG, an excluded case, closed front sheets, problems."""
    ids: dict[str, int] = {}
    batch = scans.add("2024/batch.pdf", [(1, 2, cover("SGD-2024-0412")), (3, 5, cover("SGD-2021-5520"))])
    scans.add("second.tiff", [(1, 3, cover("SGD-2024-0412"))], kind="tiff")
    (ids["review"],) = scans.add("photo.jpg", [(1, 1, cover("SGD-2024-0413", "ocr"))], kind="jpeg")
    scans.add("excluded.png", [(1, 1, cover(EXCLUDED[0]))], kind="png")
    (ids["unknown"],) = scans.add("unknown.pdf", [(1, 1, cover("XYZ-2001-0001", "ocr"))], archived=False)
    scans.add(
        "closed/Diocesan House/Box 12/front.pdf",
        [(1, 1, cover("CSC-2018-3307")), (2, 2, cover("CSC-1999-0001", "ocr", confidence=0.9))],
        closed=True,
        location="Diocesan House / Box 12",
    )
    scans.problem("bad.pdf")
    scans.problem(
        "batch copy.pdf", duplicate_of=scans.db.query("SELECT scan_id FROM documents WHERE id = ?", (batch[0],))[0][0]
    )
    return ids


def export(run_cli: Callable[..., Result], out: Path) -> Result:
    return run_cli("export", "--out", str(out))


def test_package_has_every_file_and_says_no_go(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = export(run_cli, tmp_path / "pkg")
    assert result.exit_code == 1, result.output
    assert "NO-GO" in result.output
    assert {p.name for p in (tmp_path / "pkg").iterdir()} == PACKAGE_FILES
    report = json.loads((tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8"))
    assert report["go"] is False
    failed = {c["name"] for c in report["checks"] if not c["passed"]}
    # unknown.pdf was never moved out of the inbox (the fixture keeps it there), so the inbox is not clear
    assert failed == {
        "inbox_processed",
        "nothing_to_review",
        "no_unknown_references",
        "nothing_quarantined",
        "no_missing_scans",
        "no_missing_catalogue",
    }
    assert report["missing"] == {
        "missing_scan": ["SGD-2024-0413", "DSA-2022-10456"],
        "missing_catalogue": ["CSC-2016-118"],
    }
    assert report["matrix"]["paper_closed"] == {"expected": 2, "catalogued": 1, "catalogue_entries": 2, "paper_only": 1}
    assert report["matrix"]["paper_open"]["linked_case_files"] == 3


def test_records_manifest_and_attachments(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path, loaded: Workspace
) -> None:
    export(run_cli, tmp_path / "pkg")
    records = read_csv(tmp_path / "pkg" / "records.csv")
    assert list(records[0]) == [
        "Case Reference",
        "Forename",
        "Surname",
        "Date of Birth",
        "Case Status",
        "Paper File",
        "Archbishop's List",
        "Notes",
        "scanned_documents",
        "attachments",
    ]
    first = records[0]
    assert (first["Case Reference"], first["Forename"], first["Date of Birth"]) == (
        "SGD/2024/0412",
        "Zoë",
        "04/03/2010",
    )
    assert first["scanned_documents"] == "2"
    assert first["attachments"] == (
        "attachments/SGD-2024-0412/SGD-2024-0412_1.pdf; attachments/SGD-2024-0412/SGD-2024-0412_2.pdf"
    )
    manifest = read_csv(tmp_path / "pkg" / "manifest.csv")
    assert list(manifest[0]) == [
        "case_reference",
        "attachment",
        "source_file",
        "source_pages",
        "pages",
        "sha256",
        "link_method",
        "confidence",
        "linked_by",
        "linked_at",
    ]
    assert [(m["case_reference"], m["source_file"], m["source_pages"], m["pages"]) for m in manifest] == [
        ("SGD/2024/0412", "2024/batch.pdf", "1-2", "2"),
        ("SGD/2024/0412", "second.tiff", "1-3", "3"),
        ("SGD-2021-5520", "2024/batch.pdf", "3-5", "3"),
    ]
    for row in manifest:
        data = (tmp_path / "pkg" / row["attachment"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        with pikepdf.open(tmp_path / "pkg" / row["attachment"]) as pdf:
            assert len(pdf.pages) == int(row["pages"])
        assert row["link_method"] == "barcode"


def _images(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    return [cast(pikepdf.Stream, next(iter(page.get_images().values()))) for page in pdf.pages]


def test_attachments_are_cut_without_re_encoding(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path, loaded: Workspace
) -> None:
    export(run_cli, tmp_path / "pkg")
    folder = tmp_path / "pkg" / "attachments"
    with (
        pikepdf.open(loaded.archive / "2024" / "batch.pdf") as original,
        pikepdf.open(folder / "SGD-2021-5520" / "SGD-2021-5520_1.pdf") as cut,
    ):
        assert [i.read_raw_bytes() for i in _images(cut)] == [i.read_raw_bytes() for i in _images(original)[2:5]]
    with pikepdf.open(folder / "SGD-2024-0412" / "SGD-2024-0412_2.pdf") as cut:
        assert [pikepdf.PdfImage(i).filters for i in _images(cut)] == [["/CCITTFaxDecode"]] * 3


def test_excluded_records_appear_in_no_file(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    export(run_cli, tmp_path / "pkg")
    secrets = [EXCLUDED[0], EXCLUDED[2], EXCLUDED[7], "excluded.png"]
    for path in (tmp_path / "pkg").rglob("*"):
        assert all(s not in str(path.relative_to(tmp_path)) for s in secrets), path
        if path.suffix in (".csv", ".json"):
            text = path.read_text(encoding="utf-8")
            assert all(s not in text for s in secrets), path.name
    workbook = load_workbook(tmp_path / "pkg" / "migration.xlsx", read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert all(s not in str(cell) for cell in row for s in secrets), sheet.title
    workbook.close()


def test_formula_like_text_is_defused(state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    export(run_cli, tmp_path / "pkg")
    notes = [r["Notes"] for r in read_csv(tmp_path / "pkg" / "records.csv")]
    assert notes == ['\'=HYPERLINK("http://x")', "'-5 days", "", "", "", "'@note"]
    sheet = load_workbook(tmp_path / "pkg" / "migration.xlsx")["records"]
    assert (sheet["H2"].value, sheet["H2"].data_type) == ('=HYPERLINK("http://x")', "s")


def test_workbook_opens_with_frozen_filtered_dated_sheets(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    export(run_cli, tmp_path / "pkg")
    workbook = load_workbook(tmp_path / "pkg" / "migration.xlsx")
    assert workbook.sheetnames == ["records", "manifest", "closed_paper_catalogue", "exceptions", "reconciliation"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, sheet.title
        assert sheet.column_dimensions["A"].width >= 8
    records = workbook["records"]
    assert records["D1"].value == "Date of Birth"
    assert records["D2"].value == datetime(2010, 3, 4) and records["D2"].is_date
    assert isinstance(workbook["manifest"]["J2"].value, datetime)
    assert records.max_row == 7


def test_catalogue_and_exceptions(state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path) -> None:
    export(run_cli, tmp_path / "pkg")
    catalogue = read_csv(tmp_path / "pkg" / "closed_paper_catalogue.csv")
    assert [(c["case_reference"], c["location"], c["in_records"], c["subject_name"]) for c in catalogue] == [
        ("CSC-1999-0001", "Diocesan House / Box 12", "N", ""),
        ("CSC-2018-3307", "Diocesan House / Box 12", "Y", "Siobhán Ó Súilleabháin"),
    ]
    exceptions = read_csv(tmp_path / "pkg" / "exceptions.csv")
    assert list(exceptions[0]) == ["kind", "case_reference", "source_file", "source_pages", "detail"]
    assert sorted((e["kind"], e["case_reference"], e["source_file"]) for e in exceptions) == sorted(
        [
            ("needs_review", "SGD-2024-0413", "photo.jpg"),
            ("unknown_reference", "XYZ-2001-0001", "unknown.pdf"),
            ("quarantined", "", "bad.pdf"),
            ("duplicate", "", "batch copy.pdf"),
            ("missing_scan", "SGD-2024-0413", ""),
            ("missing_scan", "DSA-2022-10456", ""),
            ("missing_catalogue", "CSC-2016-118", ""),
        ]
    )


def test_two_exports_of_one_state_are_identical(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    export(run_cli, tmp_path / "one")
    export(run_cli, tmp_path / "two")
    for path in (tmp_path / "one").rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".pdf", ".json"):
            assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes(), path.name


def test_manual_link_shows_who_in_the_manifest(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    status = run_cli("status")
    assert f"id={state['review']}" in status.output and "kind=needs_review" in status.output
    result = run_cli("link", str(state["review"]), "sgd 2024 0413")
    assert result.exit_code == 0, result.output
    assert "linked to SGD-2024-0413" in result.output
    again = run_cli("link", str(state["review"]), "SGD-2024-0413")
    assert again.exit_code == 1 and "already decided" in again.output
    export(run_cli, tmp_path / "pkg")
    manual = [m for m in read_csv(tmp_path / "pkg" / "manifest.csv") if m["case_reference"] == "SGD-2024-0413"]
    assert [(m["link_method"], m["linked_by"], m["source_file"]) for m in manual] == [
        ("manual", getpass.getuser(), "photo.jpg")
    ]
    report = json.loads((tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8"))
    assert report["missing"]["missing_scan"] == ["DSA-2022-10456"]


def test_reject_takes_an_item_off_the_queue(
    state: dict[str, int], run_cli: Callable[..., Result], loaded: Workspace
) -> None:
    result = run_cli("reject", str(state["unknown"]))
    assert result.exit_code == 0 and "rejected" in result.output
    with open_database(loaded.database) as db:
        audit = db.query("SELECT actor, action, document_id, before_json, after_json FROM audit")
    assert [(a["actor"], a["action"], a["document_id"]) for a in audit] == [
        (getpass.getuser(), "reject", state["unknown"])
    ]
    assert json.loads(audit[0]["before_json"])["state"] == "unknown"
    assert json.loads(audit[0]["after_json"])["state"] == "rejected"
    assert f"id={state['unknown']}," not in run_cli("status").output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("link", "999", "SGD-2024-0413"), 2, "no document 999"),
        (("link", "1", "NOPE-1"), 2, "no template record"),
        (("link", "abc", "SGD-2024-0413"), 2, "not a valid integer"),
    ],
)
def test_link_mistakes_are_one_line_errors(
    state: dict[str, int], run_cli: Callable[..., Result], args: tuple[str, ...], code: int, message: str
) -> None:
    result = run_cli(*args)
    assert result.exit_code == code and message in result.output
    assert "Traceback" not in result.output


def test_export_refuses_a_folder_that_is_not_empty(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = export(run_cli, tmp_path / "full")
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


def test_everything_accounted_for_is_a_go(
    workspace: Workspace, run_cli: Callable[..., Result], write_template: Callable[..., Path], tmp_path: Path
) -> None:
    run_cli(
        "records",
        "import",
        str(
            write_template(
                [
                    ["SGD-2024-0001", "Ann", "Lee", "01/02/2003", "Open", "Y", "N", ""],
                    ["CSC-2010-0002", "Bob", "Ray", "01/02/1960", "Closed", "Y", "N", ""],
                ]
            )
        ),
    )
    with open_database(workspace.database) as db:
        scans = Scans(workspace, db)
        scans.add("a.pdf", [(1, 2, cover("SGD-2024-0001"))])
        scans.add("closed/Box 1/b.pdf", [(1, 1, cover("CSC-2010-0002"))], closed=True, location="Box 1")
    result = run_cli("export")
    assert result.exit_code == 0, result.output
    folders = list(workspace.output.iterdir())
    assert len(folders) == 1 and json.loads((folders[0] / "reconciliation.json").read_text())["go"] is True


@pytest.mark.parametrize("damage", ["corrupt", "gone"])
def test_an_original_that_cannot_be_cut_is_an_exception_not_a_crash(
    scans: Scans, run_cli: Callable[..., Result], tmp_path: Path, damage: str
) -> None:
    scans.add("good.pdf", [(1, 1, cover("SGD-2021-5520"))])
    scans.add("bad.pdf", [(1, 2, cover("SGD-2024-0413")), (3, 3, cover("SGD-2021-5520"))])
    original = scans.workspace.archive / "bad.pdf"
    if damage == "corrupt":
        original.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    else:
        original.unlink()
    result = export(run_cli, tmp_path / "pkg")
    assert result.exit_code == 1 and "Traceback" not in result.output
    manifest = read_csv(tmp_path / "pkg" / "manifest.csv")
    assert [(m["source_file"], m["attachment"]) for m in manifest] == [
        ("good.pdf", "attachments/SGD-2021-5520/SGD-2021-5520_1.pdf")
    ]
    records = {r["Case Reference"]: r for r in read_csv(tmp_path / "pkg" / "records.csv")}
    assert records["SGD-2021-5520"]["scanned_documents"] == "1" and records["SGD-2024-0413"]["attachments"] == ""
    failed = [e for e in read_csv(tmp_path / "pkg" / "exceptions.csv") if e["source_file"] == "bad.pdf"]
    assert {(e["kind"], e["source_pages"]) for e in failed} == {("unreadable", "1-2"), ("unreadable", "3-3")}
    report = json.loads((tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8"))
    assert not next(c for c in report["checks"] if c["name"] == "attachments_written")["passed"]
    assert not list(tmp_path.glob(".pkg.partial-*"))


def test_template_cells_are_exported_exactly_as_imported(
    workspace: Workspace, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Leading zeros, dates typed as text, trailing spaces and Windows-1252 names survive the round trip;
    only formula-like text (here one starting with a tab or CR) is defused in CSV and kept as text in the workbook."""
    template = tmp_path / "cp1252.csv"
    rows = [
        ["Case Reference", "Forename", "Surname", "Date of Birth", "Notes", "Code"],
        ["SGD-2024-0412", "Siobhán ", "Ó Súilleabháin", "4/3/2010", "\tTabbed", "00123"],
        ["SGD-2024-0413", "Zoë", "O'Brien", "04/03/2010", "\rReturn", "0042 "],
    ]
    with template.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert run_cli("records", "import", str(template)).exit_code == 0
    export(run_cli, tmp_path / "pkg")
    exported = [[r[c] for c in rows[0]] for r in read_csv(tmp_path / "pkg" / "records.csv")]
    assert exported == [
        ["SGD-2024-0412", "Siobhán ", "Ó Súilleabháin", "4/3/2010", "'\tTabbed", "00123"],
        ["SGD-2024-0413", "Zoë", "O'Brien", "04/03/2010", "'\rReturn", "0042 "],
    ]
    sheet = load_workbook(tmp_path / "pkg" / "migration.xlsx")["records"]
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2, max_col=6)]
    assert [row[1] for row in cells] == [("Siobhán ", "s"), ("Zoë", "s")]
    assert [row[4] for row in cells] == [("\tTabbed", "s"), ("\rReturn", "s")]
    assert [row[5] for row in cells] == [("00123", "s"), ("0042 ", "s")]


FORMULA_HEADERS = ['=HYPERLINK("http://x/?"&A2,"open")', "@Extra", "+Plus", "-Minus", "=1+1"]


def test_template_headers_are_defused_and_reported(
    workspace: Workspace, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A header is a cell too: a live formula in the header row must not reach records.csv or the workbook."""
    template = tmp_path / "headers.csv"
    with template.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["Case Reference", *FORMULA_HEADERS, "Forename"], ["SGD-2024-0412", "a", "b", "c", "d", "e", "Zoë"]]
        )
    imported = run_cli("records", "import", str(template))
    assert imported.exit_code == 0, imported.output
    reported = [line for line in imported.output.splitlines() if line.split()[:2] == ["1", "formula_like_header"]]
    assert len(reported) == len(FORMULA_HEADERS)
    export(run_cli, tmp_path / "pkg")
    with (tmp_path / "pkg" / "records.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "Case Reference",
        *("'" + h for h in FORMULA_HEADERS),
        "Forename",
        "scanned_documents",
        "attachments",
    ]
    sheet = load_workbook(tmp_path / "pkg" / "migration.xlsx")["records"]
    cells = [(cell.value, cell.data_type) for cell in sheet[1]]
    assert cells[1 : 1 + len(FORMULA_HEADERS)] == [(h, "s") for h in FORMULA_HEADERS]
    assert all(data_type != "f" for _, data_type in cells)


def test_every_csv_starts_with_a_byte_order_mark(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """UK Excel reads UTF-8 only after a BOM: without it Zoë shows as ZoÃ«."""
    export(run_cli, tmp_path / "pkg")
    tables = sorted((tmp_path / "pkg").glob("*.csv"))
    assert len(tables) == 4
    for table in tables:
        data = table.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and not data[3:].startswith(b"\xef\xbb\xbf"), table.name
    assert "Zoë" in (tmp_path / "pkg" / "records.csv").read_bytes()[3:].decode("utf-8")


def test_reopen_from_the_command_line(state: dict[str, int], run_cli: Callable[..., Result]) -> None:
    assert run_cli("link", str(state["review"]), "SGD-2024-0413").exit_code == 0
    missing = run_cli("reopen", str(state["review"]))
    assert missing.exit_code == 2 and "--reason" in missing.output
    done = run_cli("reopen", str(state["review"]), "--reason", "linked by mistake")
    assert done.exit_code == 0, done.output
    assert "waits for review again" in done.output
    assert f"id={state['review']}" in run_cli("status").output
    again = run_cli("reopen", str(state["review"]), "--reason", "twice")
    assert again.exit_code == 2 and "no decision by a person" in again.output
    assert run_cli("link", str(state["review"]), "SGD-2024-0413").exit_code == 0


def test_the_os_user_casescan_cannot_decide(
    state: dict[str, int], run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'casescan' is the automatic linker's name: a person recorded as it would pass as the service."""
    monkeypatch.setattr(getpass, "getuser", lambda: "casescan")
    for args in (("link", str(state["review"]), "SGD-2024-0413"), ("reject", str(state["review"]))):
        result = run_cli(*args)
        assert result.exit_code == 2 and "automatic links" in result.output
    refused = run_cli("users", "add", "CaseScan", "--role", "admin", input="twelve chars!\ntwelve chars!\n")
    assert refused.exit_code == 2 and "automatic links" in refused.output


def test_the_template_lacks_this_case_is_an_exception_with_the_note_and_not_a_no_go(
    state: dict[str, int], run_cli: Callable[..., Result], tmp_path: Path, loaded: Workspace
) -> None:
    from decisions.actions import note_not_in_template

    with open_database(loaded.database) as db:
        note_not_in_template(db, state["unknown"], "alice", "=opened in 2023")
    export(run_cli, tmp_path / "pkg")
    unknown = [e for e in read_csv(tmp_path / "pkg" / "exceptions.csv") if e["kind"] == "unknown_reference"]
    assert [(e["case_reference"], e["source_file"]) for e in unknown] == [("XYZ-2001-0001", "unknown.pdf")]
    assert "template lacks this case" in unknown[0]["detail"] and "alice" in unknown[0]["detail"]
    assert unknown[0]["detail"].endswith(": =opened in 2023")
    report = json.loads((tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8"))
    check = next(c for c in report["checks"] if c["name"] == "no_unknown_references")
    assert check["passed"] and report["states"]["unknown_noted"] == 1 and report["states"]["unknown"] == 0


def _sixteen_bit_tiff(path: Path, pages: int) -> None:
    """A 16-bit greyscale TIFF, as film and archive scanners write one (issue 12, input 7)."""
    frames = [Image.fromarray(np.asarray(page, dtype=np.uint16) * 257) for page in page_images(pages)]
    frames[0].save(path, "TIFF", compression="tiff_adobe_deflate", save_all=True, append_images=frames[1:])


def _transparent_png(path: Path, pages: int) -> None:
    """Paper fully transparent and stored as (0, 0, 0, 0) (issue 12, input 6)."""
    ink = 255 - np.asarray(page_images(pages)[0])
    rgba = np.zeros((*ink.shape, 4), np.uint8)
    rgba[..., 3] = ink
    Image.fromarray(rgba, "RGBA").save(path)


def _transparent_palette_png(path: Path, pages: int) -> None:
    """A palette PNG whose paper entry is black and marked transparent (tRNS)."""
    ink = np.asarray(page_images(pages)[0]) < 128
    image = Image.fromarray(np.where(ink, 0, 1).astype(np.uint8), "P")
    image.putpalette([0, 0, 0, 0, 0, 0])
    image.save(path, transparency=1)


def _wrong_dpi_jpeg(path: Path, pages: int) -> None:
    """An A4 page at 300 dpi whose JFIF header says 72 (issue 12, input 5)."""
    Image.new("L", (2480, 3508), 255).save(path, "JPEG", dpi=(72, 72))


def _mirrored_exif_jpeg(path: Path, pages: int) -> None:
    """EXIF orientation 5 (mirrored and turned), which img2pdf refuses to lay out."""
    exif = Image.Exif()
    exif[0x0112] = 5
    page_images(pages)[0].transpose(Image.Transpose.TRANSPOSE).save(path, "JPEG", exif=exif)


@pytest.mark.parametrize(
    "write, kind",
    [
        (_sixteen_bit_tiff, "tiff"),
        (_transparent_png, "png"),
        (_transparent_palette_png, "png"),
        (_wrong_dpi_jpeg, "jpeg"),
        (_mirrored_exif_jpeg, "jpeg"),
    ],
    ids=["16-bit-tiff", "transparent-png", "transparent-palette-png", "jpeg-72-dpi", "jpeg-exif-5"],
)
def test_an_image_identification_reads_is_always_exported_as_a_viewer_shows_it(
    scans: Scans,
    run_cli: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[Path, int], None],
    kind: str,
) -> None:
    def write_scan(path: Path, pages: int, _kind: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, pages)
        return path

    monkeypatch.setattr(shared_scans, "write_scan", write_scan)
    pages = 2 if kind == "tiff" else 1
    scans.add(f"scan.{kind}", [(1, pages, cover("SGD-2021-5520"))], kind=kind)
    export(run_cli, tmp_path / "pkg")
    report = json.loads((tmp_path / "pkg" / "reconciliation.json").read_text(encoding="utf-8"))
    assert next(c for c in report["checks"] if c["name"] == "attachments_written")["passed"]
    attachment = tmp_path / "pkg" / "attachments" / "SGD-2021-5520" / "SGD-2021-5520_1.pdf"
    document = pdfium.PdfDocument(str(attachment))
    try:
        assert len(document) == pages
        width, height = document[0].get_size()
        if write is _wrong_dpi_jpeg:
            assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4, as identification saw it
        rendered = np.asarray(document[0].render(scale=1).to_pil().convert("L"))
        assert rendered.mean() > 200  # white paper, not a black square
        if write is not _wrong_dpi_jpeg:
            assert rendered.min() < 60 and rendered[: rendered.shape[0] // 4, : rendered.shape[1] // 4].min() < 60
    finally:
        document.close()


def test_a_fax_attachment_keeps_its_proportions_and_its_group_4_data(tmp_path: Path) -> None:
    """204 × 98 dpi: the attachment's page is as tall as the sheet, and the G4 data is not re-encoded."""
    from export.attachments import Cut, cut_scan

    source = tmp_path / "fax.tif"
    Image.new("1", (1728, 1146), 1).save(source, "TIFF", compression="group4", dpi=(204, 98))
    [result] = cut_scan((source, [Cut(1, 1, 1, tmp_path / "fax.pdf")]))
    assert result.error is None
    with pikepdf.open(tmp_path / "fax.pdf") as pdf:
        width, height = (float(value) for value in pdf.pages[0].MediaBox[2:])
        assert abs(height / width - 1146 / 98 / (1728 / 204)) < 0.01
        assert [pikepdf.PdfImage(i).filters for i in _images(pdf)] == [["/CCITTFaxDecode"]]
