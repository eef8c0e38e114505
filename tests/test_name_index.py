"""The name search's ranking and folding, and what a failed index build answers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from partnergraph.store.base import QueryTimeout
from partnergraph.web.errors import ServiceError
from partnergraph.web.name_index import Entry, NameIndex, NameIndexes


def index() -> NameIndex:
    return NameIndex(
        [
            Entry("x:paris", {"fr": "Université Paris Cité"}, [("Université Paris Cité", "label")]),
            Entry("x:upc", {"en": "UPC"}, [("UPC", "label")]),
            Entry("x:alliance", {"en": "Alliance of UPC and Leiden"}, [("Alliance of UPC and Leiden", "label")]),
            Entry("x:cupcake", {"en": "Cupcake Institute"}, [("Cupcake Institute", "label"), ("CI", "acronym")]),
        ]
    )


def test_accents_and_case_are_folded() -> None:
    hits, total = index().search("universite paris", 10).hits, index().search("universite paris", 10).total
    assert total == 1 and hits[0].iri == "x:paris" and hits[0].rank == "prefix"


def test_exact_then_prefix_then_word_then_contains() -> None:
    found = index().search("upc", 10)
    hits, total = found.hits, found.total
    assert [(hit.iri, hit.rank) for hit in hits] == [
        ("x:upc", "exact"),
        ("x:alliance", "word"),
        ("x:cupcake", "contains"),
    ]
    assert total == 3 and index().search("upc", 1).total == 3  # the total counts past the limit


def test_an_index_that_cannot_be_built_is_503_not_a_traceback() -> None:
    def fails(_edition: object) -> NameIndex:
        raise QueryTimeout("the listing ran out of time")

    with pytest.raises(ServiceError) as raised:
        NameIndexes(fails).get(SimpleNamespace(name="r1"))  # type: ignore[arg-type]
    assert raised.value.status == 503
