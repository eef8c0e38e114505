"""Replay a service's query log (JSON Lines) against another SPARQL endpoint, and compare the outcomes.

    python bench/replay.py build/logs/queries.jsonl --endpoint http://127.0.0.1:5000/sparql

Each logged query is sent with its dataset and format, one at a time, in the logged order; the report lists how
many got the same status, and the logged against the replayed seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ACCEPT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@dataclass
class Outcome:
    logged_status: int
    status: int
    logged_seconds: float
    seconds: float


def replay(log: Path, endpoint: str, timeout: float = 60.0) -> list[Outcome]:
    target = urlsplit(endpoint)
    connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port or 80, timeout=timeout)
    outcomes = []
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        form = [("query", entry["query"])]
        form += [("default-graph-uri", iri) for iri in entry["default_graphs"]]
        form += [("named-graph-uri", iri) for iri in entry["named_graphs"]]
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "partnergraph-replay"}
        if entry["format"] in ACCEPT:
            headers["Accept"] = ACCEPT[entry["format"]]
        started = time.perf_counter()
        connection.request("POST", target.path or "/sparql", urlencode(form), headers)
        response = connection.getresponse()
        response.read()
        outcomes.append(Outcome(entry["status"], response.status, entry["seconds"], time.perf_counter() - started))
    connection.close()
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--endpoint", required=True)
    args = parser.parse_args()
    outcomes = replay(args.log, args.endpoint)
    same = sum(outcome.status == outcome.logged_status for outcome in outcomes)
    logged = sum(outcome.logged_seconds for outcome in outcomes)
    replayed = sum(outcome.seconds for outcome in outcomes)
    print(f"{len(outcomes)} queries; {same} with the logged status; {logged:.3f} s logged, {replayed:.3f} s replayed")
    sys.exit(0 if same == len(outcomes) else 1)


if __name__ == "__main__":
    main()
