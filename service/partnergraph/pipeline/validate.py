"""Validate a graph against the SHACL shapes and report results a curator can act on."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..vocab import OA, PROV, RDF, SH

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True)
class Result:
    severity: str
    focus: Node
    path: Node | None
    message: str
    shape: Node | None
    component: Node | None
    value: Node | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    graph: Graph

    @property
    def violations(self) -> list[Result]:
        return [result for result in self.results if result.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        """True when nothing is a Violation: warnings and infos advise, they do not block publishing."""
        return not self.violations

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)


def validate(data: Graph, shapes: Graph) -> Report:
    """Run pyshacl without inference (RDFS inference would hide range errors) and collect the results."""
    _, report_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True, advanced=True
    )
    assert isinstance(report_graph, Graph)
    results = []
    for report in report_graph.subjects(RDF.type, SH.ValidationReport):
        for node in report_graph.objects(report, SH.result):  # top-level results only, not nested sh:detail
            results.append(_result(report_graph, node, data))
    results.sort(key=lambda r: (SEVERITY_ORDER.get(SH[r.severity], 3), str(r.focus), str(r.path), r.message))
    return Report(tuple(results), report_graph)


def _result(report: Graph, node: Node, data: Graph) -> Result:
    def one(predicate: URIRef) -> Node | None:
        return report.value(node, predicate)

    severity = one(SH.resultSeverity)
    focus = one(SH.focusNode)
    assert focus is not None
    messages = sorted(str(message) for message in report.objects(node, SH.resultMessage))
    return Result(
        severity=str(severity).rsplit("#", 1)[-1],
        focus=focus,
        path=one(SH.resultPath),
        message=messages[0] if messages else "(no message)",
        shape=one(SH.sourceShape),
        component=one(SH.sourceConstraintComponent),
        value=one(SH.value),
        sources=_sources(data, focus),
    )


def _sources(data: Graph, focus: Node) -> tuple[str, ...]:
    """The source documents behind a node: its own, or those of the claims about it."""
    documents = set(data.objects(focus, PROV.wasDerivedFrom)) | set(data.objects(focus, OA.hasSource))
    for claim in data.subjects(RDF.subject, focus):
        documents |= set(data.objects(claim, PROV.wasDerivedFrom))
    return tuple(sorted(str(document).rsplit("/", 1)[-1] for document in documents))


def format_report(report: Report, show_infos: bool = False) -> str:
    """A plain-text report: one block per result with node, shape, message and source documents."""
    lines = []
    for result in report.results:
        if result.severity == "Info" and not show_infos:
            continue
        lines.append(f"{result.severity}: {result.message}")
        lines.append(f"  node:   {result.focus}")
        if result.path is not None:
            lines.append(f"  path:   {result.path}")
        if result.value is not None:
            lines.append(f"  value:  {result.value}")
        lines.append(f"  shape:  {result.shape}")
        if result.sources:
            lines.append(f"  source: {', '.join(result.sources)}")
    counts = ", ".join(f"{report.count(level)} {level.lower()}(s)" for level in ("Violation", "Warning", "Info"))
    lines.append(f"{'Conforms' if report.conforms else 'Does not conform'}: {counts}")
    return "\n".join(lines)


def summarise_report(report: Report, where: str) -> str:
    """Violations in full (each one blocks publishing); warnings and infos one line per shape, with how many and
    a few of the nodes, and where the whole report is (`where`): a build's output stays one screen long."""
    lines = format_report(Report(tuple(report.violations), report.graph)).splitlines()[:-1]
    for level in ("Warning", "Info"):
        by_shape: dict[str, list[Result]] = {}
        for result in report.results:
            if result.severity == level:
                by_shape.setdefault(_short(result.shape), []).append(result)
        for shape, results in sorted(by_shape.items(), key=lambda item: (-len(item[1]), item[0])):
            nodes = [_short(result.focus) for result in results]
            more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
            lines.append(f"{level} x{len(results)} {shape}: {', '.join(nodes[:3])}{more}")
    counts = ", ".join(f"{report.count(level)} {level.lower()}(s)" for level in ("Violation", "Warning", "Info"))
    lines.append(f"{'Conforms' if report.conforms else 'Does not conform'}: {counts}; the whole report: {where}")
    return "\n".join(lines)


def _short(node: Node | None) -> str:
    """A node named by its path under /id/ (org/arcart) or its last segment (shapes#AgreementDateShape)."""
    text = str(node)
    if "#" in text:
        return text.rsplit("/", 1)[-1]
    return text.split("/id/", 1)[1] if "/id/" in text else "/".join(text.rsplit("/", 2)[-2:])
