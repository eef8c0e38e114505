"""Turn facts into claim nodes with Web Annotation evidence: the provenance every published triple rests on."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import InputError
from ..iris import IriMinter, concept
from ..vocab import DCTERMS, OA, ORG, PG, PROV, RDF, SCHEMA, SKOS, XSD
from .quotes import Quote
from .registry import Registry
from .statements import Fact

PREDICATES: dict[str, URIRef] = {
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "acronym": PG.acronym,
    "isReferencedBy": DCTERMS.isReferencedBy,
    "memberOf": ORG.memberOf,
    "subOrganizationOf": ORG.subOrganizationOf,
    "founder": SCHEMA.founder,
    "sponsor": SCHEMA.sponsor,
    "funder": SCHEMA.funder,
    "partner": PG.partner,
    "party": PG.party,
    "location": SCHEMA.location,
    "areaServed": SCHEMA.areaServed,
    "underpins": PG.underpins,
    "incubatedAt": PG.incubatedAt,
    "housedAt": PG.housedAt,
    "implementedBy": PG.implementedBy,
    "coordinatedBy": PG.coordinatedBy,
    "recognisedBy": PG.recognisedBy,
    "heldAt": PG.heldAt,
    "spatial": DCTERMS.spatial,
    "startDate": PG.startDate,
    "eventStart": SCHEMA.startDate,  # an event's start is schema.org's own (schema:Event is in its domain)
    "endDate": PG.endDate,
    "concludedOn": PG.concludedOn,
    "foundingDate": SCHEMA.foundingDate,
    "dissolutionDate": SCHEMA.dissolutionDate,
    "subject": DCTERMS.subject,
    "aim": PG.aim,
    "numberOf": PG.numberOf,
}
RANKS = {"preferred": PG.PreferredRank, "normal": PG.NormalRank, "deprecated": PG.DeprecatedRank}


class ClaimWriter:
    """Writes claims into a graph, resolving keys through the registry and the concept schemes."""

    def __init__(self, graph: Graph, iris: IriMinter, registry: Registry, concepts: Graph, activity: URIRef) -> None:
        self.graph = graph
        self.iris = iris
        self.registry = registry
        self.concepts = concepts
        self.activity = activity

    def concept(self, scheme: str, key: str, fact: Fact) -> URIRef:
        """Resolve a concept key, failing at the statement's line when the scheme lacks it."""
        iri = concept(scheme, key)
        if (iri, SKOS.inScheme, None) not in self.concepts:
            raise InputError(
                f"{key!r} is not a concept of the {scheme} scheme (ontology/concepts.ttl)",
                fact.source.path,
                fact.source.line,
            )
        return iri

    def subject(self, fact: Fact) -> URIRef:
        return self.iris.entity(self.registry.entities[fact.subject].kind, fact.subject)

    def object(self, fact: Fact) -> Node | None:
        """The RDF object a fact asserts, or None when it states a figure or a relative date."""
        if fact.obj_kind == "entity":
            assert fact.obj is not None
            return self.iris.entity(self.registry.entities[fact.obj].kind, fact.obj)
        if fact.obj_kind == "theme":
            assert fact.obj is not None
            return self.concept("theme", fact.obj, fact)
        if fact.obj_kind == "text":
            return Literal(fact.obj, lang=fact.lang)
        if fact.obj_kind == "date":
            assert fact.date is not None
            return Literal(fact.date.lexical, datatype=XSD[fact.date.datatype])
        if fact.obj_kind == "document":
            assert fact.obj is not None
            return self.iris.document(fact.obj)
        return None

    def claim_iri(self, fact: Fact) -> URIRef:
        quote = fact.quote
        parts = [
            fact.subject,
            fact.predicate,
            str(fact.obj),
            str(fact.date),
            str(fact.figure),
            str(fact.before_publication),
            str(quote.start),
            str(quote.end),
        ]
        return self.iris.claim(fact.document, *parts)

    def add(self, fact: Fact) -> URIRef:
        """Add one claim with its evidence and return its IRI."""
        graph, node = self.graph, self.claim_iri(fact)
        graph.add((node, RDF.type, PG.Claim))
        graph.add((node, RDF.type, RDF.Statement))
        graph.add((node, RDF.subject, self.subject(fact)))
        graph.add((node, RDF.predicate, PREDICATES[fact.predicate]))
        obj = self.object(fact)
        if obj is not None:
            graph.add((node, RDF.object, obj))
        if fact.figure is not None:  # the reified triple is "subject numberOf value"; never published as a fact
            value = Literal(fact.figure.value, datatype=XSD.integer)
            graph.add((node, RDF.type, PG.QuantityClaim))
            graph.add((node, RDF.object, value))
            graph.add((node, SCHEMA.value, value))
            graph.add((node, PG.countedKind, self.concept("kind", fact.figure.kind, fact)))
            if fact.figure.qualifier == "more-than":
                graph.add((node, PG.valueQualifier, PG.MoreThan))
        if fact.before_publication is not None:
            graph.add((node, PG.beforePublication, Literal(fact.before_publication, datatype=XSD.duration)))
        document = self.iris.document(fact.document)
        graph.add((node, PROV.wasDerivedFrom, document))
        graph.add((node, PROV.wasGeneratedBy, self.activity))
        graph.add((node, PG.rank, RANKS[fact.rank]))
        if fact.reason:
            graph.add((node, PG.rankReason, Literal(fact.reason, lang="en")))
        graph.add((node, PG.extractionMethod, self.concept("method", fact.method, fact)))
        if fact.modality != "stated":
            graph.add((node, PG.modality, self.concept("modality", fact.modality, fact)))
        graph.add((node, PG.evidence, self.add_evidence(fact.quote, document)))
        for passage in fact.context:
            graph.add((node, PG.contextEvidence, self.add_evidence(passage, document)))
        return node

    def add_evidence(self, quote: Quote, document: URIRef) -> URIRef:
        graph = self.graph
        node = self.iris.evidence(quote.document, quote.start, quote.end)
        text_selector = self.iris.selector(quote.document, quote.start, quote.end, "quote")
        position_selector = self.iris.selector(quote.document, quote.start, quote.end, "position")
        graph.add((node, RDF.type, OA.SpecificResource))
        graph.add((node, OA.hasSource, document))
        graph.add((node, OA.hasSelector, text_selector))
        graph.add((node, OA.hasSelector, position_selector))
        graph.add((text_selector, RDF.type, OA.TextQuoteSelector))
        graph.add((text_selector, OA.exact, Literal(quote.exact)))
        graph.add((text_selector, OA.prefix, Literal(quote.prefix)))
        graph.add((text_selector, OA.suffix, Literal(quote.suffix)))
        graph.add((position_selector, RDF.type, OA.TextPositionSelector))
        graph.add((position_selector, OA.start, Literal(quote.start, datatype=XSD.nonNegativeInteger)))
        graph.add((position_selector, OA.end, Literal(quote.end, datatype=XSD.nonNegativeInteger)))
        return node
