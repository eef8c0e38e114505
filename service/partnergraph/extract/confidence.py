"""How far to trust a candidate: the precision its rule measured against reviewed statements, so that the threshold
of `extract --accept` means what it says (at 0.6, rules right at least three times in five).

Each entry is (correct, proposed) for one rule, apart for candidates read from context, as `partnergraph evaluate
--by-rule` counts them over the five reviewed documents (each left out in turn) and the pages of other universities
in tests/fixtures/extract; a relation candidate counts the share of its pairs the reviewers recorded. Add-one
smoothing keeps a rule seen once from counting as certain, and gives a rule never measured 0.5: below the threshold,
so a new rule's candidates wait for review until the table is refreshed (copy `evaluate --by-rule`'s last block).
"""

from __future__ import annotations

# `partnergraph evaluate --pages tests/fixtures/extract --by-rule`, 2026-12-03
MEASURED: dict[tuple[str, bool], tuple[float, int]] = {
    ("rule:agreement", False): (4.0, 4),
    ("rule:agreement", True): (3.0, 3),
    ("rule:agreement-of-group", True): (1.0, 1),
    ("rule:consists", False): (2.0, 2),
    ("rule:consists", True): (1.0, 1),
    ("rule:coordinated", True): (1.0, 1),
    ("rule:figure", False): (7.0, 9),
    ("rule:figure", True): (23.0, 30),
    ("rule:founded", False): (2.0, 2),
    ("rule:founded-by", False): (1.0, 1),
    ("rule:founded-by", True): (2.0, 2),
    ("rule:framed-members", False): (1.0, 1),
    ("rule:funded-by", True): (3.0, 3),
    ("rule:incubated", True): (1.0, 1),
    ("rule:joined-by", True): (0.0, 1),
    ("rule:location", False): (1.0, 3),
    ("rule:member", False): (4.0, 5),
    ("rule:parenthesised-members", False): (2.0, 2),
    ("rule:parenthesised-parts", False): (1.0, 1),
    ("rule:part", False): (4.0, 4),
    ("rule:part-of-collaboration", False): (1.0, 1),
    ("rule:participates", False): (2.0, 2),
    ("rule:participates", True): (1.0, 1),
    ("rule:partners-of-group", True): (2.0, 2),
    ("rule:partnership", False): (11.7, 17),
    ("rule:partnership", True): (2.3, 3),
    ("rule:partnership-between", False): (1.0, 1),
    ("rule:partnership-between", True): (0.9, 1),
    ("rule:partnership-forming", False): (2.0, 2),
    ("rule:partnership-named", False): (2.0, 2),
    ("rule:place-in-name", False): (8.0, 14),
    ("rule:said-unit-of", False): (1.0, 1),
    ("rule:supported", False): (1.0, 1),
    ("rule:supported-by", True): (2.0, 2),
    ("rule:unit-of", False): (2.0, 2),
}


def confidence(rule: str, from_context: bool) -> float:
    return smoothed(*MEASURED.get((rule, from_context), (0.0, 0)))


def smoothed(right: float, proposed: int) -> float:
    return round((right + 1) / (proposed + 2), 2)
