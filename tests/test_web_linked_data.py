"""Dumps, VoID and dereferenceable IRIs over real HTTP against a running server."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from partnergraph.pipeline.release import Release

from .server import Server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_dump_with_strong_etag_length_type_and_name(server: Server, published: Release) -> None:
    reply = server.get("/download/dataset.nq")
    data = (published.directory / "dataset.nq").read_bytes()
    assert reply.status == 200 and reply.body == data
    assert reply.headers["content-type"].startswith("application/n-quads")
    assert reply.headers["etag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert int(reply.headers["content-length"]) == len(data)
    assert "filename=dataset.nq" in reply.headers["content-disposition"] and "last-modified" in reply.headers


def test_conditional_requests_and_head(server: Server) -> None:
    first = server.get("/download/data.ttl")
    again = server.get("/download/data.ttl", If_None_Match=first.headers["etag"])
    assert again.status == 304 and again.body == b""
    since = server.get("/download/data.ttl", If_Modified_Since=first.headers["last-modified"])
    assert since.status == 304
    head = server.request("HEAD", "/download/data.ttl")
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == first.headers["content-length"]


def test_gzipped_dump(server: Server, published: Release) -> None:
    reply = server.get("/download/dataset.ttl.gz")
    assert reply.headers["content-type"] == "application/gzip"
    assert gzip.decompress(reply.body) == (published.directory / "dataset.ttl").read_bytes()


def test_unknown_or_unsafe_dump_names_are_404(server: Server) -> None:
    for path in ("/download/nothing.ttl", "/download/..%2Fvoid.ttl", "/download/.staging"):
        assert server.get(path).status == 404


def test_download_listing(server: Server) -> None:
    listing = server.get("/download/", Accept="application/json")
    names = {entry["name"] for entry in __import__("json").loads(listing.body)["files"]}
    assert {"dataset.nq", "dataset.nq.gz", "void.ttl", "data.jsonld"} <= names
    for name in names:  # every file listed can be downloaded (the release's build-key is not listed)
        assert server.request("HEAD", f"/download/{name}").status == 200, name
    assert "dataset.nq" in server.get("/download/", Accept=BROWSER).text


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_void_describes_every_distribution(server: Server, accept: str, fmt: str) -> None:
    reply = server.get("/.well-known/void", Accept=accept)
    graph = Graph().parse(data=reply.body, format=fmt)
    distributions = set(graph.objects(URIRef("https://w3id.org/partnergraph/dataset"), DCAT.distribution))
    assert len(distributions) >= 44 and reply.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        (BROWSER, "/page/org/lumc"),
        ("text/turtle", "/data/org/lumc.ttl"),
        ("application/ld+json", "/data/org/lumc.jsonld"),
        ("application/n-triples", "/data/org/lumc.nt"),
        ("application/rdf+xml", "/data/org/lumc.rdf"),
    ],
)
def test_resource_iri_answers_303_to_its_document(server: Server, accept: str, location: str) -> None:
    reply = server.get("/id/org/lumc", Accept=accept)
    assert reply.status == 303 and reply.headers["location"].endswith(location) and "Accept" in reply.headers["vary"]


def test_unknown_resource_is_404_in_the_error_shape(server: Server) -> None:
    reply = server.get("/id/org/no-such-organisation", Accept="application/json")
    assert reply.status == 404 and reply.headers["content-type"].startswith("application/problem+json")
    assert server.get("/id/org/bad%3E%20injection").status == 404


def test_data_document_holds_the_resource_and_its_evidence(server: Server) -> None:
    reply = server.get("/data/org/bronovo.ttl")
    graph = Graph().parse(data=reply.body, format="turtle")
    bronovo = URIRef("https://w3id.org/partnergraph/id/org/bronovo")
    assert (
        bronovo,
        URIRef("http://schema.org/location"),
        URIRef("https://w3id.org/partnergraph/id/place/the-hague"),
    ) in graph
    quotes = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))}
    assert "the Bronovo Hospital in Rotterdam" in quotes
    assert 'rel="alternate"; type="application/ld+json"' in reply.headers["link"]


def test_page_shows_names_relations_and_quoted_evidence(server: Server) -> None:
    page = server.get("/page/org/bronovo", Accept=BROWSER)
    text = " ".join(page.text.split())  # the quotes keep the page's own no-break spaces
    assert page.status == 200 and "<h1>Bronovo Hospital</h1>" in text
    assert "HMC-Bronovo" in text and 'href="/page/org/lumc-campus-the-hague"' in text
    assert "STZ hospitals [in Dutch] in The Hague, HMC-Bronovo" in text  # the quote behind the location
    assert (
        '<blockquote class="evidence rank-deprecated">“the Bronovo Hospital in Rotterdam”' in text
    )  # kept, not published
    assert '<link rel="alternate" type="text/turtle" href="/data/org/bronovo.ttl">' in text
    assert "/data/org/bronovo.jsonld" in page.headers["link"]


def test_a_claim_read_from_context_says_so_with_the_passage_that_names_it(server: Server) -> None:
    text = " ".join(html.unescape(server.get("/page/org/leidenglobal", Accept=BROWSER).text).split())
    quote = "“LeidenGlobal connects cultural and academic institutions, including the University itself,"
    explained = '<span class="muted">read from context, where the page says:</span> “Universiteit Leiden”'
    assert quote in text and explained in text[text.index(quote) :]
    explicit = " ".join(html.unescape(server.get("/page/org/bronovo", Accept=BROWSER).text).split())
    assert "read from context" not in explicit.split("“the Bronovo Hospital in Rotterdam”")[1][:300]


def test_org_inverses_are_data_but_a_page_shows_each_relation_once(server: Server) -> None:
    data = server.get("/data/org/lde.nt").text
    assert "<https://w3id.org/partnergraph/id/org/lde> <http://www.w3.org/ns/org#hasMember> " in data
    page = server.get("/page/org/lde", Accept=BROWSER).text
    assert page.count('href="/page/org/leiden-university"') == 1 and "has member" not in page


def test_what_a_page_says_is_planned_is_kept_but_not_published(server: Server) -> None:
    page = " ".join(html.unescape(server.get("/page/org/mbo-rijnland", Accept=BROWSER).text).split())
    kept = page.split('<table id="unpublished">')[1].split("</table>")[0]
    assert "“They will be joined by mboRijnland on 11 November.”" in kept and "planned:" in kept
    assert '<a href="/page/org/leiden-city-of-knowledge">Leiden City of Knowledge</a>' in kept  # by name, not IRI
    members = server.get("/data/org/leiden-city-of-knowledge.nt").text
    assert "<https://w3id.org/partnergraph/id/org/mbo-rijnland> <http://www.w3.org/ns/org#memberOf>" not in members


def test_an_event_page_and_its_host_name_each_other(server: Server) -> None:
    day = " ".join(html.unescape(server.get("/page/event/cdkm-day", Accept=BROWSER).text).split())
    assert '<th>held at</th><td><div class="value"><a href="/page/org/naturalis">' in day
    assert '11 November <span class="muted">(no year stated: --11-11)</span>' in day  # not the bare --11-11
    naturalis = " ".join(server.get("/page/org/naturalis", Accept=BROWSER).text.split())
    incoming = naturalis.split('<table id="incoming">')[1].split("</table>")[0]
    # the event's only name is Dutch: shown by that name, not by its IRI
    assert '<a href="/page/event/cdkm-day">City Deal Kennis Maken Day</a></td><th>held at</th>' in incoming


def test_a_page_says_which_statements_are_curated_rather_than_quoted(server: Server) -> None:
    stz = " ".join(server.get("/page/org/stz", Accept=BROWSER).text.split())
    name = stz.split("<tr><th>name</th>")[1].split("</tr>")[0]
    assert "curated in the project's registry, not quoted from a page" in name  # no page writes "STZ" alone
    lumc = " ".join(server.get("/page/org/lumc", Accept=BROWSER).text.split())
    assert "curated" not in lumc.split("<tr><th>name</th>")[1].split("</tr>")[0]  # quoted: "Leiden University ..."
    assert "curated" in lumc.split("<tr><th>classification</th>")[1].split("</tr>")[0]


def test_pages_for_agreements_and_documents(server: Server) -> None:
    agreement = server.get("/page/agreement/lcok-cooperation-agreement-2017-2021", Accept=BROWSER)
    assert agreement.status == 200 and "2017-07" in agreement.text and "early July 2017" in agreement.text
    document = server.get("/page/document/001_460bee6f77a927b3", Accept=BROWSER)
    assert document.status == 200


def test_ontology_iri_dereferences_to_documentation_and_rdf(server: Server) -> None:
    page = server.get("/ontology", Accept=BROWSER)
    assert page.status == 200 and '<tr id="Agreement">' in page.text and "overeenkomst@nl" in page.text
    assert '<tr id="acronym">' in page.text  # hash terms are anchors of the page
    turtle = server.get("/ontology", Accept="text/turtle")
    graph = Graph().parse(data=turtle.body, format="turtle")
    agreement = URIRef("https://w3id.org/partnergraph/ontology#Agreement")
    assert (agreement, URIRef("http://www.w3.org/2004/02/skos/core#definition"), None) in graph
    assert (
        server.get("/ontology/0.1.0", Accept="application/ld+json")
        .headers["content-type"]
        .startswith("application/ld+json")
    )


def test_concepts_dereference(server: Server) -> None:
    reply = server.get("/concept/theme/health", Accept=BROWSER)
    assert reply.status == 303 and reply.headers["location"].endswith("/page/concept/theme/health")
    page = server.get("/page/concept/theme/health", Accept=BROWSER)
    assert "<h1>health</h1>" in page.text and 'href="/page/org/medical-delta"' in page.text  # what has the theme
    assert server.get("/concept/theme/no-such-theme").status == 404


def test_validation_report_as_page_and_rdf(server: Server, published: Release) -> None:
    page = " ".join(server.get("/validation", Accept=BROWSER).text.split())
    counts = ", ".join(
        f"{published.report.count(level)} {level.lower()}(s)" for level in ("Violation", "Warning", "Info")
    )
    assert counts in page and "Sources disagree" in page
    graph = Graph().parse(data=server.get("/validation", Accept="text/turtle").body, format="turtle")
    assert (None, URIRef("http://www.w3.org/ns/shacl#conforms"), None) in graph


def test_pages_show_links_with_their_provenance(server: Server) -> None:
    page = " ".join(server.get("/page/org/bronovo", Accept=BROWSER).text.split())
    assert 'href="https://ror.org/03r781319"' in page
    assert "link by label, score 1.00, record inactive; from ror-nl.jsonl.gz" in page


def test_every_iri_the_void_description_names_dereferences(server: Server) -> None:
    """The dataset, its named graphs, distributions and their checksums, link sets, the shapes: each answers RDF
    (or its dump) once its redirects are followed, as a linked-data client would."""
    void = Graph().parse(data=server.get("/.well-known/void", Accept="application/n-triples").text, format="nt")
    base = "https://w3id.org/partnergraph/"
    named = {str(term) for triple in void for term in triple if isinstance(term, URIRef) and str(term).startswith(base)}
    assert len(named) > 100 and f"{base}dataset" in named and f"{base}graph/links" in named
    failed = {}
    for iri in sorted(named):
        url = server.root + "/" + iri.removeprefix(base)
        request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:  # follows 303 as clients do
                if reply.status != 200 or not reply.read():
                    failed[iri] = reply.status
        except urllib.error.HTTPError as error:
            failed[iri] = error.code
    assert failed == {}


def test_a_distribution_is_described_by_its_own_document(server: Server) -> None:
    reply = server.get("/id/distribution/data.ttl", Accept="text/turtle")
    assert reply.status == 303 and reply.headers["location"].endswith("/data/distribution/data.ttl.ttl")
    document = Graph().parse(data=server.get("/data/distribution/data.ttl.ttl").text, format="turtle")
    subject = URIRef("https://w3id.org/partnergraph/id/distribution/data.ttl")
    assert (subject, DCAT.byteSize, None) in document and (subject, DCAT.downloadURL, None) in document
    assert server.get("/graph/nope", Accept="text/turtle").status == 404


def test_a_page_reads_in_groups_with_labels_a_summary_and_document_titles(server: Server) -> None:
    page = server.get("/page/org/lumc", Accept=BROWSER).text
    assert [h for h in ("<h2>Identity</h2>", "<h2>Relations</h2>", "<h2>Sources</h2>") if h not in page] == []
    assert "<th>member of</th>" in page and "<th>memberOf</th>" not in page  # labels, not local names
    summary = page.split('id="summary">')[1].split("</p>")[0]
    assert "Hospital" in summary and "Organization" not in summary and 'href="https://ror.org/05xvt9f17"' in summary
    assert ">Strategic partnerships</a>" in page  # a document by its title, not its hash
    assert page.count("<th>kind</th>") == 1  # the four types in one row


def test_a_page_follows_the_readers_language_and_says_ranks_in_words(server: Server) -> None:
    dutch = server.get("/page/org/leiden-university", Accept=BROWSER, Accept_Language="nl-NL,nl;q=0.9,en;q=0.5")
    assert dutch.status == 200 and dutch.headers["content-language"] == "nl"
    assert "<h1>Universiteit Leiden</h1>" in dutch.text and "<th>lid van</th>" in dutch.text
    assert "Accept-Language" in dutch.headers["vary"]
    english = server.get("/page/org/leiden-university", Accept=BROWSER, Accept_Language="en")
    assert "<h1>Leiden University</h1>" in english.text and english.headers["etag"] != dutch.headers["etag"]
    bronovo = server.get("/page/org/bronovo", Accept=BROWSER).text
    assert "deprecated: not published" in bronovo


def test_long_lists_on_a_page_are_folded_never_cut(server: Server) -> None:
    iri = "https://w3id.org/partnergraph/id/org/leiden-university"
    query = (
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p <" + iri + "> FILTER (?p NOT IN (rdf:subject, rdf:object, "
        "prov:wasDerivedFrom, oa:hasSource, org:hasMember, org:hasSubOrganization, org:hasMembership)) }"
    )
    reply = server.get("/sparql?" + urlencode({"query": query}), Accept="application/sparql-results+json")
    referring = int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])
    page = server.get("/page/org/leiden-university", Accept=BROWSER).text
    shown = page.split('<table id="incoming">')[1].split("</table>")[0].count("<tr>")
    folded = re.search(r'<details class="more"><summary>(\d+) more</summary><table>', page)
    assert referring > 25 and shown == 25 and folded is not None and shown + int(folded.group(1)) == referring
