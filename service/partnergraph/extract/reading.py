"""A page as plain text: HTML reduced to its visible text with block breaks kept, the language guessed, a title.

The text is what gets stored in data/documents/ and quoted verbatim, so it is produced once, deterministically,
and never re-flowed: quotes are located in exactly this text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError

BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article", "header"}
HIDDEN = {"script", "style", "noscript", "template", "svg", "nav", "footer", "form"}
# the commonest words of each language, enough to tell a news page in one from the other
STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "with", "for", "that", "by", "on", "are", "which"},
    "nl": {"de", "het", "een", "en", "van", "in", "is", "met", "voor", "dat", "door", "op", "zijn", "die"},
}


@dataclass(frozen=True)
class Page:
    text: str
    title: str
    title_stated: bool
    language: str


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title: list[str] = []
        self.heading: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
        if tag in ("title", "h1"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in BLOCKS:
            self.parts.append("\n\n")
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
            return
        if self.hidden:
            return
        if self._in == "h1":
            self.heading.append(data)
        self.parts.append(data)


def read_page(path: Path) -> Page:
    """Read a .txt, .md or .html file; an unreadable or empty one is an error that names the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 (byte {error.start})") from None
    if path.suffix.lower() in (".html", ".htm") or source.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        parser = _Visible()
        parser.feed(source)
        text = _tidy("".join(parser.parts))
        heading = " ".join("".join(parser.heading).split()) or " ".join("".join(parser.title).split())
    else:
        text, heading = _tidy(source), ""
    if not text.strip():
        raise InputError(f"{path} has no text to extract from")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # a plain text's title is its first heading-like line: a few words, no sentence punctuation at the end
    stated = heading or next((s for s in lines if 3 <= len(s.split()) <= 15 and s[-1] not in ".!?:;,"), "")
    title = stated or " ".join(lines[0].split()[:12])
    return Page(text, html.unescape(title)[:200], bool(stated), guess_language(text))


def _tidy(text: str) -> str:
    """Collapse runs of spaces within lines and of blank lines between blocks; keep every word as written."""
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def guess_language(text: str) -> str:
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    scores = {lang: sum(1 for word in words if word in common) for lang, common in STOPWORDS.items()}
    return max(sorted(scores), key=lambda lang: scores[lang])
