"""The review page in a real Chromium: keyboard-only review, races, accessibility, 200 % zoom.

One server (the production server `casescan review` uses, on a free loopback port) and one
browser serve the whole module; each test decides a different item, so the tests do not depend on
their order.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from decisions.actions import get_item
from export import export_package
from review.app import create_app
from review.serving import make_server
from store.audit import audit_entries
from store.database import open_database
from tests.support.review import Seeded, make_seeded
from tests.support.seed import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / ".cache/npm/node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"target-size": {"enabled": True}},
}


class Live:
    def __init__(self, seeded: Seeded, base: str) -> None:
        self.seeded = seeded
        self.base = base

    def url(self, path: str) -> str:
        return self.base + path

    def item(self, name: str) -> str:
        return self.url(f"/items/{self.seeded.ids[name]}")

    def state(self, name: str) -> Any:
        with open_database(self.seeded.workspace.database) as db:
            return get_item(db, self.seeded.ids[name])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    seeded = make_seeded(tmp_path_factory.mktemp("review-live") / "ws")
    server = make_server("127.0.0.1", 0, create_app(seeded.workspace))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Live(seeded, f"http://127.0.0.1:{server.port}")
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium (make setup-test does it)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _context(browser: Any, **options: Any) -> Any:
    context = browser.new_context(viewport=options.pop("viewport", {"width": 1280, "height": 900}), **options)
    context.set_default_timeout(10_000)
    return context


def _sign_in(page: Any, live: Live, name: str) -> None:
    """By keyboard, as a lead would: the user name field has focus when the form opens."""
    page.goto(live.url("/login"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live.url("/"))


@pytest.fixture
def lead_page(browser: Any, live: Live) -> Iterator[Any]:
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, live, "lee")
    yield page
    context.close()


LABEL = "e => (e.innerText || e.value || e.getAttribute('aria-label') || '').trim()"


def _focused(page: Any) -> dict[str, str]:
    return page.evaluate(f"""() => {{ const e = document.activeElement; const s = getComputedStyle(e);
        return {{tag: e.tagName, text: ({LABEL})(e), outline: s.outlineStyle, width: s.outlineWidth,
                shadow: s.boxShadow}}; }}""")


def test_review_an_item_by_keyboard_and_the_link_reaches_the_export(lead_page: Any, live: Live, tmp_path: Path) -> None:
    page = lead_page
    page.goto(live.item("contradicted"))
    page.keyboard.press("+")
    assert page.locator("#viewer img").evaluate("img => img.style.width") == "150%"
    page.keyboard.press("0")
    page.keyboard.press("1")
    assert _focused(page)["text"] == "Link to CP-2021-0002"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Linked item" in page.locator(".messages").inner_text()
    assert page.url != live.item("contradicted")
    item = live.state("contradicted")
    assert (item.state, item.record_reference, item.linked_by) == ("linked_manual", "CP-2021-0002", "lee")

    export = export_package(live.seeded.workspace, tmp_path / "export")
    with (export.folder / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["case_reference"]: row for row in csv.DictReader(handle)}
    assert rows["CP-2021-0002"]["linked_by"] == "lee"
    assert rows["CP-2021-0002"]["link_method"] == "manual"
    assert rows["CP-2021-0002"]["source_file"] == "contradicted.tif"


def test_search_and_link_by_keyboard(lead_page: Any, live: Live) -> None:
    page = lead_page
    page.goto(live.item("corrected"))
    page.keyboard.press("/")
    page.keyboard.type("Nguyen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.keyboard.press("l")
    assert _focused(page)["text"] == "Link to CP-2019-0042"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert live.state("corrected").state == "linked_manual"


def test_reject_by_keyboard(lead_page: Any, live: Live) -> None:
    page = lead_page
    page.goto(live.item("unreadable"))
    page.keyboard.press("r")
    assert _focused(page)["text"] == "Reject: not a case file"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Rejected item" in page.locator(".messages").inner_text()
    assert live.state("unreadable").state == "rejected"


def test_edit_a_catalogue_entry(lead_page: Any, live: Live) -> None:
    page = lead_page
    page.goto(live.item("closed"))
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "entry-reference"
    page.fill("#entry-name", "Siobhán Ó Súilleabháin")
    page.fill("#entry-location", "Diocesan House / Strongroom / Box 3")
    page.focus("#entry-location")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    item = live.state("closed")
    assert item.state == "catalogued" and item.linked_by == "lee"
    assert (item.entry.subject_name, item.entry.location) == (
        "Siobhán Ó Súilleabháin",
        "Diocesan House / Strongroom / Box 3",
    )


def test_two_leads_racing_on_one_item(browser: Any, live: Live) -> None:
    contexts = [_context(browser), _context(browser)]
    pages = [context.new_page() for context in contexts]
    for page, name in zip(pages, ("lee", "ada"), strict=False):
        _sign_in(page, live, name)
        page.goto(live.item("race"))
    with pages[0].expect_navigation():
        pages[0].get_by_role("button", name="Link to CP-2018-0300").click()
    with pages[1].expect_navigation():
        pages[1].get_by_role("button", name="Reject: not a case file").click()
    assert "Someone else decided this item first" in pages[1].locator(".messages").inner_text()
    assert "linked by a person" in pages[1].locator("main").inner_text()
    assert live.state("race").state == "linked_manual"
    with open_database(live.seeded.workspace.database) as db:
        assert [entry.actor for entry in audit_entries(db, document_id=live.seeded.ids["race"])] == ["lee"]
    for context in contexts:
        context.close()


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


VIEWPORTS: dict[str, dict[str, Any]] = {
    "1280 px": {"viewport": {"width": 1280, "height": 900}},
    "400 px": {"viewport": {"width": 400, "height": 800}},
    "320 px": {"viewport": {"width": 320, "height": 640}},
    "200 % zoom": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_page_has_no_axe_violations(browser: Any, live: Live, size: str) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core missing: npm install --prefix {AXE.parents[3]} axe-core@4 (make setup-test does it)")
    # axe is injected inline; the app's own pages run under CSP elsewhere
    context = _context(browser, bypass_csp=True, **VIEWPORTS[size])
    page = context.new_page()
    page.goto(live.url("/login"))
    pages = {"/login": _axe(page)}
    page.fill("#username", "nobody")
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    pages["/login (error)"] = _axe(page)
    _sign_in(page, live, "ada")
    paths = [
        "/",
        *(f"/items/{i}" for i in live.seeded.ids.values()),
        f"/items/{live.seeded.ids['unknown']}?q=o",
        f"/items/{live.seeded.ids['unknown']}?q=nothing-matches",
        "/admin/audit",
        "/admin/users",
        "/admin/export",
        "/account/password",
        "/no-such-page",
    ]
    for path in paths:
        page.goto(live.url(path))
        pages[path] = _axe(page)
    page.goto(live.item("unknown"))
    page.keyboard.press("?")
    pages["shortcuts open"] = _axe(page)
    page.goto(live.url("/admin/export"))
    with page.expect_navigation():
        page.get_by_role("button", name="Export now").click()
    pages["export result"] = _axe(page)
    context.close()
    assert {path: found for path, found in pages.items() if found} == {}


def test_tab_order_reaches_every_action_with_visible_focus(lead_page: Any, live: Live) -> None:
    page = lead_page
    page.goto(live.item("unknown") + "?q=CP-2021")
    actions = page.evaluate(f"""() => Array.from(document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, summary, [tabindex="0"]'))
        .filter(e => e.checkVisibility()).map({LABEL})""")
    seen: list[dict[str, str]] = []
    for _ in range(len(actions) + 5):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] != "BODY":
            seen.append(focused)
    texts = [entry["text"] for entry in seen]
    assert {"Link to CP-2021-0001", "Reject: not a case file", "Search", "Zoom in", "Sign out"} <= set(actions)
    assert texts[: len(actions)] == actions, "Tab order differs from reading order or misses an action"
    for entry in seen:
        visible = (entry["outline"] != "none" and float(entry["width"].rstrip("px")) >= 2) or entry["shadow"] != "none"
        assert visible, f"no visible focus on {entry}"


PAGES = [
    "/",
    "/items/{unknown}?q=CP",
    "/items/{contradicted}",
    "/items/{closed}",
    "/admin/audit",
    "/admin/users",
    "/admin/export",
    "/account/password",
    "/login",
]


@pytest.mark.parametrize("size", ["400 px", "320 px", "200 % zoom"])
@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_when_narrow_or_zoomed(browser: Any, live: Live, path: str, size: str) -> None:
    """200 % zoom is 1280 px drawn as 640 CSS px at twice the pixel density; phones are 400 and 320 px."""
    context = _context(browser, **VIEWPORTS[size])
    page = context.new_page()
    if path != "/login":
        _sign_in(page, live, "ada")
    page.goto(live.url(path.format(**live.seeded.ids)))
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1], f"{path} scrolls sideways at {size}: {widths}"


@pytest.mark.parametrize("size", ["400 px", "320 px"])
def test_the_agree_column_is_on_screen_and_reachable_when_narrow(browser: Any, live: Live, size: str) -> None:
    """A lead on a phone sees "matches"/"differs" for every field without scrolling sideways, and any
    table that still scrolls is a focusable region a keyboard can scroll."""
    context = _context(browser, **VIEWPORTS[size])
    page = context.new_page()
    _sign_in(page, live, "lee")
    page.goto(live.item("contradicted"))
    width = page.evaluate("() => document.documentElement.clientWidth")
    cells = page.locator(".evidence td.agree")
    assert cells.count() >= 3
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert cells.nth(index).inner_text().strip().endswith(("matches", "differs", "not on the cover"))
    unreachable = page.evaluate("""() => Array.from(document.querySelectorAll('.table-wrap'))
        .filter(e => e.scrollWidth > e.clientWidth && e.tabIndex < 0).length""")
    context.close()
    assert unreachable == 0


def _decide_slip(page: Any, live: Live) -> None:
    page.goto(live.item("slip"))
    page.keyboard.press("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_admin_reopens_a_slip_and_the_audit_keeps_both(browser: Any, live: Live, lead_page: Any) -> None:
    _decide_slip(lead_page, live)
    assert live.state("slip").state == "linked_manual"
    lead_page.goto(live.item("slip"))
    assert lead_page.get_by_role("button", name="Reopen this decision").count() == 0
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, live, "ada")
    page.goto(live.item("slip"))
    assert page.locator("h1").inner_text() == f"Item {live.seeded.ids['slip']}: Linked by a person to CP-2018-0300"
    page.get_by_label("Reason for reopening").fill("Enter pressed on the wrong candidate")
    with page.expect_navigation():
        page.get_by_role("button", name="Reopen this decision").click()
    assert "reopened" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == f"Item {live.seeded.ids['slip']}: Needs review"
    assert page.get_by_role("button", name="Link to CP-2018-0300").count() == 1
    assert live.state("slip").state == "needs_review"
    page.goto(live.url("/admin/audit"))
    audit = page.locator("main table").inner_text()
    assert "reopen" in audit and "Enter pressed on the wrong candidate" in audit and "link" in audit
    with open_database(live.seeded.workspace.database) as db:
        trail = [(e.actor, e.action) for e in reversed(audit_entries(db, document_id=live.seeded.ids["slip"]))]
    assert trail == [("lee", "link"), ("ada", "reopen")]
    context.close()


def test_the_template_lacks_this_case_by_keyboard(lead_page: Any, live: Live, tmp_path: Path) -> None:
    page = lead_page
    page.goto(live.item("missing"))
    page.keyboard.press("t")
    assert page.evaluate("document.activeElement.id") == "missing-note"
    page.keyboard.type("Opened in March; not yet in the case system")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "template lacks" in page.locator(".messages").inner_text()
    item = live.state("missing")
    assert (item.state, item.linked_by, item.note) == ("unknown", "lee", "Opened in March; not yet in the case system")
    page.goto(live.url("/"))
    assert f"Item {live.seeded.ids['missing']}<" not in page.content()
    page.goto(live.item("missing"))
    assert page.locator("h1").inner_text().endswith("Unknown reference: the template lacks this case")
    export = export_package(live.seeded.workspace, tmp_path / "export")
    with (export.folder / "exceptions.csv").open(encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if row["case_reference"] == "CP-2023-0500"]
    assert [row["kind"] for row in rows] == ["unknown_reference"]
    assert rows[0]["detail"].endswith("Opened in March; not yet in the case system")
    with (export.folder / "manifest.csv").open(encoding="utf-8-sig") as handle:
        assert all(row["source_file"] != "missing.tif" for row in csv.DictReader(handle))


def test_a_cookie_copied_before_sign_out_no_longer_works(browser: Any, live: Live) -> None:
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, live, "ada")
    copied = context.cookies()
    assert [c["sameSite"] for c in copied if c["name"] == "casescan_session"] == ["Lax"]
    thief = _context(browser)
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(live.url("/admin/users"))
    assert stolen.url == live.url("/admin/users")  # the copy works while the session lives
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    stolen.goto(live.url("/admin/users"))
    assert stolen.url.startswith(live.url("/login"))
    image = thief.request.get(live.item("closed") + "/pages/1.png", max_redirects=0)
    assert image.status == 302
    context.close()
    thief.close()


def test_a_link_from_another_site_keeps_the_lead_signed_in(lead_page: Any, live: Live) -> None:
    """SameSite=Lax: following a link to an item from a webmail page sends the session cookie."""
    page = lead_page
    target = live.item("corrected")
    page.route(
        "http://mail.example/**",
        lambda route: route.fulfill(
            content_type="text/html", body=f'<!doctype html><title>Mail</title><a href="{target}">Item to review</a>'
        ),
    )
    page.goto("http://mail.example/inbox")
    with page.expect_navigation():
        page.get_by_role("link", name="Item to review").click()
    assert page.url == target
    assert "Signed in as" in page.locator("header").inner_text()


def test_page_images_and_pages_are_never_stored(lead_page: Any, live: Live) -> None:
    page = lead_page
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))  # noqa: PLW0108 -- Playwright wants a Python function
    page.goto(live.item("contradicted"))
    page.wait_for_load_state("networkidle")
    seen = {
        r.url.rsplit("/", 1)[-1]: r.headers.get("cache-control")
        for r in responses
        if r.url.startswith(live.base) and "/static/" not in r.url
    }
    assert "1.png" in seen and set(seen.values()) == {"no-store"}, seen


def test_strangers_failures_never_lock_out_a_right_password(browser: Any, live: Live) -> None:
    """Everyone behind the loopback default shares one address: the admin still gets in; a locked
    account answers exactly as a wrong password does."""
    from tests.support.seed import add_account

    add_account(live.seeded.workspace, "locky", "lead")
    context = _context(browser)
    page = context.new_page()
    limit = live.seeded.workspace.settings.review.max_login_failures

    def attempt(name: str, password: str) -> tuple[int, str]:
        page.goto(live.url("/login"))
        page.fill("#username", name)
        page.fill("#password", password)
        with page.expect_navigation() as navigation:
            page.click("button[type=submit]")
        return navigation.value.status, page.locator(".error-summary").inner_text() if page.locator(
            ".error-summary"
        ).count() else ""

    for n in range(limit * 3 + 1):
        assert attempt(f"stranger{n}" if n % 2 else "locky", "wrong guess")[0] == 401
    locked = attempt("locky", PASSWORD)
    assert locked == attempt("nobody-at-all", "wrong guess") and locked[0] == 401
    assert attempt("ada", PASSWORD)[0] == 200 and page.url == live.url("/")
    context.close()
