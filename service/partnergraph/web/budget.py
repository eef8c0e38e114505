"""Each client's share of query time: a token bucket of seconds of evaluation, as Wikidata's query service keeps one
per address and User-Agent. A client that has spent its bucket gets 429 with Retry-After until it refills. How long a
client's queries typically take orders the queries waiting for a worker: cheap queries go first."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

MAX_CLIENTS = 10_000  # buckets kept; the least recently seen client is forgotten first (with a full bucket again)


TYPICAL_WEIGHT = 0.3  # how much one query moves a client's typical query time (an exponential moving average)


class ClientBudgets:
    """Each client's bucket of query seconds, and how long its queries typically take (for the order of waiters)."""

    def __init__(self, capacity: float, refill_rate: float) -> None:
        self.enforced = capacity > 0
        self.capacity, self.refill_rate = capacity, refill_rate
        self._clients: OrderedDict[str, tuple[float, float, float]] = OrderedDict()  # (seconds left, when, typical)
        self._lock = threading.Lock()

    def _level(self, client: str, now: float) -> float:
        left, when, _ = self._clients.get(client, (self.capacity, now, 0.0))
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

    def typical_seconds(self, client: str) -> float:
        """How long this client's queries have taken lately: 0 for a new client, about 0.5 s or more for runaways."""
        with self._lock:
            return self._clients.get(client, (0.0, 0.0, 0.0))[2]

    def charge(self, client: str, seconds: float) -> None:
        """Take the query's engine time from the client's bucket (it may go below zero: the next query waits longer)."""
        now = time.monotonic()
        with self._lock:
            typical = self._clients[client][2] if client in self._clients else 0.0  # new clients count as cheap
            typical += TYPICAL_WEIGHT * (seconds - typical)
            self._clients[client] = (self._level(client, now) - seconds, now, typical)
            self._clients.move_to_end(client)
            while len(self._clients) > MAX_CLIENTS:
                self._clients.popitem(last=False)
