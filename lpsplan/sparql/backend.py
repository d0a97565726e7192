"""What the service needs from a store, and the SHACL gate every write passes.

Two backends implement it: :class:`~lpsplan.sparql.embedded.EmbeddedBackend`
(Oxigraph in this process, queries in killable worker processes) and
:class:`~lpsplan.sparql.remote.RemoteBackend` (any SPARQL 1.1 server over HTTP).
"""

from __future__ import annotations

import contextlib
import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph

from ..config import DEFAULT_ENGINE
from ..validate import Report, rdflib_graph, validate_graph
from .cache import AnswerCache
from .errors import (
    GraphNotFound,
    InternalError,
    NotAcceptableError,
    ProtocolError,
    QuerySyntaxError,
    Refused,
    ResultTooLarge,
    StructureRemoved,
    UpdateRejected,
    UpstreamError,
)
from .messages import Answer, Outcome, Result
from .rows import Rows
from .text import MAX_STRUCTURE, add_using, fetches_remote, has_dataset_clause, structure
from .uploads import QUOTED, _refuse_deep_json, _refuse_entity_expansion, _syntax_error, rdf_format

UNION_DUMP = "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_KIND = ("SELECT DISTINCT ?g ?x WHERE {{ {{ ?x a <{cls}> }} UNION {{ GRAPH ?g {{ ?x a <{cls}> }} }} }}")
ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
PLAN = "https://w3id.org/lpsplan/ontology#Plan"
PART_OF = "http://purl.org/dc/terms/isPartOf"

log = logging.getLogger("lpsplan.store")


@dataclass(frozen=True)
class Structure:
    """What no write may take away in part: the ontologies and the plans in a store, each with the graph
    that holds it ("" for the default graph): moving one out of the default graph (`MOVE DEFAULT TO <g>`)
    takes it from where the questions read it."""

    ontologies: frozenset[tuple[str, str]]
    plans: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, store: ox.Store) -> Structure:
        def nodes(cls_iri: str) -> frozenset[tuple[str, str]]:
            return frozenset((s["g"].value if s["g"] is not None else "", s["x"].value)
                             for s in store.query(_KIND.format(cls=cls_iri)) if isinstance(s["x"], ox.NamedNode))

        return cls(nodes(ONTOLOGY), nodes(PLAN))


def _where(graph: str) -> str:
    return f"graph <{graph}>" if graph else "the default graph"


def check_removals(before: Structure, after: ox.Store) -> None:
    """Refuse a write that removes required structure: an ontology, part of a plan (a plan goes
    whole — every node under its IRI, and every reference to one — or not at all), the last
    section of a plan that stays, or an ontology or plan taken out of the default graph (moved or
    copied over: the questions read the built plan there).  A copy in a named graph may go while
    another stays.  SHACL sees only what is left, so it cannot see what went."""
    now = Structure.of(after)
    ontologies, staying = {iri for _, iri in now.ontologies}, {iri for _, iri in now.plans}

    def gone(was: frozenset, kept: frozenset, still: set) -> list[tuple[str, str]]:  # from everywhere, or from the default graph
        return sorted((graph, iri) for graph, iri in was - kept if not graph or iri not in still)

    for graph, iri in gone(before.ontologies, now.ontologies, ontologies):
        raise StructureRemoved(f"the write would remove the ontology <{iri}> from {_where(graph)}, which the service's "
                               "questions and pages need")
    for _, plan in gone(before.plans, now.plans, staying):
        if plan in staying:
            raise StructureRemoved(f"the write would move plan <{plan}> out of the default graph: the built plan stays there")
        trace = (f'ASK {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} '
                 f'FILTER((isIRI(?s) && (STR(?s) = "{plan}" || STRSTARTS(STR(?s), "{plan}/"))) || '
                 f'(isIRI(?o) && (STR(?o) = "{plan}" || STRSTARTS(STR(?o), "{plan}/")))) }}')
        if bool(after.query(trace)):
            raise StructureRemoved(f"the write would remove plan <{plan}> in part: remove all of it (lpsplan remove, or "
                                   "DELETE its graph) or none of it")
    for plan in sorted(staying & {plan for _, plan in before.plans}):
        if not bool(after.query(f"ASK {{ {{ ?s <{PART_OF}> <{plan}> }} UNION {{ GRAPH ?g {{ ?s <{PART_OF}> <{plan}> }} }} }}")):
            raise StructureRemoved(f"the write would leave plan <{plan}> without any section")


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0
    max_rows: int = 100_000
    max_answer: int = 128 * 2**20  # bytes of one answer, in memory or spooled to disk
    allow_remote: bool = False  # SERVICE and LOAD


class Backend(ABC):
    """The store behind the service.

    ``generation`` counts the writes this backend has committed to its store; ``cache`` holds
    answers of the current generation (see :mod:`.cache`).  A backend that cannot know when its
    data changes (a server others may write to) keeps its cache disabled (``cache_entries=0``)."""

    kind = "abstract"

    def __init__(self, shapes: Graph | None, limits: Limits, engine: str = DEFAULT_ENGINE, cache_entries: int = 0):
        self.shapes = shapes
        self.limits = limits
        self.engine = engine
        self.generation = 0
        self.cache = AnswerCache(cache_entries)

    # -- reading --------------------------------------------------------
    @abstractmethod
    def query(self, query: str, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None,
              adhoc: bool = False, stream: bool = False) -> Answer:
        """Evaluate a query.  ``adhoc``: a query sent by a client (the /sparql endpoint), as opposed to the
        service's own fixed queries (named questions, pages, networks); backends may give the latter room
        that runaway ad-hoc queries cannot take.  ``stream``: the caller can send a large answer on from
        ``Answer.spool`` instead of holding it in memory."""

    def answer_key(self, query: str, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None) -> tuple:
        """Everything a query's answer depends on, besides the store's generation: its cache key."""
        return (query, tuple(default_graphs), tuple(named_graphs), accept, fmt, base_iri)

    def cached(self, query: str, **options) -> Answer | None:
        """The cached answer :meth:`query` would give (same keyword arguments, without ``adhoc`` and
        ``stream``), or None: no evaluation, no worker, no thread."""
        return self.cache.get(self.generation, self.answer_key(query, **options), count_miss=False)

    def runs_here(self, query: str) -> str | None:
        """Whether :meth:`query` would evaluate this ad-hoc query (no dataset) in this process now:
        "inline" (fast enough for the caller's own thread), "thread", or None (elsewhere: a worker
        process or a server)."""
        return None

    def select(self, query: str) -> Rows:
        """A SELECT as typed rows (see :mod:`.rows`): the read path of the library and the CLI."""
        answer = self.query(query, fmt="json")
        if answer.spool is not None:
            with answer.spool as fh:
                return Rows.from_json(fh.read())
        return Rows.from_json(answer.body)

    def ask(self, query: str) -> bool:
        """An ASK's answer."""
        doc = json.loads(self.query(query, fmt="json").body)
        if "boolean" not in doc:
            raise ProtocolError("ask() needs an ASK query")
        return bool(doc["boolean"])

    @abstractmethod
    def get_graph(self, graph: str | None, accept: str | None) -> Answer:
        """A graph's content; a large one may come as ``Answer.spool``."""

    @abstractmethod
    def has_graph(self, graph: str | None) -> bool: ...

    @abstractmethod
    def triples(self) -> int: ...

    # -- writing (every write passes the SHACL gate) ---------------------
    @abstractmethod
    def update(self, update: str, *, using=(), using_named=(), base_iri=None) -> None: ...

    @abstractmethod
    def put_graph(self, graph: str | None, data: bytes, media: str, validated: bool = False) -> bool: ...

    @abstractmethod
    def post_graph(self, graph: str | None, data: bytes, media: str) -> bool: ...

    @abstractmethod
    def delete_graph(self, graph: str | None) -> None: ...

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        pass

    @contextlib.contextmanager
    def batch(self):
        """Many writes in a row (ingesting a corpus).  Here each write stands alone; the embedded store
        defers its snapshot to the end."""
        yield self

    # -- shared helpers --------------------------------------------------
    def refuse_remote_fetch(self, text: str) -> str | None:
        """Refuse a query or update that could fetch a URL (decided on its tokens: see :mod:`.text`)
        unless this server allows it; returns the keyword found, if allowed.  Refuse one whose parse
        tree could be deeper than the SPARQL parser's stack takes, too (see :func:`.text.structure`):
        Oxigraph's parser recurses, and 2,500 nested groups or 10,000 ``UNION``s end the process that
        parses them — a query worker, or the service itself for an update."""
        nesting = structure(text)
        if nesting > MAX_STRUCTURE:
            raise QuerySyntaxError(f"the text nests too deeply: {nesting:,} brackets, operators and UNION/OPTIONAL/MINUS/BIND/"
                                   f"VALUES; this server parses at most {MAX_STRUCTURE:,}")
        word = fetches_remote(text)
        if word and not self.limits.allow_remote:
            raise Refused(f"{word} is disabled on this server: it would make the server fetch a URL "
                          "(LPSPLAN_ALLOW_SERVICE=1, or `lpsplan serve --allow-service`, enables SERVICE and LOAD; a prefix or word that starts with "
                          "'service' or 'load' counts too, since parsers read SERVICEx:a as SERVICE x:a — rename it)")
        return word

    def prepare_update(self, update: str, using=(), using_named=()) -> str:
        """Refuse LOAD unless allowed, and fold the protocol's using-graph-uri parameters into the update."""
        self.refuse_remote_fetch(update)
        if using or using_named:
            if has_dataset_clause(update):
                raise ProtocolError("the update has USING/WITH and the request has using-graph-uri/using-named-graph-uri: use one or the other")
            update = add_using(update, list(using), list(using_named))
        return update

    def gate(self, candidate: ox.Store, before: Structure | None = None) -> Report:
        """Validate what a write would leave; raise UpdateRejected if it breaks a shape, and
        StructureRemoved if (given what was there ``before``) it removes required structure."""
        if before is not None:
            check_removals(before, candidate)
        if self.shapes is None:
            return Report(True)
        results, graph = candidate.query(UNION_DUMP), None
        with contextlib.suppress(ValueError):  # a quoted triple (was a 500); term by term, never through rdflib's
            graph = rdflib_graph(results)  # N-Triples reader (quadratic in a line: a 9 MB literal took 278 s)
        del results  # Oxigraph's iterator is freed in the thread that made it (an error kept to be raised would hold it)
        if graph is None:
            raise ProtocolError(QUOTED)
        report = validate_graph(graph, self.shapes, engine=self.engine)
        del graph
        if len(candidate) > 50_000:
            trim_memory()  # validating a large write builds many Python objects; give their pages back
        if not report.conforms:
            raise UpdateRejected(report)
        return report


_libc = None


def trim_memory() -> None:
    """Return free heap pages to the system (glibc's malloc_trim), so the process shrinks back after
    a large request or write; a no-op where there is no glibc."""
    global _libc
    if _libc is False:
        return
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):
        _libc = False


def apply_update(candidate: ox.Store, update: str, base_iri: str | None) -> None:
    """Run an update on a candidate store, with Oxigraph's errors as protocol errors."""
    from .worker import syntax_message

    try:
        candidate.update(update, base_iri=base_iri)
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(exc)) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: an operation on a graph that does not exist (was a 500)
        raise ProtocolError(f"the update failed: {exc}") from None


def apply_graph_write(candidate: ox.Store, method: str, graph: str | None, triples: list) -> None:
    """A Graph Store write on a candidate store: PUT replaces, POST merges, DELETE drops."""
    node = graph_node(graph)
    if method == "DELETE":
        if graph is None:
            candidate.clear_graph(node)
        else:
            candidate.remove_graph(node)
        return
    if method == "PUT" and (graph is None or candidate.contains_named_graph(node)):
        candidate.clear_graph(node)
    if graph is not None:
        candidate.add_graph(node)
    candidate.extend([ox.Quad(t.subject, t.predicate, t.object, node) for t in triples])


def graph_node(graph: str | None):
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def load_rdf(store: ox.Store, data: bytes, media: str, graph: str) -> None:
    """Parse an uploaded graph straight into ``store``'s named graph ``graph``, in one transaction
    (nothing written when it does not parse: a 400), without a Python object per triple."""
    fmt = rdf_format(media)
    _refuse_deep_json(data, fmt)
    _refuse_entity_expansion(data, fmt)
    try:
        store.load(data, format=fmt, base_iri=graph, to_graph=ox.NamedNode(graph))
    except SyntaxError as exc:
        raise _syntax_error(media, exc) from None


def require_graph(exists: bool, graph: str | None) -> None:
    if not exists:
        raise GraphNotFound(f"no graph {graph}" if graph else "no default graph")


def select_rows(backend: Backend, query: str) -> list[dict[str, str]]:
    """A SELECT through any backend, as rows of plain strings (unbound: absent)."""
    answer = backend.query(query, fmt="json")
    doc = json.loads(answer.body)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def answer_of(result: Result) -> Answer:
    """A query's outcome as an answer or an error.  Messages that may carry bytes from another host
    (a SERVICE call's failure) or the server's internals are logged, never sent to the client."""
    outcome, detail = result.outcome, result.detail
    if outcome is Outcome.OK:
        return Answer(detail, result.body)
    if outcome is Outcome.SYNTAX:
        raise QuerySyntaxError(detail)
    if outcome is Outcome.NOT_ACCEPTABLE:
        raise NotAcceptableError(detail)
    if outcome is Outcome.TOO_LARGE:
        raise ResultTooLarge(detail)
    if outcome is Outcome.UPSTREAM:
        log.warning("a SERVICE call failed: %s", detail)
        raise UpstreamError("a SERVICE call failed or answered something that could not be read; the details are in the server's log")
    if outcome is Outcome.ERROR:
        log.warning("a query failed: %s", detail)
        raise ProtocolError("the query could not be evaluated (the store or the answer's spool failed); the details are in the server's log")
    log.error("a query worker failed: %s", detail)
    raise InternalError("internal error while evaluating the query; the details are in the server's log")
