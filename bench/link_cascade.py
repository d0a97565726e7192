"""Would a cascade make hybrid linking faster without making it worse?  Measured on the DEV split only.

    .venv/bin/python bench/link_cascade.py

The encoder is most of the cost of a new title.  A cascade would skip it for the titles where
the lexical half alone is confident, and answer those with BM25's ranking (``--method bm25``).
Confidence here is BM25's margin: the best domain's score minus the second's, for a title BM25
says fits some domain.  For a range of thresholds this prints the share of dev titles that would
skip the encoder, and top-1 / top-3 / fits-none precision and recall of the cascade, against the
hybrid linker alone; the hybrid answers are held out by page (5 folds, the folds of
``lpsplan.link.fit``: the weights are refitted without the page, and the page's own titles are
left out of the exemplars), so neither side has seen the title it answers.

Then the threshold is chosen by the same page-held-out cross-validation: on the other folds,
the lowest threshold at which the cascade is nowhere worse than the hybrid linker (top-1, top-3,
fits-none P and R); the held-out fold is answered with it.  The cross-validated figures of the
cascade and of the hybrid linker alone, and the rate the cascade would reach (from the medians of the
encoder's, the rest's and BM25's measured cost per title), are printed and kept in bench/out/link_cascade.json.
The test split is never read.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import OUT, median_ms


def scores(top1: list[str], top3: list[list[str]], ok: list[set[str]], idx) -> dict:
    """top-1, top-3 and fits-none precision/recall of answers on the rows ``idx``."""
    idx = list(idx)
    hit1 = sum(top1[i] in ok[i] for i in idx)
    hit3 = sum(bool(ok[i] & set(top3[i])) for i in idx)
    pred = [i for i in idx if top1[i] == "none"]
    true = [i for i in idx if "none" in ok[i]]
    both = [i for i in pred if "none" in ok[i]]
    n = max(1, len(idx))
    return {"top1": hit1 / n, "top3": hit3 / n, "none_precision": len(both) / len(pred) if pred else 0.0,
            "none_recall": len(both) / len(true) if true else 0.0}


def not_worse(a: dict, b: dict) -> bool:
    return all(a[k] >= b[k] - 1e-12 for k in ("top1", "top3", "none_precision", "none_recall"))



def held_out_cascade(cascade, thresholds, base1, base3, ok, fold) -> tuple[list, list, np.ndarray, list]:
    """The cascade with its threshold chosen on the other folds (the lowest at which it is nowhere worse than the base
    answers there), answered on each held-out fold: its top-1 and top-3 answers, which titles it skipped, the
    thresholds chosen."""
    c1_cv, c3_cv, skipped, chosen = list(base1), [list(x) for x in base3], np.zeros(len(ok), bool), []
    for k in sorted(set(fold)):
        train, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        ref = scores(base1, base3, ok, train)
        th = next((t for t in thresholds if not_worse(scores(*cascade(t)[:2], ok, train), ref)), np.inf)
        chosen.append(th)
        c1, c3, skip = cascade(th)
        for i in held:
            c1_cv[i], c3_cv[i], skipped[i] = c1[i], c3[i], skip[i]
    return c1_cv, c3_cv, skipped, chosen

def main() -> None:
    from lpsplan.config import Settings
    from lpsplan.link.crossval import FOLDS
    from lpsplan.link.evaluate import read_labelled
    from lpsplan.link.logit import design, fit_features
    from lpsplan.link.workflow import calibration
    from lpsplan.project import Project

    path = ROOT / "tests" / "data" / "linking" / "real" / "titles.csv"
    rows = read_labelled(path, split="dev")
    pages = {r["title"]: r["source_url"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    groups = [pages[r.title] for r in rows]
    settings = Settings.from_env()
    project = Project(settings)
    hybrid, bm25 = project.linker("hybrid"), project.linker("bm25")
    titles = [r.title for r in rows]
    ok = [{r.domain, r.also} - {""} for r in rows]

    # the costs per title: the encoder alone, and the rest of the hybrid linker (titles embedded beforehand)
    from lpsplan.link.semantic import model

    normalized = [bm25.rank(t)[0] for t in titles]

    def encode():
        for i in range(0, len(normalized), 64):
            model().query(normalized[i:i + 64])

    def rest():
        hybrid._results.clear()
        for i in range(0, len(titles), 64):
            hybrid.link_many(titles[i:i + 64])

    def lexical():
        for title in titles:
            bm25.link(title)

    encode_ms = median_ms(encode, 3) / len(titles)
    hybrid.encoder.queries(normalized)  # the rest of the hybrid linker, the titles embedded beforehand
    rest_ms = median_ms(rest, 3) / len(titles)
    bm25_ms = median_ms(lexical, 3) / len(titles)

    # hybrid answers held out by page: features without the page's exemplars, weights refitted without the page
    _, f, _, _ = hybrid.features(titles, exclude_pages=groups)
    labels = [d.label_zh for d in hybrid.domains] + ["none"]
    targets = np.zeros((len(rows), len(labels)))
    for i, answers in enumerate(ok):
        for a in answers:
            targets[i, labels.index(a)] = 1.0
    weights = calibration(settings)["hybrid"]
    dom = tuple(k for k in ("lexical", "semantic", "technology", "plan", "exemplar") if weights.get(k))
    non = tuple(k for k in ("none", "none_english", "none_outside", "none_exemplar") if k in weights)
    page_list = sorted(set(groups))
    fold_of = dict(zip(page_list, np.random.default_rng(0).permutation(len(page_list)) % FOLDS, strict=True))
    fold = np.array([fold_of[g] for g in groups])
    h1: list[str] = [""] * len(rows)
    h3: list[list[str]] = [[] for _ in rows]
    for k in range(FOLDS):
        train, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        w, _ = fit_features({n: v[train] for n, v in f.items()}, targets[train], dom, non)
        u = design({n: v[held] for n, v in f.items()}, dom, non) @ np.array([w[n] for n in (*dom, *non)])
        for i, row in zip(held, u, strict=True):
            order = [labels[j] for j in np.argsort(-row, kind="stable")]
            h1[i], h3[i] = order[0], order[:3]

    # BM25's answers, and its margin where it says the title fits
    b1, b3, margin = [], [], []
    for title, (labs, _) in zip(titles, bm25.ranked_labels(titles), strict=True):
        b1.append(labs[0])
        b3.append(labs[:3])
        ds = bm25.rank(title)[1]
        fits = labs[0] != "none"
        margin.append((ds[0].score - (ds[1].score if len(ds) > 1 else 0.0)) if fits and ds else -1.0)
    margin = np.array(margin)

    def cascade(threshold: float):
        skip = margin >= threshold
        return ([b if s else h for s, b, h in zip(skip, b1, h1, strict=True)],
                [b if s else h for s, b, h in zip(skip, b3, h3, strict=True)], skip)

    everyone = range(len(rows))
    base = scores(h1, h3, ok, everyone)
    thresholds = sorted({float(np.quantile(margin[margin >= 0], q)) for q in np.linspace(0, 1, 21)} | {np.inf})
    curve = []
    for th in thresholds:
        c1, c3, skip = cascade(th)
        rate = 1000 / (rest_ms * (1 - skip.mean()) + bm25_ms * skip.mean() + encode_ms * (1 - skip.mean()))
        curve.append({"threshold": th, "skip_share": float(skip.mean()), **scores(c1, c3, ok, everyone), "titles_per_s": rate})

    # the threshold chosen on the other folds, answered on the held-out one
    c1_cv, c3_cv, skipped, chosen = held_out_cascade(cascade, thresholds, h1, h3, ok, fold)
    cv = {**scores(c1_cv, c3_cv, ok, everyone), "skip_share": float(skipped.mean()),
          "titles_per_s": 1000 / ((rest_ms + encode_ms) * (1 - skipped.mean()) + bm25_ms * skipped.mean())}
    out = {"dev_titles": len(rows), "encode_ms": encode_ms, "rest_ms": rest_ms, "bm25_ms": bm25_ms,
           "load_average": os.getloadavg()[0], "hybrid_held_out": {**base, "titles_per_s": 1000 / (rest_ms + encode_ms)},
           "bm25": scores(b1, b3, ok, everyone), "curve": curve, "thresholds_chosen": chosen, "cascade_cross_validated": cv,
           "adopt": not_worse(cv, base) and cv["skip_share"] > 0}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "link_cascade.json").write_text(json.dumps(out, indent=2, default=float), encoding="utf-8")
    print(f"dev titles {len(rows)}; per title: encoder {encode_ms:.1f} ms, rest of hybrid {rest_ms:.2f} ms, bm25 {bm25_ms:.2f} ms "
          f"(load average {out['load_average']:.1f})")
    print("hybrid alone (held out by page): " + "  ".join(f"{k} {v:.3f}" for k, v in out["hybrid_held_out"].items()))
    print("bm25 alone: " + "  ".join(f"{k} {v:.3f}" for k, v in out["bm25"].items()))
    print("| BM25 margin ≥ | skip the encoder | top-1 | top-3 | fits none P / R | titles/s |")
    for c in curve:
        print(f"| {c['threshold']:.2f} | {c['skip_share']:.0%} | {c['top1']:.1%} | {c['top3']:.1%} | "
              f"{c['none_precision']:.2f} / {c['none_recall']:.2f} | {c['titles_per_s']:.0f} |")
    print(f"cross-validated cascade (thresholds {', '.join(f'{t:.2f}' for t in chosen)}): " + "  ".join(f"{k} {v:.3f}" for k, v in cv.items()))
    print("adopt:", out["adopt"])


if __name__ == "__main__":
    main()
