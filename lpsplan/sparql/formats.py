"""SPARQL result and RDF formats, content negotiation, and streaming serializers
with a row cap.

SELECT/ASK results: JSON, XML, CSV, TSV (W3C SPARQL 1.1 Query Results formats).
CONSTRUCT/DESCRIBE and graphs: Turtle, N-Triples, JSON-LD, RDF/XML (and N-Quads/TriG for datasets).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..source import NOT_XML, xml_safe_text
from .errors import NotAcceptableError, ResultTooLarge

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
RESULT_DEFAULT = "application/sparql-results+json"
RESULT_ALIASES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}

RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
RDF_DEFAULT = "text/turtle"
RDF_ALIASES = {"turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
               "jsonld": "application/ld+json", "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
               "xml": "application/rdf+xml"}


class NotAcceptable(NotAcceptableError):
    """Nothing the client accepts can be produced (HTTP 406)."""


class TooManyRows(ResultTooLarge):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the result has more than {limit:,} rows; add a LIMIT or narrow the query")


@dataclass(frozen=True)
class Accept:
    type: str
    q: float
    order: int


def parse_accept(header: str | None) -> list[Accept]:
    if not header:
        return [Accept("*/*", 1.0, 0)]
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append(Accept(media, q, i))
    return out


def negotiate(header: str | None, offered: list[str], default: str) -> str:
    """The offered media type the Accept header prefers (q-values, then specificity, then order)."""
    best: tuple[float, int, int, int] | None = None
    choice = None
    for rank, media in enumerate(offered):
        major = media.split("/")[0]
        for a in parse_accept(header):
            if a.type == media:
                spec = 2
            elif a.type == f"{major}/*":
                spec = 1
            elif a.type == "*/*":
                spec = 0
            else:
                continue
            if a.q <= 0:
                continue
            key = (a.q, spec, -a.order if spec else 0, -rank if media != default else 1)
            if best is None or key > best:
                best, choice = key, media
    if choice is None:
        raise NotAcceptable(f"none of the types in the Accept header can be produced; offered: {', '.join(offered)}")
    return choice


def result_media(header: str | None, explicit: str | None = None) -> str:
    if explicit:
        return _explicit(explicit, RESULT_ALIASES, RESULT_TYPES)
    offered = [RESULT_DEFAULT, "application/sparql-results+xml", "text/csv", "text/tab-separated-values", "application/json", "application/xml"]
    return negotiate(header, offered, RESULT_DEFAULT)


def rdf_media(header: str | None, explicit: str | None = None, dataset: bool = False) -> str:
    if explicit:
        return _explicit(explicit, RDF_ALIASES, RDF_TYPES)
    offered = GRAPH_TYPES + (["application/n-quads", "application/trig"] if dataset else []) + ["text/plain"]
    return negotiate(header, offered, RDF_DEFAULT)


def _explicit(value: str, aliases: dict[str, str], types: dict) -> str:
    media = aliases.get(value.lower(), value.lower())
    if media not in types:
        raise NotAcceptable(f"unknown format {value[:40]!r}; use one of: {', '.join(aliases)}")
    return media


# ---------------------------------------------------------------- serializers


def _term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _term_json(t.subject), "predicate": _term_json(t.predicate), "object": _term_json(t.object)}}


def _xml_text(value: str) -> str:
    return escape(xml_safe_text(value))  # a literal XML cannot carry (source.NOT_XML) made the whole answer no XML


def _term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_text(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_text(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{_xml_text(t.value)}</literal>"
        if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(t.datatype.value)}>{_xml_text(t.value)}</literal>"
        return f"<literal>{_xml_text(t.value)}</literal>"
    return f"<literal>{_xml_text(str(t))}</literal>"


def _term_tsv(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.Literal):
        text = t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        if t.language:
            return f'"{text}"@{t.language}'
        if t.datatype.value in ("http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
                                "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#boolean"):
            return t.value
        if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{text}"^^<{t.datatype.value}>'
        return f'"{text}"'
    return str(t)


def serialize_boolean(value: bool, media: str) -> bytes:
    fmt = RESULT_TYPES[media]
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    # CSV and TSV define no boolean form; answer with a one-cell table
    header = "_askResult" if fmt == "csv" else "?_askResult"
    return f"{header}\n{'true' if value else 'false'}\n".encode()


BATCH = 1024  # rows serialised per write: large answers stream, small ones cost one write


def write_solutions(solutions, media: str, max_rows: int, out) -> None:
    """Write pyoxigraph QuerySolutions to ``out`` in batches, refusing more than ``max_rows`` rows."""
    fmt = RESULT_TYPES[media]
    names = [v.value for v in solutions.variables]
    head, row_text, sep, tail = _LAYOUT[fmt](names)
    out.write(head.encode("utf-8"))
    count, batch = 0, []
    for row in solutions:
        if count >= max_rows:
            raise TooManyRows(max_rows)
        batch.append([row[n] for n in names])
        count += 1
        if len(batch) == BATCH:
            out.write(((sep if count > BATCH else "") + row_text(batch)).encode("utf-8"))
            batch = []
    if batch:
        out.write(((sep if count > len(batch) else "") + row_text(batch)).encode("utf-8"))
    out.write(tail.encode("utf-8"))


def _json_layout(names):
    def rows(batch):
        return json.dumps([{n: _term_json(t) for n, t in zip(names, r, strict=True) if t is not None} for r in batch], ensure_ascii=False)[1:-1]

    head = json.dumps({"head": {"vars": names}}, ensure_ascii=False)[:-1] + ', "results": {"bindings": ['
    return head, rows, ", ", "]}}"


def _xml_layout(names):
    def rows(batch):
        return "".join("<result>" + "".join(f"<binding name={quoteattr(n)}>{_term_xml(t)}</binding>"
                                            for n, t in zip(names, r, strict=True) if t is not None) + "</result>" for r in batch)

    head = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head><results>")
    return head, rows, "", "</results></sparql>\n"


def _csv_layout(names):
    def rows(batch):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerows(["" if t is None else t.value for t in r] for r in batch)
        return buf.getvalue()

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(names)
    return buf.getvalue(), rows, "", ""


def _tsv_layout(names):
    def rows(batch):
        return "".join("\t".join(_term_tsv(t) for t in r) + "\n" for r in batch)

    return "\t".join(f"?{n}" for n in names) + "\n", rows, "", ""


_LAYOUT = {"json": _json_layout, "xml": _xml_layout, "csv": _csv_layout, "tsv": _tsv_layout}


def xml_safe(triples):
    """The triples with each literal XML 1.0 cannot carry written with U+FFFD for those characters (as the XML results
    do): Oxigraph writes them into RDF/XML as they are, and one ``"a\u0001b"`` made the whole document unreadable.
    IRIs and blank nodes never hold them (Oxigraph refuses such IRIs on the way in)."""
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and NOT_XML.search(o.value):
            value = xml_safe_text(o.value)
            o = (ox.Literal(value, language=o.language, direction=o.direction) if o.language  # ar--rtl keeps its direction
                 else ox.Literal(value, datatype=o.datatype))
            t = ox.Triple(t.subject, t.predicate, o)
        yield t


def write_triples(triples, media: str, max_rows: int, out) -> None:
    """Write CONSTRUCT/DESCRIBE triples to ``out`` as they come, refusing more than ``max_rows``."""
    def capped():
        for i, t in enumerate(triples):
            if i >= max_rows:
                raise TooManyRows(max_rows)
            yield t

    rdf = RDF_TYPES[media]
    ox.serialize(xml_safe(capped()) if rdf == ox.RdfFormat.RDF_XML else capped(), out, format=rdf)


def dump_graph(store, graph, media: str, out=None):
    """A graph of ``store`` written in ``media``: Oxigraph's own dump, but RDF/XML through ``xml_safe``."""
    rdf = RDF_TYPES[media]
    if rdf != ox.RdfFormat.RDF_XML:
        return store.dump(out, format=rdf, from_graph=graph)
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph))
    return ox.serialize(xml_safe(triples), out, format=rdf)


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else media
