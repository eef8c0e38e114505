"""`partnergraph evaluate`: leave one reviewed document out, extract it with what the others know, and compare.

The extractor sees the registry and the names the other documents write, never the left-out document's own
statements; those are the answer key. An organisation the extractor finds by a head noun is matched to the answer
by its name as written, so a correct new find counts. Relations are compared by pair and kind (partners and
parties as unordered pairs within one partnership or agreement); figures by value and what they count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..config import Settings
from ..linking.match import normalise
from ..pipeline.run import build_graph
from ..pipeline.sourcefile import load_yaml
from ..pipeline.statements import Fact
from .candidates import candidates
from .confidence import smoothed
from .gazetteer import project_gazetteer, ror_names
from .model import Candidate, Mention
from .reading import read_page

DIRECTED = {
    "memberOf": "member",
    "subOrganizationOf": "part",
    "founder": "founder",
    "sponsor": "sponsor",
    "funder": "funder",
    "incubatedAt": "incubated",
    "housedAt": "housed",
    "implementedBy": "implemented-by",
    "coordinatedBy": "coordinated-by",
    "recognisedBy": "recognised-by",
    "location": "location",
}
GROUPED = {"partner": "partner", "party": "party"}
BY_KEY = {
    "members": "member",
    "parts": "part",
    "incubated": "incubated",
    "founders": "founder",
    "sponsors": "sponsor",
    "funders": "funder",
    "recognised-by": "recognised-by",
    "coordinated-by": "coordinated-by",
    "implemented-by": "implemented-by",
}
LISTED_FIRST = ("member", "part", "incubated")  # the listed organisations are the subjects: member of, part of
ASPECTS = ("organisations", "relations", "figures")
Keys = AbstractSet[tuple[object, ...]]  # what is compared: organisation keys, relations by pair and kind, figures


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: Keys, gold: Keys) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def cell(self) -> str:
        return f"{self.precision:.2f} / {self.recall:.2f} / {self.f1:.2f}"


@dataclass
class Evaluation:
    threshold: float = 0.0  # candidates below it are left out, as `extract --accept` leaves them
    per_document: dict[str, dict[str, Score]] = field(default_factory=dict)
    by_rule: dict[tuple[str, bool], list[float]] = field(default_factory=dict)  # (rule, from context) -> right, all

    def add(
        self,
        document: str,
        found: list[Candidate],
        identity: Callable[[Mention], str],
        organisations: tuple[Keys, Keys],
        relations: Keys,
        figures: Keys,
    ) -> None:
        """Score one document's candidates at the threshold, and count every candidate for its rule."""
        kept = [c for c in found if c.confidence >= self.threshold]
        scores = {aspect: Score() for aspect in ASPECTS}
        scores["organisations"].add(*organisations)
        scores["relations"].add(_predicted_relations(kept, identity), relations)
        scores["figures"].add(_figures(kept), figures)
        self.per_document[document] = scores
        for candidate in found:  # all of them: what a rule's confidence is measured on cannot depend on it
            figure = candidate.key == "figure"
            predicted = _figures([candidate]) if figure else _predicted_relations([candidate], identity)
            if predicted:
                tally = self.by_rule.setdefault((candidate.found_by, bool(candidate.context)), [0.0, 0])
                tally[0] += len(predicted & (figures if figure else relations)) / len(predicted)
                tally[1] += 1

    def total(self, aspect: str) -> Score:
        total = Score()
        for scores in self.per_document.values():
            total.tp, total.fp, total.fn = (
                total.tp + scores[aspect].tp,
                total.fp + scores[aspect].fp,
                total.fn + scores[aspect].fn,
            )
        return total

    def lines(self) -> list[str]:
        out = [
            "| document | organisations P / R / F1 | relations P / R / F1 | figures P / R / F1 |",
            "|---|---|---|---|",
        ]
        for document, scores in self.per_document.items():
            out.append(f"| {document} | " + " | ".join(scores[a].cell() for a in ASPECTS) + " |")
        out.append("| **micro-average** | " + " | ".join(f"**{self.total(a).cell()}**" for a in ASPECTS) + " |")
        return out


def rule_lines(*evaluations: Evaluation) -> list[str]:
    """How often each rule was right, over the evaluations given, and the table confidence.py keeps."""
    tallies: dict[tuple[str, bool], list[float]] = {}
    for evaluation in evaluations:
        for key, (right, proposed) in evaluation.by_rule.items():
            tally = tallies.setdefault(key, [0.0, 0])
            tally[0], tally[1] = tally[0] + right, tally[1] + proposed
    ordered = sorted(tallies.items())
    out = ["| rule | from context | proposed | right | precision | confidence |", "|---|---|---|---|---|---|"]
    table = ["", "MEASURED: dict[tuple[str, bool], tuple[float, int]] = {"]
    for (rule, context), (right, proposed) in ordered:
        cells = [rule, "yes" if context else "no", f"{proposed:.0f}", f"{right:.1f}", f"{right / proposed:.2f}"]
        out.append("| " + " | ".join([*cells, str(smoothed(right, int(proposed)))]) + " |")
        table.append(f'    ("{rule}", {context}): ({right:.1f}, {proposed:.0f}),')
    return [*out, *table, "}"]


def evaluate(settings: Settings, ror: tuple[Path, ...] = (), threshold: float = 0.0) -> Evaluation:
    """Each document left out in turn; ROR dumps, if given, add the names ROR knows (as `extract --ror` does)."""
    built = build_graph(settings)
    extra = ror_names(list(ror))
    statements = sorted((settings.data_dir / "statements").glob("*.yaml"))
    result = Evaluation(threshold)
    for document in built.documents:
        facts = [f for f in built.facts if f.document == document.id]
        gazetteer = project_gazetteer(built.registry, statements, extra, leave_out=document.id)
        everything = gazetteer.find(document.text)
        mentions = [m for m in everything if m.name.kind == "organisation"]
        written = {
            normalise(f.obj): f.subject
            for f in facts
            if f.predicate in ("prefLabel", "altLabel", "acronym")
            and f.obj
            and built.registry.entities[f.subject].kind == "organisation"
        }

        identity = _identity(written)
        banner = next((m for m in mentions if m.name.key == document.publisher and m.end <= 200), None)
        found = candidates(document.text, everything, banner, gazetteer)
        organisations = ({(identity(m),) for m in mentions}, {(key,) for key in written.values()})
        figures = {(f.figure.value, f.figure.kind) for f in facts if f.figure and f.modality == "stated"}
        result.add(document.id, found, identity, organisations, _gold_relations(facts), figures)
    return result


def evaluate_pages(
    settings: Settings, directory: Path, ror: tuple[Path, ...] = (), threshold: float = 0.0
) -> Evaluation:
    """Pages that are not ours (`*.txt`, `*.html` with a hand-made `<page>.expected.yaml` beside each), extracted
    with everything the project knows, compared with what a reviewer recorded."""
    built = build_graph(settings)
    statements = sorted((settings.data_dir / "statements").glob("*.yaml"))
    gazetteer = project_gazetteer(built.registry, statements, ror_names(list(ror)))

    def canonical(name: str) -> str:
        known = gazetteer.names.get(name)
        return known.key if known and known.key else normalise(name)

    def identity(mention: Mention) -> str:
        return mention.name.key or canonical(mention.alias_of or mention.name.text)

    result = Evaluation(threshold)
    for expected_file in sorted(directory.glob("*.expected.yaml")):
        expected = load_yaml(expected_file) or {}
        stem = expected_file.name.removesuffix(".expected.yaml")
        page = read_page(next(p for p in directory.glob(stem + ".*") if p != expected_file))
        everything = gazetteer.find(page.text)
        found = candidates(page.text, everything, known=gazetteer)
        relations: set[tuple[object, ...]] = set()
        for kind, a, b in expected.get("relations") or []:
            pair = (canonical(a), canonical(b))
            relations.add((kind, *sorted(pair)) if kind in GROUPED.values() else (kind, *pair))
        named: set[tuple[object, ...]] = {(identity(m),) for m in everything if m.name.kind == "organisation"}
        organisations = (named, {(canonical(n),) for n in expected.get("organisations") or []})
        figures: set[tuple[object, ...]] = {(v, k) for v, k in expected.get("figures") or []}
        result.add(stem, found, identity, organisations, relations, figures)
    return result


def _figures(found: list[Candidate]) -> set[tuple[object, ...]]:
    return {(c.details["figure"]["value"], c.details["figure"]["kind"]) for c in found if c.key == "figure"}  # type: ignore[index]


def _identity(written: dict[str, str]) -> Callable[[Mention], str]:
    """A mention's registry key, or the key of the answer's organisation with that name as written, or a new id."""

    def identity(mention: Mention) -> str:
        name, full = normalise(mention.name.text), normalise(mention.alias_of or mention.name.text)
        return mention.name.key or written.get(name) or written.get(full) or "new:" + full

    return identity


def _gold_relations(facts: list[Fact]) -> set[tuple[object, ...]]:
    gold: set[tuple[object, ...]] = set()
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fact in facts:
        if fact.rank == "deprecated" or fact.modality != "stated" or fact.obj_kind != "entity" or not fact.obj:
            continue
        if fact.predicate in DIRECTED:
            gold.add((DIRECTED[fact.predicate], fact.subject, fact.obj))
        elif fact.predicate in GROUPED:
            groups[(GROUPED[fact.predicate], fact.subject)].add(fact.obj)
    for (kind, _), members in groups.items():
        gold |= {(kind, *pair) for pair in combinations(sorted(members), 2)}
    return gold


def _predicted_relations(found: list[Candidate], identity: Callable[[Mention], str]) -> set[tuple[object, ...]]:
    predicted: set[tuple[object, ...]] = set()
    for candidate in found:
        values = [identity(m) for m in candidate.values]
        if candidate.key in ("partners", "parties"):
            kind = "partner" if candidate.key == "partners" else "party"
            predicted |= {(kind, *pair) for pair in combinations(sorted(set(values)), 2)}
        elif candidate.key == "location" and candidate.of is not None:
            predicted.add(("location", identity(candidate.of), str(candidate.values[0].name.key)))
        elif candidate.key in BY_KEY and candidate.of is not None:
            of, kind = identity(candidate.of), BY_KEY[candidate.key]
            predicted |= {(kind, v, of) if kind in LISTED_FIRST else (kind, of, v) for v in values}
    return predicted
