"""How a claim was read and how much it counts: its rank (as Wikidata ranks statements), its method (stated in the
quote, or read from context, a title or a name) with the passages a from-context claim rests on, and its modality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from .quotes import Quote
from .sourcefile import LineDict

RANKS = ("preferred", "normal", "deprecated")
METHODS = ("explicit", "from-context", "implied", "from-title", "from-name")
MODALITIES = ("stated", "planned")  # a claim the page puts in the future is kept, marked planned, never published


def read_curation(
    block: LineDict,
    line: int,
    fail: Callable[[str, int | None], NoReturn],
    locate: Callable[[object, object, int], Quote],
) -> dict[str, Any]:
    """The claim's curation keys, checked; `fail` reports a problem at the claim's line, `locate` finds a passage."""
    rank = block.get("rank", "normal")
    method = block.get("method", "explicit")
    if rank not in RANKS:
        fail(f"rank {rank!r} is not one of {', '.join(RANKS)}", line)
    if method not in METHODS:
        fail(f"method {method!r} is not one of {', '.join(METHODS)}", line)
    if rank == "deprecated" and not block.get("reason"):
        fail("a deprecated claim needs a reason saying what contradicts it", line)
    context: list[Quote] = []
    if ("context" in block) != (method == "from-context"):
        fail("'context' (the passage that supplies a name) goes with 'method: from-context', and back", line)
    if method == "from-context":
        given = block["context"]
        for spec in given if isinstance(given, list) else [given]:
            passage = spec if isinstance(spec, dict) else {"quote": spec}
            context.append(locate(passage.get("quote"), passage.get("occurrence", 1), line))
        if rank == "preferred" and not block.get("reason"):
            fail("a preferred claim read from context needs a reason for its rank", line)
    modality = block.get("modality", "stated")
    if modality not in MODALITIES:
        fail(f"modality {modality!r} is not one of {', '.join(MODALITIES)}", line)
    curation = {"rank": rank, "method": method, "reason": block.get("reason"), "context": tuple(context)}
    return curation | {"modality": modality}
