"""The embedded store: pyoxigraph in memory, loaded from RDF files; queries reach it as strings, not rdflib algebra."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..formats import RdfFormat, format_by_token
from .prepare import load_file

RESULT_FORMATS = {
    "tsv": ox.QueryResultsFormat.TSV,
    "csv": ox.QueryResultsFormat.CSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def _oxigraph_format(rdf_format: RdfFormat) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(rdf_format.media_type)
    assert found is not None, rdf_format
    return found


class OxigraphStore:
    """An in-memory dataset whose default graph is the union of its named graphs."""

    def __init__(self) -> None:
        self._store = ox.Store()

    @classmethod
    def from_files(cls, paths: list[Path]) -> OxigraphStore:
        """Load RDF files (any registered format, optionally gzipped) into a new store."""
        store = cls()
        for path in paths:
            try:
                load_file(store._store, path)
            except OSError as error:
                raise InputError(f"cannot read file: {error.strerror or error}", path) from None
        return store

    def query(self, sparql: str, results_format: str = "tsv", graph_format: RdfFormat | None = None) -> bytes:
        """Run a query; serialise solutions and booleans as `results_format`, graphs as `graph_format` (Turtle)."""
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise InputError(f"query is not valid SPARQL: {error}") from None
        if isinstance(answer, ox.QueryTriples):
            return answer.serialize(format=_oxigraph_format(graph_format or format_by_token("ttl"))) or b""
        return answer.serialize(format=RESULT_FORMATS[results_format]) or b""
