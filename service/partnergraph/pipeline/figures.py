"""Figures a page states: a whole number, what it counts, and any hedge; checked against the quote's own words.

A page writes small numbers as words ("the three partners", "a ten-year programme", "zes gemeenten"), so a figure
is found in its quote as digits, with a thousands separator, or as an English or Dutch number word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUALIFIERS = ("normal-value", "more-than")
# one line per language reads better than forty quoted words (hence the line-length exemption)
_ENGLISH = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()  # noqa: E501, SIM905
_DUTCH = "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien twintig".split()  # noqa: E501, SIM905
NUMBER_WORDS: dict[int, set[str]] = {value: {_ENGLISH[value], _DUTCH[value]} for value in range(len(_ENGLISH))}
NUMBER_WORDS[1] |= {"één", "eén"}


@dataclass(frozen=True)
class Figure:
    value: int
    kind: str  # a concept of the kind scheme: what is counted (organisations, years, jobs, ...)
    qualifier: str


def parse_figure(spec: object, quote: str) -> Figure:
    """The figure a claim gives, or ValueError saying what is wrong with it."""
    if not isinstance(spec, dict) or not isinstance(spec.get("value"), int) or "kind" not in spec:
        raise ValueError("figure is {value: <whole number>, kind: <counted kind>, qualifier: more-than}")
    value, qualifier = spec["value"], spec.get("qualifier", "normal-value")
    if value < 0 or qualifier not in QUALIFIERS:
        raise ValueError(f"figure: value must be >= 0 and qualifier one of {', '.join(QUALIFIERS)}")
    if not stated_forms(value) & {token.strip(",.") for token in re.findall(r"[\w,.]+", quote.lower())}:
        raise ValueError(
            f"figure: the quote does not state the number {value} (looked for {', '.join(sorted(stated_forms(value)))})"
        )
    return Figure(value, str(spec["kind"]), qualifier)


def stated_forms(value: int) -> set[str]:
    """How a page may write the number: 5000, 5,000 (English), 5.000 (Dutch), or a word."""
    return {str(value), f"{value:,}", f"{value:,}".replace(",", "."), *NUMBER_WORDS.get(value, ())}
