"""The embedded store behind the service: pools of confined query workers that can be killed when a query overruns.

A worker that overruns the time limit is killed with SIGKILL and replaced in the background; a worker that dies
mid-query fails only that request. Queries run in two lanes. A query still running after LONG_AFTER seconds leaves the
short lane: its worker drops to the lowest CPU priority (nice 19), no longer counts against the pool's size, and a
successor starts at once, so short queries never wait behind long ones; when it finishes it rejoins the short lane
while there is room (it is warm: see zygote.py). At most `max_long` long queries run at once; one more is stopped at
once with 503, so runaways cannot take the machine however many arrive.

The short lane keeps `workers` running and grows to `max_workers` while every worker is busy; a janitor thread
retires the extra workers, the coldest first, once the pool has not been full for `shrink_after` seconds. One more
worker waits on standby, forked and confined, so growing or replacing a worker takes no start-up time. Every worker
is forked from one zygote (zygote.py), which holds the store.

With an allow-list, queries with SERVICE run in a separate pool whose workers may open sockets; every other worker
is sandboxed without network (sandbox.py); those may connect only to the allow-listed addresses (egress.py).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING

from .base import QueryAnswer, QueryFailed, QueryRequest, QueryTimeout, Scanned, StoreInfo
from .idle import IdleWorkers
from .workers import Worker, WorkerLimits
from .zygote import Zygote

if TYPE_CHECKING:
    from .pattern_lane import PatternLane

log = logging.getLogger("partnergraph")
LONG_AFTER = 0.5  # seconds; a query still running then is a long one


class TooManyLongQueries(QueryFailed):
    """The long lane is full: the query was stopped rather than queued."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"{limit} long-running queries are already running; this one passed {LONG_AFTER:g} s and was stopped. "
            "Try again shortly, or narrow the query.",
            503,
        )


class WorkerPool:
    """Query workers forked from one zygote (so sharing its store), with a short and a long lane."""

    def __init__(
        self,
        zygote: Zygote,
        workers: int = 2,
        max_workers: int = 0,
        max_long: int = 2,
        shrink_after: float = 30.0,
        limits: WorkerLimits | None = None,
    ) -> None:
        self.zygote, self.limits = zygote, limits or WorkerLimits()
        self.base = max(1, workers)
        self.ceiling = max(self.base, max_workers)
        self.max_long, self.shrink_after = max(1, max_long), shrink_after
        self._idle = IdleWorkers()
        self._standby: queue.Queue[Worker] = queue.Queue()  # one started worker kept aside, so a successor is instant
        self._short: set[Worker] = set()
        self._long: set[Worker] = set()
        self._spares: set[Worker] = set()
        self._starting = 0
        self._last_full = 0.0  # when a request last found every worker busy
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.triples = 0
        for _ in range(self.base):
            self._idle.put(self._start())
        self._refill_standby()
        threading.Thread(target=self._janitor, name="pool-janitor", daemon=True).start()

    def _start(self, standby: bool = False) -> Worker:
        worker, self.triples = Worker.start(self.zygote, self.limits)
        with self._lock:
            closed = self._closed.is_set()
            if not closed:
                (self._spares if standby else self._short).add(worker)
        if closed:  # the pool closed while this worker started
            worker.stop()
            raise QueryFailed("the store was closed", 503)
        return worker

    def _in_background(self, start: Callable[[], None]) -> None:
        def run() -> None:
            try:
                if not self._closed.is_set():
                    start()
            except QueryFailed as failure:
                if not self._closed.is_set():
                    log.error("a query worker could not start: %s", failure)

        threading.Thread(target=run, daemon=True).start()

    def _refill_standby(self) -> None:
        self._in_background(lambda: self._standby.put(self._start(standby=True)))

    def _retire(self, worker: Worker) -> None:
        worker.stop()
        with self._lock:
            self._short.discard(worker)
            self._long.discard(worker)
            self._spares.discard(worker)

    def _start_successor(self) -> None:
        """Promote the standby worker at once (and start another), or start a worker in the background."""
        try:
            worker = self._standby.get_nowait()
        except queue.Empty:
            worker = None
        if worker is not None:
            with self._lock:
                self._spares.discard(worker)
                self._short.add(worker)
            self._idle.put(worker)
            self._refill_standby()
            return
        with self._lock:
            self._starting += 1

        def start() -> None:
            try:
                self._idle.put(self._start())
            finally:
                with self._lock:
                    self._starting -= 1

        self._in_background(start)

    def _grow_if_full(self) -> None:
        """Grow while at most the reserved worker is idle, so the reserve never makes a busy client wait."""
        if self._idle.count() > 1:
            return
        with self._lock:
            self._last_full = time.monotonic()
            grow = len(self._short) + self._starting < self.ceiling
        if grow:
            self._start_successor()

    def _janitor(self) -> None:
        """Replace workers that died while idle or on standby; retire one idle extra worker at a time once the pool
        has not been full for `shrink_after` seconds."""
        while not self._closed.wait(min(1.0, self.shrink_after / 4)):
            for dead in self._idle.take_dead():
                self._retire(dead)
                self._start_successor()
            with suppress(queue.Empty):
                standby = self._standby.get_nowait()
                if standby.alive():
                    self._standby.put(standby)
                else:
                    self._retire(standby)
                    self._refill_standby()
            with self._lock:
                surplus = len(self._short) > self.base and time.monotonic() - self._last_full > self.shrink_after
            if surplus:
                with suppress(queue.Empty):
                    self._retire(self._idle.take_coldest())

    def _take(self, deadline: float, priority: float) -> Worker:
        self._grow_if_full()
        while True:
            try:
                worker = self._idle.get(priority, max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout("every query worker is busy") from None
            if worker.alive():
                return worker
            self._retire(worker)  # it died while idle (killed from outside): the query has not run, so try another
            self._start_successor()

    def _to_long_lane(self, worker: Worker) -> None:
        with self._lock:
            full = len(self._long) >= self.max_long
            if not full:
                self._short.discard(worker)
                self._long.add(worker)
        self._start_successor()
        if full:
            self._retire(worker)
            raise TooManyLongQueries(self.max_long)
        worker.demote()

    def _back_from_long_lane(self, worker: Worker) -> None:
        """A long query finished: its successor took its place, but a worker that has run queries is worth keeping.
        A fork reads the shared store through copy-on-write pages, and its first scan copies the pages it touches
        (4x slower than the next one, measured at 5M triples), so it rejoins the short lane while there is room
        (the janitor retires extra workers later, the coldest first) and is retired only at the ceiling, or when
        its CPU priority cannot be raised back (an unprivileged process may only lower its own)."""
        with self._lock:
            self._long.discard(worker)
            room = len(self._short) + self._starting < self.ceiling
            if room:
                self._short.add(worker)
        if room and worker.restore_priority():
            self._idle.put(worker)
        else:
            self._retire(worker)

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        """Answer within `timeout` seconds (waiting for a free worker counts) or raise QueryTimeout."""
        deadline = time.monotonic() + timeout
        worker = self._take(deadline, request.priority)
        long = False
        try:
            sent = time.monotonic()
            worker.send(request, timeout)
            if not worker.answered(min(LONG_AFTER, timeout)):
                self._to_long_lane(worker)
                long = True
                if not worker.answered(deadline - time.monotonic()):
                    self._retire(worker)
                    raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            reason = worker.why_it_died()
            self._retire(worker)
            if not long:
                self._start_successor()
            raise QueryFailed(reason, 503) from None
        if long:
            self._back_from_long_lane(worker)
        else:
            self._idle.put(worker)
        if status == "failed":
            message, code = payload
            raise QueryFailed(message, code)
        return replace(QueryAnswer(*payload), seconds=time.monotonic() - sent)

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._short | self._long | self._spares)
            self._short.clear()
            self._long.clear()
            self._spares.clear()
        for worker in workers:
            worker.stop()


class EmbeddedStore:
    """The store interface over the local lane and, with an allow-list, a federation lane with network access; with
    an in-memory release, one-pattern queries are answered here without a worker (pattern_lane.py)."""

    def __init__(self, local: WorkerPool, federated: WorkerPool | None = None, lane: PatternLane | None = None) -> None:
        self.local, self.federated = local, federated  # both fork from local.zygote, which closes with them
        self.lane = lane  # one-pattern queries, answered in this process

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        if self.lane is not None and (answer := self.lane.answer(request)) is not None:
            return answer
        if request.federated:
            if self.federated is None:
                raise QueryFailed("SERVICE is not allowed on this endpoint", 403)
            return self.federated.run(request, timeout)
        return self.local.run(request, timeout)

    def info(self) -> StoreInfo:
        return StoreInfo(self.local.triples)

    def scan(self, predicate: str) -> Iterator[Scanned] | None:
        return self.lane.scan(predicate) if self.lane is not None else None

    def close(self) -> None:
        self.local.close()
        if self.federated:
            self.federated.close()
        self.local.zygote.close()
