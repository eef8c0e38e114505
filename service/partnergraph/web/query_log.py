"""A structured log of the queries the service ran: JSON Lines, one line per query, rotated at a size bound.

Each line has what an operator needs to see what happened and to replay it against another instance
(`bench/replay.py`): time, query hash and text, dataset, format, duration, rows, status, truncation, client bucket.
"""

from __future__ import annotations

import hashlib
import json
import logging
import logging.handlers
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class QueryRecord:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str
    seconds: float
    status: int
    rows: int
    truncated: str
    client: str  # a hash of address and User-Agent: the budget's key, without keeping the address itself


class QueryLog:
    def __init__(self, path: Path | None, max_bytes: int) -> None:
        self._logger: logging.Logger | None = None
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=1, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        self._logger = logging.getLogger(f"partnergraph.queries.{path.resolve()}")
        self._logger.propagate = False
        self._logger.setLevel(logging.INFO)
        if not self._logger.handlers:
            self._logger.addHandler(handler)

    def write(self, record: QueryRecord) -> None:
        if self._logger is None:
            return
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "hash": hashlib.sha256(record.query.encode("utf-8", "surrogatepass")).hexdigest()[:16],
            **asdict(record),
        }
        line["seconds"] = round(record.seconds, 6)
        self._logger.info(json.dumps(line, ensure_ascii=False))


def client_key(address: str, user_agent: str) -> str:
    return hashlib.sha256(f"{address}\n{user_agent}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
