"""A store read in this process: the backend a process without a service reads through.

:class:`LocalBackend` is a :class:`~lpsplan.sparql.backend.Backend` over an Oxigraph store
held here — the snapshot's on-disk mirror opened read-only (a cold ``lpsplan query`` at a
million quads opens it in milliseconds), or a store loaded in memory — and only reads: no
query workers, no answer cache, no writes (those go through the embedded backend, which
holds the writer's lock).  :func:`lpsplan.sparql.open.open_reader` opens one.

:meth:`LocalBackend.select` reads the solutions straight into typed :class:`.rows.Rows`,
by the same rules as a server's JSON answer, without writing and parsing JSON in between.
"""

from __future__ import annotations

import contextlib

import pyoxigraph as ox

from .backend import Answer, Backend, Limits, answer_of, graph_node, require_graph
from .errors import ProtocolError, QuerySyntaxError, Refused, UpstreamError
from .formats import dump_graph, rdf_media
from .rows import CONVERT, Rows

_NUMERIC_TYPES = {ox.NamedNode(iri): convert for iri, convert in CONVERT.items()}


def python_value(term) -> object:
    """An Oxigraph term as a plain Python value (see :mod:`.rows`).  Called for every value of
    every row: the datatype is looked up as a node, not as a new string."""
    if type(term) is ox.Literal:
        convert = _NUMERIC_TYPES.get(term.datatype)
        if convert:
            try:
                return convert(term.value)
            except (ValueError, ArithmeticError):
                return term.value
        return term.value
    return None if term is None else term.value


class ReadOnly(Refused):
    """A write sent to a store opened for reading."""


class LocalBackend(Backend):
    """Reads of an Oxigraph store in this process; ``limits`` bound :meth:`query`'s formatted
    answers (rows and bytes), as the service's do; :meth:`select` returns every row."""

    kind = "local"

    def __init__(self, store: ox.Store, limits: Limits | None = None):
        super().__init__(None, limits or Limits())
        self.store = store

    @contextlib.contextmanager
    def _running(self, query: str):
        """Evaluate ``query`` (yields its result; rows are read inside) with the service's checks first: a text nested
        deeper than Oxigraph's parser takes (20,000 groups ended `lpsplan query` with a segmentation fault) and SERVICE
        unless allowed (LPSPLAN_ALLOW_SERVICE: the CLI fetched the URL a query named) are refused; an allowed SERVICE that
        fails is one error, not a traceback."""
        fetching = self.refuse_remote_fetch(query)
        try:
            yield self.store.query(query)
        except SyntaxError as exc:
            from .worker import syntax_message

            raise QuerySyntaxError(f"SPARQL syntax error: {syntax_message(exc)}") from None
        except (RuntimeError, OSError) as exc:
            if not fetching:
                raise
            raise UpstreamError(f"{fetching} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None

    def select(self, query: str) -> Rows:
        with self._running(query) as result:
            if not isinstance(result, ox.QuerySolutions):
                raise ProtocolError("select() needs a SELECT query")
            names = [v.value for v in result.variables]
            return Rows([dict(zip(names, map(python_value, row), strict=True)) for row in result], names)

    def ask(self, query: str) -> bool:
        with self._running(query) as result:
            if not isinstance(result, ox.QueryBoolean):
                raise ProtocolError("ask() needs an ASK query")
            return bool(result)

    def query(self, query, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None, adhoc=False,
              stream=False) -> Answer:
        from .messages import Outcome, QueryRequest  # (a formatted answer: not what a cold CLI query needs)
        from .spool import claim
        from .worker import execute

        fetching = self.refuse_remote_fetch(query)
        request = QueryRequest(query, tuple(default_graphs), tuple(named_graphs), accept, fmt, base_iri,
                               max_rows=self.limits.max_rows, max_bytes=self.limits.max_answer, remote=bool(fetching))
        result = execute(self.store, request)
        if result.outcome is Outcome.SPOOLED:
            fh = claim(result.body)
            if stream:
                return Answer(result.detail, spool=fh)
            with fh:
                return Answer(result.detail, fh.read())
        return answer_of(result)

    def get_graph(self, graph, accept) -> Answer:
        media = rdf_media(accept)
        require_graph(self.has_graph(graph), graph)
        return Answer(media, dump_graph(self.store, graph_node(graph), media))

    def has_graph(self, graph) -> bool:
        return True if graph is None else self.store.contains_named_graph(ox.NamedNode(graph))

    def triples(self) -> int:
        return len(self.store)

    def _read_only(self, *_args, **_kw):
        raise ReadOnly("this store is open for reading only; write through the embedded store's writer or the service")

    update = put_graph = post_graph = delete_graph = _read_only
