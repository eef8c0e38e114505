"""Reading SPARQL text without parsing it: the keywords a query uses, outside strings, IRIs, comments and names.

Cheap enough for every request, and shared by the web layer (SERVICE policy) and the store (the query's own dataset).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# SPARQL tokens that can contain a keyword's letters without being the keyword: strings, IRIs, comments, variables,
# prefixed names.
_TOKENS = re.compile(
    r"""(?P<skip>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"
        |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*|[?$][\w]+|[\w-]*:[\w.-]*)
       |(?P<word>[A-Za-z_]+)""",
    re.VERBOSE,
)


def keywords(query: str) -> Iterator[str]:
    """The bare words of the query, upper-cased (keywords, and function names such as STR)."""
    for match in _TOKENS.finditer(query):
        if word := match.group("word"):
            yield word.upper()


def uses(query: str, keyword: str) -> bool:
    """True when the query uses `keyword` as a keyword (never inside a string, IRI, comment or name)."""
    return any(word == keyword for word in keywords(query))
