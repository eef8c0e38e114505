"""`partnergraph link`: ROR dumps + our names -> data/links/ror.yaml (the link set) and a review list.

The link set is written atomically and only when the whole run succeeded, so a failure leaves the old one untouched.
Entries name organisations by registry key, so the link set does not depend on the base IRI.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..config import Settings
from ..errors import InputError
from ..pipeline.registry import load_registry
from ..pipeline.run import build_graph
from ..pipeline.sourcefile import load_yaml
from ..pipeline.truthy import select_by_rank
from .match import CLEAR_MARGIN, LINK_THRESHOLD, Candidate, OurOrganisation, Outcome, RorIndex, decide, normalise
from .ror import RorRecord, read_dump
from .wikidata import WikidataClient

DECISIONS = ("accept", "reject")
PARTIAL = ", partial record"


@dataclass(frozen=True)
class Decision:
    organisation: str
    ror: str
    decision: str
    reason: str


@dataclass
class LinkReport:
    outcomes: list[Outcome]
    links: list[dict[str, object]]
    review: list[dict[str, object]]

    def lines(self) -> list[str]:
        methods = Counter(str(link["method"]) for link in self.links)
        targets = Counter("wikidata" if "wikidata" in str(link["target"]) else "ror" for link in self.links)
        organisations = len(self.outcomes)
        linked = len({link["organisation"] for link in self.links if "ror.org" in str(link["target"])})
        out = [
            f"organisations: {organisations}; linked to ROR: {linked} ({100 * linked // max(organisations, 1)}%)",
            "links by target: " + ", ".join(f"{n} {t}" for t, n in sorted(targets.items())),
            "links by method: " + ", ".join(f"{n} {m}" for m, n in sorted(methods.items())),
        ]
        out.append(f"review list ({len(self.review)}):")
        for entry in self.review:
            best: dict[str, object] = entry["candidates"][0]  # type: ignore[index]
            out.append(
                f"  {entry['organisation']}: {best.get('ror', best.get('target'))} '{best['name']}' score "
                f"{best['score']} via {best['method']} ({entry['reason']})"
            )
        none = [o.organisation.key for o in self.outcomes if o.decision == "none"]
        out.append(f"no candidate ({len(none)}): {', '.join(none)}")
        with_item = {link["organisation"] for link in self.links if "wikidata" in str(link["target"])}
        only_wikidata = [o.organisation.key for o in self.outcomes if o.organisation.key not in with_item]
        out.append(
            f"no Wikidata item from ROR ({len(only_wikidata)}; only Wikidata itself could add them): "
            + ", ".join(only_wikidata)
        )
        return out

    def outcome_lines(self, keys: set[str]) -> list[str]:
        """What the linker decided for these organisations: linked, to review, or no candidate."""
        out = []
        for outcome in (o for o in self.outcomes if o.organisation.key in keys):
            best = outcome.best
            match = f"{best.record.id} '{best.matched_name}' score {best.score:.2f}" if best else ""
            if outcome.decision == "link":
                out.append(f"  linked {outcome.organisation.key} to {match}")
            elif outcome.decision == "review":
                out.append(f"  to review in data/links/review.yaml: {outcome.organisation.key}: {match}")
            else:
                out.append(f"  no ROR record for {outcome.organisation.key}")
        return [f"ROR links for the {len(keys)} organisations added:", *out]


def our_organisations(settings: Settings) -> list[OurOrganisation]:
    """Each organisation with every name and acronym the documents give it, and the city they place it in; drafts
    awaiting review count (their names are the page's, and what they link is reviewed in data/links/ as always)."""
    built = build_graph(replace(settings, include_drafts=True))
    registry = built.registry
    names: dict[str, set[tuple[str, str]]] = {
        e.key: {(label, "name") for label in e.preferred_labels().values()} for e in registry.of_kind("organisation")
    }
    locations: dict[str, list] = {}  # type: ignore[type-arg]
    for fact in built.facts:
        if fact.subject in names and fact.predicate in ("altLabel", "prefLabel", "acronym") and fact.obj:
            names[fact.subject].add((fact.obj, "acronym" if fact.predicate == "acronym" else "name"))
        if fact.subject in names and fact.predicate == "location":
            locations.setdefault(fact.subject, []).append(fact)
    organisations = []
    for entity in registry.of_kind("organisation"):
        kept = select_by_rank(locations.get(entity.key, []))
        cities = {registry.entities[f.obj].label for f in kept if f.obj}  # type: ignore[index]
        organisations.append(
            OurOrganisation(
                entity.key,
                str(entity.type),
                tuple(sorted(names[entity.key])),
                cities.pop() if len(cities) == 1 else None,
            )
        )
    return organisations


def load_decisions(path: Path, known: set[str]) -> list[Decision]:
    if not path.exists():
        return []
    entries = load_yaml(path) or []
    decisions = []
    for entry in entries:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict) or {"organisation", "ror", "decision", "reason"} - set(entry):
            raise InputError("a decision needs organisation, ror, decision (accept or reject) and reason", path, line)
        if entry["decision"] not in DECISIONS or entry["organisation"] not in known:
            raise InputError(
                f"decision must be accept or reject, for a registry organisation: {dict(entry)}", path, line
            )
        decisions.append(Decision(entry["organisation"], str(entry["ror"]), entry["decision"], entry["reason"]))
    return decisions


def reconcile(
    settings: Settings, dumps: list[Path], today: datetime.date | None = None, wikidata: WikidataClient | None = None
) -> LinkReport:
    """Match, apply the curated decisions, check Wikidata if asked, and write data/links/ atomically."""
    links_dir = settings.data_dir / "links"
    organisations = our_organisations(settings)
    decisions = load_decisions(links_dir / "decisions.yaml", {o.key for o in organisations})
    records: list[RorRecord] = []
    sources: dict[str, str] = {}
    for dump in dumps:
        for record in read_dump(dump):
            records.append(record)
            sources.setdefault(record.id, dump.name)
    index = RorIndex(records)
    outcomes, links = [], []
    for organisation in organisations:
        outcome = _apply_decisions(decide(organisation, index), organisation, index, decisions)
        outcomes.append(outcome)
        if outcome.decision == "link" and outcome.best is not None:
            links += _entries(organisation.key, outcome.best, sources)
    review = [_review_entry(o) for o in outcomes if o.decision == "review"]
    if wikidata is not None:
        links, review = _check_wikidata(links, review, wikidata)
        review += _wikidata_label_candidates(organisations, links, wikidata)
    previous = _previous(links_dir / "ror.yaml")
    stamp = (today or datetime.date.today()).isoformat()
    for link in links:
        old = previous.get((str(link["organisation"]), str(link["target"])))
        link["date"] = old["date"] if old and _same(old, link) else stamp
    _write(links_dir / "ror.yaml", links)
    _write(links_dir / "review.yaml", review)
    places = _place_links(settings, organisations, links, index, stamp)
    previous_places = _previous(links_dir / "geonames.yaml", "place")
    for place in places:
        old = previous_places.get((str(place["place"]), str(place["target"])))
        place["date"] = old["date"] if old and _same(old, place) else stamp
    _write(links_dir / "geonames.yaml", places)
    return LinkReport(outcomes, links, review)


def _apply_decisions(
    outcome: Outcome, organisation: OurOrganisation, index: RorIndex, decisions: list[Decision]
) -> Outcome:
    mine = [d for d in decisions if d.organisation == organisation.key]
    rejected = {f"https://ror.org/{d.ror}" for d in mine if d.decision == "reject"}
    for decision in mine:
        if decision.decision == "accept":
            record = index.by_id.get(f"https://ror.org/{decision.ror}")
            if record is None:
                raise InputError(f"decision accepts {decision.ror} for {organisation.key}, but no dump given has it")
            candidate = next((c for c in outcome.candidates if c.record.id == record.id), Candidate(record))
            chosen = Candidate(
                record,
                1.0,
                "manual-decision",
                candidate.matched_name,
                [*candidate.evidence, f"accepted by a curator: {decision.reason}"],
            )
            return Outcome(organisation, "link", chosen, outcome.candidates, "curated decision")
    if rejected:
        remaining = [c for c in outcome.candidates if c.record.id not in rejected]
        if not remaining:
            return Outcome(organisation, "none", None, [], "every candidate was rejected by a curator")
        if remaining != outcome.candidates:
            narrowed = Outcome(organisation, "none", None, remaining, "")
            best = remaining[0]
            runner = remaining[1].score if len(remaining) > 1 else 0.0
            clear = best.score >= LINK_THRESHOLD and best.score - runner >= CLEAR_MARGIN
            narrowed.decision, narrowed.best = ("link" if clear else "review"), best
            narrowed.reason = "clear match after curated rejections" if clear else "still uncertain after rejections"
            return narrowed
    return outcome


def _entries(key: str, best: Candidate, sources: dict[str, str]) -> list[dict[str, object]]:
    record = best.record
    common = {
        "organisation": key,
        "score": best.score,
        "matched_name": best.matched_name,
        "evidence": best.evidence,
        "record": record.id,
        "record_name": record.display,
        "record_status": record.status,
        "source": f"{sources[record.id]} (ROR schema v{record.schema_version}{PARTIAL if record.partial else ''})",
    }
    if not record.status:  # a partial record does not say; publish no status rather than a guess
        del common["record_status"]
    entries: list[dict[str, object]] = [{**common, "target": record.id, "method": best.method}]
    for qid in record.wikidata[:1]:  # the ROR record states its Wikidata item
        entries.append({**common, "target": f"http://www.wikidata.org/entity/{qid}", "method": "ror-external-id"})
    return entries


def _place_links(
    settings: Settings,
    organisations: list[OurOrganisation],
    links: list[dict[str, object]],
    index: RorIndex,
    stamp: str,
) -> list[dict[str, object]]:
    """Places get GeoNames links where a linked ROR record locates one of our organisations in a city of that name."""
    registry = load_registry(settings.data_dir / "registry.yaml")
    cities = {o.key: o.city for o in organisations if o.city}
    found: dict[str, dict[str, object]] = {}
    for link in links:
        record = index.by_id.get(str(link["target"]))
        city = cities.get(str(link["organisation"]))
        if record is None or not city or not record.geonames_id or normalise(record.city or "") != normalise(city):
            continue
        place = next(e for e in registry.of_kind("place") if e.label == city)
        entry = found.setdefault(
            place.key,
            {
                "place": place.key,
                "target": f"https://sws.geonames.org/{record.geonames_id}/",
                "method": "ror-location",
                "score": 1.0,
                "evidence": [],
                "record": record.id,
                "date": stamp,
                "source": "ROR locations (GeoNames)",
            },
        )
        if entry["target"] != f"https://sws.geonames.org/{record.geonames_id}/":
            raise InputError(f"ROR records give {place.key} two GeoNames ids; decide in data/links/decisions.yaml")
        entry["evidence"].append(f"{record.bare_id} ({link['organisation']}) is in {record.city}")  # type: ignore[attr-defined]
    return sorted(found.values(), key=lambda e: str(e["place"]))


def _check_wikidata(
    links: list[dict[str, object]], review: list[dict[str, object]], client: WikidataClient
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Confirm each ROR-stated Wikidata item by P6782, add items only Wikidata states, send disagreements to review."""
    ror_links = {str(e["organisation"]): e for e in links if "ror.org" in str(e["target"])}
    stated = {
        str(e["organisation"]): str(e["target"]).rsplit("/", 1)[-1] for e in links if "wikidata" in str(e["target"])
    }
    by_ror = client.items_by_ror([str(e["target"]).rsplit("/", 1)[-1] for e in ror_links.values()])
    kept = [e for e in links if "wikidata" not in str(e["target"])]
    for key, ror_link in sorted(ror_links.items()):
        ror_id = str(ror_link["target"]).rsplit("/", 1)[-1]
        items = by_ror.get(ror_id, set())
        ours = stated.get(key)
        base = {k: v for k, v in ror_link.items() if k not in ("target", "method", "evidence")}
        evidence = list(ror_link["evidence"])  # type: ignore[call-overload]
        if ours and (not items or items == {ours}):
            agreed = "Wikidata P6782 states the same ROR id" if items else "no Wikidata item states the ROR id yet"
            kept.append(
                {
                    **base,
                    "target": f"http://www.wikidata.org/entity/{ours}",
                    "method": "ror-external-id",
                    "evidence": [*evidence, agreed],
                }
            )
        elif not ours and len(items) == 1:
            qid = next(iter(items))
            kept.append(
                {
                    **base,
                    "target": f"http://www.wikidata.org/entity/{qid}",
                    "method": "wikidata-p6782",
                    "score": 0.9,
                    "evidence": [f"Wikidata item {qid} states ROR id {ror_id} (P6782)"],
                }
            )
        elif items:
            candidates = sorted(items | ({ours} if ours else set()))
            review.append(
                {
                    "organisation": key,
                    "reason": f"Wikidata items disagree on ROR id {ror_id}: " + ", ".join(candidates),
                    "candidates": [
                        {
                            "target": f"http://www.wikidata.org/entity/{q}",
                            "name": q,
                            "score": 0.5,
                            "method": "wikidata-p6782",
                            "evidence": [],
                        }
                        for q in candidates
                    ],
                }
            )
    return kept, review


def _wikidata_label_candidates(
    organisations: list[OurOrganisation], links: list[dict[str, object]], client: WikidataClient
) -> list[dict[str, object]]:
    """Organisations without any link: Wikidata items with one of their names as label go to review."""
    linked = {str(e["organisation"]) for e in links}
    unlinked = [o for o in organisations if o.key not in linked]
    labels = [(name, "en") for o in unlinked for name, kind in o.names if kind == "name"]
    by_label = client.items_by_label(labels)
    review: list[dict[str, object]] = []
    for organisation in unlinked:
        items = sorted(
            {q for name, kind in organisation.names if kind == "name" for q in by_label.get((name, "en"), ())}
        )
        if items:
            review.append(
                {
                    "organisation": organisation.key,
                    "reason": "Wikidata items share a name with it; a name alone is not enough to link",
                    "candidates": [
                        {
                            "target": f"http://www.wikidata.org/entity/{q}",
                            "name": q,
                            "score": 0.4,
                            "method": "label",
                            "evidence": [],
                        }
                        for q in items
                    ],
                }
            )
    return review


def _review_entry(outcome: Outcome) -> dict[str, object]:
    return {
        "organisation": outcome.organisation.key,
        "reason": outcome.reason,
        "candidates": [
            {
                "ror": c.record.bare_id,
                "name": c.record.display,
                "score": c.score,
                "method": c.method,
                "status": c.record.status,
                "evidence": c.evidence,
            }
            for c in outcome.candidates[:3]
        ],
    }


def _previous(path: Path, key: str = "organisation") -> dict[tuple[str, str], dict[str, object]]:
    """The entries of the last run, so that an unchanged link keeps the date it was first made."""
    if not path.exists():
        return {}
    return {(str(e[key]), str(e["target"])): e for e in (yaml.safe_load(path.read_text("utf-8")) or [])}


def _same(old: dict[str, object], new: dict[str, object]) -> bool:
    return all(old.get(k) == new.get(k) for k in new if k != "date")


def _write(path: Path, entries: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".yaml.tmp")
    header = "# Generated by `partnergraph link`; edit data/links/decisions.yaml instead.\n"
    temporary.write_text(header + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=120), "utf-8")
    os.replace(temporary, path)
