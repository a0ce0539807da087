"""The printed sheets themselves: one page per in-scope record, readable text, decodable barcodes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import zxingcpp

from common.printed import LOCATION_PREFIX
from config.settings import DEFAULT_REFERENCE_PATTERN
from records.template import TemplateRecord
from scanner.references import canonical_reference
from sheets.coversheets import sheet_reference
from tests.support.sheets import EXCLUDED, ROWS, page_texts, rasterise

PATTERNS = [DEFAULT_REFERENCE_PATTERN]
IN_SCOPE = [row for row in ROWS if row[6] == "N"]


def key(reference: str) -> str:
    canonical = canonical_reference(reference, PATTERNS)
    assert canonical is not None
    return canonical


def test_one_sheet_per_in_scope_record_with_reference_name_and_dates(
    tmp_path: Path, template_workspace, run_cli
) -> None:
    out = tmp_path / "covers.pdf"
    result = run_cli("coversheets", "--out", str(out))
    assert result.exit_code == 0, result.output
    texts = page_texts(out)
    assert len(texts) == len(IN_SCOPE)
    today = date.today().strftime("%d/%m/%Y")
    for text, (reference, forename, surname, dob, *_rest) in zip(texts, IN_SCOPE, strict=False):
        assert f"Case Reference: {reference}" in text
        assert f"{forename} {surname}" in text  # accents survive: the font is embedded with its Unicode map
        assert f"Date of birth: {dob}" in text
        assert f"Printed {today}" in text
        assert "Place on top of the file, scan the whole file behind it." in text
    assert not any(EXCLUDED in text for text in texts)
    assert "Withheld" not in "".join(texts)


def test_each_sheet_has_a_qr_and_a_code128_of_its_reference(tmp_path: Path, template_workspace, run_cli) -> None:
    out = tmp_path / "covers.pdf"
    assert run_cli("coversheets", "--out", str(out)).exit_code == 0
    for image, row in zip(rasterise(out), IN_SCOPE, strict=False):
        found = {result.format: result.text for result in zxingcpp.read_barcodes(image)}
        assert set(found) == {zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128}
        assert {key(text) for text in found.values()} == {key(row[0])}


def test_closed_sheets_have_location_boxes_and_open_ones_do_not(tmp_path: Path, template_workspace, run_cli) -> None:
    out = tmp_path / "covers.pdf"
    assert run_cli("coversheets", "--out", str(out)).exit_code == 0
    for text, row in zip(page_texts(out), IN_SCOPE, strict=False):
        assert ("Location of this closed file" in text) == (row[4] == "Closed")


def test_status_filter_and_case_references_in_any_spelling(tmp_path: Path, template_workspace, run_cli) -> None:
    closed = tmp_path / "closed.pdf"
    assert run_cli("coversheets", "--status", "closed", "--out", str(closed)).exit_code == 0
    assert [t.count("Status: Closed") for t in page_texts(closed)] == [1, 1, 1]

    chosen = tmp_path / "chosen.pdf"
    result = run_cli(
        "coversheets", "--case", "csc 2018 3307", "--case", "sgd-2024-0412,SGD/2019/7731", "--out", str(chosen)
    )
    assert result.exit_code == 0, result.output
    texts = page_texts(chosen)
    assert [next(r for r in ROWS if f"Case Reference: {r[0]}" in t)[0] for t in texts] == [
        "SGD/2024/0412",
        "sgd-2019-7731",
        "CSC-2018-3307",  # template order, not the order asked
    ]


@pytest.mark.parametrize(
    ("args", "exit_code", "says"),
    [
        (["--case", "XYZ-2020-0001"], 2, "no record in the template has that reference"),
        (["--case", EXCLUDED], 2, "excluded"),
        (["--case", "SGD-2024-0412", "--status", "Closed"], 1, "no Closed in-scope records"),
    ],
)
def test_a_selection_that_prints_nothing_is_one_line_and_writes_no_file(
    tmp_path: Path, template_workspace, run_cli, args: list[str], exit_code: int, says: str
) -> None:
    out = tmp_path / "none.pdf"
    result = run_cli("coversheets", *args, "--out", str(out))
    assert result.exit_code == exit_code
    assert says in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_no_records_imported_is_a_clear_error(tmp_path: Path, workspace, run_cli) -> None:
    result = run_cli("coversheets", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "records import" in result.output


def test_missing_output_folder_is_a_usage_error(tmp_path: Path, template_workspace, run_cli) -> None:
    result = run_cli("coversheets", "--out", str(tmp_path / "no such folder" / "x.pdf"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not list(tmp_path.glob("**/*.part"))


def test_location_sheet_carries_the_prefixed_location_in_its_qr_and_large_type(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "box.pdf"
    result = run_cli("locationsheet", "Eglwys Gadeiriol/Cwpwrdd Tân /  Box 12", "--out", str(out))
    assert result.exit_code == 0, result.output
    location = "Eglwys Gadeiriol / Cwpwrdd Tân / Box 12"
    assert location in result.output
    [image] = rasterise(out)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [LOCATION_PREFIX + location]
    [text] = page_texts(out)
    assert "Cwpwrdd Tân" in text and "Box 12" in text


def test_an_empty_location_is_refused(tmp_path: Path, run_cli) -> None:
    result = run_cli("locationsheet", " / ", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "location is empty" in result.output


def _record(reference: str, key_: str) -> TemplateRecord:
    return TemplateRecord(1, reference, key_, "A", "B", None, "Open", None, None, True, False, {})


def test_sheet_reference_keeps_the_template_spelling_only_when_it_reads_back_the_same() -> None:
    assert sheet_reference(_record("sgd / 2024 / 0412", "SGD-2024-0412"), PATTERNS) == "sgd / 2024 / 0412"
    # Imported under other patterns: the spelling no longer reads back to its key, so print the canonical form.
    assert sheet_reference(_record("SGD20240412", "SGD20240412"), PATTERNS) == "SGD-2024-0412"
    assert sheet_reference(_record("LEGACY 17", "LEGACY 17"), PATTERNS) == "LEGACY 17"
