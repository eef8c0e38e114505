"""The embedded store behind the service: query worker processes that can be killed when a query runs too long.

pyoxigraph cannot cancel a running query, so each query runs in a worker process holding the store open read-only.
A worker that overruns the time limit is killed with SIGKILL and replaced in the background; a worker that dies
mid-query fails only that request. A query still running after LONG_AFTER seconds is a long one: its worker drops to
the lowest CPU priority (nice 19) and gives up its place in the pool, where a successor starts at once, so a runaway
neither takes a core nor a worker from the short queries for the rest of its time; the worker retires after it.

The pool keeps `workers` running and grows up to `max_workers` while every worker is busy, so a short query does
not queue behind long ones under load; a worker beyond the base retires once the pool has not been full for
SHRINK_AFTER seconds, so an idle service holds only its base.

Workers are plain subprocesses (`python -m partnergraph.store.workers`) talking over a socket pair with
multiprocessing's Connection: no fork of the threaded parent, and none of the spawn method's extra baggage
(a resource tracker process and a re-import of the parent's main module), which cost about 15 MB.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .base import QueryAnswer, QueryFailed, QueryRequest, QueryTimeout, StoreInfo

LONG_AFTER = 0.5  # seconds; a query still running then is a long one
SHRINK_AFTER = 30.0  # seconds without a full pool before an extra worker retires


def _serve(store_dir: str, connection: Connection) -> None:
    """The worker's loop: open the store read-only, then answer requests until the pipe closes."""
    import pyoxigraph as ox

    from .execute import execute

    store = ox.Store.read_only(store_dir)
    connection.send(("ready", len(store)))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", execute(store, request)))
        except QueryFailed as failure:
            connection.send(("failed", (str(failure), failure.status)))


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection

    def demote(self) -> None:
        """Lowest CPU priority: under contention the scheduler gives a long query what short ones leave."""
        with suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.connection.close()


class EmbeddedStore:
    """A pool of query workers over one on-disk store directory."""

    def __init__(self, store_dir: Path, workers: int = 2, max_workers: int = 0, start_timeout: float = 60.0) -> None:
        self.store_dir = store_dir
        self.base = max(1, workers)
        self.ceiling = max(self.base, max_workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._starting = 0
        self._last_full = 0.0  # when a request last found every worker busy
        self._lock = threading.Lock()
        self._closed = False
        self.triples = 0
        for _ in range(self.base):
            self._idle.put(self._start(start_timeout))

    def _start(self, timeout: float = 60.0) -> _Worker:
        ours, theirs = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(self.store_dir), str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        parent = Connection(ours.detach())
        worker = _Worker(process, parent)
        try:
            if not parent.poll(timeout):
                raise EOFError
            _, self.triples = parent.recv()
        except (EOFError, OSError):
            worker.stop()
            raise QueryFailed(f"a query worker could not open the store {self.store_dir}", 500) from None
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def _start_successor(self) -> None:
        """Start a worker in the background, so the caller can answer at once."""
        with self._lock:
            self._starting += 1

        def start() -> None:
            try:
                if not self._closed:
                    self._idle.put(self._start())
            finally:
                with self._lock:
                    self._starting -= 1

        threading.Thread(target=start, daemon=True).start()

    def _grow_if_full(self) -> None:
        """Every worker busy: note it, and start one more if the ceiling allows."""
        if not self._idle.empty():
            return
        with self._lock:
            self._last_full = time.monotonic()
            grow = len(self._all) + self._starting < self.ceiling
        if grow:
            self._start_successor()

    def _give_back(self, worker: _Worker) -> None:
        """Back to the pool, unless it is an extra worker and the pool has not been full for a while."""
        with self._lock:
            surplus = len(self._all) > self.base and time.monotonic() - self._last_full > SHRINK_AFTER
        if surplus:
            self._retire(worker)
        else:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        self._start_successor()

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        """Answer within `timeout` seconds (waiting for a free worker counts) or raise QueryTimeout."""
        deadline = time.monotonic() + timeout
        self._grow_if_full()
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout("every query worker is busy") from None
            if worker.alive():
                break
            self._replace(worker)  # it died while idle (killed from outside): the query has not run, so try another
        long = False
        try:
            worker.connection.send(request)
            if not worker.connection.poll(min(LONG_AFTER, timeout)):
                long = True
                worker.demote()
                self._start_successor()
                if not worker.connection.poll(max(0.0, timeout - LONG_AFTER)):
                    self._retire(worker)
                    raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            if long:
                self._retire(worker)  # its successor is already starting
            else:
                self._replace(worker)
            raise QueryFailed("the query worker stopped unexpectedly; the query was not answered", 503) from None
        if long:
            self._retire(worker)
        else:
            self._give_back(worker)
        if status == "failed":
            message, code = payload
            raise QueryFailed(message, code)
        assert isinstance(payload, QueryAnswer)
        return payload

    def info(self) -> StoreInfo:
        return StoreInfo(self.triples)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


if __name__ == "__main__":
    _serve(sys.argv[1], Connection(int(sys.argv[2])))
