"""The safety lexer reads SPARQL as the grammar (and Oxigraph) does: where tokens end decides what hides."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from partnergraph.query_shape import read_query
from partnergraph.single_pattern import read_single_pattern
from partnergraph.sparql_lexer import QueryTextError, scan


def kinds(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.value) for token in scan(text).tokens]


def test_a_comment_ends_at_a_carriage_return_as_well_as_a_line_feed() -> None:
    assert ("keyword", "SERVICE") in kinds("ASK { #note\rSERVICE <http://h/> {} }")


def test_less_than_after_an_operand_in_an_expression_is_an_operator() -> None:
    tokens = kinds("ASK { FILTER(?a<?b) }")
    assert ("punct", "<") in tokens and ("var", "b") in tokens
    assert ("iri", "http://x/") in kinds("ASK { ?s <http://x/> ?o }")  # in a pattern it is an IRI


def test_a_hyphen_ends_a_variable_but_joins_a_language_tag() -> None:
    assert kinds("ASK { FILTER(?a-?b) }")[4:7] == [("var", "a"), ("punct", "-"), ("var", "b")]
    assert ("lang", "en-GB") in kinds('ASK { ?s ?p "x"@en-GB }')


def test_an_escaped_hash_in_a_prefixed_name_is_not_a_comment() -> None:
    shape = read_query("PREFIX e: <http://x/> ASK { ?s e:a\\#b ?o . SERVICE <http://h/> {} }")
    assert shape.services == ("http://h/",)


def test_unicode_escapes_in_iris_are_decoded_and_relative_iris_resolved() -> None:
    shape = read_query("BASE <http://h:1/a/> ASK { SERVICE <\\u0062> {} }", "http://me/sparql")
    assert shape.services == ("http://h:1/a/b",)


@pytest.mark.parametrize("text", ["ASK { 'open", "ASK { 'a\nb' }", "ASK { <http://x/\\u00zz> }"])
def test_what_cannot_be_read_is_an_error_with_its_position(text: str) -> None:
    with pytest.raises(QueryTextError, match=r"at line \d+, column \d+"):
        scan(text)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("DEFINE get:soft 'replace' SELECT * FROM <http://h/> WHERE { ?s ?p ?o }", "'DEFINE' is not a SPARQL 1.1"),
        ("SELECT * WHERE { ?s bif:contains 'x' }", "prefix 'bif:' is not declared"),
        ("PREFIX b: <bif:> SELECT (b:file_to_string('/etc/passwd') AS ?x) {}", "<bif:> is reserved"),
        ("PREFIX s: <SQL:> ASK { ?s s:x ?o }", "<SQL:> is reserved"),
        ("ASK { GRAPH <urn:partnergraph:releases> { ?s ?p ?o } }", "reserved"),
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "INSERT is SPARQL Update"),
        ("SELECT * WHERE { ?s ?p ?o } ; CLEAR ALL", "CLEAR is SPARQL Update"),
    ],
)
def test_only_sparql_1_1_queries_are_read_and_the_refusal_says_where(text: str, refused: str) -> None:
    with pytest.raises(QueryTextError, match="at line 1, column") as caught:
        read_query(text)
    assert refused in str(caught.value)


def test_every_query_the_project_ships_is_read() -> None:
    from .conftest import PROJECT

    for path in sorted((PROJECT / "docs" / "queries").glob("*.rq")):
        read_query(path.read_text(encoding="utf-8"), "http://h/sparql")


def test_long_queries_are_read_but_not_remembered() -> None:
    """The readers remember short texts (pages and examples repeat them); a cache keyed by 200 KB POSTed queries
    would let a client fill the serving process's memory."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(20):
            text = f"SELECT * WHERE {{ ?s ?p ?o }} # {i} " + "x" * 200_000
            assert read_query(text).names_dataset is False and read_single_pattern(text) is None
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000, kept
