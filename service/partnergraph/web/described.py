"""IRIs that the VoID and DCAT description names dereference too: the dataset, its named graphs and the shapes.

The dataset's description is the VoID document; a named graph's content is its dump; the shapes graph is the
shapes dump. Distributions, link sets and checksums are described in the VoID graph itself, so `/id/…` and `/data/…`
fall back to it (resources.py) when the store does not describe an IRI.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, url_for

from ..formats import RDF_FORMATS
from .dumps import release_dir, void_mentions
from .errors import ServiceError
from .negotiation import GRAPHS, choose, require, wants_html
from .state import state

bp = Blueprint("described", __name__)


def _see_other(target: str) -> Response:
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response  # type: ignore[return-value]


@bp.route("/dataset")
def dataset() -> Response:
    """The dataset IRI: its description is the VoID document (negotiated there)."""
    return _see_other(url_for("dumps.void"))


@bp.route("/graph/<part>")
def named_graph(part: str) -> Response:
    """A named graph of the dataset: its content is the dump of that part (a browser gets the list of dumps)."""
    return _to_dump(part, f"{state().iris.base}graph/{part}")


@bp.route("/shapes/<version>")
def shapes(version: str) -> Response:
    """The versioned shapes graph the VoID description names: the shapes dump of this release."""
    return _to_dump("shapes", f"{state().iris.base}shapes/{version}")


def _to_dump(part: str, iri: str) -> Response:
    if not void_mentions(iri):
        raise ServiceError(404, "Not Found", f"{iri} is not named in this release's description (/.well-known/void).")
    if wants_html(GRAPHS):
        return _see_other(url_for("dumps.index"))
    token = require(choose(GRAPHS), GRAPHS)
    extension = next(f.extension for f in RDF_FORMATS if f.token == token)
    if not (release_dir() / f"{part}.{extension}").is_file():
        raise ServiceError(404, "Not Found", f"This release has no {part}.{extension} dump.")
    return _see_other(url_for("dumps.download", name=f"{part}.{extension}"))
