"""Answers reused within a release: the data cannot change until the next one, so the same request has the same answer.

A store wrapper, so it serves the embedded and a remote store alike, and one cache lives and dies with its edition.
Keyed by the whole request (query text, dataset, formats, bounds, base IRI and bindings) except its waiting priority;
bounded by the bytes of the bodies it holds, least recently used first out. Queries with SERVICE are never cached:
what a remote endpoint answers may change at any time. Failures are not cached either: a timeout depends on the load.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import replace

from .base import QueryAnswer, QueryRequest, Scanned, Store, StoreInfo

LARGEST_SHARE = 8  # an answer larger than this share of the cache is not kept: it would push out many small ones


class CachedStore:
    """A store whose answers are kept, up to `max_bytes` of bodies, for as long as the store is served."""

    def __init__(self, store: Store, max_bytes: int) -> None:
        self.store, self.max_bytes = store, max_bytes
        self._answers: OrderedDict[QueryRequest, QueryAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        if request.federated or self.max_bytes <= 0:
            return self.store.run(request, timeout)
        key = replace(request, priority=0.0)
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                return replace(answer, seconds=0.0, cached=True)  # nothing was spent in the engine
        answer = self.store.run(request, timeout)
        self._keep(key, answer)
        return answer

    def _keep(self, key: QueryRequest, answer: QueryAnswer) -> None:
        size = len(answer.body) + len(key.sparql)
        if size > self.max_bytes // LARGEST_SHARE:
            return
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                old_key, old = self._answers.popitem(last=False)
                self._bytes -= len(old.body) + len(old_key.sparql)

    def info(self) -> StoreInfo:
        return self.store.info()

    def scan(self, predicate: str) -> Iterator[Scanned] | None:
        return self.store.scan(predicate)

    def close(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0
        self.store.close()
