"""The hybrid linker's feature sets held out by page over several draws of the fit's folds, on the DEV split only.

    .venv/bin/python bench/link_draws.py [DRAWS]        # default 5: the fit's own draw (seed 0) and four more

``python -m lpsplan.link.fit`` judges an idea on one draw of its five page folds; a choice among several
variants on one draw may be that draw's luck.  This prints, for round 11's feature set, the ideas measured
against it in round 12 (docs/linking.md, "Round 12 (method)") and round 13's linear probe ("Round 13"), the held-out log-likelihood, top-1, English top-1
and fits-none precision / recall (as ``--evaluate`` counts them) on the fit's own folds and averaged over the
draws, with on how many draws the likelihood and top-1 rose against the first row.  The pooling of the exemplars,
the penalty and the none weight are the calibration's (the probe's penalty too).  The exemplars of a title's own page
are left out, as when fitting, and the probe of each fold is trained on its training folds alone.  The test split is never read.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NONE = ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross")
HALVES = ("semantic", "plan", "exemplar_same", "exemplar_cross")
PARTS = ("lexical_own", "lexical_directions")
ENGLISH = ("lexical_own_english", "lexical_directions_english")
# (name, domain features, extra features of "none"); the first row is the baseline the others are counted against
SETS = [
    ("round 11: ln(1 + BM25)", ("lexical", *HALVES), ()),
    ("+ ln(1 + the best direction's BM25)", ("lexical", "best_direction", *HALVES), ()),
    ("BM25 in two parts", (*PARTS, *HALVES), ()),
    ("two parts + English copies (round 12)", (*PARTS, *ENGLISH, *HALVES), ()),
    ("round 12 + the highest ln(1 + BM25) for none", (*PARTS, *ENGLISH, *HALVES), ("max_lexical",)),
    ("round 12 + the highest own part for none", (*PARTS, *ENGLISH, *HALVES), ("max_own",)),
    # round 13: the linear probe's log-probability of each answer, beside round 12's set and instead of its exemplars
    ("round 12 + the probe (round 13)", (*PARTS, *ENGLISH, *HALVES, "probe"), ("none_probe",)),
    ("round 12 without exemplars + the probe", (*PARTS, *ENGLISH, "semantic", "plan", "probe"), ("none_probe",)),
]
NO_EXEMPLARS = ("none", "none_english", "none_outside")
KEYS = ("log_likelihood", "top1", "english_top1", "first_none_precision", "first_none_recall")


def main(draws: int = 5) -> None:
    from lpsplan.config import Settings
    from lpsplan.link import crossval, fit, logit
    from lpsplan.link.evaluate import read_labelled
    from lpsplan.link.workflow import calibration
    from lpsplan.project import Project

    path = ROOT / "tests" / "data" / "linking" / "real" / "titles.csv"
    rows = read_labelled(path, split="dev")
    pages = {r["title"]: r["source_url"] for r in csv.DictReader(path.open(encoding="utf-8")) if r["split"] == "dev"}
    settings = Settings.from_env()
    linker = Project(settings).linker("hybrid")
    cal = calibration(settings)
    ranked, f, labels, targets, primary, groups = fit.dev_design(linker, rows, pages)
    best = np.zeros_like(f["lexical"], dtype=np.float64)  # ln(1 + the best BM25 of a direction under each domain)
    column = {d.iri: j for j, d in enumerate(linker.domains)}
    for i, (_, _, tech_links, _) in enumerate(ranked):
        for link in tech_links:
            for d in linker.lexical.by_iri[link.iri].domains:
                best[i, column[d]] = max(best[i, column[d]], math.log1p(link.score))
    f = {**f, "best_direction": best, "max_lexical": f["lexical"].max(axis=1), "max_own": f["lexical_own"].max(axis=1)}
    logit.NONE_INPUT.update({"max_lexical": "max_lexical", "max_own": "max_own"})
    l2, none_weight = float(cal.get("penalty", logit.L2)), float(cal.get("none_weight", 1.0))
    settled = cal.get("probe") or {}  # the probe's penalty and inputs as the fit chose them
    probes = crossval.ProbeFeatures(linker.encoder.queries([r[0] for r in ranked]).astype(np.float64), targets, groups, labels,
                               f["english"], float(settled.get("penalty", 0.03)), bool(settled.get("language", False)))
    print(f"{len(rows)} dev titles, {len(set(groups))} pages; {draws} draws of {crossval.FOLDS} folds by page (seed 0: the fit's)")
    base = None
    for name, dom, none_extra in SETS:
        non = (*(NONE if {"exemplar_same", "exemplar"} & set(dom) else NO_EXEMPLARS), *none_extra)
        got = [crossval.cross_validate(f, targets, groups, dom, non, primary=primary, l2=l2, none_weight=none_weight,
                                  seed=s, folded=crossval.learnt(dom, non, probes)) for s in range(draws)]
        mean = {k: float(np.mean([g[k] for g in got])) for k in KEYS}
        base = base or got
        up = (sum(g["log_likelihood"] > b["log_likelihood"] for g, b in zip(got, base, strict=True)),
              sum(g["top1"] > b["top1"] for g, b in zip(got, base, strict=True)))
        own = got[0]
        print(f"{name}\n  the fit's folds: {own['log_likelihood']:.4f} / {own['top1']:.2%} / English {own['english_top1']:.2%}"
              f" / none {own['first_none_precision']:.3f} {own['first_none_recall']:.3f}\n"
              f"  mean of {draws}:     {mean['log_likelihood']:.4f} / {mean['top1']:.2%} / English {mean['english_top1']:.2%}"
              f" / none {mean['first_none_precision']:.3f} {mean['first_none_recall']:.3f}"
              f"  (draws with the likelihood, top-1 above the first row: {up[0]}, {up[1]})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
