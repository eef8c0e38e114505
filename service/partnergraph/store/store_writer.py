"""Writes to a remote store for `publish`: SPARQL Update, and the Graph Store Protocol where the store has it.

With the configured credentials (basic, or digest for Virtuoso's authenticated endpoints). The store's refusal is
shown to the operator, who runs `publish`, never to a client of the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import requests

from ..errors import PartnergraphError
from ..iris import iri_ref
from .remote import Credentials

UPDATE_CHUNK = 1_000  # triples per INSERT DATA: Virtuoso's SPARQL compiler runs out of memory at about 5,000
GRAPH_STORE_CHUNK = 50_000  # triples per Graph Store POST


class PublishFailed(PartnergraphError):
    """The store refused or broke off a step; the served release is unchanged."""

    def __init__(self, message: str, reached: bool = False) -> None:
        super().__init__(message)
        self.reached = reached  # the store answered (with an error), as opposed to not being reachable


@dataclass(frozen=True)
class StoreTarget:
    query_url: str
    update_url: str
    graph_store_url: str | None = None
    credentials: Credentials | None = None
    digest: bool = False  # HTTP digest authentication (Virtuoso's authenticated endpoints) rather than basic


class StoreWriter:
    """Updates and Graph Store writes, with the configured credentials; the store's refusal is shown to the operator,
    who runs this command (never to a client of the service)."""

    def __init__(self, target: StoreTarget) -> None:
        self.target = target
        self.session = requests.Session()
        if target.credentials:
            user, password = target.credentials.user, target.credentials.password
            self.session.auth = requests.auth.HTTPDigestAuth(user, password) if target.digest else (user, password)

    def update(self, text: str, step: str) -> None:
        self._send(self.target.update_url, {"update": text}, None, step)

    def accepts(self, text: str) -> bool:
        """Whether the store takes this update (a probe): a refusal is an answer here, not a failure."""
        try:
            self.update(text, "probing")
        except PublishFailed as failure:
            if failure.reached:
                return False
            raise
        return True

    def load_graph(self, graph: str, quads: Iterable[ox.Quad], label: str) -> int:
        """Send the graph's triples in chunks; triples with blank nodes all in one, since a blank node's label only
        holds within one request."""
        count, chunk, blank = 0, list[str](), list[str]()
        size = GRAPH_STORE_CHUNK if self.target.graph_store_url else UPDATE_CHUNK
        for quad in quads:
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            (
                blank if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode) else chunk
            ).append(line)
            count += 1
            if len(chunk) == size:
                self._triples(graph, chunk, label, False)
                chunk = []
        for part, blanks in ((chunk, False), (blank, True)):
            if part:
                self._triples(graph, part, label, blanks)
        return count

    def _triples(self, graph: str, lines: list[str], label: str, blanks: bool) -> None:
        step = f"loading graph {label}"
        body = "\n".join(lines)
        if self.target.graph_store_url:
            url = self.target.graph_store_url
            self._send(url, body.encode("utf-8"), {"graph": graph}, step, "text/turtle; charset=utf-8")
        elif blanks:  # a template, not INSERT DATA: Virtuoso takes no blank nodes in a constant clause
            self.update(f"INSERT {{ GRAPH {iri_ref(graph)} {{ {body} }} }} WHERE {{}}", step)
        else:
            self.update(f"INSERT DATA {{ GRAPH {iri_ref(graph)} {{ {body} }} }}", step)

    def _send(
        self,
        url: str,
        data: dict[str, str] | bytes,
        params: dict[str, str] | None,
        step: str,
        content_type: str | None = None,
    ) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            response = self.session.post(url, data=data, params=params, headers=headers, timeout=600)
        except requests.RequestException as error:
            raise PublishFailed(f"{step}: the store cannot be reached at {url} ({type(error).__name__})") from None
        if response.status_code >= 300:
            said = " ".join(response.text.split())[:300]
            raise PublishFailed(f"{step}: the store answered HTTP {response.status_code}: {said}", reached=True)
