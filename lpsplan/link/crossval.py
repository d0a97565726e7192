"""Cross-validation of the hybrid linker over dev pages, as :mod:`.fit` uses it to choose.

The dev titles are cut into folds by source page (a page's titles held out together, as dev
and test are split).  A feature set is scored by its held-out log-likelihood, top-1 and the
precision and recall of "fits none"; ``held_out_confusion`` gives the same per answer.  The
features learnt from the labels (the linear probe's) come in every fold from the training
titles alone (``ProbeFeatures``), so nothing of a held-out title leaks into its own score.
"""

from __future__ import annotations

import numpy as np

from . import probe as probe_module
from .logit import L2, _loglik, design, fit_features

FOLDS = 5


PROBE = ("probe", "none_probe")  # the features learnt from the labels: given per fold (``ProbeFeatures``)


def _subset(f: dict, idx: np.ndarray) -> dict:
    return {k: v[idx] for k, v in f.items()}


class ProbeFeatures:
    """The linear probe's features (``probe.py``) without leakage: for a fold of the cross-validation, the held-out
    titles' from a probe trained on the training folds, the training titles' cross-fitted within them (each from a
    probe that never saw its page, as the exemplars of a title's own page are left out); over all dev titles,
    cross-fitted the same way.  ``form``: "log" (the log-probabilities) or "centred" (less their mean over the
    answers, the probe's logits up to a constant).  Each fold's features are computed once."""

    def __init__(self, x: np.ndarray, targets: np.ndarray, groups: list[str], labels: list[str], english: np.ndarray,
                 l2: float, language: bool = False, form: str = "log", inner_folds: int = FOLDS):
        self.x, self.targets, self.groups, self.labels, self.english = x, targets, groups, labels, english
        self.l2, self.language, self.form, self.inner_folds = l2, language, form, inner_folds
        self._cache: dict[bytes, tuple[dict, dict]] = {}

    def columns(self, logp: np.ndarray) -> dict:
        if self.form == "centred":
            logp = logp - logp.mean(axis=1, keepdims=True)
        return {"probe": logp[:, :-1], "probe_none": logp[:, -1]}

    def cross_fitted(self, idx: np.ndarray | None = None) -> np.ndarray:
        idx = np.arange(len(self.groups)) if idx is None else idx
        return probe_module.cross_fitted(self.x[idx], self.targets[idx], [self.groups[i] for i in idx], self.labels, self.l2,
                                         self.english[idx], self.language, self.inner_folds)

    def trained(self, idx: np.ndarray | None = None, model: str = ""):
        idx = np.arange(len(self.groups)) if idx is None else idx
        return probe_module.train(self.x[idx], self.targets[idx], self.labels, self.l2, self.english[idx], self.language, model)

    def __call__(self, train: np.ndarray, held: np.ndarray) -> tuple[dict, dict]:
        key = train.tobytes()
        if key not in self._cache:
            inner = self.cross_fitted(train)
            outer = self.trained(train).log_proba(self.x[held], self.english[held])
            self._cache[key] = (self.columns(inner), self.columns(outer))
        return self._cache[key]


def learnt(domain_features, none_features, probes: ProbeFeatures):
    """``probes`` when the feature set has the probe's features, else None."""
    return probes if set(PROBE) & {*domain_features, *none_features} else None


def _fold_features(f: dict, train: np.ndarray, held: np.ndarray, folded) -> tuple[dict, dict]:
    """The training and held-out titles' features of one fold; those learnt from the labels (``folded``) come
    from the training titles alone."""
    f_train, f_held = _subset(f, train), _subset(f, held)
    if folded is None:
        return f_train, f_held
    learnt_train, learnt_held = folded(train, held)
    return {**f_train, **learnt_train}, {**f_held, **learnt_held}


def cross_validate(f: dict, targets: np.ndarray, groups: list[str], domain_features, none_features, folds: int = FOLDS,
                   primary: np.ndarray | None = None, l2: float = L2, none_weight: float = 1.0, seed: int = 0,
                   folded=None) -> dict:
    """Held-out log-likelihood, top-1 (all titles and English ones) and fits-none precision/recall,
    pages held out together.  ``none_precision``/``none_recall`` count every title with none among its
    answers; given ``primary`` (each title's first answer, an option index), ``first_none_precision``/
    ``first_none_recall`` count as ``lpsplan link --evaluate`` does: a title is filed under its first answer
    and counts as found when the top option is any of its answers, a wrong top option as predicted.
    ``seed`` draws the pages' folds (0: the fit's own draw).  ``folded`` (a ``ProbeFeatures``): the features
    learnt from the labels, given for each fold from the training folds only."""
    pages = sorted(set(groups))
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(pages, rng.permutation(len(pages)) % folds, strict=True))
    fold = np.array([fold_of[g] for g in groups])
    ll, hits, none_pred, none_true, none_hit, english_hits = [], 0, 0, 0, 0, 0
    first_true, first_hit, none_wrong = 0, 0, 0
    english = f["english"] > 0.5
    d = targets.shape[1] - 1
    for k in range(folds):
        train, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        f_train, f_held = _fold_features(f, train, held, folded)
        w, _ = fit_features(f_train, targets[train], domain_features, none_features, l2, none_weight)
        x = design(f_held, domain_features, none_features)
        vec = np.array([w[n] for n in (*domain_features, *none_features)])
        ll.append(_loglik(x, vec, targets[held] > 0) * len(held))
        top = (x @ vec).argmax(axis=1)
        hits += int(targets[held, top].sum())
        english_hits += int((targets[held, top] * english[held]).sum())
        none_pred += int((top == d).sum())
        none_true += int(targets[held, d].sum())
        none_hit += int(((top == d) & (targets[held, d] > 0)).sum())
        if primary is not None:
            hit = targets[held, top] > 0
            first_true += int((primary[held] == d).sum())
            first_hit += int((hit & (primary[held] == d)).sum())
            none_wrong += int(((top == d) & ~hit).sum())
    n = len(groups)
    return {"log_likelihood": round(sum(ll) / n, 4), "top1": round(hits / n, 4),
            "english_top1": round(english_hits / int(english.sum()), 4) if english.any() else 0.0,
            "none_precision": round(none_hit / none_pred, 3) if none_pred else 0.0,
            "none_recall": round(none_hit / none_true, 3) if none_true else 0.0,
            **({"first_none_precision": round(first_hit / (first_hit + none_wrong), 3) if first_hit + none_wrong else 0.0,
                "first_none_recall": round(first_hit / first_true, 3) if first_true else 0.0} if primary is not None else {})}


def held_out_confusion(f: dict, targets: np.ndarray, groups: list[str], domain_features, none_features, primary: np.ndarray,
                       labels: list[str], l2: float = L2, none_weight: float = 1.0, folds: int = FOLDS, folded=None) -> list[dict]:
    """Per answer, held out by page with the folds of ``cross_validate``: titles filed under their first answer,
    precision and recall as ``lpsplan link --evaluate`` counts them (a top option that is any of a title's answers
    is right; a wrong one counts as predicted), and where the missed titles went."""
    pages = sorted(set(groups))
    fold_of = dict(zip(pages, np.random.default_rng(0).permutation(len(pages)) % folds, strict=True))
    fold = np.array([fold_of[g] for g in groups])
    top = np.zeros(len(groups), dtype=int)
    for k in range(folds):
        train, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        f_train, f_held = _fold_features(f, train, held, folded)
        w, _ = fit_features(f_train, targets[train], domain_features, none_features, l2, none_weight)
        vec = np.array([w[n] for n in (*domain_features, *none_features)])
        top[held] = (design(f_held, domain_features, none_features) @ vec).argmax(axis=1)
    got = np.where(targets[np.arange(len(top)), top] > 0, primary, top)  # filed as evaluate files them
    rows = []
    for j, label in enumerate(labels):
        n, predicted, right = int((primary == j).sum()), int((got == j).sum()), int(((primary == j) & (got == j)).sum())
        missed = {labels[o]: int(((primary == j) & (got == o)).sum()) for o in range(len(labels)) if o != j}
        rows.append({"answer": label, "titles": n, "precision": round(right / predicted, 3) if predicted else 0.0,
                     "recall": round(right / n, 3) if n else 0.0, "missed_to": {k: v for k, v in missed.items() if v}})
    return rows
