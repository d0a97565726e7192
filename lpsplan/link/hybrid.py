"""The hybrid linker: BM25 evidence and sentence-embedding similarity, combined by a calibrated logit.

For a title and each of the plan's domains d the linker computes these numbers:

* ``lexical``    = ln(1 + BM25 score of d), the score of ``lpsplan.link.lexical`` (the plan's words
  and the technology directions under d, propagated up);
* ``lexical_own`` / ``lexical_directions`` = the same score in its two parts, ln(1 + the part from d's own
  document) and ln(1 + the part its technology directions pass up), each with its own weight (round 12:
  the fit weighs a direction's words against the domain's own, where the propagation fixes 0.6 and 0.15);
  ``lexical_own_english`` / ``lexical_directions_english`` = the two again for an English title, 0 otherwise;
* ``semantic``   = the cosine between the title and d's nearest gloss sentence
  (``data/registry/domain-glosses.yaml``, written from the public classifications);
* ``technology`` = the cosine with the nearest label of a technology direction under d;
* ``plan``       = the cosine with the nearest sentence of the plan's own paragraph for d
  (reported with its offsets as the passage of the plan the title is closest to);
* ``exemplar``   = the cosines with the labelled real titles whose answer is d (the dev
  split, ``data/registry/link-exemplars.csv``), pooled into one number — the nearest, or a
  soft maximum T·ln Σ exp(cos/T) that also counts further close ones (``Exemplars.pool``;
  the pooling is chosen on dev and named in the calibration);
* ``exemplar_same`` / ``exemplar_cross`` = the same pooled apart over the exemplars written in the
  title's own language and over the others (``Exemplars.by_language``), each with its own weight:
  cross-language cosines run lower, so pooled together an English title's nearest exemplars were
  mostly English whatever their answer (the model fitted since round 7 uses these two);
* ``probe``      = the log-probability of d by the linear probe on the title's embedding (``probe.py``: a
  multinomial logistic regression over the 14 answers trained on every dev title, its weights in
  ``data/registry/link-probe.npz``; ``none_probe`` weighs that of "none"; round 13).

Their weighted sum is the domain's utility; "fits none" is one more option whose utility
is a constant, an offset for an English title (its cosines with the mostly Chinese
descriptions run lower), and the weighted cosines with the out-of-scope description and
with the pooled labelled titles that fit none.  A softmax over the 14 options turns
utilities into probabilities: the probability shown with each domain is calibrated (a
conditional logit fitted by maximum likelihood on the dev split of the real titles,
``lpsplan.link.fit``, which also chose the features by cross-validation over dev pages);
the title fits none when "none" is the most probable option.  The weights are in
``data/registry/link-calibration.yaml`` and docs/linking.md.  ``--method semantic`` is
the same without the lexical feature (refitted on its own).

Technology directions under the best domain are ranked by their own BM25 score and the
similarity of their label, and shown with their softmax share.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .lexical import CJK, Link, Linker, LinkResult, check_title
from .probe import Probe
from .semantic import OUT_OF_SCOPE, DescriptionIndex, Exemplars, shared_encoder

RESULT_CACHE = 20_000  # linked titles kept, so a title seen again costs no encoding or scoring
DOMAIN_FEATURES = ("lexical", "lexical_own", "lexical_directions", "lexical_own_english", "lexical_directions_english", "semantic",
                   "technology", "plan", "exemplar", "exemplar_same", "exemplar_cross", "probe")
NONE_FEATURES = ("none", "none_english", "none_outside", "none_exemplar", "none_exemplar_same", "none_exemplar_cross", "none_probe")


@dataclass(frozen=True)
class Weights:
    """The conditional logit's weights.  A domain's utility is the weighted sum of its
    features (``DOMAIN_FEATURES``), "fits none" that of its own (``NONE_FEATURES``: a
    constant, 1 for an English title, the similarity to the out-of-scope description)."""

    lexical: float
    semantic: float
    none: float
    none_english: float = 0.0  # added to "none" for a title without Chinese characters (its cosines run lower)
    technology: float = 0.0  # the nearest technology direction's label under the domain
    plan: float = 0.0  # the nearest sentence of the plan's own paragraph for the domain
    none_outside: float = 0.0  # the nearest sentence of the out-of-scope description
    exemplar: float = 0.0  # the pooled similarity to the labelled real titles (dev split) with the domain as its answer
    none_exemplar: float = 0.0  # the pooled similarity to the labelled real titles that fit none
    # the same two pooled over the exemplars in the title's own language (English, or with Chinese characters)
    # and over those in the other language, each half with its own weight (``Exemplars.by_language``)
    exemplar_same: float = 0.0
    exemplar_cross: float = 0.0
    none_exemplar_same: float = 0.0
    none_exemplar_cross: float = 0.0
    # the domain's BM25 score in its two parts, each with its own weight (round 12): the words of the domain's own
    # document, and those its technology directions pass up to it (``lexical.CHILD_BEST``, ``CHILD_REST``)
    lexical_own: float = 0.0
    lexical_directions: float = 0.0
    # the two parts again for an English title only (0 for a title with Chinese characters): an English title's
    # BM25 comes from the English words of the labels and glosses, so its parts may weigh otherwise
    lexical_own_english: float = 0.0
    lexical_directions_english: float = 0.0
    # the linear probe's log-probability of the answer (round 13, ``probe.Probe``): a domain's, and that of "none"
    probe: float = 0.0
    none_probe: float = 0.0

    @classmethod
    def from_mapping(cls, w: dict) -> Weights:
        return cls(**{k: float(w.get(k, 0.0)) for k in (*DOMAIN_FEATURES, *NONE_FEATURES)})

    def domain_utility(self, f: dict) -> np.ndarray:
        return sum(getattr(self, k) * f[k] for k in DOMAIN_FEATURES if getattr(self, k))

    def none_utility(self, f: dict) -> np.ndarray:
        n = len(f["english"])
        return (self.none * np.ones(n) + self.none_english * f["english"] + self.none_outside * f["outside"]
                + self.none_exemplar * f["ex_none"] + self.none_exemplar_same * f["ex_none_same"]
                + self.none_exemplar_cross * f["ex_none_cross"] + self.none_probe * f["probe_none"])

    def technology_utility(self, lexical, similarity, english: bool = False):
        """A technology direction's utility: its BM25 score (weighted as a domain's BM25, or as the part of it
        from the domain's own document when the score is weighed in two parts, with that part's English weight
        added for an English title) and the similarity of its label (weighted as the domain's gloss and
        technology similarities together)."""
        weight = self.lexical + self.lexical_own + (self.lexical_own_english if english else 0.0)
        return weight * lexical + (self.semantic + self.technology) * similarity


def english(ranked) -> np.ndarray:
    """1.0 for a title with no Chinese character, else 0.0."""
    return np.array([0.0 if CJK.search(r[0]) else 1.0 for r in ranked])


def softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class HybridLinker:
    """Links titles with both halves; ``method`` is hybrid or semantic."""

    def __init__(self, lexical: Linker, index: DescriptionIndex, weights: Weights, method: str = "hybrid",
                 exemplars: Exemplars | None = None, probe: Probe | None = None):
        self.lexical = lexical
        self.probe = probe
        self.index = index
        self.exemplars = exemplars
        self.weights = weights
        self.method = method
        self.encoder = shared_encoder()
        self.domains = [c for c in lexical.concepts if c.kind == "domain"]
        self.technologies = {c.iri: c for c in lexical.concepts if c.kind == "technology"}
        self._cols = [index.owner_index[d.iri] for d in self.domains]
        # for each domain, the index columns of its technology directions (max over them = the domain's technology feature)
        self._tech_cols = [[index.owner_index[i] for i, c in self.technologies.items() if d.iri in c.domains and i in index.owner_index]
                           for d in self.domains]
        self._outside = index.owner_index.get(OUT_OF_SCOPE)
        # for each domain, its technology directions (IRI, concept, index column), in the concepts' order
        self._under = {d.iri: [(i, c, index.owner_index[i]) for i, c in self.technologies.items() if d.iri in c.domains]
                       for d in self.domains}
        self._label_of = {d.iri: d.label_zh for d in self.domains}
        self._results: OrderedDict[tuple[str, int], LinkResult] = OrderedDict()
        self._lock = threading.Lock()

    def link(self, title: str, k: int = 3) -> LinkResult:
        return self.link_many([title], k)[0]

    def features(self, titles: list[str], exclude_pages: list[str] | None = None) -> tuple[list, dict, np.ndarray, np.ndarray]:
        """Per title: the BM25 ranking, the features of every domain and of "none" (``Weights``),
        and the best cosine per concept with the index of the sentence giving it.  ``exclude_pages``
        (when fitting on dev): the page of each title, whose exemplars are left out."""
        for t in titles:
            check_title(t)
        ranked = [self.lexical.rank(t) for t in titles]
        queries = self.encoder.queries([r[0] for r in ranked])
        best, arg = self.index.nearest(queries, ("gloss",))
        tech_best, tech_arg = self.index.nearest(queries, ("label",))
        plan_best, plan_arg = self.index.nearest(queries, ("plan",))
        for iri in self.technologies:
            o = self.index.owner_index.get(iri)
            if o is not None:
                best[:, o], arg[:, o] = tech_best[:, o], tech_arg[:, o]
        self._plan = (plan_best, plan_arg)
        lexical = np.zeros((len(titles), len(self.domains)), dtype=np.float32)
        own, directions = np.zeros_like(lexical), np.zeros_like(lexical)
        for i, (_, domain_links, _, _) in enumerate(ranked):
            by_iri = {link.iri: link for link in domain_links}
            for j, d in enumerate(self.domains):
                link = by_iri.get(d.iri)
                if link is not None:
                    passed = link.breakdown["from_technologies"]
                    lexical[i, j] = math.log1p(link.score)
                    own[i, j], directions[i, j] = math.log1p(max(0.0, link.score - passed)), math.log1p(passed)
        if self.method == "semantic":
            lexical[:], own[:], directions[:] = 0.0, 0.0, 0.0
        technology = np.stack([best[:, cols].max(axis=1) if cols else np.zeros(len(titles)) for cols in self._tech_cols], axis=1)
        is_english = english(ranked)
        f = {"lexical": lexical, "lexical_own": own, "lexical_directions": directions,
             "lexical_own_english": own * is_english[:, None], "lexical_directions_english": directions * is_english[:, None],
             "semantic": best[:, self._cols], "technology": technology, "plan": plan_best[:, self._cols],
             "english": is_english,
             "outside": best[:, self._outside].astype(np.float64) if self._outside is not None else np.zeros(len(titles))}
        labels = [d.label_zh for d in self.domains] + ["none"]
        if self.exemplars:
            sims = self.exemplars.similarities(queries, [r[0] for r in ranked], exclude_pages)
            ex = self.exemplars.pool(sims, labels).astype(np.float32)
            same, cross = (self.exemplars.pool(s, labels).astype(np.float32) for s in self.exemplars.by_language(sims, f["english"]))
        else:
            ex = same = cross = np.full((len(titles), len(labels)), Exemplars.FLOOR, dtype=np.float32)
        f["exemplar"], f["ex_none"] = ex[:, :-1], ex[:, -1].astype(np.float64)
        f["exemplar_same"], f["ex_none_same"] = same[:, :-1], same[:, -1].astype(np.float64)
        f["exemplar_cross"], f["ex_none_cross"] = cross[:, :-1], cross[:, -1].astype(np.float64)
        logp = self.probe.log_proba(queries, is_english) if self.probe else np.zeros((len(titles), len(labels)))
        f["probe"], f["probe_none"] = logp[:, :-1], logp[:, -1]
        return ranked, f, best, arg

    def probabilities(self, f: dict) -> np.ndarray:
        """(titles, domains + 1): the calibrated probability of each domain, and of "none" last."""
        u = np.asarray(self.weights.domain_utility(f), dtype=np.float64)
        return softmax(np.concatenate([u, self.weights.none_utility(f)[:, None]], axis=1))

    def ranked_labels(self, titles: list[str]) -> list[tuple[list[str], float]]:
        """For evaluation: every option's label ("none" included), most probable first, and the top probability."""
        _, f, _, _ = self.features(titles)
        labels = [d.label_zh for d in self.domains] + ["none"]
        return [([labels[j] for j in np.argsort(-p, kind="stable")], float(p.max())) for p in self.probabilities(f)]

    def link_many(self, titles: list[str], k: int = 3) -> list[LinkResult]:
        """Link a batch; a title linked before (same text, same k) is answered from a bounded cache."""
        for t in titles:
            check_title(t)
        with self._lock:
            known = {t: self._results[(t, k)] for t in titles if (t, k) in self._results}
        todo = list(dict.fromkeys(t for t in titles if t not in known))
        if todo:
            known.update(zip(todo, self._link_new(todo, k), strict=True))
        with self._lock:
            for t in titles:
                self._results[(t, k)] = known[t]
                self._results.move_to_end((t, k))
            while len(self._results) > RESULT_CACHE:
                self._results.popitem(last=False)
        return [known[t] for t in titles]

    def _link_new(self, titles: list[str], k: int) -> list[LinkResult]:
        ranked, f, best, arg = self.features(titles)
        lexical, semantic = f["lexical"], f["semantic"]
        cols = self._cols
        probs = self.probabilities(f)
        out = []
        for i, title in enumerate(titles):
            norm, domain_links, tech_links, _ = ranked[i]
            p = probs[i]
            none_p = float(p[-1])
            fits = int(p.argmax()) != len(self.domains)
            by_iri = {link.iri: link for link in domain_links}
            order = [j for j in np.argsort(-p[:-1], kind="stable")][:k]
            links = []
            first_techs: list[Link] = []
            for rank, j in enumerate(order, 1):
                d = self.domains[j]
                lex_link = by_iri.get(d.iri)
                s = self.index.sentences[int(arg[i, cols[j]])]
                ps = self.index.sentences[int(self._plan[1][i, cols[j]])]
                techs = self._technologies(d.iri, tech_links, best[i], arg[i], bool(f["english"][i]))
                if rank == 1:
                    first_techs = techs
                links.append(Link(rank, "domain", d.iri, d.label_zh, d.label_en, round(float(p[j]), 4),
                                  {"lexical": round(float(lexical[i, j]), 4), "lexical_own": round(float(f["lexical_own"][i, j]), 4),
                                   "lexical_directions": round(float(f["lexical_directions"][i, j]), 4),
                                   "semantic": round(float(semantic[i, j]), 4),
                                   "technology": round(float(f["technology"][i, j]), 4), "plan": round(float(f["plan"][i, j]), 4),
                                   "exemplar": round(float(f["exemplar"][i, j]), 4),
                                   "exemplar_same": round(float(f["exemplar_same"][i, j]), 4),
                                   "exemplar_cross": round(float(f["exemplar_cross"][i, j]), 4),
                                   "probe": round(float(f["probe"][i, j]), 4),
                                   "bm25": lex_link.score if lex_link else 0.0,
                                   "plan_sentence": ps.text, "plan_start": ps.start, "plan_end": ps.end,
                                   "best_technology": techs[0].label_zh if techs else ""},
                                  lex_link.evidence if lex_link and self.method == "hybrid" else [],
                                  similar_to=s.text, similarity=round(float(semantic[i, j]), 4),
                                  similar_start=s.start, similar_end=s.end))
            technologies = first_techs[:k] if fits else []  # those of the best domain
            out.append(LinkResult(title, norm, fits, links if fits else [], technologies, self.method, round(none_p, 4)))
        return out

    def _technologies(self, domain_iri: str, tech_links: list[Link], best: np.ndarray, arg: np.ndarray,
                      english: bool = False) -> list[Link]:
        """The technology directions under one domain, ranked by the same utility."""
        lex = {link.iri: link for link in tech_links}
        rows = []
        for iri, _, o in self._under[domain_iri]:
            lexical = 0.0 if self.method == "semantic" or iri not in lex else math.log1p(lex[iri].score)
            rows.append((self.weights.technology_utility(lexical, float(best[o]), english), iri, lexical, float(best[o])))
        if not rows:
            return []
        share = softmax(np.array([r[0] for r in rows]))
        rows = sorted(zip(share, rows, strict=True), key=lambda x: (-x[0], x[1][1]))
        domain_label = self._label_of[domain_iri]
        out = []
        for rank, (p, (_, iri, lexical, sim)) in enumerate(rows, 1):
            c = self.technologies[iri]
            ev = lex[iri].evidence if iri in lex and self.method == "hybrid" else []
            out.append(Link(rank, "technology", iri, c.label_zh, c.label_en, round(float(p), 4),
                            {"lexical": round(lexical, 4), "semantic": round(sim, 4)}, ev, domain=domain_label,
                            similar_to=self.index.sentences[int(arg[self.index.owner_index[iri]])].text, similarity=round(sim, 4)))
        return out
