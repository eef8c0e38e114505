"""The release's documents (VoID, validation report, ontology, shapes) as graphs, from its directory or, on an
instance with no copy of it, from the store it serves (store/release_documents.py)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from .errors import ServiceError
from .state import served


def release_graph(part: str) -> Graph | None:
    """The release's `<part>.ttl` parsed (once per release), or None when it has none."""
    edition = served()
    text = edition.document(part)
    return None if text is None else _parsed(edition.name, part, text)


def required_graph(part: str) -> Graph:
    graph = release_graph(part)
    if graph is None:
        raise ServiceError(
            404, "Not Found", f"The release served has no {part} document (files given with --data have none)."
        )
    return graph


@lru_cache(maxsize=16)
def _parsed(release: str, part: str, text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")
