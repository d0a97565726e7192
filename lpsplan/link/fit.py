"""Fitting the hybrid linker's weights on the dev split (never on test).

    python -m lpsplan.link.fit tests/data/linking/real/titles.csv

The model is a conditional logit over 14 options (13 domains and "none"): a domain's
utility is a weighted sum of its features (``hybrid.DOMAIN_FEATURES``: ln(1+BM25), the
similarity of its nearest gloss, of its nearest technology label, of its nearest plan
sentence, the pooled similarity of the labelled real titles with that answer — or, since round 7,
that similarity pooled apart over the titles in the title's own language and over the others; since round 12,
ln(1+BM25) may enter in two parts, the domain's own words and those of its technology directions, and
the two again with weights of their own for an English title),
"none"'s utility a
weighted sum of its own (a constant, 1 for an English title, the similarity of the
out-of-scope description, the pooled similarity of the labelled titles that fit none); the probability of an option is
its softmax share.  The weights maximise the likelihood of the labelled answers (a
title with a second acceptable answer counts the sum of both probabilities), with a
small L2 penalty, by damped Newton steps.

The labelled titles compared with are the dev split's own, written into
``data/registry/link-exemplars.csv``; while fitting, a title's own page is left out of
them (as a test title's page never is among them).

Which features enter is chosen on dev too, by cross-validation grouped by source page
(a page's titles are held out together, as dev and test are split): the candidate
feature sets are listed in ``CANDIDATES``; the one with the best held-out
log-likelihood is fitted on the whole dev split and written into
``data/registry/link-calibration.yaml`` with the cross-validation table.

Before that, the same cross-validation chooses how a title's similarities to the exemplars of
one answer are pooled (``POOLINGS``: the nearest exemplar, a soft maximum at a few
temperatures, the mean of the k nearest), on the full feature set; a pooling other than the
nearest exemplar is taken only when it raises both the held-out log-likelihood and top-1.
Between the two, the linear probe's penalty
(``PROBE_PENALTIES``, on ``PROBE_FEATURES``, the best held-out likelihood) and whether it reads the English flag
(taken only when both figures rise); the probe's features (``probe.py``, since round 13) are learnt from the labels,
so in every fold they come from the training folds alone (``ProbeFeatures``).
After the features are chosen, the exemplars that fit none may be pooled their own way
(``NONE_POOLINGS``; every feature drawn from them, the two language halves too: ``none_columns``), by the
same rule against the shared pooling.  Last, on the kept features, the
penalty (``PENALTIES``, the best held-out likelihood) and the weight in the likelihood of the titles
that fit none (``NONE_WEIGHTS``, taken over 1 only when it raises both figures).

The model itself (its design, likelihood and Newton fit) is :mod:`.logit`; the folds by page and
the held-out scores are :mod:`.crossval`.  This module holds the choices tried and the procedure
that makes them, and writes what it chose.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

from .crossval import FOLDS, ProbeFeatures, cross_validate, held_out_confusion, learnt
from .logit import fit_features

PROBE_FILE = "link-probe.npz"  # the probe's weights, beside the calibration in data/registry/
# the penalties tried once the pooling and the features are chosen (the one with the best held-out likelihood is kept)
PENALTIES = [0.0001, 0.0003, 0.001, 0.003, 0.01]
# weights of the titles that fit none (none among their answers) against the others in the likelihood, tried last;
# one other than 1 is taken only when it raises both the held-out log-likelihood and top-1
NONE_WEIGHTS = [0.6, 0.8, 1.0, 1.25, 1.5]
# (domain features, none features) tried for the hybrid method; "none" (the constant) always enters
CANDIDATES = [
    (("lexical", "semantic"), ("none", "none_english")),
    (("lexical", "semantic"), ("none", "none_english", "none_outside")),
    (("lexical", "semantic", "technology"), ("none", "none_english", "none_outside")),
    (("lexical", "semantic", "plan"), ("none", "none_english", "none_outside")),
    (("lexical", "semantic", "technology", "plan"), ("none", "none_english", "none_outside")),
    (("lexical", "semantic", "plan", "exemplar"), ("none", "none_english", "none_outside", "none_exemplar")),
    (("lexical", "semantic", "technology", "plan", "exemplar"), ("none", "none_english", "none_outside", "none_exemplar")),
    # round 7: the exemplars pooled apart by language, those in the title's own language and the others
    (("lexical", "semantic", "plan", "exemplar_same", "exemplar_cross"),
     ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross")),
    (("lexical", "semantic", "technology", "plan", "exemplar_same", "exemplar_cross"),
     ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross")),
    # round 12: the domain's BM25 score weighed in two parts, its own document's words and those its
    # technology directions pass up (``hybrid.Weights.lexical_own``, ``lexical_directions``), instead of one
    (("lexical_own", "lexical_directions", "semantic", "plan", "exemplar_same", "exemplar_cross"),
     ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross")),
    (("lexical_own", "lexical_directions", "semantic", "technology", "plan", "exemplar_same", "exemplar_cross"),
     ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross")),
    # and the two parts weighed apart for English titles (their BM25 is of the labels' and glosses' English words)
    (("lexical_own", "lexical_directions", "lexical_own_english", "lexical_directions_english", "semantic", "plan",
      "exemplar_same", "exemplar_cross"), ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross")),
    # round 13: the linear probe's log-probability of each answer (``probe.py``), beside round 12's set and in place
    # of its exemplar features (the probe reads the same labelled titles, all of them at once)
    (("lexical_own", "lexical_directions", "lexical_own_english", "lexical_directions_english", "semantic", "plan",
      "exemplar_same", "exemplar_cross", "probe"),
     ("none", "none_english", "none_outside", "none_exemplar_same", "none_exemplar_cross", "none_probe")),
    (("lexical_own", "lexical_directions", "lexical_own_english", "lexical_directions_english", "semantic", "plan", "probe"),
     ("none", "none_english", "none_outside", "none_probe")),
]
# the probe's penalties (L2 on standardised embeddings, ``probe.train``), tried on PROBE_FEATURES once the pooling is
# chosen (the best held-out likelihood is kept); then the English flag as one more input, taken only when the
# held-out log-likelihood and top-1 both rise
PROBE_PENALTIES = [0.003, 0.01, 0.03, 0.1]
PROBE_FEATURES = CANDIDATES[12]
LEXICAL = ("lexical", "lexical_own", "lexical_directions", "lexical_own_english", "lexical_directions_english")  # the features drawn from BM25 (the semantic method has none)
# the feature set on which the pooling is chosen: the one kept in rounds 5 and 6
POOLING_FEATURES = CANDIDATES[5]
# how the similarities to one answer's exemplars are pooled (``semantic.Exemplars.pool``); "max" first: the baseline
POOLINGS = ["max", "soft:0.01", "soft:0.02", "soft:0.03", "soft:0.05", "soft:0.08", "soft:0.12", "mean:3", "mean:5", "mean:7", "mean:10"]
# how the similarities to the exemplars that fit none are pooled, tried against the shared pooling once the
# features are chosen: those exemplars are many and of every kind, unlike a domain's few
NONE_POOLINGS = ["max", "soft:0.02", "mean:3", "mean:5", "mean:10"]


def none_columns(exemplars, sims: np.ndarray, halves, labels: list[str], pooling: str, none_pooling: str) -> dict:
    """The features of "none" drawn from the exemplars that fit none, those pooled ``none_pooling``: over all
    the exemplars (``ex_none``) and over each language's half (``ex_none_same``, ``ex_none_cross``); the
    domains' columns keep ``pooling``.  The linker pools both ways with the calibration's
    ``none_exemplar_pooling``, so the fit offers it to whichever of these features the kept set has."""
    return {"ex_none": exemplars.pool(sims, labels, pooling, none_pooling=none_pooling)[:, -1],
            **{name: exemplars.pool(h, labels, pooling, none_pooling=none_pooling)[:, -1]
               for name, h in zip(("ex_none_same", "ex_none_cross"), halves, strict=True)}}


def _shown(path: Path) -> str:
    """The path as the files written say it: relative to the working folder where it lies under it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def write_exemplars(target: Path, rows, pages: dict, source: Path) -> None:
    import csv
    import io

    buf = io.StringIO()
    buf.write(f"# The dev split of {_shown(source)} ({len(rows)} real titles, each with its page): the labelled\n"
              "# titles the hybrid linker compares a title with.  Written by `python -m lpsplan.link.fit`; never test titles.\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["title", "label", "alt_label", "source_url"])
    for r in rows:
        w.writerow([r.title, r.domain, r.also, pages.get(r.title, "")])
    target.write_text(buf.getvalue(), encoding="utf-8")


def dev_design(linker, rows, pages: dict[str, str]):
    """The labelled titles' features, each title held out with its page-mates (``pages``: title → page), and what
    the fit needs beside them: (ranked, features, the answers' labels — the domains, then "none" —, targets with a
    1 for each acceptable answer, the primary answers' columns, the titles' pages)."""
    groups = [pages.get(r.title, r.title) for r in rows]
    ranked, f, _, _ = linker.features([r.title for r in rows], exclude_pages=groups)
    labels = [d.label_zh for d in linker.domains] + ["none"]
    targets = np.zeros((len(rows), len(labels)))
    for i, r in enumerate(rows):
        for answer in {r.domain, r.also} - {""}:
            targets[i, labels.index(answer)] = 1.0
    primary = np.array([labels.index(r.domain) for r in rows])
    return ranked, f, labels, targets, primary, groups


def main(argv: list[str]) -> None:
    from ..config import Settings
    from ..project import Project
    from .evaluate import read_labelled
    from .semantic import MODEL_ID
    from .workflow import open_linker

    path = Path(argv[0]) if argv else Path("tests/data/linking/real/titles.csv")
    rows = read_labelled(path, split="dev")
    import csv

    pages = {r["title"]: r["source_url"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    settings = Settings.from_env()
    write_exemplars(settings.paths.registry / "link-exemplars.csv", rows, pages, path)
    project = Project(settings)
    linker = open_linker(settings, project.select, "hybrid", probe=False)  # the probe is fitted here, not read
    ranked, f, labels, targets, primary, groups = dev_design(linker, rows, pages)
    normalized = [r[0] for r in ranked]
    sims = linker.exemplars.similarities(linker.encoder.queries(normalized), normalized, exclude_pages=groups)
    pooling_table, pooled = [], {}
    full_dom, full_non = POOLING_FEATURES
    halves = linker.exemplars.by_language(sims, f["english"])
    for pooling in POOLINGS:
        ex = linker.exemplars.pool(sims, labels, pooling)
        same, cross = (linker.exemplars.pool(h, labels, pooling) for h in halves)
        pooled[pooling] = {**f, "exemplar": ex[:, :-1], "ex_none": ex[:, -1], "exemplar_same": same[:, :-1],
                           "ex_none_same": same[:, -1], "exemplar_cross": cross[:, :-1], "ex_none_cross": cross[:, -1]}
        pooling_table.append({"pooling": pooling, **cross_validate(pooled[pooling], targets, groups, full_dom, full_non, primary=primary)})
        print(pooling_table[-1])
    base = pooling_table[0]
    better = [row for row in pooling_table[1:]
              if row["log_likelihood"] > base["log_likelihood"] and row["top1"] > base["top1"]]
    pooling = max(better, key=lambda row: row["log_likelihood"])["pooling"] if better else "max"
    f = pooled[pooling]
    x = linker.encoder.queries(normalized).astype(np.float64)
    probe_table = []
    for probe_l2 in PROBE_PENALTIES:
        probes = ProbeFeatures(x, targets, groups, labels, f["english"], probe_l2)
        probe_table.append({"probe_penalty": probe_l2, "language": False,
                            **cross_validate(f, targets, groups, *PROBE_FEATURES, primary=primary, folded=probes)})
        print(probe_table[-1])
    chosen = max(probe_table, key=lambda row: row["log_likelihood"])
    probe_l2 = chosen["probe_penalty"]
    probes = ProbeFeatures(x, targets, groups, labels, f["english"], probe_l2, language=True)
    probe_table.append({"probe_penalty": probe_l2, "language": True,
                        **cross_validate(f, targets, groups, *PROBE_FEATURES, primary=primary, folded=probes)})
    print(probe_table[-1])
    language = probe_table[-1]["log_likelihood"] > chosen["log_likelihood"] and probe_table[-1]["top1"] > chosen["top1"]
    probes = probes if language else ProbeFeatures(x, targets, groups, labels, f["english"], probe_l2)
    table = []
    for dom, non in CANDIDATES:
        cv = cross_validate(f, targets, groups, dom, non, primary=primary, folded=learnt(dom, non, probes))
        table.append({"features": " + ".join((*dom, *non)), **cv})
        print(table[-1])
    best = max(range(len(CANDIDATES)), key=lambda i: table[i]["log_likelihood"])
    dom, non = CANDIDATES[best]
    folded = learnt(dom, non, probes)
    none_table, none_pooling = [], None
    if {"none_exemplar", "none_exemplar_same", "none_exemplar_cross"} & set(non):
        shared = {"none_pooling": pooling, **table[best]}
        shared.pop("features")
        for candidate in NONE_POOLINGS:
            cols = none_columns(linker.exemplars, sims, halves, labels, pooling, candidate)
            none_table.append({"none_pooling": candidate, **cross_validate({**f, **cols}, targets, groups, dom, non, primary=primary,
                                                                           folded=folded)})
            print(none_table[-1])
        better = [row for row in none_table if row["none_pooling"] != pooling
                  and row["log_likelihood"] > shared["log_likelihood"] and row["top1"] > shared["top1"]]
        if better:
            none_pooling = max(better, key=lambda row: row["log_likelihood"])["none_pooling"]
            f = {**f, **none_columns(linker.exemplars, sims, halves, labels, pooling, none_pooling)}
    penalty_table = []
    for l2 in PENALTIES:
        penalty_table.append({"penalty": l2, **cross_validate(f, targets, groups, dom, non, primary=primary, l2=l2, folded=folded)})
        print(penalty_table[-1])
    l2 = max(penalty_table, key=lambda row: (row["log_likelihood"], row["top1"]))["penalty"]
    weight_table = []
    for none_weight in NONE_WEIGHTS:
        weight_table.append({"none_weight": none_weight,
                             **cross_validate(f, targets, groups, dom, non, primary=primary, l2=l2, none_weight=none_weight,
                                              folded=folded)})
        print(weight_table[-1])
    even = next(row for row in weight_table if row["none_weight"] == 1.0)
    better = [row for row in weight_table if row["log_likelihood"] > even["log_likelihood"] and row["top1"] > even["top1"]]
    none_weight = max(better, key=lambda row: row["log_likelihood"])["none_weight"] if better else 1.0
    print("held out by page, the kept choices: per answer (precision, recall, where the missed titles went)")
    for row in held_out_confusion(f, targets, groups, dom, non, primary, labels, l2, none_weight, folded=folded):
        print(row)
    probe_path = settings.paths.registry / PROBE_FILE
    if folded is not None:  # the weights are fitted on each dev title's probe features from a probe that never saw its page
        f = {**f, **probes.columns(probes.cross_fitted())}
        probes.trained(model=MODEL_ID).save(probe_path)
        print(f"wrote {probe_path} ({probe_path.stat().st_size:,} bytes)")
    elif probe_path.is_file():  # a probe the kept model does not use is not left beside it
        probe_path.unlink()
    out = {}
    w, ll = fit_features(f, targets, dom, non, l2, none_weight)
    out["hybrid"] = {**{k: round(v, 4) for k, v in w.items()}, "log_likelihood": round(ll, 4)}
    fs = {**f, **{name: np.zeros_like(f[name]) for name in LEXICAL}}
    w, ll = fit_features(fs, targets, tuple(x for x in dom if x not in LEXICAL), non, l2, none_weight)
    out["semantic"] = {"lexical": 0.0, **{k: round(v, 4) for k, v in w.items()}, "log_likelihood": round(ll, 4)}
    print(out)
    target = settings.paths.registry / "link-calibration.yaml"
    header = ("# The hybrid linker's weights (lpsplan/link/hybrid.py), fitted by `python -m lpsplan.link.fit`\n"
              f"# on the dev split of {_shown(path)} only ({len(rows)} titles): a conditional logit,\n"
              "# u_d = lexical·ln(1+BM25_d) + semantic·cos(nearest gloss of d) + technology·cos(nearest technology label under d)\n"
              "#       + plan·cos(nearest plan sentence of d) + exemplar·pool(cos to the dev titles labelled d) for a domain,\n"
              "# u_none = none + none_english·[English title] + none_outside·cos(nearest out-of-scope gloss)\n"
              "#          + none_exemplar·pool(cos to the dev titles that fit none); P = softmax(u).  exemplar_same and\n"
              "# exemplar_cross (none_exemplar_same, none_exemplar_cross) pool apart the dev titles in the title's own\n"
              "# language (English, or with Chinese characters) and those in the other.  lexical_own and lexical_directions\n"
              "# weigh BM25_d in two parts instead of lexical: ln(1 + the part from d's own document) and ln(1 + the part\n"
              "# its technology directions pass up); lexical_own_english and lexical_directions_english, the two again\n"
              "# for an English title (0 for a title with Chinese characters).\n"
              "# log_likelihood: the mean log-probability of the labelled answers on dev.  cross_validation: the\n"
              f"# feature sets tried, scored on held-out dev pages ({FOLDS} folds by page); the best is the one fitted.\n"
              "# exemplar_pooling: how the similarities to one answer's exemplars are pooled into its exemplar feature\n"
              "# (max: the nearest; soft:T: T·ln Σ exp(cos/T); mean:k: the mean of the k nearest), chosen by the same\n"
              "# cross-validation (pooling_cross_validation), taken over max only when log-likelihood and top-1 both rise.\n"
              "# none_exemplar_pooling: the pooling of the exemplars that fit none, when it differs from exemplar_pooling;\n"
              "# tried on the kept features (none_pooling_cross_validation) and taken by the same rule.\n"
              "# penalty: the L2 weight on features scaled to unit spread, the best held-out likelihood of those tried last\n"
              "# (penalty_cross_validation); none_weight: the weight in the likelihood of the titles that fit none, taken\n"
              "# over 1 only when log-likelihood and top-1 both rise (none_weight_cross_validation).\n"
              "# probe / none_probe: the log-probability of the answer by the linear probe on the title's embedding\n"
              "# (lpsplan/link/probe.py; its weights in the file named under probe:, trained on every dev title), chosen\n"
              "# with the other features; its penalty (the best held-out likelihood) and whether the English flag is an\n"
              "# input (only when log-likelihood and top-1 both rise) are in probe_cross_validation.  In every fold the\n"
              "# probe is trained on the training folds alone, and the training titles' own probe features are cross-fitted\n"
              "# within them; the weights below are fitted on probe features cross-fitted over the dev pages.\n")
    body = {"fitted_on": f"dev split, {len(rows)} titles", "exemplar_pooling": pooling, "penalty": l2, "none_weight": none_weight,
            **({"none_exemplar_pooling": none_pooling} if none_pooling else {}),
            **({"probe": {"file": PROBE_FILE, "penalty": probe_l2, "language": language}} if folded is not None else {}), **out,
            "pooling_cross_validation": pooling_table, "probe_cross_validation": probe_table, "cross_validation": table,
            **({"none_pooling_cross_validation": none_table} if none_table else {}),
            "penalty_cross_validation": penalty_table, "none_weight_cross_validation": weight_table}
    target.write_text(header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    from ..errors import LpsplanError

    try:
        main(sys.argv[1:])
    except (LpsplanError, OSError) as exc:  # an unbuilt plan or an unreadable titles file: one line, no traceback
        sys.exit(f"lpsplan.link.fit: {exc}")
