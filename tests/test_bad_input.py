"""Malformed input anywhere gives one clear message naming file and line; nothing is built."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnergraph.config import Settings
from partnergraph.errors import InputError
from partnergraph.pipeline.run import build_graph

from .conftest import edit, line_of

STATEMENTS_001 = "data/statements/001_460bee6f77a927b3.yaml"


def build_error(root: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        build_graph(Settings(root=root))
    return caught.value


def test_changed_document_is_refused_by_its_checksum(project_copy: Path) -> None:
    document = project_copy / "data/documents/002_f4466a2555f140ee.txt"
    document.write_text(document.read_text(encoding="utf-8").replace("170", "171"), encoding="utf-8")
    error = build_error(project_copy)
    assert error.path == project_copy / "data/documents.yaml"
    assert error.line == line_of(project_copy / "data/documents.yaml", "id: 002_f4466a2555f140ee")
    assert "SHA-256" in str(error) and "002_f4466a2555f140ee.txt" in str(error)


def test_quote_not_in_its_document(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "concluded a Cooperation Agreement 2017-2021", "signed a Cooperation Agreement 2017-2021")
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "signed a Cooperation Agreement"))
    assert "quote not found in document 001_460bee6f77a927b3" in str(error)


def test_statement_naming_an_unknown_organisation(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "parties: [leiden-university, thuas]", "parties: [leiden-university, thuas-typo]")
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "- quote: Leiden University entered into a covenant"))
    assert "'thuas-typo' is not in the registry" in str(error)


def test_organisation_the_document_does_not_name(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "parties: [leiden-university, thuas]", "parties: [leiden-university, naturalis]")
    assert "'naturalis' is not named in this document" in str(build_error(project_copy))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('concluded: "2019"', 'concluded: "2019-02-30"', "concluded: '2019-02-30' is not a date"),
        ('concluded: "2019"', 'concluded: "10-09-2019"', "write YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD"),
        ('concluded: "2019"', 'concluded: "2018"', "the quote does not mention 2018"),
    ],
)
def test_wrong_dates(project_copy: Path, old: str, new: str, message: str) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, old, new)
    error = build_error(project_copy)
    assert error.path == path and error.line == line_of(path, "- quote: Leiden University entered into a covenant")
    assert message in str(error)


def test_figure_the_quote_does_not_state(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "figure: {value: 103, kind: biomedical-company", "figure: {value: 130, kind: biomedical-company")
    assert "does not state the number 130" in str(build_error(project_copy))


def test_misspelt_key_in_a_claim(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "    parties: [leiden-university, thuas]", "    partys: [leiden-university, thuas]")
    error = build_error(project_copy)
    assert "unknown key 'partys' in claim" in str(error) and error.path == path


def test_unknown_theme_points_at_the_statement(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "themes: [cyber-security]", "themes: [cybersecurity]")
    error = build_error(project_copy)
    assert "'cybersecurity' is not a concept of the theme scheme" in str(error)
    assert (error.path, error.line) == (path, line_of(path, "- quote: The Cyber Security Academy The Hague (CSA)"))


def test_deprecated_claim_without_reason(project_copy: Path) -> None:
    path = project_copy / "data/statements/000_3d6a43ddcf743a48.yaml"
    edit(path, "    reason: Contradicted by document 001", "    note: Contradicted by document 001")
    assert "unknown key 'note'" in str(build_error(project_copy))


def test_invalid_yaml(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, "  lde: [Leiden-Delft-Erasmus Universities]", "  lde: [Leiden-Delft-Erasmus Universities")
    error = build_error(project_copy)
    assert error.path == path and error.line is not None and "invalid YAML" in str(error)


def test_bad_turtle_in_the_ontology(project_copy: Path) -> None:
    path = project_copy / "ontology/partnergraph.ttl"
    edit(path, "pg:party a owl:ObjectProperty ;", "pg:party a owl:ObjectProperty ;;; <")
    error = build_error(project_copy)
    assert error.path == path and "not valid Turtle" in str(error) and error.line is not None


def test_registry_type_must_be_known(project_copy: Path) -> None:
    path = project_copy / "data/registry.yaml"
    edit(path, "tno: {label: TNO, type: research-institute}", "tno: {label: TNO, type: institute}")
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "tno: {label: TNO"))
    assert "type 'institute' is not one of" in str(error)


# What a claim says is explicit, its quote states: every organisation it relates is named in the quote.
READ_FROM_CONTEXT = (
    (
        "  - quote: LeidenGlobal connects cultural and academic institutions, including the University itself,"
        " with local communities, media, government and NGOs.\n"
    )
    + """    method: from-context  # "the University itself" is the publisher, named in the page's banner
    context: Universiteit Leiden
"""
)


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (  # the context taken away: "the University" alone does not name Leiden University
            READ_FROM_CONTEXT.split("    method")[0],
            "the quote does not name leiden-university (written here as 'Universiteit Leiden', 'Leiden University')",
        ),
        (
            READ_FROM_CONTEXT.replace("context: Universiteit Leiden", "context: LeidenGlobal brings together experts"),
            "context: no passage given names leiden-university either",
        ),
        (
            READ_FROM_CONTEXT.replace("    context: Universiteit Leiden\n", ""),
            "'context' (the passage that supplies a name) goes with 'method: from-context'",
        ),
        (
            READ_FROM_CONTEXT + "    rank: preferred\n",
            "a preferred claim read from context needs a reason for its rank",
        ),
    ],
    ids=["explicit-but-unnamed", "context-names-nobody", "no-context", "preferred-without-reason"],
)
def test_a_claim_is_explicit_only_when_its_quote_names_what_it_relates(
    project_copy: Path, replacement: str, message: str
) -> None:
    path = project_copy / STATEMENTS_001
    edit(path, READ_FROM_CONTEXT, replacement)
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "- quote: LeidenGlobal connects"))
    assert message in str(error)


def test_a_claim_whose_quote_names_everything_is_not_from_context(project_copy: Path) -> None:
    path = project_copy / STATEMENTS_001
    edit(
        path,
        "parties: [leiden-university, thuas]",
        "parties: [leiden-university, thuas]\n    method: from-context\n    context: Universiteit Leiden",
    )
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "- quote: Leiden University entered into a covenant"))
    assert "the quote names every organisation this claim relates: it is explicit, not from context" in str(error)


def test_a_mention_refers_but_does_not_name(project_copy: Path) -> None:
    """'the municipality' is how document 003 refers to The Hague's: a claim resting on it is read from context."""
    path = project_copy / "data/statements/003_83f272a62e16b429.yaml"
    quote = "  - quote: Here seven universities, the municipality and student organisations are working together"
    context = '    context: "One of the projects from this programme is Student & City."\n'
    edit(path, "    method: from-context\n" + context, "")
    edit(path, quote, quote.replace("Here", "One of the projects from this programme is Student & City. Here"))
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "Student & City. Here seven universities"))
    assert "does not name municipality-the-hague (which this document only refers to, as 'the municipality')" in str(
        error
    )


def test_a_modality_must_be_known(project_copy: Path) -> None:
    path = project_copy / "data/statements/003_83f272a62e16b429.yaml"
    edit(path, '    modality: planned  # "will be signed"', '    modality: hoped  # "will be signed"')
    error = build_error(project_copy)
    assert (error.path, error.line) == (path, line_of(path, "- quote: A new partnership agreement will be signed"))
    assert "modality 'hoped' is not one of stated, planned" in str(error)
