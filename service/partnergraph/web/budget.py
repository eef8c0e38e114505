"""Each client's share of query time: a token bucket of seconds of evaluation, as Wikidata's query service keeps one
per address and User-Agent. A client that has spent its bucket gets 429 with Retry-After until it refills."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

MAX_CLIENTS = 10_000  # buckets kept; the least recently seen client is forgotten first (with a full bucket again)


UNENFORCED_CAPACITY = 60.0  # with no budget enforced, usage is still tracked, to order waiting queries fairly


class ClientBudgets:
    def __init__(self, capacity: float, refill_rate: float) -> None:
        self.enforced = capacity > 0
        self.capacity = capacity if self.enforced else UNENFORCED_CAPACITY
        self.refill_rate = refill_rate if refill_rate > 0 or self.enforced else 1.0
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (seconds left, when)
        self._lock = threading.Lock()

    def _level(self, client: str, now: float) -> float:
        left, when = self._buckets.get(client, (self.capacity, now))
        return min(self.capacity, left + (now - when) * self.refill_rate)

    def wait_needed(self, client: str) -> int:
        """0 when the client may run a query now; otherwise the seconds until its bucket is positive again."""
        if not self.enforced:
            return 0
        with self._lock:
            level = self._level(client, time.monotonic())
        if level > 0:
            return 0
        return max(1, math.ceil(-level / self.refill_rate)) if self.refill_rate > 0 else 3600

    def spent(self, client: str) -> float:
        """Seconds of query time the client has spent and not yet regained: 0 for a fresh client."""
        with self._lock:
            return self.capacity - self._level(client, time.monotonic())

    def charge(self, client: str, seconds: float) -> None:
        """Take the query's time from the client's bucket (it may go below zero: the next query waits longer)."""
        now = time.monotonic()
        with self._lock:
            self._buckets[client] = (self._level(client, now) - seconds, now)
            self._buckets.move_to_end(client)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
