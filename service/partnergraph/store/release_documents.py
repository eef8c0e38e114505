"""A release's documents beside its graphs in a remote store, so an instance with no copy of the release directory
still serves its VoID description, validation report, ontology and shapes pages.

Each document is kept as its exact Turtle text, one literal in a graph of the reserved namespace named after the
release (no client query can name it): a literal keeps every byte, where loading the triples would let the store
respell dates and numbers. `publish` writes and reads them back before the switch; they are dropped with the
release.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from ..iris import RESERVED_NAMESPACE, iri_ref, literal, release_node
from .base import QueryFailed
from .release_record import RecordUnreadable, select
from .remote import StoreClient

DOCUMENTS = ("void", "validation-report", "ontology", "shapes")  # <part>.ttl in the release directory
TEXT = RESERVED_NAMESPACE + "text"


def documents_graph(release: str) -> str:
    return release_node(release) + ":documents"


def _document(release: str, part: str) -> str:
    return f"{release_node(release)}:document:{part}"


def store_updates(release: str, directory: Path) -> dict[str, str]:
    """One INSERT DATA per document the release directory holds: part -> update."""
    graph = iri_ref(documents_graph(release))
    updates = {}
    for part in DOCUMENTS:
        path = directory / f"{part}.ttl"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            node = iri_ref(_document(release, part))
            updates[part] = f"INSERT DATA {{ GRAPH {graph} {{ {node} {iri_ref(TEXT)} {literal(text)} }} }}"
    return updates


def drop_update(release: str) -> str:
    return f"DROP SILENT GRAPH {iri_ref(documents_graph(release))}"


def read_document(client: StoreClient, release: str, part: str, timeout: float) -> str | None:
    """The document's text as published, or None when the release has none by that name."""
    query = (
        f"SELECT ?text WHERE {{ GRAPH {iri_ref(documents_graph(release))} "
        f"{{ {iri_ref(_document(release, part))} {iri_ref(TEXT)} ?text }} }}"
    )
    rows = select(client, query, timeout)
    return rows[0]["text"] if rows else None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoreDocuments:
    """The documents of one release, read from the store at first use and kept (they never change)."""

    def __init__(self, client: StoreClient, release: str, timeout: float) -> None:
        self.client, self.release, self.timeout = client, release, timeout
        self._texts: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def __call__(self, part: str) -> str | None:
        with self._lock:
            if part not in self._texts:
                try:
                    self._texts[part] = read_document(self.client, self.release, part, self.timeout)
                except RecordUnreadable as error:
                    raise QueryFailed(f"the release's {part} could not be read from the store: {error}", 502) from None
            return self._texts[part]
