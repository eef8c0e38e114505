"""SPARQL 1.1 query results (JSON, XML, CSV, TSV) written from a capped list of solutions.

pyoxigraph serialises a whole result iterator; to stop at the row cap and say so in the body we write the four W3C
formats ourselves from the solutions we kept.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape as _escape
from json.encoder import encode_basestring  # type: ignore[attr-defined]

import pyoxigraph as ox


def escape(text: str) -> str:
    """XML character data (not xml.sax.saxutils: it imports urllib and ssl, 10 MB in every query worker)."""
    return _escape(text, quote=False)


def quoteattr(text: str) -> str:
    """A quoted XML attribute value; line breaks and tabs as references, so they survive attribute normalisation."""
    value = _escape(text, quote=True).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{value}"'


RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TRUNCATED_LINK = "https://w3id.org/partnergraph/ontology#truncated"
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps with options builds one per call
_string = encode_basestring  # a JSON string as _JSON writes one (the C encoder, non-ASCII kept)
Row = Sequence[object | None]


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _json_text(term: object) -> str:
    """A term as JSON text, written directly for the common kinds (half the time of building dicts to encode)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type": "uri", "value": ' + _string(term.value) + "}"  # type: ignore[attr-defined]
    if kind is ox.Literal:
        value = '{"type": "literal", "value": ' + _string(term.value)  # type: ignore[attr-defined]
        if term.language:  # type: ignore[attr-defined]
            return value + ', "xml:lang": ' + _string(term.language) + "}"  # type: ignore[attr-defined]
        datatype = term.datatype.value  # type: ignore[attr-defined]
        return value + (', "datatype": ' + _string(datatype) + "}" if datatype != XSD_STRING else "}")
    return _JSON.encode(_json_term(term))


def to_json(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    head: dict[str, object] = {"vars": variables}
    if truncated:
        head["link"] = [TRUNCATED_LINK]
    keys = [_string(variable) + ": " for variable in variables]
    bindings = ", ".join(
        "{" + ", ".join(key + _json_text(term) for key, term in zip(keys, row, strict=True) if term is not None) + "}"
        for row in rows
    )
    return ('{"head": ' + _JSON.encode(head) + ', "results": {"bindings": [' + bindings + "]}}").encode("utf-8")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def to_xml(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    if truncated:
        parts.append(f"<link href={quoteattr(TRUNCATED_LINK)}/>")
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        parts += [
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        ]
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


def _csv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def to_csv(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_term(t) for t in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_tsv(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def boolean(value: bool, token: str) -> bytes:
    if token == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if token == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return ("true\n" if value else "false\n").encode("utf-8")


SOLUTION_WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
