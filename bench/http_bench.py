"""HTTP throughput and latency of the named questions, side by side with the baselines.

    make bench          # or: .venv/bin/python bench/http_bench.py [--seconds 5]

Same machine, same data (the plan graph and the ontology), same queries, same
load generator (wrk, keep-alive GET, Accept: SPARQL JSON), in one run:
  - lpsplan serve (embedded Oxigraph, 2 query workers; answer cache on, and off);
  - oxigraph serve (PyPI package `oxigraph`, in memory);
  - rdflib-endpoint (PyPI `rdflib-endpoint`), with rdflib's default store and with its Oxigraph store.
Each server's answer is checked to have the same number of rows before it is timed.
Two questions get every server at 1, 4 and 16 clients; then every named question gets
lpsplan (cache on and off) and oxigraph serve at 1, 4 and 16 clients, plus its
in-process p50/p99 through lpsplan's in-process reader and through raw pyoxigraph.
Writes the "HTTP" section of docs/benchmarks.md and bench/out/http.json.

    .venv/bin/python bench/http_bench.py --quick [--seconds 5] [--label before]

The service's own hot path only (lpsplan serve, answer cache on and off, the two
questions at 1, 4 and 16 clients), for comparing two versions of the code on the
same machine: prints the table and the load average and writes
bench/out/http_quick[-LABEL].json; docs/benchmarks.md is left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from common import percentile_ms, record, write_section
from server import free_port, wait_until_up

QUESTIONS = ["coownership-domain", "coownership-pairs"]
CONCURRENCY = [1, 4, 16]


def start(cmd: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def rows(url: str, query: str) -> int:
    r = httpx.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=120)
    r.raise_for_status()
    return len(r.json()["results"]["bindings"])


def wrk(url: str, query: str, connections: int, seconds: int) -> dict:
    # form encoding, as httpx and browsers send it ('+' for a space): `oxigraph serve` refuses a request
    # whose headers pass 8 KB, and %20 for every space put the longest question past that
    target = f"{url}?{urlencode({'query': query})}"
    out = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "30s",
                          "-H", "Accept: application/sparql-results+json", target], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", out).group(1)) for p in ("50", "99")}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": lat["50"], "p99_ms": lat["99"], "non2xx": int(errors.group(1)) if errors else 0}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--all-seconds", type=int, default=2, help="seconds per cell in the every-question table")
    ap.add_argument("--quick", action="store_true", help="lpsplan serve alone (cache on and off), the two questions; no docs written")
    ap.add_argument("--label", default="", help="with --quick: a name for this run's output file")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/http_bench.py needs wrk (Debian package 'wrk'): apt-get install wrk")
    if args.quick:
        quick(args.seconds, args.label)
        return

    from lpsplan.build import build_plan, serialize, write_graph
    from lpsplan.config import Settings
    from lpsplan.queries import Catalogue

    settings = Settings.from_env()
    result = build_plan(settings)
    work = Path(tempfile.mkdtemp(prefix="lpsplan-bench-"))
    write_graph(result.graph, work / "plan.ttl")
    data = serialize(result.graph) + b"\n" + settings.paths.ontology_file.read_bytes()
    (work / "all.ttl").write_bytes(data)
    catalogue = Catalogue.load(settings.paths.queries)
    bindir = Path(sys.executable).parent

    servers: dict[str, tuple[subprocess.Popen, str]] = {}
    try:
        p = free_port()
        servers["lpsplan serve"] = (start([str(bindir / "lpsplan"), "serve", "--port", str(p), "--timeout", "60"],
                                          {"LPSPLAN_BUILD_DIR": str(work)}), f"http://127.0.0.1:{p}/sparql")
        p = free_port()
        uncached = work / "uncached"  # a store folder of its own: one writing process per store
        uncached.mkdir()
        shutil.copy(work / "plan.ttl", uncached / "plan.ttl")
        servers["lpsplan serve, cache off"] = (start([str(bindir / "lpsplan"), "serve", "--port", str(p), "--timeout", "60"],
                                                     {"LPSPLAN_BUILD_DIR": str(uncached), "LPSPLAN_CACHE": "0"}), f"http://127.0.0.1:{p}/sparql")
        p = free_port()
        servers["oxigraph serve"] = (start([str(bindir / "oxigraph"), "serve", "--bind", f"127.0.0.1:{p}"]), f"http://127.0.0.1:{p}/query")
        p = free_port()
        servers["rdflib-endpoint (rdflib store)"] = (start([str(bindir / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(p),
                                                           str(work / "all.ttl")]), f"http://127.0.0.1:{p}/")
        p = free_port()
        servers["rdflib-endpoint (Oxigraph store)"] = (start([str(bindir / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(p),
                                                             "--store", "Oxigraph", str(work / "all.ttl")]), f"http://127.0.0.1:{p}/")
        for proc, url in servers.values():
            wait_until_up(url + ("?query=ASK%7B%7D" if "?" not in url else ""), proc, seconds=120)
        ox_base = servers["oxigraph serve"][1].rsplit("/", 1)[0]
        # the same dataset lpsplan serves: its snapshot (the plan and ontology in the default graph, and the curated
        # observations in their named graph, which questions across graphs read)
        httpx.post(f"{ox_base}/store", content=(work / "store.nq").read_bytes(), headers={"Content-Type": "application/n-quads"},
                   timeout=120).raise_for_status()

        results: dict[str, dict] = {}
        for qname in QUESTIONS:
            query = catalogue.get(qname).render()
            counts = {name: rows(url, query) for name, (_, url) in servers.items()}
            assert len(set(counts.values())) == 1, f"servers disagree on {qname}: {counts}"
            for name, (_, url) in servers.items():
                for c in CONCURRENCY:
                    seconds = args.seconds if "rdflib store" not in name else max(3, args.seconds // 2)
                    results[f"{qname}|{name}|{c}"] = wrk(url, query, c, seconds) | {"rows": counts[name]}
                    time.sleep(0.5)
        every = every_question(catalogue, settings, work, {n: servers[n][1] for n in ALL_SERVERS}, args.all_seconds)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
        for proc, _ in servers.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "http.json").write_text(json.dumps({"detail": results, "every": every}, indent=2), encoding="utf-8")
    record("http-targets", targets(results, every))
    text = report(results, args.seconds) + "\n" + report_every(every, args.all_seconds)
    write_section(ROOT / "docs" / "benchmarks.md", text, "http")
    print(text)


def quick(seconds: int, label: str) -> None:
    """The hot path of the service alone: lpsplan serve with the answer cache on and off."""
    from lpsplan.build import build_plan, write_graph
    from lpsplan.config import Settings
    from lpsplan.queries import Catalogue

    settings = Settings.from_env()
    work = Path(tempfile.mkdtemp(prefix="lpsplan-bench-"))
    write_graph(build_plan(settings).graph, work / "plan.ttl")
    catalogue = Catalogue.load(settings.paths.queries)
    lpsplan = str(Path(sys.executable).parent / "lpsplan")
    servers: dict[str, tuple[subprocess.Popen, str]] = {}
    results: dict[str, dict] = {}
    try:
        for name, cache in (("cache on", None), ("cache off", "0")):
            folder = work / name.replace(" ", "-")  # a store folder each: one writing process per store
            folder.mkdir()
            shutil.copy(work / "plan.ttl", folder / "plan.ttl")
            p = free_port()
            env = {"LPSPLAN_BUILD_DIR": str(folder)} | ({"LPSPLAN_CACHE": cache} if cache else {})
            servers[name] = (start([lpsplan, "serve", "--port", str(p), "--timeout", "60"], env), f"http://127.0.0.1:{p}/sparql")
        for proc, url in servers.values():
            wait_until_up(url + "?query=ASK%7B%7D", proc, seconds=120)
        load = [os.getloadavg()[0]]
        for qname in QUESTIONS:
            query = catalogue.get(qname).render()
            for name, (_, url) in servers.items():
                rows(url, query)  # the first run: measured (and cached, with the cache on)
                for c in CONCURRENCY:
                    results[f"{qname}|{name}|{c}"] = wrk(url, query, c, seconds)
                    load.append(os.getloadavg()[0])
                    time.sleep(0.5)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    lines = [f"load average (1 min) {min(load):.2f}–{max(load):.2f} on {os.cpu_count()} cores; wrk {seconds} s per cell", "",
             "| question | server | clients | req/s | p50 ms | p99 ms |", "|---|---|---:|---:|---:|---:|"]
    lines += [f"| `{k.split('|')[0]}` | {k.split('|')[1]} | {k.split('|')[2]} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
              for k, r in results.items()]
    outdir = ROOT / "bench" / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / f"http_quick{'-' + label if label else ''}.json").write_text(json.dumps({"load": load, "detail": results}, indent=2),
                                                                           encoding="utf-8")
    print("\n".join(lines))


ALL_SERVERS = ["lpsplan serve", "lpsplan serve, cache off", "oxigraph serve"]


def every_question(catalogue, settings, work: Path, urls: dict[str, str], seconds: int) -> dict:
    """Every named question: in-process p50/p99 (lpsplan's reader vs raw pyoxigraph), then HTTP at 1/4/16 clients."""
    from lpsplan.sparql.open import open_reader

    store = open_reader(settings.with_(build_dir=work))
    every: dict[str, dict] = {}
    for q in catalogue:
        query = q.render()
        counts = {name: rows(url, query) for name, url in urls.items()}
        assert len(set(counts.values())) == 1, f"servers disagree on {q.name}: {counts}"
        ours = percentile_ms(lambda text=query: store.select(text), 50, 99)
        raw = percentile_ms(lambda text=query: list(store.store.query(text)), 50, 99)
        entry = {"rows": counts["oxigraph serve"], "in_process": {"lpsplan": ours, "raw": raw}}
        for name, url in urls.items():
            for c in CONCURRENCY:
                entry[f"{name}|{c}"] = wrk(url, query, c, seconds)
                time.sleep(0.2)
        every[q.name] = entry
    return every


def targets(results: dict, every: dict) -> dict:
    """The issue's HTTP targets: lpsplan ÷ oxigraph serve (≥ 0.6×) and ÷ rdflib-endpoint (≥ 25×)."""
    worst = {mode: min(((r, q, c) for q, e in every.items() for c in CONCURRENCY
                        if (r := ratio(e, name, c)) is not None), default=(float("nan"), None, None))
             for mode, name in (("cache on", "lpsplan serve"), ("cache off", "lpsplan serve, cache off"))}
    ox_ratio = {mode: w[0] for mode, w in worst.items()}
    rdflib_ratio = {}
    for mode, name in (("cache on", "lpsplan serve"), ("cache off", "lpsplan serve, cache off")):
        ratios = []
        for key, r in results.items():
            qname, server, c = key.split("|")
            if server.startswith("rdflib-endpoint"):
                ours = results[f"{qname}|{name}|{c}"]["rps"]
                ratios.append(ours / r["rps"] if r["rps"] else float("inf"))
        rdflib_ratio[mode] = min(ratios)
    return {"oxigraph_min_ratio": ox_ratio, "oxigraph_worst": {m: {"ratio": w[0], "question": w[1], "clients": w[2]} for m, w in worst.items()},
            "rdflib_min_ratio": rdflib_ratio, "questions": len(every)}


def ratio(e: dict, name: str, clients: int) -> float | None:
    """lpsplan ÷ oxigraph serve for one cell; None where either side answered anything but 2xx (an error
    is no answer, and req/s would count it) or where oxigraph serve finished no request."""
    ours, theirs = e[f"{name}|{clients}"], e[f"oxigraph serve|{clients}"]
    if ours["non2xx"] or theirs["non2xx"] or not theirs["rps"]:
        return None
    return ours["rps"] / theirs["rps"]


def report_every(every: dict, seconds: int) -> str:
    lines = ["### Every named question", "",
             f"In process: p50 / p99 of 50 runs, lpsplan's in-process reader (strings to Oxigraph) and raw pyoxigraph. "
             f"HTTP: wrk, {seconds} s per cell, req/s at 1 / 4 / 16 clients; ratio = lpsplan ÷ oxigraph serve at the same concurrency.", "",
             "| question | rows | in process lpsplan p50/p99 ms | raw pyoxigraph p50/p99 ms | lpsplan req/s | cache off req/s | oxigraph serve req/s | ratio (cache on) | ratio (cache off) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for q, e in every.items():
        (o50, o99), (r50, r99) = e["in_process"]["lpsplan"], e["in_process"]["raw"]
        rps = {n: " / ".join(f"{e[f'{n}|{c}']['rps']:,.0f}" + (f" ({e[f'{n}|{c}']['non2xx']:,} non-2xx)" if e[f"{n}|{c}"]["non2xx"] else "")
                             for c in CONCURRENCY) for n in ALL_SERVERS}
        ratios = {n: " / ".join("—" if (r := ratio(e, n, c)) is None else f"{r:.2f}" for c in CONCURRENCY) for n in ALL_SERVERS[:2]}
        lines.append(f"| `{q}` | {e['rows']:,} | {o50:.2f} / {o99:.2f} | {r50:.2f} / {r99:.2f} | {rps['lpsplan serve']} | "
                     f"{rps['lpsplan serve, cache off']} | {rps['oxigraph serve']} | {ratios['lpsplan serve']} | {ratios['lpsplan serve, cache off']} |")
    lines.append("")
    return "\n".join(lines)


def report(results: dict, seconds: int) -> str:
    lines = ["## HTTP", "",
             f"wrk, keep-alive GET, {seconds} s per cell (3 s for rdflib's own store), on {platform.machine()} with {os.cpu_count()} cores; "
             "client and servers share the machine.  req/s and p50/p99 latency in ms; ratio = lpsplan (answer cache on, the default) ÷ that server at the same concurrency.  'cache off' is the same service with "
             "LPSPLAN_CACHE=0: every request evaluated — a named question's text in the service process once its first run measured it "
             "cheap (docs/service.md, \"The service's own questions run in process\"), anything else by a query worker.", ""]
    for qname in QUESTIONS:
        lines += [f"### `{qname}`", "", "| server | clients | req/s | p50 ms | p99 ms | lpsplan ÷ this |", "|---|---:|---:|---:|---:|---:|"]
        for c in CONCURRENCY:
            ours = results[f"{qname}|lpsplan serve|{c}"]["rps"]
            for name in ("lpsplan serve", "lpsplan serve, cache off", "oxigraph serve", "rdflib-endpoint (rdflib store)",
                         "rdflib-endpoint (Oxigraph store)"):
                r = results[f"{qname}|{name}|{c}"]
                ratio = "" if name == "lpsplan serve" else f"{ours / r['rps']:.2f}×" if r["rps"] else "∞ (no answer in time)"
                errors = f" ({r['non2xx']} non-2xx)" if r["non2xx"] else ""
                lines.append(f"| {name} | {c} | {r['rps']:,.0f}{errors} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {ratio} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
