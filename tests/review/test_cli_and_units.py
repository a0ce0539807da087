"""`casescan users` and `casescan review`, and the pure pieces of the page (throttle, next, evidence)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from click.testing import CliRunner, Result

import cli.review
from cli.main import cli as casescan
from config.workspace import Workspace
from records.template import TemplateRecord
from review.evidence import DIFFERS, MATCHES, NOT_READ, compare, next_item
from review.security import safe_next
from scanner.model import CoverFields
from tests.support.engines import both_engines

pytestmark = both_engines


def test_users_add_reads_two_lines_from_stdin(run_cli: Callable[..., Result]) -> None:
    assert run_cli("users", "add", "sam", "--role", "lead", input="twelve chars!\ntwelve chars!\n").exit_code == 0
    listed = run_cli("users", "list").output
    assert "sam\tlead\tactive" in listed
    assert run_cli("users", "disable", "sam").exit_code == 0
    assert "sam\tlead\tdisabled" in run_cli("users", "list").output


@pytest.mark.parametrize(
    "typed, message",
    [
        ("twelve chars!\nother chars!!\n", "differ"),
        ("short\nshort\n", "12 characters"),
    ],
)
def test_users_add_refuses_bad_passwords(run_cli: Callable[..., Result], typed: str, message: str) -> None:
    result = run_cli("users", "add", "sam", "--role", "lead", input=typed)
    assert result.exit_code == 2 and message in result.output
    assert "sam" not in run_cli("users", "list").output


def test_users_errors_are_one_line(run_cli: Callable[..., Result]) -> None:
    run_cli("users", "add", "sam", "--role", "admin", input="twelve chars!\ntwelve chars!\n")
    again = run_cli("users", "add", "sam", "--role", "admin", input="twelve chars!\ntwelve chars!\n")
    assert again.exit_code == 2 and "already exists" in again.output
    missing = run_cli("users", "disable", "nobody")
    assert missing.exit_code == 2 and "no user named" in missing.output
    assert run_cli("users", "add", "x", "--role", "boss", input="").exit_code == 2


class _Server:
    port = 8765

    def serve_forever(self) -> None:
        return None

    def server_close(self) -> None:
        return None


@pytest.mark.parametrize(
    "host, warned",
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True), ("192.168.1.20", True)],
)
def test_review_warns_when_reachable_from_other_computers(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, host: str, warned: bool
) -> None:
    bound: list[str] = []

    def make_server(h: str, *args: object, **kwargs: object) -> _Server:
        bound.append(h)
        return _Server()

    monkeypatch.setattr(cli.review, "make_server", make_server)
    result = CliRunner().invoke(casescan, ["-w", str(workspace.root), "review", "--host", host])
    assert result.exit_code == 0, result.output
    assert bound == [host]
    assert ("WARNING" in result.output) is warned


def test_review_needs_cert_and_key_together(workspace: Workspace, tmp_path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    result = CliRunner().invoke(casescan, ["-w", str(workspace.root), "review", "--cert", str(cert)])
    assert result.exit_code == 2 and "--cert and --key go together" in result.output


@pytest.mark.parametrize(
    "target, safe",
    [
        ("/items/3", True),
        ("/?q=a", True),
        ("", False),
        (None, False),
        ("items", False),
        ("//evil", False),
        ("/\\evil", False),
        ("https://evil/", False),
        ("/a\nb", False),
    ],
)
def test_safe_next(target: str | None, safe: bool) -> None:
    assert (safe_next(target) is not None) is safe
    assert safe_next(target) in (None, target)


@pytest.mark.parametrize(
    "queue, after, before, expected",
    [
        ([1, 2, 3], 1, [], 2),  # skip
        ([1, 2, 3], 3, [], 1),  # skip at the end wraps round
        ([1, 3], 2, [1, 2, 3], 3),  # decided: the one that followed it, not the skipped first
        ([1], 3, [1, 2, 3], 1),
        ([], 3, [3], None),
        ([5], 9, [], 5),  # an item no longer in the queue
    ],
)
def test_next_item(queue: list[int], after: int, before: list[int], expected: int | None) -> None:
    assert next_item(queue, after, before) == expected


def test_compare_puts_cover_and_record_side_by_side() -> None:
    record = TemplateRecord(
        row=2,
        case_reference="CP-2021-0001",
        reference_key="CP-2021-0001",
        forename="Zoë",
        surname="O'Brien",
        date_of_birth=date(2012, 4, 3),
        status="Open",
        date_opened=None,
        date_closed=None,
        paper_file=True,
        excluded=False,
        columns={},
    )
    rows = compare("CP-2021-0001", CoverFields(name="ZOE OBRIEN", date_of_birth=date(2012, 3, 4)), record, 85)
    assert [(row.field, row.verdict) for row in rows] == [
        ("Case reference", MATCHES),
        ("Name", MATCHES),
        ("Date of birth", DIFFERS),
    ]
    assert rows[2].on_cover == "04/03/2012" and rows[2].in_record == "03/04/2012"
    assert [row.verdict for row in compare(None, CoverFields(), record, 85)] == [NOT_READ] * 3


@pytest.mark.parametrize(
    "command", [["link", "{id}", "SGD-2024-0412"], ["reject", "{id}"], ["reopen", "{id}", "--reason", "a slip"]]
)
@pytest.mark.parametrize("document", [2**63, 10**20, 0])
def test_a_document_id_no_row_can_have_is_one_line_not_a_traceback(
    run_cli: Callable[..., Result], command: list[str], document: int
) -> None:
    result = run_cli(*[part.replace("{id}", str(document)) for part in command])
    assert result.exit_code == 2
    assert f"there is no document {document}" in result.output
    assert "Traceback" not in result.output


def test_compare_shows_a_name_and_birth_date_found_in_the_covers_text_without_a_label() -> None:
    """A second user's trial: the candidate's reason said "name found on the cover" while its table
    said "not on the cover", because the name stood under the reference with no label."""
    record = TemplateRecord(
        2, "CP-2024-0302", "CP-2024-0302", "Oliver", "Green", date(2013, 6, 1), "Open", None, None, True, False, {}
    )
    text = "Case Reference: CP-2024-0301\nOLIVER GREEN\n01/06/2013"
    rows = compare("CP-2024-0301", CoverFields(), record, 85, text)
    assert [(row.field, row.verdict) for row in rows] == [
        ("Case reference", DIFFERS),
        ("Name", MATCHES),
        ("Date of birth", MATCHES),
    ]
    assert "no label" in rows[1].on_cover and "01/06/2013" in rows[2].on_cover
    assert [row.verdict for row in compare("CP-2024-0302", CoverFields(), record, 85, "Oliver Greenwood")][1:] == [
        NOT_READ,
        NOT_READ,
    ]
