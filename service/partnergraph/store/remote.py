"""A remote SPARQL 1.1 store as the service's store: the query goes over the Protocol, the answer is read as it
streams in, cut at the row and byte bounds, and written in the format the client asked for.

The store's own error text is never passed on (it may name its internals); the service says what happened in its own
words. The time limit is the client's: at the deadline the connection is shut and the request answers 503; the store
is also told the limit where its Protocol has a parameter for it (Virtuoso's `timeout`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import IO, cast
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import urllib3

from .answers import boolean_answer, graph_answer, solutions_answer
from .base import QueryAnswer, QueryFailed, QueryRequest, QueryTimeout, Scanned, StoreInfo
from .deadlines import Deadlines, Watch
from .remote_query import ReleaseGraphs, remote_query

RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# XML first: in it a blank node label can be repaired on the wire (_BlankNodeLabels); JSON for stores without XML
SOLUTIONS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"  # Virtuoso names N-Triples text/plain
FORM = "application/x-www-form-urlencoded"
RAW_SLACK = 4  # an answer may take this many times the byte bound on the wire before it is given up as too large


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def check_store_url(url: str, name: str) -> str:
    """An http(s) URL with a host and no user name or password in it (those come from the configuration)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be an http(s) URL: {url!r}")
    if parts.username or parts.password:
        raise ValueError(f"{name} must not carry credentials; set store_user and store_password instead")
    return url


class StoreClient:
    """Pooled, kept-alive connections to the store's query endpoint, shared by every release an instance serves."""

    def __init__(self, query_url: str, credentials: Credentials | None, connections: int) -> None:
        self.query_url = check_store_url(query_url, "store_url")
        self._pool = urllib3.PoolManager(maxsize=connections, block=False, retries=False)
        self._headers = urllib3.make_headers(
            basic_auth=f"{credentials.user}:{credentials.password}" if credentials else None,
            user_agent="partnergraph",
        )
        self._slots = threading.BoundedSemaphore(connections)
        self._deadlines = Deadlines()
        self.engine = ""  # the store's Server header, read from its first answer: engines differ in what they accept

    def post(
        self, query: str, accept: str, timeout: float, dataset: str = ""
    ) -> tuple[urllib3.BaseHTTPResponse, float]:
        """Send the query, with `dataset` (the Protocol's graph parameters, already form-encoded); return the open
        response and the deadline. Waiting for a free connection counts."""
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout(f"no connection to the store became free within {timeout:g} s")
        try:
            fields = [("query", query)]
            if self.engine.startswith("Virtuoso"):
                fields.append(("timeout", str(int(timeout * 1000))))  # the store stops the query there too
            response = self._pool.request(
                "POST",
                self.query_url,
                body="&".join(filter(None, (urlencode(fields), dataset))),
                headers={**self._headers, "Accept": accept, "Content-Type": FORM},
                preload_content=False,
                timeout=urllib3.Timeout(connect=min(timeout, 5.0), read=max(deadline - time.monotonic(), 0.001)),
            )
        except urllib3.exceptions.TimeoutError:
            self._slots.release()
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
        except urllib3.exceptions.HTTPError:
            self._slots.release()
            raise QueryFailed("the store cannot be reached", 502) from None
        self.engine = self.engine or response.headers.get("Server", "")
        return response, deadline

    def finish(self, response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
        """Read a small response whole, within the deadline."""
        whole = False
        try:
            with self._deadlines.watch(response, deadline) as watch:
                body = response.read()
                whole = True
        except (urllib3.exceptions.HTTPError, OSError):
            if watch.expired:
                raise QueryTimeout("the store did not answer in time") from None
            raise QueryFailed("the store's answer broke off", 502) from None
        finally:
            self.done(response, whole)
        return body

    def done(self, response: urllib3.BaseHTTPResponse, whole: bool) -> None:
        """Give the connection back for the next request if its answer was read to the end; otherwise close it."""
        if not whole:
            response.close()
        response.release_conn()
        self._slots.release()

    def watch(self, response: urllib3.BaseHTTPResponse, deadline: float) -> AbstractContextManager[Watch]:
        return self._deadlines.watch(response, deadline)

    def close(self) -> None:
        self._deadlines.stop()
        self._pool.clear()


class _Wire:
    """The response as a file for pyoxigraph's streaming parsers, refusing to read past `limit` bytes."""

    def __init__(self, response: urllib3.BaseHTTPResponse, limit: int) -> None:
        self.response, self.limit, self.read_bytes = response, limit, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.response.read(min(size if size > 0 else 1 << 16, 1 << 16))
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise _TooLarge
        return chunk


class _BlankNodeLabels:
    """Virtuoso labels blank nodes `nodeID://b10000`, which is not a blank node label to any results parser. In
    SPARQL XML results a `<bnode>` tag can only be markup (text escapes `<`), so the prefix is cut right after it,
    streaming, holding back a tail that could be the start of the next tag."""

    TAG, PREFIX = b"<bnode>", b"nodeID://"

    def __init__(self, wire: IO[bytes]) -> None:
        self.wire, self.pending = wire, b""

    def read(self, size: int = -1) -> bytes:
        marked = self.TAG + self.PREFIX
        while True:
            chunk = self.wire.read(size)
            data = (self.pending + chunk).replace(marked, self.TAG)
            if not chunk:
                self.pending = b""
                return data
            keep = len(marked) - 1
            self.pending, ready = data[-keep:], data[:-keep]
            if ready:
                return ready


class _TooLarge(Exception):
    pass


class RemoteStore:
    """One release in a remote store, answered through a shared client."""

    def __init__(self, client: StoreClient, graphs: ReleaseGraphs) -> None:
        self.client, self.graphs = client, graphs

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        started = time.perf_counter()
        query = remote_query(request, self.graphs)
        graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
        accept = GRAPH_ACCEPT if graph_form else SOLUTIONS_ACCEPT
        dataset = self.graphs.dataset(request, query.names_dataset)
        response, deadline = self.client.post(query.text, accept, timeout, dataset)
        whole = False
        try:
            with self.client.watch(response, deadline) as watch:
                answer = self._read(response, request, graph_form)
                if not answer.truncated:  # the parser stopped at the document's end: read the framing after it
                    response.drain_conn()
                    whole = True
        except (urllib3.exceptions.HTTPError, OSError) as error:
            if watch.expired:
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
            raise QueryFailed(f"the store's answer broke off ({type(error).__name__})", 502) from None
        except SyntaxError:  # a shut response reads as a document cut short
            if watch.expired:
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
            raise QueryFailed("the store's answer could not be read", 502) from None
        except _TooLarge:
            message = f"the store's answer is over {RAW_SLACK} times the byte bound; narrow the query"
            raise QueryFailed(message, 502) from None
        finally:
            self.client.done(response, whole)
        return replace(answer, seconds=time.perf_counter() - started)

    def _read(self, response: urllib3.BaseHTTPResponse, request: QueryRequest, graph_form: bool) -> QueryAnswer:
        _check_status(response, request)
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        wire = cast(IO[bytes], _Wire(response, request.max_bytes * RAW_SLACK + (1 << 20)))
        outward = self.graphs.outward
        if graph_form:
            rdf_format = (
                ox.RdfFormat.N_TRIPLES if media_type == "text/plain" else ox.RdfFormat.from_media_type(media_type)
            )
            if rdf_format is None:
                raise QueryFailed(f"the store answered a graph as {media_type or 'an unnamed type'}", 502)
            triples = (
                ox.Triple(outward(q.subject), outward(q.predicate), outward(q.object))
                for q in ox.parse(wire, format=rdf_format)
            )
            return graph_answer(triples, request)
        if media_type not in RESULTS:
            raise QueryFailed(f"the store answered solutions as {media_type or 'an unnamed type'}", 502)
        xml = RESULTS[media_type] == ox.QueryResultsFormat.XML
        readable = cast(IO[bytes], _BlankNodeLabels(wire)) if xml else wire
        results = ox.parse_query_results(readable, format=RESULTS[media_type])
        if isinstance(results, ox.QueryBoolean):
            return boolean_answer(bool(results), request)
        variables = [variable.value for variable in results.variables]
        rows = (tuple(None if term is None else outward(term) for term in solution) for solution in results)
        return solutions_answer(variables, rows, request)

    def info(self) -> StoreInfo:
        return StoreInfo(self.graphs.triples)

    def scan(self, predicate: str) -> Iterator[Scanned] | None:
        """No copy of the data here: the store is elsewhere."""
        return None

    def close(self) -> None:
        """The client outlives the release: the next release is answered through it."""


_PARSER = threading.Lock()  # rdflib's pyparsing grammar is not thread-safe: two at once garble each other's message


def _where_invalid(text: str) -> str:
    """Where an independent parser (rdflib's) finds the query invalid: the store's own message is not passed on."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        with _PARSER:
            prepareQuery(text)
    except Exception as error:  # a pyparsing ParseException, or what rdflib raises on what it parsed
        return " ".join(str(error).split())[:300]
    return "the store refused it (it reads SPARQL 1.1 differently from this service)"


def _check_status(response: urllib3.BaseHTTPResponse, request: QueryRequest) -> None:
    if response.headers.get("X-SQL-State") == "S1TAT":  # Virtuoso's "anytime" answer: cut short at its timeout
        raise QueryTimeout("the store stopped the query at its time limit")
    status = response.status
    if status == 200:
        return
    if status in (408, 504):
        raise QueryTimeout("the store stopped the query at its time limit")
    if status == 400:
        raise QueryFailed(f"query is not valid SPARQL: {_where_invalid(request.sparql)}")
    if status == 503:
        raise QueryFailed("the store is busy (HTTP 503); try again shortly", 503)
    raise QueryFailed(f"the store failed to answer (HTTP {status})", 502)
