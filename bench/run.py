"""Run the query mix against partnergraph's service and Oxigraph's own server on the same data, interleaved.

    .venv/bin/python bench/run.py --triples 100000 --seconds 10

Prints throughput and latency percentiles side by side with the ratios, and the floor: the same queries inside
pyoxigraph with no HTTP. Results also go to bench/results/ (not committed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from load import Result, run

HERE = Path(__file__).parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent


def wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_partnergraph(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PARTNERGRAPH_STORE_CACHE": str(RESULTS / "stores"), "PARTNERGRAPH_MAX_ROWS": "100000"}
    process = subprocess.Popen(
        [str(BIN / "partnergraph"), "serve", "--port", str(port), "--data", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait(f"http://127.0.0.1:{port}/health")
    return process, f"http://127.0.0.1:{port}/sparql"


def start_oxigraph(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    location = RESULTS / f"oxigraph-{data.stem}"
    if not location.exists():
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
            check=True,
            capture_output=True,
        )
    port = free_port()
    process = subprocess.Popen(
        # --union-default-graph: queries see all graphs by default, as on our service
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    return process, f"http://127.0.0.1:{port}/query"


def answer_size(endpoint: str, query: str) -> int:
    """How many rows (or triples) a server returns for a query: the servers must agree before anything is timed."""
    request = urllib.request.Request(
        endpoint + "?" + urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        if "json" in response.headers.get("Content-Type", ""):
            data = json.loads(body)
            return len(data["results"]["bindings"]) if "results" in data else int(data["boolean"])
        return len([line for line in body.decode("utf-8").splitlines() if line.strip()])


def floor(data: Path, queries: list[str], repeats: int = 20) -> float:
    """Median milliseconds per query inside pyoxigraph, without HTTP, over the whole mix."""
    store = ox.Store()
    store.bulk_load(gzip.decompress(data.read_bytes()), format=ox.RdfFormat.N_QUADS)
    times = []
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            answer = store.query(query, use_default_graph_as_union=True)
            list(answer) if not isinstance(answer, ox.QueryBoolean) else bool(answer)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    data = RESULTS / f"graph-{args.triples}.nq.gz"
    if not data.exists():
        with gzip.open(data, "wt", encoding="utf-8") as handle:
            handle.write("\n".join(generate(args.triples)) + "\n")
    queries = [path.read_text(encoding="utf-8") for path in sorted((HERE / "queries").glob("*.rq"))]
    servers = {"partnergraph": start_partnergraph(data), "oxigraph": start_oxigraph(data)}
    totals: dict[tuple[str, int], Result] = {}
    try:
        for query in queries:
            sizes = {name: answer_size(endpoint, query) for name, (_, endpoint) in servers.items()}
            if len(set(sizes.values())) != 1 or not any(sizes.values()):
                raise SystemExit(f"the servers do not give the same, non-empty answer: {sizes} for {query[:80]}")
        for _ in range(args.rounds):  # interleaved: every server and concurrency in each round
            for concurrency in (1, 4):
                for name, (_, endpoint) in servers.items():
                    run(endpoint, queries, concurrency, 1.0)  # warm-up
                    result = run(endpoint, queries, concurrency, args.seconds)
                    total = totals.setdefault((name, concurrency), Result())
                    total.requests += result.requests
                    total.errors += result.errors
                    total.seconds += result.seconds
                    total.latencies += result.latencies
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
    base = floor(data, queries)
    lines = [
        f"{args.triples} triples, {len(queries)} queries, {args.rounds} interleaved rounds of {args.seconds:g} s",
        f"floor (pyoxigraph in process, no HTTP): median {base:.2f} ms per query",
        "server        conc  req/s    p50 ms  p99 ms  errors  vs oxigraph (req/s)",
    ]
    report = {}
    for (name, concurrency), result in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0])):
        reference = totals[("oxigraph", concurrency)].throughput
        ratio = result.throughput / reference if reference else float("nan")
        lines.append(
            f"{name:13} {concurrency:4} {result.throughput:7.1f} {result.percentile(0.5):8.2f} "
            f"{result.percentile(0.99):7.2f} {result.errors:7}  {ratio:.2f}"
        )
        report[f"{name}/{concurrency}"] = {
            "rps": result.throughput,
            "p50": result.percentile(0.5),
            "p99": result.percentile(0.99),
            "errors": result.errors,
            "ratio": ratio,
        }
    print("\n".join(lines))
    (RESULTS / f"report-{args.triples}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    shutil.rmtree(RESULTS / "stores", ignore_errors=True)


if __name__ == "__main__":
    main()
