"""The hybrid linker's conditional logit: its design, its likelihood and the fit of its weights.

Each title has 14 options (13 domains and "none"); an option's utility is a weighted sum of its
features and its probability the softmax share.  ``design`` lays the features out as titles ×
options × features, ``fit_design`` finds the weights that maximise the penalised likelihood of
the labelled answers by damped Newton steps, and ``fit_features`` gives them named, for one
feature set.  :mod:`.fit` chooses the features and settings and writes the calibration.
"""

from __future__ import annotations

import numpy as np

L2 = 0.001  # on features scaled to unit spread: keeps a weight finite when dev separates a class perfectly


NONE_INPUT = {"none": None, "none_english": "english", "none_outside": "outside", "none_exemplar": "ex_none",
              "none_exemplar_same": "ex_none_same", "none_exemplar_cross": "ex_none_cross", "none_probe": "probe_none"}


def _softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _loglik(x: np.ndarray, w: np.ndarray, mask: np.ndarray, weight: np.ndarray | None = None) -> float:
    """Mean log of the probability share of the acceptable options.  Both log-sums are taken from
    their own maximum, so a title whose answers all sit far below the top option gets a large
    negative number rather than the logarithm of an underflowed zero (−inf, which once accepted
    let every later step through)."""
    u = x @ w
    top = u.max(axis=1, keepdims=True)
    all_ = np.log(np.exp(u - top).sum(axis=1)) + top[:, 0]
    um = np.where(mask, u, -np.inf)
    top_ok = um.max(axis=1, keepdims=True)
    ok = np.log(np.exp(um - top_ok).sum(axis=1)) + top_ok[:, 0]
    return float(np.average(ok - all_, weights=weight))


def design(f: dict, domain_features, none_features) -> np.ndarray:
    """(titles, domains + 1, features): the option features of the conditional logit."""
    n, d = f["semantic"].shape
    x = np.zeros((n, d + 1, len(domain_features) + len(none_features)))
    for j, name in enumerate(domain_features):
        x[:, :d, j] = f[name]
    for j, name in enumerate(none_features, len(domain_features)):
        x[:, d, j] = 1.0 if NONE_INPUT[name] is None else f[NONE_INPUT[name]]
    return x


def fit_design(x: np.ndarray, targets: np.ndarray, penalise: np.ndarray, steps: int = 200,
               constant: int | None = None, weight: np.ndarray | None = None, l2: float = L2) -> tuple[np.ndarray, float]:
    """Weights maximising the penalised likelihood of ``targets`` (0/1 masks, titles × options); features are
    scaled to unit spread for the penalty and the weights returned on the original scale.

    ``constant``: the column of "none"'s constant (1 on the last option only).  With it, every other
    feature is centred first — a domain feature on its mean over the domain options, a feature of "none"
    on its mean over titles — and the constant takes the shifts back, so the model is the same; without
    centring, cosines that all sit near 0.85 make the constant and the similarity weights nearly
    collinear, and the Newton steps stall far from the optimum."""
    n, _, k = x.shape
    x = x.copy()
    shift = np.zeros(k)
    if constant is not None:
        for j in range(k):
            if j == constant:
                continue
            on = slice(None, -1) if np.any(x[:, :-1, j]) else slice(-1, None)
            shift[j] = x[:, on, j].mean()
            x[:, on, j] -= shift[j]
    scale = np.array([x[..., j].std() or 1.0 for j in range(k)])
    scale[~penalise] = 1.0
    xs = x / scale
    mask = targets > 0
    pen = penalise.astype(float)
    w = np.zeros(k)
    r = np.ones(n) if weight is None else np.asarray(weight, dtype=float) * n / np.sum(weight)  # title weights, mean 1
    objective = _loglik(xs, w, mask, r) - l2 * (pen * w ** 2).sum()
    for _ in range(steps):
        u = xs @ w
        p = _softmax(u)
        q = _softmax(np.where(mask, u, -np.inf))  # the model's share among the acceptable answers
        mean_p = np.einsum("no,nok->nk", p, xs)
        mean_q = np.einsum("no,nok->nk", q, xs)
        grad = (r[:, None] * (mean_q - mean_p)).mean(axis=0) - 2 * l2 * pen * w
        cov_p = (np.einsum("n,no,nok,nol->kl", r, p, xs, xs) - np.einsum("n,nk,nl->kl", r, mean_p, mean_p)) / n
        cov_q = (np.einsum("n,no,nok,nol->kl", r, q, xs, xs) - np.einsum("n,nk,nl->kl", r, mean_q, mean_q)) / n
        hess = (cov_q - cov_p) - 2 * l2 * np.diag(pen)
        # with a second acceptable answer the objective is not concave everywhere, and where the
        # Hessian is not negative definite a Newton step may point downhill or be huge: its
        # eigenvalues are clipped below zero, which keeps every step an ascent direction
        values, vectors = np.linalg.eigh((hess + hess.T) / 2)
        values = np.minimum(values, -max(1e-6, 1e-3 * np.abs(values).max()))
        step = vectors @ ((vectors.T @ grad) / values)
        t, accepted = 1.0, False
        while t > 1e-8:  # damped Newton: never accept a step that lowers the objective
            trial = w - t * step
            value = _loglik(xs, trial, mask, r) - l2 * (pen * trial ** 2).sum()
            if np.isfinite(value) and value >= objective - 1e-12:
                accepted = True
                break
            t /= 2
        if not accepted:  # no step raises the objective: this is the optimum within numerical precision
            break
        w, objective = trial, value
        if np.abs(t * step).max() < 1e-9:
            break
    w_orig = w / scale
    if constant is not None:  # undo the centring: u_d = Σ w·x, u_none = c + Σ v·y with the shifts folded into c
        domain_cols = [j for j in range(k) if j != constant and np.any(x[:, :-1, j])]
        none_cols = [j for j in range(k) if j != constant and j not in domain_cols]
        w_orig[constant] += sum(w_orig[j] * shift[j] for j in domain_cols) - sum(w_orig[j] * shift[j] for j in none_cols)
    return w_orig, _loglik(xs, w, mask)


def fit_features(f: dict, targets: np.ndarray, domain_features, none_features, l2: float = L2,
                 none_weight: float = 1.0) -> tuple[dict, float]:
    """The named weights for one feature set, and the mean log-likelihood on the titles fitted.  ``l2``: the
    penalty; ``none_weight``: the weight in the likelihood of a title with none among its answers (others 1)."""
    x = design(f, domain_features, none_features)
    penalise = np.array([True] * len(domain_features) + [name != "none" for name in none_features])  # the constant sets the level
    constant = len(domain_features) + none_features.index("none") if "none" in none_features else None
    weight = np.where(targets[:, -1] > 0, none_weight, 1.0) if none_weight != 1.0 else None
    w, ll = fit_design(x, targets, penalise, constant=constant, weight=weight, l2=l2)
    return dict(zip((*domain_features, *none_features), (float(v) for v in w), strict=True)), ll


def fit(lexical: np.ndarray, semantic: np.ndarray, english: np.ndarray, targets: np.ndarray, use_lexical: bool = True,
        steps: int = 200) -> tuple[np.ndarray, float]:
    """Weights (a, b, c, e) of the two-feature model and the mean log-likelihood (lexical/semantic: (n, 13))."""
    f = {"lexical": lexical if use_lexical else np.zeros_like(lexical), "semantic": semantic, "english": english}
    w, ll = fit_features(f, targets, ("lexical", "semantic"), ("none", "none_english"))
    return np.array([w["lexical"], w["semantic"], w["none"], w["none_english"]]), ll
