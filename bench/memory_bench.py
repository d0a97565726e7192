"""Peak memory while a large answer streams: lpsplan serve against oxigraph serve.

    .venv/bin/python bench/memory_bench.py [--rows 100000 1000000]

The same SELECT (the plan graph's triples joined with every typed node, cut at
N rows) is sent to `lpsplan serve` (embedded store, one query worker) and to
`oxigraph serve` holding the same triples.  The client reads the body as it
comes and keeps none of it; the process tree's resident memory (the service and
its query workers) is sampled every 20 ms.  Target (issue: hardening): memory
does not grow with the answer.  Writes the "Large results" section of
docs/benchmarks.md and bench/out/memory.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from common import record, write_section
from server import lpsplan_process, memory_during, oxigraph_server, stream_size

QUERY = "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o . ?x a ?t }} LIMIT {n}"
FORMATS = {"csv": "text/csv", "json": "application/sparql-results+json"}


def measure(url: str, pid: int, rows: int, fmt: str, form: bool) -> dict:
    params = {"query": QUERY.format(n=rows)}
    if form:
        params["format"] = fmt
    t = time.perf_counter()
    m = memory_during(pid, lambda: stream_size(url, params=params, headers={"Accept": FORMATS[fmt]}))
    status, size = m.result
    if status != 200:
        raise SystemExit(f"{url} answered {status} for {rows:,} rows")
    # growth: the processes that were there before (the service and the worker that answers);
    # a spare worker the pool starts while its only worker is busy is counted apart (it is a fixed cost)
    return {"rows": rows, "format": fmt, "bytes": size, "seconds": time.perf_counter() - t,
            "idle_mb": m.before / 1e6, "peak_mb": m.peak_existing / 1e6, "growth_mb": (m.peak_existing - m.before) / 1e6,
            "tree_peak_mb": m.peak / 1e6, "started_mb": m.peak_started / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = ap.parse_args()

    from lpsplan.build import build_plan, serialize, write_graph
    from lpsplan.config import Settings

    graph = build_plan(Settings.from_env()).graph
    results: dict[str, list[dict]] = {"lpsplan serve": [], "oxigraph serve": []}
    with tempfile.TemporaryDirectory(prefix="lpsplan-memory-") as work:
        work = Path(work)
        write_graph(graph, work / "plan.ttl")
        env = {"LPSPLAN_MAX_ROWS": str(max(args.rows) + 1), "LPSPLAN_MAX_ANSWER": str(1 << 30), "LPSPLAN_TIMEOUT": "600", "LPSPLAN_WORKERS": "1", "LPSPLAN_CACHE": "0"}
        with lpsplan_process(work, **env) as (base, proc):
            for rows in args.rows:
                for fmt in FORMATS:
                    results["lpsplan serve"].append(measure(f"{base}/sparql", proc.pid, rows, fmt, True))
        with oxigraph_server(work / "oxigraph") as base:
            httpx.post(f"{base}/store", params={"default": ""}, content=serialize(graph), headers={"Content-Type": "text/turtle"},
                       timeout=120).raise_for_status()
            pid = _listener_pid(base)
            for rows in args.rows:
                for fmt in FORMATS:
                    results["oxigraph serve"].append(measure(f"{base}/query", pid, rows, fmt, False))
    record("memory", results)
    lines = report(results, len(graph))
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines), "memory")
    print("\n".join(lines))


def _listener_pid(base: str) -> int:
    """The process listening on the oxigraph server's port."""
    import psutil

    port = int(base.rsplit(":", 1)[1])
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            return conn.pid
    raise SystemExit(f"no process listens on port {port}")


def report(results: dict[str, list[dict]], triples: int) -> list[str]:
    lines = ["## Large results: memory while streaming", "",
             f"A SELECT over the plan graph ({triples:,} triples) joined with every typed node, cut at N rows, read by a client "
             "that keeps none of it; resident memory of the server's process tree (lpsplan: the service and its one query "
             "worker) sampled every 20 ms.  lpsplan's worker writes answers over 4 MiB to a spool file in batches of 1,024 "
             "rows and the service streams the file; oxigraph serve streams as it evaluates.  Target: memory does not grow "
             "with the answer.  \"growth\" is that of the processes there before the query (the service and the worker "
             "that answers); when the pool's only worker is taken it starts a spare for the next client, and that "
             "process, a fixed cost whatever the answer, is the column \"spare worker\".", "",
             "| server | rows | format | answer | time | idle RSS | peak RSS | growth | growth ÷ answer | spare worker |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for server, runs in results.items():
        for r in runs:
            lines.append(f"| {server} | {r['rows']:,} | {r['format']} | {r['bytes'] / 1e6:,.0f} MB | {r['seconds']:.1f} s | "
                         f"{r['idle_mb']:,.0f} MB | {r['peak_mb']:,.0f} MB | {r['growth_mb']:,.0f} MB | "
                         f"{r['growth_mb'] * 1e6 / r['bytes']:.2f} | {r.get('started_mb', 0):,.0f} MB |")
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
