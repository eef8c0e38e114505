"""Read RDF files into graphs, turning parser failures into errors that name the file and line."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from rdflib import Dataset, Graph

from ..errors import InputError
from ..formats import format_for_path

_LINE = re.compile(r"line:? ?(\d+)|<unknown>:(\d+):\d+", re.IGNORECASE)


def read_rdf(paths: list[Path]) -> Dataset:
    """Parse every file into one dataset (triples into the default graph), failing on the first bad file."""
    dataset = Dataset(default_union=True)
    for path in paths:
        try:
            rdf_format = format_for_path(path)
        except ValueError as error:
            raise InputError(str(error), path) from None
        try:
            raw = path.read_bytes()
            data = gzip.decompress(raw) if path.suffix == ".gz" else raw
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror or error}", path) from None
        target: Graph = dataset if rdf_format.quads else dataset.default_graph
        try:
            target.parse(data=data, format=rdf_format.rdflib_name, publicID=path.resolve().as_uri())
        except Exception as error:
            message = " ".join(str(error).split()) or type(error).__name__
            line = _first_bad_line(data, rdf_format.rdflib_name) if rdf_format.token in ("nt", "nq") else None
            raise InputError(f"not valid {rdf_format.label}: {message}", path, line or _error_line(message)) from None
    return dataset


def _error_line(message: str) -> int | None:
    """The 1-based line a parser's message names, if it names one."""
    match = _LINE.search(message)
    return int(match.group(1) or match.group(2)) if match else None


def _first_bad_line(data: bytes, rdflib_name: str) -> int | None:
    """Line-based formats: parse line by line to find the first that fails (only after the whole file failed)."""
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        try:
            Dataset().parse(data=line, format=rdflib_name)
        except Exception:
            return number
    return None


def read_data_graph(paths: list[Path]) -> Graph:
    """Parse files for validation: every triple, except those of a published shapes graph (graph/shapes)."""
    graph = Graph()
    for subject, predicate, obj, context in read_rdf(paths).quads():
        if context is None or not str(context).endswith("/graph/shapes"):
            graph.add((subject, predicate, obj))
    return graph


def read_graph(paths: list[Path]) -> Graph:
    """Parse files into a single plain graph (ontology and shapes files)."""
    graph = Graph()
    for quad in read_rdf(paths).quads():
        graph.add(quad[:3])
    return graph
