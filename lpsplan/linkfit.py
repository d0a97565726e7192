"""Fitting the hybrid linker's three weights on the dev split (never on test).

    python -m lpsplan.linkfit tests/data/linking/real/titles.csv

The model is a conditional logit over 14 options (13 domains and "none"): utility
u_d = a·lexical_d + b·semantic_d for a domain and c + e·english for "none"; the
probability of an option is its softmax share.  The weights maximise the likelihood
of the labelled answers (a title with a second acceptable answer counts the sum of
both probabilities), with a small L2 penalty, by Newton's method (three parameters:
the gradient and Hessian are written out).  The result is written into
``data/registry/link-calibration.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

L2 = 0.001  # on features scaled to unit spread: keeps a weight finite when dev separates a class perfectly


def _softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _loglik(x: np.ndarray, w: np.ndarray, mask: np.ndarray) -> float:
    u = x @ w
    top = u.max(axis=1, keepdims=True)
    all_ = np.log(np.exp(u - top).sum(axis=1))
    ok = np.log(np.exp(np.where(mask, u, -np.inf) - top).sum(axis=1))
    return float((ok - all_).mean())


def fit(lexical: np.ndarray, semantic: np.ndarray, english: np.ndarray, targets: np.ndarray, use_lexical: bool = True,
        steps: int = 200) -> tuple[np.ndarray, float]:
    """Weights (a, b, c, e) and the mean log-likelihood.  lexical/semantic: (n, 13); english: (n,); targets: (n, 14) 0/1 masks.

    Features are scaled to unit spread before fitting, so that one L2 penalty suits all of
    them; the weights returned are on the original scale."""
    n, d = semantic.shape
    k = 4
    # option features: domains get (lexical, semantic, 0, 0), "none" gets (0, 0, 1, english)
    x = np.zeros((n, d + 1, k))
    x[:, :d, 0] = lexical if use_lexical else 0.0
    x[:, :d, 1] = semantic
    x[:, d, 2] = 1.0
    x[:, d, 3] = english
    scale = np.array([lexical.std() or 1.0, semantic.std() or 1.0, 1.0, 1.0])
    xs = x / scale
    mask = targets > 0
    active = np.array([use_lexical, True, True, True])
    w = np.zeros(k)
    pen = np.array([1.0, 1.0, 0.0, 1.0])  # the "none" intercept is not shrunk: it sets the level the cosines are read against
    objective = _loglik(xs, w, mask) - L2 * (pen * w ** 2).sum()
    for _ in range(steps):
        u = xs @ w
        p = _softmax(u)
        q = _softmax(np.where(mask, u, -np.inf))  # the model's share among the acceptable answers
        mean_p = np.einsum("no,nok->nk", p, xs)
        mean_q = np.einsum("no,nok->nk", q, xs)
        grad = (mean_q - mean_p).mean(axis=0) - 2 * L2 * pen * w
        cov_p = np.einsum("no,nok,nol->kl", p, xs, xs) / n - np.einsum("nk,nl->kl", mean_p, mean_p) / n
        cov_q = np.einsum("no,nok,nol->kl", q, xs, xs) / n - np.einsum("nk,nl->kl", mean_q, mean_q) / n
        hess = (cov_q - cov_p) - 2 * L2 * np.diag(pen) - 1e-9 * np.eye(k)
        sub = np.ix_(active, active)
        step = np.zeros(k)
        step[active] = np.linalg.solve(hess[sub], grad[active])
        t = 1.0
        while t > 1e-6:  # damped Newton: never accept a step that lowers the objective
            trial = w - t * step
            value = _loglik(xs, trial, mask) - L2 * (pen * trial ** 2).sum()
            if value >= objective - 1e-12:
                break
            t /= 2
        w, objective = trial, value
        if np.abs(t * step).max() < 1e-9:
            break
    return w / scale, _loglik(xs, w, mask)


def main(argv: list[str]) -> None:
    from .config import Settings
    from .linkeval import read_labelled
    from .linking import open_linker

    path = Path(argv[0]) if argv else Path("tests/data/linking/real/titles.csv")
    rows = read_labelled(path, split="dev")
    settings = Settings.from_env()
    linker = open_linker(settings, method="hybrid")
    titles = [r.title for r in rows]
    ranked, lexical, best, _ = linker.features(titles)
    semantic = best[:, [linker.index.owner_index[d.iri] for d in linker.domains]]
    from .hybrid import english

    is_english = english(ranked)
    labels = [d.label_zh for d in linker.domains] + ["none"]
    targets = np.zeros((len(rows), len(labels)))
    for i, r in enumerate(rows):
        for answer in {r.domain, r.also} - {""}:
            targets[i, labels.index(answer)] = 1.0
    out = {}
    for method, use_lexical in (("hybrid", True), ("semantic", False)):
        w, ll = fit(lexical, semantic, is_english, targets, use_lexical)
        out[method] = {"lexical": round(float(w[0]), 4), "semantic": round(float(w[1]), 4), "none": round(float(w[2]), 4),
                       "none_english": round(float(w[3]), 4), "log_likelihood": round(ll, 4)}
        print(method, out[method])
    target = settings.paths.registry / "link-calibration.yaml"
    header = ("# The hybrid linker's weights (lpsplan/hybrid.py), fitted by `python -m lpsplan.linkfit`\n"
              f"# on the dev split of {path.as_posix()} only ({len(rows)} titles): a conditional logit,\n"
              "# u_d = lexical·ln(1+BM25_d) + semantic·cos_d for a domain, u_none = none (+ none_english for an\n# English title); P = softmax(u).\n"
              "# log_likelihood: the mean log-probability of the labelled answers on dev.\n")
    target.write_text(header + yaml.safe_dump({"fitted_on": f"dev split, {len(rows)} titles", **out}, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
