"""A missing OCR language stops the service at start-up with its install advice; no file is touched."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from cli.main import cli
from config.workspace import init_workspace


def test_missing_ocr_language_refuses_to_start_and_touches_nothing(tmp_path: Path) -> None:
    workspace, _ = init_workspace(tmp_path / "ws")
    scan = workspace.inbox / "scan.png"
    Image.new("L", (200, 200), 255).save(scan)
    result = CliRunner().invoke(
        cli,
        ["-w", str(workspace.root), "watch", "--once"],
        env={"CASESCAN_SCANNER_OCR_LANGUAGE": "xyz", "CASESCAN_WATCH_SETTLE_SECONDS": "0"},
    )
    assert result.exit_code == 1
    assert "no 'xyz' language data" in result.output and "apt-get install tesseract-ocr-xyz" in result.output
    assert scan.is_file() and not any(workspace.quarantine.iterdir())
