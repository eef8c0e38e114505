"""What a claim says is explicit, its quote states: every organisation it relates is named in the quote, as the
document writes it. A claim that reads a name from its surroundings (a heading, a list, "the University" of the
page's publisher) is marked from-context and carries the passages that name what its quote leaves unnamed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .quotes import Quote
from .registry import Registry

if TYPE_CHECKING:
    from .statements import Fact

CHECKED = ("explicit", "from-context")  # implied, from-title and from-name say what they rest on instead


def unstated(
    facts: list[Fact],
    method: str,
    context: tuple[Quote, ...],
    written: dict[str, list[str]],
    referred: dict[str, str],
    registry: Registry,
) -> str | None:
    """Why one claim's facts do not rest on what its quote (and context) names, or None when they do.
    `written` holds each organisation's names as the document writes them; `referred` the mentions of those it
    never names ("the municipality", "their Medical Centres"), which refer without naming: a claim resting on one
    is read from context, and the mention in its quote or context is all the page gives."""
    if method not in CHECKED:
        return None
    involved = {fact.subject for fact in facts} | {f.obj for f in facts if f.obj_kind == "entity" and f.obj}
    organisations = sorted(key for key in involved if registry.entities[key].kind == "organisation")
    unnamed = [key for key in organisations if not names(written.get(key, []), facts[0].quote.exact)]
    if method == "explicit":
        if not unnamed:
            return None
        key = unnamed[0]
        forms = ", ".join(repr(text) for text in written.get(key, []))
        how = f"written here as {forms}" if forms else f"which this document only refers to, as {referred.get(key)!r}"
        return (
            f"the quote does not name {key} ({how}): mark the claim "
            "'method: from-context' with 'context:' the passage that names it, or quote more"
        )
    if not unnamed:
        return "the quote names every organisation this claim relates: it is explicit, not from context"
    passages = [facts[0].quote, *context]
    missing = [
        key
        for key in unnamed
        if not any(names(written.get(key, []), passage.exact) for passage in context)
        and not (key in referred and any(names([referred[key]], passage.exact) for passage in passages))
    ]
    return f"context: no passage given names {missing[0]} either" if missing else None


def names(forms: list[str], text: str) -> bool:
    """Whether `text` contains one of `forms`, ignoring case and how whitespace runs are written."""
    folded = " ".join(text.split()).casefold()
    return any(" ".join(form.split()).casefold() in folded for form in forms)
