"""Linking to ROR: reading dumps, matching by names with evidence, curated decisions, and the published link set."""

from __future__ import annotations

import datetime
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef

from partnergraph.config import Settings
from partnergraph.errors import InputError
from partnergraph.linking.match import OurOrganisation, RorIndex, decide, normalise
from partnergraph.linking.reconcile import reconcile
from partnergraph.linking.ror import read_dump
from partnergraph.pipeline.release import validation_graph
from partnergraph.pipeline.run import build_graph
from partnergraph.pipeline.validate import validate

from .conftest import PROJECT

SLICE = PROJECT / "tests/fixtures/ror/slice.jsonl.gz"
TODAY = datetime.date(2026, 11, 21)


@pytest.fixture(scope="module")
def index() -> RorIndex:
    return RorIndex(list(read_dump(SLICE)))


def test_reads_gzipped_jsonl_plain_jsonl_and_json_arrays_of_both_schemas(tmp_path: Path) -> None:
    records = list(read_dump(SLICE))
    assert {r.schema_version[0] for r in records} == {"1", "2"} and len(records) == 37
    lines = gzip.decompress(SLICE.read_bytes()).decode().splitlines()
    (tmp_path / "plain.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "array.json").write_text(json.dumps([json.loads(line) for line in lines]), encoding="utf-8")
    for path in (tmp_path / "plain.jsonl", tmp_path / "array.json"):
        assert [r.id for r in read_dump(path)] == [r.id for r in records]
    v1 = next(r for r in records if r.schema_version.startswith("1"))
    assert v1.names[0].kinds == ("label", "ror_display") and v1.country_code == "NL"


def test_a_malformed_line_is_reported_with_its_number(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "https://ror.org/027bh9e22", "names": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_dump(bad))
    assert caught.value.line == 2 and "not valid JSON" in str(caught.value)


def test_names_compare_without_case_accents_punctuation_or_article() -> None:
    assert normalise("The Hague University of Applied Sciences") == normalise(
        "the hague university of applied sciences"
    )
    assert normalise("Wageningen University & Research") == "wageningen university and research"
    assert normalise("Café-Leiden") == "cafe leiden"


def org(key: str, type_: str, *names: str, city: str | None = None, acronyms: tuple[str, ...] = ()) -> OurOrganisation:
    return OurOrganisation(
        key, type_, tuple((n, "name") for n in names) + tuple((a, "acronym") for a in acronyms), city
    )


def test_leiden_university_is_not_its_medical_centre(index: RorIndex) -> None:
    outcome = decide(org("lu", "university", "Leiden University", "Universiteit Leiden", city="Leiden"), index)
    assert outcome.decision == "link" and outcome.best is not None and outcome.best.record.bare_id == "027bh9e22"
    assert all(c.record.bare_id != "05xvt9f17" for c in outcome.candidates)


def test_erasmus_mc_and_erasmus_university_stay_apart(index: RorIndex) -> None:
    mc = decide(org("emc", "university-medical-centre", "Erasmus MC"), index)
    eur = decide(org("eur", "university", "Erasmus University Rotterdam", acronyms=("EUR",)), index)
    assert (mc.best.record.bare_id, eur.best.record.bare_id) == ("018906e22", "057w15z03")  # type: ignore[union-attr]


def test_merged_hospital_links_to_its_own_inactive_record(index: RorIndex) -> None:
    outcome = decide(org("bronovo", "hospital", "Bronovo Hospital", "HMC-Bronovo", city="The Hague"), index)
    assert outcome.decision == "link" and outcome.best.record.bare_id == "03r781319"  # type: ignore[union-attr]
    assert "record inactive" in outcome.best.evidence  # type: ignore[union-attr]


def test_an_acronym_alone_goes_to_review(index: RorIndex) -> None:
    outcome = decide(org("tno", "research-institute", "TNO", acronyms=("TNO",)), index)
    assert outcome.decision == "review" and outcome.best.score < 0.85  # type: ignore[union-attr]


def test_a_different_city_or_type_lowers_the_score(index: RorIndex) -> None:
    right = decide(org("naturalis", "museum", "Naturalis Biodiversity Center", city="Leiden"), index)
    wrong = decide(org("naturalis", "company", "Naturalis Biodiversity Center", city="Groningen"), index)
    assert right.best.score > wrong.best.score and wrong.decision == "review"  # type: ignore[union-attr]


def test_no_candidate_when_no_name_matches(index: RorIndex) -> None:
    assert decide(org("plnt", "collaboration", "PLNT"), index).decision == "none"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("data", "ontology", "shapes"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


def test_rerunning_the_link_step_reproduces_the_reviewed_link_set(project: Path) -> None:
    committed = yaml.safe_load((PROJECT / "data/links/ror.yaml").read_text("utf-8"))
    report = reconcile(Settings(root=project), [SLICE], TODAY)
    again = yaml.safe_load((project / "data/links/ror.yaml").read_text("utf-8"))
    strip = lambda entries: sorted((e["organisation"], e["target"], e["method"]) for e in entries)  # noqa: E731
    assert strip(again) == strip(committed)
    ror = {e["organisation"]: e["target"].rsplit("/", 1)[-1] for e in again if "ror.org" in e["target"]}
    assert ror["leiden-university"] == "027bh9e22" and ror["lumc"] == "05xvt9f17" and ror["bronovo"] == "03r781319"
    assert ror["tno"] == "01bnjb948" and "wageningen-university" not in ror and "reinier-haga-group" not in ror
    assert [o.organisation.key for o in report.outcomes if o.decision == "review"] == []


def test_places_get_geonames_links_where_linked_ror_records_agree(project: Path) -> None:
    reconcile(Settings(root=project), [SLICE], TODAY)
    places = {e["place"]: e for e in yaml.safe_load((project / "data/links/geonames.yaml").read_text("utf-8"))}
    assert places["leiden"]["target"] == "https://sws.geonames.org/2751773/"
    assert any("leiden-university" in evidence for evidence in places["leiden"]["evidence"])
    committed = yaml.safe_load((PROJECT / "data/links/geonames.yaml").read_text("utf-8"))
    assert sorted((e["place"], e["target"]) for e in committed) == sorted((k, e["target"]) for k, e in places.items())
    links = build_graph(Settings(root=project)).parts["links"]
    leiden = URIRef("https://w3id.org/partnergraph/id/place/leiden")
    assert (leiden, URIRef("http://schema.org/sameAs"), URIRef("https://sws.geonames.org/2751773/")) in links


def test_curated_decisions_are_respected(project: Path) -> None:
    decisions = project / "data/links/decisions.yaml"
    entries = yaml.safe_load(decisions.read_text("utf-8"))
    entries = [e for e in entries if e["organisation"] != "tno"]
    entries.append({"organisation": "naturalis", "ror": "0566bfb96", "decision": "reject", "reason": "test"})
    decisions.write_text(yaml.safe_dump(entries), encoding="utf-8")
    report = reconcile(Settings(root=project), [SLICE], TODAY)
    linked = {e["organisation"] for e in yaml.safe_load((project / "data/links/ror.yaml").read_text("utf-8"))}
    assert "naturalis" not in linked and "tno" not in linked
    review = yaml.safe_load((project / "data/links/review.yaml").read_text("utf-8"))
    assert [entry["organisation"] for entry in review] == ["tno"]
    assert "review list (1):" in report.lines()


def test_a_failing_dump_leaves_the_link_set_untouched(project: Path, tmp_path: Path) -> None:
    before = (project / "data/links/ror.yaml").read_bytes()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(InputError):
        reconcile(Settings(root=project), [SLICE, broken], TODAY)
    assert (project / "data/links/ror.yaml").read_bytes() == before


def test_links_part_is_published_with_provenance_and_conforms(project: Path) -> None:
    built = build_graph(Settings(root=project))
    links = built.parts["links"]
    lu = URIRef("https://w3id.org/partnergraph/id/org/leiden-university")
    assert (lu, URIRef("http://schema.org/sameAs"), URIRef("https://ror.org/027bh9e22")) in links
    node = URIRef("https://w3id.org/partnergraph/id/link/leiden-university/ror/027bh9e22")
    assert str(links.value(node, URIRef("https://w3id.org/partnergraph/ontology#linkMethod"))).endswith("/label")
    report = validate(validation_graph(built.parts), built.parts["shapes"])
    assert report.conforms, [r.message for r in report.violations]
    graph = validation_graph(built.parts)
    graph.add((lu, URIRef("http://schema.org/sameAs"), URIRef("https://ror.org/05xvt9f17")))
    messages = [r.message for r in validate(graph, built.parts["shapes"]).violations]
    assert any("has no pg:Link saying how it was found" in m for m in messages)


def test_link_command_prints_the_report(project: Path) -> None:
    for name in ("service", "pyproject.toml"):
        (project / name).symlink_to(PROJECT / name)
    result = subprocess.run(
        [sys.executable, "-m", "partnergraph.cli", "link", "--ror", str(SLICE)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PARTNERGRAPH_ROOT": str(project), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert (
        "linked to ROR: 28" in result.stdout and "links by method:" in result.stdout and "no candidate" in result.stdout
    )


def test_a_partial_2022_record_links_without_a_guessed_status(project: Path) -> None:
    """The 2022 listing gives no status: the link must not publish 'active' for it, and says the record is partial."""
    report = reconcile(Settings(root=project), [SLICE], TODAY)
    entries = yaml.safe_load((project / "data/links/ror.yaml").read_text("utf-8"))
    leiden = next(e for e in entries if e["organisation"] == "municipality-leiden")
    assert leiden["target"] == "https://ror.org/04g1f3s05" and "record_status" not in leiden
    assert leiden["source"].endswith("partial record)")
    the_hague = next(e for e in entries if e["organisation"] == "municipality-the-hague")
    assert the_hague["record_status"] == "active"
    links = build_graph(Settings(root=project)).parts["links"]
    node = URIRef("https://w3id.org/partnergraph/id/link/municipality-leiden/ror/04g1f3s05")
    assert (node, URIRef("https://w3id.org/partnergraph/ontology#recordStatus"), None) not in links
    without_item = next(line for line in report.lines() if line.startswith("no Wikidata item from ROR"))
    assert "municipality-leiden" in without_item and "leiden-university," not in without_item


def test_void_describes_the_linksets(published: object) -> None:
    void = Graph().parse(Path(published.directory) / "void.ttl")  # type: ignore[attr-defined]
    linkset = URIRef("https://w3id.org/partnergraph/id/linkset/ror")
    committed = yaml.safe_load((PROJECT / "data/links/ror.yaml").read_text("utf-8"))
    ror_links = sum(1 for entry in committed if entry["target"].startswith("https://ror.org/"))
    assert ror_links == 28 and int(void.value(linkset, URIRef("http://rdfs.org/ns/void#triples"))) == ror_links
    assert "of 80 organisations" in str(void.value(linkset, URIRef("http://purl.org/dc/terms/description")))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("geonames.yaml", "  record: https://ror.org/027bh9e22\n", "", "a link needs place, target"),
        (
            "geonames.yaml",
            "- place: leiden\n",
            "- place: leiden-university\n",
            "'leiden-university', which is not a place",
        ),
        ("ror.yaml", "- organisation: lumc\n", "- organisation: leiden\n", "'leiden', which is not an organisation"),
    ],
)
def test_a_malformed_link_file_is_refused_with_file_and_line(
    project: Path, file: str, old: str, new: str, message: str
) -> None:
    path = project / "data/links" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_graph(Settings(root=project))
    assert caught.value.path == path and caught.value.line is not None and message in str(caught.value)
