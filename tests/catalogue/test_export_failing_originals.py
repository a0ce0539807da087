"""An export whose originals keep failing (a disk or share going bad while it runs) stops with one
line, leaves no package and no half-written folder, rather than rest on originals that move."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import Result

from export import attachments, package
from export.attachments import Cut, CutResult
from tests.support.catalogue import Scans, cover


def test_originals_that_fail_anew_on_the_second_pass_stop_the_export(
    scans: Scans, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans.add("first.pdf", [(1, 1, cover("SGD-2021-5520"))])
    scans.add("second.pdf", [(1, 1, cover("SGD-2024-0413"))])
    passes: list[int] = []
    real_cut = attachments.cut_scan

    class Counted(attachments.Cutting):
        def __init__(self, jobs: Sequence[tuple[Path, Sequence[Cut]]], workers: int) -> None:
            passes.append(len(passes) + 1)
            super().__init__(jobs, 0)

    def failing_disk(job: tuple[Path, Sequence[Cut]]) -> list[CutResult]:
        """Reads fail for one original on the first pass and for the other on the second."""
        source, cuts = job
        if source.name == ("first.pdf" if passes[-1] == 1 else "second.pdf"):
            return [CutResult(cut.document_id, 0, "", f"cannot read the original {source}: I/O error") for cut in cuts]
        return real_cut(job)

    monkeypatch.setattr(package, "Cutting", Counted)
    monkeypatch.setattr(attachments, "cut_scan", failing_disk)
    result = run_cli("export", "--out", str(tmp_path / "pkg"))
    assert passes == [1, 2]
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "second pass" in result.output and "archive/" in result.output
    assert not (tmp_path / "pkg").exists() and not list(tmp_path.glob(".pkg.partial-*"))
