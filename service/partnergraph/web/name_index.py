"""Name search over an index built once per release: the data cannot change within one, so every name, acronym and
alias of the dataset's resources is read once, folded (case and accents) and searched in memory, ranked.

A SPARQL `CONTAINS` over every name took 0.4 s at 1M triples and could not rank; the index answers in milliseconds
and puts exact names and acronyms first, then names that start with the text, then names with a word that starts
with it, then any name that contains it.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import logging
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..editions import Edition
from ..store.base import QueryFailed, QueryTimeout
from .errors import ServiceError

log = logging.getLogger("partnergraph")
RANKS = ("exact", "prefix", "word", "contains")
HOW_ORDER = {"label": 0, "acronym": 1, "alias": 2}
MAX_CANDIDATES = 5000  # names examined per kind of match: a two-letter search stays milliseconds at any size
# Kinds too general to tell a hit apart, shown only when a resource has no other (ORG's own hierarchy is not in the
# store, so FormalOrganization does not hide Organization by subclassing)
GENERIC = frozenset(
    {
        "http://www.w3.org/ns/org#Organization",
        "http://www.w3.org/ns/org#FormalOrganization",
        "http://schema.org/Organization",
    }
)


def fold(text: str) -> str:
    """Case and accents folded, so "Universite" finds "Université" and "lumc" finds "LUMC"."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()))  # no line breaks: they separate the names
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass
class Entry:
    iri: str
    labels: dict[str, str] = field(default_factory=dict)  # language → preferred label
    names: list[tuple[str, str]] = field(default_factory=list)  # (name as written, how: label|acronym|alias)
    kinds: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.labels.get("en") or self.labels.get("") or min(self.labels.values(), default=self.names[0][0])


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kinds: tuple[str, ...]
    matched: tuple[str, ...]  # the names that matched, best first
    rank: str  # exact | prefix | word | contains


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    total: int  # resources that matched; a lower bound when not complete
    complete: bool


class NameIndex:
    """Every name of one release, folded; `search` ranks by how well the best name matches, then by label.

    Held in flat columns (lists of strings, arrays of numbers), not an object per name: the garbage collector
    walks container objects, and a million of them would stall every full collection for a quarter of a second.
    """

    def __init__(self, entries: list[Entry]) -> None:
        self.iris = [entry.iri for entry in entries]
        self.labels = [entry.label for entry in entries]
        self.kinds = [entry.kinds for entry in entries]
        self.order_keys = [f"{fold(entry.label)}\n{entry.iri}" for entry in entries]  # ties: by label, then IRI
        pairs = [(number, name, how) for number, entry in enumerate(entries) for name, how in entry.names]
        self.names = [name for _, name, _ in pairs]  # one row per name
        self.folded = [fold(name) for name in self.names]
        self.entry_of = array("l", (number for number, _, _ in pairs))
        self.how_of = bytes(HOW_ORDER[how] for _, _, how in pairs)
        # the folded names on lines of one string, so a substring is found by str.find (in C), not name by name
        self.text = "\n".join(self.folded)
        self.starts = array("l", itertools.accumulate((len(name) + 1 for name in self.folded[:-1]), initial=0))
        by_name = sorted(range(len(self.folded)), key=self.folded.__getitem__)
        self.sorted_names = [self.folded[row] for row in by_name]
        self.sorted_rows = array("l", by_name)

    def __len__(self) -> int:
        return len(self.iris)

    def _matching(self, wanted: str) -> Iterator[int]:
        """The rows whose folded name contains `wanted`, each once."""
        at = self.text.find(wanted)
        while at != -1:
            row = bisect.bisect_right(self.starts, at) - 1
            yield row
            if row + 1 == len(self.starts):
                return
            at = self.text.find(wanted, self.starts[row + 1])

    def search(self, text: str, limit: int) -> Found:
        """The best `limit` hits. Exact names and prefixes come from a sorted list, so they are always found first;
        substrings are examined up to MAX_CANDIDATES names (then the total is a lower bound)."""
        wanted = fold(text.strip())
        if not wanted:
            return Found([], 0, True)
        low = bisect.bisect_left(self.sorted_names, wanted)
        high = bisect.bisect_left(self.sorted_names, wanted + "\U0010ffff")
        scanned = list(itertools.islice(self._matching(wanted), MAX_CANDIDATES + 1))
        complete = high - low <= MAX_CANDIDATES and len(scanned) <= MAX_CANDIDATES
        prefixed = self.sorted_rows[low : min(high, low + MAX_CANDIDATES)]  # exact names sort first
        best: dict[int, tuple[int, int, list[int]]] = {}  # entry → (rank, how, rows of the names matched)
        for row in dict.fromkeys([*prefixed, *scanned[:MAX_CANDIDATES]]):
            number, how, rank = self.entry_of[row], self.how_of[row], _rank(self.folded[row], wanted)
            found = best.get(number)
            if found is None:
                best[number] = (rank, how, [row])
            else:
                found[2].append(row)
                if (rank, how) < found[:2]:
                    best[number] = (rank, how, found[2])
        ordered = heapq.nsmallest(limit, best, key=lambda n: (*best[n][:2], self.order_keys[n]))
        hits = []
        for number in ordered:
            rank, _how, rows = best[number]
            names = sorted(rows, key=lambda row: (_rank(self.folded[row], wanted), self.folded[row], self.names[row]))
            matched = tuple(dict.fromkeys(self.names[row] for row in names))
            hits.append(Hit(self.iris[number], self.labels[number], self.kinds[number], matched, RANKS[rank]))
        return Found(hits, len(best), complete)


def _rank(folded: str, wanted: str) -> int:
    if folded == wanted:
        return 0
    if folded.startswith(wanted):
        return 1
    if any(word.startswith(wanted) for word in folded.replace("-", " ").split()):
        return 2
    return 3


class NameIndexes:
    """The index of the edition being served, built at its first search (one build at a time; the previous
    edition's index is dropped when the next is built)."""

    def __init__(self, build: Callable[[Edition], NameIndex]) -> None:
        self.build = build
        self._lock = threading.Lock()
        self._built: tuple[Edition, NameIndex] | None = None

    def get(self, edition: Edition) -> NameIndex:
        built = self._built
        if built is not None and built[0] is edition:
            return built[1]
        with self._lock:
            if self._built is None or self._built[0] is not edition:
                try:
                    index = self.build(edition)
                except (QueryFailed, QueryTimeout) as error:
                    log.warning("name index for release %s not built: %s", edition.name, error)
                    raise ServiceError(
                        503, "Search unavailable", "The name index could not be built; try again.", {"Retry-After": "5"}
                    ) from None
                log.info(
                    "name index for release %s: %d resources, %d names",
                    edition.name,
                    len(index),
                    len(index.names),
                )
                self._built = (edition, index)
            return self._built[1]
