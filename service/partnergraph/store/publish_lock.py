"""One `publish` at a time per store: a lock in the release record, taken with one conditional update.

Two loads at once would each name its own release current and could drop the other's graphs. The lock is taken by
an INSERT that only happens when no fresh lock is there (one update operation, atomic in the store), then read back:
whoever's token is there holds it. A lock older than STALE_SECONDS is a publish that died, and is cleared.
"""

from __future__ import annotations

import contextlib
import secrets
import time

from ..iris import RELEASE_RECORD, RESERVED_NAMESPACE, iri_ref, literal
from .release_record import select
from .remote import StoreClient
from .store_writer import PublishFailed, StoreWriter

STALE_SECONDS = 3600  # a publish of 5M triples takes about 200 s; one holding the lock for an hour has died
LOCK = iri_ref(RESERVED_NAMESPACE + "publishing")
HOLDER = iri_ref(RESERVED_NAMESPACE + "holder")
SINCE = iri_ref(RESERVED_NAMESPACE + "since")
RECORD = iri_ref(RELEASE_RECORD)


class PublishLock:
    def __init__(self, writer: StoreWriter, client: StoreClient, timeout: float) -> None:
        self.writer, self.client, self.timeout = writer, client, timeout
        self.token = literal(secrets.token_hex(16))

    def acquire(self) -> None:
        now = int(time.time())
        self.writer.update(
            f"DELETE {{ GRAPH {RECORD} {{ {LOCK} {HOLDER} ?h ; {SINCE} ?t }} }} "
            f"WHERE {{ GRAPH {RECORD} {{ {LOCK} {HOLDER} ?h ; {SINCE} ?t FILTER (?t <= {now - STALE_SECONDS}) }} }} ; "
            f"INSERT {{ GRAPH {RECORD} {{ {LOCK} {HOLDER} {self.token} ; {SINCE} {now} }} }} "
            # one solution to filter (VALUES): Virtuoso gives none for OPTIONAL or FILTER NOT EXISTS on an empty group
            f"WHERE {{ VALUES ?go {{ 1 }} FILTER NOT EXISTS {{ GRAPH {RECORD} {{ {LOCK} {SINCE} ?any }} }} }}",
            "taking the publish lock",
        )
        rows = select(
            self.client, f"SELECT ?h ?t WHERE {{ GRAPH {RECORD} {{ {LOCK} {HOLDER} ?h ; {SINCE} ?t }} }}", self.timeout
        )
        if [literal(row["h"]) for row in rows] != [self.token]:
            since = ", ".join(time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(float(row["t"]))) for row in rows)
            raise PublishFailed(
                f"another publish to this store is running (since {since or 'a moment ago'}); run one at a time. "
                f"A lock left by a publish that died is cleared after {STALE_SECONDS // 60} minutes."
            )

    def release(self) -> None:
        """Best effort: a lock that cannot be removed now goes stale."""
        with contextlib.suppress(PublishFailed):
            self.writer.update(
                f"DELETE WHERE {{ GRAPH {RECORD} {{ {LOCK} {HOLDER} {self.token} ; {SINCE} ?t }} }}",
                "releasing the publish lock",
            )
