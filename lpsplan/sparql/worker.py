"""Query execution, in a worker process that can be killed at the timeout.

pyoxigraph cannot cancel a running query, so the embedded backend runs queries
in a small pool of processes, each reading the store from the snapshot's on-disk
mirror (or, until that is written, its own copy loaded from the snapshot file);
a query past its deadline is stopped by killing its process.  The snapshot is
rewritten after every committed write and workers reload when it changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import traceback

import pyoxigraph as ox

from . import formats
from .messages import Outcome, QueryRequest, Ready, Result
from .spool import INLINE_BYTES, Spool, TooManyBytes


def execute(store: ox.Store, request: QueryRequest) -> Result:
    """Run one query: the answer (OK), or the path of its file when it outgrew memory (SPOOLED,
    see :mod:`.spool`), or the failure's outcome and message."""
    inline = INLINE_BYTES if request.inline is None else request.inline
    out = Spool(request.spool, inline, request.max_bytes)
    try:
        options = {}
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
            options.setdefault("default_graph", [])  # the protocol: named graphs only, so an empty default graph
        result = store.query(request.query, base_iri=request.base_iri, **options)
        if isinstance(result, ox.QueryBoolean):
            media = formats.result_media(request.accept, request.format)
            return Result(Outcome.OK, media, formats.serialize_boolean(bool(result), media))
        if isinstance(result, ox.QuerySolutions):
            media = formats.result_media(request.accept, request.format)
            formats.write_solutions(result, media, request.max_rows, out)
        else:
            media = formats.rdf_media(request.accept, request.format)
            formats.write_triples(result, media, request.max_rows, out)
        kind, body = out.finish()
        return Result(Outcome.OK if kind == "inline" else Outcome.SPOOLED, media, body)
    except SyntaxError as exc:
        return Result(Outcome.SYNTAX, syntax_message(exc))
    except formats.NotAcceptable as exc:
        return Result(Outcome.NOT_ACCEPTABLE, str(exc))
    except (formats.TooManyRows, TooManyBytes) as exc:
        out.discard()
        return Result(Outcome.TOO_LARGE, str(exc))
    except MemoryError:  # past LPSPLAN_WORKER_MEMORY in Python's own allocations: end as the engine's abort does
        os._exit(70)  # the parent answers 502 and starts another worker
    except Exception as exc:  # noqa: BLE001 - classified below, reported to the parent
        out.discard()
        if request.remote:  # SERVICE is allowed and used: whatever failed, it was the remote side's
            return Result(Outcome.UPSTREAM, f"{type(exc).__name__}: {str(exc)[:300]}")
        if isinstance(exc, OSError):  # the spool's disk is full, or the store could not be read
            return Result(Outcome.ERROR, f"{type(exc).__name__}: {str(exc)[:300]}")
        if isinstance(exc, ValueError):  # a malformed IRI or term the parent let through
            return Result(Outcome.SYNTAX, str(exc).splitlines()[0][:300] if str(exc) else "malformed query")
        return Result(Outcome.BUG, traceback.format_exc())


def syntax_message(exc: SyntaxError) -> str:
    """Oxigraph says 'error at 1:22: expected one of …'; keep the position and the gist."""
    text = str(exc)
    m = re.match(r"error at (\d+):(\d+): (.*)", text, re.DOTALL)
    if not m:
        return text.splitlines()[0]
    expected = m.group(3).split("\n")[0]
    if len(expected) > 160:
        expected = expected[:157] + "…"
    return f"line {m.group(1)}, column {m.group(2)}: {expected}"


def load_snapshot(path: str | None) -> ox.Store:
    """The store to query: the snapshot's on-disk mirror opened read-only (a folder: shared with the
    service and the other workers through the page cache, open in milliseconds), or the N-Quads
    snapshot loaded into memory."""
    if path and os.path.isdir(path):
        return ox.Store.read_only(path)
    store = ox.Store()
    if path:
        store.load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def _trim() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def cut_network() -> bool:
    """Move this process into a network namespace of its own, with no interface up: no SERVICE
    or LOAD can then reach any host, whatever the query says.  True when done; where the kernel
    refuses (no user namespaces for this user), the SERVICE/LOAD refusal alone stands guard."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(CLONE_NEWNET) == 0 or libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def exit_with_parent(every: float = 1.0) -> None:
    """End this worker when the service that started it is gone (killed with SIGKILL, say): a thread looks at the
    parent's process id every ``every`` seconds, and a runaway query evaluated meanwhile does not keep it from
    looking (the store releases the interpreter's lock while it evaluates)."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def cap_memory(headroom: int) -> None:
    """Let this process allocate at most ``headroom`` bytes beyond what it holds now (its store):
    a query that builds a huge value (``CONCAT(?a, ?a)`` doubled thirty times is 10 GB from a
    1 KB query) then ends this worker — the service answers 502 and starts another — instead of
    taking the machine's memory.  0 lifts the cap (before a new store is loaded)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    soft = hard
    if headroom:
        with open("/proc/self/status") as status:
            data = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:")), 0)
        soft = data + headroom if hard == resource.RLIM_INFINITY else min(hard, data + headroom)
    resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def serve(inbox, outbox, snapshot: str | None, generation: int, offline: bool = False, memory: int = 0) -> None:
    """Worker process main loop: :class:`Ready` out once the store is loaded, then (generation,
    snapshot, :class:`QueryRequest`) in and :class:`Result` out, until None comes in.  ``memory``:
    the bytes a query may allocate beyond the store (see :func:`cap_memory`; 0: no cap)."""
    isolated = cut_network() if offline else False
    store = load_snapshot(snapshot)
    if memory:
        cap_memory(memory)
    outbox.send(Ready(isolated))
    source = snapshot
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        gen, path, request = message
        if (gen, path) != (generation, source):  # a write, or the same data moved to its on-disk mirror
            del store
            _trim()  # the old copy's pages go back to the system before the new one is read
            if memory:
                cap_memory(0)  # the new store may be larger than the old
            store, generation, source = load_snapshot(path), gen, path
            if memory:
                cap_memory(memory)
        outbox.send(execute(store, request))


if __name__ == "__main__":  # started by EmbeddedBackend: python -m lpsplan.sparql.worker SNAPSHOT GENERATION [offline]
    import sys
    from multiprocessing.connection import Connection

    exit_with_parent()
    serve(Connection(0, writable=False), Connection(1, readable=False), sys.argv[1], int(sys.argv[2]),
          offline=sys.argv[3:4] == ["offline"], memory=int(os.environ.get("LPSPLAN_WORKER_MEMORY") or 0))
