"""A SPARQL 1.1 lexer that follows the grammar's terminals (section 19.8), for safety decisions before execution.

The engine's own parser is not reachable from Python, and rdflib's costs 3-20 ms a query, so the request path reads
the query with this scanner instead: comments end at CR or LF, strings and IRIs end where the grammar says, `\\u`
escapes in IRIs are decoded as Oxigraph decodes them, a `\\#` inside a prefixed name is not a comment, and `<` is read
as an IRI or as the less-than operator by where it stands (an operator only after an operand inside an expression).
Whatever it cannot read is an error with its position, so nothing hides from it; the query workers' network sandbox
is the second, independent guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

WHITESPACE = " \t\r\n"
IRI_FORBIDDEN = set('<>"{}|^`\\')
LOCAL_ESCAPES = set("_~.-!$&'()*+,;=/?#@%")
OPERAND_END = {"var", "iri", "pname", "string", "number", "close"}
EXPRESSION_WORDS = {"FILTER", "BIND", "HAVING", "BY", "AS", "IN"}  # a '(' after these opens an expression
GLUED_KEYWORDS = {"SERVICE", "SILENT", "FROM", "NAMED", "PREFIX", "BASE"}  # may stand right before a prefixed name
Reader = TypeVar("Reader", bound=Callable[..., Any])
CHAINING = {"UNION", "MINUS", "&&", "||", "+", "-", "*", "/", "|", "=", "!=", "<", ">", "<=", ">=", "^", "!"}


class QueryTextError(ValueError):
    """The text cannot be a SPARQL query: says what and where (line and column, 1-based)."""

    def __init__(self, message: str, text: str, offset: int) -> None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        super().__init__(f"{message} at line {line}, column {column}")
        self.line, self.column = line, column


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # keyword | var | iri | pname | string | number | lang | open | close | punct
    value: str  # keywords upper-cased; IRIs decoded; punctuation as written
    offset: int


@dataclass
class Scan:
    """What the safety checks need: the tokens, the deepest bracket nesting and the count of chaining operators."""

    tokens: list[Token] = field(default_factory=list)
    depth: int = 0
    chain: int = 0


# queries up to this long are remembered by what reads them; a cache of longer ones could hold a megabyte (a POSTed
# query) per entry
REMEMBERED_CHARS = 8192


def remembered(maxsize: int) -> Callable[[Reader], Reader]:
    """An LRU cache on a function of a query text, for texts up to REMEMBERED_CHARS; longer texts are read anew."""

    def wrap(function: Reader) -> Reader:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def read(text: str, *args: Any) -> Any:
            return cached(text, *args) if len(text) <= REMEMBERED_CHARS else function(text, *args)

        return cast(Reader, read)

    return wrap


@remembered(maxsize=256)
def scan(text: str) -> Scan:
    """The query's tokens; remembered, since the safety checks and the pattern lane both read each query (the result
    is shared: never change it)."""
    return _Lexer(text).run()


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text, self.at, self.out = text, 0, Scan()
        self.brackets: list[str] = []  # for each open bracket: "expression", "group" ('(' or '[') or "brace"
        self.clause = ""  # SELECT (projection) or BY/HAVING (solution modifiers): their parentheses are expressions

    def run(self) -> Scan:
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char in WHITESPACE:
                self.at += 1
            elif char == "#":
                self._comment()
            elif char in "'\"":
                self._string(char)
            elif char == "<" and not self._less_than_here() and self._iri():
                pass
            elif char in "?$" and self._name_at(self.at + 1):
                self._word("var", self.at + 1, self.at)
            elif char in "({[":
                self._open(char)
            elif char in ")}]":
                self._close(char)
            elif char.isdigit() or (char == "." and self._peek(1).isdigit()):
                self._number()
            elif char == "@" and self._peek(1).isalpha():
                self._word("lang", self.at + 1, self.at)
            elif char.isalpha() or char == "_" or char == ":":
                self._name()
            else:
                self._punct()
        return self.out

    def _peek(self, ahead: int) -> str:
        index = self.at + ahead
        return self.text[index] if index < len(self.text) else ""

    def _emit(self, kind: str, value: str, offset: int) -> None:
        self.out.tokens.append(Token(kind, value, offset))
        if value in CHAINING and kind in ("keyword", "punct"):
            self.out.chain += 1

    def _last(self) -> Token | None:
        return self.out.tokens[-1] if self.out.tokens else None

    def _comment(self) -> None:
        end = len(self.text)
        for stop in "\r\n":
            found = self.text.find(stop, self.at)
            if found != -1:
                end = min(end, found)
        self.at = end

    def _string(self, quote: str) -> None:
        text, start = self.text, self.at
        long = text.startswith(quote * 3, start)
        index = start + (3 if long else 1)
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if long and text.startswith(quote * 3, index):
                self.at = index + 3
                return self._emit("string", text[start + 3 : index], start)
            if not long and char == quote:
                self.at = index + 1
                return self._emit("string", text[start + 1 : index], start)
            if not long and char in "\r\n":
                raise QueryTextError("line break inside a short string", text, index)
            index += 1
        raise QueryTextError("unterminated string", text, start)

    def _less_than_here(self) -> bool:
        """A '<' right after an operand inside an expression is the operator, never the start of an IRI."""
        last = self._last()
        return (self._innermost() == "expression" or self._clause_opens_expressions()) and (
            last is not None and last.kind in OPERAND_END
        )

    def _innermost(self) -> str:
        return self.brackets[-1] if self.brackets else "brace"

    def _clause_opens_expressions(self) -> bool:
        """In a projection (SELECT) or a solution modifier (GROUP BY, ORDER BY, HAVING), '(' opens an expression."""
        return self._innermost() == "brace" and self.clause in ("SELECT", "BY")

    def _iri(self) -> bool:
        """Read an IRIREF if one starts here (decoding \\u and \\U escapes); False when '<' is an operator."""
        text, start = self.text, self.at
        index, value = start + 1, list[str]()
        while index < len(text):
            char = text[index]
            if char == ">":
                self.at = index + 1
                self._emit("iri", "".join(value), start)
                return True
            if char == "\\" and text[index + 1 : index + 2] in ("u", "U"):
                width = 4 if text[index + 1] == "u" else 8
                digits = text[index + 2 : index + 2 + width]
                if len(digits) != width or any(d not in "0123456789abcdefABCDEF" for d in digits):
                    raise QueryTextError("bad \\u escape in an IRI", text, index)
                value.append(chr(int(digits, 16)))
                index += 2 + width
                continue
            if char in IRI_FORBIDDEN or ord(char) <= 0x20:
                return False
            value.append(char)
            index += 1
        return False

    def _name_at(self, index: int) -> bool:
        return index < len(self.text) and (self.text[index].isalnum() or self.text[index] == "_")

    def _word(self, kind: str, begin: int, start: int) -> None:
        """A variable name (VARNAME: no '-', so `?a-?b` is a subtraction) or a language tag (LANGTAG: '-' joins)."""
        extra = "_\u00b7" if kind == "var" else "-"
        index = begin
        while index < len(self.text) and (self.text[index].isalnum() or self.text[index] in extra):
            index += 1
        self.at = index
        self._emit(kind, self.text[begin:index], start)

    def _number(self) -> None:
        text, index = self.text, self.at
        while index < len(text) and (text[index].isalnum() or (text[index] == "." and self._digit_at(index + 1))):
            if text[index] in "eE" and text[index + 1 : index + 2] in ("+", "-"):
                index += 1
            index += 1
        self._emit("number", text[self.at : index], self.at)
        self.at = index

    def _digit_at(self, index: int) -> bool:
        return index < len(self.text) and self.text[index].isdigit()

    def _name(self) -> None:
        """A keyword, function name or 'a'; or a prefixed name, whose local part may hold escapes such as '\\#'."""
        text, start = self.text, self.at
        index = start
        while index < len(text) and (text[index].isalnum() or text[index] in "_-.\u00b7"):
            index += 1
        while index > start and text[index - 1] == ".":
            index -= 1
        if index < len(text) and text[index] == ":":
            if text[start:index].upper() in GLUED_KEYWORDS:  # `SERVICE:x` is SERVICE then `:x`, as Oxigraph reads it
                self.at = index
                return self._emit("keyword", text[start:index].upper(), start)
            index = self._local(index + 1)
            self.at = index
            return self._emit("pname", text[start:index], start)
        self.at = index
        word = text[start:index].upper()
        self._emit("keyword", word, start)
        if word in ("SELECT", "BY", "HAVING"):
            self.clause = "SELECT" if word == "SELECT" else "BY"
        elif word in ("WHERE", "LIMIT", "OFFSET", "VALUES", "FROM"):
            self.clause = ""

    def _local(self, index: int) -> int:
        text, end = self.text, index
        while index < len(text):
            char = text[index]
            if char == "\\" and text[index + 1 : index + 2] in LOCAL_ESCAPES:
                index += 2
                end = index
            elif char == "%" and len(text) > index + 2:
                index += 3
                end = index
            elif char.isalnum() or char in "_-:\u00b7":
                index += 1
                end = index
            elif char == ".":
                index += 1  # a dot belongs to the name only when more of the name follows it
            else:
                break
        return end

    def _open(self, char: str) -> None:
        last = self._last()
        expression = char == "(" and (
            self._innermost() == "expression"
            or self._clause_opens_expressions()
            or (last is not None and last.kind == "keyword" and last.value not in ("A", "VALUES"))
            or (last is not None and last.kind in ("iri", "pname") and self._follows_filter())
        )
        if char == "{":
            self.clause = ""
        self.brackets.append("expression" if expression else "brace" if char == "{" else "group")
        self.out.depth = max(self.out.depth, len(self.brackets))
        self._emit("open", char, self.at)
        self.at += 1

    def _follows_filter(self) -> bool:
        """A function call by IRI right after FILTER, BY or HAVING: `FILTER <fn>(...)`."""
        tokens = self.out.tokens
        return len(tokens) >= 2 and tokens[-2].kind == "keyword" and tokens[-2].value in EXPRESSION_WORDS

    def _close(self, char: str) -> None:
        if self.brackets:
            self.brackets.pop()
        self._emit("close", char, self.at)
        self.at += 1

    def _punct(self) -> None:
        text, start = self.text, self.at
        for operator in ("&&", "||", "!=", "<=", ">=", "^^", "<<", ">>"):
            if text.startswith(operator, start):
                self.at += 2
                return self._emit("punct", operator, start)
        self.at += 1
        self._emit("punct", text[start], start)
