"""Link R&D project titles to the plan's domains and technology directions, with evidence.

Explainable and deterministic, in the manner of UN LinkedSDG:

1. the title is normalised (OpenCC traditional → simplified, NFKC) and segmented
   with jieba, whose dictionary is extended with the plan's own terms (domain and
   technology labels, focus directions), plus character bigrams for words the
   dictionary does not know;
2. every domain and technology direction is a document built from the plan's own
   text (labels, focus directions, the text of the domain's clauses) and the
   curated English labels; a domain's document also holds the English words of
   its glosses (data/registry/domain-glosses.yaml, ``en`` and ``en_terms``), so an
   English title finds its domain by words too;
3. BM25 scores each document; every matched term is kept as evidence with its
   offsets in the title and in the plan;
4. a domain also receives the evidence of its technology directions (the best one
   fully, the others at a discount), so specific matches propagate upward;
5. a title whose best domain scores below a threshold "fits none".

The BM25 here is a few lines written out, rather than a library, because every
term's contribution must be reported (the score's breakdown).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import LpsplanError
from ..vocab import sparql_prefixes

K1, B = 1.2, 0.75
BIGRAM_WEIGHT = 0.4
UNIGRAM_WEIGHT = 0.25
STOP_CHARS = set("的与和及在等对为以中上下新高大小多用制造业工化性型式体系统技术研究开发应用建设示范关键产品生产")
CHILD_BEST, CHILD_REST = 0.6, 0.15
NONE_THRESHOLD = 2.10  # calibrated on tests/data/linking/dev.tsv only: the best split of "fits none" there (121 of 130)
MAX_TITLE = 500
BACKGROUND_RATIO = 2.0  # fits none when the plan's task and principle text explains the title better (calibrated on dev.tsv only)
STOP = {"技术", "研究", "开发", "研发", "应用", "系统", "建设", "示范", "关键", "工艺", "平台", "项目", "及", "与", "的", "在", "和", "中", "基于", "制备", "综合", "产品", "体系", "模式", "方法", "评价", "优化", "提升", "新", "高", "等", "设计", "集成", "推广", "试验", "改造", "分析", "实践", "探索", "机制", "创新", "装置", "生产", "利用", "提高", "一体化", "国产化", "产业化", "标准化", "示范应用", "研究与", "开发与", "关键技术", "技术研究", "面向", "用于", "融合", "支撑", "构建", "实现", "研制", "对", "为", "以", "下", "上", "of", "the", "and", "for", "in", "on", "with", "a", "an", "to", "based", "study", "research", "development", "system", "technology", "application"}
CJK = re.compile(r"[\u4e00-\u9fff]+")
EN_WORD = re.compile(r"[a-z][a-z0-9-]+|[0-9]+[a-z]+")


class LinkError(LpsplanError, ValueError):
    """A title the linker cannot take (empty, or too long)."""


@dataclass(frozen=True)
class PlanSpan:
    text: str
    start: int  # offset in the plan's source text


@dataclass
class Concept:
    iri: str
    kind: str  # domain | technology
    label_zh: str
    label_en: str
    domains: list[str]  # for a technology: its broader domains; for a domain: itself
    terms: Counter = field(default_factory=Counter)
    spans: list[PlanSpan] = field(default_factory=list)  # plan text to find evidence in


@dataclass
class Evidence:
    phrase: str
    title_start: int
    title_end: int
    weight: float
    plan_start: int | None = None
    plan_end: int | None = None
    context: str = ""
    kind: str = "word"  # word: a whole jieba word of the title; characters: a bigram or character inside words (scored, not shown)


@dataclass
class Link:
    rank: int
    kind: str
    iri: str
    label_zh: str
    label_en: str
    score: float
    breakdown: dict[str, float]
    evidence: list[Evidence]
    domain: str = ""  # for a technology: its (first) domain's label
    similar_to: str = ""  # the semantic part: the description sentence nearest the title
    similarity: float | None = None  # its cosine similarity
    similar_start: int | None = None  # the sentence's offsets in the plan, when it is the plan's own text
    similar_end: int | None = None


@dataclass
class LinkResult:
    title: str
    normalized: str
    fits: bool
    domains: list[Link]
    technologies: list[Link]
    method: str = "bm25"
    none_probability: float | None = None  # hybrid/semantic: the calibrated probability that the title fits none

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


DOMAINS_Q = sparql_prefixes() + """
SELECT ?d ?zh ?en ?focus WHERE {
  ?d a lps:Domain ; skos:prefLabel ?zh . FILTER(LANG(?zh) = "zh")
  OPTIONAL { ?d skos:prefLabel ?en . FILTER(LANG(?en) = "en") }
  OPTIONAL { ?d lps:focusDirection ?focus }
}"""
CLAUSES_Q = sparql_prefixes() + """
SELECT ?d ?text ?start WHERE {
  ?c a lps:Clause ; dcterms:isPartOf ?d ; lps:text ?text ; prov:wasDerivedFrom/oa:hasSelector/oa:start ?start .
  ?d a lps:Domain .
}"""
BACKGROUND_Q = sparql_prefixes() + """
SELECT ?text WHERE {
  { ?c a lps:Clause ; dcterms:isPartOf/a lps:Task ; lps:text ?text }
  UNION { ?p a lps:Principle ; lps:text ?text }
  UNION { ?p a lps:Objective ; lps:text ?text }
} ORDER BY ?text"""
TECH_Q = sparql_prefixes() + """
SELECT ?t ?zh ?d ?start ?end WHERE {
  ?t a lps:Technology ; skos:prefLabel ?zh ; skos:broader ?d ; prov:wasDerivedFrom/oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
  FILTER(LANG(?zh) = "zh")
}"""


def normalize(title: str) -> str:
    return unicodedata.normalize("NFKC", _t2s(title)).strip()


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return _converter().convert(text) if any("\u4e00" <= ch <= "\u9fff" for ch in text) else text


class Linker:
    def __init__(self, concepts: list[Concept], english: dict[str, str], background: Concept | None = None,
                 english_text: dict[str, list[str]] | None = None):
        self.concepts = concepts
        self.background = background
        self.english = english  # Chinese term → English label (curated)
        self.english_text = english_text or {}  # a domain's Chinese label → English sentences describing it (its glosses)
        self.tokenizer = _tokenizer(tuple(sorted({c.label_zh for c in concepts} | {t for c in concepts for t in c.terms if CJK.fullmatch(t)})))
        docs = {c.iri: self._document(c) for c in concepts}
        self.background_doc = self._document(background, own_text=True) if background else Counter()
        self.docs = docs
        self.df = Counter(t for d in docs.values() for t in d)
        self.n = len(docs)
        self.avgdl = sum(sum(d.values()) for d in docs.values()) / max(1, self.n)
        self.by_iri = {c.iri: c for c in concepts}
        # each document's length, summed once (the background one has thousands of terms); documents never change
        self._lengths = {id(d): sum(d.values()) for d in (*docs.values(), self.background_doc)}
        # postings: for each term, the concepts whose document has it and the term's BM25 there, in the
        # concepts' order (the same numbers ``_bm25`` gives, computed once instead of for every title)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, c in enumerate(concepts):
            for term in docs[c.iri]:
                postings[term].append((i, self._bm25(term, docs[c.iri])))
        self._postings = dict(postings)
        self._background_bm25 = {term: self._bm25(term, self.background_doc) for term in self.background_doc}  # 0 for any other
        self._spans_lower = {c.iri: [(span, span.text.lower()) for span in c.spans] for c in concepts}

    @classmethod
    def load(cls, select, english: dict[str, str] | None = None, english_text: dict[str, list[str]] | None = None) -> Linker:
        domains: dict[str, Concept] = {}
        for r in select(DOMAINS_Q):
            d = domains.setdefault(str(r["d"]), Concept(str(r["d"]), "domain", str(r["zh"]), str(r.get("en") or ""), [str(r["d"])]))
            if r.get("focus"):
                d.terms.update({str(r["focus"]): 2})
        for r in select(CLAUSES_Q):
            if str(r["d"]) in domains:
                domains[str(r["d"])].spans.append(PlanSpan(str(r["text"]), int(r["start"])))
        techs: dict[str, Concept] = {}
        for r in select(TECH_Q):
            t = techs.setdefault(str(r["t"]), Concept(str(r["t"]), "technology", str(r["zh"]), "", []))
            if str(r["d"]) not in t.domains:
                t.domains.append(str(r["d"]))
            span = PlanSpan(str(r["zh"]), int(r["start"]))
            if span not in t.spans:
                t.spans.append(span)
        english = english or {}
        for t in techs.values():
            t.label_en = english.get(t.label_zh, "")
            t.domains.sort()
        concepts = sorted(domains.values(), key=lambda c: c.iri) + sorted(techs.values(), key=lambda c: c.iri)
        background = Concept("background", "background", "", "", [], spans=[PlanSpan(str(r["text"]), 0) for r in select(BACKGROUND_Q)])
        return cls(concepts, english, background, english_text)

    # -- documents and terms ---------------------------------------------------
    def _terms(self, text: str) -> list[tuple[str, int, int, float]]:
        """(term, start, end, weight) for words and character bigrams of a text."""
        out = []
        pos = 0
        for word in self.tokenizer.lcut(text, HMM=False):
            start = text.find(word, pos)
            pos = start + len(word) if start >= 0 else pos
            w = word.strip().lower()
            if len(w) >= 2 and w not in STOP and (CJK.fullmatch(w) or EN_WORD.fullmatch(w) or w.isalnum()):
                out.append((w, start, start + len(word), 1.0))
        for m in CJK.finditer(text):
            run = m.group()
            for i, ch in enumerate(run):
                if ch not in STOP_CHARS:
                    out.append(("¹" + ch, m.start() + i, m.start() + i + 1, UNIGRAM_WEIGHT))
            for i in range(len(run) - 1):
                bigram = run[i:i + 2]
                if bigram not in STOP:
                    out.append(("§" + bigram, m.start() + i, m.start() + i + 2, BIGRAM_WEIGHT))
        for m in EN_WORD.finditer(text.lower()):
            w = m.group().rstrip("s") if len(m.group()) > 4 else m.group()
            if w not in STOP:
                out.append(("en:" + w, m.start(), m.end(), 1.0))
        return out

    def _document(self, c: Concept, own_text: bool = False) -> Counter:
        doc: Counter = Counter()
        texts = [(c.label_zh, 3), *[(t, n) for t, n in c.terms.items()], *[(s.text, 1) for s in c.spans if c.kind == "domain" or own_text]]
        for text, weight in texts:
            for term, _, _, _ in self._terms(text):
                doc[term] += weight
        for en in filter(None, [c.label_en, self.english.get(c.label_zh, "")]):
            for term, _, _, _ in self._terms(en):
                if term.startswith("en:"):
                    doc[term] += 3
        if c.kind == "domain":  # the English glosses: an English title finds words of its domain, not only the label
            for text in self.english_text.get(c.label_zh, []):
                for term, _, _, _ in self._terms(text):
                    if term.startswith("en:"):
                        doc[term] += 1
        return doc

    def _bm25(self, term: str, doc: Counter) -> float:
        tf = doc.get(term, 0)
        if not tf:
            return 0.0
        idf = math.log(1 + (self.n - self.df[term] + 0.5) / (self.df[term] + 0.5))
        dl = self._lengths[id(doc)]
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / self.avgdl))

    # -- linking -------------------------------------------------------------
    def link(self, title: str, k: int = 3) -> LinkResult:
        norm, domain_links, tech_links, background = self.rank(title)
        fits = bool(domain_links) and domain_links[0].score >= NONE_THRESHOLD and domain_links[0].score >= BACKGROUND_RATIO * background
        return LinkResult(title, norm, fits, domain_links[:k] if fits else [], tech_links[:k] if fits else [])

    def link_many(self, titles: list[str], k: int = 3) -> list[LinkResult]:
        return [self.link(t, k) for t in titles]

    def ranked_labels(self, titles: list[str]) -> list[tuple[list[str], None]]:
        """For evaluation: domain labels best first, with "none" first when the title fits none (no probability)."""
        out = []
        for t in titles:
            _, domains, _, _ = self.rank(t)
            labels = [d.label_zh for d in domains]
            out.append((labels if self.link(t).fits else ["none", *labels], None))
        return out

    def rank(self, title: str) -> tuple[str, list[Link], list[Link], float]:
        """The normalised title, every domain and technology with a BM25 score (best first), and the background score."""
        check_title(title)
        norm = normalize(title)
        terms = self._terms(norm)
        # a term counts once per concept, at its first place in the title (its BM25 is the same at every place)
        first: dict[str, tuple[str, int, int, float]] = {}
        for t in terms:
            first.setdefault(t[0], t)
        acc: dict[int, list] = {}  # concept → [words, characters, evidence], filled in the title's term order
        for term, s, e, w in first.values():
            for i, bm25 in self._postings.get(term, ()):
                contribution = bm25 * w
                if contribution <= 0:
                    continue
                a = acc.get(i)
                if a is None:
                    a = acc[i] = [0.0, 0.0, []]
                a[1 if term.startswith(("§", "¹")) else 0] += contribution
                a[2].append(self._evidence(self.concepts[i], norm, term, s, e, contribution))
        scored: dict[str, tuple[float, dict[str, float], list[Evidence]]] = {}
        for i in sorted(acc):
            words, bigrams, evidence = acc[i]
            if words + bigrams > 0:
                scored[self.concepts[i].iri] = (words + bigrams, {"words": round(words, 4), "characters": round(bigrams, 4)}, evidence)
        # propagate technology evidence to domains
        children: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for iri, (score, _, _) in scored.items():
            c = self.by_iri[iri]
            if c.kind == "technology":
                for d in c.domains:
                    children[d].append((score, iri))
        domain_links = []
        for c in self.concepts:
            if c.kind != "domain":
                continue
            own, breakdown, evidence = scored.get(c.iri, (0.0, {"words": 0.0, "characters": 0.0}, []))
            kids = sorted(children.get(c.iri, []), reverse=True)
            best = kids[0][0] * CHILD_BEST if kids else 0.0
            rest = sum(s for s, _ in kids[1:4]) * CHILD_REST
            total = own + best + rest
            if total <= 0:
                continue
            if kids:
                evidence = evidence + [ev for ev in scored[kids[0][1]][2] if ev.phrase not in {x.phrase for x in evidence}]
            domain_links.append(Link(0, "domain", c.iri, c.label_zh, c.label_en, round(total, 4),
                                     {**breakdown, "from_technologies": round(best + rest, 4),
                                      "best_technology": self.by_iri[kids[0][1]].label_zh if kids else ""}, _top(evidence)))
        domain_links.sort(key=lambda link: (-link.score, link.label_zh))
        for i, link in enumerate(domain_links, 1):
            link.rank = i
        tech_links = sorted((Link(0, "technology", iri, self.by_iri[iri].label_zh, self.by_iri[iri].label_en, round(s, 4), b, _top(ev),
                                  domain=self.by_iri[self.by_iri[iri].domains[0]].label_zh)
                             for iri, (s, b, ev) in scored.items() if self.by_iri[iri].kind == "technology"),
                            key=lambda link: (-link.score, link.label_zh))
        for i, link in enumerate(tech_links, 1):
            link.rank = i
        background = sum(self._background_bm25.get(term, 0.0) * w for term, _, _, w in {t[0]: t for t in terms}.values())
        return norm, domain_links, tech_links, background

    def _evidence(self, c: Concept, title: str, term: str, s: int, e: int, weight: float) -> Evidence:
        phrase = title[s:e]
        key = phrase.lower()
        kind = "characters" if term.startswith(("§", "¹")) else "word"
        for span, lower in self._spans_lower[c.iri]:
            at = lower.find(key)
            if at >= 0:
                start = span.start + at
                context = span.text[max(0, at - 15): at + len(phrase) + 15]
                return Evidence(phrase, s, e, round(weight, 4), start, start + len(phrase), context, kind)
        return Evidence(phrase, s, e, round(weight, 4), None, None, c.label_en if term.startswith("en:") else c.label_zh, kind)


def check_title(title) -> None:
    if not isinstance(title, str) or not title.strip():
        raise LinkError("the title is empty")
    if len(title) > MAX_TITLE:
        raise LinkError(f"the title is {len(title):,} characters; titles longer than {MAX_TITLE} are refused")
    try:
        title.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise LinkError(f"the title has a character that is not text (an unpaired surrogate at position {exc.start})") from None
    for i, ch in enumerate(title):
        if ch != "\t" and unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            raise LinkError(f"the title has a control character or line break (U+{ord(ch):04X} at position {i}); a title is one line of text")


def _top(evidence: list[Evidence], n: int = 8) -> list[Evidence]:
    """The strongest evidence a person can read: whole words of the title, never a character or half a word."""
    return sorted((ev for ev in evidence if ev.kind == "word"), key=lambda ev: (-ev.weight, ev.title_start))[:n]


@lru_cache(maxsize=4)
def _tokenizer(words: tuple[str, ...]):
    """A jieba tokenizer of its own, with the plan's terms added to its dictionary."""
    from ..segment import new_tokenizer

    tk = new_tokenizer()
    for w in words:
        if 2 <= len(w) <= 12:
            tk.add_word(w, freq=2000)
    return tk
