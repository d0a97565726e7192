"""The embedded backend: an in-memory Oxigraph store in this process.

Why in memory: the co-ownership aggregate on the pilot graph measured ~10×
slower on Oxigraph's on-disk (RocksDB) store.  Durability comes from a snapshot
file instead (``<build dir>/store.nq``), rewritten atomically after every
committed write and loaded at start when it is newer than the built plan graph.

Queries run in a pool of worker processes (see :mod:`.worker`) so that one past
its deadline can really be stopped.  Writes run here, one at a time: on a copy
of the store, then the SHACL gate, then the copy replaces the store.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from .backend import RDF_TYPE, Answer, Backend, Structure, apply_graph_write, apply_update, graph_node, load_rdf, parse_rdf, rdf_format, require_graph
from .errors import BackendUnavailable, ProtocolError, QuerySyntaxError, QueryTimeout
from .formats import RDF_TYPES, rdf_media
from .text import is_reset
from .spool import INLINE_BYTES, claim, drop_partial, spool_folder

log = logging.getLogger("lpsplan.store")


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    inbox: Connection  # we send requests here
    outbox: Connection  # and read answers here

    def close(self) -> None:
        for conn in (self.inbox, self.outbox):
            try:
                conn.close()
            except OSError:
                pass


LONG_QUERY = 0.5  # seconds after which a running query yields the CPU to others (niced)


class WorkerPool:
    """Processes that each hold a copy of the store, loaded from the snapshot file.

    Workers are plain subprocesses (``python -m lpsplan.sparql.worker``) talking
    over their stdin/stdout, so they never re-run the caller's main module.

    Fairness: the pool keeps a spare worker ready while it has fewer than ``max_size``,
    so a client's cheap query does not wait behind others' long ones; a query still
    running after :data:`LONG_QUERY` seconds is niced, so the cheap ones also get the
    CPU first.  Workers beyond ``size`` are retired once they are idle again.
    """

    def __init__(self, size: int, snapshot: str, generation: int, *, wait: bool = True, offline: bool = True,
                 max_size: int | None = None):
        """Start ``size`` workers on the snapshot.  ``wait=False`` returns while they load it, so
        the caller can load its own copy at the same time; call :meth:`wait_ready` before use."""
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.size = max(1, size)
        self.max_size = max(self.size, max_size or self.size)
        self._growing = 0
        self.snapshot, self.generation = snapshot, generation
        self.offline = offline  # workers without a network: SERVICE and LOAD are refused on this server
        self.isolated: bool | None = None  # whether the kernel gave them no network (see worker.cut_network)
        self.killed = 0
        # ad-hoc queries may hold all workers but one: however many runaway queries arrive,
        # one worker stays free for the service's own questions (with one worker: no reserve)
        self._adhoc = threading.BoundedSemaphore(self.max_size - 1) if self.max_size > 1 else None
        self._starting = [self._spawn() for _ in range(self.size)]
        self._closed = threading.Event()
        if self.max_size > self.size:
            threading.Thread(target=self._reap, daemon=True, name="lpsplan-worker-reaper").start()
        if wait:
            self.wait_ready()

    def _reap(self, every: float = 2.0) -> None:
        """Retire idle workers beyond ``size`` (keeping one spare), so memory goes back down after a burst."""
        while not self._closed.wait(every):
            while True:
                with self._lock:
                    extra = len(self._all) > self.size and self._idle.qsize() > 1
                if not extra:
                    break
                try:
                    w = self._idle.get_nowait()
                except queue.Empty:
                    break
                self._retire(w)

    def wait_ready(self, seconds: float = 600) -> None:
        """Wait for the workers started by the constructor (a large snapshot takes a while to load)."""
        starting, self._starting = self._starting, []
        for w in starting:
            self._idle.put(self._ready(w, seconds))

    def _start(self) -> _Worker:
        return self._ready(self._spawn(), 600)

    def _spawn(self) -> _Worker:
        package_parent = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)}
        args = [sys.executable, "-m", "lpsplan.sparql.worker", self.snapshot, str(self.generation)] + (["offline"] if self.offline else [])
        process = subprocess.Popen(args,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        inbox = Connection(os.dup(process.stdin.fileno()), readable=False)
        outbox = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        return _Worker(process, inbox, outbox)

    def _ready(self, w: _Worker, seconds: float) -> _Worker:
        try:
            message = w.outbox.recv() if w.outbox.poll(seconds) else ("",)
            ok = message[0] == "ready"
            if ok:
                self.isolated = message[1] == "offline"
        except (EOFError, OSError):
            ok = False
        if not ok:
            self._retire(w)
            raise BackendUnavailable("a query worker did not start")
        with self._lock:
            self._all.add(w)
        return w

    def _retire(self, w: _Worker, spool: str | None = None) -> None:
        w.process.kill()
        w.process.wait(5)
        w.close()
        if spool:
            drop_partial(spool, w.process.pid)
        with self._lock:
            self._all.discard(w)

    def publish(self, snapshot: str, generation: int) -> None:
        self.snapshot, self.generation = snapshot, generation

    def run(self, request: dict, timeout: float, adhoc: bool = False) -> tuple[str, str, bytes]:
        if not (adhoc and self._adhoc):
            return self._run(request, timeout)
        if not self._adhoc.acquire(timeout=timeout):
            raise QueryTimeout(f"no query worker became free for ad-hoc queries within {timeout:g} s; the server is busy")
        try:
            return self._run(request, timeout)
        finally:
            self._adhoc.release()

    def _grow(self) -> None:
        """Start one more worker in the background, unless the pool is at its cap."""
        with self._lock:
            if len(self._all) + self._growing >= self.max_size:
                return
            self._growing += 1

        def start() -> None:
            try:
                self._idle.put(self._start())
            except BackendUnavailable:
                pass
            finally:
                with self._lock:
                    self._growing -= 1

        threading.Thread(target=start, daemon=True, name="lpsplan-worker-start").start()

    def _take(self, timeout: float) -> _Worker:
        try:
            w = self._idle.get_nowait()
        except queue.Empty:
            self._grow()
            try:
                w = self._idle.get(timeout=timeout)
            except queue.Empty:
                raise QueryTimeout(f"no query worker became free within {timeout:g} s; the server is busy") from None
        if self._idle.empty():
            self._grow()  # a spare for the next client
        return w

    def _give_back(self, w: _Worker, niced: bool) -> None:
        with self._lock:
            surplus = len(self._all) > self.size and not self._idle.empty()
        if niced and not surplus:
            try:
                os.setpriority(os.PRIO_PROCESS, w.process.pid, 0)
            except OSError:  # not allowed to raise a priority again: replace the worker
                surplus = True
        if surplus:
            self._retire(w)
        else:
            self._idle.put(w)

    def _run(self, request: dict, timeout: float) -> tuple[str, str, bytes]:
        w = self._take(timeout)
        niced = False
        try:
            w.inbox.send((self.generation, self.snapshot, request))
            answered = w.outbox.poll(min(LONG_QUERY, timeout))
            if not answered:
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, w.process.pid, 10)
                    niced = True
                answered = w.outbox.poll(max(0.0, timeout - LONG_QUERY))
            if answered:
                result = w.outbox.recv()
                self._give_back(w, niced)
                return result
        except (EOFError, OSError):
            self._retire(w, request.get("spool"))
            self._idle.put(self._start())
            raise BackendUnavailable("a query worker died; the query was not answered") from None
        self._retire(w, request.get("spool"))  # past the deadline: stop the work
        self.killed += 1
        self._idle.put(self._start())
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._all)
        for w in workers:
            try:
                w.inbox.send(None)
                w.process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                w.process.kill()
                w.process.wait(5)
            w.close()


class ResultCache:
    """Answers by (store generation, query, dataset, requested format): a write
    starts a new generation, so an entry can never outlive the data it came from."""

    def __init__(self, entries: int, max_bytes: int = 64 * 1024 * 1024):
        from collections import OrderedDict

        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key, count_miss: bool = True):
        if not self.entries:
            return None
        with self._lock:
            answer = self._data.get(key)
            if answer is None:
                self.misses += count_miss
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key, answer: Answer) -> None:
        if not self.entries or len(answer.body) > self.max_bytes // 16:
            return
        with self._lock:
            if key in self._data:
                return
            self._data[key] = answer
            self._bytes += len(answer.body)
            while len(self._data) > self.entries or self._bytes > self.max_bytes:
                _, old = self._data.popitem(last=False)
                self._bytes -= len(old.body)


class EmbeddedBackend(Backend):
    """Reads never wait for a write to validate: writers queue on ``_write_lock`` while they build
    and check a candidate, and take ``_state_lock`` only for the moment their change is applied;
    readers of this process's store (``GET /store``) take ``_state_lock`` alone, so they see the
    old state until the new one is committed, never a half-applied one."""

    kind = "embedded"

    def __init__(self, store: ox.Store, shapes, limits, *, workers: int = 2, snapshot_path: str | os.PathLike[str] | None = None,
                 engine: str = "turbo", cache_entries: int = 256, pool: WorkerPool | None = None, on_close=None,
                 max_workers: int | None = None):
        """``pool``: workers already started on ``snapshot_path``, which then holds exactly ``store``
        (see :func:`lpsplan.service.open_backend`); otherwise the store is written there first.
        ``workers=0``: a store opened to write only (ingest): no query workers, and no snapshot
        until a write commits."""
        super().__init__(shapes, limits, engine)
        self._on_close = on_close
        self.store = store
        self.cache = ResultCache(cache_entries)
        self._deferred = self._pending = False
        self._depth = 0
        self._write_lock = threading.RLock()
        self._state_lock = threading.Lock()
        if snapshot_path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="lpsplan-")
            snapshot_path = Path(self._tmp.name) / "store.nq"
        self.snapshot_path = Path(snapshot_path)
        self.spool = spool_folder(self.snapshot_path.parent)  # large answers, on their way to a client
        self.inline_bytes = INLINE_BYTES  # answers up to this size come back as bytes (and may be cached)
        self.generation = 0
        if workers == 0 and pool is None:
            pass
        elif pool is None:
            self._write_snapshot(store)
            self.generation = 1
            pool = WorkerPool(workers, str(self.snapshot_path), self.generation, offline=not limits.allow_remote, max_size=max_workers)
        else:
            pool.wait_ready()
            self.generation = pool.generation
        self.pool = pool

    # -- reading ------------------------------------------------------------
    def query(self, query, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None, adhoc=False,
              stream=False) -> Answer:
        fetching = self.refuse_remote_fetch(query)
        key = (self.generation, query, tuple(default_graphs), tuple(named_graphs), accept, fmt, base_iri)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        request = {"query": query, "default_graphs": list(default_graphs), "named_graphs": list(named_graphs),
                   "accept": accept, "format": fmt, "base_iri": base_iri, "max_rows": self.limits.max_rows,
                   "max_bytes": self.limits.max_answer, "spool": self.spool, "inline": self.inline_bytes,
                   "remote": bool(fetching)}
        if self.pool is None:
            raise BackendUnavailable("this store was opened for writing only (no query workers)")
        kind, media, body = self.pool.run(request, self.limits.timeout, adhoc=adhoc)
        if kind == "spooled":  # too large to cache or to hold: sent on from the file, or read for the caller
            fh = claim(body)
            if stream:
                return Answer(media, spool=fh)
            with fh:
                return Answer(media, fh.read())
        answer = _answer(kind, media, body)
        self.cache.put(key, answer)
        return answer

    def cached(self, query, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None) -> Answer | None:
        """The cached answer :meth:`query` would give, or None — without a worker or a thread."""
        key = (self.generation, query, tuple(default_graphs), tuple(named_graphs), accept, fmt, base_iri)
        return self.cache.get(key, count_miss=False)

    def get_graph(self, graph, accept) -> Answer:
        """The graph, written to a spool file (never held as one string here) and streamed from it."""
        media = rdf_media(accept)
        fd, path = tempfile.mkstemp(prefix="graph.", dir=self.spool)
        try:
            with os.fdopen(fd, "wb") as fh, self._state_lock:  # never a graph half-written
                require_graph(self.has_graph(graph), graph)
                self.store.dump(fh, format=RDF_TYPES[media], from_graph=graph_node(graph))
            return Answer(media, spool=claim(path))
        finally:
            Path(path).unlink(missing_ok=True)

    def has_graph(self, graph) -> bool:
        return True if graph is None else self.store.contains_named_graph(ox.NamedNode(graph))

    def triples(self) -> int:
        return len(self.store)

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
        with self._write_lock:
            load_rdf(ox.Store(), data, media, graph)  # refused here, before anything changes, if it does not parse
            with self._state_lock:
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
        with self._write_lock:
            if not validated:
                content = list(triples)
                if method == "POST" and self.store.contains_named_graph(node):
                    content += [q.triple for q in self.store.quads_for_pattern(None, None, None, node)]
                self._gate_with(graph, content, before_graph=node)
            with self._state_lock:
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
        with self._write_lock:
            self._depth += 1
            if self._depth == 1:
                self._deferred, self._pending = True, False
        try:
            yield self
        finally:
            with self._write_lock:
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
            with self._state_lock:
                apply_graph_write(self.store, "DELETE", graph, [])
            self._committed()

    def _write(self, apply, reset: bool = False) -> None:
        """A write on a copy of the store, gated, then swapped in.  ``reset``: DROP/CLEAR ALL, which
        may remove everything (the removal check is for deletions that leave the rest behind)."""
        with self._write_lock:
            candidate = ox.Store()
            candidate.bulk_extend(self.store)  # a quad-by-quad copy: half the time of dump + parse
            before = None if reset else Structure.of(candidate)
            apply(candidate)
            self.gate(candidate, before)
            self._write_snapshot(candidate)
            with self._state_lock:
                self.store = candidate
            self._publish()

    def _publish(self) -> None:
        """The workers move to the snapshot just written, then the generation the caches key on: an
        answer computed from the old data can never be cached under the new generation."""
        generation = self.generation + 1
        if self.pool:
            self.pool.publish(str(self.snapshot_path), generation)
        self.generation = generation

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
            if self.pool:
                self.pool.close()
            shutil.rmtree(self.spool, ignore_errors=True)
        finally:
            if self._on_close:
                self._on_close()


def _answer(kind: str, media: str, body: bytes) -> Answer:
    """A worker's outcome as an answer or an error.  Messages that may carry bytes from another host
    (a SERVICE call's failure) or the server's internals are logged, never sent to the client."""
    from .errors import InternalError, NotAcceptableError, ResultTooLarge, UpstreamError

    if kind == "ok":
        return Answer(media, body)
    if kind == "syntax":
        raise QuerySyntaxError(media)
    if kind == "not-acceptable":
        raise NotAcceptableError(media)
    if kind == "too-large":
        raise ResultTooLarge(media)
    if kind == "upstream":
        log.warning("a SERVICE call failed: %s", media)
        raise UpstreamError("a SERVICE call failed or answered something that could not be read; the details are in the server's log")
    if kind == "error":
        log.warning("a query failed: %s", media)
        raise ProtocolError("the query could not be evaluated (the store or the answer's spool failed); the details are in the server's log")
    log.error("a query worker failed: %s", media)
    raise InternalError("internal error while evaluating the query; the details are in the server's log")
