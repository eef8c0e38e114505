"""Ask a Wikidata-compatible SPARQL endpoint which items state a ROR id (P6782), in batched VALUES queries.

Timeouts, 5xx answers and refused connections are retried with exponential backoff; a malformed answer or a 4xx is not.
Every failure ends in one WikidataError that names the endpoint and the reason, before anything is written.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .. import __version__
from ..errors import PartnergraphError

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = f"partnergraph/{__version__} (linked-data build of Leiden University's partnerships; +https://w3id.org/partnergraph/)"
ITEM = re.compile(r"^http://www\.wikidata\.org/entity/(Q[1-9][0-9]*)$")
P6782 = "<http://www.wikidata.org/prop/direct/P6782>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
ROR_ID = re.compile(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$")


STATUS = {
    "QueryBadFormed": "HTTP 400",
    "Unauthorized": "HTTP 401",
    "EndPointNotFound": "HTTP 404",
    "URITooLong": "HTTP 414",
    "EndPointInternalError": "HTTP 500",
}


class WikidataError(PartnergraphError):
    """The endpoint could not be queried; the link set was left as it was."""


class _Retry(Exception):
    pass


class WikidataClient:
    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
        batch: int = 50,
    ) -> None:
        self.endpoint, self.timeout, self.retries, self.backoff, self.batch = endpoint, timeout, retries, backoff, batch

    def items_by_ror(self, ror_ids: list[str]) -> dict[str, set[str]]:
        """Map each ROR id to the Wikidata items (QIDs) that state it, one request per batch of ids."""
        found: dict[str, set[str]] = {}
        ids = sorted({i for i in ror_ids if ROR_ID.match(i)})  # checked, so safe to write into VALUES
        for start in range(0, len(ids), self.batch):
            values = " ".join(f'"{i}"' for i in ids[start : start + self.batch])
            query = f"SELECT ?item ?ror WHERE {{ VALUES ?ror {{ {values} }} ?item {P6782} ?ror }}"
            for row in self._select(query):
                item = ITEM.match(row.get("item", {}).get("value", ""))
                ror = row.get("ror", {}).get("value", "")
                if item is None or ror not in ids:
                    raise WikidataError(f"the Wikidata endpoint {self.endpoint} gave a malformed row: {row!r:.200}")
                found.setdefault(ror, set()).add(item.group(1))
        return found

    def items_by_label(self, labels: list[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
        """Map (label, language) pairs to the items with exactly that label: candidates for review, never links."""
        found: dict[tuple[str, str], set[str]] = {}
        pairs = sorted(set(labels))
        for start in range(0, len(pairs), self.batch):
            values = " ".join(f"{_literal(text)}@{lang}" for text, lang in pairs[start : start + self.batch])
            query = f"SELECT ?item ?label WHERE {{ VALUES ?label {{ {values} }} ?item {RDFS_LABEL} ?label }}"
            for row in self._select(query):
                item = ITEM.match(row.get("item", {}).get("value", ""))
                label = row.get("label", {})
                key = (label.get("value", ""), label.get("xml:lang", ""))
                if item is None or key not in pairs:
                    raise WikidataError(f"the Wikidata endpoint {self.endpoint} gave a malformed row: {row!r:.200}")
                found.setdefault(key, set()).add(item.group(1))
        return found

    def _select(self, query: str) -> list[dict[str, dict[str, str]]]:
        reason = ""
        for attempt in range(1, self.retries + 1):
            try:
                return self._once(query)
            except _Retry as retry:
                reason = str(retry)
                if attempt < self.retries:
                    time.sleep(self.backoff * 2 ** (attempt - 1))
        raise WikidataError(f"the Wikidata endpoint {self.endpoint} failed after {self.retries} tries: {reason}")

    def _once(self, query: str) -> list[dict[str, dict[str, str]]]:
        client = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        client.setMethod(POST)
        client.setQuery(query)
        client.setReturnFormat(JSON)
        client.setTimeout(max(1, int(self.timeout)))
        try:
            answer = client.query()
            body = answer.response.read()
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code == 429:
                raise _Retry(f"HTTP {error.code}") from None
            raise WikidataError(f"the Wikidata endpoint {self.endpoint} refused the query: HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise _Retry(f"{getattr(error, 'reason', error)}") from None
        except SPARQLWrapperException as error:  # SPARQLWrapper's names for 400, 401, 404, 414 and 500
            status = STATUS.get(type(error).__name__, type(error).__name__)
            if status == "HTTP 500":
                raise _Retry(status) from None
            raise WikidataError(f"the Wikidata endpoint {self.endpoint} refused the query: {status}") from None
        try:
            data = json.loads(body)
            rows = data["results"]["bindings"]
            assert isinstance(rows, list)
        except (ValueError, KeyError, TypeError, AssertionError):
            raise WikidataError(
                f"the Wikidata endpoint {self.endpoint} answered something that is not SPARQL JSON results"
            ) from None
        return rows


def _literal(text: str) -> str:
    """A SPARQL string literal for one of our own names (backslashes first, so no escape can be smuggled in)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'
