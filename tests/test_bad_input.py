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
