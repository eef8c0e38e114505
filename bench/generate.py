"""A deterministic synthetic partnerships graph in partnergraph's own model, at any size (N-Quads, gzipped).

Organisations with names, types and places; consortia with n-ary memberships; agreements with parties and dates;
claims with quotes for a share of the statements. The same seed and size always give the same graph.
"""

from __future__ import annotations

import argparse
import gzip
import random
from pathlib import Path

ID = "https://w3id.org/partnergraph/id/"
PG = "https://w3id.org/partnergraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONCEPT = "https://w3id.org/partnergraph/concept/"
GRAPH = "<https://w3id.org/partnergraph/graph/data>"
TYPES = ["university", "hospital", "company", "municipality", "foundation", "research-institute", "museum"]
WORDS = [
    "Leiden",
    "Delft",
    "Rotterdam",
    "Hague",
    "Utrecht",
    "Medical",
    "Science",
    "Bio",
    "Data",
    "Health",
    "Art",
    "Energy",
    "Water",
    "Climate",
    "Digital",
    "Urban",
    "Heritage",
    "Life",
    "Quantum",
    "Ocean",
]


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str, suffix: str = "") -> str:
    return '"' + value.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"') + '"' + suffix


def generate(triples: int, seed: int = 7) -> list[str]:
    """About `triples` quads, in a fixed order."""
    rng = random.Random(seed)
    out: list[str] = []
    organisations = max(10, triples // 40)
    consortia = max(3, organisations // 20)
    places = [f"{ID}place/p{i}" for i in range(max(5, organisations // 50))]

    def add(s: str, p: str, o: str) -> None:
        out.append(f"{s} {p} {o} {GRAPH} .")

    for i in range(organisations):
        node = iri(f"{ID}org/o{i}")
        kind = rng.choice(TYPES)
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {kind.replace('-', ' ').title()} {i}"
        add(node, iri(RDF + "type"), iri(ORG + "Organization"))
        add(node, iri(RDF + "type"), iri(ORG + "FormalOrganization"))
        add(node, iri(SKOS + "prefLabel"), literal(name, "@en"))
        add(node, iri(PG + "acronym"), literal("".join(w[0] for w in name.split()[:3]).upper() + str(i)))
        add(node, iri(ORG + "classification"), iri(f"{CONCEPT}orgtype/{kind}"))
        add(node, iri(SCHEMA + "location"), iri(rng.choice(places)))
        if rng.random() < 0.3:
            add(
                node,
                iri(SCHEMA + "foundingDate"),
                literal(str(rng.randint(1575, 2020)), "^^<http://www.w3.org/2001/XMLSchema#gYear>"),
            )
    for c in range(consortia):
        node = iri(f"{ID}org/c{c}")
        add(node, iri(RDF + "type"), iri(ORG + "OrganizationalCollaboration"))
        add(node, iri(SKOS + "prefLabel"), literal(f"{rng.choice(WORDS)} Consortium {c}", "@en"))
        add(node, iri(ORG + "classification"), iri(f"{CONCEPT}orgtype/consortium"))
        members = rng.sample(range(organisations), min(organisations, rng.randint(3, 25)))
        if c < 2 and 1 not in members:
            members.append(1)  # the benchmark queries' organisation o1 is in two consortia at every size
        for member in members:
            m = iri(f"{ID}membership/c{c}/o{member}/partner")
            add(iri(f"{ID}org/o{member}"), iri(ORG + "memberOf"), node)
            add(m, iri(RDF + "type"), iri(ORG + "Membership"))
            add(m, iri(ORG + "member"), iri(f"{ID}org/o{member}"))
            add(m, iri(ORG + "organization"), node)
            add(m, iri(ORG + "role"), iri(f"{CONCEPT}role/partner"))
            add(
                m,
                iri(SCHEMA + "startDate"),
                literal(str(rng.randint(1990, 2024)), "^^<http://www.w3.org/2001/XMLSchema#gYear>"),
            )
    a = 0
    while len(out) < triples:
        node = iri(f"{ID}agreement/a{a}")
        add(node, iri(RDF + "type"), iri(PG + "Agreement"))
        add(node, iri(SKOS + "prefLabel"), literal(f"Agreement {a}", "@en"))
        start = rng.randint(2000, 2024)
        add(node, iri(PG + "concludedOn"), literal(str(start), "^^<http://www.w3.org/2001/XMLSchema#gYear>"))
        add(node, iri(SCHEMA + "startDate"), literal(str(start), "^^<http://www.w3.org/2001/XMLSchema#gYear>"))
        add(
            node,
            iri(SCHEMA + "endDate"),
            literal(str(start + rng.randint(1, 6)), "^^<http://www.w3.org/2001/XMLSchema#gYear>"),
        )
        for party in rng.sample(range(organisations), 2 + (rng.random() < 0.3)):
            add(node, iri(PG + "party"), iri(f"{ID}org/o{party}"))
        claim = iri(f"{ID}claim/a{a}")
        add(claim, iri(RDF + "type"), iri(PG + "Claim"))
        add(claim, iri(RDF + "subject"), node)
        add(claim, iri(RDF + "predicate"), iri(PG + "concludedOn"))
        add(claim, iri(PG + "rank"), iri(PG + "NormalRank"))
        a += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    lines = generate(args.triples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"{len(lines)} quads -> {args.out}")


if __name__ == "__main__":
    main()
