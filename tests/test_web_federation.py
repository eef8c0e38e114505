"""Federation through SERVICE: allow-listed endpoints only, and a remote's answer is never echoed."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlencode

import pytest

from .conftest import PROJECT
from .server import Server


class _Failing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"SECRET-INTERNAL-DETAIL from the remote")

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server, int]]:
    tmp = tmp_path_factory.mktemp("federation")
    remote_data = tmp / "remote.ttl"
    remote_data.write_text('<http://example.org/a> <http://example.org/name> "remote" .\n', encoding="utf-8")
    failing = HTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=failing.serve_forever, daemon=True).start()
    failing_port = failing.server_address[1]
    remote = Server(["--data", str(remote_data)], {"PARTNERGRAPH_STORE_CACHE": str(tmp / "s1")}, PROJECT)
    allowlist = f"http://127.0.0.1:{remote.port}/sparql,http://127.0.0.1:{failing_port}/sparql"
    local_data = tmp / "local.ttl"
    local_data.write_text('<http://example.org/a> <http://example.org/kind> "local" .\n', encoding="utf-8")
    local = Server(
        ["--data", str(local_data)],
        {"PARTNERGRAPH_STORE_CACHE": str(tmp / "s2"), "PARTNERGRAPH_SERVICE_ALLOWLIST": allowlist},
        PROJECT,
    )
    yield local, remote, failing_port
    local.stop()
    remote.stop()
    failing.shutdown()
    failing.server_close()


@pytest.fixture(scope="module")
def redirecting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, int, socket.socket]]:
    """A service whose only allow-listed endpoint answers 302 to a listening socket no one may connect to."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.5)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    redirector = HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    data = tmp_path_factory.mktemp("redirect") / "local.ttl"
    data.write_text('<http://example.org/a> <http://example.org/kind> "local" .\n', encoding="utf-8")
    endpoint = f"http://127.0.0.1:{redirector.server_address[1]}/sparql"
    env = {"PARTNERGRAPH_STORE_CACHE": str(data.parent / "s"), "PARTNERGRAPH_SERVICE_ALLOWLIST": endpoint}
    local = Server(["--data", str(data)], env, PROJECT)
    yield local, redirector.server_address[1], listener
    local.stop()
    redirector.shutdown()
    redirector.server_close()
    listener.close()


def test_a_redirect_from_an_allow_listed_endpoint_is_not_followed(
    redirecting: tuple[Server, int, socket.socket],
) -> None:
    local, port, listener = redirecting
    status, _ = ask(local, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    assert status == 502
    with contextlib.suppress(TimeoutError):
        listener.accept()
        raise AssertionError("the redirect was followed")


def ask(server: Server, query: str) -> tuple[int, dict[str, object]]:
    reply = server.get("/sparql?" + urlencode({"query": query}))
    return reply.status, json.loads(reply.body)


def test_allow_listed_service_joins_local_and_remote(servers: tuple[Server, Server, int]) -> None:
    local, remote, _ = servers
    status, body = ask(
        local,
        f"""SELECT ?kind ?name WHERE {{ ?s <http://example.org/kind> ?kind .
        SERVICE <http://127.0.0.1:{remote.port}/sparql> {{ ?s <http://example.org/name> ?name }} }}""",
    )
    assert status == 200
    assert [(b["kind"]["value"], b["name"]["value"]) for b in body["results"]["bindings"]] == [("local", "remote")]  # type: ignore[index]


def test_endpoint_not_on_the_allow_list_is_refused(servers: tuple[Server, Server, int]) -> None:
    local, remote, _ = servers
    status, body = ask(
        local, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{remote.port + 1}/sparql> {{ ?s ?p ?o }} }}"
    )
    assert status == 403 and "not on the allow-list" in str(body["detail"])


def test_a_failing_remote_is_not_echoed(servers: tuple[Server, Server, int]) -> None:
    local, _, failing_port = servers
    status, body = ask(local, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{failing_port}/sparql> {{ ?s ?p ?o }} }}")
    assert status == 502 and "SECRET" not in json.dumps(body)


def test_silent_service_to_a_failing_remote_gives_empty_results(servers: tuple[Server, Server, int]) -> None:
    local, _, failing_port = servers
    status, body = ask(
        local, f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{failing_port}/sparql> {{ ?s ?p ?o }} }}"
    )
    assert status == 200 and "SECRET" not in json.dumps(body)


def test_service_answers_are_neither_cached_nor_validated(servers: tuple[Server, Server, int]) -> None:
    """The remote's data may change within our release: each query asks it again, and no ETag is given."""
    local, remote, _ = servers
    query = (
        f"SELECT ?n WHERE {{ SERVICE <http://127.0.0.1:{remote.port}/sparql> {{ ?s <http://example.org/name> ?n }} }}"
    )
    asked = _queries(remote)
    first = local.get("/sparql?" + urlencode({"query": query}))
    second = local.get("/sparql?" + urlencode({"query": query}))
    assert first.status == second.status == 200 and "remote" in first.text
    assert "etag" not in first.headers and "etag" not in second.headers
    assert _queries(remote) == asked + 2


def _queries(server: Server) -> float:
    lines = server.get("/metrics").text.splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("partnergraph_queries_total{"))
