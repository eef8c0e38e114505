"""Dumps of the release a request is answered from: strong ETags (SHA-256), Last-Modified, 304, HEAD, names."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, jsonify, render_template, request, send_file
from rdflib import BNode, Graph, URIRef

from ..formats import RDF_FORMATS, format_for_path, serialize_graph
from .dataset_card import dataset_card
from .documents import release_graph, required_graph
from .errors import ServiceError
from .negotiation import GRAPHS, JSON, choose, explicit_format, require, wants_html
from .state import served, state

bp = Blueprint("dumps", __name__)
SAFE_NAME = re.compile(r"^[a-z0-9-]+\.[a-z]+(\.gz)?$")


@lru_cache(maxsize=256)
def _sha256(path: Path, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def release_dir() -> Path:
    """The directory of the release a request is answered from; 404 when the service has none."""
    edition = served()
    if edition.release is not None:
        return edition.release
    if edition.documents is not None:  # answering from a SPARQL store, without the release's files
        raise ServiceError(
            404,
            "No dumps here",
            f"This instance answers from a SPARQL store and has no copy of release {edition.name}'s files; "
            "its description is at /.well-known/void, and the dumps are downloaded from an instance that has them.",
        )
    raise ServiceError(404, "No dumps", "This service serves files given with --data; it has no release to download.")


@bp.route("/download/")
def index() -> Response:
    release = release_dir()
    files = sorted(p.name for p in release.iterdir() if p.is_file() and SAFE_NAME.match(p.name))  # not build-key
    entries = [
        {"name": name, "bytes": (release / name).stat().st_size, "url": request.url_root + "download/" + name}
        for name in files
    ]
    if wants_html(JSON):
        return Response(render_template("downloads.html", files=entries), mimetype="text/html")
    return jsonify({"files": entries})


@bp.route("/download/<name>", methods=["GET", "HEAD"])
def download(name: str) -> Response:
    release = release_dir()
    path = release / name
    if not SAFE_NAME.match(name) or not path.is_file():
        raise ServiceError(404, "Not Found", f"There is no file {name!r}; see /download/ for the list.")
    stat = path.stat()
    gzipped = name.endswith(".gz")
    media_type = "application/gzip" if gzipped else format_for_path(path).media_type
    response = send_file(
        path,
        mimetype=media_type,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=_sha256(path, stat.st_size, stat.st_mtime),
        last_modified=stat.st_mtime,
        max_age=300,
    )
    return response


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID and DCAT description of the release, in the negotiated RDF format; for a browser, a page."""
    graph = required_graph("void")
    explicit = explicit_format()
    if explicit is None and wants_html(GRAPHS):
        card = dataset_card(graph, state().iris.base)
        page = render_template("void.html", card=card, formats=RDF_FORMATS)
        response = Response(page, mimetype="text/html")
        response.headers.add("Vary", "Accept")
        return response
    token = require(choose(GRAPHS, explicit), GRAPHS)
    response = Response(serialize_graph(graph, token), mimetype=GRAPHS.types[token])
    response.headers.add("Vary", "Accept")
    return response


def void_mentions(iri: str) -> bool:
    """Whether the release's VoID description names `iri`."""
    graph, term = release_graph("void"), URIRef(iri)
    return graph is not None and ((term, None, None) in graph or (None, None, term) in graph)


def void_description(iri: str) -> Graph | None:
    """What the VoID description says about `iri` (its statements and the blank nodes under them), if anything."""
    source, subject = release_graph("void"), URIRef(iri)
    if source is None or (subject, None, None) not in source:
        return None
    found = Graph(namespace_manager=source.namespace_manager)
    todo: list[URIRef | BNode] = [subject]
    while todo:
        node = todo.pop()
        for triple in source.triples((node, None, None)):
            found.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    return found
