"""Relations in a sentence: trigger phrases between the organisations it names (agreements signed, founded,
funded or supported by, part of, member of, consists of, partnership between, working together, taking part)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .dates import stated_date
from .model import Candidate, Mention

TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    ("agreement", re.compile(r"(?i)\b(agreement|covenant|convenant|overeenkomst|memorandum of understanding)\b")),
    (
        "founded",
        re.compile(
            r"(?i)\b(founded|established|set up|initiated|launched|launches|opgericht|initiative of|initiatief van|"
            r"starten|lanceren|lanceerden|lanceert)\b"
        ),
    ),
    ("funded", re.compile(r"(?i)\b(funded|financed|gefinancierd|funding from|financiering van)\b")),
    (
        "supported",
        re.compile(
            r"(?i)\b(supported by|ondersteund door|backed by|"
            r"(?:parties|organi[sz]ations|partners|partijen|organisaties) (?:behind|achter))\b"
        ),
    ),
    ("part", re.compile(r"(?i)\b(part of|onderdeel van|maakt deel uit van|belongs to)\b")),
    (
        "member",
        re.compile(r"(?i)\b(members? of|lid van|leden van|joined by|aangevuld met|joined|is toegetreden tot)\b"),
    ),
    (
        "consists",
        re.compile(
            r"(?i)\b(consists of|comprises|is made up of|members include|bestaat uit|brings together|brengt samen|"
            r"leden zijn)\b"
        ),
    ),
    # "Companies that started here include ...", "A began at X": where they were incubated (X right after the verb)
    (
        "incubated",
        re.compile(r"(?i)\b(?:started|began|begun|incubated|gestart|begonnen)(?: out| up)?(?: in| at| bij)?(?= )"),
    ),
    ("recognised", re.compile(r"(?i)\b(recogni[sz]ed by|accredited by|erkend door)\b")),
    ("coordinated", re.compile(r"(?i)\b(coordinated by|co-ordinated by|led by|gecoördineerd door|geleid door)\b")),
    ("implemented", re.compile(r"(?i)\b(implemented by|carried out by|uitgevoerd door)\b")),
    (
        "partnership",
        re.compile(
            r"(?i)\b(partnership|collaborat\w*|cooperat\w*|co-operat\w*|work(?:s|ed|ing)? together|alliance|"
            r"samenwerk\w*|werken samen|partners)\b"
        ),
    ),
]
# "A and B are involved with C in X", "A takes part in X": members of X (the first organisation after "in")
PARTICIPATES = re.compile(
    r"(?i)\b(?:participat\w*|takes? part|took part|(?:is|are|was|were) involved|neemt deel|nemen deel|"
    r"(?:is|zijn) betrokken)\b[^.;]*?\b(?:in|aan|bij)\b"
)
# "In PLNT, A, B and C have joined forces": a sentence framed by a group, whose members it then names
FRAME = re.compile(r"^(?:In|Within|Binnen) ")
TOGETHER = re.compile(
    r"(?i)\b(joined forces|work(?:s|ed|ing)? together|collaborat\w*|cooperat\w*|bundelen|werken samen)\b"
)
# "X is recognised by Y": one organisation's relation to the one named after the trigger
DIRECTED = {"recognised": "recognised-by", "coordinated": "coordinated-by", "implemented": "implemented-by"}
COLLABORATIONS = {"alliance", "consortium", "collaboration", "network"}  # what has members rather than parts
# "X, along with B", "the X alliance, together with B": more organisations in the same role
ALONG = re.compile(
    r"(?i)(?: (?:alliance|consortium|network|partnership|programme|alliantie|netwerk|programma))?,? "
    r"(?:along with|together with|as well as|samen met|naast)\b"
)
WITH = re.compile(r"(?i)\b(?:with|met)(?: the| de| het)?\s*$")  # "work together with X": X is a partner, not a group
IN_THE = re.compile(r"(?i)\b(?:in|within|binnen|aan) (?:the |de |het )?$")
MEMBER, PARTNER = {"role": "member"}, {"role": "partner"}
SIGNED = re.compile(r"(?i)\b(sign\w*|conclud\w*|entered into|ondertek\w*|gesloten|sloten|agreed)\b")
BY = re.compile(r"(?i)\b(by|door|from|van)\b")


BACKING = {"founded": "founders", "funded": "funders", "supported": "sponsors"}


def relations(sentence: str, start: int, orgs: list[Mention]) -> list[Candidate]:
    """Founding, funding and support, each trigger with the organisations up to the next ("funded by A and supported
    by B"); otherwise the first other trigger that fits."""
    if len(orgs) < 2:
        return []
    triggers = sorted(
        ((rule, match) for rule, pattern in TRIGGERS if rule in BACKING for match in pattern.finditer(sentence)),
        key=lambda found: found[1].start(),
    )
    backed = []
    for number, (rule, match) in enumerate(triggers):
        limit = start + (triggers[number + 1][1].start() if number + 1 < len(triggers) else len(sentence))
        before = [m for m in orgs if m.end <= start + match.start()]
        after = [m for m in orgs if start + match.end() <= m.start < limit]
        base = Candidate(sentence, start, None, "", found_by=f"rule:{rule}")
        by = BY.search(sentence, match.end())
        passive = match.group().lower().endswith((" by", " door", " of", " van")) or (
            by is not None and by.start() - match.end() < 12
        )
        opens = bool(before) and sentence[: before[0].start - start].strip().lower() in ("", "the", "de", "het")
        dated = {"founded": date} if rule == "founded" and (date := stated_date(sentence)) else None
        if passive and before and after and opens:  # "X was founded by A and B": X opens the sentence
            backed.append(completed(base, before[0], BACKING[rule], after, dated, f"{rule}-by"))
        elif not passive and before and after:  # "A and B founded X", "A is behind X, along with B and C"
            backed.append(completed(base, after[0], BACKING[rule], before + _along(sentence, start, after), dated))
    if found := [c for c in backed if c is not None]:
        return found
    relation = _relation(sentence, start, orgs)
    return [relation] if relation else []


def _relation(sentence: str, start: int, orgs: list[Mention]) -> Candidate | None:
    if (joined := _participation(sentence, start, orgs)) is not None:
        return joined
    for rule, pattern in TRIGGERS:
        match = pattern.search(sentence)
        if not match or rule in BACKING:
            continue
        at = start + match.start()
        before, after = [m for m in orgs if m.end <= at], [m for m in orgs if m.start >= at + len(match.group())]
        base = Candidate(sentence, start, None, "", found_by=f"rule:{rule}")
        if rule == "agreement" and SIGNED.search(sentence):
            return completed(base, None, "parties", orgs, agreement_details(sentence))
        if rule == "part" and before and after and after[0].name.type in COLLABORATIONS:  # "part of the X consortium"
            return completed(base, after[0], "members", [before[-1]], MEMBER, "part-of-collaboration")
        if rule == "part" and before and after:
            return completed(base, after[0], "parts", [before[-1]])
        if rule == "incubated" and after and after[0].start - (at + len(match.group())) <= 5:
            return completed(base, after[0], "incubated", [m for m in orgs if m is not after[0]])
        if rule in DIRECTED and before and after:
            return completed(base, before[-1], DIRECTED[rule], [after[0]])
        if rule == "member" and before and after and match.group().lower() in ("joined by", "aangevuld met"):
            return completed(base, before[-1], "members", after, MEMBER, "joined-by")  # "X will be joined by A"
        if rule == "member" and before and after:  # "A is a member of X, together with B and C"
            return completed(base, after[0], "members", before + _along(sentence, start, after), MEMBER)
        if rule == "consists" and before and after:
            return completed(base, before[-1], "members", after, MEMBER)
        if rule == "partnership" and (group := _named_group(sentence, start, orgs, pattern)) is not None:
            return completed(base, group, "members", [m for m in orgs if m is not group], PARTNER, "partnership-named")
        if rule == "partnership":
            if before and after and re.search(r"(?i)\b(between|of|tussen|van)\b", sentence[match.end() :][:15]):
                return completed(base, before[0], "members", after, PARTNER, "partnership-between")
            with_it = WITH.search(sentence[: after[0].start - start]) if after else None
            if len(before) >= 2 and len(after) == 1 and not with_it:  # "A, B and C form the alliance X", "via X"
                return completed(base, after[0], "members", before, PARTNER, "partnership-forming")
            return completed(base, None, "partners", orgs)
    return None


def _along(sentence: str, start: int, after: list[Mention]) -> list[Mention]:
    """The organisations named "along with" or "together with" the first one after a trigger, in the same role."""
    along = ALONG.match(sentence, after[0].end - start)
    return [m for m in after[1:] if along and m.start >= start + along.end()]


def _named_group(sentence: str, start: int, orgs: list[Mention], pattern: re.Pattern[str]) -> Mention | None:
    """ "A, B and C work together in the EWUU alliance", "A collaborates in the X partnership": the group named
    right before a noun of partnership, when more than two are named or the sentence puts them in it."""
    for match in pattern.finditer(sentence):
        if match.group().lower() not in ("alliance", "partnership", "samenwerking"):  # a verb, not a group
            continue
        named = next(
            (m for m in orgs if m.end <= start + match.start() and not sentence[m.end - start : match.start()].strip()),
            None,
        )
        if named is not None and (len(orgs) >= 3 or IN_THE.search(sentence[: named.start - start])):
            return named
    return None


def _participation(sentence: str, start: int, orgs: list[Mention]) -> Candidate | None:
    """Members of the group a sentence is framed by ("In PLNT, A and B have joined forces") or that its
    organisations take part in ("A and B are involved with C in X")."""
    frame = FRAME.match(sentence)
    framed = frame and orgs[0].start == start + frame.end() and sentence[orgs[0].end - start :].startswith(",")
    if framed and TOGETHER.search(sentence):
        base = Candidate(sentence, start, None, "", found_by="rule:framed-members")
        return completed(base, orgs[0], "members", orgs[1:], MEMBER)
    match = PARTICIPATES.search(sentence)
    if match is None:
        return None
    holder = next((m for m in orgs if m.start >= start + match.end()), None)
    members = [m for m in orgs if m.end <= start + match.end() or (holder and m.end <= holder.start)]
    if holder is None or not members:
        return None
    base = Candidate(sentence, start, None, "", found_by="rule:participates")
    return completed(base, holder, "members", [m for m in members if m is not holder], {"role": "participant"})


def completed(
    base: Candidate,
    of: Mention | None,
    key: str,
    values: list[Mention],
    details: Mapping[str, object] | None = None,
    rule: str | None = None,
) -> Candidate | None:
    """`base` relating `of` to `values` (less `of` itself), or None when nothing is left to relate; `rule` names the
    branch of a trigger that found it, which confidence.py measures apart."""
    base.of, base.key = of, key
    base.found_by = f"rule:{rule}" if rule else base.found_by
    base.values = [v for v in values if of is None or (v.name.key or v.name.text) != (of.name.key or of.name.text)]
    base.details = dict(details or {})
    return base if base.values else None


def agreement_details(sentence: str) -> dict[str, object]:
    """What kind of agreement a sentence names, and when it was concluded, as precisely as the sentence says."""
    details: dict[str, object] = {"agreement-type": agreement_type(sentence)}
    if (date := stated_date(sentence)) is not None:
        details["concluded"] = date
    return details


def agreement_type(sentence: str) -> str:
    lower = sentence.lower()
    if "covenant" in lower or "convenant" in lower:
        return "covenant"
    if "cooperation agreement" in lower or "samenwerkingsovereenkomst" in lower:
        return "cooperation-agreement"
    if "partnership agreement" in lower:
        return "partnership-agreement"
    return "agreement"
