"""Idle query workers, and the order in which waiting queries get them."""

from __future__ import annotations

import itertools
import queue
import threading
import time

from .workers import Worker

RESERVED_FOR = 0.25  # the last idle worker waits for a client whose queries typically take less than this


class IdleWorkers:
    """Idle workers, handed to waiting queries by priority (minus their client's typical query seconds), then by
    arrival: a client whose queries run long waits behind one whose queries are cheap, and never takes the last idle
    worker, which stays free for a cheap query."""

    def __init__(self) -> None:
        self._workers: list[Worker] = []
        self._waiters: list[list[float]] = []  # [-priority, arrival]; each waiter knows its own list
        self._arrivals = itertools.count()
        self._changed = threading.Condition()

    def put(self, worker: Worker) -> None:
        with self._changed:
            self._workers.append(worker)
            self._changed.notify_all()

    def count(self) -> int:
        return len(self._workers)

    def take_dead(self) -> list[Worker]:
        """Remove and return the idle workers that died (killed from outside) while waiting."""
        with self._changed:
            dead = [worker for worker in self._workers if not worker.alive()]
            self._workers = [worker for worker in self._workers if worker not in dead]
            return dead

    def take_coldest(self) -> Worker:
        """The worker idle the longest, to retire: queries are handed the most recently used one (LIFO), whose
        copy-on-write pages of the store are the warmest."""
        with self._changed:
            if not self._workers or self._waiters:
                raise queue.Empty
            return self._workers.pop(0)

    def _next(self) -> list[float] | None:
        """The waiter whose turn it is: the first by priority that may take a worker (the last idle one is kept for
        clients whose queries typically take under RESERVED_FOR seconds)."""
        for waiter in sorted(self._waiters):
            if len(self._workers) > 1 or -waiter[0] >= -RESERVED_FOR:
                return waiter
        return None

    def get(self, priority: float, timeout: float) -> Worker:
        deadline = time.monotonic() + timeout
        me = [-priority, float(next(self._arrivals))]
        with self._changed:
            self._waiters.append(me)
            try:
                while not (self._workers and self._next() is me):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise queue.Empty
                    self._changed.wait(remaining)
                return self._workers.pop()
            finally:
                self._waiters.remove(me)
                self._changed.notify_all()
