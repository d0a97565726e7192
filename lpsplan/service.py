"""Open the store the service runs on (no web imports here).

Embedded: the built plan graph and the ontology in memory, or — when it is newer
than the plan graph — the snapshot the last run left (``<build>/store.nq``), so
committed updates survive a restart.  Remote: an external SPARQL 1.1 server.
"""

from __future__ import annotations

import pyoxigraph as ox

from .config import Settings
from .sparql.backend import Backend, Limits
from .validate import load_shapes


def limits(settings: Settings) -> Limits:
    return Limits(timeout=settings.timeout, max_rows=settings.max_rows, allow_remote=settings.allow_service)


def snapshot_is_current(settings: Settings) -> bool:
    """The last run's snapshot holds the plan graph and every committed update since."""
    plan, snapshot = settings.plan_graph_file, settings.snapshot_file
    return plan.is_file() and snapshot.is_file() and snapshot.stat().st_mtime >= plan.stat().st_mtime


def load_embedded_store(settings: Settings, writing: bool = False) -> tuple[ox.Store, str]:
    """The store to serve, and a line saying where it came from.  ``writing``: the caller
    will write snapshots, so an older snapshot is first kept under another name."""
    plan, snapshot = settings.plan_graph_file, settings.snapshot_file
    if not plan.is_file():
        from .build import build_plan, write_graph

        write_graph(build_plan(settings).graph, plan)
    store = ox.Store()
    if snapshot_is_current(settings):
        store.load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
        return store, f"snapshot {snapshot} (the plan graph and committed updates)"
    store.load(path=str(plan), format=ox.RdfFormat.TURTLE)
    store.load(path=str(settings.paths.ontology_file), format=ox.RdfFormat.TURTLE)
    note = ""
    if snapshot.is_file() and writing:  # keep the older state, do not overwrite it
        kept = snapshot.with_name(f"store.{int(snapshot.stat().st_mtime)}.nq")
        snapshot.rename(kept)
        note = f" (the plan graph is newer than the last snapshot, which was kept as {kept.name})"
    return store, f"plan graph {plan} and the ontology{note}"


def open_backend(settings: Settings) -> tuple[Backend, str]:
    """The backend for these settings and a line describing it."""
    shapes = load_shapes(settings.paths.shapes_file)
    if settings.store == "embedded":
        from .sparql.embedded import EmbeddedBackend, WorkerPool

        pool = None
        if snapshot_is_current(settings):
            # the workers load the snapshot while this process does: start-up is one load, not two in a row
            pool = WorkerPool(settings.workers, str(settings.snapshot_file), 0, wait=False)
        try:
            store, origin = load_embedded_store(settings, writing=True)
        except BaseException:
            if pool:
                pool.wait_ready()
                pool.close()
            raise
        backend = EmbeddedBackend(store, shapes, limits(settings), workers=settings.workers, snapshot_path=settings.snapshot_file,
                                  cache_entries=settings.cache_entries, pool=pool)
        return backend, f"embedded Oxigraph (in memory), {len(store):,} triples from {origin}"
    from .sparql.remote import Endpoints, RemoteBackend

    backend = RemoteBackend(Endpoints.from_base(settings.store), shapes, limits(settings))
    return backend, f"remote SPARQL server at {settings.store} ({backend.triples():,} triples)"
