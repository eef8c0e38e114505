"""The benchmark's query mixes: templates from bench/queries/ with their parameters drawn per request.

Each request draws its organisation, consortium, year, words and limit from a seeded generator, so most texts are
new (as from many users) and every server sees the same sequence. `repeat` is the exception on purpose: a fixed set
of twenty queries sent again and again, as the landing page's examples, resource pages and shared links are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from generate import WORDS

QUERIES = Path(__file__).parent / "queries"
ID = "https://w3id.org/partnergraph/id/"
INTERACTIVE = ("01-lookup", "06-name-filter", "08-construct-resource", "11-neighbourhood", "12-ask")
REPEATED = 20


@dataclass(frozen=True)
class Template:
    name: str
    text: str

    def fill(self, rng: random.Random, triples: int) -> str:
        organisations = max(10, triples // 40)
        consortia = max(3, organisations // 20)
        first, second = rng.sample(WORDS, 2)
        return self.text.format(
            org=f"{ID}org/o{rng.randrange(organisations)}",
            consortium=f"{ID}org/c{rng.randrange(consortia)}",
            year=rng.randint(2000, 2024),
            words=f"{first} {second}".lower(),
            limit=rng.randint(10, 60),
        )


def templates() -> dict[str, Template]:
    return {path.stem: Template(path.stem, path.read_text(encoding="utf-8")) for path in sorted(QUERIES.glob("*.rq"))}


@dataclass(frozen=True)
class Mix:
    """A named list of templates; `fixed` texts, when set, are sent round-robin instead of drawing new ones."""

    name: str
    members: tuple[Template, ...]
    fixed: tuple[tuple[int, str], ...] = ()

    def draw(self, rng: random.Random, index: int, triples: int) -> tuple[int, str]:
        """The template's position in the mix and the query text for the `index`-th request of a client."""
        if self.fixed:
            return self.fixed[index % len(self.fixed)]
        position = index % len(self.members)
        return position, self.members[position].fill(rng, triples)


def mixes(triples: int) -> dict[str, Mix]:
    every = templates()
    interactive = tuple(every[name] for name in INTERACTIVE)
    draws = random.Random(11)
    fixed = tuple(
        (position, interactive[position].fill(draws, triples))
        for position in (i % len(interactive) for i in range(REPEATED))
    )
    return {
        "full": Mix("full", tuple(every.values())),
        "interactive": Mix("interactive", interactive),
        "lookup": Mix("lookup", (every["01-lookup"],)),
        "repeat": Mix("repeat", interactive, fixed),
    }
