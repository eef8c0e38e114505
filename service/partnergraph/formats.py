"""The one registry of RDF serialisations: token, media type, file extension and rdflib plugin name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph


@dataclass(frozen=True)
class RdfFormat:
    token: str
    label: str
    media_type: str
    extension: str
    rdflib_name: str
    quads: bool
    names: tuple[str, ...] = ()  # other names clients send as `format=` (SPARQLWrapper, Virtuoso, Fuseki)

    @property
    def iana_iri(self) -> str:
        return "http://www.iana.org/assignments/media-types/" + self.media_type


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("ttl", "Turtle", "text/turtle", "ttl", "turtle", quads=False, names=("turtle", "n3")),
    RdfFormat("nt", "N-Triples", "application/n-triples", "nt", "nt", quads=False, names=("ntriples", "n-triples")),
    RdfFormat(
        "rdf", "RDF/XML", "application/rdf+xml", "rdf", "xml", quads=False, names=("xml", "rdfxml", "rdf+xml", "owl")
    ),
    RdfFormat("jsonld", "JSON-LD", "application/ld+json", "jsonld", "json-ld", quads=True, names=("json-ld", "json")),
    RdfFormat("nq", "N-Quads", "application/n-quads", "nq", "nquads", quads=True, names=("nquads", "n-quads")),
    RdfFormat("trig", "TriG", "application/trig", "trig", "trig", quads=True),
)


def format_by_token(token: str) -> RdfFormat:
    """The registered format with this short name (ttl, nt, rdf, jsonld, nq, trig)."""
    for rdf_format in RDF_FORMATS:
        if rdf_format.token == token:
            return rdf_format
    raise KeyError(token)


def serialize_graph(graph: Graph, token: str) -> bytes:
    """One rdflib graph in the format `token` names; as N-Quads its triples are N-Triples lines (the default graph),
    since rdflib writes N-Quads only from a dataset."""
    name = "nt" if token == "nq" else format_by_token(token).rdflib_name
    return graph.serialize(format=name, encoding="utf-8")


def format_for_path(path: Path) -> RdfFormat:
    """The format a file's extension names (a trailing .gz is looked through); ValueError if unknown."""
    suffixes = [suffix.lstrip(".").lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == "gz":
        suffixes.pop()
    extension = suffixes[-1] if suffixes else ""
    for rdf_format in RDF_FORMATS:
        if extension == rdf_format.extension or extension in rdf_format.names:
            return rdf_format
    known = ", ".join("." + f.extension for f in RDF_FORMATS)
    raise ValueError(f"cannot tell the RDF format of {path.name}: use one of {known} (optionally .gz)")
