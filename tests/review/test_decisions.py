"""Deciding items through the page: link, reject, correct a catalogue entry, lose a race, search."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC

from flask.testing import FlaskClient

from decisions.actions import get_item
from store.audit import audit_entries
from store.database import open_database
from tests.support.engines import both_engines
from tests.support.review import Seeded, csrf
from tests.support.seed import add_account

pytestmark = both_engines


def _state(seeded: Seeded, name: str) -> tuple[str, str | None, str | None]:
    with open_database(seeded.workspace.database) as db:
        item = get_item(db, seeded.ids[name])
    assert item is not None
    return item.state, item.record_reference, item.linked_by


def test_linking_records_who_and_opens_the_next_item(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    token = login("lee")
    item = seeded.ids["contradicted"]
    response = client.post(
        f"/items/{item}/link", data={"csrf_token": token, "state": "needs_review", "case_reference": "CP-2021-0002"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/items/{seeded.ids['corrected']}"
    assert _state(seeded, "contradicted") == ("linked_manual", "CP-2021-0002", "lee")
    assert "Linked item" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_second_lead_is_told_and_nothing_is_linked_twice(app, seeded: Seeded, login: Callable[..., str]) -> None:
    first, second = app.test_client(), app.test_client()
    tokens = []
    for client in (first, second):
        client.post(
            "/login", data={"username": "lee", "password": "a long test passphrase", "csrf_token": csrf(client)}
        )
        tokens.append(csrf(client, f"/items/{seeded.ids['race']}"))
    item = seeded.ids["race"]
    won = first.post(
        f"/items/{item}/link", data={"csrf_token": tokens[0], "state": "needs_review", "case_reference": "CP-2018-0300"}
    )
    lost = second.post(f"/items/{item}/reject", data={"csrf_token": tokens[1], "state": "needs_review"})
    assert won.status_code == 302 and lost.status_code == 409
    assert "Someone else decided this item first" in lost.get_data(as_text=True)
    assert _state(seeded, "race")[0] == "linked_manual"
    with open_database(seeded.workspace.database) as db:
        assert [entry.action for entry in audit_entries(db, document_id=item)] == ["link"]


def test_reject_and_catalogue_edit(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("lee")
    assert (
        client.post(
            f"/items/{seeded.ids['unknown']}/reject", data={"csrf_token": token, "state": "unknown"}
        ).status_code
        == 302
    )
    assert _state(seeded, "unknown")[:1] == ("rejected",)
    response = client.post(
        f"/items/{seeded.ids['closed']}/catalogue",
        data={
            "csrf_token": token,
            "state": "needs_review",
            "case_reference": "CP-2020-0107",
            "subject_name": "Siobhán Ó Súilleabháin",
            "location": "Diocesan House / Strongroom / Box 3",
        },
    )
    assert response.status_code == 302
    with open_database(seeded.workspace.database) as db:
        item = get_item(db, seeded.ids["closed"])
    assert item is not None and item.state == "catalogued" and item.entry is not None
    assert (item.entry.subject_name, item.entry.location) == (
        "Siobhán Ó Súilleabháin",
        "Diocesan House / Strongroom / Box 3",
    )


def test_a_reference_not_in_the_template_is_refused_with_a_message(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    token = login()
    response = client.post(
        f"/items/{seeded.ids['unknown']}/link",
        data={"csrf_token": token, "state": "unknown", "case_reference": "CP-2099-0001"},
    )
    assert response.status_code == 400
    assert "CP-2099-0001" in response.get_data(as_text=True)
    assert _state(seeded, "unknown")[0] == "unknown"


def test_search_finds_names_as_people_type_them(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    login()
    page = client.get(f"/items/{seeded.ids['unknown']}?q=zoe+obrien").get_data(as_text=True)
    assert "CP-2021-0001" in page and "Zoë O&#39;Brien" in page
    page = client.get(f"/items/{seeded.ids['unknown']}?q=2019+0042").get_data(as_text=True)
    assert "1 record found" in page and "CP-2019-0042" in page
    assert "0 records found" in client.get(f"/items/{seeded.ids['unknown']}?q=nobody").get_data(as_text=True)


def test_the_queue_counts_by_kind_oldest_first(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    login()
    page = client.get("/").get_data(as_text=True)
    assert '<span class="number">4</span> Needs review' in page
    assert '<span class="number">1</span> Catalogue entry to check' in page
    order = [page.index(f">Item {seeded.ids[name]}<") for name in ("contradicted", "corrected", "unknown", "race")]
    assert order == sorted(order)


def test_the_audit_csv_has_every_decision_and_defuses_formulas(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    add_account(seeded.workspace, "=HYPERLINK(1)", "admin")
    token = login("=HYPERLINK(1)")
    client.post(f"/items/{seeded.ids['unknown']}/reject", data={"csrf_token": token, "state": "unknown"})
    assert "=HYPERLINK(1)" in client.get("/admin/audit").get_data(as_text=True)
    response = client.get("/admin/audit.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert [(row["actor"], row["action"], row["document_id"]) for row in rows if row["document_id"]] == [
        ("'=HYPERLINK(1)", "reject", str(seeded.ids["unknown"]))
    ]
    decision = next(row for row in rows if row["action"] == "reject")
    assert '"state": "unknown"' in decision["before"] and '"state": "rejected"' in decision["after"]


def test_admin_adds_and_disables_accounts(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("ada")
    refused = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "sam",
            "role": "lead",
            "password": "twelve chars!",
            "password_repeat": "different one",
        },
    )
    assert refused.status_code == 400 and "differ" in refused.get_data(as_text=True)
    added = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "sam",
            "role": "lead",
            "password": "twelve chars!",
            "password_repeat": "twelve chars!",
        },
    )
    assert added.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<td>sam</td>" in page
    client.post("/admin/users/1/disable", data={"csrf_token": token})  # lee
    sam = _login_status(client, "sam", "twelve chars!")
    lee = _login_status(client, "lee", "a long test passphrase")
    assert (sam, lee) == (302, 401)


def _login_status(client: FlaskClient, name: str, password: str) -> int:
    client.post("/logout", data={"csrf_token": csrf(client, "/login")})
    return client.post("/login", data={"username": name, "password": password, "csrf_token": csrf(client)}).status_code


def test_an_admin_exports_from_the_page(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("ada")
    page = client.post("/admin/export", data={"csrf_token": token}).get_data(as_text=True)
    assert "No-go:" in page  # six items still wait for review
    (folder,) = [path for path in seeded.workspace.output.iterdir() if not path.name.startswith(".")]
    assert (folder / "manifest.csv").is_file() and str(folder) in page


def test_sign_ins_account_changes_and_exports_are_audited_without_passwords(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    wrong = "a wrong but long passphrase"
    client.post("/login", data={"username": "ada", "password": wrong, "csrf_token": csrf(client)})
    client.post("/login", data={"username": wrong, "password": wrong, "csrf_token": csrf(client)})
    token = login("ada")
    new = "sam's long passphrase"
    client.post(
        "/admin/users",
        data={"csrf_token": token, "name": "sam", "role": "lead", "password": new, "password_repeat": new},
    )
    with open_database(seeded.workspace.database) as db:
        sam = db.query("SELECT id FROM users WHERE name = 'sam'")[0][0]
    client.post(f"/admin/users/{sam}/disable", data={"csrf_token": token})
    client.post("/admin/export", data={"csrf_token": token})
    client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": "a long test passphrase",
            "password": new + "!",
            "password_repeat": new + "!",
        },
    )
    client.post("/logout", data={"csrf_token": csrf(client, "/")})
    with open_database(seeded.workspace.database) as db:
        entries = list(reversed(audit_entries(db)))
    events = [(entry.actor, entry.action) for entry in entries]
    assert events == [
        ("ada", "sign_in_failed"),
        ("(a name with no account)", "sign_in_failed"),
        ("ada", "sign_in"),
        ("ada", "user_added"),
        ("ada", "user_disabled"),
        ("ada", "export"),
        ("ada", "password_changed"),
        ("ada", "sign_out"),
    ]
    assert all(entry.at for entry in entries)
    assert "sam" in entries[3].detail and "sam" in entries[4].detail
    text = repr(entries)
    assert wrong not in text and new not in text and "test passphrase" not in text


def test_a_huge_item_id_is_a_404_not_an_error(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("ada")
    for huge in (2**63, 10**30):
        for path in (f"/items/{huge}", f"/items/{huge}/pages/1.png", f"/items/{seeded.ids['closed']}/pages/{huge}.png"):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/items/{huge}/reject", data={"csrf_token": token}).status_code == 404
        assert client.post(f"/admin/users/{huge}/disable", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/items/{2**63 - 1}").status_code == 404


def _heading(client: FlaskClient, document: int) -> str:
    import re

    match = re.search(r"<h1>(.*?)</h1>", client.get(f"/items/{document}").get_data(as_text=True))
    assert match
    return match.group(1)


def test_decided_items_have_headings_in_words(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("lee")
    linked, rejected = seeded.ids["contradicted"], seeded.ids["unreadable"]
    client.post(f"/items/{linked}/link", data={"csrf_token": token, "case_reference": "CP-2021-0002"})
    client.post(f"/items/{rejected}/reject", data={"csrf_token": token})
    headings = {_heading(client, linked), _heading(client, rejected)}
    assert headings == {
        f"Item {linked}: Linked by a person to CP-2021-0002",
        f"Item {rejected}: Rejected: not a case file",
    }
    states = ("linked_manual", "linked_auto", "needs_review", "unknown", "unreadable", "rejected", "catalogued", "_")
    assert not any(state in heading for heading in headings for state in states)


def test_a_readable_closed_front_sheet_shows_its_catalogue_entry_and_record(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    """A front sheet catalogued automatically: its entry and the record it matched, not 'none found'."""
    token = login("lee")
    closed = seeded.ids["closed"]
    client.post(
        f"/items/{closed}/catalogue",
        data={"csrf_token": token, "case_reference": "CP-2020-0107", "subject_name": "", "location": "Box 3"},
    )
    page = client.get(f"/items/{closed}").get_data(as_text=True)
    assert "none found" not in page
    assert "The record it is linked to" in page and "CP-2020-0107, Siobhán Ó Súilleabháin" in page
    assert "Box 3" in page and f"Item {closed}: Catalogued closed paper file to CP-2020-0107" in page


def test_formula_like_catalogue_input_is_refused_with_a_message(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    token = login("lee")
    closed = seeded.ids["closed"]
    response = client.post(
        f"/items/{closed}/catalogue",
        data={"csrf_token": token, "case_reference": "=1+1", "subject_name": "", "location": "Box 3"},
    )
    assert response.status_code == 400
    assert "a spreadsheet would run as a formula" in response.get_data(as_text=True)
    assert _state(seeded, "closed")[2] is None


def test_only_an_admin_reopens_and_the_trail_keeps_both_decisions(app, seeded: Seeded) -> None:
    from tests.support.review import csrf as token_of
    from tests.support.seed import PASSWORD

    lead, admin = app.test_client(), app.test_client()
    for client, name in ((lead, "lee"), (admin, "ada")):
        client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token_of(client)})
    item = seeded.ids["race"]
    lead.post(f"/items/{item}/reject", data={"csrf_token": token_of(lead, "/")})
    assert "Reopen this decision" not in lead.get(f"/items/{item}").get_data(as_text=True)
    assert (
        lead.post(f"/items/{item}/reopen", data={"csrf_token": token_of(lead, "/"), "reason": "x"}).status_code == 403
    )
    assert "Reopen this decision" in admin.get(f"/items/{item}").get_data(as_text=True)
    no_reason = admin.post(f"/items/{item}/reopen", data={"csrf_token": token_of(admin, "/"), "reason": " "})
    assert no_reason.status_code == 400 and "say why" in no_reason.get_data(as_text=True)
    done = admin.post(f"/items/{item}/reopen", data={"csrf_token": token_of(admin, "/"), "reason": "slipped"})
    assert done.status_code == 302
    assert _state(seeded, "race")[0] == "needs_review"
    with open_database(seeded.workspace.database) as db:
        trail = [(e.actor, e.action, e.detail) for e in reversed(audit_entries(db, document_id=item))]
    assert trail == [("lee", "reject", ""), ("ada", "reopen", "slipped")]


def test_two_exports_in_the_same_second_get_two_folders(seeded: Seeded, monkeypatch) -> None:
    import threading
    from datetime import datetime

    from export import package

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    monkeypatch.setattr(package, "datetime", Frozen)
    results, errors = [], []

    def run() -> None:
        try:
            results.append(package.export_package(seeded.workspace, actor="ada"))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    folders = sorted(result.folder.name for result in results)
    assert folders == ["2026-01-02T030405Z", "2026-01-02T030405Z-2", "2026-01-02T030405Z-3"]
    assert all((result.folder / "reconciliation.json").is_file() for result in results)
