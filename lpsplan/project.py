"""One front door to a project's plan graph, for the CLI, scripts and notebooks.

>>> from lpsplan.project import Project
>>> p = Project()                                                        # doctest: +SKIP
>>> p.query("coownership-domain", domain="现代煤化工").to_dataframe()     # doctest: +SKIP
>>> p.network().graph("coownership", NetworkFilter(domain="现代煤化工"))  # doctest: +SKIP

A :class:`Project` is built from :class:`~lpsplan.config.Settings` and opens its
store lazily, once:

- ``store = "embedded"`` (the default): reads go to a read-only
  :class:`~lpsplan.sparql.local.LocalBackend` over the embedded Oxigraph store in
  this process — the service's snapshot (its on-disk mirror) when it is current,
  else the built plan graph and the ontology (:func:`lpsplan.sparql.snapshot.snapshot_is_current`
  is the one freshness check) — without taking the writer's lock, so the store
  can be read while ``lpsplan serve`` runs.  Writes (linked projects, ingested or
  removed plans) open the embedded store's writer, which holds that lock and keeps
  the snapshot.
- ``store = "http://…"``: reads and writes go to that SPARQL 1.1 server through one
  :class:`~lpsplan.sparql.remote.RemoteBackend`; writes pass the same SHACL gate.

Every read returns :class:`~lpsplan.sparql.rows.Rows`: dicts of typed values
(numbers as numbers, booleans as ``bool``), the same from either store.

The service builds one Project over the backend it serves (``Project(settings,
backend=backend)``): reads then go through that backend, and what is derived from
the data (the networks, the search index, the linkers, the entity names) is kept
until the store's ``generation`` changes.  A store without generations (an external
server, which others may write to) has its networks and names read on every use,
its search index and linkers built once.
"""

from __future__ import annotations

import threading
from typing import Self

from .config import DEFAULT_ENGINE, DEFAULT_JURISDICTION, DEFAULT_SLUG, Settings
from .network import NetworkFilter, PlanNetwork
from .sparql.rows import Rows

__all__ = ["NetworkFilter", "Project", "Rows"]

ONCE = ("search", "linker:hybrid", "linker:bm25", "linker:semantic")  # built once over a store without generations


def looks_like_name(text: str) -> bool:
    """A named question's name (one word), as opposed to a SPARQL query's text."""
    return bool(text.strip()) and not any(ch.isspace() for ch in text.strip())


class Project:
    """The plan graph of one project (its folders and settings), read and written through one store."""

    def __init__(self, settings: Settings | None = None, *, reader=None, backend=None, catalogue=None):
        self.settings = settings or Settings.from_env()
        self._reader = reader  # a sparql.Backend to read through
        self._backend = backend  # the writer: a sparql.Backend
        self._own_backend = backend is None
        self._serving = backend is not None and reader is None  # reads go through the given backend (the service)
        if self._serving:
            self._reader = backend
        self._catalogue = catalogue
        self._derived: dict[str, object] = {}  # what is read from the data: networks, index, names, linkers
        self._generation: object = None
        self._lock = threading.Lock()  # one linker build at a time
        # one observation import at a time: each reads the stored observations, merges its rows and writes the graph
        # whole, so two at once each wrote the graph without the other's rows (both told "written")
        self._observe_lock = threading.Lock()

    # -- opening ------------------------------------------------------------
    @property
    def remote(self) -> bool:
        return self.settings.store != "embedded"

    @property
    def reader(self):
        """What reads run on: the embedded store in this process, or the remote backend."""
        if self._reader is None:
            if self.remote:
                self.backend.check_default_graph()
                self._reader = self.backend
            else:
                from .sparql.open import open_reader

                self._reader = open_reader(self.settings)
        return self._reader

    @property
    def backend(self):
        """What writes go through (and, for a remote store, reads too), opened on first use."""
        if self._backend is None:
            if self.remote:
                from .sparql.open import limits
                from .sparql.remote import Endpoints, RemoteBackend
                from .validate import load_shapes

                self._backend = RemoteBackend(Endpoints.from_base(self.settings.store),
                                              load_shapes(self.settings.paths.shapes_file), limits(self.settings))
            else:
                from .sparql.open import open_backend

                self._backend, _ = open_backend(self.settings, queries=False)  # a writer needs no query workers
        return self._backend

    def close(self) -> None:
        if self._backend is not None and self._own_backend:
            self._backend.close()
        self._backend = None
        self._reader = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _changed(self) -> None:
        """After a write: what was read before may be stale."""
        self._derived = {}
        if not self.remote and not self._serving:
            self._reader = None  # the embedded reader is a copy: read the new snapshot next time

    def _kept(self, key: str, make):
        """``make()``, kept while the data it was read from is current: until a write through this project,
        or a new generation of the served store.  Over a served store without generations (an external server)
        only what is in ONCE is kept (the search index and the linkers, built once); the rest is read per use."""
        if self._serving:
            generation = getattr(self._backend, "generation", None)
            if generation is None and key not in ONCE:
                return make()
            if generation != self._generation:
                self._derived, self._generation = {}, generation
        derived = self._derived  # a newer generation replaces the dict: this one stays whole
        if key not in derived:
            derived[key] = make()
        return derived[key]

    # -- building -----------------------------------------------------------
    def build(self, output=None, *, source=None, slug: str = DEFAULT_SLUG, engine: str = DEFAULT_ENGINE, registry=None):
        """Extract the plan, validate it with SHACL and write it as Turtle (default: the plan graph file), atomically;
        raises on bad input or a non-conforming graph.  The :class:`~lpsplan.build.BuildResult`, with ``path`` set."""
        from .build import build_plan, write_graph

        result = build_plan(self.settings, source_path=source, slug=slug, engine=engine, registry_path=registry)
        result.path = write_graph(result.graph, output or self.settings.plan_graph_file)
        self._changed()
        return result

    def validate(self, file=None, engine: str = DEFAULT_ENGINE):
        """Validate a graph file (default: the built plan graph) with the SHACL shapes; the readable report."""
        from .validate import load_shapes, parse_graph, validate_graph

        path = file or self.settings.plan_graph_file
        return validate_graph(parse_graph(path), load_shapes(self.settings.paths.shapes_file), engine=engine)

    # -- reading ------------------------------------------------------------
    def select(self, sparql: str) -> Rows:
        """A SELECT over every graph the store holds, as typed rows."""
        return self.reader.select(sparql)

    def select_text(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT as rows of lexical forms (unbound: absent), for pages that show values as they are written."""
        from .sparql.backend import select_rows

        return select_rows(self.reader, sparql)

    @property
    def catalogue(self):
        if self._catalogue is None:
            from .queries import Catalogue

            self._catalogue = Catalogue.load(self.settings.paths.queries)
        return self._catalogue

    def render(self, name: str, params: dict[str, object] | None = None) -> str:
        """A named question's SPARQL with ``params`` put in; a domain, unit or technology by any of its names.
        Unknown parameters and ill-typed values are refused before the store is opened."""
        from .resolve import resolve_params

        question = self.catalogue.get(name)
        values = dict(params or {})
        question.render(values)
        return question.render(resolve_params(question, values, self.resolver()))

    def resolver(self):
        """The names of the data's domains, units and technologies (:class:`lpsplan.resolve.Resolver`)."""
        from .resolve import Resolver

        return self._kept("resolver", lambda: Resolver(self.select))

    def query(self, name_or_sparql: str, params: dict[str, object] | None = None, **kw) -> Rows:
        """Answer a named question (by name, with parameters) or a SELECT query (by its text)."""
        values = {**(params or {}), **kw}
        if looks_like_name(name_or_sparql):
            return self.select(self.render(name_or_sparql.strip(), values))
        if values:
            from .queries import QueryError

            raise QueryError("parameters go with a named question, not with a query's text")
        return self.select(name_or_sparql)

    def network(self) -> PlanNetwork:
        """The responsibility networks of every plan in the store (loaded once per project)."""
        return self._kept("network", lambda: PlanNetwork.load(self.select))

    def network_graph(self, view: str, where: NetworkFilter | None = None):
        return self.network().graph(view, where or NetworkFilter())

    def plans(self) -> Rows:
        """The plans in the store (the built plan and every ingested one) with their counts."""
        from .ingest import list_plans

        return Rows(list_plans(self.select), ["plan", "title", "period", "graph", "clauses", "units"])

    def search_index(self):
        """The full-text index over every plan (:class:`lpsplan.search.SearchIndex`)."""
        from .search import SearchIndex

        return self._kept("search", lambda: SearchIndex.load(self.select))

    def attainment(self, slug: str = ""):
        """Every target (of plan ``slug``, or of every plan) with its attainment, from the observed values."""
        from .targets.attainment import attainment

        return attainment(self.select, self.catalogue, slug)

    def linker(self, method: str = "hybrid"):
        """A linker over the data (the model's description embeddings are cached on disk, so a rebuild after a
        change costs about a second); one is built at a time, a second caller waits for it."""
        from .link.workflow import open_linker

        with self._lock:
            return self._kept(f"linker:{method}", lambda: open_linker(self.settings, self.select, method))

    # -- writing (every write passes the SHACL gate) -----------------------
    def _writer(self):
        """The backend to write through: the remote one (shared with reads), or the embedded writer when it is
        already open; otherwise None, and the write opens the embedded writer for itself (ingest forks its build
        processes before that, so none of them holds a copy of the store)."""
        return self.backend if self.remote else self._backend

    def store_links(self, results, name: str) -> tuple[str, int]:
        """Put linked projects into the named graph ``<base>projects/NAME``; (its IRI, projects stored)."""
        from .link.workflow import store_links

        out = store_links(self.settings, results, name, backend=self._writer())
        self._changed()
        return out

    def ingest(self, path, slug: str, **options):
        """Ingest one plan file as the named graph of ``slug`` (see :func:`lpsplan.ingest.ingest_plan`)."""
        from .ingest import ingest_plan

        report = ingest_plan(self.settings, path, slug, backend=self._writer(), **options)
        self._changed()
        return report

    def ingest_many(self, files, **options):
        """Ingest several plan files, each under its file's name (see :func:`lpsplan.ingest.ingest_many`)."""
        from .ingest import ingest_many

        reports = ingest_many(self.settings, list(files), backend=self._writer(), **options)
        self._changed()
        return reports

    def observe(self, path, area: str = DEFAULT_JURISDICTION):
        """Add a table of observed values (see :func:`lpsplan.targets.observe.write_observations`): all rows or none;
        an unreadable file is refused before the store is opened."""
        from .targets.observations import read_table
        from .targets.observe import write_observations

        read_table(path, area)
        with self._observe_lock:
            report = write_observations(self.backend, self.settings, path, area)
        self._changed()
        return report

    def remove(self, slug: str) -> str:
        """Remove an ingested plan (its named graph); its IRI."""
        from .ingest import remove_plan

        iri = remove_plan(self.settings, slug, backend=self._writer())
        self._changed()
        return iri
