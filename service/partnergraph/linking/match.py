"""Match our organisations to ROR records by the names the documents give them, with city, type and status as evidence.

A wrong link is worse than none: only whole-name matches count (no substrings), a candidate must clear a threshold and
beat the runner-up clearly, and everything else goes to a review list for a person to decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .ror import RorRecord

LINK_THRESHOLD = 0.85
CLEAR_MARGIN = 0.1
BASE_SCORES = {"label": 0.9, "other-language-label": 0.85, "alias": 0.8, "acronym": 0.5}
# The ROR type each of our organisation types should carry (ontology/concepts.ttl scope notes say the same).
EXPECTED_ROR_TYPES: dict[str, set[str]] = {
    "university": {"education"},
    "university-medical-centre": {"healthcare", "education"},
    "university-of-applied-sciences": {"education"},
    "school": {"education"},
    "research-school": {"education"},
    "faculty": {"education"},
    "hospital": {"healthcare"},
    "hospital-group": {"healthcare"},
    "research-institute": {"facility", "government", "nonprofit", "other"},
    "research-centre": {"facility", "education", "other"},
    "museum": {"archive", "nonprofit", "facility"},
    "municipality": {"government"},
    "province": {"government"},
    "supranational-body": {"government"},
    "government-agency": {"government"},
    "funding-body": {"funder", "government"},
    "company": {"company"},
    "fund": {"funder", "company"},
    "foundation": {"nonprofit", "funder"},
    "association": {"nonprofit", "other"},
}


def normalise(name: str) -> str:
    """Compare names without case, accents, punctuation or a leading article."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^(the|de|het) ", "", text)


@dataclass(frozen=True)
class OurOrganisation:
    key: str
    type: str
    names: tuple[tuple[str, str], ...]  # (name, "name" | "acronym")
    city: str | None


@dataclass
class Candidate:
    record: RorRecord
    score: float = 0.0
    method: str = ""
    matched_name: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    organisation: OurOrganisation
    decision: str  # "link" | "review" | "none"
    best: Candidate | None
    candidates: list[Candidate]
    reason: str


class RorIndex:
    """ROR records by normalised name, with the kind of name each record gives it."""

    def __init__(self, records: list[RorRecord]) -> None:
        self.by_name: dict[str, list[tuple[RorRecord, str, str]]] = defaultdict(list)
        self.by_id = {record.id: record for record in records}
        for record in records:
            if record.status == "withdrawn":
                continue  # a withdrawn record was an error; never a link target
            for name in record.names:
                kind = "acronym" if "acronym" in name.kinds else "alias" if "alias" in name.kinds else "label"
                self.by_name[normalise(name.value)].append((record, kind, name.value))

    def candidates(self, organisation: OurOrganisation) -> list[Candidate]:
        found: dict[str, Candidate] = {}
        for our_name, our_kind in organisation.names:
            for record, kind, their_name in self.by_name.get(normalise(our_name), []):
                if our_kind == "acronym" and kind != "acronym":
                    continue  # our short form naming their full name is a coincidence, not evidence
                method = "acronym" if kind == "acronym" else kind
                score = BASE_SCORES[method]
                candidate = found.setdefault(record.id, Candidate(record))
                if score > candidate.score:
                    candidate.score, candidate.method, candidate.matched_name = score, method, their_name
                candidate.evidence.append(f"name '{our_name}' = {kind} '{their_name}'")
        for candidate in found.values():
            _weigh(candidate, organisation)
        return sorted(found.values(), key=lambda c: (-c.score, c.record.id))


def _weigh(candidate: Candidate, organisation: OurOrganisation) -> None:
    record = candidate.record
    if len({e.split(" = ")[1].split(" ")[0] for e in candidate.evidence}) > 1 or len(candidate.evidence) > 2:
        candidate.score += 0.05
        candidate.evidence.append("several names agree")
    if organisation.city and record.city:
        if normalise(organisation.city) == normalise(record.city):
            candidate.score += 0.1
            candidate.evidence.append(f"city {record.city}")
        else:
            candidate.score -= 0.2
            candidate.evidence.append(f"city differs: ours {organisation.city}, ROR {record.city}")
    expected = EXPECTED_ROR_TYPES.get(organisation.type)
    if expected and record.types and not expected & set(record.types):
        candidate.score -= 0.15
        candidate.evidence.append(f"type differs: ours {organisation.type}, ROR {', '.join(record.types)}")
    if record.country_code and record.country_code != "NL" and organisation.type != "supranational-body":
        candidate.score -= 0.3
        candidate.evidence.append(f"country {record.country_code}")
    if record.partial:
        candidate.evidence.append("partial record from a 2022 listing: its status and external ids are unknown")
    elif record.status != "active":
        candidate.evidence.append(f"record {record.status}")
    candidate.score = round(min(candidate.score, 1.0), 3)


def decide(organisation: OurOrganisation, index: RorIndex) -> Outcome:
    """Link when one candidate clears the threshold and the margin; otherwise review, or none."""
    candidates = index.candidates(organisation)
    if not candidates:
        return Outcome(organisation, "none", None, [], "no ROR record has any of its names")
    best = candidates[0]
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    if best.score < LINK_THRESHOLD:
        return Outcome(organisation, "review", best, candidates, f"best score {best.score} is below {LINK_THRESHOLD}")
    if best.score - runner_up < CLEAR_MARGIN:
        return Outcome(
            organisation, "review", best, candidates, f"ambiguous: {candidates[1].record.bare_id} scores {runner_up}"
        )
    return Outcome(organisation, "link", best, candidates, "clear match")
