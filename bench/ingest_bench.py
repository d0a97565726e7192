"""Ingest cost as the corpus grows: does a plan's ingest stay flat?

    .venv/bin/python bench/ingest_bench.py --plans 100

Ingests N generated plans (bench/gen_corpus.py) one by one into one embedded
store and reports the per-plan time at the start and at the end of the run,
split into extraction+SHACL of the plan (must not grow) and the store write
(validation against the default graph, apply, snapshot), next to pyoxigraph's
bulk load of the same quads.  Writes the "Ingest" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import write_section
from gen_corpus import generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=100)
    args = ap.parse_args()

    import pyoxigraph as ox
    from lpsplan.build import build_plan, to_ntriples
    from lpsplan.config import Settings
    from lpsplan.sparql.open import open_backend

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plans = generate(args.plans, tmp / "corpus")
        settings = Settings.from_env(build_dir=tmp / "build")
        backend, _ = open_backend(settings, queries=False)  # writing only, as `lpsplan ingest` opens it
        build_ms, write_ms, quads = [], [], []
        try:
            with backend.batch():  # one snapshot at the end, as `lpsplan ingest FILE...` does
                for path, slug, city in plans:
                    t = time.perf_counter()
                    result = build_plan(settings, source_path=path, slug=slug, jurisdiction=city,
                                        registry_path=tmp / "corpus" / "registry" / f"units-{city}.yaml")
                    data = to_ntriples(result.graph)
                    t1 = time.perf_counter()
                    backend.put_graph(f"{settings.base_iri}{slug}/graph", data, "application/n-triples", validated=True)
                    t2 = time.perf_counter()
                    build_ms.append((t1 - t) * 1000)
                    write_ms.append((t2 - t1) * 1000)
                    quads.append(len(result.graph))
                t3 = time.perf_counter()
            snapshot_s = time.perf_counter() - t3
            total_quads = len(backend.store)
            dump = backend.store.dump(format=ox.RdfFormat.N_QUADS)
        finally:
            backend.close()
        fresh = ox.Store()
        t = time.perf_counter()
        fresh.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
        bulk_s = time.perf_counter() - t

    tenth = max(1, len(plans) // 10)
    first_b, last_b = statistics.median(build_ms[:tenth]), statistics.median(build_ms[-tenth:])
    first_w, last_w = statistics.median(write_ms[:tenth]), statistics.median(write_ms[-tenth:])
    total_s = (sum(build_ms) + sum(write_ms)) / 1000
    lines = ["## Ingest", "",
             f"{len(plans)} generated plans (bench/gen_corpus.py, seed 7), {sum(quads):,} plan triples; store after ingest: "
             f"{total_quads:,} quads (the built plan and ontology in the default graph, one named graph per plan).", "",
             "| per plan | first 10% (median) | last 10% (median) |", "|---|---:|---:|",
             f"| extract + RDF + SHACL of the plan | {first_b:,.1f} ms | {last_b:,.1f} ms |",
             f"| store write (plan already validated on its own; apply) | {first_w:,.1f} ms | {last_w:,.1f} ms |", "",
             f"One snapshot at the end of the batch: {snapshot_s:,.2f} s.",
             f"Whole corpus: {total_s + snapshot_s:,.1f} s; pyoxigraph bulk load of the same quads: {bulk_s:,.2f} s "
             f"(ratio {(total_s + snapshot_s) / bulk_s:,.0f}×; the target is 1.5×: extraction and SHACL per plan dominate).", ""]
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines), "ingest")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
