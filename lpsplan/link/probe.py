"""A linear probe on the title embeddings: a multinomial logistic regression over the 14 answers.

The labelled dev titles enter the hybrid linker as exemplars (``semantic.Exemplars``: a title's similarities
to the nearest titles of each answer, pooled — a nearest-neighbour vote).  The probe reads the same titles
another way: one weight vector per answer (the 13 domains and "none") over the 384 numbers of a title's
embedding, fitted by penalised maximum likelihood, so every dev title shapes every answer's direction rather
than only its few nearest neighbours.  Its log-probability of an answer is one more feature of that answer in
the conditional logit (``hybrid.Weights.probe`` for a domain, ``none_probe`` for "none").

Training: the embedding's numbers are standardised on the training titles, the penalty is L2 on the weights
(not the constants), a title with a second acceptable answer counts half to each, and the optimum is reached by
limited-memory BFGS (the objective is smooth and strictly convex).  The standardisation is folded back into the
weights, so the probe applies as ``embedding @ weights + constants``.  With ``language`` the English flag of the
title is one more input, so each answer may have its own offset for English titles.

The weights of the probe the linker uses (trained on every dev title by ``python -m lpsplan.link.fit``) are
in ``data/registry/link-probe.npz``, beside the calibration.  Only numbers and labels are stored (no pickled
objects); a missing or unreadable file is one line of error.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import LpsplanError

FORMAT = 1  # the file's layout; a file of another layout is refused
FLOOR = -12.0  # a log-probability is read no lower than this (a probability of 6e-6): one title cannot dominate


class ProbeError(LpsplanError, ValueError):
    """The probe's weights file is missing, unreadable or of another shape."""


@dataclass(frozen=True)
class Probe:
    weights: np.ndarray  # (inputs, answers): the embedding's DIMENSIONS numbers, then the English flag if ``language``
    constants: np.ndarray  # (answers,)
    labels: tuple[str, ...]  # the answers, in the order of the columns ("none" last)
    language: bool = False
    model: str = ""  # the embedding model the probe was trained on

    def logits(self, x: np.ndarray, english: np.ndarray | None = None) -> np.ndarray:
        return _inputs(x, english, self.language) @ self.weights + self.constants

    def log_proba(self, x: np.ndarray, english: np.ndarray | None = None) -> np.ndarray:
        """(titles, answers): the log-probability of each answer, no lower than ``FLOOR``."""
        z = self.logits(x, english)
        top = z.max(axis=1, keepdims=True)
        return np.maximum(z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True)), FLOOR)

    def save(self, path: Path) -> None:
        """An .npz file (numpy's zip of arrays) whose bytes depend on the numbers alone: every member is dated
        1980-01-01, so the same fit writes the same file."""
        arrays = {"format": np.array(FORMAT), "weights": self.weights.astype(np.float32),
                  "constants": self.constants.astype(np.float32), "labels": np.array(self.labels),
                  "language": np.array(self.language), "model": np.array(self.model)}
        tmp = path.with_name(f".{path.stem}-tmp.npz")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, array in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, array, allow_pickle=False)
                z.writestr(zipfile.ZipInfo(f"{name}.npy", (1980, 1, 1, 0, 0, 0)), buf.getvalue(), zipfile.ZIP_DEFLATED)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, labels: list[str] | None = None, dimensions: int | None = None, model: str | None = None) -> Probe:
        """The probe saved at ``path``; given ``labels``, ``dimensions`` and ``model``, it must have those answers
        (in that order) and read embeddings of that size from that model."""
        try:
            with np.load(path, allow_pickle=False) as z:
                if int(z["format"]) != FORMAT:
                    raise ProbeError(f"the probe's weights file {path.name} has layout {int(z['format'])}, not {FORMAT}; "
                                     "refit with python -m lpsplan.link.fit")
                probe = cls(np.asarray(z["weights"], dtype=np.float64), np.asarray(z["constants"], dtype=np.float64),
                            tuple(str(s) for s in z["labels"]), bool(z["language"]), str(z["model"]))
        except ProbeError:
            raise
        except FileNotFoundError:
            raise ProbeError(f"the probe's weights file {path.name} is missing; refit with python -m lpsplan.link.fit") from None
        except (OSError, ValueError, TypeError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # not a zip, a cut
            # one, a member of another shape (TypeError: several numbers where one is read, labels that are one string), …
            raise ProbeError(f"the probe's weights file {path.name} cannot be read ({type(exc).__name__}); "
                             "refit with python -m lpsplan.link.fit") from None
        inputs = (dimensions or (probe.weights.shape or (0,))[0] - probe.language) + probe.language
        if (probe.weights.ndim != 2 or probe.weights.shape != (inputs, len(probe.labels))
                or probe.constants.shape != (len(probe.labels),)
                or not np.all(np.isfinite(probe.weights)) or not np.all(np.isfinite(probe.constants))
                or (labels is not None and list(probe.labels) != list(labels))):
            raise ProbeError(f"the probe's weights file {path.name} does not fit this linker (its answers or sizes differ); "
                             "refit with python -m lpsplan.link.fit")
        if model is not None and probe.model != model:
            raise ProbeError(f"the probe's weights file {path.name} was trained on embeddings of another model "
                             f"({probe.model or 'unnamed'}); refit with python -m lpsplan.link.fit")
        return probe


def _inputs(x: np.ndarray, english: np.ndarray | None, language: bool) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if not language:
        return x
    flag = np.zeros(len(x)) if english is None else np.asarray(english, dtype=np.float64)
    return np.concatenate([x, flag[:, None]], axis=1)


def train(x: np.ndarray, targets: np.ndarray, labels: list[str], l2: float, english: np.ndarray | None = None,
          language: bool = False, model: str = "", steps: int = 2000) -> Probe:
    """The probe maximising the mean log-likelihood of ``targets`` (titles × answers, 1 for each acceptable
    answer; a title's answers share its weight) less ``l2`` × the sum of squared weights on standardised inputs."""
    a = _inputs(x, english, language)
    mean, spread = a.mean(axis=0), a.std(axis=0)
    spread[spread == 0] = 1.0
    s = (a - mean) / spread
    t = np.asarray(targets, dtype=np.float64)
    t = t / t.sum(axis=1, keepdims=True)
    n, k = s.shape
    c = t.shape[1]

    def value_grad(theta):
        w, b = theta[:k * c].reshape(k, c), theta[k * c:]
        z = s @ w + b
        z -= z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=1, keepdims=True))
        p = np.exp(z - lse)
        value = -(t * (z - lse)).sum() / n + l2 * (w ** 2).sum()
        r = (p - t) / n
        return value, np.concatenate([(s.T @ r + 2 * l2 * w).ravel(), r.sum(axis=0)])

    theta = _lbfgs(value_grad, np.zeros(k * c + c), steps)
    w, b = theta[:k * c].reshape(k, c), theta[k * c:]
    weights = w / spread[:, None]  # back to the raw inputs: (a - mean)/spread @ w + b = a @ weights + constants
    return Probe(weights, b - mean @ weights, tuple(labels), language, model)


def _lbfgs(value_grad, theta: np.ndarray, steps: int, memory: int = 10, gtol: float = 1e-6) -> np.ndarray:
    """Limited-memory BFGS with a backtracking (Armijo) line search: the minimum of a smooth convex function,
    reached when no gradient component exceeds ``gtol`` (or a step no longer lowers the value measurably)."""
    value, grad = value_grad(theta)
    history: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(steps):
        q = grad.copy()
        alphas = []
        for s, y, rho in reversed(history):
            a = rho * (s @ q)
            q -= a * y
            alphas.append(a)
        if history:
            s, y, _ = history[-1]
            q *= (s @ y) / (y @ y)
        else:
            q /= max(1.0, np.abs(grad).max())
        for (s, y, rho), a in zip(history, reversed(alphas), strict=True):
            q += s * (a - rho * (y @ q))
        direction = -q
        slope = grad @ direction
        if slope >= 0:  # not a descent direction: start the memory again from the gradient
            history.clear()
            direction, slope = -grad, -(grad @ grad)
        t = 1.0
        while True:
            trial = theta + t * direction
            new_value, new_grad = value_grad(trial)
            if new_value <= value + 1e-4 * t * slope or t < 1e-10:
                break
            t /= 2
        s, y = trial - theta, new_grad - grad
        if s @ y > 1e-12:
            history.append((s, y, 1.0 / (s @ y)))
            del history[:-memory]
        done = value - new_value <= 1e-14 * max(1.0, abs(value))
        theta, value, grad = trial, new_value, new_grad
        if done or np.abs(grad).max() < gtol:
            break
    return theta


def page_folds(groups: list[str], folds: int, seed: int) -> np.ndarray:
    """Each title's fold, a page's titles in the same one (as ``crossval.cross_validate`` draws them)."""
    pages = sorted(set(groups))
    fold_of = dict(zip(pages, np.random.default_rng(seed).permutation(len(pages)) % folds, strict=True))
    return np.array([fold_of[g] for g in groups])


def cross_fitted(x: np.ndarray, targets: np.ndarray, groups: list[str], labels: list[str], l2: float,
                 english: np.ndarray | None = None, language: bool = False, folds: int = 5, seed: int = 1) -> np.ndarray:
    """(titles, answers): each title's log-probabilities from a probe trained without its fold of pages, so a
    title's feature never comes from a probe that saw its own label (nor any title of its page)."""
    fold = page_folds(groups, folds, seed)
    out = np.zeros(targets.shape)
    for k in range(folds):
        train_, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if not len(held):
            continue
        e = None if english is None else english[train_]
        p = train(x[train_], targets[train_], labels, l2, e, language)
        out[held] = p.log_proba(x[held], None if english is None else english[held])
    return out
