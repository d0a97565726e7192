"""lpsplan over an external SPARQL server (`--store URL`) against asking that server directly.

    .venv/bin/python bench/remote_bench.py --plans 100

N generated plans (bench/gen_corpus.py) are ingested next to the built plan into an
embedded store, then copied graph by graph (Graph Store Protocol) into a fresh
`oxigraph serve` and, where `make fuseki` could fetch it, a fresh Apache Jena Fuseki
(in-memory dataset).  For each server and each named question: the median time of
``Project(store=URL).query(name)`` (render, resolve, HTTP, typed rows) and of the same
SPARQL sent directly with httpx (POST, JSON decoded), both on kept-alive connections;
plus the network views' four SELECTs (``Project.network()`` vs the same four direct).
Writes the "Over an external server" section of docs/benchmarks.md and
bench/out/remote.json for bench/targets.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from common import record, write_section
from gen_corpus import generate
from server import fuseki_missing, sparql_server


def corpus_store(n: int, tmp: Path):
    """The built plan and N generated plans in an embedded store (as `lpsplan ingest` leaves them)."""
    from lpsplan.build import build_plan, write_graph
    from lpsplan.config import Settings
    from lpsplan.ingest import ingest_many
    from lpsplan.sparql.open import open_backend, open_reader

    corpus = tmp / "corpus"
    settings = Settings.from_env(build_dir=tmp / "build")
    write_graph(build_plan(settings).graph, settings.plan_graph_file)
    by_city: dict[str, list[Path]] = {}
    for path, _, city in generate(n, corpus):
        by_city.setdefault(city, []).append(path)
    backend, _ = open_backend(settings, queries=False)
    try:
        with backend.batch():
            for city, files in by_city.items():
                ingest_many(settings, files, jurisdiction=city, registry_path=corpus / "registry" / f"units-{city}.yaml", backend=backend)
    finally:
        backend.close()
    return settings, open_reader(settings).store


def upload(gsp: str, store) -> None:
    import pyoxigraph as ox

    with httpx.Client(timeout=600) as http:
        for g in [None, *sorted(g.value for g in store.named_graphs())]:
            node = ox.DefaultGraph() if g is None else ox.NamedNode(g)
            body = ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, node)), format=ox.RdfFormat.N_TRIPLES)
            r = http.put(gsp, params={"default": ""} if g is None else {"graph": g}, content=body,
                         headers={"Content-Type": "application/n-triples"})
            r.raise_for_status()


def paired(lps, direct, repeat: int) -> tuple[float, float]:
    """Medians in ms of ``lps()`` and ``direct()`` run in turn, ``repeat`` times each (once each when the
    first takes over 2 s): taking turns shares the machine's noise between the two."""
    a, b = [], []
    for i in range(repeat):
        for fn, out in ((lps, a), (direct, b)):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        if i == 0 and max(a[0], b[0]) > 2000:
            break
    return statistics.median(a), statistics.median(b)


def measure(engine: str, base: str, settings, repeat: int) -> dict:
    from lpsplan.network import MEMBERS, NAMES, RESPONSIBILITIES, STRUCTURE
    from lpsplan.project import Project

    project = Project(settings.with_(store=base, timeout=600))
    direct = httpx.Client(timeout=600)

    def ask(sparql: str):
        r = direct.post(f"{base}/query", data={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        return r.json()

    rows = []
    try:
        for q in project.catalogue:
            if q.form != "SELECT":
                continue
            sparql = project.render(q.name)  # also warms the resolver: its names are loaded once per project
            assert len(project.query(q.name)) == len(ask(sparql)["results"]["bindings"]), q.name
            lps_ms, direct_ms = paired(lambda name=q.name: project.query(name), lambda text=sparql: ask(text), repeat)
            rows.append({"question": q.name, "lpsplan_ms": lps_ms, "direct_ms": direct_ms})
            print(f"{engine} {q.name}: {lps_ms:.1f} / {direct_ms:.1f} ms", file=sys.stderr, flush=True)
        net = (RESPONSIBILITIES, MEMBERS, NAMES, STRUCTURE)
        lps_ms, direct_ms = paired(lambda: Project(project.settings, reader=project.reader).network(),
                                   lambda: [ask(q) for q in net], repeat)
        rows.append({"question": "network views: their 4 SELECTs (lpsplan also builds its rows)", "lpsplan_ms": lps_ms, "direct_ms": direct_ms})
    finally:
        project.close()
        direct.close()
    total_l, total_d = sum(r["lpsplan_ms"] for r in rows), sum(r["direct_ms"] for r in rows)
    worst = max(rows, key=lambda r: r["lpsplan_ms"] / r["direct_ms"])
    return {"engine": engine, "rows": rows, "lpsplan_ms": total_l, "direct_ms": total_d, "ratio": total_l / total_d,
            "worst": {"question": worst["question"], "ratio": worst["lpsplan_ms"] / worst["direct_ms"]}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=100,
                    help="generated plans next to the built one (bench/gen_corpus.py); 1,000 did not finish in 25 minutes "
                         "(the cross-plan questions take seconds each on `oxigraph serve` already at 100)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    engines = ["oxigraph"] + (["fuseki"] if fuseki_missing() is None else [])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        settings, store = corpus_store(args.plans, Path(tmp))
        quads = len(store)
        print(f"{quads:,} quads ingested in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
        for engine in engines:
            with sparql_server(engine, Path(tmp) / engine) as (base, gsp):
                t = time.perf_counter()
                upload(gsp, store)
                load_s = time.perf_counter() - t
                results.append({**measure(engine, base, settings, args.repeat), "load_s": load_s})
    figures = {"plans": args.plans, "quads": quads, "engines": results, "fuseki_missing": fuseki_missing()}
    record("remote", figures)
    names = {"oxigraph": "`oxigraph serve`", "fuseki": "Fuseki 5.6.0 (`--mem`)"}
    lines = ["## Over an external server", "",
             f"`--store URL`: the built plan and {args.plans:,} generated plans ({quads:,} quads) copied into each server; "
             "per named question the median of "
             f"{args.repeat} runs (1 when over 2 s) of `Project(store=URL).query(name)` (render, HTTP, typed rows) and of the same "
             "SPARQL POSTed directly with httpx (JSON decoded), both on kept-alive connections, taking turns on this "
             "machine (2 cores shared with other jobs: single questions vary by more than the overhead measured).  Target: lpsplan ≤ 1.3× the direct query (the sum over the questions).", ""]
    if fuseki_missing():
        lines += [f"Fuseki was not measured in this run: {fuseki_missing()}.", ""]
    lines += ["| question | " + " | ".join(f"{names[r['engine']]}: lpsplan / direct ms" for r in results) + " |",
              "|---|" + "---:|" * len(results)]
    for i, row in enumerate(results[0]["rows"]):
        cells = [f"{r['rows'][i]['lpsplan_ms']:.1f} / {r['rows'][i]['direct_ms']:.1f} ({r['rows'][i]['lpsplan_ms'] / r['rows'][i]['direct_ms']:.2f}×)"
                 for r in results]
        lines.append(f"| `{row['question']}` | " + " | ".join(cells) + " |")
    lines.append("| **sum** | " + " | ".join(f"**{r['lpsplan_ms']:,.0f} / {r['direct_ms']:,.0f} ({r['ratio']:.2f}×)**" for r in results) + " |")
    lines += ["", "Loading the copy (Graph Store PUT per graph): " + ", ".join(f"{names[r['engine']]} {r['load_s']:.1f} s" for r in results) + ".", ""]
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines), "remote")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
