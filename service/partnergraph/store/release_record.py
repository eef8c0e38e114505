"""The record, kept in the remote store itself, of the releases it holds and of the one to serve.

Every instance reads it (so all of them follow one switch, as embedded instances follow `build/current`); only
`partnergraph publish` writes it. It lives in a graph of the reserved namespace, which no client query may name.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from ..iris import RELEASE_RECORD, RESERVED_NAMESPACE, iri_ref, literal, release_node
from .remote import StoreClient
from .remote_query import DEFAULT_GRAPH, ReleaseGraphs

CURRENT = RESERVED_NAMESPACE + "current"
NAME = RESERVED_NAMESPACE + "name"
TRIPLES = RESERVED_NAMESPACE + "triples"
STATE = RESERVED_NAMESPACE + "state"  # "loading", "complete", then "retired" once another release is served
CHANGED = RESERVED_NAMESPACE + "changed"  # when the state last changed, as seconds since 1970
IN_RELEASE = RESERVED_NAMESPACE + "inRelease"
SERVED_AS = RESERVED_NAMESPACE + "servedAs"
THE_DEFAULT_GRAPH = RESERVED_NAMESPACE + "default-graph"  # what SERVED_AS names for a file's default graph
JSON_RESULTS = "application/sparql-results+json"


@dataclass(frozen=True)
class HeldRelease:
    """A release the store holds, as the record describes it."""

    name: str
    state: str
    changed: float
    graphs: ReleaseGraphs


def select(client: StoreClient, text: str, timeout: float) -> list[dict[str, str]]:
    """Rows of a SELECT, each as variable -> the term's lexical value."""
    response, deadline = client.post(text, JSON_RESULTS, timeout)
    body = client.finish(response, deadline)
    if response.status != 200:
        raise RecordUnreadable(f"the store answered HTTP {response.status} to a read of the release record")
    try:
        rows = json.loads(body)["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise RecordUnreadable("the store's answer to a read of the release record is not SPARQL JSON") from None
    return [{name: term["value"] for name, term in row.items()} for row in rows]


class RecordUnreadable(Exception):
    """The release record could not be read from the store."""


HELD = f"""SELECT ?release ?name ?state ?changed ?triples ?stored ?served WHERE {{
  GRAPH {iri_ref(RELEASE_RECORD)} {{
    ?release {iri_ref(NAME)} ?name ; {iri_ref(STATE)} ?state ; {iri_ref(CHANGED)} ?changed .
    ?release {iri_ref(TRIPLES)} ?triples .
    OPTIONAL {{ ?stored {iri_ref(IN_RELEASE)} ?release ; {iri_ref(SERVED_AS)} ?served }}
  }} }}"""
CURRENT_NAME = f"""SELECT ?name WHERE {{ GRAPH {iri_ref(RELEASE_RECORD)} {{
  {iri_ref(RELEASE_RECORD)} {iri_ref(CURRENT)} ?release . ?release {iri_ref(NAME)} ?name }} }}"""


def held_releases(client: StoreClient, timeout: float) -> dict[str, HeldRelease]:
    """Every release the record lists, by name."""
    graphs: dict[str, dict[str, str]] = {}
    found: dict[str, dict[str, str]] = {}
    try:
        for row in select(client, HELD, timeout):
            found[row["name"]] = row
            mapping = graphs.setdefault(row["name"], {})
            if "stored" in row:
                served = row["served"]
                mapping[DEFAULT_GRAPH if served == THE_DEFAULT_GRAPH else served] = row["stored"]
        return {
            name: HeldRelease(
                name, row["state"], float(row["changed"]), ReleaseGraphs(name, graphs[name], int(row["triples"]))
            )
            for name, row in found.items()
        }
    except (KeyError, ValueError) as error:  # written by something other than `publish`
        raise RecordUnreadable(f"the release record in the store is not one `publish` wrote ({error!r})") from None


def current_name(client: StoreClient, timeout: float) -> str | None:
    """The name of the release to serve, or None while the store holds none."""
    names = {row["name"] for row in select(client, CURRENT_NAME, timeout)}
    return names.pop() if len(names) == 1 else None  # none, or caught mid-switch on a store without transactions


def current_release(client: StoreClient, timeout: float) -> ReleaseGraphs | None:
    """The release to serve, or None while the store holds none."""
    name = current_name(client, timeout)
    if name is None:
        return None
    held = held_releases(client, timeout).get(name)
    return held.graphs if held is not None and held.state == "complete" else None


def _record(triples: list[tuple[str, str, str]]) -> str:
    body = " ".join(f"{s} {p} {o} ." for s, p, o in triples)
    return f"INSERT DATA {{ GRAPH {iri_ref(RELEASE_RECORD)} {{ {body} }} }}"


def loading_update(name: str, stored: dict[str, str]) -> str:
    node = iri_ref(release_node(name))
    triples = [
        (node, iri_ref(NAME), literal(name)),
        (node, iri_ref(STATE), '"loading"'),
        (node, iri_ref(CHANGED), str(int(time.time()))),
        (node, iri_ref(TRIPLES), "0"),
    ]
    for iri, graph in stored.items():
        served = iri_ref(THE_DEFAULT_GRAPH if iri == DEFAULT_GRAPH else iri)
        triples += [
            (iri_ref(graph), iri_ref(IN_RELEASE), node),
            (iri_ref(graph), iri_ref(SERVED_AS), served),
        ]
    return _record(triples)


def switch_update(name: str, triples: int) -> str:
    """One update: the served release retires, the new one is complete and current."""
    rec, node, now = iri_ref(RELEASE_RECORD), iri_ref(release_node(name)), int(time.time())
    current, state, changed = iri_ref(CURRENT), iri_ref(STATE), iri_ref(CHANGED)
    count = iri_ref(TRIPLES)
    return f"""DELETE {{ GRAPH {rec} {{ {rec} {current} ?old . ?old {state} ?was ; {changed} ?when }} }}
INSERT {{ GRAPH {rec} {{ ?old {state} "retired" ; {changed} {now} }} }}
WHERE {{ GRAPH {rec} {{ {rec} {current} ?old . ?old {state} ?was ; {changed} ?when }} }} ;
DELETE WHERE {{ GRAPH {rec} {{ {node} {state} ?state ; {changed} ?changed ; {count} ?count }} }} ;
INSERT DATA {{ GRAPH {rec} {{ {rec} {current} {node} .
  {node} {state} "complete" ; {changed} {now} ; {count} {triples} }} }}"""


def forget_update(name: str) -> str:
    rec, node = iri_ref(RELEASE_RECORD), iri_ref(release_node(name))
    return (
        f"DELETE WHERE {{ GRAPH {rec} {{ ?graph {iri_ref(IN_RELEASE)} {node} ; ?p ?o }} }} ; "
        f"DELETE WHERE {{ GRAPH {rec} {{ {node} ?p ?o }} }}"
    )
