"""Deciding items through the page: link, reject, correct a catalogue entry, lose a race, search."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask.testing import FlaskClient

from catalogue.decisions import get_item
from catalogue.store.audit import audit_entries
from catalogue.store.database import open_database
from tests.review.conftest import Seeded, csrf
from tests.review.seed import add_account


def _state(seeded: Seeded, name: str) -> tuple[str, str | None, str | None]:
    with open_database(seeded.workspace.database) as db:
        item = get_item(db, seeded.ids[name])
    assert item is not None
    return item.state, item.record_reference, item.linked_by


def test_linking_records_who_and_opens_the_next_item(client: FlaskClient, seeded: Seeded,
                                                      login: Callable[..., str]) -> None:
    token = login("lee")
    item = seeded.ids["contradicted"]
    response = client.post(f"/items/{item}/link", data={"csrf_token": token, "state": "needs_review",
                                                        "case_reference": "CP-2021-0002"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/items/{seeded.ids['corrected']}"
    assert _state(seeded, "contradicted") == ("linked_manual", "CP-2021-0002", "lee")
    assert "Linked item" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_second_lead_is_told_and_nothing_is_linked_twice(app, seeded: Seeded, login: Callable[..., str]) -> None:
    first, second = app.test_client(), app.test_client()
    tokens = []
    for client in (first, second):
        client.post("/login", data={"username": "lee", "password": "a long test passphrase", "csrf_token": csrf(client)})
        tokens.append(csrf(client, f"/items/{seeded.ids['race']}"))
    item = seeded.ids["race"]
    won = first.post(f"/items/{item}/link", data={"csrf_token": tokens[0], "state": "needs_review",
                                                   "case_reference": "CP-2018-0300"})
    lost = second.post(f"/items/{item}/reject", data={"csrf_token": tokens[1], "state": "needs_review"})
    assert won.status_code == 302 and lost.status_code == 409
    assert "Someone else decided this item first" in lost.get_data(as_text=True)
    assert _state(seeded, "race")[0] == "linked_manual"
    with open_database(seeded.workspace.database) as db:
        assert [entry["action"] for entry in audit_entries(db, document_id=item)] == ["link"]


def test_reject_and_catalogue_edit(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("lee")
    assert client.post(f"/items/{seeded.ids['unknown']}/reject",
                       data={"csrf_token": token, "state": "unknown"}).status_code == 302
    assert _state(seeded, "unknown")[:1] == ("rejected",)
    response = client.post(f"/items/{seeded.ids['closed']}/catalogue", data={
        "csrf_token": token, "state": "needs_review", "case_reference": "CP-2020-0107",
        "subject_name": "Siobhán Ó Súilleabháin", "location": "Diocesan House / Strongroom / Box 3"})
    assert response.status_code == 302
    with open_database(seeded.workspace.database) as db:
        item = get_item(db, seeded.ids["closed"])
    assert item is not None and item.state == "catalogued" and item.entry is not None
    assert (item.entry.subject_name, item.entry.location) == ("Siobhán Ó Súilleabháin", "Diocesan House / Strongroom / Box 3")


def test_a_reference_not_in_the_template_is_refused_with_a_message(client: FlaskClient, seeded: Seeded,
                                                                   login: Callable[..., str]) -> None:
    token = login()
    response = client.post(f"/items/{seeded.ids['unknown']}/link",
                           data={"csrf_token": token, "state": "unknown", "case_reference": "CP-2099-0001"})
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
    assert '<span class="number">3</span> Needs review' in page
    assert '<span class="number">1</span> Catalogue entry to check' in page
    order = [page.index(f">Item {seeded.ids[name]}<") for name in ("contradicted", "corrected", "unknown", "race")]
    assert order == sorted(order)


def test_the_audit_csv_has_every_decision_and_defuses_formulas(client: FlaskClient, seeded: Seeded,
                                                               login: Callable[..., str]) -> None:
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
        ("'=HYPERLINK(1)", "reject", str(seeded.ids["unknown"]))]
    decision = next(row for row in rows if row["action"] == "reject")
    assert '"state": "unknown"' in decision["before"] and '"state": "rejected"' in decision["after"]


def test_admin_adds_and_disables_accounts(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    token = login("ada")
    refused = client.post("/admin/users", data={"csrf_token": token, "name": "sam", "role": "lead",
                                                "password": "twelve chars!", "password_repeat": "different one"})
    assert refused.status_code == 400 and "differ" in refused.get_data(as_text=True)
    added = client.post("/admin/users", data={"csrf_token": token, "name": "sam", "role": "lead",
                                              "password": "twelve chars!", "password_repeat": "twelve chars!"})
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
        client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    wrong = "a wrong but long passphrase"
    client.post("/login", data={"username": "ada", "password": wrong, "csrf_token": csrf(client)})
    client.post("/login", data={"username": wrong, "password": wrong, "csrf_token": csrf(client)})
    token = login("ada")
    new = "sam's long passphrase"
    client.post("/admin/users", data={"csrf_token": token, "name": "sam", "role": "lead", "password": new,
                                      "password_repeat": new})
    with open_database(seeded.workspace.database) as db:
        sam = db.query("SELECT id FROM users WHERE name = 'sam'")[0][0]
    client.post(f"/admin/users/{sam}/disable", data={"csrf_token": token})
    client.post("/admin/export", data={"csrf_token": token})
    client.post("/account/password", data={"csrf_token": token, "current_password": "a long test passphrase",
                                           "password": new + "!", "password_repeat": new + "!"})
    client.post("/logout", data={"csrf_token": csrf(client, "/")})
    with open_database(seeded.workspace.database) as db:
        entries = list(reversed(audit_entries(db)))
    events = [(entry["actor"], entry["action"]) for entry in entries]
    assert events == [("ada", "sign_in_failed"), ("(a name with no account)", "sign_in_failed"), ("ada", "sign_in"),
                      ("ada", "user_added"), ("ada", "user_disabled"), ("ada", "export"),
                      ("ada", "password_changed"), ("ada", "sign_out")]
    assert all(entry["at"] for entry in entries)
    assert "sam" in entries[3]["detail"] and "sam" in entries[4]["detail"]
    text = repr(entries)
    assert wrong not in text and new not in text and "test passphrase" not in text
