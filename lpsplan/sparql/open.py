"""Open the store (no web imports here): the backend the service and the writers run on
(:func:`open_backend`), and the reader of a process without a service (:func:`open_reader`).

Embedded: the built plan graph and the ontology in memory, or — when it is newer
than the plan graph — the snapshot the last run left (``<build>/store.nq``), so
committed updates survive a restart (:func:`.snapshot.snapshot_is_current` decides).
Remote: an external SPARQL 1.1 server.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..config import Settings
from ..errors import LpsplanError, without_password
from ..validate import load_shapes
from .backend import Backend, Limits
from .local import LocalBackend
from .snapshot import mirror_of, mirror_size, remove_stale_mirrors, snapshot_is_current


def limits(settings: Settings) -> Limits:
    return Limits(timeout=settings.timeout, max_rows=settings.max_rows, max_answer=settings.max_answer,
                  allow_remote=settings.allow_service)


class StoreBusy(LpsplanError):
    exit_code = 2


class NotBuilt(LpsplanError):
    """Reading needs a built plan graph."""


class StoreLock:
    """One writing process per embedded store: ``<build>/store.lock``, held with flock for the
    life of the backend (the kernel drops it when the process dies, even by kill -9).  A
    second writer — `lpsplan ingest` while `lpsplan serve` runs on the same folder — would
    otherwise overwrite the other's snapshot and lose its writes."""

    def __init__(self, build_dir):
        import fcntl
        import os

        build_dir.mkdir(parents=True, exist_ok=True)
        self.path = build_dir / "store.lock"
        self._fh = open(self.path, "a+")  # noqa: SIM115 - held open (and locked) while the store is in use
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.seek(0)
            holder = self._fh.read().strip() or "another process"
            self._fh.close()
            raise StoreBusy(f"the store in {build_dir} is in use by {holder}; stop it first, or send the change to the "
                            f"running service (POST /store, /update)") from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"lpsplan process {os.getpid()}")
        self._fh.flush()
        for stale in build_dir.glob(".store.*.nq"):  # a snapshot a killed writer did not finish; never the snapshot itself
            stale.unlink(missing_ok=True)
        from .spool import remove_stale

        remove_stale(build_dir)  # answers a killed service was sending
        remove_stale_mirrors(build_dir)  # on-disk mirrors a killed writer did not finish

    def release(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def load_embedded_store(settings: Settings, writing: bool = False) -> tuple[ox.Store, str]:
    """The store to serve, and a line saying where it came from.  ``writing``: the caller
    will write snapshots, so an older snapshot is first kept under another name."""
    plan, snapshot = settings.plan_graph_file, settings.snapshot_file
    if not plan.is_file():
        from ..build import build_plan, write_graph

        write_graph(build_plan(settings).graph, plan)
    store = ox.Store()
    if snapshot_is_current(settings):
        store.load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
        return store, f"snapshot {snapshot} (the plan graph and committed updates)"
    store.load(path=str(plan), format=ox.RdfFormat.TURTLE)
    store.load(path=str(settings.paths.ontology_file), format=ox.RdfFormat.TURTLE)
    from ..targets.observations import curated_graph_ntriples

    curated = curated_graph_ntriples(settings)  # the curated observed values, in their own named graph
    if curated:
        store.load(curated[1], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(curated[0]))
    note = ""
    if snapshot.is_file() and writing:  # keep the older state, do not overwrite it
        kept = snapshot.with_name(f"store.{int(snapshot.stat().st_mtime)}.nq")
        snapshot.rename(kept)
        note = f" (the plan graph is newer than the last snapshot, which was kept as {kept.name})"
    return store, f"plan graph {plan} and the ontology{note}"


def open_reader(settings: Settings) -> LocalBackend:
    """The embedded store read in this process, without the writer's lock (so it can be read while
    `lpsplan serve` runs): the snapshot's on-disk mirror opened read-only when the snapshot is
    current (no parsing: a cold query at a million quads), else the snapshot or the plan graph,
    the ontology and the curated observations loaded as the service would load them."""
    if not settings.plan_graph_file.is_file():
        raise NotBuilt(f"{settings.plan_graph_file}: no built graph; run `lpsplan build` first")
    if snapshot_is_current(settings):
        mirror = mirror_of(settings.snapshot_file)
        if mirror is not None:
            try:
                return LocalBackend(ox.Store.read_only(str(mirror)), limits(settings))
            except OSError:  # removed meanwhile by the writer: read the snapshot
                pass
    store, _ = load_embedded_store(settings, writing=False)
    return LocalBackend(store, limits(settings))


def open_backend(settings: Settings, *, queries: bool = True) -> tuple[Backend, str]:
    """The backend for these settings and a line describing it.  ``queries=False``: the caller only
    writes (ingest), so the embedded store starts no query workers (each would load the whole store)."""
    shapes = load_shapes(settings.paths.shapes_file)
    if settings.store == "embedded":
        from .embedded import EmbeddedBackend, WorkerPool

        lock = StoreLock(settings.build_dir)
        pool = None
        current = queries and snapshot_is_current(settings)
        mirror = mirror_of(settings.snapshot_file) if current else None
        if current:
            # the workers open the snapshot's on-disk mirror (shared, at once), or load the snapshot while
            # this process does: start-up is one load, not two in a row
            pool = WorkerPool(settings.workers, str(mirror or settings.snapshot_file), 1, wait=False,
                              offline=not settings.allow_service, max_size=settings.max_workers,
                              memory=settings.worker_memory)
        try:
            if mirror is not None:  # answer from the mirror at once; the copy in memory follows (load_in_background)
                store, origin = ox.Store.read_only(str(mirror)), f"snapshot {settings.snapshot_file} (its on-disk mirror, then in memory)"
            else:
                store, origin = load_embedded_store(settings, writing=True)
        except BaseException:
            if pool:
                pool.wait_ready()
                pool.close()
            lock.release()
            raise
        backend = EmbeddedBackend(store, shapes, limits(settings), workers=settings.workers if queries else 0,
                                  snapshot_path=settings.snapshot_file,
                                  cache_entries=settings.cache_entries, pool=pool, on_close=lock.release,
                                  max_workers=settings.max_workers, mirrors=True, worker_memory=settings.worker_memory)
        if backend.pool is not None:
            backend.pool.per_client = settings.client_queries
        if mirror is not None:
            size = mirror_size(mirror)
            if size is not None:
                backend._count = (backend.generation, size)
            backend.load_in_background(str(settings.snapshot_file))
        elif pool is not None:
            backend.mirror_later()  # a snapshot without a mirror yet (written by an older version)
        return backend, f"embedded Oxigraph (in memory), {backend.triples():,} triples from {origin}"
    from .remote import Endpoints, RemoteBackend

    backend = RemoteBackend(Endpoints.from_base(settings.store), shapes, limits(settings))
    return backend, f"remote SPARQL server at {without_password(settings.store)} ({backend.triples():,} triples)"
