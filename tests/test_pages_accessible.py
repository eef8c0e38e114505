"""Every kind of page, at desktop and phone width, in a real browser: nothing scrolls sideways, and axe-core
(from the npm registry, installed by `make install`) finds no critical or serious violation.

The pages are the same HTML on every store, so this runs on the embedded store only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from partnergraph.pipeline.release import Release

from .conftest import PROJECT, release_server
from .server import Server
from .test_browser import browser  # noqa: F401 (the module's chromium)

AXE = PROJECT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {
    "landing": "/",
    "organisation": "/page/org/leiden-university",
    "membership": None,  # linked from the organisation's page
    "claim": None,  # linked from the membership's page: claim IRIs are hashes
    "document": None,
    "browse": "/browse/",
    "list": "/browse/organisations?kind=org:FormalOrganization",
    "search": "/search?q=leiden",
    "network": "/network",
    "editor": "/editor",
    "query": "/query?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+60",
    "downloads": "/download/",
    "void": "/.well-known/void",
    "ontology": "/ontology",
    "validation": "/validation",
    "not found": "/page/org/no-such-organisation",
}


@pytest.fixture(scope="module")
def site(published: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with release_server(published, tmp_path_factory) as running:
        yield running


def linked_page(page: Page, site: Server, kind: str) -> str:
    """A page of `kind` found by following links from an organisation's page."""
    path = str(PAGES["organisation"])
    for step in ("membership", "claim") if kind == "claim" else (kind,):
        page.goto(site.root + path)
        href = page.locator(f'a[href^="/page/{step}/"]').first.get_attribute("href")
        assert href, f"no link to a {step} on {path}"
        path = href
    return path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_page_fits_the_screen_and_passes_axe(browser: Browser, site: Server, kind: str, width: str) -> None:  # noqa: F811
    assert AXE.exists(), "axe-core is missing: `make install` installs it from the npm registry"
    w, h = WIDTHS[width]
    # bypass_csp lets axe be injected; the CSP itself is tested in test_hostile
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=width == "phone", bypass_csp=True)
    try:
        page = context.new_page()
        path = PAGES[kind] or linked_page(page, site, kind)
        page.goto(site.root + path)
        page.wait_for_load_state("networkidle")
        # against the layout viewport: a phone zooms out to fit a wide page, so window.innerWidth would grow with it
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {w} px"
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in found
            if v["impact"] in ("critical", "serious")
        ]
        assert serious == [], f"{path} at {w} px:\n" + "\n".join(serious)
    finally:
        context.close()
