"""Slow senders and idle connections against a running server: normal clients keep their pace."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlencode

from .server import Server

QUERY = "SELECT ?o WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o } LIMIT 3"


def _dribble(port: int, data: bytes, pause: float, stop: threading.Event) -> None:
    """Send `data` one byte at a time, `pause` seconds apart, as a slowloris client does."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for byte in data:
            if stop.is_set():
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return
            time.sleep(pause)


def test_slow_senders_and_idle_connections_do_not_starve_normal_clients(server: Server) -> None:
    stop = threading.Event()
    head = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 4000 + b"\r\n\r\n"
    body = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 4000\r\n\r\n"
    body += b"#" * 4000
    threads = [
        threading.Thread(target=_dribble, args=(server.port, data, 0.1, stop), daemon=True)
        for data in [head] * 30 + [body] * 30
    ]
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(30)]  # open, silent keep-alives
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        seconds = []
        for _ in range(40):
            started = time.monotonic()
            reply = server.request("GET", "/sparql?" + urlencode({"query": QUERY}), timeout=10)
            seconds.append(time.monotonic() - started)
            assert reply.status == 200
        seconds.sort()
        print(
            f"\nbeside 60 slow senders and 30 idle connections: p50 {seconds[20] * 1000:.1f} ms, max "
            f"{seconds[-1] * 1000:.1f} ms"
        )
        assert seconds[-1] < 1.0
    finally:
        stop.set()
        for sock in idle:
            sock.close()
