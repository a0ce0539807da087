"""A scan's file name is often the child's name: no log line at INFO or above may carry a person's
name, date of birth or a file name made of them, through import, identification, a failed scan,
cover sheets, an export with an original changed since, and `casescan scan`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from config.workspace import Workspace
from scanner import ScanOptions
from scanner.model import ScanResult
from store.database import open_database
from synthetic.files import write_image
from synthetic.pages import draw_cover
from synthetic.people import Person, make_people
from synthetic.template import write_template
from tests.support.watch import drop, ready
from watch.pipeline import Pipeline, Steps, default_steps

DPI = 200


def named_after(person: Person) -> str:
    """A file name as staff write them: the child's name and date of birth."""
    return f"{person.forename} {person.surname} {person.date_of_birth:%d-%m-%Y}"


def personal(person: Person) -> list[str]:
    """Every spelling of the person's details a log line could carry."""
    born: date = person.date_of_birth
    words = [part for part in f"{person.forename} {person.surname}".replace("-", " ").split() if len(part) > 2]
    return [*words, named_after(person), f"{born:%d/%m/%Y}", born.isoformat(), f"{born:%d-%m-%Y}"]


@pytest.fixture
def people() -> list[Person]:
    return [p for p in make_people(8, seed=3) if not p.excluded][:2]


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], str]]:
    """Everything logged at INFO or above, messages and tracebacks alike."""
    caplog.set_level(logging.DEBUG)
    formatter = logging.Formatter()

    def text() -> str:
        kept = [r for r in caplog.records if r.levelno >= logging.INFO]
        return "\n".join(r.getMessage() + (formatter.formatException(r.exc_info) if r.exc_info else "") for r in kept)

    yield text


def test_nothing_personal_is_logged_at_info_or_above(
    workspace: Workspace,
    run_cli: Callable[..., Result],
    tmp_path: Path,
    people: list[Person],
    logged: Callable[[], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, second = people
    template = write_template(people, tmp_path / f"{named_after(first)} template.csv")
    assert run_cli("-v", "records", "import", str(template)).exit_code == 0

    pipeline = Pipeline(workspace, open_database(workspace.database), default_steps())
    try:
        for person in people:
            scan = write_image(draw_cover(person, "labelled", DPI), tmp_path / "scan.png", DPI)
            done = pipeline.process(ready(drop(workspace, f"{named_after(person)}.png", scan.read_bytes())))
            assert done.state == "done", done
        broken = pipeline.process(ready(drop(workspace, f"{named_after(second)} page 2.pdf", b"%PDF-1.4 torn")))
        assert broken.state == "quarantined"
    finally:
        pipeline.db.close()

    (workspace.archive / f"{named_after(second)}.png").write_bytes(b"not an image any more")
    assert run_cli("-v", "export", "--out", str(tmp_path / named_after(first))).exit_code == 1
    out = tmp_path / f"{named_after(first)}.pdf"
    assert run_cli("-v", "coversheets", "--case", first.case_reference, "--out", str(out)).exit_code == 0
    assert run_cli("-v", "scan", str(workspace.archive / f"{named_after(first)}.png")).exit_code == 0

    text = logged()
    assert "event=identified" in text and "export_written" in text and "scanner-crashed" not in text
    for person in people:
        for detail in personal(person):
            assert detail.casefold() not in text.casefold(), f"{detail!r} logged at INFO or above"
    debug = "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert named_after(first) in debug  # still there for whoever debugs, at DEBUG only


def test_a_scanner_crash_quoting_the_file_name_logs_only_its_kind_at_error(
    workspace: Workspace, tmp_path: Path, people: list[Person], logged: Callable[[], str]
) -> None:
    real = default_steps()

    def crashing(path: Path, options: ScanOptions) -> ScanResult:
        raise RuntimeError(f"cannot decode {path} ({named_after(people[0])}.png)")

    steps = Steps(crashing, real.options, real.known_references, real.decide, real.store)
    pipeline = Pipeline(workspace, open_database(workspace.database), steps)
    try:
        result = pipeline.process(ready(drop(workspace, f"{named_after(people[0])}.png", b"\x89PNG\r\n\x1a\n")))
    finally:
        pipeline.db.close()
    assert result.state == "quarantined"
    text = logged()
    assert "event=scanner-crashed" in text and "RuntimeError" in text
    for detail in personal(people[0]):
        assert detail.casefold() not in text.casefold(), f"{detail!r} logged at INFO or above"
