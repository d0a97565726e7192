"""The embedded backend: an in-memory Oxigraph store in this process.

Why in memory: the co-ownership aggregate on the pilot graph measured ~10×
slower on Oxigraph's on-disk (RocksDB) store.  Durability comes from a snapshot
file instead (``<build dir>/store.nq``), rewritten atomically after every
committed write and loaded at start when it is newer than the built plan graph.

Ad-hoc queries run in a pool of worker processes (see :mod:`.pool`) so that one
past its deadline can really be stopped.  The service's own queries (named
questions, pages, networks) whose cost a worker has measured small run here, in
the calling thread, on this process's store (pyoxigraph releases the GIL while it
evaluates): see :class:`Placement`; their first run is in a worker too.  Writes
run here, one at a time: on a copy of the store, then the SHACL gate, then the
copy replaces the store.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from ..config import DEFAULT_ENGINE
from .backend import (
    RDF_TYPE,
    Answer,
    Backend,
    Structure,
    answer_of,
    apply_graph_write,
    apply_update,
    graph_node,
    load_rdf,
    require_graph,
)
from .errors import (
    BackendUnavailable,
)
from .formats import dump_graph, rdf_media
from .messages import Outcome, QueryRequest, Result
from .pool import IN_PROCESS_SECONDS, INLINE_SECONDS, LONG_QUERY, Placement, WorkerPool  # noqa: F401 - imported from here by callers
from .rwlock import ReadWriteLock
from .snapshot import write_mirror
from .spool import INLINE_BYTES, claim, spool_folder
from .text import fetches_remote, is_reset
from .uploads import parse_rdf, rdf_format
from .worker import execute

log = logging.getLogger("lpsplan.store")


MIRROR_DELAY = 1.0  # seconds a mirror waits after a write, so that writes in a row share one


class EmbeddedBackend(Backend):
    """Reads never wait for a write to validate: writers queue on ``_write_lock`` while they build
    and check a candidate, and take ``_state_lock`` only for the moment their change is applied;
    readers of this process's store (``GET /store``) take ``_state_lock`` alone, so they see the
    old state until the new one is committed, never a half-applied one; the questions evaluated in
    this process share ``_applying``, which a named-graph write applied in place holds alone."""

    kind = "embedded"

    def __init__(self, store: ox.Store, shapes, limits, *, workers: int = 2, snapshot_path: str | os.PathLike[str] | None = None,
                 engine: str = DEFAULT_ENGINE, cache_entries: int = 256, pool: WorkerPool | None = None, on_close=None,
                 max_workers: int | None = None, in_process_seconds: float = IN_PROCESS_SECONDS, mirrors: bool = False,
                 worker_memory: int = 0):
        """``pool``: workers already started on ``snapshot_path``, which then holds exactly ``store``
        (see :func:`lpsplan.sparql.open.open_backend`); otherwise the store is written there first.
        ``workers=0``: a store opened to write only (ingest): no query workers, and no snapshot
        until a write commits."""
        super().__init__(shapes, limits, engine, cache_entries)
        self._on_close = on_close
        self.store = store
        self.placement = Placement(in_process_seconds, limits.timeout)
        self._deferred = self._pending = False
        self._depth = 0
        self._write_lock = threading.RLock()
        self._loaded = threading.Event()  # the store in memory (writers wait for it; see load_in_background)
        self._loaded.set()
        self._publish_lock = threading.Lock()
        self._mirror_thread: threading.Thread | None = None
        self._mirror_again = False
        self.mirrors = mirrors
        self._count: tuple[int, int] = (-1, 0)  # (generation, quads): see triples()
        self._state_lock = threading.Lock()
        self._applying = ReadWriteLock()  # a named graph changed in place vs the questions evaluated here
        if snapshot_path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="lpsplan-")
            snapshot_path = Path(self._tmp.name) / "store.nq"
        self.snapshot_path = Path(snapshot_path)
        self.spool = spool_folder(self.snapshot_path.parent)  # large answers, on their way to a client
        self.inline_bytes = INLINE_BYTES  # answers up to this size come back as bytes (and may be cached)
        if workers == 0 and pool is None:
            pass
        elif pool is None:
            self._write_snapshot(store)
            self.generation = 1
            pool = WorkerPool(workers, str(self.snapshot_path), self.generation, offline=not limits.allow_remote, max_size=max_workers,
                              memory=worker_memory)
            self.pool = pool
            self.mirror_later()
        else:
            pool.wait_ready()
            self.generation = pool.generation
        self.pool = pool

    # -- reading ------------------------------------------------------------
    def trust(self, queries) -> None:
        """Query texts the service itself wrote (the named questions as the catalogue renders them):
        sent to /sparql verbatim, they may run in process like the service's own queries."""
        self.placement.trusted = frozenset(q for q in queries if not fetches_remote(q))

    def runs_here(self, query: str) -> str | None:
        """Whether :meth:`query` would evaluate this /sparql query (no dataset) in this process now:
        "inline" when its last run took under :data:`INLINE_SECONDS`, "thread" when under the
        in-process limit, None when a worker would."""
        if query not in self.placement.trusted:
            return None
        key = (self.generation, query, (), ())
        if not self.placement.placed(key):
            return None
        seconds = self.placement.cost(key)  # measured in process (None: only in a worker yet)
        return "inline" if seconds is not None and seconds < INLINE_SECONDS else "thread"

    def refuse_remote_fetch(self, text: str) -> str | None:
        if text in self.placement.trusted:  # checked once, when trusted
            return None
        return super().refuse_remote_fetch(text)

    def query(self, query, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None, adhoc=False,
              stream=False) -> Answer:
        fetching = self.refuse_remote_fetch(query)
        generation = self.generation  # an answer is cached under the generation it started from
        key = self.answer_key(query, default_graphs=default_graphs, named_graphs=named_graphs, accept=accept, fmt=fmt,
                              base_iri=base_iri)
        hit = self.cache.get(generation, key)
        if hit is not None:
            return hit
        request = QueryRequest(query, tuple(default_graphs), tuple(named_graphs), accept, fmt, base_iri, max_rows=self.limits.max_rows,
                               max_bytes=self.limits.max_answer, spool=self.spool, inline=self.inline_bytes, remote=bool(fetching))
        trusted = not fetching and (not adhoc or query in self.placement.trusted)
        cost_key = (generation, query, request.default_graphs, request.named_graphs)  # a write may change what a query costs
        if self.placement.where(cost_key, trusted) == "here" or (self.pool is None and trusted):
            # (no workers: a store a writer opened in its own process, which serves no client)
            result = self._execute_here(request, cost_key)
        else:
            if self.pool is None:
                raise BackendUnavailable("this store was opened for writing only (no query workers)")
            timing: list[float] = []
            result = self.pool.run(request, self.limits.timeout, adhoc=adhoc and not trusted, timing=timing)
            if trusted and timing:  # each run in a worker measured again (the first one may have loaded a snapshot)
                self.placement.measured(cost_key, timing[0], here=False)
        if result.outcome is Outcome.SPOOLED:  # too large to cache or to hold: sent on from the file, or read for the caller
            fh = claim(result.body)
            if stream:
                return Answer(result.detail, spool=fh)
            with fh:
                return Answer(result.detail, fh.read())
        answer = answer_of(result)
        self.cache.put(generation, key, answer)
        return answer

    def _execute_here(self, request: QueryRequest, cost_key) -> Result:
        """A trusted query a worker has measured small, in the calling thread (see :class:`Placement`)."""
        # the cost is this thread's CPU time (pyoxigraph evaluates in the calling thread): with many clients
        # on two cores the wall time of a cheap question grows with the queue, not with what it costs,
        # and would send it back to the (slower, on-disk) workers just when the service is busiest
        store, started, in_memory = self.store, time.thread_time(), self._loaded.is_set()
        with self.placement.evaluation(), self._applying.shared():  # never a named graph half-written
            try:
                return execute(store, request)
            finally:
                if in_memory:  # a run on the on-disk mirror, before the copy in memory is loaded, says little
                    self.placement.measured(cost_key, time.thread_time() - started, here=True)

    def get_graph(self, graph, accept) -> Answer:
        """The graph, written to a spool file (never held as one string here) and streamed from it."""
        media = rdf_media(accept)
        fd, path = tempfile.mkstemp(prefix="graph.", dir=self.spool)
        try:
            with os.fdopen(fd, "wb") as fh, self._state_lock:  # never a graph half-written
                require_graph(self.has_graph(graph), graph)
                dump_graph(self.store, graph_node(graph), media, fh)
            return Answer(media, spool=claim(path))
        finally:
            Path(path).unlink(missing_ok=True)

    def has_graph(self, graph) -> bool:
        return True if graph is None else self.store.contains_named_graph(ox.NamedNode(graph))

    def triples(self) -> int:
        """Quads in the store, counted once per generation (counting walks every quad: about a
        second per million, and /healthz and /metrics ask for it)."""
        generation, count = self._count
        if generation != self.generation:
            generation = self.generation
            count = len(self.store)
            self._count = (generation, count)
        return count

    # -- writing ------------------------------------------------------------
    def update(self, update, *, using=(), using_named=(), base_iri=None) -> None:
        update = self.prepare_update(update, using, using_named)
        self._write(lambda candidate: apply_update(candidate, update, base_iri), reset=is_reset(update))

    def put_graph(self, graph, data, media, validated: bool = False) -> bool:
        """Replace a graph.  ``validated``: the caller has validated this graph on its own (an
        ingested plan is self-contained), so the gate is not run again."""
        if graph is not None and validated and not rdf_format(media).supports_datasets:
            existed = self.has_graph(graph)
            self._load_named(graph, data, media)
            return not existed
        triples = parse_rdf(data, media, graph)
        existed = self.has_graph(graph) and (graph is not None or len(self.store) > 0)
        if graph is None:
            self._write(lambda candidate: apply_graph_write(candidate, "PUT", graph, triples))
        else:
            self._write_named(graph, "PUT", triples, validated)
        return not existed

    def post_graph(self, graph, data, media) -> bool:
        triples = parse_rdf(data, media, graph)
        existed = self.has_graph(graph)
        if graph is None:
            self._write(lambda candidate: apply_graph_write(candidate, "POST", graph, triples))
        else:
            self._write_named(graph, "POST", triples)
        return not existed

    def _load_named(self, graph: str, data: bytes, media: str) -> None:
        """Replace a named graph the caller has validated, parsed straight into the store: at
        1.8 M quads a 7,300-triple plan takes 15 ms this way, 30–180 ms as Python triples."""
        node = ox.NamedNode(graph)
        with self._writer():
            load_rdf(ox.Store(), data, media, graph)  # refused here, before anything changes, if it does not parse
            with self._state_lock, self._applying.exclusive():
                if self.store.contains_named_graph(node):
                    self.store.clear_graph(node)
                load_rdf(self.store, data, media, graph)
                self.store.add_graph(node)  # an empty graph exists too
            self._committed()

    def linked_graphs(self, graph: str, triples) -> set:
        """The named graphs (other than ``graph``) that SHACL could see together with ``triples``: those
        describing a node the triples mention, or pointing at a node they describe — and, in turn,
        the graphs linked to those.  Type objects (classes) link nothing: every plan points at them."""
        target, found, todo = ox.NamedNode(graph), set(), [list(triples)]
        while todo:
            batch = todo.pop()
            subjects = {t.subject for t in batch}
            mentioned = subjects | {t.object for t in batch if not isinstance(t.object, ox.Literal) and t.predicate != RDF_TYPE}
            names = {q.graph_name for n in mentioned for q in self.store.quads_for_pattern(n, None, None, None)}
            names |= {q.graph_name for n in subjects for q in self.store.quads_for_pattern(None, None, n, None)}
            for name in names:
                if isinstance(name, ox.NamedNode) and name != target and name not in found:
                    found.add(name)
                    todo.append([q.triple for q in self.store.quads_for_pattern(None, None, None, name)])
        return found

    def _write_named(self, graph: str, method: str, triples: list, validated: bool = False) -> None:
        """A write to one named graph, validated with the default graph and every graph linked to it
        (:meth:`linked_graphs`), so two graphs that are valid alone cannot be stored if they break the
        shapes together; the cost follows the graphs involved, not the whole store."""
        node = ox.NamedNode(graph)
        with self._writer():
            if not validated:
                content = list(triples)
                if method == "POST" and self.store.contains_named_graph(node):
                    content += [q.triple for q in self.store.quads_for_pattern(None, None, None, node)]
                self._gate_with(graph, content, before_graph=node)
            with self._state_lock, self._applying.exclusive():  # cleared then filled: no reader sees it between
                apply_graph_write(self.store, method, graph, triples)
            self._committed()

    def _gate_with(self, graph: str, content: list, before_graph) -> None:
        """The gate for named graph ``graph`` holding ``content``: its linked graphs, the default graph,
        and the removal check over the plans and ontologies involved."""
        linked = self.linked_graphs(graph, content + [q.triple for q in self.store.quads_for_pattern(None, None, None, before_graph)])
        def as_default(quads):
            return (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)

        scratch, before = ox.Store(), ox.Store()
        for name in [ox.DefaultGraph(), *linked]:
            scratch.extend(as_default(self.store.quads_for_pattern(None, None, None, name)))
        before.extend(scratch)
        before.extend(as_default(self.store.quads_for_pattern(None, None, None, before_graph)))
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in content)
        self.gate(scratch, Structure.of(before))

    def _committed(self) -> None:
        """Make a write durable and visible: snapshot and publish, unless a batch defers it."""
        if self._deferred:
            self._pending = True
            return
        self._write_snapshot(self.store)
        self._publish()

    @contextlib.contextmanager
    def batch(self):
        """Many writes, one snapshot at the end (ingesting a corpus); nothing is published before.
        Batches nest: the snapshot is written when the outermost one ends."""
        with self._writer():
            self._depth += 1
            if self._depth == 1:
                self._deferred, self._pending = True, False
        try:
            yield self
        finally:
            with self._writer():
                self._depth -= 1
                if self._depth == 0:
                    self._deferred = False
                    if self._pending:
                        self._write_snapshot(self.store)
                        self._publish()

    def delete_graph(self, graph) -> None:
        require_graph(self.has_graph(graph), graph)
        if graph is None:
            self._write(lambda candidate: apply_graph_write(candidate, "DELETE", graph, []))
            return
        node = ox.NamedNode(graph)
        with self._write_lock:  # what stays linked to the graph must still hold without it
            self._gate_with(graph, [], before_graph=node)
            with self._state_lock, self._applying.exclusive():
                apply_graph_write(self.store, "DELETE", graph, [])
            self._committed()

    def _write(self, apply, reset: bool = False) -> None:
        """A write on a copy of the store, gated, then swapped in.  ``reset``: DROP/CLEAR ALL, which
        may remove everything (the removal check is for deletions that leave the rest behind)."""
        with self._writer():
            candidate = ox.Store()
            candidate.bulk_extend(self.store)  # a quad-by-quad copy: half the time of dump + parse
            before = None if reset else Structure.of(candidate)
            apply(candidate)
            self.gate(candidate, before)
            self._write_snapshot(candidate)
            with self._state_lock:
                self.store = candidate
            self._publish()

    @contextlib.contextmanager
    def _writer(self):
        self._loaded.wait()
        with self._write_lock:
            yield

    def load_in_background(self, snapshot: str) -> None:
        """``self.store`` is the snapshot's read-only on-disk mirror (the service answers at once);
        load the same snapshot into memory meanwhile and swap it in — same data, same generation.
        Writes wait for it: they change the store in memory."""
        self._loaded.clear()

        def load() -> None:
            try:
                store = ox.Store()
                store.load(path=snapshot, format=ox.RdfFormat.N_QUADS)
                with self._state_lock:
                    self.store = store
            except (OSError, SyntaxError) as exc:  # the mirror keeps answering; writes will fail on it, loudly
                log.error("could not load the snapshot into memory: %s", exc)
            finally:
                self._loaded.set()

        threading.Thread(target=load, daemon=True, name="lpsplan-store-load").start()

    def _publish(self) -> None:
        """The workers move to the snapshot just written, then the generation the caches key on: an
        answer computed from the old data can never be cached under the new generation."""
        with self._publish_lock:
            generation = self.generation + 1
            if self.pool:
                self.pool.publish(str(self.snapshot_path), generation)
            self.generation = generation
        self.mirror_later()

    def mirror_later(self) -> None:
        """Write the on-disk mirror of the current snapshot in the background (see
        :func:`.snapshot.write_mirror`); the workers move to it when it is done, unless a newer
        write came meanwhile (then the mirror of that one follows)."""
        if not self.mirrors:
            return
        with self._publish_lock:
            if self._mirror_thread is not None and self._mirror_thread.is_alive():
                self._mirror_again = True
                return
            self._mirror_again = False
            self._mirror_thread = threading.Thread(target=self._mirror, daemon=True, name="lpsplan-mirror")
            self._mirror_thread.start()

    def _mirror(self) -> None:
        with contextlib.suppress(OSError, AttributeError):  # after the requests: this thread and the ones it starts
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        while True:
            time.sleep(MIRROR_DELAY)  # a burst of writes gets one mirror, of its last snapshot
            generation = self.generation
            try:
                folder = write_mirror(self.snapshot_path)
            except (OSError, SyntaxError) as exc:  # the workers keep their copies in memory
                log.warning("the on-disk mirror of the snapshot was not written: %s", exc)
                return
            with self._publish_lock:
                if self.pool and self.generation == generation:
                    self.pool.publish(str(folder), generation)
                if not self._mirror_again:
                    self._mirror_thread = None
                    return
                self._mirror_again = False

    def wait_mirror(self) -> None:
        thread = self._mirror_thread
        if thread is not None:
            thread.join()

    def _write_snapshot(self, store: ox.Store) -> None:
        """Write the N-Quads snapshot atomically; it is both the workers' source and the restart state."""
        self.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".store.", suffix=".nq", dir=self.snapshot_path.parent)
        with os.fdopen(fd, "wb") as fh:
            store.dump(fh, format=ox.RdfFormat.N_QUADS)  # streamed: never the whole dump in memory
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.snapshot_path)

    def close(self) -> None:
        try:
            self.wait_mirror()  # the lock holder writes mirrors: finished before the lock is let go
            if self.pool:
                self.pool.close()
            shutil.rmtree(self.spool, ignore_errors=True)
        finally:
            if self._on_close:
                self._on_close()

