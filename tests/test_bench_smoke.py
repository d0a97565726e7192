"""A small run of the benchmark code, so `make bench` does not rot between runs.

Times are not asserted (shared, noisy machines); what is checked is that the
measurements are taken on what they claim: the generated plans land in the store
and every figure the targets table reads is produced.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def test_scale_measurement_on_two_plans(tmp_path):
    from gen_corpus import generate
    from scale_bench import measure

    row = measure(2, tmp_path)
    plans = generate(2, tmp_path / "again")
    assert len(plans) == 2
    # the built plan with the ontology, plus two generated plans in named graphs
    assert row["quads"] > 7298 + 2 * 500
    assert row["questions"] == len(list((ROOT / "queries").glob("*.rq")))
    for key in ("ingest_s", "ingest_store_s", "store_alone_s", "store_snapshot_s", "bulk_s", "load_s", "coownership_ms", "raw_ms", "all_ms", "all_raw_ms", "metrics_ms",
                "view_ms", "cold_query_s", "start_s", "http_ms", "rss_mb"):
        assert row[key] > 0, key
    assert row["ingest_store_s"] < row["ingest_s"]


def test_targets_table_reads_what_the_benchmarks_record(tmp_path, monkeypatch):
    import common
    import targets

    monkeypatch.setattr(common, "OUT", tmp_path)
    common.record("scale", {"rows": [
        {"n": 1, "cold_query_s": 0.5, "start_s": 3.0, "coownership_ms": 1.0, "raw_ms": 1.0, "ingest_s": 2, "ingest_store_s": 1,
         "bulk_s": 1, "quads": 10},
    ]})
    table = {t: (m, r, v) for t, m, r, v in targets.rows()}
    assert table["cold CLI named query ≤ 1 s (N = 1)"][2] == "holds"
    assert table["service start ≤ 2 s (N = 1)"][2] == "MISSED"
    assert any(v == "not measured" for _, _, v in table.values())  # no HTTP figures recorded in this directory


def test_large_plan_measurement_builds_the_table_both_ways(tmp_path):
    """bench/large_plan_bench.py on a small table: every row read as a clause, the same graph either way, conforming."""
    from gen_corpus import task_table
    from large_plan_bench import run

    path = tmp_path / "table.txt"
    path.write_text(task_table(40), encoding="utf-8")
    native, engine = run(path, "native", tmp_path / "build"), run(path, "engine", tmp_path / "build")
    assert native["clauses"] == engine["clauses"] == 40
    assert native["triples"] == engine["triples"] and native["conforms"] and engine["conforms"]
    assert native["peak_mb"] > 0 and engine["validate"] > 0
