"""partnergraph's service against Oxigraph's own server, data in memory, on the same data and queries, interleaved.

    .venv/bin/python bench/run.py --triples 100000 --triples 1000000 --seconds 10

For each size, and each setting of our answer cache (`--answer-cache-mb 64 --answer-cache-mb 0`: one interleaved run
each; with it off, only the workloads that reach the engine): start-up time (loading included) and memory (RSS and
PSS of each server's process tree), then four
query mixes (bench/mixes.py: the full mix of twelve templates, the interactive mix, the single-resource lookup, and
twenty queries that repeat) and three kinds of page (resource pages, /data documents against Oxigraph's DESCRIBE,
search), at concurrency 1 and 4, each server in turn, in interleaved rounds. Every server must give the same answer
to every template (and a non-empty one to at least one of five draws) before anything is timed. Once per run: the
build from documents to validated dumps, and the ROR import against `oxigraph load`. Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).parent))
from generate import WORDS, generate
from load import ACCEPT, Draw, Result, run
from mixes import ID, Mix, mixes, templates

HERE = Path(__file__).parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
WORKLOADS = ["full", "interactive", "lookup", "repeat", "page", "data", "search"]
CACHE_ONLY = ("repeat", "page", "search")  # not run with the answer cache off: repeats measure the cache, pages and
# search have no Oxigraph counterpart
ROR_DUMP = HERE.parent.parent / "shared" / "external" / "ror-all-partial.jsonl.gz"


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    endpoint: str
    startup: float  # seconds from launch to the first answered query, loading included


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


def start_partnergraph(release: Path, cache_mb: int) -> Server:
    port = free_port()
    env = {
        "PARTNERGRAPH_STORE_CACHE": str(RESULTS / "stores"),
        "PARTNERGRAPH_MAX_ROWS": "100000",
        "PARTNERGRAPH_RELOAD_INTERVAL": "0",
        "PARTNERGRAPH_CLIENT_BUDGET_SECONDS": "0",  # the load clients would be one client spending for four
        "PARTNERGRAPH_QUERY_LOG": str(RESULTS / "queries.jsonl"),
        "PARTNERGRAPH_ANSWER_CACHE_MB": str(cache_mb),
    }
    shutil.rmtree(RESULTS / "stores", ignore_errors=True)  # start-up includes loading, as for the others
    command = [str(BIN / "partnergraph"), "serve", "--port", str(port), "--release", str(release)]
    return launch("partnergraph", command, f"http://127.0.0.1:{port}/sparql", env)


def start_oxigraph(data: Path) -> Server:
    """`oxigraph serve` in memory (no --location), loaded over HTTP; its default graph is the union, as ours."""
    port = free_port()
    started = time.perf_counter()
    command = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    server = launch("oxigraph", command, f"http://127.0.0.1:{port}/query")
    load = urllib.request.Request(
        f"http://127.0.0.1:{port}/store", data=data.read_bytes(), headers={"Content-Type": "application/n-quads"}
    )
    urllib.request.urlopen(load, timeout=3600).read()
    server.startup = time.perf_counter() - started
    return server


def start_rdflib(data: Path) -> Server:
    port = free_port()
    command = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
    return launch("rdflib-endpoint", command, f"http://127.0.0.1:{port}/")


def process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [pid], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def tree_memory_mib(pid: int) -> tuple[float, float]:
    """RSS (shared pages counted in every process) and PSS (shared pages divided among them) of a process tree."""
    rss = pss = 0
    for member in process_tree(pid):
        try:
            rollup = (Path("/proc") / str(member) / "smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    return rss / 1024, pss / 1024


def inputs(triples: int) -> tuple[Path, Path]:
    """The synthetic graph as a release directory (dataset.nq, served and downloadable) and its N-Quads file."""
    release = RESULTS / f"release-{triples}"
    data = release / "dataset.nq"
    if not data.exists():
        release.mkdir(parents=True, exist_ok=True)
        data.write_text("\n".join(generate(triples)) + "\n", encoding="utf-8")
    return release, data


def answer_size(endpoint: str, query: str) -> int:
    """How many rows (or triples, or the boolean) a server returns: the servers must agree before anything is timed."""
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


def check_answers(servers: list[Server], triples: int) -> None:
    draws = random.Random(5)
    for template in templates().values():
        sizes = []
        for _ in range(5):
            query = template.fill(draws, triples)
            answers = {server.name: answer_size(server.endpoint, query) for server in servers}
            if len(set(answers.values())) != 1:
                raise SystemExit(f"the servers do not give the same answer: {answers} for {query}")
            sizes.append(next(iter(answers.values())))
        if not any(sizes):
            raise SystemExit(f"{template.name} answers nothing on any of five draws")


def query_draw(server: Server, mix: Mix, triples: int) -> Draw:
    path = urlsplit(server.endpoint).path or "/"

    def draw(rng: random.Random, index: int) -> tuple[int, str, str]:
        position, text = mix.draw(rng, index, triples)
        return position, path + "?" + urlencode({"query": text}), ACCEPT

    return draw


def page_draw(server: Server, kind: str, triples: int) -> Draw:
    """Ours: /page/…, /data/….ttl, /search; Oxigraph's reference for /data is DESCRIBE of the same resource."""
    organisations = max(10, triples // 40)
    path = urlsplit(server.endpoint).path or "/"

    def draw(rng: random.Random, _index: int) -> tuple[int, str, str]:
        local = f"org/o{rng.randrange(organisations)}"
        if server.name != "partnergraph":
            return 0, path + "?" + urlencode({"query": f"DESCRIBE <{ID}{local}>"}), "text/turtle"
        if kind == "page":
            return 0, f"/page/{local}", "text/html"
        if kind == "data":
            return 0, f"/data/{local}.ttl", "text/turtle"
        return 0, "/search?q=" + quote(" ".join(rng.sample(WORDS, 2)).lower()), "application/json"

    return draw


def cache_counts(server: Server) -> tuple[float, float, float]:
    """Our answer cache's hits and misses so far, and the answers of the pattern lane, from /metrics (zero for other
    servers)."""
    if server.name != "partnergraph":
        return 0.0, 0.0, 0.0
    url = server.endpoint.replace("/sparql", "/metrics")
    counts = {"hit": 0.0, "miss": 0.0, "lane": 0.0}
    for line in urllib.request.urlopen(url, timeout=30).read().decode().splitlines():
        if line.startswith("partnergraph_answer_cache_total{"):
            counts[line.split('"')[1]] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("partnergraph_pattern_lane_total "):
            counts["lane"] = float(line.rsplit(" ", 1)[1])
    return counts["hit"], counts["miss"], counts["lane"]


def share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def bench_size(
    triples: int, cache_mb: int, args: argparse.Namespace, lines: list[str], report: dict[str, object]
) -> None:
    """One interleaved run at this size, our answer cache at `cache_mb` (0: the workloads that reach the engine)."""
    release, data = inputs(triples)
    servers = [start_partnergraph(release, cache_mb), start_oxigraph(data)]
    if triples <= args.rdflib_max:
        servers.append(start_rdflib(data))
    workloads: dict[str, dict[str, Draw]] = {
        name: {server.name: query_draw(server, mix, triples) for server in servers}
        for name, mix in mixes(triples).items()
    }
    for kind in ("page", "data", "search"):
        workloads[kind] = {
            server.name: page_draw(server, kind, triples) for server in servers[: 1 if kind != "data" else 2]
        }
    wanted = [name for name in args.workloads if cache_mb or name not in CACHE_ONLY]
    workloads = {name: draws for name, draws in workloads.items() if name in wanted}
    totals: dict[tuple[str, str, int], Result] = {}
    counted: dict[tuple[str, str, int], list[float]] = {}  # cache hits, misses and lane answers in the timed runs
    memory: dict[str, tuple[float, float]] = {}
    try:
        check_answers(servers, triples)
        for round_number in range(args.rounds):  # interleaved: every workload, concurrency and server in each round
            for concurrency in (1, 4):
                for workload, draws in workloads.items():
                    for name, draw in draws.items():
                        server = next(server for server in servers if server.name == name)
                        seed = round_number * 10 + concurrency  # fresh draws for every run, the same for every server
                        run(server.endpoint, draw, concurrency, 0.5, seed=1000 + seed)  # warm-up
                        before = cache_counts(server)
                        timed = run(server.endpoint, draw, concurrency, args.seconds, seed=seed)
                        after = cache_counts(server)
                        key = (workload, name, concurrency)
                        totals.setdefault(key, Result()).add(timed)
                        sums = counted.setdefault(key, [0.0, 0.0, 0.0])
                        for index in range(3):
                            sums[index] += after[index] - before[index]
        memory = {server.name: tree_memory_mib(server.process.pid) for server in servers}
        hit, miss, _lane = cache_counts(servers[0])
        hits = share(hit, hit + miss)
    finally:
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=30)
    suffix = "" if cache_mb else ", cache off"
    lines += [
        "",
        f"## {triples:,} triples ({data.stat().st_size / 1e6:.0f} MB of N-Quads){suffix}: {args.rounds} interleaved "
        f"rounds of {args.seconds:g} s",
        "",
        "Start-up (loading included) and memory under load (whole process tree): "
        + "; ".join(
            f"{server.name} {server.startup:.1f} s, RSS {rss:.0f} MiB, PSS {pss:.0f} MiB"
            for server in servers
            for rss, pss in [memory[server.name]]
        )
        + f". Our answer cache's hits over the whole run, warm-ups included: {hits}.",
        "",
        "| workload | server | conc | req/s | p50 ms | p99 ms | errors | vs Oxigraph | cache hits | pattern lane |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (workload, name, concurrency), result in sorted(
        totals.items(), key=lambda item: (list(workloads).index(item[0][0]), item[0][2], item[0][1])
    ):
        reference = totals.get((workload, "oxigraph", concurrency))
        ratio = f"{result.throughput / reference.throughput:.2f}" if reference and reference.throughput else "-"
        hit, miss, lane = counted[(workload, name, concurrency)]
        hit_share, lane_share = share(hit, hit + miss), share(lane, hit + miss)
        lines.append(
            f"| {workload}{suffix} | {name} | {concurrency} | {result.throughput:.1f} | {result.percentile(0.5):.2f} "
            f"| {result.percentile(0.99):.2f} | {result.errors} | {ratio} | {hit_share} | {lane_share} |"
        )
        report[f"{triples}/{workload}{suffix}/{name}/{concurrency}"] = {
            "rps": result.throughput,
            "p50": result.percentile(0.5),
            "p99": result.percentile(0.99),
            "errors": result.errors,
            "cache_hits": hit_share,
            "pattern_lane": lane_share,
        }
    report[f"{triples}{suffix}/servers"] = {
        server.name: {"startup_s": server.startup, "rss_mib": memory[server.name][0], "pss_mib": memory[server.name][1]}
        for server in servers
    }
    report[f"{triples}{suffix}/cache_hits"] = hits


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
        "--rdflib-max", type=int, default=0, help="largest size rdflib-endpoint is run at (it loads in memory; slow)"
    )
    parser.add_argument(
        "--workloads",
        type=lambda text: text.split(","),
        default=WORKLOADS,
        help=f"comma-separated subset of {','.join(WORKLOADS)}",
    )
    parser.add_argument(
        "--answer-cache-mb",
        type=int,
        action="append",
        help="our answer cache, one run per value (repeatable; 0: every query reaches the engine; default 64)",
    )
    parser.add_argument("--skip-once", action="store_true", help="skip the build and ROR import measurements")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    lines: list[str] = [f"# bench/run.py {' '.join(sys.argv[1:])}"]
    report: dict[str, object] = {}
    print(lines[0], flush=True)
    for triples in args.triples or [100_000]:
        for cache_mb in args.answer_cache_mb or [64]:
            shown = len(lines)
            bench_size(triples, cache_mb, args, lines, report)
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
