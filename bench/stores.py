"""partnergraph in front of a SPARQL store, against that store's own server, on the same data and queries.

    .venv/bin/python bench/stores.py --triples 1000000 --seconds 5

For each size: the synthetic release (bench/generate.py) is published with `partnergraph publish` into Oxigraph's
server (on disk) and into Virtuoso 7.2, each started as the tests start them (tests/engines.py), and served by
`partnergraph serve --store-url`. Each engine's own endpoint is the reference: it gets the same queries with the
dataset the service sends (the release's graphs, as default-graph-uri and named-graph-uri). The embedded service runs
in the same interleaved rounds. The service's answer cache is off, so every query reaches the store. Writes
bench/results/stores.md and stores.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from load import ACCEPT, Draw, Result, run
from mixes import mixes
from run import BIN, RESULTS, Server, free_port, inputs, launch, start_partnergraph, tree_memory_mib
from tests.engines import Engine, OxigraphServer, VirtuosoServer

from partnergraph.store.release_record import current_release
from partnergraph.store.remote import StoreClient

ENGINES = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}
WORKLOADS = ["interactive", "lookup", "full"]


def publish(engine: Engine, release: Path) -> float:
    started = time.perf_counter()
    command = [str(BIN / "partnergraph"), "publish", "--release", str(release)]
    command += ["--store-url", engine.query_url, "--update-url", engine.update_url]
    command += ["--graph-store-url", engine.graph_store_url]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **engine.publish_env})
    if done.returncode != 0:
        raise SystemExit(f"publish into {engine.name} failed: {done.stderr}")
    return time.perf_counter() - started


def serve_in_front(engine: Engine, release: Path) -> Server:
    port = free_port()
    env = {"PARTNERGRAPH_ANSWER_CACHE_MB": "0", "PARTNERGRAPH_MAX_ROWS": "100000", "PARTNERGRAPH_QUERY_LOG": ""}
    env["PARTNERGRAPH_CLIENT_BUDGET_SECONDS"] = "0"
    command = [str(BIN / "partnergraph"), "serve", "--port", str(port), "--release", str(release)]
    command += ["--store-url", engine.query_url]
    return launch(f"partnergraph→{engine.name}", command, f"http://127.0.0.1:{port}/sparql", env)


def draw_for(endpoint: str, mix_name: str, triples: int, dataset: list[tuple[str, str]]) -> Draw:
    """The mix's queries; to an engine's own endpoint with the dataset our service would send it."""
    path, mix = urlsplit(endpoint).path, mixes(triples)[mix_name]

    def draw(rng: random.Random, index: int) -> tuple[int, str, str]:
        position, text = mix.draw(rng, index, triples)
        return position, path + "?" + urlencode([("query", text), *dataset]), ACCEPT

    return draw


def bench_size(triples: int, args: argparse.Namespace, lines: list[str], report: dict[str, object]) -> None:
    release, _data = inputs(triples)
    servers: list[tuple[str, str, list[tuple[str, str]]]] = []  # name, endpoint, dataset parameters
    engines: list[Engine] = []
    started: list[Server] = []
    loads: dict[str, float] = {}
    try:
        embedded = start_partnergraph(release, 0)
        started.append(embedded)
        servers.append(("partnergraph (embedded)", embedded.endpoint, []))
        for name in args.engines:
            engine = ENGINES[name].start(Path(tempfile.mkdtemp(prefix=f"bench-{name}-")))
            engines.append(engine)
            loads[name] = publish(engine, release)
            client = StoreClient(engine.query_url, None, 1)
            graphs = current_release(client, 60)
            client.close()
            assert graphs is not None
            dataset = [("default-graph-uri", g) for g in graphs.stored.values()]
            dataset += [("named-graph-uri", g) for g in graphs.stored.values()]
            servers.append((name, engine.query_url, dataset))
            front = serve_in_front(engine, release)
            started.append(front)
            servers.append((front.name, front.endpoint, []))
        totals: dict[tuple[str, str, int], Result] = {}
        for round_number in range(args.rounds):
            for concurrency in (1, 4):
                for workload in args.workloads:
                    for name, endpoint, dataset in servers:
                        draw = draw_for(endpoint, workload, triples, dataset)
                        seed = round_number * 10 + concurrency  # fresh draws each run, the same for every server
                        run(endpoint, draw, concurrency, 0.5, seed=1000 + seed)
                        timed = run(endpoint, draw, concurrency, args.seconds, seed=seed)
                        totals.setdefault((workload, name, concurrency), Result()).add(timed)
        memory = {server.name: tree_memory_mib(server.process.pid) for server in started}
        memory.update({engine.name: tree_memory_mib(engine.process.pid) for engine in engines})
    finally:
        for server in started:
            server.process.terminate()
            server.process.wait(timeout=30)
        for engine in engines:
            engine.stop()
    lines += [
        "",
        f"## {triples:,} triples: {args.rounds} interleaved rounds of {args.seconds:g} s, answer cache off",
        "",
        "Publish (loading, counting and reading back): "
        + "; ".join(f"{name} {seconds:.1f} s" for name, seconds in loads.items())
        + ". Memory after the run (RSS/PSS of each process tree): "
        + "; ".join(f"{name} {rss:.0f}/{pss:.0f} MiB" for name, (rss, pss) in memory.items())
        + ".",
        "",
        "| workload | server | conc | req/s | p50 ms | p99 ms | errors | vs the engine's own server |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (workload, name, concurrency), result in sorted(
        totals.items(), key=lambda item: (args.workloads.index(item[0][0]), item[0][2], item[0][1])
    ):
        engine_name = name.split("→")[1] if "→" in name else None
        reference = totals.get((workload, engine_name, concurrency)) if engine_name else None
        ratio = f"{result.throughput / reference.throughput:.2f}" if reference and reference.throughput else "-"
        lines.append(
            f"| {workload} | {name} | {concurrency} | {result.throughput:.1f} | {result.percentile(0.5):.2f} "
            f"| {result.percentile(0.99):.2f} | {result.errors} | {ratio} |"
        )
        report[f"{triples}/{workload}/{name}/{concurrency}"] = {
            "rps": result.throughput,
            "p50": result.percentile(0.5),
            "p99": result.percentile(0.99),
            "errors": result.errors,
        }
    report[f"{triples}/publish_s"] = loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, action="append", help="graph size (repeatable; default 1000000)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each timed run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds")
    parser.add_argument("--engines", type=lambda text: text.split(","), default=list(ENGINES))
    parser.add_argument("--workloads", type=lambda text: text.split(","), default=WORKLOADS)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    lines = [f"# bench/stores.py {' '.join(sys.argv[1:])}"]
    report: dict[str, object] = {}
    print(lines[0], flush=True)
    for triples in args.triples or [1_000_000]:
        shown = len(lines)
        bench_size(triples, args, lines, report)
        print("\n".join(lines[shown:]), flush=True)
    (RESULTS / "stores.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "stores.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
