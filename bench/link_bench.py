"""Linking throughput and start-up cost.

    make bench     # or: .venv/bin/python bench/link_bench.py

Index build (segmenter with the plan's terms, BM25 documents) and batch linking
of the labelled titles repeated to 5,000, single process.  Writes the "Linking"
section of docs/benchmarks.md with the evaluation figures of both title sets.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import record, write_section  # noqa: E402


def main() -> None:
    from lpsplan.config import Settings
    from lpsplan.link import _tokenizer, evaluate, read_labelled
    from lpsplan.linking import open_linker
    from lpsplan.store import open_plan_store

    settings = Settings.from_env()
    store = open_plan_store(settings)
    _tokenizer.cache_clear()
    t = time.perf_counter()
    linker = open_linker(settings, store.select)
    build = time.perf_counter() - t
    data = ROOT / "tests" / "data" / "linking"
    titles = [r.title for r in read_labelled(data / "dev.tsv") + read_labelled(data / "holdout.tsv")]
    batch = (titles * (5000 // len(titles) + 1))[:5000]
    t = time.perf_counter()
    for title in batch:
        linker.link(title)
    rate = len(batch) / (time.perf_counter() - t)
    evals = {name: evaluate(linker, read_labelled(data / name)) for name in ("dev.tsv", "holdout.tsv")}
    lines = ["## Linking", "",
             f"Index build at start-up: {build * 1000:,.0f} ms (jieba dictionary with the plan's terms, {len(linker.docs)} BM25 documents).",
             f"Batch linking: {rate:,.0f} titles/s ({len(batch):,} titles, one process; target ≥ 1,000).", "",
             "| title set | titles | top-1 | top-3 | MRR | 'fits none' precision / recall |", "|---|---:|---:|---:|---:|---|"]
    for name, m in evals.items():
        none = m["per_domain"].get("none", {})
        lines.append(f"| {name} | {m['titles']} | {m['top1']:.1%} | {m['top3']:.1%} | {m['mrr']:.3f} | "
                     f"{none.get('precision', 0):.2f} / {none.get('recall', 0):.2f} |")
    lines.append("")
    record("linking", {"titles_per_s": rate})
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines), "linking")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
