"""How long `lpsplan build` takes, stage by stage, with baselines from the same run.

    make bench            # or: .venv/bin/python bench/build_time.py [--repeat N]

Baselines (same machine, same graph, same run):
  - rdflib parsing the built Turtle, and pyoxigraph loading it (what any load costs);
  - pySHACL on the same graph and shapes (the reference SHACL engine);
  - the co-ownership aggregate on rdflib's own SPARQL engine vs Oxigraph.
Writes bench/out/build.json and the "Build" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import write_section

COOWNERSHIP = """
PREFIX lps: <https://w3id.org/lpsplan/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?a ?b (COUNT(DISTINCT ?c) AS ?shared) WHERE {
  ?c a lps:Clause ; lps:responsibleUnit ?ua, ?ub .
  ?ua skos:prefLabel ?a . ?ub skos:prefLabel ?b .
  FILTER(LANG(?a) = "zh" && LANG(?b) = "zh" && STR(?ua) < STR(?ub))
} GROUP BY ?a ?b ORDER BY DESC(?shared) ?a ?b
"""


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def cold_cli(out: Path) -> tuple[float, int]:
    """Wall time and peak RSS of a fresh `lpsplan build` process."""
    code = (
        "import resource, sys, runpy; sys.argv = ['lpsplan', 'build', '-q', '-o', %r]\n"  # noqa: UP031 - code with a repr
        "try:\n    runpy.run_module('lpsplan.cli', run_name='__main__')\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)" % str(out)
    )
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return time.perf_counter() - t, int(proc.stderr.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import pyoxigraph
    import pyshacl
    import rdflib
    from lpsplan.build import build_plan, serialize
    from lpsplan.config import Settings
    from lpsplan.validate import load_shapes, validate_graph

    settings = Settings.from_env()
    build_plan(settings)  # warm caches (jieba dictionary, shapes)
    results = [build_plan(settings) for _ in range(args.repeat)]
    stages = {k: statistics.median(r.timings[k] for r in results) for k in results[0].timings}
    graph = results[0].graph
    ttl = serialize(graph)
    t_serialize, _ = timed(lambda: serialize(graph), args.repeat)

    t_rdflib_parse, _ = timed(lambda: rdflib.Graph().parse(data=ttl, format="turtle"), args.repeat)
    t_ox_load, _ = timed(lambda: pyoxigraph.Store().load(ttl, format=pyoxigraph.RdfFormat.TURTLE), args.repeat)
    shapes = load_shapes(settings.paths.shapes_file)
    t_pyshacl, ref = timed(lambda: validate_graph(graph, shapes, engine="pyshacl"), 1)
    t_turbo, fast = timed(lambda: validate_graph(graph, shapes, engine="turbo"), args.repeat)
    assert ref.conforms == fast.conforms

    store = pyoxigraph.Store()
    store.load(ttl, format=pyoxigraph.RdfFormat.TURTLE)
    t_ox_q, ox_rows = timed(lambda: list(store.query(COOWNERSHIP)), args.repeat)
    t_rdflib_q, rl_rows = timed(lambda: list(graph.query(COOWNERSHIP)), args.repeat)
    assert len(ox_rows) == len(rl_rows)
    with tempfile.TemporaryDirectory() as tmp:
        disk = pyoxigraph.Store(tmp)
        disk.load(ttl, format=pyoxigraph.RdfFormat.TURTLE)
        disk.flush()
        t_disk_q, disk_rows = timed(lambda d=disk: list(d.query(COOWNERSHIP)), args.repeat)
        assert len(disk_rows) == len(ox_rows)
        del disk

    with tempfile.TemporaryDirectory() as tmp:
        colds = [cold_cli(Path(tmp) / "plan.ttl") for _ in range(3)]
    cold = statistics.median(c[0] for c in colds)
    rss_mb = max(c[1] for c in colds) / 1024

    in_process = sum(stages.values()) + t_serialize
    rows = [
        ("build, cold CLI process (`lpsplan build`)", cold, "target ≤ 1.5 s"),
        ("build, in process (read+extract+rdf+validate+serialize)", in_process, ""),
        ("  read source", stages["read"], ""),
        ("  extract", stages["extract"], ""),
        ("  records → RDF", stages["rdf"], ""),
        ("  SHACL, pyshacl-turbo", stages["validate"], ""),
        ("  serialize Turtle", t_serialize, ""),
        ("baseline: SHACL, pySHACL (reference engine)", t_pyshacl, f"turbo is {t_pyshacl / t_turbo:.0f}× faster"),
        ("baseline: rdflib parses the Turtle", t_rdflib_parse, ""),
        ("baseline: pyoxigraph loads the Turtle", t_ox_load, f"{t_rdflib_parse / t_ox_load:.1f}× faster than rdflib"),
        ("co-ownership aggregate, Oxigraph", t_ox_q, ""),
        ("co-ownership aggregate, rdflib engine", t_rdflib_q, f"Oxigraph {t_rdflib_q / t_ox_q:.0f}× faster"),
        ("co-ownership aggregate, Oxigraph on disk (RocksDB)", t_disk_q, f"in memory is {t_disk_q / t_ox_q:.1f}× faster"),
    ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    versions = f"rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}, pyshacl {pyshacl.__version__}"
    table = ["| measurement | median | note |", "|---|---:|---|"]
    table += [f"| {name} | {sec * 1000:,.1f} ms | {note} |" for name, sec, note in rows]
    table.append(f"| peak RSS of the cold build process | {rss_mb:,.0f} MB | |")
    section = "\n".join([
        "## Build",
        "",
        f"Plan graph: {len(graph):,} triples, {len(ttl):,} bytes of Turtle. Medians of {args.repeat} runs "
        "(cold CLI: 3 runs; pySHACL: 1 run).",
        f"Machine: {machine}. Versions: {versions}.",
        "",
        *table,
        "",
    ])
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.json").write_text(json.dumps({n: s for n, s, _ in rows} | {"peak_rss_mb": rss_mb, "triples": len(graph)}, indent=2), encoding="utf-8")
    write_section(ROOT / "docs" / "benchmarks.md", section, "build")
    print(section)


if __name__ == "__main__":
    main()
