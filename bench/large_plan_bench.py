"""Very large plans: a written task table of 300, 1,000 and 5,000 rows, built as `lpsplan ingest` builds a plan.

    .venv/bin/python bench/large_plan_bench.py --rows 300 1000 5000

Each size is built twice, each time in a fresh child process (so its peak resident memory is its own): once as the
project validates (the constraints lpsplan.nativechecks implements evaluated there, the engine running the rest),
and once with the named baseline, the SHACL engine running every constraint itself (validate_graph(native=False),
how every plan was validated before).  Reports the time of extraction, RDF and validation, the peak memory of
each, and the ratio of the two validations.  Writes the "Large plans" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import record, write_section
from gen_corpus import task_table

CHILD = """
import json, resource, sys, time
import lpsplan.build
from lpsplan.build import build_plan
from lpsplan.config import Settings
from lpsplan.source import read_source
from lpsplan.validate import validate_graph
path, mode, build_dir = sys.argv[1:4]
cpu = {}

def timed_validation(graph, shapes, engine):  # the processor time of validation (every thread): less moved by load
    start = time.process_time()
    try:
        return validate_graph(graph, shapes, engine=engine, native=mode != "engine")
    finally:
        cpu["validate_cpu"] = time.process_time() - start

lpsplan.build.validate_graph = timed_validation
result = build_plan(Settings.from_env(build_dir=build_dir), source=read_source(path), slug="table",
                    jurisdiction="liupanshui", strict=False)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({**result.timings, **cpu, "cpu": time.process_time(), "triples": len(result.graph), "clauses": len(result.plan.clauses),
                  "conforms": result.report.conforms, "peak_mb": peak}))
"""


def run(path: Path, mode: str, build_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), mode, str(build_dir)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[300, 1000, 5000])
    args = ap.parse_args()
    rows_out, figures = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.rows:
            path = tmp / f"table-{n}.txt"
            path.write_text(task_table(n), encoding="utf-8")
            chars = len(path.read_text(encoding="utf-8"))
            new, old = run(path, "native", tmp / "build"), run(path, "engine", tmp / "build")
            assert new["conforms"] and old["conforms"] and new["triples"] == old["triples"]
            figures[str(n)] = {"native": new, "engine": old, "characters": chars}
            print(n, json.dumps(figures[str(n)]), flush=True)
            rows_out.append(
                f"| {n:,} | {chars / 1000:,.0f} K | {new['triples']:,} | {new['extract']:.1f} s | {new['rdf']:.1f} s "
                f"| {new['validate']:.1f} s / {new['validate_cpu']:.1f} s | {new['peak_mb']:,.0f} MB "
                f"| {old['validate']:.1f} s / {old['validate_cpu']:.1f} s | {old['peak_mb']:,.0f} MB "
                f"| {old['validate_cpu'] / new['validate_cpu']:,.1f}× |")
    lines = ["## Large plans", "",
             "A written task table (bench/gen_corpus.py `task_table`: 序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限, "
             "cells parted by tabs), built as `lpsplan ingest` builds a plan (extract, RDF, SHACL), each in a fresh "
             "process.  SHACL: wall time / processor time of the validation (processor time moves less with the "
             "load of a shared machine; the ratio is of processor times); memory: the process's peak resident "
             "memory.  Baseline: the SHACL engine running every constraint itself "
             "(`validate_graph(native=False)`, how plans were validated before lpsplan.nativechecks); extract and "
             "RDF are the native run's.", "",
             "| rows | characters | triples | extract | RDF | SHACL, native checks | memory | SHACL, engine alone "
             "(baseline) | memory | baseline / native |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
             *rows_out, ""]
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines) + "\n", "large-plans")
    record("large_plans", figures)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
