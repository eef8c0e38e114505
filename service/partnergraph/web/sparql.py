"""The SPARQL 1.1 Protocol endpoint (queries only): GET, form POST and direct POST; read-only, bounded, negotiated."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from ..formats import serialize_graph
from .errors import ServiceError
from .negotiation import GRAPHS, RESULTS, Family, choose, explicit_format, require, wants_html
from .querying import endpoint_url, run_user_query
from .service_description import describe_service
from .state import served, state
from .validators import release_validated

bp = Blueprint("sparql", __name__)
READ_ONLY = "This endpoint is read-only: SPARQL Update (including LOAD, CLEAR, INSERT and DELETE) is not accepted."


@bp.route("/sparql", methods=["GET", "POST", "HEAD"])
@release_validated
def sparql() -> Response:
    query, default_graphs, named_graphs = _read_protocol_request()
    if query is None:
        if request.method == "POST":
            raise ServiceError(400, "Missing query", "Send the query as the 'query' parameter or as the body.")
        return _service_description()
    return _answer(query, default_graphs, named_graphs)


def _read_protocol_request() -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """Read query and dataset the three ways the Protocol allows; refuse updates and other media types."""
    if request.method == "POST":
        media_type = (request.mimetype or "").lower()
        if media_type == "application/sparql-update" or "update" in request.form:
            raise ServiceError(403, "Read-only endpoint", READ_ONLY)
        if media_type == "application/x-www-form-urlencoded":
            _utf8_only()
            params: MultiDict[str, str] = request.form
        elif media_type == "application/sparql-query":
            body = _utf8_body()
            return body, _graphs("default-graph-uri"), _graphs("named-graph-uri")
        else:
            raise ServiceError(
                415,
                "Unsupported Media Type",
                "POST a query as application/x-www-form-urlencoded or application/sparql-query.",
            )
    else:
        params = request.args
        if "update" in params:
            raise ServiceError(403, "Read-only endpoint", READ_ONLY)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ServiceError(400, "Several queries", "Send exactly one 'query' parameter.")
    return (queries[0] if queries else None), _graphs("default-graph-uri", params), _graphs("named-graph-uri", params)


def _utf8_only() -> None:
    """The Protocol's bodies are UTF-8; a body declared in another charset is refused rather than misread."""
    charset = request.mimetype_params.get("charset", "utf-8").strip().lower()
    if charset not in ("utf-8", "utf8"):
        raise ServiceError(
            400, "Unsupported charset", f"The body is declared as {charset!r}; send the query in UTF-8 (charset=utf-8)."
        )


def _utf8_body() -> str:
    _utf8_only()
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ServiceError(400, "Bad encoding", f"The query body is not valid UTF-8 at byte {error.start}.") from None


def _graphs(name: str, params: object = None) -> tuple[str, ...]:
    source = params if params is not None else request.args
    return tuple(source.getlist(name))  # type: ignore[attr-defined]


def _answer(query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> Response:
    explicit = explicit_format()
    result_token = choose(RESULTS, explicit)
    graph_token = choose(GRAPHS, explicit)
    if result_token is None and graph_token is None:
        require(None, Family(RESULTS.types | GRAPHS.types))
    answer = run_user_query(query, result_token or "json", graph_token or "ttl", default_graphs, named_graphs)
    wanted = graph_token if answer.kind == "graph" else result_token
    if wanted is None:  # the client accepts only the other family of formats
        kind = "RDF graph" if answer.kind == "graph" else "query results"
        raise ServiceError(
            406, "Not Acceptable", f"The query returns an {kind}, which none of the accepted types can carry."
        )
    media_type = (GRAPHS if answer.kind == "graph" else RESULTS).types[answer.format_token]
    response = Response(answer.body, content_type=f"{media_type}; charset=utf-8")
    response.headers["Partnergraph-Result-Rows"] = str(answer.rows)
    if answer.truncated:
        config = state().config
        bound = f"max-rows={config.max_rows}" if answer.truncated == "rows" else f"max-bytes={config.max_answer_bytes}"
        response.headers["Partnergraph-Result-Truncated"] = f"true; {bound}"
    return response


def _service_description() -> Response:
    if wants_html(GRAPHS):
        return Response(editor(), mimetype="text/html")
    token = require(choose(GRAPHS, explicit_format()), GRAPHS)
    graph = describe_service(endpoint_url(), state(), served().store.info().triples)
    return Response(serialize_graph(graph, token), mimetype=GRAPHS.types[token])


@bp.route("/rdf-graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"])
@bp.route("/graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"])
def graph_store() -> Response:
    """There is no Graph Store Protocol endpoint: writes are refused, reads are pointed at the dumps."""
    if request.method in ("GET", "HEAD"):
        raise ServiceError(404, "Not Found", "Graphs are read through /sparql or downloaded from /download/.")
    raise ServiceError(
        405, "Method Not Allowed", READ_ONLY.replace("SPARQL Update", "Graph Store writes"), {"Allow": "GET, HEAD"}
    )


@bp.route("/editor")
def editor() -> str:
    """The YASGUI editor on this endpoint (also what a browser gets at /sparql without a query)."""
    from ..vocab import CONCEPT
    from .browse import examples

    return render_template(
        "editor.html", base=state().iris.base, concepts=str(CONCEPT), examples=examples(state().config.examples_dir)
    )


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.add("Vary", "Accept")
    return response
