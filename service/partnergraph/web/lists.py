"""Lists to browse, as Datasette lists a table: organisations, agreements, partnerships, places and documents, each
with facets and counts, filters, sorting and paging; as a page, as JSON and as CSV.

Each list is declared in listings.py (its class, the date it sorts by and its facets as property paths); the queries are
written from those declarations, with the client's filter values written in only as checked IRIs or escaped
literals (iris.iri_ref, iris.literal), and run on the store like any other query, within the same bounds.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from ..iris import iri_ref, literal
from ..store.base import QueryRequest
from .errors import ServiceError
from .listings import LISTINGS, Facet, Listing
from .negotiation import FORMAT_PARAMETERS, Family, choose, explicit_format, require, wants_html
from .paging import page_number
from .resources import PREFIXES
from .state import served, state
from .validators import release_validated

bp = Blueprint("lists", __name__)
PAGE_SIZE = 50
MAX_LISTED = 200_000  # rows read for one list (one per item, name and date); past it the list must be narrowed
FACET_VALUES = 30  # values shown per facet, the most frequent first
LABEL = "skos:prefLabel|dct:title|rdfs:label"
XSD = "http://www.w3.org/2001/XMLSchema#"
# the dates that have a year ("--11-11", a day without one, is left out of the year facet)
HAS_YEAR = ", ".join(f"<{XSD}{name}>" for name in ("gYear", "gYearMonth", "date", "dateTime"))


SORTS = ("name", "-name", "date", "-date")
TABLES = Family(types={"json": "application/json", "csv": "text/csv"})


@bp.route("/browse/")
def overview() -> Response:
    """Where browsing starts: every list with its size."""
    counts = {name: _count(listing, []) for name, listing in LISTINGS.items()}
    return Response(render_template("lists.html", listings=LISTINGS, counts=counts), mimetype="text/html")


@bp.route("/browse/<name>")
@release_validated
def browse(name: str) -> Response:
    listing = LISTINGS.get(name)
    if listing is None:
        raise ServiceError(404, "Not Found", f"There is no list {name!r}; lists: {', '.join(LISTINGS)}.")
    filters = _filters(listing)
    sort = request.args.get("sort", "name")
    if sort not in SORTS or (sort.endswith("date") and listing.date is None):
        raise ServiceError(
            400, "Unknown sort", f"Sort by one of {', '.join(s for s in SORTS if listing.date or 'date' not in s)}."
        )
    page = page_number()
    explicit = explicit_format()  # checked before any query runs
    if explicit not in (None, "json", "csv"):
        raise ServiceError(400, "Unknown format", f"format={explicit!r}: use json or csv (or none, for the page).")
    every = _ordered(_items(listing, filters), sort)
    total, items = len(every), every[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    facets = {facet.name: _facet_values(listing, facet, filters) for facet in listing.facets}
    if explicit is None and wants_html(TABLES):
        pages = max(1, -(-total // PAGE_SIZE))
        context = {"name": name, "listing": listing, "items": items, "facets": facets, "filters": filters}
        context |= {"total": total, "page": page, "pages": pages, "sort": sort, "link": _link}
        context["labels"] = {value["value"]: value["label"] for values in facets.values() for value in values}
        return Response(render_template("list.html", **context), mimetype="text/html")
    if (explicit or require(choose(TABLES), TABLES)) == "csv":  # the whole list: a CSV file has no page to turn
        return _csv(every)
    return jsonify(
        {
            "list": name,
            "total": total,
            "page": page,
            "page_size": PAGE_SIZE,
            "sort": sort,
            "filters": [{"facet": facet.name, "value": value} for facet, value in filters],
            "items": items,
            "facets": facets,
        }
    )


def _filters(listing: Listing) -> list[tuple[Facet, str]]:
    found = []
    for key, value in request.args.items(multi=True):
        if key in ("sort", "page", *FORMAT_PARAMETERS):
            continue
        facet = listing.facet(key)
        if facet is None:
            known = ", ".join(f.name for f in listing.facets)
            raise ServiceError(400, "Unknown filter", f"{key!r} is not a facet of this list; facets: {known}.")
        if facet.year and not (len(value) == 4 and value.isascii() and value.isdigit()):
            raise ServiceError(400, "Bad year", f"{key}={value!r}: a year is four digits.")
        found.append((facet, value))
    return found


def _where(listing: Listing, filters: list[tuple[Facet, str]]) -> str:
    """The items of the list that pass every filter."""
    clauses = [f"?item a {listing.kind} ."]
    for number, (facet, value) in enumerate(filters):
        if facet.year:
            date = f"?f{number}"
            clauses.append(
                f"?item {facet.path} {date} FILTER (DATATYPE({date}) IN ({HAS_YEAR}) "
                f"&& SUBSTR(STR({date}), 1, 4) = {literal(value)})"
            )
        else:
            clauses.append(f"?item {facet.path} {_term(value)} .")
    return " ".join(clauses)


def _term(value: str) -> str:
    """A filter value as the query needs it: an IRI (checked) when it is one, else a plain literal (escaped)."""
    if value.startswith(("http://", "https://", "urn:")):
        try:
            return iri_ref(value)
        except ValueError:
            raise ServiceError(400, "Bad filter", f"{value!r} is not an IRI that can be looked up.") from None
    return literal(value)


def _rows(query: str, max_rows: int = 5000) -> list[dict[str, dict[str, str]]]:
    job = QueryRequest(PREFIXES + query, "json", max_rows=max_rows)
    answer = served().store.run(job, state().config.query_timeout)
    if answer.truncated:
        raise ServiceError(503, "List too long", "This list is too long to browse whole: narrow it with a facet.")
    return json.loads(answer.body)["results"]["bindings"]  # type: ignore[no-any-return]


def _count(listing: Listing, filters: list[tuple[Facet, str]]) -> int:
    rows = _rows(f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {_where(listing, filters)} }}")
    return int(rows[0]["n"]["value"]) if rows else 0


def _items(listing: Listing, filters: list[tuple[Facet, str]]) -> list[dict[str, str]]:
    """Every item of the filtered list with its label (English first) and earliest date, in no order yet: sorted
    and paged here, as engines disagree on ordering by grouped values (Virtuoso fails on those queries)."""
    date = f"OPTIONAL {{ ?item {listing.date} ?date }}" if listing.date else ""
    query = (
        f"SELECT ?item ?label ?date WHERE {{ {_where(listing, filters)} OPTIONAL {{ ?item {LABEL} ?label }} {date} }}"
    )
    labels: dict[str, dict[str, str]] = {}
    dates: dict[str, str] = {}
    for row in _rows(query, MAX_LISTED):
        item = row["item"]["value"]
        found = labels.setdefault(item, {})
        if "label" in row:
            found.setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
        if "date" in row:
            dates[item] = min(dates.get(item, row["date"]["value"]), row["date"]["value"])
    prefix = state().iris.base + "id/"
    return [
        {
            "iri": item,
            "label": names.get("en") or names.get("") or min(names.values(), default=item),
            "date": dates.get(item, ""),
            "page": "/page/" + item[len(prefix) :] if item.startswith(prefix) else "",
        }
        for item, names in labels.items()
    ]


def _ordered(items: list[dict[str, str]], sort: str) -> list[dict[str, str]]:
    """The items by name (case-insensitive) or by date (undated last), ties by name and IRI."""

    def by_name(item: dict[str, str]) -> tuple[str, str, str]:
        return item["label"].lower(), item["label"], item["iri"]

    backwards = sort.startswith("-")
    if sort.lstrip("-") == "name":
        ordered = sorted(items, key=by_name, reverse=backwards)
    else:
        dated = sorted((i for i in items if i["date"]), key=lambda i: (i["date"], *by_name(i)), reverse=backwards)
        ordered = dated + sorted((i for i in items if not i["date"]), key=by_name)
    return ordered


def _facet_values(listing: Listing, facet: Facet, filters: list[tuple[Facet, str]]) -> list[dict[str, object]]:
    """The facet's most frequent values among the filtered items, with counts (a year facet by year)."""
    value = (
        f"?item {facet.path} ?d FILTER (DATATYPE(?d) IN ({HAS_YEAR})) BIND (SUBSTR(STR(?d), 1, 4) AS ?value)"
        if facet.year
        else f"?item {facet.path} ?value ."
    )
    rows = _rows(
        f"""SELECT ?value (SAMPLE(?vl) AS ?label) (COUNT(DISTINCT ?item) AS ?n)
        WHERE {{ {_where(listing, filters)} {value}
        OPTIONAL {{ ?value {LABEL} ?vl FILTER (LANGMATCHES(LANG(?vl), "en") || LANG(?vl) = "") }} }}
        GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT {FACET_VALUES}"""
    )
    return [
        {
            "value": row["value"]["value"],
            "label": row.get("label", row["value"])["value"],
            "count": int(row["n"]["value"]),
        }
        for row in rows
    ]


def _link(add: tuple[str, str] | None = None, remove: tuple[str, str] | None = None, **params: str) -> str:
    """This list's URL with a filter added or removed, or other parameters (sort, page, format) set; a changed
    filter or sort starts again at page 1."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if (k, v) != remove and k not in params]
    if add is not None or remove is not None or "sort" in params:
        pairs = [(k, v) for k, v in pairs if k != "page"]
    pairs += [add] if add is not None and add not in pairs else []
    pairs += [(k, v) for k, v in params.items() if not (k == "page" and v == "1")]
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def _csv(items: list[dict[str, str]]) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["iri", "label", "date", "page"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(items)
    return Response(out.getvalue(), mimetype="text/csv")
