"""Page numbers from the request, checked the same way wherever a long answer is shown a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request

from .errors import ServiceError


def page_number() -> int:
    text = request.args.get("page", "1")
    if not (text.isascii() and text.isdigit()) or int(text) < 1:  # "²" is a digit to isdigit, not to int
        raise ServiceError(400, "Bad page", f"page={text!r}: pages are numbered from 1.")
    return int(text)


@dataclass(frozen=True)
class Paging:
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The 0-based index of the page's first item."""
        return (self.page - 1) * self.size

    @property
    def last(self) -> int:
        return min(self.first + self.size, self.total)

    def check(self) -> Paging:
        if self.page > self.pages:
            raise ServiceError(400, "Bad page", f"page={self.page}: there are {self.pages} pages.")
        return self

    @staticmethod
    def link(page: int) -> str:
        """This request's URL showing another page."""
        pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
        pairs += [("page", str(page))] if page > 1 else []
        return request.path + ("?" + urlencode(pairs) if pairs else "")
