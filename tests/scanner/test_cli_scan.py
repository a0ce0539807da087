"""`casescan scan` in-process: JSON shape, per-file errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from synthetic.files import write_image
from synthetic.pages import draw_cover
from synthetic.people import Person


def test_scan_json_reports_each_file_and_carries_on_after_errors(
    tmp_path: Path, people: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASESCAN_WORKSPACE", raising=False)
    good = write_image(draw_cover(people[7], "labelled", 200, barcode="datamatrix"), tmp_path / "good.png", 200)
    bad = tmp_path / "notes.txt"
    bad.write_text("not a scan")
    result = CliRunner().invoke(cli, ["scan", "--json", str(good), str(bad)])
    assert result.exit_code == 1, result.output
    first, second = json.loads(result.stdout)
    assert first["error"] is None and first["pages"] == 1
    (document,) = first["documents"]
    assert (document["case_reference"], document["method"]) == (people[7].case_reference, "barcode")
    assert set(document) >= {"first_page", "last_page", "confidence", "candidates", "fields"}
    assert second["documents"] == [] and "not a PDF" in second["error"]


def test_scan_plain_output_exit_zero(tmp_path: Path, people: list[Person], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASESCAN_WORKSPACE", raising=False)
    good = write_image(draw_cover(people[7], "labelled", 200, barcode="qr"), tmp_path / "good.png", 200)
    result = CliRunner().invoke(cli, ["scan", str(good)])
    assert result.exit_code == 0
    assert people[7].case_reference in result.output


def test_scan_json_prints_every_reading_with_its_evidence(
    tmp_path: Path, people: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASESCAN_WORKSPACE", raising=False)
    ocr = write_image(draw_cover(people[6], "labelled", 200), tmp_path / "ocr.png", 200)
    blank = write_image(
        draw_cover(people[5], "boxed", 200, reference_text="SGD-20##-####"), tmp_path / "blank.png", 200
    )
    result = CliRunner().invoke(cli, ["scan", "--json", str(ocr), str(blank)])
    read, unread = (entry["documents"][0] for entry in json.loads(result.stdout))
    top = read["candidates"][0]
    assert (top["case_reference"], top["method"], top["labelled"], top["corrections"]) == (
        people[6].case_reference,
        "ocr",
        True,
        [],
    )
    assert 0 < top["word_confidence"] <= 100 and read["evidence"]
    assert unread["case_reference"] is None and unread["evidence"] and unread["doubts"] == []
    plain = CliRunner().invoke(cli, ["scan", str(blank)])
    assert "no reference read (a cover:" in plain.output


def test_a_file_that_cannot_be_scanned_is_named_once_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new user's empty file printed "errs/empty.pdf: error: errs/empty.pdf: the file is empty"."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASESCAN_WORKSPACE", raising=False)
    (tmp_path / "errs").mkdir()
    (tmp_path / "errs" / "empty.pdf").write_bytes(b"")
    result = CliRunner().invoke(cli, ["scan", "errs/empty.pdf"])
    assert result.exit_code == 1
    assert result.output.strip() == "errs/empty.pdf: error: the file is empty; scan it again."


@pytest.mark.parametrize("kind", ["jpg", "png", "tif"])
def test_an_image_cut_short_is_a_damaged_scan_not_a_path_to_fix(
    tmp_path: Path, people: list[Person], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """A tester's truncated JPEG exited 2 (a usage error) telling them to fix its permissions:
    Pillow decodes lazily, and its error came from the first use of the page, outside the guard."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASESCAN_WORKSPACE", raising=False)
    draw_cover(people[2], "labelled", 200).save(tmp_path / f"whole.{kind}", dpi=(200, 200))
    whole = (tmp_path / f"whole.{kind}").read_bytes()
    (tmp_path / f"cut.{kind}").write_bytes(whole[: len(whole) * 2 // 3])
    result = CliRunner().invoke(cli, ["scan", f"cut.{kind}"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"cut.{kind}: error: cannot be read as a scan"), result.output
    assert "permissions" not in result.output and len(result.output.strip().splitlines()) == 1
