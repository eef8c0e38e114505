"""Wikidata links by P6782 through SPARQLWrapper, against a real local SPARQL server (Oxigraph, from PyPI)."""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from partnergraph.config import Settings
from partnergraph.linking.reconcile import reconcile
from partnergraph.linking.wikidata import WikidataClient, WikidataError

from .conftest import PROJECT
from .server import free_port

SLICE = PROJECT / "tests/fixtures/ror/slice.jsonl.gz"
FIXTURE = PROJECT / "tests/fixtures/wikidata/items.ttl"
TODAY = datetime.date(2026, 11, 21)
OXIGRAPH = shutil.which("oxigraph") or str(Path(__import__("sys").executable).parent / "oxigraph")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = tmp_path_factory.mktemp("wikidata-store")
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(location), "--file", str(FIXTURE)], check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [OXIGRAPH, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("data", "ontology", "shapes"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


def links_of(project: Path) -> dict[str, dict[str, object]]:
    entries = yaml.safe_load((project / "data/links/ror.yaml").read_text("utf-8"))
    return {str(e["organisation"]): e for e in entries if "wikidata" in str(e["target"])}


def test_batched_lookup_by_ror_id(endpoint: str) -> None:
    client = WikidataClient(endpoint, timeout=5, retries=1, batch=4)
    found = client.items_by_ror(["027bh9e22", "05xvt9f17", "00d503m77", "0566bfb96", "not-a-ror-id", "02e2c7k09"])
    assert found["027bh9e22"] == {"Q156598"} and found["00d503m77"] == {"Q90000001"}
    assert found["0566bfb96"] == {"Q641676", "Q90000002"}


def test_wikidata_confirms_adds_and_sends_disagreements_to_review(project: Path, endpoint: str) -> None:
    report = reconcile(Settings(root=project), [SLICE], TODAY, WikidataClient(endpoint, timeout=5, retries=1))
    wikidata = links_of(project)
    assert wikidata["lorentz-center"]["target"] == "http://www.wikidata.org/entity/Q90000001"
    assert wikidata["lorentz-center"]["method"] == "wikidata-p6782"
    assert "Wikidata P6782 states the same ROR id" in wikidata["leiden-university"]["evidence"]  # type: ignore[operator]
    assert "naturalis" not in wikidata  # two items claim its ROR id: a person decides
    review = {entry["organisation"]: entry for entry in report.review}
    assert "Q90000002" in str(review["naturalis"]["reason"])
    assert review["municipality-oegstgeest"]["candidates"][0]["target"] == "http://www.wikidata.org/entity/Q90000003"
    assert "municipality-oegstgeest" not in wikidata  # a name alone never makes a link


class _Endpoint(BaseHTTPRequestHandler):
    """A misbehaving endpoint: 500s, malformed answers or silence, recording the User-Agent it was sent."""

    mode: ClassVar[str] = "500"
    agents: ClassVar[list[str]] = []
    calls: ClassVar[int] = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        type(self).agents.append(self.headers.get("User-Agent", ""))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "slow":
            time.sleep(3)
        status, body = (500, b"boom") if self.mode == "500" else (200, b"this is not SPARQL JSON")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def misbehaving() -> Iterator[tuple[str, type[_Endpoint]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    _Endpoint.calls, _Endpoint.agents = 0, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Endpoint
    server.shutdown()
    server.server_close()


def test_label_lookup_escapes_our_names(endpoint: str) -> None:
    client = WikidataClient(endpoint, timeout=5, retries=1)
    found = client.items_by_label([("Municipality of Oegstgeest", "en"), ('A "quoted" \\ name', "en")])
    assert found == {("Municipality of Oegstgeest", "en"): {"Q90000003"}}


@pytest.mark.parametrize(
    ("mode", "message", "calls"),
    [
        ("500", "failed after 3 tries: HTTP 500", 3),
        ("malformed", "not SPARQL JSON results", 1),
        ("slow", "failed after 2 tries", 2),
    ],
)
def test_endpoint_failures_are_clear_and_leave_the_link_set_untouched(
    project: Path, misbehaving: tuple[str, type[_Endpoint]], mode: str, message: str, calls: int
) -> None:
    url, handler = misbehaving
    handler.mode = mode
    before = (project / "data/links/ror.yaml").read_bytes()
    client = WikidataClient(url, timeout=1, retries=2 if mode == "slow" else 3, backoff=0.05)
    started = time.monotonic()
    with pytest.raises(WikidataError, match=message):
        reconcile(Settings(root=project), [SLICE], TODAY, client)
    assert time.monotonic() - started < 10
    assert (project / "data/links/ror.yaml").read_bytes() == before
    assert handler.calls == calls and handler.agents[0].startswith("partnergraph/")


def test_refused_connection(project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    with pytest.raises(WikidataError, match="failed after 2 tries"):
        reconcile(
            Settings(root=project), [SLICE], TODAY, WikidataClient(f"http://127.0.0.1:{port}/", retries=2, backoff=0.01)
        )
