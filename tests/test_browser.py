"""Pages in a real browser: Playwright driving Debian's chromium (installed by `make test`)."""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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


def test_landing_page_and_void_link_say_licence_version_and_how_to_cite(page: Page, server: Server) -> None:
    page.goto(server.root + "/")
    facts = page.inner_text("#release")
    assert "CC BY 4.0" in facts and "released 20" in facts
    version = page.inner_text("#release dd").split(",")[0]
    assert version and version in page.inner_text("#cite")
    page.locator("header a", has_text="VoID").click()  # a page, not a download
    page.wait_for_selector("#files")
    assert page.locator("#files tr").count() > 10 and version in page.inner_text("#cite")
    page.locator('#files a[href="/download/data.ttl"]').wait_for()
    page.locator("#parts a", has_text="SHACL shapes").click()
    page.wait_for_url("**/download/**")  # a browser following the graph's IRI reaches its dump's page


def test_resource_page_shows_evidence_quotes(page: Page, server: Server) -> None:
    page.goto(server.root + "/page/org/bronovo")
    assert page.inner_text("h1") == "Bronovo Hospital"
    quotes = page.locator("blockquote.evidence")
    assert quotes.count() >= 5
    assert "Rotterdam" in page.inner_text("#unpublished")


def test_network_can_be_explored_filtered_and_read_as_a_table(page: Page, server: Server) -> None:
    page.goto(server.root + "/network")
    page.locator("#network canvas").first.wait_for()  # drawn (no polling: the CSP forbids eval)
    count = "window.partnershipNetwork.%s(':visible').length"
    assert page.evaluate(count % "nodes") >= 50 and page.evaluate(count % "edges") >= 50
    ties = page.locator("#tie-table tbody tr")
    assert ties.count() == page.evaluate(count % "edges")  # the table says what the picture shows
    memberships = "window.partnershipNetwork.edges('[kind = \"membership\"]:visible').length"
    assert page.evaluate(memberships) > 0
    page.locator('#tie-kinds input[value="membership"]').uncheck()
    assert page.evaluate(memberships) == 0
    assert page.locator('#tie-table tbody tr[data-kind="membership"]:visible').count() == 0
    page.locator("#org-type").select_option("university")
    types = page.evaluate("[...new Set(window.partnershipNetwork.nodes(':visible').map(n => n.data('type')))]")
    assert types == ["university"]
    page.locator("#reset").click()  # "show all" undoes the filters
    assert page.evaluate(memberships) > 0 and page.evaluate(count % "nodes") >= 50
    page.fill("#focus", "medical delta")
    page.locator("#focus-form button").first.click()
    info = page.locator("#focus-info a")
    info.wait_for()
    assert info.inner_text() == "Medical Delta"
    shown = page.evaluate("window.partnershipNetwork.nodes('.near').map(n => n.data('label'))")
    assert {"Medical Delta", "Leiden University", "Erasmus MC"} <= set(shown)
    info.click()
    page.wait_for_url("**/page/org/medical-delta")


def test_network_focuses_on_an_organisation_tapped_in_the_picture(page: Page, server: Server) -> None:
    page.goto(server.root + "/network")
    page.locator("#network canvas").first.wait_for()  # drawn (no polling: the CSP forbids eval)
    where = page.evaluate(
        "(() => { const n = window.partnershipNetwork.getElementById('https://w3id.org/partnergraph/id/org/"
        "leiden-university'); const p = n.renderedPosition(); const box = "
        "document.getElementById('network').getBoundingClientRect(); return [box.x + p.x, box.y + p.y]; })()"
    )
    page.mouse.click(*where)
    page.locator("#focus-info a").wait_for()
    assert page.inner_text("#focus-info a") == "Leiden University"
    assert page.evaluate("window.partnershipNetwork.nodes(':selected').map(n => n.id())") == [
        "https://w3id.org/partnergraph/id/org/leiden-university"
    ]


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


def test_editor_shows_results_by_name_on_request(page: Page, server: Server) -> None:
    query = (
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT ?member WHERE { ?member org:memberOf <https://w3id.org/partnergraph/id/org/lde> }"
    )
    page.goto(server.root + "/editor?" + urlencode({"query": query}))
    cells = page.locator(".yasr table tbody tr td a")
    cells.first.wait_for()
    iris = set(cells.all_inner_texts())
    assert "https://w3id.org/partnergraph/id/org/leiden-university" in " ".join(iris)
    page.locator("#show-names").check()
    page.locator(".yasr a[data-named]").nth(2).wait_for()
    assert "Leiden University" in cells.all_inner_texts()
    title = cells.first.get_attribute("title") or ""
    assert title.startswith("https://w3id.org/partnergraph/id/org/")  # the IRI is still one hover away
    page.reload()  # the choice is remembered
    page.locator(".yasr a[data-named]").nth(2).wait_for()
    page.locator("#show-names").uncheck()
    assert set(cells.all_inner_texts()) == iris


def test_editor_shows_the_services_errors_readably(page: Page, server: Server) -> None:
    page.goto(server.root + "/editor?" + urlencode({"query": "SELECT * WHERE { ?s ?p }"}))
    error = page.locator(".yasr .errorResult pre")
    error.wait_for()
    assert error.inner_text().startswith("400 Malformed query: query is not valid SPARQL")
    assert re.search(r"1:\d+|line:1, col:\d+", error.inner_text()), error.inner_text()  # where, on every store
    forbidden = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    page.goto(server.root + "/editor?" + urlencode({"query": forbidden}))
    page.locator(".yasr .errorResult pre").wait_for()
    assert page.locator(".yasr .errorResult pre").inner_text().startswith("403 ")


def test_editor_says_when_an_answer_was_cut(page: Page, server: Server) -> None:
    page.goto(server.root + "/editor?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))  # 13k triples
    notice = page.locator("#truncated")
    notice.wait_for(state="visible")
    assert "cut after 10000 rows" in notice.inner_text() and "max-rows=10000" in notice.inner_text()
    page.goto(server.root + "/editor?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}))
    page.wait_for_selector(".yasr table tbody tr")
    assert not notice.is_visible()


def test_editor_runs_an_example_question_in_one_click(page: Page, server: Server) -> None:
    page.goto(server.root + "/editor")
    page.locator("#examples-menu summary").click()
    page.locator("#examples-menu a").first.click()
    page.wait_for_selector(".yasr table tbody tr")
    assert "query=" in page.url and page.locator(".yasr table tbody tr").count() > 0


def test_editor_completes_the_datasets_own_properties_without_leaving_the_server(page: Page, server: Server) -> None:
    page.goto(server.root + "/editor?" + urlencode({"query": "ASK {}"}))
    page.wait_for_selector(".yasr")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX org: <http://www.w3.org/ns/org#>\nSELECT * WHERE { ?s org:memb")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert "org:memberOf" in hints.all_inner_texts()  # from /vocabulary; the page fixture refuses any other host


CROSS_ORIGIN_PAGE = """<!doctype html><title>another site</title><pre id="out">waiting</pre><script>
fetch(%(endpoint)s, {method: "POST", body: "ASK { ?s ?p ?o }",
  headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}})
  .then(r => r.json().then(j => r.status + " " + JSON.stringify(j) + " " + r.headers.get("Partnergraph-Release")))
  .catch(e => "failed: " + e).then(text => { document.getElementById("out").textContent = text; });
</script>"""


@pytest.fixture
def other_origin(server: Server, tmp_path: Path) -> Iterator[str]:
    """A page served from a second origin (another port) that POSTs a query to the service as
    application/sparql-query: a request the browser sends only after a successful CORS preflight."""
    (tmp_path / "index.html").write_text(CROSS_ORIGIN_PAGE % {"endpoint": json.dumps(server.root + "/sparql")})
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}/index.html"
    site.shutdown()
    site.server_close()


def test_a_page_on_another_origin_can_post_a_query(browser: Browser, other_origin: str) -> None:
    """No request interception here: Playwright's routing answers preflights itself and would hide a missing one."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(other_origin)
        tab.wait_for_function("document.getElementById('out').textContent !== 'waiting'")
        text = tab.inner_text("#out")
        assert text.startswith('200 {"head":{},"boolean":true}'), text
        assert not text.endswith(" null"), "the release header is exposed to the other origin"
    finally:
        context.close()
