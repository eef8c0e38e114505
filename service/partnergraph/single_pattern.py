"""Queries that are exactly one triple pattern, read from their tokens: what the store may answer by one index scan.

The cheap queries clients send most (a resource's triples, what points at it, `ASK` whether it exists) are a single
pattern. Such a query needs no query engine: its answer is the quads an index range yields, one per step, so its
work is bounded by the rows it may return. This reader accepts only that shape, in a strict subset of the grammar:

    Prologue (SELECT (Var+ | '*') WHERE? | ASK WHERE? | CONSTRUCT WHERE) '{' Term Verb Term '.'? '}' (LIMIT Integer)?

with absolute IRIs (no relative ones to resolve), declared prefixes, distinct variables and no literals or blank
nodes. Anything else (a second pattern, FILTER, DISTINCT, ORDER BY, OFFSET, FROM, a path) is not a single pattern
and goes to the query workers as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from .query_shape import unescape_local
from .sparql_lexer import REMEMBERED_CHARS, QueryTextError, Token, remembered, scan

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Slot:
    """A pattern position: a variable's name, or an IRI."""

    variable: str | None = None
    iri: str | None = None


@dataclass(frozen=True)
class SinglePattern:
    form: str  # SELECT | ASK | CONSTRUCT
    variables: tuple[str, ...]  # SELECT's projection, in order ('*': the pattern's variables by name, as Oxigraph)
    subject: Slot
    predicate: Slot
    object: Slot
    limit: int | None


class _NotSingle(Exception):
    """The tokens leave the subset (not an error: the query workers answer it)."""


@remembered(maxsize=2048)
def read_single_pattern(text: str) -> SinglePattern | None:
    """The query as one triple pattern, or None when it is anything more (or not readable at all)."""
    if len(text) > REMEMBERED_CHARS:  # no lookup is that long; scanning it again would double the lexer's work
        return None
    try:
        return _Reader(text, scan(text).tokens).query()
    except (_NotSingle, QueryTextError):
        return None


def _absolute(iri: str) -> str:
    scheme, colon, _ = iri.partition(":")
    if not colon or not scheme[:1].isalpha() or "/" in scheme:
        raise _NotSingle  # relative: resolving it is the engine's business
    return iri


class _Reader:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text, self.tokens, self.at = text, tokens, 0
        self.prefixes: dict[str, str] = {}

    def query(self) -> SinglePattern:
        self._prologue()
        form = self._take("keyword").value
        projection: tuple[str, ...] | None = ()
        if form == "SELECT":
            projection = self._projection()
            self._optional_keyword("WHERE")
        elif form == "ASK":
            self._optional_keyword("WHERE")
        elif form == "CONSTRUCT":
            self._keyword("WHERE")
        else:
            raise _NotSingle
        self._punct("open", "{")
        subject, predicate, obj = self._term(), self._verb(), self._term()
        if self._peek("punct", "."):
            self.at += 1
        self._punct("close", "}")
        limit = None
        if form != "ASK" and self._optional_keyword("LIMIT"):
            number = self._take("number").value
            if not number.isdigit():
                raise _NotSingle
            limit = int(number)
        if self.at != len(self.tokens):
            raise _NotSingle
        in_pattern = [slot.variable for slot in (subject, predicate, obj) if slot.variable is not None]
        if len(set(in_pattern)) != len(in_pattern):
            raise _NotSingle  # a repeated variable is a join within the pattern
        variables = tuple(sorted(in_pattern)) if projection is None else projection  # '*' as Oxigraph orders it
        return SinglePattern(form, variables if form == "SELECT" else (), subject, predicate, obj, limit)

    def _prologue(self) -> None:
        while self._peek("keyword", "BASE") or self._peek("keyword", "PREFIX"):
            if self._take("keyword").value == "BASE":
                _absolute(self._take("iri").value)
            else:
                prefix = self._take("pname").value
                if not prefix.endswith(":") or prefix.count(":") != 1:
                    raise _NotSingle
                self.prefixes[prefix[:-1]] = _absolute(self._take("iri").value)

    def _projection(self) -> tuple[str, ...] | None:
        if self._peek("punct", "*"):
            self.at += 1
            return None
        names: list[str] = []
        while self._peek("var"):
            names.append(self._take("var").value)
        if not names or len(set(names)) != len(names):
            raise _NotSingle
        return tuple(names)

    def _term(self) -> Slot:
        token = self._take()
        if token.kind == "var":
            return Slot(variable=token.value)
        if token.kind == "iri":
            return Slot(iri=_absolute(token.value))
        if token.kind == "pname":
            prefix, _, local = token.value.partition(":")
            if prefix not in self.prefixes:  # undeclared, or `_:` (a blank node)
                raise _NotSingle
            return Slot(iri=self.prefixes[prefix] + unescape_local(local))
        raise _NotSingle

    def _verb(self) -> Slot:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        if token is not None and token.kind == "keyword" and token.value == "A":
            if self.text[token.offset] != "a":  # only lower-case `a` abbreviates rdf:type
                raise _NotSingle
            self.at += 1
            return Slot(iri=RDF_TYPE)
        return self._term()

    def _peek(self, kind: str, value: str | None = None) -> bool:
        if self.at >= len(self.tokens):
            return False
        token = self.tokens[self.at]
        return token.kind == kind and (value is None or token.value == value)

    def _take(self, kind: str | None = None) -> Token:
        if self.at >= len(self.tokens) or (kind is not None and self.tokens[self.at].kind != kind):
            raise _NotSingle
        self.at += 1
        return self.tokens[self.at - 1]

    def _keyword(self, word: str) -> None:
        if not self._optional_keyword(word):
            raise _NotSingle

    def _optional_keyword(self, word: str) -> bool:
        if self._peek("keyword", word):
            self.at += 1
            return True
        return False

    def _punct(self, kind: str, value: str) -> None:
        if not self._peek(kind, value):
            raise _NotSingle
        self.at += 1
