from __future__ import annotations

import pytest

from partnergraph.pipeline.dates import parse_date, parse_duration
from partnergraph.pipeline.figures import Figure, parse_figure
from partnergraph.pipeline.quotes import find_quote

TEXT = "Intro.\nLeiden\xa0University and  TU Delft work ‘together’.\nLeiden University again."


def test_quote_matches_across_no_break_spaces_and_keeps_the_documents_exact_text() -> None:
    quote = find_quote("d", TEXT, "Leiden University and TU Delft")
    assert quote.exact == "Leiden\xa0University and  TU Delft"
    assert TEXT[quote.start : quote.end] == quote.exact
    assert quote.prefix.endswith("Intro.\n") and quote.suffix.startswith(" work")


def test_occurrence_selects_the_nth_match() -> None:
    first, second = find_quote("d", TEXT, "Leiden University"), find_quote("d", TEXT, "Leiden University", 2)
    assert second.start > first.start and second.exact == "Leiden University"
    with pytest.raises(LookupError, match="occurs 2 time"):
        find_quote("d", TEXT, "Leiden University", 3)


def test_quote_must_match_whole_words() -> None:
    with pytest.raises(LookupError, match="not found"):
        find_quote("d", TEXT, "TU Delf")


def test_missing_quote_with_straight_quotes_hints_at_typography() -> None:
    with pytest.raises(LookupError, match="typographic"):
        find_quote("d", TEXT, "work 'together'")


@pytest.mark.parametrize(
    ("text", "datatype"),
    [
        ("2019", "gYear"),
        ("2017-07", "gYearMonth"),
        ("2014-09-10", "date"),
        ("--11-11", "gMonthDay"),
        ("--02-29", "gMonthDay"),
    ],
)
def test_dates_keep_the_precision_written(text: str, datatype: str) -> None:
    date = parse_date(text)
    assert (date.lexical, date.datatype) == (text, datatype)


@pytest.mark.parametrize("text", ["10-09-2014", "2017-13", "2019-02-30", "early July 2017", "--13-01", "17"])
def test_impossible_or_unparsed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a date|month|day"):
        parse_date(text)


def test_spoken_forms_let_the_build_check_a_quote_supports_a_date() -> None:
    assert parse_date("--11-11").spoken_forms()[0] == "11 November"
    assert parse_date("2017-07").spoken_forms() == ["2017"]


def test_durations() -> None:
    assert parse_duration("P5Y") == "P5Y"
    with pytest.raises(ValueError):
        parse_duration("five years")


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("The three partners work together", 3),
        ("a ten-year action programme.", 10),
        ("een samenwerking van zes gemeenten", 6),
        ("employment for over 5,000 people.", 5000),
        ("werk voor ruim 5.000 mensen", 5000),
        ("a group of 22 prestigious European universities", 22),
    ],
)
def test_a_figure_is_found_as_digits_or_an_english_or_dutch_word(quote: str, value: int) -> None:
    assert parse_figure({"value": value, "kind": "organisation"}, quote) == Figure(
        value, "organisation", "normal-value"
    )


def test_a_figure_its_quote_does_not_state_says_what_was_looked_for() -> None:
    with pytest.raises(ValueError, match=r"does not state the number 3 .*drie.*three"):
        parse_figure({"value": 3, "kind": "university"}, "the two university medical centres")
    with pytest.raises(ValueError, match="qualifier one of normal-value, more-than"):
        parse_figure({"value": 3, "kind": "university", "qualifier": "about"}, "three")
