"""What a query reaches and how deep it goes, read from its tokens before the engine sees it.

Shared by the web layer (SERVICE policy, nesting bounds) and the store (whether the query names its own dataset).
Only SPARQL 1.1 (and the 1.2 triple-term functions) gets through: every keyword is one of the query grammar's, every
prefix is declared, so an engine's own extensions (Virtuoso's DEFINE pragmas, which fetch URLs, its predeclared
`bif:` and `sql:` functions, which call SQL procedures) never reach a remote store, nor does an update.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from .iris import RESERVED_NAMESPACE
from .sparql_lexer import QueryTextError, Token, remembered, scan

__all__ = ["QueryShape", "QueryTextError", "read_query", "resolve_iri", "unescape_local"]

PROCEDURE_SCHEMES = ("bif:", "sql:")  # IRIs that call an engine's SQL procedures (Virtuoso)
# the query grammar's keywords and built-in functions (SPARQL 1.1, and 1.2's for triple terms)
# fmt: off
QUERY_WORDS = frozenset({
    "BASE", "PREFIX", "SELECT", "DISTINCT", "REDUCED", "AS", "CONSTRUCT", "WHERE", "DESCRIBE", "ASK", "FROM", "NAMED",
    "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC",
    "LIMIT", "OFFSET", "VALUES", "UNDEF", "OPTIONAL", "GRAPH", "SERVICE", "SILENT", "BIND", "MINUS", "FILTER",
    "UNION", "A", "TRUE", "FALSE", "IN", "NOT", "EXISTS",
    "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES",
    "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS",
    "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS",
    "STRENDS", "STRBEFORE", "STRAFTER", "YEAR",
    "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1",
    "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG",
    "STRDT", "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE",
    "TRIPLE", "SUBJECT", "PREDICATE", "OBJECT", "ISTRIPLE", "LANGDIR", "HASLANG", "HASLANGDIR", "STRLANGDIR",
})
UPDATE_WORDS = frozenset({
    "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "DATA", "USING",
})
# fmt: on


@dataclass(frozen=True)
class QueryShape:
    services: tuple[str | None, ...]  # each SERVICE clause's endpoint, resolved; None for a variable or unreadable one
    names_dataset: bool  # FROM or FROM NAMED
    depth: int  # deepest nesting of (), [] and {}
    chain: int  # binary operators, path steps and UNIONs: each adds a level to the engine's expression tree


@remembered(maxsize=2048)
def read_query(text: str, base: str | None = None) -> QueryShape:
    """Read the query's prologue, SERVICE clauses and FROM; raise QueryTextError where it cannot be read or is not
    a SPARQL 1.1 query.

    Cached: the landing page's examples, resource pages and shared links send the same texts again and again, and
    reading one costs 0.2-1 ms of pure Python."""
    scanned = scan(text)
    tokens = scanned.tokens
    prefixes: dict[str, str] = {}
    services: list[str | None] = []
    for index, token in enumerate(tokens):
        declared = index > 0 and tokens[index - 1].value == "PREFIX" and tokens[index - 1].kind == "keyword"
        if token.kind in ("iri", "pname") and not declared:
            _check_term(token, prefixes, base, text)
        if token.kind != "keyword":
            continue
        _check_word(token, text)
        following = tokens[index + 1 : index + 3]
        if token.value == "BASE" and following and following[0].kind == "iri":
            base = resolve_iri(following[0].value, base)
        elif token.value == "PREFIX" and len(following) == 2 and following[1].kind == "iri":
            prefixes[following[0].value.rstrip(":")] = resolve_iri(following[1].value, base) or following[1].value
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


def _check_word(token: Token, text: str) -> None:
    if token.value in UPDATE_WORDS:
        raise QueryTextError(f"{token.value} is SPARQL Update; this endpoint only answers queries", text, token.offset)
    if token.value not in QUERY_WORDS:
        raise QueryTextError(f"{token.value!r} is not a SPARQL 1.1 keyword or function", text, token.offset)


def _check_term(token: Token, prefixes: dict[str, str], base: str | None, text: str) -> None:
    """Prefixes declared (SPARQL requires it; engines that predeclare some would read more than we checked) and no
    IRI in a scheme that calls procedures or in the namespace the store's own records live under."""
    if token.kind == "pname":
        prefix = token.value.partition(":")[0]
        if prefix == "_":  # a blank node label
            return
        if prefix not in prefixes:
            raise QueryTextError(f"the prefix {prefix + ':'!r} is not declared", text, token.offset)
        iri = prefixes[prefix] + unescape_local(token.value.partition(":")[2])
    else:
        iri = resolve_iri(token.value, base) or token.value
    if iri.lower().startswith((*PROCEDURE_SCHEMES, RESERVED_NAMESPACE)):
        raise QueryTextError(f"the IRI <{iri}> is reserved and not accepted in a query", text, token.offset)


def _endpoint(token: Token | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return resolve_iri(token.value, base)
    if token.kind == "pname":
        prefix, _, local = token.value.partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + unescape_local(local)
    return None  # a variable, or something that cannot name an endpoint


def unescape_local(local: str) -> str:
    """`\\#` in a prefixed name's local part stands for `#` (PN_LOCAL_ESC)."""
    out, index = [], 0
    while index < len(local):
        if local[index] == "\\" and index + 1 < len(local):
            index += 1
        out.append(local[index])
        index += 1
    return "".join(out)


def resolve_iri(iri: str, base: str | None) -> str | None:
    """An absolute IRI as it is; a relative one against the base (none without a base)."""
    if ":" in iri.split("/", 1)[0]:
        return iri
    return urljoin(base, iri) if base else None
