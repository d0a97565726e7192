"""The embedded store: Oxigraph (pyoxigraph) holding the plan graph.

SPARQL goes to Oxigraph as a string.  (A prepared rdflib ``Query`` object would
fall back to rdflib's own engine, which measured ~130× slower on the
co-ownership aggregate at 0.76 M triples.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from .errors import LpsplanError
from .sparql.rows import CONVERT, Rows

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class StoreError(LpsplanError):
    """A query or load the store refused."""


_NUMERIC_TYPES = {ox.NamedNode(iri): convert for iri, convert in CONVERT.items()}


def python_value(term) -> object:
    """An Oxigraph term as a plain Python value: IRIs and strings as str, numbers as numbers.
    (Called for every value of every row: the datatype is looked up as a node, not as a new string.)"""
    if type(term) is ox.Literal:
        convert = _NUMERIC_TYPES.get(term.datatype)
        if convert:
            try:
                return convert(term.value)
            except (ValueError, ArithmeticError):
                return term.value
        return term.value
    return None if term is None else term.value


class Store:
    """A thin wrapper over ``pyoxigraph.Store`` that speaks plain Python values."""

    def __init__(self, store: ox.Store):
        self.ox = store

    @classmethod
    def memory(cls) -> "Store":
        return cls(ox.Store())

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> "Store":
        return cls(ox.Store(str(path)))

    def __len__(self) -> int:
        return len(self.ox)

    def load(self, data: bytes | str, format: str = "turtle", graph: str | None = None, base_iri: str | None = None) -> None:
        """Load RDF in one transaction: all of it or, on a syntax error, none of it."""
        try:
            self.ox.load(
                data, format=FORMATS[format], base_iri=base_iri, to_graph=ox.NamedNode(graph) if graph else None
            )
        except SyntaxError as exc:
            raise StoreError(f"cannot load the data: {exc}") from None

    def load_file(self, path: str | os.PathLike[str], graph: str | None = None) -> None:
        p = Path(path)
        fmt = p.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise StoreError(f"{p}: unknown RDF format {p.suffix!r}")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise StoreError(f"{p}: {exc.strerror}") from None
        try:
            self.load(data, fmt, graph)
        except StoreError as exc:
            raise StoreError(f"{p}: {exc}") from None

    def query(self, sparql: str, **options):
        """Run a SPARQL query string; the raw pyoxigraph result."""
        try:
            return self.ox.query(sparql, **options)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None

    def select(self, sparql: str, **options) -> Rows:
        """A SELECT query's rows as dicts of plain values (unbound variables are None), typed as
        :meth:`lpsplan.sparql.backend.Backend.select` types a server's answer."""
        result = self.query(sparql, **options)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return Rows([dict(zip(names, map(python_value, row))) for row in result], names)

    def ask(self, sparql: str, **options) -> bool:
        result = self.query(sparql, **options)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("ask() needs an ASK query")
        return bool(result)


def require_built(settings) -> None:
    """Reading needs a built plan graph (the service builds it; a reader says how)."""
    if not settings.plan_graph_file.is_file():
        raise StoreError(f"{settings.plan_graph_file}: no built graph; run `lpsplan build` first")


def open_plan_store(settings) -> Store:
    """The embedded store read in this process, without the writer's lock (so it can be read while
    `lpsplan serve` runs): the service's snapshot when it is current, else the plan graph, the
    ontology and the curated observations — decided by the service's own freshness check.
    Libraries and the CLI read through :class:`lpsplan.project.Project`; this is its embedded reader."""
    from .service import load_embedded_store

    require_built(settings)
    store, _ = load_embedded_store(settings, writing=False)
    return Store(store)
