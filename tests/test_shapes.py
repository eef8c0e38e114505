"""Each shape rejects the data it should (compared on focus node, path, component and severity) and accepts the rest.

The fixture is a tiny project built by the real pipeline (tests/fixtures/mini); each case breaks one thing with a
SPARQL Update and names the exact set of results it must produce.
"""

from __future__ import annotations

import re
import shutil

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node

from partnergraph.config import Settings
from partnergraph.pipeline.release import validation_graph
from partnergraph.pipeline.run import BuiltGraph, build_graph
from partnergraph.pipeline.validate import validate
from partnergraph.vocab import PG, RDF, SH

from .conftest import PROJECT

ID = "https://w3id.org/partnergraph/id/"
PREFIXES = f"""
PREFIX : <{ID}>
PREFIX pg: <https://w3id.org/partnergraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX theme: <https://w3id.org/partnergraph/concept/theme/>
"""
ALPHA, BETA, GAMMA = "org/alpha-university", "org/beta-medical-centre", "org/gamma-alliance"
COVENANT, PARTNERSHIP, DOCUMENT = (
    "agreement/alpha--beta-covenant",
    "partnership/alpha--beta",
    "document/900_0123456789abcdef",
)
MEMBERSHIP = "membership/gamma-alliance/alpha-university/alliance-partner"
FIGURE = "figure"  # the one QuantityClaim
V, W, INFO = "Violation", "Warning", "Info"


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> BuiltGraph:
    root = tmp_path_factory.mktemp("mini")
    shutil.copytree(PROJECT / "tests/fixtures/mini/data", root / "data")
    shutil.copytree(PROJECT / "ontology", root / "ontology")
    shutil.copytree(PROJECT / "shapes", root / "shapes")
    return build_graph(Settings(root=root))


def claim(graph: Graph, subject: str, predicate: str) -> URIRef:
    query = PREFIXES + absolute(f"SELECT ?c WHERE {{ ?c rdf:subject :{subject} ; rdf:predicate {predicate} }} LIMIT 1")
    rows = list(graph.query(query))
    assert rows, f"no claim {subject} {predicate}"
    return rows[0][0]  # type: ignore[index, return-value]


def resolve(graph: Graph, focus: str) -> Node:
    if focus == FIGURE:
        return next(graph.subjects(RDF.type, PG.QuantityClaim))
    if focus.startswith("claim "):
        _, subject, predicate = focus.split()
        return claim(graph, subject, predicate)
    if focus.startswith("evidence "):
        return URIRef(f"{ID}evidence/900_0123456789abcdef/{focus.split()[1]}")
    return URIRef(ID + focus)


NAMESPACES = {
    "pg": str(PG),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": str(RDF),
}


def expand(path: str | None) -> URIRef | None:
    if path is None:
        return None
    prefix, local = path.split(":")
    return URIRef(NAMESPACES[prefix] + local)


def absolute(update: str) -> str:
    """Write :org/x style names as full IRIs (SPARQL prefixed names cannot contain '/')."""
    return re.sub(
        r"(?<![\w<]):((?:org|agreement|partnership|document|membership|claim|organisation|link)/[\w./-]+)",
        lambda m: f"<{ID}{m.group(1)}>",
        update,
    )


CASES = [
    # (name, SPARQL Update, expected {(focus, path, component, severity)})
    (
        "two English preferred labels",
        f'INSERT DATA {{ :{ALPHA} skos:prefLabel "Alpha Univ"@en }}',
        {(ALPHA, "skos:prefLabel", "UniqueLang", V)},
    ),
    (
        "ROR id with a letter ROR excludes",
        f'INSERT DATA {{ :{ALPHA} pg:rorId "05xvt9fl7" }}',
        {(ALPHA, "pg:rorId", "Pattern", V)},
    ),
    (
        "link without its method, score and source",
        f"INSERT DATA {{ :{ALPHA} schema:sameAs <https://ror.org/027bh9e22> . :link/x a pg:Link ; "
        f"rdf:subject :{ALPHA} ; rdf:predicate schema:sameAs ; rdf:object <https://ror.org/027bh9e22> }}",
        {
            ("link/x", "pg:linkMethod", "MinCount", V),
            ("link/x", "pg:score", "MinCount", V),
            ("link/x", "dct:source", "MinCount", V),
            ("link/x", "prov:generatedAtTime", "MinCount", V),
        },
    ),
    (
        "ROR id whose check digits fail",
        f'INSERT DATA {{ :{ALPHA} pg:rorId "027bh9e23" }}',
        {(ALPHA, None, "SPARQL", V)},
    ),
    (
        "ROR link whose check digits fail",
        f"INSERT DATA {{ :{ALPHA} schema:sameAs <https://ror.org/05xvt9f71> }}",
        {(ALPHA, None, "SPARQL", V)},
    ),
    (
        "a link's source is a ROR IRI whose check digits fail",
        "INSERT DATA { :link/x dct:source <https://ror.org/05xvt9f71> }",
        {("link/x", None, "SPARQL", V)},
    ),
    (
        "org:hasSubOrganization without the org:subOrganizationOf it mirrors",
        f"INSERT DATA {{ :{GAMMA} org:hasSubOrganization :{BETA} }}",
        {(GAMMA, None, "SPARQL", V)},
    ),
    (
        "schema:startDate on an organisation, schema:location on a partnership, schema:endDate on an agreement",
        f'INSERT DATA {{ :{ALPHA} schema:startDate "2001"^^xsd:gYear . :{PARTNERSHIP} schema:location :{ALPHA} . '
        f':{COVENANT} schema:endDate "2030"^^xsd:gYear }}',
        {(ALPHA, None, "SPARQL", V), (PARTNERSHIP, None, "SPARQL", V), (COVENANT, None, "SPARQL", V)},
    ),
    (
        "two ROR ids on one organisation",
        f'INSERT DATA {{ :{ALPHA} pg:rorId "027bh9e22", "05xvt9f17" }}',
        {(ALPHA, "pg:rorId", "MaxCount", V)},
    ),
    (
        "Wikidata wiki page instead of entity IRI",
        f"INSERT DATA {{ :{ALPHA} schema:sameAs <https://www.wikidata.org/wiki/Q156598> }}",
        {(ALPHA, "schema:sameAs", "Pattern", V), (ALPHA, None, "SPARQL", V)},  # also: no pg:Link behind it
    ),
    (
        "Wikidata id with a leading zero",
        f'INSERT DATA {{ :{ALPHA} pg:wikidataId "Q0156598" }}',
        {(ALPHA, "pg:wikidataId", "Pattern", V)},
    ),
    ("owl:sameAs", f"INSERT DATA {{ :{ALPHA} owl:sameAs :{BETA} }}", {(ALPHA, "owl:sameAs", "MaxCount", V)}),
    (
        "acronym as org:identifier",
        f'INSERT DATA {{ :{BETA} org:identifier "BMC" }}',
        {(BETA, "org:identifier", "MaxCount", V)},
    ),
    (
        "acronym with a space",
        f'DELETE DATA {{ :{BETA} pg:acronym "BMC" }} ; INSERT DATA {{ :{BETA} pg:acronym "B MC" }}',
        {(BETA, "pg:acronym", "Pattern", V), (BETA, None, "SPARQL", V)},
    ),
    (
        "organisation nobody names",
        "INSERT DATA { :org/ghost a org:Organization, org:FormalOrganization ; "
        'skos:prefLabel "Ghost"@en ; org:classification <https://w3id.org/partnergraph/concept/orgtype/company> }',
        {("org/ghost", None, "SPARQL", V), ("org/ghost", "dct:isReferencedBy", "MinCount", V)},
    ),
    (
        "organisation IRI outside id/org/",
        "INSERT DATA { :organisation/Alpha a org:Organization ; "
        f'skos:prefLabel "Alpha"@en ; org:classification <https://w3id.org/partnergraph/concept/orgtype/university> ; '
        f"dct:isReferencedBy :{DOCUMENT} }}",
        {("organisation/Alpha", None, "Pattern", V), ("organisation/Alpha", None, "SPARQL", V)},
    ),
    (
        "collaboration that is also a formal organisation",
        f"INSERT DATA {{ :{GAMMA} a org:FormalOrganization }}",
        {(GAMMA, None, "Not", V)},
    ),
    (
        "membership pointing the wrong way",
        f"INSERT DATA {{ :{GAMMA} org:memberOf :{ALPHA} }}",
        {(ALPHA, None, "Or", V), (ALPHA, None, "SPARQL", V), (GAMMA, None, "SPARQL", V)},
    ),
    (
        "membership without a role",
        f"DELETE WHERE {{ :{MEMBERSHIP} org:role ?r }}",
        {(MEMBERSHIP, "org:role", "MinCount", V)},
    ),
    (
        "membership role outside the role scheme",
        f"DELETE WHERE {{ :{MEMBERSHIP} org:role ?r }} ; INSERT DATA {{ :{MEMBERSHIP} org:role theme:health }}",
        {(MEMBERSHIP, "org:role", "Class", V), (MEMBERSHIP, "org:role", "Node", V)},
    ),
    (
        "member equals organisation",
        f"DELETE WHERE {{ :{MEMBERSHIP} org:member ?m }} ; INSERT DATA {{ :{MEMBERSHIP} org:member :{GAMMA} }}",
        # and the old member keeps org:hasMembership without its inverse
        {(MEMBERSHIP, "org:member", "Disjoint", V), (MEMBERSHIP, None, "SPARQL", V), (ALPHA, None, "SPARQL", V)},
    ),
    (
        "single-party agreement",
        f"DELETE DATA {{ :{COVENANT} pg:party :{BETA} }}",
        {(COVENANT, "pg:party", "MinCount", V)},
    ),
    (
        "bilateral agreement with three parties",
        f"INSERT DATA {{ :{COVENANT} pg:party :{GAMMA} }}",
        {(COVENANT, "pg:party", "MaxCount", V), (COVENANT, None, "SPARQL", V)},
    ),
    (
        "a date written as text",
        f'DELETE WHERE {{ :{COVENANT} pg:concludedOn ?d }} ; INSERT DATA {{ :{COVENANT} pg:concludedOn "early July 2017" }}',
        {(COVENANT, "pg:concludedOn", "Node", V), (COVENANT, None, "SPARQL", V)},
    ),
    (
        "period that starts after it ends",
        f'DELETE WHERE {{ :{COVENANT} pg:endDate ?e }} ; INSERT DATA {{ :{COVENANT} pg:endDate "2017-07"^^xsd:gYearMonth }}',
        {(COVENANT, None, "SPARQL", V), (COVENANT, None, "SPARQL", V)},
    ),
    (
        "partnership with one partner",
        f"DELETE DATA {{ :{PARTNERSHIP} pg:partner :{BETA} }}",
        {(PARTNERSHIP, "pg:partner", "MinCount", V)},
    ),
    (
        "published triple no claim supports",
        f"INSERT DATA {{ :{ALPHA} schema:founder :{BETA} }}",
        {(ALPHA, None, "SPARQL", V)},
    ),
    (
        "claim without evidence",
        "DELETE { ?c pg:evidence ?e } WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym ; pg:evidence ?e }",
        {("claim org/beta-medical-centre pg:acronym", "pg:evidence", "MinCount", V)},
    ),
    (
        "explicit claim with a context passage",
        "INSERT { ?c pg:contextEvidence ?e } WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym ; pg:evidence ?e }",
        {("claim org/beta-medical-centre pg:acronym", None, "Xone", V)},
    ),
    (
        "claim read from context without the passage",
        "DELETE { ?c pg:extractionMethod ?m } INSERT { ?c pg:extractionMethod <https://w3id.org/partnergraph/concept/method/from-context> } "
        "WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym ; pg:extractionMethod ?m }",
        {("claim org/beta-medical-centre pg:acronym", None, "Xone", V)},
    ),
    (
        "preferred claim read from context without a reason",
        "DELETE { ?c pg:extractionMethod ?m ; pg:rank ?r } INSERT { ?c pg:extractionMethod <https://w3id.org/partnergraph/concept/method/from-context> ; "
        "pg:contextEvidence ?e ; pg:rank pg:PreferredRank } "
        "WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym ; pg:extractionMethod ?m ; pg:rank ?r ; pg:evidence ?e }",
        {("claim org/beta-medical-centre pg:acronym", None, "Xone", V)},
    ),
    (
        "a claim marked planned whose statement is published as fact",
        "INSERT { ?c pg:modality <https://w3id.org/partnergraph/concept/modality/planned> } "
        "WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym }",
        {("claim org/beta-medical-centre pg:acronym", None, "SPARQL", V)},
    ),
    (
        "claim without source",
        "DELETE { ?c prov:wasDerivedFrom ?d } WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym ; prov:wasDerivedFrom ?d }",
        {("claim org/beta-medical-centre pg:acronym", "prov:wasDerivedFrom", "MinCount", V)},
    ),
    (
        "claim that is not a figure but has a value",
        "INSERT { ?c schema:value 3 } WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym }",
        {("claim org/beta-medical-centre pg:acronym", None, "Or", V)},
    ),
    (
        "claim predicate outside the profile",
        "DELETE { ?c rdf:predicate pg:acronym } INSERT { ?c rdf:predicate owl:sameAs } WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym }",
        {("claim org/beta-medical-centre owl:sameAs", "rdf:predicate", "In", V), (BETA, None, "SPARQL", V)},
    ),
    (
        "deprecated claim without a reason",
        "DELETE { ?c pg:rank ?r } INSERT { ?c pg:rank pg:DeprecatedRank } WHERE { ?c rdf:subject :org/beta-medical-centre ; rdf:predicate pg:acronym ; pg:rank ?r }",
        {("claim org/beta-medical-centre pg:acronym", None, "Or", V), (BETA, None, "SPARQL", V)},
    ),
    (
        "figure given as a string",
        'DELETE { ?c schema:value ?v } INSERT { ?c schema:value "12" } WHERE { ?c a pg:QuantityClaim ; schema:value ?v }',
        {
            (FIGURE, "schema:value", "Datatype", V),
            (FIGURE, "schema:value", "MinInclusive", V),
            (FIGURE, "rdf:object", "Equals", V),
        },
    ),
    (
        "negative figure",
        "DELETE { ?c schema:value ?v } INSERT { ?c schema:value -3 } WHERE { ?c a pg:QuantityClaim ; schema:value ?v }",
        {(FIGURE, "schema:value", "MinInclusive", V), (FIGURE, "rdf:object", "Equals", V)},
    ),
    (
        "figure whose reified object is not its value",
        "DELETE { ?c rdf:object ?v } INSERT { ?c rdf:object 13 } WHERE { ?c a pg:QuantityClaim ; rdf:object ?v }",
        {(FIGURE, "rdf:object", "Equals", V)},
    ),
    (
        "figure without a reified object",
        "DELETE { ?c rdf:object ?v } WHERE { ?c a pg:QuantityClaim ; rdf:object ?v }",
        {(FIGURE, None, "Xone", V), (FIGURE, "rdf:object", "MinCount", V), (FIGURE, "rdf:object", "Equals", V)},
    ),
    (
        "figure that does not say what it counts",
        "DELETE { ?c pg:countedKind ?k } WHERE { ?c a pg:QuantityClaim ; pg:countedKind ?k }",
        {(FIGURE, "pg:countedKind", "MinCount", V)},
    ),
    (
        "quote that is not the document's text",
        'DELETE { ?s oa:exact ?e } INSERT { ?s oa:exact "Gamma Alliance has 99 members" } WHERE { ?s oa:exact ?e FILTER(CONTAINS(?e, "more than 12")) }',
        {(DOCUMENT, None, "SPARQL", V)},
    ),
    (
        "selector whose start is not before its end",
        "DELETE { ?s oa:start ?x } INSERT { ?s oa:start 500 } WHERE { ?s oa:start ?x ; oa:end ?y FILTER(?x = 0) }",
        {
            (DOCUMENT, None, "SPARQL", V),
            ("evidence 0-16", "oa:hasSelector", "QualifiedMinCount", V),
            ("evidence 0-71", "oa:hasSelector", "QualifiedMinCount", V),
        },
    ),
    (
        "document checksum that is not a SHA-256",
        f'DELETE WHERE {{ :{DOCUMENT} pg:sha256 ?h }} ; INSERT DATA {{ :{DOCUMENT} pg:sha256 "abc" }}',
        {(DOCUMENT, "pg:sha256", "Pattern", V)},
    ),
    (
        "page date kept as day-month-year text",
        f'DELETE WHERE {{ :{DOCUMENT} dct:modified ?d }} ; INSERT DATA {{ :{DOCUMENT} dct:modified "31-01-2020" }}',
        {(DOCUMENT, "dct:modified", "Datatype", V)},
    ),
    (
        "two figures that disagree, unranked (warning)",
        "INSERT { :claim/x a pg:Claim, pg:QuantityClaim ; rdf:subject ?s ; rdf:predicate pg:numberOf ; "
        "rdf:object 14 ; schema:value 14 ; pg:countedKind ?k ; prov:wasDerivedFrom ?d ; pg:evidence ?e ; prov:wasGeneratedBy ?a ; pg:rank pg:NormalRank ; "
        "pg:extractionMethod ?m } WHERE { ?c a pg:QuantityClaim ; rdf:subject ?s ; pg:countedKind ?k ; prov:wasDerivedFrom ?d ; pg:evidence ?e ; "
        "prov:wasGeneratedBy ?a ; pg:extractionMethod ?m }",
        {(FIGURE, None, "SPARQL", W), ("claim/x", None, "SPARQL", W)},
    ),
    (
        "figure from an undated page (info)",
        f"DELETE WHERE {{ :{DOCUMENT} dct:modified ?d }}",
        {(FIGURE, None, "SPARQL", INFO)},
    ),
    (
        "agreement with no date (warning)",
        f"DELETE WHERE {{ :{COVENANT} pg:concludedOn ?d }}",
        {(COVENANT, "pg:concludedOn", "MinCount", W)},
    ),
    (
        "collaboration with one known member (warning)",
        f"DELETE DATA {{ :{BETA} org:memberOf :{GAMMA} }}",
        {
            (GAMMA, None, "SPARQL", W),
            ("membership/gamma-alliance/beta-medical-centre/alliance-partner", None, "SPARQL", V),
            (GAMMA, None, "SPARQL", V),  # org:hasMember left without its org:memberOf
        },
    ),
]


def results(graph: Graph, shapes: Graph) -> set[tuple[Node | None, Node | None, str, str]]:
    report = validate(graph, shapes)
    return {
        (r.focus, r.path, str(r.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"), r.severity)
        for r in report.results
    }


def test_the_mini_project_is_accepted_without_any_result(mini: BuiltGraph) -> None:
    assert results(validation_graph(mini.parts), mini.parts["shapes"]) == set()


@pytest.mark.parametrize(("update", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_shape_rejects(mini: BuiltGraph, update: str, expected: set[tuple[str | None, str | None, str, str]]) -> None:
    graph = validation_graph(mini.parts)
    for operation in re.split(r"(?<=\})\s*;\s*(?=INSERT|DELETE)", update):  # rdflib scopes PREFIX to one operation
        graph.update(PREFIXES + absolute(operation))
    found = results(graph, mini.parts["shapes"])
    assert found == {(resolve(graph, f), expand(p), c, s) for f, p, c, s in expected}


def test_every_shape_is_exercised_by_a_case() -> None:
    names = " ".join(case[0] for case in CASES)
    assert len(CASES) >= 30 and "warning" in names and "info" in names


def test_the_shapes_pass_shacl_shacl() -> None:
    shapes = Graph()
    for path in sorted((PROJECT / "shapes").glob("*.ttl")):
        shapes.parse(path)
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=None, meta_shacl=True, advanced=True)
    assert conforms, text
    empty = Graph()
    conforms, _, text = pyshacl.validate(empty, shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_every_constraint_of_a_targeted_shape_has_a_message_for_the_curator() -> None:
    shapes = Graph()
    for path in sorted((PROJECT / "shapes").glob("*.ttl")):
        shapes.parse(path)
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    targeted = {s for t in targets for s in shapes.subjects(t, None)}
    missing = []
    for shape in targeted:
        node_level = any((shape, p, None) in shapes for p in (SH["or"], SH.xone, SH["not"], SH.pattern, SH.path))
        if node_level and (shape, SH.message, None) not in shapes:
            missing.append(shape)
        for constraint in [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]:
            if (constraint, SH.message, None) not in shapes:
                missing.append(constraint)
    assert len(targeted) >= 15 and missing == []
