"""Pages in a real browser: Playwright driving Debian's chromium (installed by `make test`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from .server import Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh page; any request that would leave the test server is recorded and refused."""
    context = browser.new_context()
    tab = context.new_page()
    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(server.root) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    tab.route("**/*", guard)
    yield tab
    context.close()
    assert outside == [], f"requests left the server: {outside}"


def test_landing_page_and_an_example_query(page: Page, server: Server, tmp_path: Path) -> None:
    page.goto(server.root + "/")
    assert "80 organisations" in page.inner_text("#figures")
    examples = page.locator("#examples a")
    assert examples.count() >= 10
    examples.first.click()
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results tbody tr").count() > 0


def test_resource_page_shows_evidence_quotes(page: Page, server: Server) -> None:
    page.goto(server.root + "/page/org/bronovo")
    assert page.inner_text("h1") == "Bronovo Hospital"
    quotes = page.locator("blockquote.evidence")
    assert quotes.count() >= 5
    assert "Rotterdam" in page.inner_text("#unpublished")


def test_network_picture_renders_and_links_to_pages(page: Page, server: Server) -> None:
    page.goto(server.root + "/network")
    assert page.locator("#network circle").count() >= 50
    assert page.locator("#network line").count() >= 50
    box = page.locator("#network").bounding_box()
    assert box is not None and box["width"] > 300
    page.locator('#network a[href="/page/org/leiden-university"] circle').click()  # the biggest hub, drawn on top
    page.wait_for_url("**/page/org/leiden-university")
    assert page.inner_text("h1") == "Leiden University"


def test_editor_runs_a_query_and_links_iris_to_pages(page: Page, server: Server) -> None:
    query = (
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT ?member WHERE { ?member org:memberOf <https://w3id.org/partnergraph/id/org/lde> }"
    )
    page.goto(server.root + "/editor?" + urlencode({"query": query}))
    page.wait_for_selector(".yasr table tbody tr td a")
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() == 3
    hrefs = {page.locator(".yasr table tbody tr td a").nth(i).get_attribute("href") for i in range(3)}
    assert "/page/org/leiden-university" in hrefs
    assert page.locator(".CodeMirror").count() >= 1  # the highlighting editor is there
    assert "query=" in page.url  # the query stays in the address bar
