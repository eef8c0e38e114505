"""Find a curator's quote in a document and return the exact span the document holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 32


@dataclass(frozen=True)
class Quote:
    """A verified span of a document: Web Annotation's TextQuote and TextPosition selectors in one."""

    document: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _pattern(quote: str) -> re.Pattern[str]:
    """Match the quote word for word; any run of whitespace (no-break spaces too) matches any other."""
    body = r"\s+".join(re.escape(token) for token in quote.split())
    lead = r"(?<!\w)" if quote[:1].isalnum() else ""
    tail = r"(?!\w)" if quote[-1:].isalnum() else ""
    return re.compile(lead + body + tail)


def find_quote(document_id: str, text: str, quote: str, occurrence: int = 1) -> Quote:
    """Locate the n-th occurrence of `quote`; raise LookupError saying why it is not there."""
    if not quote.strip():
        raise LookupError("the quote is empty")
    matches = list(_pattern(quote.strip()).finditer(text))
    if not matches:
        hint = ""
        if any(char in quote for char in "'\"") or " - " in quote:
            hint = " (the page may use typographic quotes ‘’ “” or dashes – where the quote has ' \" -)"
        raise LookupError(f"quote not found in document {document_id}: {_shorten(quote)!r}{hint}")
    if occurrence > len(matches):
        raise LookupError(f"quote occurs {len(matches)} time(s) in document {document_id}, not {occurrence}")
    match = matches[occurrence - 1]
    start, end = match.span()
    return Quote(
        document_id, start, end, text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    )


def _shorten(quote: str, width: int = 80) -> str:
    return quote if len(quote) <= width else quote[: width - 1] + "…"
