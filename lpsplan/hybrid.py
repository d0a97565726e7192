"""The hybrid linker: BM25 evidence and sentence-embedding similarity, combined by a calibrated logit.

For a title and each of the plan's domains d the linker computes two numbers:

* ``lexical_d``  = ln(1 + BM25 score of d), the score of ``lpsplan.link`` (the plan's
  words and the technology directions under d, propagated up);
* ``semantic_d`` = the cosine between the title and d's nearest gloss sentence
  (``lpsplan.semantic``; the glosses of ``data/registry/domain-glosses.yaml``, written from
  the public classifications; on dev they separated the domains better than the plan's own
  sentences or both together, by likelihood).  The nearest sentence of the plan itself is
  reported too, with its offsets, as the passage of the plan the title is closest to.

Their weighted sum is the domain's utility, u_d = a·lexical_d + b·semantic_d, and "fits
none" is one more option with utility c (c + e for an English title, whose cosines with
the mostly Chinese descriptions run lower).  A softmax over the 14 options turns
utilities into probabilities: the probability shown with each domain is calibrated (a
conditional logit fitted by maximum likelihood on the dev split of the real titles,
``lpsplan.linkfit``); the title fits none when "none" is the most probable option.  The
three weights are in ``data/registry/link-calibration.yaml`` and docs/linking.md.
``--method semantic`` is the same with a = 0 (refitted on its own).

Technology directions under the best domain are ranked with the same utility (their
own BM25 score and nearest-sentence similarity) and shown with their softmax share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .link import CJK, Link, Linker, LinkResult, check_title
from .semantic import DescriptionIndex, Encoder


@dataclass(frozen=True)
class Weights:
    lexical: float
    semantic: float
    none: float
    none_english: float = 0.0  # added to "none" for a title without Chinese characters (its cosines run lower)

    def utility(self, lexical, semantic):
        return self.lexical * lexical + self.semantic * semantic

    def none_utility(self, english: np.ndarray) -> np.ndarray:
        return self.none + self.none_english * english


def english(ranked) -> np.ndarray:
    """1.0 for a title with no Chinese character, else 0.0."""
    return np.array([0.0 if CJK.search(r[0]) else 1.0 for r in ranked])


def softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class HybridLinker:
    """Links titles with both halves; ``method`` is hybrid or semantic."""

    def __init__(self, lexical: Linker, index: DescriptionIndex, weights: Weights, method: str = "hybrid"):
        self.lexical = lexical
        self.index = index
        self.weights = weights
        self.method = method
        self.encoder = Encoder()
        self.domains = [c for c in lexical.concepts if c.kind == "domain"]
        self.technologies = {c.iri: c for c in lexical.concepts if c.kind == "technology"}

    def link(self, title: str, k: int = 3) -> LinkResult:
        return self.link_many([title], k)[0]

    def features(self, titles: list[str]) -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
        """Per title: BM25 ranking, lexical matrix over the domains, best cosine per concept, nearest-sentence indices."""
        for t in titles:
            check_title(t)
        ranked = [self.lexical.rank(t) for t in titles]
        queries = self.encoder.queries([r[0] for r in ranked])
        best, arg = self.index.nearest(queries, ("gloss",))
        tech_best, tech_arg = self.index.nearest(queries, ("label",))
        plan_best, plan_arg = self.index.nearest(queries, ("plan",))
        for o, iri in enumerate(sorted(self.index.owner_index)):
            if iri in self.technologies:
                best[:, o], arg[:, o] = tech_best[:, o], tech_arg[:, o]
        self._plan = (plan_best, plan_arg)
        lexical = np.zeros((len(titles), len(self.domains)), dtype=np.float32)
        for i, (_, domain_links, _, _) in enumerate(ranked):
            scores = {link.iri: link.score for link in domain_links}
            lexical[i] = [math.log1p(scores.get(d.iri, 0.0)) for d in self.domains]
        if self.method == "semantic":
            lexical[:] = 0.0
        return ranked, lexical, best, arg

    def probabilities(self, lexical: np.ndarray, semantic: np.ndarray, english: np.ndarray) -> np.ndarray:
        """(titles, domains + 1): the calibrated probability of each domain, and of "none" last."""
        u = self.weights.utility(lexical, semantic).astype(np.float64)
        u = np.concatenate([u, self.weights.none_utility(english)[:, None]], axis=1)
        return softmax(u)

    def ranked_labels(self, titles: list[str]) -> list[tuple[list[str], float]]:
        """For evaluation: every option's label ("none" included), most probable first, and the top probability."""
        ranked, lexical, best, _ = self.features(titles)
        probs = self.probabilities(lexical, best[:, [self.index.owner_index[d.iri] for d in self.domains]], english(ranked))
        labels = [d.label_zh for d in self.domains] + ["none"]
        return [([labels[j] for j in np.argsort(-p, kind="stable")], float(p.max())) for p in probs]

    def link_many(self, titles: list[str], k: int = 3) -> list[LinkResult]:
        ranked, lexical, best, arg = self.features(titles)
        cols = [self.index.owner_index[d.iri] for d in self.domains]
        semantic = best[:, cols]
        probs = self.probabilities(lexical, semantic, english(ranked))
        out = []
        for i, title in enumerate(titles):
            norm, domain_links, tech_links, _ = ranked[i]
            p = probs[i]
            none_p = float(p[-1])
            fits = int(p.argmax()) != len(self.domains)
            by_iri = {link.iri: link for link in domain_links}
            order = [j for j in np.argsort(-p[:-1], kind="stable")][:k]
            links = []
            for rank, j in enumerate(order, 1):
                d = self.domains[j]
                lex_link = by_iri.get(d.iri)
                s = self.index.sentences[int(arg[i, cols[j]])]
                ps = self.index.sentences[int(self._plan[1][i, cols[j]])]
                techs = self._technologies(d.iri, tech_links, best[i], arg[i])
                links.append(Link(rank, "domain", d.iri, d.label_zh, d.label_en, round(float(p[j]), 4),
                                  {"lexical": round(float(lexical[i, j]), 4), "semantic": round(float(semantic[i, j]), 4),
                                   "bm25": lex_link.score if lex_link else 0.0,
                                   "plan_sentence": ps.text, "plan_start": ps.start, "plan_end": ps.end,
                                   "best_technology": techs[0].label_zh if techs else ""},
                                  lex_link.evidence if lex_link and self.method == "hybrid" else [],
                                  similar_to=s.text, similarity=round(float(semantic[i, j]), 4),
                                  similar_start=s.start, similar_end=s.end))
            technologies = self._technologies(self.domains[order[0]].iri, tech_links, best[i], arg[i])[:k] if fits else []
            out.append(LinkResult(title, norm, fits, links if fits else [], technologies, self.method, round(none_p, 4)))
        return out

    def _technologies(self, domain_iri: str, tech_links: list[Link], best: np.ndarray, arg: np.ndarray) -> list[Link]:
        """The technology directions under one domain, ranked by the same utility."""
        lex = {link.iri: link for link in tech_links}
        rows = []
        for iri, c in self.technologies.items():
            if domain_iri not in c.domains:
                continue
            o = self.index.owner_index[iri]
            lexical = 0.0 if self.method == "semantic" or iri not in lex else math.log1p(lex[iri].score)
            rows.append((self.weights.utility(lexical, float(best[o])), iri, lexical, float(best[o])))
        if not rows:
            return []
        share = softmax(np.array([r[0] for r in rows]))
        rows = sorted(zip(share, rows), key=lambda x: (-x[0], x[1][1]))
        domain_label = next(d.label_zh for d in self.domains if d.iri == domain_iri)
        out = []
        for rank, (p, (_, iri, lexical, sim)) in enumerate(rows, 1):
            c = self.technologies[iri]
            ev = lex[iri].evidence if iri in lex and self.method == "hybrid" else []
            out.append(Link(rank, "technology", iri, c.label_zh, c.label_en, round(float(p), 4),
                            {"lexical": round(lexical, 4), "semantic": round(sim, 4)}, ev, domain=domain_label,
                            similar_to=self.index.sentences[int(arg[self.index.owner_index[iri]])].text, similarity=round(sim, 4)))
        return out
