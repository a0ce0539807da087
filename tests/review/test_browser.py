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

from catalogue.decisions import get_item
from catalogue.export import export_package
from catalogue.store.audit import audit_entries
from catalogue.store.database import open_database
from review.app import create_app
from review.serving import make_server
from tests.review.conftest import Seeded, make_seeded
from tests.review.seed import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / ".cache/npm/node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
               "rules": {"target-size": {"enabled": True}}}


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


def test_review_an_item_by_keyboard_and_the_link_reaches_the_export(lead_page: Any, live: Live,
                                                                     tmp_path: Path) -> None:
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
    assert (item.entry.subject_name, item.entry.location) == ("Siobhán Ó Súilleabháin", "Diocesan House / Strongroom / Box 3")


def test_two_leads_racing_on_one_item(browser: Any, live: Live) -> None:
    contexts = [_context(browser), _context(browser)]
    pages = [context.new_page() for context in contexts]
    for page, name in zip(pages, ("lee", "ada")):
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
        assert [entry["actor"] for entry in audit_entries(db, document_id=live.seeded.ids["race"])] == ["lee"]
    for context in contexts:
        context.close()


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


def test_every_page_has_no_axe_violations(browser: Any, live: Live) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core missing: npm install --prefix {AXE.parents[3]} axe-core@4 (make setup-test does it)")
    context = _context(browser, bypass_csp=True)  # axe is injected inline; the app's own pages run under CSP elsewhere
    page = context.new_page()
    page.goto(live.url("/login"))
    pages = {"/login": _axe(page)}
    page.fill("#username", "nobody")
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    pages["/login (error)"] = _axe(page)
    _sign_in(page, live, "ada")
    paths = ["/", *(f"/items/{i}" for i in live.seeded.ids.values()), f"/items/{live.seeded.ids['unknown']}?q=o",
             f"/items/{live.seeded.ids['unknown']}?q=nothing-matches", "/admin/audit", "/admin/users", "/admin/export", "/no-such-page"]
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
    assert texts[:len(actions)] == actions, "Tab order differs from reading order or misses an action"
    for entry in seen:
        visible = (entry["outline"] != "none" and float(entry["width"].rstrip("px")) >= 2) or entry["shadow"] != "none"
        assert visible, f"no visible focus on {entry}"


@pytest.mark.parametrize("path", ["/", "/items/{unknown}?q=CP", "/items/{closed}", "/admin/audit", "/login"])
def test_no_horizontal_scroll_at_200_percent_zoom(browser: Any, live: Live, path: str) -> None:
    """1280 px wide at 200 %: a 640 CSS px viewport drawn at twice the pixel density."""
    context = _context(browser, viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    if path != "/login":
        _sign_in(page, live, "ada")
    page.goto(live.url(path.format(**live.seeded.ids)))
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1], f"{path} scrolls sideways at 200 %: {widths}"
