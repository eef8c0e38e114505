"""Where a request's time goes: a query mix through the Flask app and its query workers, under pyinstrument.

    .venv/bin/python bench/profile.py --triples 100000 --requests 3000 --mix interactive

Runs in one process with Flask's test client (no socket), so the profile shows our code, Flask and the wait on the
query worker; the HTTP server's share is measured by bench/run.py. The answer cache is off, so every request reaches
a worker. Writes bench/results/profile-<size>.html.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from pyinstrument import Profiler

sys.path.insert(0, str(Path(__file__).parent))
from mixes import mixes
from run import RESULTS, inputs

from partnergraph.editions import Editions
from partnergraph.server import open_edition
from partnergraph.web import create_app
from partnergraph.web_config import ServiceConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--mix", default="interactive", choices=("full", "interactive", "lookup", "repeat"))
    args = parser.parse_args()
    release, _data = inputs(args.triples)
    config = ServiceConfig(
        release_dir=release,
        store_cache=RESULTS / "stores",
        max_rows=100_000,
        answer_cache_mb=0,
        client_budget_seconds=0,
        query_log=None,
    )
    edition = open_edition(config, release)
    app = create_app(config, Editions(edition))
    client = app.test_client()
    mix, draws = mixes(args.triples)[args.mix], random.Random(1)
    paths = ["/sparql?" + urlencode({"query": mix.draw(draws, i, args.triples)[1]}) for i in range(args.requests)]
    accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    for path in paths[:100]:
        assert client.get(path, headers=accept).status_code == 200
    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    with profiler:
        for i in range(args.requests):
            client.get(paths[i % len(paths)], headers=accept)
    elapsed = time.perf_counter() - started
    edition.close()
    print(f"{args.requests} requests in {elapsed:.2f} s: {elapsed / args.requests * 1000:.2f} ms each, in process")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    (RESULTS / f"profile-{args.triples}.html").write_text(profiler.output_html(), encoding="utf-8")


if __name__ == "__main__":
    main()
