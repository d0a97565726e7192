"""Query worker processes: where queries that may run away are evaluated, so that one past its
deadline can be stopped by killing its process (pyoxigraph cannot cancel a query).

Each worker holds a copy of the store, loaded from the snapshot file (see :mod:`.worker`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import BackendUnavailable, QueryTimeout
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
        w.process.kill()
        w.process.wait(5)
        w.close()
        if spool:
            drop_partial(spool, w.process.pid)
        with self._lock:
            self._all.discard(w)

    def publish(self, snapshot: str, generation: int) -> None:
        self.snapshot, self.generation = snapshot, generation

    def run(self, request: QueryRequest, timeout: float, adhoc: bool = False, timing: list | None = None) -> Result:
        """Evaluate ``request`` in a worker; ``timing``, when given, gets the seconds the worker took
        (from sending the request to its answer: the wait for a free worker not included)."""
        if not (adhoc and self._adhoc):
            return self._run(request, timeout, timing)
        if not self._adhoc.acquire(timeout=timeout):
            raise QueryTimeout(f"no query worker became free for ad-hoc queries within {timeout:g} s; the server is busy")
        try:
            return self._run(request, timeout, timing)
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

    def _run(self, request: QueryRequest, timeout: float, timing: list | None = None) -> Result:
        w = self._take(timeout)
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
            self._idle.put(self._start())
            raise BackendUnavailable("a query worker died; the query was not answered") from None
        self._retire(w, request.spool)  # past the deadline: stop the work
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


IN_PROCESS_SECONDS = 0.1  # a trusted query last measured under this runs in the service process
PROBES = 2  # first runs of trusted queries in process at once (their cost unknown); more wait for none: they go to a worker
INLINE_SECONDS = 0.001  # and under this, sent to /sparql, on the event loop's thread (see api.sparql.CachedAnswers)


class Placement:
    """Where one of the service's own (trusted) queries runs.  Its first run is in process, on a thread
    the caller waits for up to the timeout (a probe: see EmbeddedBackend._probe), and measured; while
    its last run took under ``limit`` seconds it runs in the calling thread, on the service's store —
    no pipe, no copy of the answer, and both cores (pyoxigraph releases the GIL while it evaluates).
    One that ran longer goes to the query workers, where the timeout can stop it.  Ad-hoc queries
    from clients are never placed here."""

    def __init__(self, limit: float = IN_PROCESS_SECONDS, entries: int = 4096):
        from collections import OrderedDict

        self.limit, self.entries = limit, entries
        self.trusted: frozenset[str] = frozenset()
        self._cost: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.probes = threading.BoundedSemaphore(PROBES)
        self.here_count = self.worker_count = self.probe_count = 0

    def cost(self, key) -> float | None:
        return self._cost.get(key)

    def placed(self, key) -> bool:
        seconds = self._cost.get(key)
        return seconds is not None and seconds < self.limit

    def where(self, key) -> str:
        """"here" (cost known and small), "probe" (cost unknown: a first run in process, at most
        :data:`PROBES` at a time) or "worker"."""
        seconds = self._cost.get(key)
        if seconds is None and self.probes.acquire(blocking=False):
            self.probe_count += 1
            return "probe"
        if seconds is not None and seconds < self.limit:
            self.here_count += 1
            return "here"
        return "worker"

    def measured(self, key, seconds: float) -> None:
        with self._lock:
            self._cost[key] = seconds
            self._cost.move_to_end(key)
            while len(self._cost) > self.entries:
                self._cost.popitem(last=False)
