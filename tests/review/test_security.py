"""The review page's gates: login on every route, CSRF on every POST, no paths from requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from review.app import create_app
from store.database import open_database
from store.users import disable_user, secret_key
from tests.support.engines import both_engines
from tests.support.review import TOKEN, Seeded, csrf
from tests.support.seed import PASSWORD

pytestmark = both_engines

TOKEN_FIELD = TOKEN

# Every route but the login form and static files; {doc} is a waiting item, {user} an account id.
GET_ROUTES = [
    "/",
    "/items/{doc}",
    "/items/{doc}/pages/1.png",
    "/admin/audit",
    "/admin/audit.csv",
    "/admin/users",
    "/admin/export",
    "/account/password",
]
POST_ROUTES = [
    "/logout",
    "/items/{doc}/link",
    "/items/{doc}/reject",
    "/items/{doc}/catalogue",
    "/items/{doc}/not-in-template",
    "/items/{doc}/reopen",
    "/admin/users",
    "/admin/users/{user}/disable",
    "/admin/export",
    "/account/password",
]


def _url(template: str, seeded: Seeded) -> str:
    return template.format(doc=seeded.ids["closed"], user=1)


def test_the_route_lists_cover_every_route(app: Flask) -> None:
    """A new route must join the lists above, so the gates below are tested on it too."""
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        if rule.endpoint not in ("static", "auth.login")
    }
    listed = {
        (
            path.replace("{doc}", "<id:document_id>")
            .replace("{user}", "<id:user_id>")
            .replace("1.png", "<int:page>.png"),
            method,
        )
        for routes, method in ((GET_ROUTES, "GET"), (POST_ROUTES, "POST"))
        for path in routes
    }
    assert rules == listed


@pytest.mark.parametrize("route", GET_ROUTES)
def test_every_page_needs_login(client: FlaskClient, seeded: Seeded, route: str) -> None:
    url = _url(route, seeded)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert url.split("/")[1] in response.headers["Location"] or url == "/"


@pytest.mark.parametrize("route", POST_ROUTES)
def test_every_post_needs_login(client: FlaskClient, seeded: Seeded, route: str) -> None:
    token = csrf(client)
    response = client.post(_url(route, seeded), data={"csrf_token": token, "case_reference": "CP-2021-0001"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("route", [*POST_ROUTES, "/login"])
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_post_needs_the_sessions_csrf_token(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str], route: str, token: str | None
) -> None:
    login("ada")
    data = {"case_reference": "CP-2020-0107", "username": "ada", "password": PASSWORD}
    if token:
        data["csrf_token"] = token
    response = client.post(_url(route, seeded), data=data)
    assert response.status_code == 403
    with open_database(seeded.workspace.database) as db:
        assert db.query("SELECT action FROM audit WHERE action != 'sign_in'") == []


@pytest.mark.parametrize(
    "path",
    [
        "/items/{doc}/pages/../../../../etc/passwd",
        "/items/{doc}/pages/..%2f..%2f..%2fcasescan.db",
        "/items/{doc}/pages/%2e%2e/casescan.toml",
        "/items/{doc}/pages/0.png",
        "/items/{doc}/pages/2.png",
        "/items/{doc}/pages/-1.png",
        "/items/{doc}/pages/1.png/../../../casescan.db",
        "/items/9999/pages/1.png",
        "/items/{doc}/pages/1.tif",
        "/static/../casescan.db",
        "/static/..%2f..%2fcasescan.db",
        "/static/%2e%2e/%2e%2e/casescan.toml",
    ],
)
def test_image_urls_never_reach_other_files(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str], path: str
) -> None:
    login()
    response = client.get(_url(path, seeded))
    assert response.status_code == 404
    assert b"SQLite" not in response.data and b"[workspace]" not in response.data


def test_the_image_of_an_item_is_its_own_page(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    login()
    cover = client.get(f"/items/{seeded.ids['contradicted']}/pages/1.png")
    second = client.get(f"/items/{seeded.ids['contradicted']}/pages/2.png")
    assert cover.mimetype == second.mimetype == "image/png"
    assert cover.data.startswith(b"\x89PNG") and cover.data != second.data


def test_a_missing_original_is_404_not_an_error(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    (seeded.workspace.archive / "race.tif").unlink()
    login()
    assert client.get(f"/items/{seeded.ids['race']}/pages/1.png").status_code == 404


def test_a_lead_cannot_open_admin_pages(client: FlaskClient, login: Callable[..., str]) -> None:
    login("lee")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/export").status_code == 403


def test_cookies_and_headers(client: FlaskClient, seeded: Seeded, login: Callable[..., str]) -> None:
    """SameSite=Lax: a link to an item in an e-mail keeps the lead signed in (CSRF tokens guard the forms)."""
    response = client.post("/login", data={"username": "lee", "password": PASSWORD, "csrf_token": csrf(client)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would mean nothing


@pytest.mark.parametrize("route", [*GET_ROUTES, "/items/{doc}/pages/2.png", "/login", "/no-such-page"])
def test_no_response_is_ever_stored(client: FlaskClient, seeded: Seeded, login: Callable[..., str], route: str) -> None:
    """Page images above all: a cached cover in a shared browser would show a child's name to the next user."""
    login("ada")
    for path in (_url(route, seeded), route.format(doc=seeded.ids["contradicted"], user=1)):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", (path, response.status_code)


def test_hsts_only_over_https(client: FlaskClient, login: Callable[..., str]) -> None:
    login()
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_logout_ends_the_session(client: FlaskClient, login: Callable[..., str]) -> None:
    token = login()
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("casescan_session")
    assert cookie is not None
    return cookie.value


@pytest.mark.parametrize("ending", ["sign_out", "disable", "passwd_cli", "password_page"])
def test_a_copied_cookie_dies_when_its_account_is_signed_out_disabled_or_repassworded(
    app: Flask, seeded: Seeded, login: Callable[..., str], client: FlaskClient, ending: str
) -> None:
    """The session record is server-side (a generation per account): a cookie copied before stops working."""
    from review.security import hash_password
    from store.users import set_password

    token = login("lee")
    copied = _cookie(client)
    elsewhere = app.test_client()
    elsewhere.set_cookie("casescan_session", copied)
    assert elsewhere.get("/").status_code == 200
    if ending == "sign_out":
        client.post("/logout", data={"csrf_token": token})
    elif ending == "disable":
        with open_database(seeded.workspace.database) as db:
            disable_user(db, "lee")
    elif ending == "passwd_cli":
        with open_database(seeded.workspace.database) as db:
            set_password(db, "lee", hash_password("another long passphrase"))
    else:
        changed = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": PASSWORD,
                "password": "another long passphrase",
                "password_repeat": "another long passphrase",
            },
        )
        assert changed.status_code == 302
        assert client.get("/").status_code == 200  # the session that changed it goes on
    stale = app.test_client()
    stale.set_cookie("casescan_session", copied)
    assert stale.get("/").headers["Location"].startswith("/login")
    assert elsewhere.get(f"/items/{seeded.ids['closed']}/pages/1.png").status_code == 302


def test_changing_a_password_needs_the_current_one(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    token = login("lee")
    refused = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": "not it at all",
            "password": "another long passphrase",
            "password_repeat": "another long passphrase",
        },
    )
    assert refused.status_code == 400 and "current password is wrong" in refused.get_data(as_text=True)
    short = client.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "password": "short", "password_repeat": "short"},
    )
    assert short.status_code == 400 and "12 characters" in short.get_data(as_text=True)
    assert _attempt(app_client(seeded), "lee", PASSWORD) == 302


def app_client(seeded: Seeded) -> FlaskClient:
    return create_app(seeded.workspace, testing=True).test_client()


def test_the_secret_key_is_per_workspace_and_kept(seeded: Seeded, tmp_path) -> None:
    from config.workspace import find_workspace, init_workspace

    first = create_app(seeded.workspace).config["SECRET_KEY"]
    assert create_app(seeded.workspace).config["SECRET_KEY"] == first
    init_workspace(tmp_path / "other")
    other = create_app(find_workspace(tmp_path / "other", environ={})).config["SECRET_KEY"]
    assert other != first and len(first) >= 64
    with open_database(seeded.workspace.database) as db:
        assert secret_key(db) == first


def test_a_disabled_user_cannot_log_in_and_is_signed_out(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    login("lee")
    with open_database(seeded.workspace.database) as db:
        disable_user(db, "lee")
    assert client.get("/").status_code == 302
    response = client.post("/login", data={"username": "lee", "password": PASSWORD, "csrf_token": csrf(client)})
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def _attempt(client: FlaskClient, name: str, password: str) -> int:
    return client.post("/login", data={"username": name, "password": password, "csrf_token": csrf(client)}).status_code


def _refusal(client: FlaskClient, name: str, password: str) -> tuple[int, str]:
    response = client.post("/login", data={"username": name, "password": password, "csrf_token": csrf(client)})
    return response.status_code, TOKEN_FIELD.sub("", response.get_data(as_text=True))


def test_a_locked_account_answers_exactly_like_a_wrong_password(client: FlaskClient, seeded: Seeded) -> None:
    """Lockout is the control; a locked name must not be told from an unknown one (status and page alike)."""
    limit = seeded.workspace.settings.review.max_login_failures
    assert [_attempt(client, "lee", "wrong password!") for _ in range(limit)] == [401] * limit
    locked = _refusal(client, "lee", PASSWORD)
    assert locked[0] == 401
    assert locked[1].replace('value="lee"', "") == _refusal(client, "nobody", "wrong password!")[1].replace(
        'value="nobody"', ""
    )
    assert _attempt(client, "ada", PASSWORD) == 302  # the other account is untouched
    restarted = app_client(seeded)  # the lockout is in the database: a restart does not lift it
    assert _attempt(restarted, "lee", PASSWORD) == 401


def test_a_locked_account_still_costs_a_password_hash(
    client: FlaskClient, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same work for every refusal, so timing tells a locked account from an unknown name no better."""
    from review import auth

    limit = seeded.workspace.settings.review.max_login_failures
    for _ in range(limit):
        _attempt(client, "lee", "wrong password!")
    verified: list[str | None] = []
    real = auth.verify_password

    def verify_password(stored: str | None, typed: str) -> tuple[bool, str | None]:
        verified.append(stored)
        return real(stored, typed)

    monkeypatch.setattr(auth, "verify_password", verify_password)
    for name in ("lee", "nobody"):
        assert _attempt(client, name, PASSWORD) == 401
    assert len(verified) == 2


def test_many_failures_from_one_address_never_refuse_a_right_password(
    client: FlaskClient, seeded: Seeded, app: Flask
) -> None:
    """Behind the loopback default every lead shares 127.0.0.1: strangers' failures must not lock the admin out."""
    app.config["THROTTLE_DELAY_SECONDS"] = 0
    limit = seeded.workspace.settings.review.max_login_failures * 3
    statuses = [_attempt(client, f"nobody{n}", "guess guess guess") for n in range(limit + 2)]
    assert statuses == [401] * (limit + 2)
    assert _attempt(client, "ada", PASSWORD) == 302


def test_the_address_count_survives_a_sign_in_and_a_restart(
    client: FlaskClient, seeded: Seeded, app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """A right password in between does not wipe the count (29 failures went through before); nor does a restart."""
    import logging

    app.config["THROTTLE_DELAY_SECONDS"] = 0
    limit = seeded.workspace.settings.review.max_login_failures * 3
    for n in range(limit):
        _attempt(client, f"nobody{n}", "guess guess guess")
        if n == limit // 2:
            assert _attempt(client, "ada", PASSWORD) == 302
    restarted = create_app(seeded.workspace, testing=True)
    restarted.config["THROTTLE_DELAY_SECONDS"] = 0
    with caplog.at_level(logging.INFO, logger="review.auth"):
        assert _attempt(restarted.test_client(), "nobody-else", "guess guess guess") == 401
    assert "event=login_slowed" in caplog.text


def test_a_flood_of_wrong_sign_ins_holds_back_one_server_thread_at_most(
    seeded: Seeded, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each slowed answer used to sleep in its own server thread: 30 wrong sign-ins took every thread."""
    import threading

    from review import auth

    limit = seeded.workspace.settings.review.max_login_failures * 3
    for n in range(limit):
        _attempt(app.test_client(), f"nobody{n}", "guess guess guess")
    release, sleeping = threading.Event(), []

    def sleep(seconds: float) -> None:
        sleeping.append(seconds)
        release.wait(10)

    monkeypatch.setattr(auth.time, "sleep", sleep)
    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(_attempt(app.test_client(), "nobody", "guess")))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads[:]:
        thread.join(timeout=5)
    finished_while_one_sleeps = len(answers)
    release.set()
    for thread in threads:
        thread.join()
    assert len(sleeping) == 1 and finished_while_one_sleeps == 3
    assert answers == [401] * 4


@pytest.mark.parametrize(
    "target, lands",
    [
        ("/items/2?page=1", "/items/2?page=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
        ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),
    ],
)
def test_next_stays_on_the_site(client: FlaskClient, target: str, lands: str) -> None:
    token = csrf(client)
    response = client.post(
        "/login", data={"username": "lee", "password": PASSWORD, "csrf_token": token, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == lands


def test_an_idle_session_expires(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import itsdangerous.timed

    login()
    assert client.get("/").status_code == 200
    idle = seeded.workspace.settings.review.session_minutes * 60 + 5
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + idle)
    assert client.get("/").headers["Location"].startswith("/login")
