"""partnergraph's service against Oxigraph server and rdflib-endpoint on the same data and queries, interleaved.

    .venv/bin/python bench/run.py --triples 100000 --triples 1000000 --seconds 10

For each size: start-up time and memory of each server, throughput and p50/p99 at concurrency 1 and 4 with the
ratios to Oxigraph server and rdflib-endpoint, the lookup's p99, the floor (the same queries inside pyoxigraph with no
HTTP), and dump download speed against Oxigraph's own dump (GET /store) and a plain read of the file. Once per run:
the build from documents to validated dumps, and the ROR import against `oxigraph load` of its output. Every server
must give the same, non-empty answer to every query before anything is timed. Results go to bench/results/ (ignored).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from load import Result, run

HERE = Path(__file__).parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
ROR_DUMP = HERE.parent.parent / "shared" / "external" / "ror-all-partial.jsonl.gz"


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    endpoint: str
    startup: float  # seconds from launch to the first answered query


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch(name: str, command: list[str], endpoint: str, env: dict[str, str] | None = None) -> Server:
    """Start a server and time it until it answers ASK {}."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    probe = endpoint + "?" + urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited while starting")
        try:
            urllib.request.urlopen(probe, timeout=5).read()
            return Server(name, process, endpoint, time.perf_counter() - started)
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{name} did not come up")


def start_partnergraph(release: Path) -> Server:
    port = free_port()
    env = {
        "PARTNERGRAPH_STORE_CACHE": str(RESULTS / "stores"),
        "PARTNERGRAPH_MAX_ROWS": "100000",
        "PARTNERGRAPH_RELOAD_INTERVAL": "0",
    }
    shutil.rmtree(RESULTS / "stores", ignore_errors=True)  # start-up includes loading, as for the others
    command = [str(BIN / "partnergraph"), "serve", "--port", str(port), "--release", str(release)]
    return launch("partnergraph", command, f"http://127.0.0.1:{port}/sparql", env)


def start_oxigraph(data: Path) -> Server:
    location = RESULTS / f"oxigraph-{data.stem}"
    shutil.rmtree(location, ignore_errors=True)
    port = free_port()
    started = time.perf_counter()
    load = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)]
    subprocess.run(load, check=True, capture_output=True)
    loading = time.perf_counter() - started
    # --union-default-graph: queries see all graphs by default, as on our service
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    server = launch("oxigraph", [*command, "--union-default-graph"], f"http://127.0.0.1:{port}/query")
    server.startup += loading
    return server


def start_rdflib(data: Path) -> Server:
    port = free_port()
    command = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
    return launch("rdflib-endpoint", command, f"http://127.0.0.1:{port}/")


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (shared pages counted in each)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack += children.get(current, [])
        try:
            status = (Path("/proc") / str(current) / "status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def answer_size(endpoint: str, query: str) -> int:
    """How many rows (or triples) a server returns for a query: the servers must agree before anything is timed."""
    request = urllib.request.Request(
        endpoint + "?" + urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
        if "json" in response.headers.get("Content-Type", ""):
            data = json.loads(body)
            return len(data["results"]["bindings"]) if "results" in data else int(data["boolean"])
        return len({line for line in body.decode("utf-8").splitlines() if line.strip()})


def floor(data: Path, queries: list[str], repeats: int = 10) -> list[float]:
    """Median milliseconds of each query inside pyoxigraph, without HTTP."""
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    medians = []
    for query in queries:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            answer = store.query(query, use_default_graph_as_union=True)
            list(answer) if not isinstance(answer, ox.QueryBoolean) else bool(answer)
            times.append(time.perf_counter() - started)
        medians.append(statistics.median(times) * 1000)
    return medians


def download_mb_s(url: str, seconds: float = 5.0, concurrency: int = 1) -> float:
    """MB/s of repeated whole downloads of one URL, over keep-alive connections."""
    import threading

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    received = [0] * concurrency
    deadline = time.perf_counter() + seconds

    def client(slot: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        while time.perf_counter() < deadline:
            connection.request("GET", path, headers={"Accept": "application/n-quads"})
            response = connection.getresponse()
            while block := response.read(1 << 20):
                received[slot] += len(block)
            assert response.status == 200, response.status
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(received) / (time.perf_counter() - started) / 1e6


def file_read_mb_s(path: Path, seconds: float = 2.0) -> float:
    read, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                read += len(block)
    return read / (time.perf_counter() - started) / 1e6


def inputs(triples: int) -> tuple[Path, Path]:
    """The synthetic graph as a release directory (dataset.nq, served and downloadable) and its N-Quads file."""
    release = RESULTS / f"release-{triples}"
    data = release / "dataset.nq"
    if not data.exists():
        release.mkdir(parents=True, exist_ok=True)
        data.write_text("\n".join(generate(triples)) + "\n", encoding="utf-8")
    return release, data


def bench_size(triples: int, args: argparse.Namespace, lines: list[str], report: dict[str, object]) -> None:
    release, data = inputs(triples)
    queries = [path.read_text(encoding="utf-8") for path in sorted((HERE / "queries").glob("*.rq"))]
    servers = [start_partnergraph(release), start_oxigraph(data)]
    if triples <= args.rdflib_max:
        servers.append(start_rdflib(data))
    totals: dict[tuple[str, int], Result] = {}
    memory: dict[str, float] = {}
    downloads: dict[str, float] = {}
    try:
        for query in queries:
            sizes = {server.name: answer_size(server.endpoint, query) for server in servers}
            if len(set(sizes.values())) != 1 or not any(sizes.values()):
                raise SystemExit(f"the servers do not give the same, non-empty answer: {sizes} for {query[:80]}")
        for _ in range(args.rounds):  # interleaved: every server and concurrency in each round
            for concurrency in (1, 4):
                for server in servers:
                    run(server.endpoint, queries, concurrency, 1.0)  # warm-up
                    totals.setdefault((server.name, concurrency), Result()).add(
                        run(server.endpoint, queries, concurrency, args.seconds)
                    )
        memory = {server.name: tree_rss_mib(server.process.pid) for server in servers}
        ours = servers[0].endpoint.replace("/sparql", "/download/dataset.nq")
        theirs = servers[1].endpoint.replace("/query", "/store")
        for concurrency in (1, 4):
            downloads[f"partnergraph/{concurrency}"] = download_mb_s(ours, concurrency=concurrency)
            downloads[f"oxigraph/{concurrency}"] = download_mb_s(theirs, concurrency=concurrency)
    finally:
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=30)
    base = floor(data, queries)
    downloads["file read"] = file_read_mb_s(data)
    lines += [
        "",
        f"## {triples:,} triples ({data.stat().st_size / 1e6:.0f} MB of N-Quads): {len(queries)} queries, "
        f"{args.rounds} interleaved rounds of {args.seconds:g} s",
        "",
        "| server | start-up s | RSS MiB | conc | req/s | p50 ms | p99 ms | lookup p99 ms | errors "
        "| vs Oxigraph | vs rdflib-endpoint |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    startup = {server.name: server.startup for server in servers}
    for (name, concurrency), result in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0])):
        ratios = []
        for reference in ("oxigraph", "rdflib-endpoint"):
            other = totals.get((reference, concurrency))
            ratios.append(f"{result.throughput / other.throughput:.2f}" if other and other.throughput else "-")
        lines.append(
            f"| {name} | {startup[name]:.1f} | {memory[name]:.0f} | {concurrency} | {result.throughput:.1f} "
            f"| {result.percentile(0.5):.2f} | {result.percentile(0.99):.2f} | {result.percentile(0.99, 0):.2f} "
            f"| {result.errors} | {ratios[0]} | {ratios[1]} |"
        )
        report[f"{triples}/{name}/{concurrency}"] = {
            "rps": result.throughput,
            "p50": result.percentile(0.5),
            "p99": result.percentile(0.99),
            "lookup_p99": result.percentile(0.99, 0),
            "errors": result.errors,
            "startup_s": startup[name],
            "rss_mib": memory[name],
        }
    names = [path.stem for path in sorted((HERE / "queries").glob("*.rq"))]
    lines += [
        "",
        "Per query at concurrency 4, p99 ms (floor: median ms inside pyoxigraph, no HTTP):",
        "",
        "| query | floor | " + " | ".join(server.name for server in servers) + " |",
        "|---|---|" + "---|" * len(servers),
    ]
    for index, name in enumerate(names):
        cells = [f"{totals[(server.name, 4)].percentile(0.99, index):.1f}" for server in servers]
        lines.append(f"| {name} | {base[index]:.2f} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Dump download, MB/s (ours: the release's dataset.nq file; Oxigraph: GET /store, serialised on the fly): "
        + ", ".join(f"{key} {value:.0f}" for key, value in downloads.items()),
    ]
    report[f"{triples}/downloads"] = downloads


def bench_once(lines: list[str], report: dict[str, object]) -> None:
    """The build from the documents, and the ROR import against `oxigraph load` of the same triples."""
    out = RESULTS / "build"
    started = time.perf_counter()
    subprocess.run([str(BIN / "partnergraph"), "build", "--out", str(out)], check=True, capture_output=True)
    build = time.perf_counter() - started
    lines += ["", f"Build from the five documents to validated dumps in six formats: {build:.1f} s"]
    report["build_s"] = build
    shutil.rmtree(out, ignore_errors=True)
    if not ROR_DUMP.is_file():
        lines.append(f"ROR import: skipped, no {ROR_DUMP}")
        return
    output = RESULTS / "ror.nq.gz"
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "partnergraph"), "import-ror", str(ROR_DUMP), "--out", str(output)], check=True, capture_output=True
    )
    ours = time.perf_counter() - started
    plain = RESULTS / "ror.nq"
    plain.write_bytes(gzip.decompress(output.read_bytes()))
    triples = sum(1 for line in plain.open("rb") if line.strip())
    location = RESULTS / "oxigraph-ror"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    load = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(plain)]
    subprocess.run(load, check=True, capture_output=True)
    theirs = time.perf_counter() - started
    lines.append(
        f"ROR import of {ROR_DUMP.name}: {triples:,} triples in {ours:.1f} s ({triples / ours:,.0f} triples/s); "
        f"`oxigraph load` of the same N-Quads: {theirs:.1f} s ({triples / theirs:,.0f} triples/s); "
        f"ratio {theirs / ours:.2f}"
    )
    report["ror"] = {"triples": triples, "seconds": ours, "oxigraph_load_seconds": theirs}
    shutil.rmtree(location, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, action="append", help="graph size (repeatable; default 100000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each timed run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds")
    parser.add_argument(
        "--rdflib-max", type=int, default=1_000_000, help="largest size rdflib-endpoint is run at (it loads in memory)"
    )
    parser.add_argument("--skip-once", action="store_true", help="skip the build and ROR import measurements")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    lines: list[str] = [f"# bench/run.py {' '.join(sys.argv[1:])}"]
    report: dict[str, object] = {}
    print(lines[0], flush=True)
    for triples in args.triples or [100_000]:
        shown = len(lines)
        bench_size(triples, args, lines, report)
        print("\n".join(lines[shown:]), flush=True)
    if not args.skip_once:
        shown = len(lines)
        bench_once(lines, report)
        print("\n".join(lines[shown:]))
    (RESULTS / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    shutil.rmtree(RESULTS / "stores", ignore_errors=True)


if __name__ == "__main__":
    main()
