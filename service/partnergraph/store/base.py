"""The store interface the web layer talks to: one request in, one finished answer out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol


def wire(message: QueryRequest | QueryAnswer) -> tuple[Any, ...]:
    """The fields as a plain tuple, for the hop to a query worker: a pickled dataclass costs about 0.1 ms more per
    round trip than its fields do (measured), which is as much as a cheap query takes."""
    return tuple(message.__dict__.values())


@dataclass(frozen=True)
class QueryRequest:
    """A read-only SPARQL query with the protocol's dataset and the answer's format tokens."""

    sparql: str
    result_format: str = "json"  # json | xml | csv | tsv, for SELECT and ASK
    graph_format: str = "ttl"  # an RDF format token, for CONSTRUCT and DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    bindings: tuple[tuple[str, str, str], ...] = ()  # (variable, "iri" | "literal", value), bound, never spliced in
    max_bytes: int = 50_000_000  # about this many bytes of terms per answer; beyond it the answer is cut and says so
    base_iri: str | None = None  # relative IRIs in the query resolve against it (the endpoint's URL)
    names_dataset: bool = False  # the query's own FROM / FROM NAMED: then the default graph is not the union
    federated: bool = False  # SERVICE to allow-listed endpoints: runs in the lane whose workers may use the network
    priority: float = 0.0  # waiting for a worker, higher goes first: minus its client's typical query seconds


@dataclass(frozen=True)
class QueryAnswer:
    """A complete, serialised answer: the body is whole before any byte is sent."""

    kind: str  # "solutions" | "boolean" | "graph"
    body: bytes
    rows: int
    truncated: str  # "" when whole; "rows" or "bytes" when cut at that bound
    format_token: str
    seconds: float = 0.0  # time in the engine, waiting for a worker not included
    cached: bool = False  # reused from an earlier identical request of the same release (cache.py)
    pattern_lane: bool = False  # read by one index scan in the serving process, without a worker (pattern_lane.py)


class QueryTimeout(Exception):
    """The query ran past its time limit and its worker was stopped."""


class QueryFailed(Exception):
    """The query could not run: `status` 400 for the client's query, 500 for the store."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class StoreInfo:
    triples: int


class Scanned(NamedTuple):
    """One triple of a scan: its subject (an IRI), its object's value, and what the object is."""

    subject: str
    object: str
    language: str  # a literal's language tag, else ""
    object_is_iri: bool


class Store(Protocol):
    """What the web layer needs of a store; the embedded and a remote SPARQL store both provide it."""

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer: ...

    def info(self) -> StoreInfo: ...

    def scan(self, predicate: str) -> Iterator[Scanned] | None:
        """Every triple with this predicate and an IRI subject, read from a copy of the data this process holds
        (in every graph, so a triple in two graphs comes twice, as a query over the union default graph gives it);
        None when the store holds none here, and the caller asks by query instead."""
        ...

    def close(self) -> None: ...
