"""Microseconds per request through the service's ASGI stack, in process (no sockets, no load
generator): what the middlewares and the ``GET /sparql`` fast paths cost, apart from the network.

    .venv/bin/python bench/asgi_bench.py [--requests 20000] [--label NAME]

Cases, each the median of 5 rounds of ``--requests`` requests:
  - replay: the same GET /sparql again (answer cache on): the reply kept for that request is resent;
  - cache hit: the same query, each request with a header of its own (no reply kept for it), so the
    request is parsed and the answer found in the answer cache;
  - cache off, in process: the answer cache off, a named question measured cheap, evaluated on the
    event loop's thread;
  - /healthz: a routed request through every middleware.
Prints the table and the load average and writes bench/out/asgi[-NAME].json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "coownership-domain"


def scope(path: str, query_string: bytes, headers: list[tuple[bytes, bytes]]) -> dict:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query_string, "headers": headers,
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}


async def call(app, s: dict) -> int:
    status = [0]

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status[0] = message["status"]

    await app(s, receive, send)
    return status[0]


async def rounds(app, make_scope, requests: int) -> float:
    """Median µs per request over 5 rounds (after one warm-up request); every answer must be 200."""
    assert await call(app, make_scope(-1)) == 200
    per = []
    for r in range(5):
        started = time.perf_counter()
        for i in range(requests):
            status = await call(app, make_scope(r * requests + i))
            if status != 200:
                raise SystemExit(f"status {status}")
        per.append((time.perf_counter() - started) / requests * 1e6)
    return statistics.median(per)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    import pyoxigraph as ox
    from lpsplan.api.app import create_app
    from lpsplan.build import build_plan, write_graph
    from lpsplan.config import Settings
    from lpsplan.queries import Catalogue
    from lpsplan.sparql.backend import Limits
    from lpsplan.sparql.embedded import EmbeddedBackend

    settings = Settings.from_env()
    work = Path(tempfile.mkdtemp(prefix="lpsplan-asgi-"))
    write_graph(build_plan(settings).graph, work / "plan.ttl")
    catalogue = Catalogue.load(settings.paths.queries)
    question = catalogue.get(QUESTION).render()
    qs = f"query={quote(question)}".encode()
    accept = (b"accept", b"application/sparql-results+json")
    load = [os.getloadavg()[0]]
    results = {}
    for cache in (256, 0):
        store = ox.Store()
        store.load(path=str(work / "plan.ttl"), format=ox.RdfFormat.TURTLE)
        backend = EmbeddedBackend(store, None, Limits(timeout=30), workers=1, snapshot_path=work / f"store-{cache}.nq",
                                  cache_entries=cache)
        try:
            app = create_app(settings.with_(cache_entries=cache), backend, catalogue)
            warming = getattr(app.state, "link_warming", None)
            if warming is not None:
                warming.join(300)
            cases = {"/healthz": lambda i: scope("/healthz", b"", [accept])}
            if cache:
                cases["replay"] = lambda i: scope("/sparql", qs, [accept])
                cases["cache hit"] = lambda i: scope("/sparql", qs, [accept, (b"x-request", str(i).encode())])
            else:
                cases["cache off, in process"] = lambda i: scope("/sparql", qs, [accept, (b"x-request", str(i).encode())])
            for name, make in cases.items():
                n = args.requests if name != "cache off, in process" else max(200, args.requests // 20)
                results[f"{name} (cache {'on' if cache else 'off'})"] = asyncio.run(rounds(app, make, n))
                load.append(os.getloadavg()[0])
        finally:
            backend.close()
    lines = [f"load average (1 min) {min(load):.2f}–{max(load):.2f} on {os.cpu_count()} cores", "", "| case | µs per request |", "|---|---:|"]
    lines += [f"| {name} | {us:,.1f} |" for name, us in results.items()]
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"asgi{'-' + args.label if args.label else ''}.json").write_text(json.dumps({"load": load, "us": results}, indent=2),
                                                                            encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
