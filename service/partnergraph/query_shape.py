"""What a query reaches and how deep it goes, read from its tokens before the engine sees it.

Shared by the web layer (SERVICE policy, nesting bounds) and the store (whether the query names its own dataset).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from .sparql_lexer import QueryTextError, Token, scan

__all__ = ["QueryShape", "QueryTextError", "read_query"]


@dataclass(frozen=True)
class QueryShape:
    services: tuple[str | None, ...]  # each SERVICE clause's endpoint, resolved; None for a variable or unreadable one
    names_dataset: bool  # FROM or FROM NAMED
    depth: int  # deepest nesting of (), [] and {}
    chain: int  # binary operators, path steps and UNIONs: each adds a level to the engine's expression tree


@lru_cache(maxsize=2048)
def read_query(text: str, base: str | None = None) -> QueryShape:
    """Read the query's prologue, SERVICE clauses and FROM; raise QueryTextError where it cannot be read.

    Cached: the landing page's examples, resource pages and shared links send the same texts again and again, and
    reading one costs 0.2-1 ms of pure Python."""
    scanned = scan(text)
    tokens = scanned.tokens
    prefixes: dict[str, str] = {}
    services: list[str | None] = []
    for index, token in enumerate(tokens):
        if token.kind != "keyword":
            continue
        following = tokens[index + 1 : index + 3]
        if token.value == "BASE" and following and following[0].kind == "iri":
            base = _resolve(following[0].value, base)
        elif token.value == "PREFIX" and len(following) == 2 and following[1].kind == "iri":
            prefixes[following[0].value.rstrip(":")] = _resolve(following[1].value, base) or following[1].value
        elif token.value == "SERVICE":
            if following and following[0].value == "SILENT":
                following = following[1:]
            services.append(_endpoint(following[0] if following else None, prefixes, base))
    return QueryShape(
        tuple(services),
        any(token.kind == "keyword" and token.value == "FROM" for token in tokens),
        scanned.depth,
        scanned.chain,
    )


def _endpoint(token: Token | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return _resolve(token.value, base)
    if token.kind == "pname":
        prefix, _, local = token.value.partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + _unescape_local(local)
    return None  # a variable, or something that cannot name an endpoint


def _unescape_local(local: str) -> str:
    """`\\#` in a prefixed name's local part stands for `#` (PN_LOCAL_ESC)."""
    out, index = [], 0
    while index < len(local):
        if local[index] == "\\" and index + 1 < len(local):
            index += 1
        out.append(local[index])
        index += 1
    return "".join(out)


def _resolve(iri: str, base: str | None) -> str | None:
    """An absolute IRI as it is; a relative one against the base (none without a base)."""
    if ":" in iri.split("/", 1)[0]:
        return iri
    return urljoin(base, iri) if base else None
