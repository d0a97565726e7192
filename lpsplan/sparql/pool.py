"""Query worker processes: where queries that may run away are evaluated, so that one past its
deadline can be stopped by killing its process (pyoxigraph cannot cancel a query).

Each worker holds a copy of the store, loaded from the snapshot file (see :mod:`.worker`).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import BackendUnavailable, QueryTimeout, SparqlError, TooManyQueries
from .messages import QueryRequest, Ready, Result
from .spool import drop_partial


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    inbox: Connection  # we send requests here
    outbox: Connection  # and read answers here

    def close(self) -> None:
        for conn in (self.inbox, self.outbox):
            with contextlib.suppress(OSError):
                conn.close()


LONG_QUERY = 0.5  # seconds after which a running query yields the CPU to others (niced)


CLIENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("lpsplan_client", default=None)
"""Whom a query is evaluated for: the service sets it to the client's address for each request
(see :class:`lpsplan.api.middleware.ClientAddress`); None for the service's own work and for callers
of the library, which no client share limits."""


class ClientShares:
    """How many operations of a kind each client (see :data:`CLIENT`) has in progress.  One more than
    ``per_client`` is refused at once with ``error`` (a 429 in the service): it waits for none of them and
    holds nothing; 0: no limit.  ``what`` names the operations in the message."""

    def __init__(self, per_client: int, error: type[Exception], what: str):
        self.per_client, self.error, self.what = per_client, error, what
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, client: str | None):
        if client is None or not self.per_client:
            yield
            return
        with self._lock:
            held = self._held.get(client, 0)
            if held >= self.per_client:
                raise self.error(f"this client already has {held} {self.what} (LPSPLAN_CLIENT_QUERIES = {self.per_client}); "
                                 "send the next one when one of them has been answered")
            self._held[client] = held + 1
        try:
            yield
        finally:
            with self._lock:
                held = self._held.pop(client) - 1
                if held:
                    self._held[client] = held


class WorkerPool:
    """Processes that each hold a copy of the store, loaded from the snapshot file.

    Workers are plain subprocesses (``python -m lpsplan.sparql.worker``) talking
    over their stdin/stdout, so they never re-run the caller's main module.

    Fairness: the pool keeps a spare worker ready while it has fewer than ``max_size``,
    so a client's cheap query does not wait behind others' long ones; a query still
    running after :data:`LONG_QUERY` seconds is niced, so the cheap ones also get the
    CPU first; neither clients' ad-hoc queries nor the service's own may hold every
    worker (see :meth:`run`).  Workers beyond ``size`` are retired once they are idle again.
    """

    def __init__(self, size: int, snapshot: str, generation: int, *, wait: bool = True, offline: bool = True,
                 max_size: int | None = None, memory: int = 0):
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
        self.memory = memory  # bytes each worker may allocate beyond its store (0: no limit; see worker.cap_memory)
        self.isolated: bool | None = None  # whether the kernel gave them no network (see worker.cut_network)
        self.killed = 0  # workers killed past the deadline (the service's metric lpsplan_worker_kills_total)
        self.running = 0  # queries being evaluated in a worker now (the service's metric lpsplan_worker_queries)
        # a client (see CLIENT) may have this many queries in the workers at once (0: no limit), so one
        # client's many connections cannot hold the workers every other client's queries wait for
        self.clients = ClientShares(0, TooManyQueries, "queries being evaluated")
        # ad-hoc queries may hold all workers but one: however many runaway queries arrive, one worker
        # stays free for the service's own questions; and these (a named question's first run, or one
        # measured costly) may hold all but one too, so however many costly named questions clients ask,
        # with whatever parameters, one worker stays free for ad-hoc queries (with one worker: no reserve)
        self._shares = {kind: threading.BoundedSemaphore(self.max_size - 1) for kind in ("ad-hoc", "service")} \
            if self.max_size > 1 else {}
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
                with self._lock:  # taken from the idle ones and from the pool at once: never counted in one, not the other
                    if not (len(self._all) > self.size and self._idle.qsize() > 1):
                        break
                    try:
                        w = self._idle.get_nowait()
                    except queue.Empty:
                        break
                    self._all.discard(w)
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
        env["LPSPLAN_WORKER_MEMORY"] = str(self.memory)
        process = subprocess.Popen(args,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        inbox = Connection(os.dup(process.stdin.fileno()), readable=False)
        outbox = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        return _Worker(process, inbox, outbox)

    def _ready(self, w: _Worker, seconds: float) -> _Worker:
        try:
            message = w.outbox.recv() if w.outbox.poll(seconds) else None
            ok = isinstance(message, Ready)
            if ok:
                self.isolated = message.isolated
        except (EOFError, OSError):
            ok = False
        if not ok:
            self._retire(w)
            raise BackendUnavailable("a query worker did not start")
        with self._lock:
            self._all.add(w)
        return w

    def _retire(self, w: _Worker, spool: str | None = None) -> None:
        with self._lock:  # out of the pool first: a worker being killed is no longer one of its workers
            self._all.discard(w)
        w.process.kill()
        w.process.wait(5)
        w.close()
        if spool:
            drop_partial(spool, w.process.pid)

    def publish(self, snapshot: str, generation: int) -> None:
        self.snapshot, self.generation = snapshot, generation

    def run(self, request: QueryRequest, timeout: float, adhoc: bool = False, timing: list | None = None) -> Result:
        """Evaluate ``request`` in a worker; ``timing``, when given, gets the seconds the worker took
        (from sending the request to its answer: the wait for a free worker not included).  ``adhoc``: a
        client's query, else the service's; each kind may hold all workers but one."""
        with self.clients.hold(CLIENT.get()):
            share = self._shares.get("ad-hoc" if adhoc else "service")
            if share is None:
                return self._run(request, timeout, timing)
            if not share.acquire(timeout=timeout):
                kind = "ad-hoc queries" if adhoc else "the service's questions"
                raise QueryTimeout(f"no query worker became free for {kind} within {timeout:g} s; the server is busy")
            try:
                return self._run(request, timeout, timing)
            finally:
                share.release()

    @property
    def per_client(self) -> int:
        """Queries one client may have in the workers at once (``LPSPLAN_CLIENT_QUERIES``; 0: no limit)."""
        return self.clients.per_client

    @per_client.setter
    def per_client(self, n: int) -> None:
        self.clients.per_client = n

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

    def _run(self, request: QueryRequest, timeout: float, timing: list | None = None) -> Result:
        w = self._take(timeout)
        with self._lock:
            self.running += 1
        try:
            outcome = self._evaluate(w, request, timeout, timing)
        finally:
            with self._lock:
                self.running -= 1
        if isinstance(outcome, Result):
            return outcome
        self._idle.put(self._start())  # the worker is gone: a new one in its place
        raise outcome

    def _evaluate(self, w: _Worker, request: QueryRequest, timeout: float, timing: list | None) -> Result | SparqlError:
        """The worker's answer; or, when the worker died or ran past the deadline and was killed,
        the error to answer with."""
        niced = False
        started = time.perf_counter()
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
                if timing is not None:
                    timing.append(time.perf_counter() - started)
                self._give_back(w, niced)
                return result
        except (EOFError, OSError):
            self._retire(w, request.spool)
            return BackendUnavailable("a query worker died; the query was not answered")
        self._retire(w, request.spool)  # past the deadline: stop the work
        with self._lock:
            self.killed += 1
        return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")

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


IN_PROCESS_SECONDS = 0.1  # a trusted query last measured in process under this stays in process
WORKER_FACTOR = 10  # a worker's run (on the on-disk mirror: 2-12x slower than the store in memory, measured) under
                    # this many times IN_PROCESS_SECONDS, and a quarter of the timeout, moves the query in process
INLINE_SECONDS = 0.001  # and under this, sent to /sparql, on the event loop's thread (see api.sparql.CachedAnswers)


class Placement:
    """Where one of the service's own (trusted) queries runs.  Its first run, its cost unknown, is in a
    query worker, where the timeout can stop it, and timed there; once a worker has answered it in
    under :attr:`worker_limit` it runs in the calling thread, on the service's store — no pipe, no copy
    of the answer, and both cores (pyoxigraph releases the GIL while it evaluates) — and stays there
    while its in-process runs take under ``limit`` seconds.  One that ran longer goes back to the
    workers.  Costs are kept by store generation, so a write that makes a query costly cannot leave it
    in process.  Nothing is ever evaluated in process before a worker has finished it on the same data:
    a query whose cost is unknown (a named question with a parameter never asked before) can never run
    past the timeout on a thread that cannot be stopped.  Ad-hoc queries from clients are never placed
    here."""

    def __init__(self, limit: float = IN_PROCESS_SECONDS, timeout: float = float("inf"), entries: int = 4096,
                 max_chars: int = 16 * 2**20):
        from collections import OrderedDict

        # bounded in entries and in the characters of the queries kept: a page asked about a 60,000-character IRI
        # keeps half a dozen queries that long, and 4,096 of them would be hundreds of MB
        self.limit, self.entries, self.max_chars = limit, entries, max_chars
        self.chars = 0
        self.worker_limit = min(limit * WORKER_FACTOR, timeout / 4)
        self.trusted: frozenset[str] = frozenset()
        self._cost: OrderedDict = OrderedDict()  # key -> (seconds, whether measured in process)
        self._lock = threading.Lock()
        self.here_count = self.worker_count = 0
        self.evaluating = 0  # in-process evaluations under way

    def cost(self, key) -> float | None:
        """The seconds of the query's last run in process, or None (never run here yet)."""
        seconds, here = self._cost.get(key, (None, False))
        return seconds if here else None

    def placed(self, key) -> bool:
        """Whether the query runs in process (see the class)."""
        seconds, here = self._cost.get(key, (None, False))
        return seconds is not None and seconds < (self.limit if here else self.worker_limit)

    def where(self, key, trusted: bool = True) -> str:
        """"here" (trusted, measured and small) or "worker"."""
        if trusted and self.placed(key):
            self.here_count += 1
            return "here"
        self.worker_count += 1
        return "worker"

    def measured(self, key, seconds: float, here: bool) -> None:
        """Keep the last run's cost: ``here`` in process, otherwise in a worker."""
        with self._lock:
            if key not in self._cost:
                self.chars += _chars(key)
            self._cost[key] = (seconds, here)
            self._cost.move_to_end(key)
            while len(self._cost) > self.entries or (self.chars > self.max_chars and len(self._cost) > 1):
                old, _ = self._cost.popitem(last=False)
                self.chars -= _chars(old)

    @contextlib.contextmanager
    def evaluation(self):
        with self._lock:
            self.evaluating += 1
        try:
            yield
        finally:
            with self._lock:
                self.evaluating -= 1


def _chars(key) -> int:
    """The characters of the texts in a cost key (the query, and the dataset's graph names)."""
    if isinstance(key, str):
        return len(key)
    if isinstance(key, tuple):
        return sum(_chars(k) for k in key)
    return 0
