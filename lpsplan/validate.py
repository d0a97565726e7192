"""SHACL validation with a report people can read: which node, which rule, and
the source text the node came from."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH, SKOS

from .config import DEFAULT_ENGINE, SHACL_ENGINES
from .vocab import LPS, OA


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    shape: str
    path: str
    value: str
    message_en: str
    message_zh: str
    severity: str
    source_text: str
    location: str  # "start–end" offsets, or ""

    def describe(self) -> str:
        lines = [f"{self.severity}: {self.message_en}" + (f" / {self.message_zh}" if self.message_zh else "")]
        lines.append(f"  node:  <{self.focus}>" + (f"  {self.label}" if self.label else ""))
        if self.path:
            lines.append(f"  path:  {self.path}" + (f"  value: {self.value}" if self.value else ""))
        lines.append(f"  rule:  {self.shape}")
        if self.source_text:
            lines.append(f"  text [{self.location}]: {self.source_text}")
        return "\n".join(lines)


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def describe(self) -> str:
        if self.conforms:
            return f"conforms: {self.triples} triples, 0 violations"
        body = "\n\n".join(v.describe() for v in self.violations)
        return f"{body}\n\ndoes not conform: {len(self.violations)} violation(s) in {self.triples} triples"


@lru_cache(maxsize=4)
def _shapes(path: str, mtime: float) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def load_shapes(path: str | Path) -> Graph:
    p = Path(path)
    return _shapes(str(p), p.stat().st_mtime)


ENGINES = SHACL_ENGINES  # pyshacl-turbo (DEFAULT_ENGINE), pySHACL


def validate_graph(data: Graph, shapes: Graph, engine: str = DEFAULT_ENGINE, native: bool | None = None) -> Report:
    """Validate ``data`` against ``shapes`` (no inference: the graph states its types).

    ``engine`` is ``turbo`` (pyshacl-turbo, a Rust engine with pySHACL's API; the
    default, measured ~100× faster on the plan graph) or ``pyshacl`` (the
    reference; the test suite checks that both give the same results).
    ``native``: the SPARQL constraints :mod:`lpsplan.nativechecks` implements are
    evaluated there, in time linear in the graph, and the engine runs the rest
    (``False``: the engine runs every constraint; the results are the same).
    By default with pyshacl-turbo only: the reference engine runs every constraint.
    """
    if native is None:
        native = engine == "turbo"
    if engine == "turbo":
        from pyshacl_turbo import validate
    elif engine == "pyshacl":
        from pyshacl import validate
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}; one of {ENGINES}")
    natives, engine_shapes = [], shapes
    if native:
        from .nativechecks import Unsupported, add_results

        entry, results, done = _natives(shapes), Graph(), []
        for shape, constraint, check in entry[2]:
            try:
                natives.append(add_results(shapes, shape, constraint, data, results, check))
            except Unsupported:
                continue
            done.append(constraint)
        engine_shapes = _engine_shapes(entry, tuple(done))
    conforms, engine_results, _ = validate(
        data, shacl_graph=engine_shapes, inference="none", abort_on_first=False, allow_warnings=True, advanced=True
    )
    if natives:
        engine_results += results
        conforms = bool(conforms) and not any(natives)
    results = engine_results
    violations = [_violation(data, results, shapes, r) for r in results.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (v.focus, v.shape, v.path, v.value, v.message_en, v.message_zh, v.severity))
    return Report(bool(conforms), violations, len(data))


_NATIVES: dict[int, list] = {}
_NATIVES_LOCK = threading.Lock()  # the service validates writes from several threads


def _natives(shapes: Graph) -> list:
    """[shapes, size, the constraints a native check implements, {deactivated: engine shapes}], found once per
    shapes graph (load_shapes caches it)."""
    from .nativechecks import native_constraints

    key = id(shapes)
    with _NATIVES_LOCK:
        entry = _NATIVES.get(key)
        if entry is None or entry[0] is not shapes or entry[1] != len(shapes):
            if len(_NATIVES) > 8:
                _NATIVES.clear()
            entry = _NATIVES[key] = [shapes, len(shapes), native_constraints(shapes), {}]
        return entry


def _engine_shapes(entry: list, done: tuple) -> Graph:
    """The shapes with the constraints checked natively deactivated (sh:deactivated true), for the engine; the
    shapes graph itself is not changed."""
    shapes, copies = entry[0], entry[3]
    if not done:
        return shapes
    if done not in copies:
        out = Graph()
        for t in shapes:
            out.add(t)
        for constraint in done:
            out.add((constraint, SH.deactivated, Literal(True)))
        copies[done] = out
    return copies[done]


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in (("lps", str(LPS._NS)), ("skos", str(SKOS)), ("dcterms", str(DCTERMS)), ("prov", str(PROV)), ("oa", str(OA))):
            if str(term).startswith(ns):
                return f"{prefix}:{str(term)[len(ns):]}"
        if "#" in str(term):
            return str(term).rsplit("#", 1)[1]
        return str(term)
    if isinstance(term, Literal):
        return str(term)
    return "(a shape without a name)" if term is not None else ""


def _violation(data: Graph, results: Graph, shapes: Graph, r) -> Violation:
    focus = results.value(r, SH.focusNode)
    shape = results.value(r, SH.sourceShape)
    path = results.value(r, SH.resultPath)
    messages = list(results.objects(r, SH.resultMessage))
    # SPARQL-constraint messages come back without their language tags, so tell them apart by script too
    # (an English message may quote Chinese values, so the one with the most Chinese characters is the Chinese one)
    zh = next((str(m) for m in messages if getattr(m, "language", None) == "zh"), "") or max(
        (str(m) for m in messages if _has_cjk(str(m))), key=lambda t: sum("\u4e00" <= ch <= "\u9fff" for ch in t) / len(t), default="")
    en = next((str(m) for m in messages if str(m) != zh and getattr(m, "language", None) in ("en", None)), "")
    shape_name = _short(shape) if isinstance(shape, URIRef) else _parent_shape(shapes, results, shape)
    text, where = _source_text(data, focus)
    return Violation(
        focus=str(focus),
        label=_label(data, focus),
        shape=shape_name,
        path=_short(path) if isinstance(path, URIRef) else ("" if path is None else "(complex path)"),
        value=_short(results.value(r, SH.value)),
        message_en=en or zh,
        message_zh=zh if en else "",
        severity=_short(results.value(r, SH.resultSeverity)),
        source_text=text,
        location=where,
    )


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _parent_shape(shapes: Graph, results: Graph, shape) -> str:
    # property shapes are blank nodes; name them by the node shape that holds them
    for graph in (shapes, results):
        for prop in (SH.property, SH.sparql):
            parent = graph.value(None, prop, shape)
            if isinstance(parent, URIRef):
                return _short(parent)
    return "(a shape without a name)"


def _label(g: Graph, node) -> str:
    for prop in (SKOS.prefLabel, DCTERMS.title, LPS.writtenForm, LPS.indicator):
        values = list(g.objects(node, prop))
        zh = [v for v in values if getattr(v, "language", None) == "zh"] or values
        if zh:
            return str(zh[0])
    return ""


def _source_text(g: Graph, node, limit: int = 80) -> tuple[str, str]:
    for resource in g.objects(node, PROV.wasDerivedFrom):
        selector = g.value(resource, OA.hasSelector)
        source = g.value(resource, OA.hasSource)
        start, end = g.value(selector, OA.start), g.value(selector, OA.end)
        content = g.value(source, LPS.content)
        if None in (start, end, content):
            continue
        s, e = int(start), int(end)
        text = str(content)[s:e]
        return (text if len(text) <= limit else text[: limit - 1] + "…"), f"{s}–{e}"
    return "", ""


def parse_graph(path: str | Path) -> Graph:
    """Read an RDF file for validation; a missing or malformed file is a one-line error."""
    from rdflib.util import guess_format

    from .errors import SourceError

    p = Path(path)
    if not p.is_file():
        hint = "; run `lpsplan build` first" if p.name == "plan.ttl" else ""
        raise SourceError(f"no such file{hint}" if not p.exists() else "not a regular file", path=p)
    fmt = guess_format(str(p)) or "turtle"
    if fmt in OXIGRAPH_READS:
        return _oxigraph_graph(p, fmt)
    g = Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as exc:  # noqa: BLE001 - rdflib raises many parser-specific types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(f"not valid {fmt}: {first}", path=p) from None
    return g


# the formats read by Oxigraph's parsers (rdflib's name → media type), as the service reads an upload, with its checks:
# rdflib's JSON-LD reader fetched every @context and @import URL a file named (http: requests, file: reads), its
# RDF/XML reader expanded nested entities without bound (1 KB of "billion laughs": minutes), and its Turtle reader
# took minutes over a long string of escaped quotes (9 MB); what Oxigraph does not read (N3, TriX, HexTuples) stays rdflib's
OXIGRAPH_READS = {"turtle": "text/turtle", "nt": "application/n-triples", "nt11": "application/n-triples",
                  "nquads": "application/n-quads", "trig": "application/trig", "xml": "application/rdf+xml",
                  "json-ld": "application/ld+json"}


def _oxigraph_graph(p: Path, fmt: str) -> Graph:
    """An RDF file read by Oxigraph's parser (the graphs of a dataset merged), as an rdflib graph for the validators."""
    from .errors import LpsplanError, SourceError
    from .sparql.uploads import parse_rdf

    try:
        triples = parse_rdf(p.read_bytes(), OXIGRAPH_READS[fmt], p.resolve().as_uri())
    except LpsplanError as exc:
        raise SourceError(f"not valid {fmt}: {str(exc).strip().splitlines()[0]}", path=p) from None
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", path=p) from None
    return rdflib_graph(triples)


# rdflib logs a warning with a traceback for every literal whose text does not fit its datatype ("x"^^xsd:integer) each
# time one is built; the write gate builds the whole store for the validators on every write, so one such literal, stored
# once with the token, wrote a traceback to the service's log on every later write.  sh:datatype judges such literals.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)


def rdflib_graph(triples) -> Graph:
    """Oxigraph's triples as an rdflib graph for the validators, term by term: rdflib's N-Triples reader
    is quadratic in a line's length and in a literal's escapes (one 9 MB literal took minutes).  A quoted
    triple (RDF-star) is a ValueError: the validators cannot take one."""
    g = Graph()
    for t in triples:
        g.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return g


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(term):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # a simple literal is rdflib's untyped one (as its own readers give it): sh:in and sh:hasValue compare them exactly
        return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise ValueError(f"a quoted triple cannot be validated: {term}")
