"""Query execution, in a worker process that can be killed at the timeout.

pyoxigraph cannot cancel a running query, so the embedded backend runs queries
in a small pool of processes, each with its own copy of the store loaded from a
snapshot file; a query past its deadline is stopped by killing its process.
The snapshot is rewritten after every committed write and workers reload it
when its generation changes.
"""

from __future__ import annotations

import re
import traceback

import pyoxigraph as ox

from . import formats
from .spool import INLINE_BYTES, Spool


def execute(store: ox.Store, request: dict) -> tuple[str, str, bytes]:
    """Run one query: ("ok", media type, body), ("spooled", media type, path of the body's file)
    when the answer outgrew memory (see :mod:`.spool`), or (error kind, message, b"")."""
    out = Spool(request.get("spool"), request.get("inline", INLINE_BYTES))
    try:
        options = {}
        if request.get("default_graphs"):
            options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
        if request.get("named_graphs"):
            options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
            options.setdefault("default_graph", [])  # the protocol: named graphs only, so an empty default graph
        if request.get("union_default_graph") and "default_graph" not in options:
            options["use_default_graph_as_union"] = True
        result = store.query(request["query"], base_iri=request.get("base_iri"), **options)
        if isinstance(result, ox.QueryBoolean):
            media = formats.result_media(request.get("accept"), request.get("format"))
            return "ok", media, formats.serialize_boolean(bool(result), media)
        if isinstance(result, ox.QuerySolutions):
            media = formats.result_media(request.get("accept"), request.get("format"))
            formats.write_solutions(result, media, request["max_rows"], out)
        else:
            media = formats.rdf_media(request.get("accept"), request.get("format"))
            formats.write_triples(result, media, request["max_rows"], out)
        kind, body = out.finish()
        return ("ok" if kind == "inline" else "spooled"), media, body
    except SyntaxError as exc:
        return "syntax", syntax_message(exc), b""
    except formats.NotAcceptable as exc:
        return "not-acceptable", str(exc), b""
    except formats.TooManyRows as exc:
        out.discard()
        return "too-large", str(exc), b""
    except OSError as exc:  # e.g. a SERVICE call that failed, or the spool's disk is full
        out.discard()
        return "error", str(exc), b""
    except ValueError as exc:  # a malformed IRI or term the parent let through
        return "syntax", str(exc), b""
    except Exception:  # noqa: BLE001 - reported to the parent as a server error
        out.discard()
        return "bug", traceback.format_exc(), b""


def syntax_message(exc: SyntaxError) -> str:
    """Oxigraph says 'error at 1:22: expected one of …'; keep the position and the gist."""
    text = str(exc)
    m = re.match(r"error at (\d+):(\d+): (.*)", text, re.S)
    if not m:
        return text.splitlines()[0]
    expected = m.group(3).split("\n")[0]
    if len(expected) > 160:
        expected = expected[:157] + "…"
    return f"line {m.group(1)}, column {m.group(2)}: {expected}"


def load_snapshot(path: str | None) -> ox.Store:
    store = ox.Store()
    if path:
        store.load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def serve(inbox, outbox, snapshot: str | None, generation: int) -> None:
    """Worker process main loop: (generation, snapshot, request) in, (kind, media, body) out."""
    store = load_snapshot(snapshot)
    outbox.send(("ready", "", b""))
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        gen, path, request = message
        if gen != generation:
            store, generation = load_snapshot(path), gen
        outbox.send(execute(store, request))


if __name__ == "__main__":  # started by EmbeddedBackend: python -m lpsplan.sparql.worker SNAPSHOT GENERATION
    import sys
    from multiprocessing.connection import Connection

    serve(Connection(0, writable=False), Connection(1, readable=False), sys.argv[1], int(sys.argv[2]))
