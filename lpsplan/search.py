"""Full-text search over a plan graph: clauses, technology directions, targets,
units and plans, with Chinese word segmentation, highlighted hits and facets.

The documents are read through SPARQL (so the same code runs over the embedded
store or an external server).  A query is cut into words by jieba, with the
graph's own names (domains, technologies, units) added to its dictionary, so
煤化工技术 is 煤化工 + 技术; a document matches when it contains every word
(ignoring case and character width); hits are ranked by how often and how early
the words occur, and every occurrence is marked.  Facets count the matching
documents per kind, plan, section, domain, task, unit and year.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import LpsplanError
from .vocab import sparql_prefixes

FACETS = ("kind", "plan", "section", "domain", "task", "unit", "year")
MAX_QUERY = 500  # characters of the words to look for: the search page links every facet with the query in it
KIND_NAMES = {"clause": ("条款", "clause"), "technology": ("技术方向", "technology direction"), "target": ("目标", "target"),
              "unit": ("单位", "unit"), "plan": ("规划", "plan")}


def _everywhere(pattern: str) -> str:
    return f"{{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}"


CLAUSES = sparql_prefixes() + "SELECT ?x ?text ?part ?partTitle ?domainLabel ?kind ?section ?plan ?planTitle (GROUP_CONCAT(DISTINCT ?u; SEPARATOR='|') AS ?units) WHERE " + \
    _everywhere("""?x a lps:Clause ; lps:text ?text ; dcterms:isPartOf ?part . ?part dcterms:title ?partTitle . FILTER(LANG(?partTitle) = "zh")
      BIND(IF(EXISTS { ?part a lps:Domain }, "domain", IF(EXISTS { ?part a lps:Task }, "task", "other")) AS ?kind)
      OPTIONAL { ?part skos:prefLabel ?domainLabel . FILTER(LANG(?domainLabel) = "zh") }
      ?part dcterms:isPartOf ?s . ?s dcterms:title ?section . FILTER(LANG(?section) = "zh") ?s dcterms:isPartOf ?plan .
      ?plan dcterms:title ?planTitle . FILTER(LANG(?planTitle) = "zh")
      OPTIONAL { ?r lps:clause ?x ; lps:unit ?unit . ?unit skos:prefLabel ?u . FILTER(LANG(?u) = "zh") }""") + \
    " GROUP BY ?x ?text ?part ?partTitle ?domainLabel ?kind ?section ?plan ?planTitle"
TECHNOLOGIES = sparql_prefixes() + "SELECT ?x ?text ?domain ?section ?plan ?planTitle WHERE " + _everywhere(
    """?x a lps:Technology ; skos:prefLabel ?text ; skos:broader ?d . FILTER(LANG(?text) = "zh")
       ?d skos:prefLabel ?domain . FILTER(LANG(?domain) = "zh")
       ?d dcterms:isPartOf ?s . ?s dcterms:title ?section . FILTER(LANG(?section) = "zh") ?s dcterms:isPartOf ?plan .
       ?plan dcterms:title ?planTitle . FILTER(LANG(?planTitle) = "zh")""")
TARGETS = sparql_prefixes() + "SELECT ?x ?text ?comparator ?value ?unitText ?year ?section ?plan ?planTitle WHERE " + _everywhere(
    """?x a lps:Target ; lps:indicator ?text ; lps:statedIn ?o . ?o dcterms:isPartOf ?s . ?s dcterms:title ?section . FILTER(LANG(?section) = "zh")
       ?s dcterms:isPartOf ?plan . ?plan dcterms:title ?planTitle . FILTER(LANG(?planTitle) = "zh")
       OPTIONAL { ?x lps:comparator ?comparator } OPTIONAL { ?x lps:targetValue ?value } OPTIONAL { ?x lps:unitText ?unitText }
       OPTIONAL { ?x lps:deadline ?year }""")
UNITS = sparql_prefixes() + "SELECT ?x ?text (GROUP_CONCAT(DISTINCT ?name; SEPARATOR='|') AS ?names) WHERE " + _everywhere(
    """{ ?x a org:Organization } UNION { ?x a lps:UnitGroup } ?x skos:prefLabel ?text . FILTER(LANG(?text) = "zh")
       ?x skos:prefLabel|skos:altLabel ?name .""") + " GROUP BY ?x ?text"
PLANS = sparql_prefixes() + "SELECT ?x ?text ?from ?to WHERE " + _everywhere(
    """?x a lps:Plan ; dcterms:title ?text . FILTER(LANG(?text) = "zh") OPTIONAL { ?x lps:periodStart ?from } OPTIONAL { ?x lps:periodEnd ?to }""")


class SearchError(LpsplanError):
    """An empty query or an unknown facet."""

    exit_code = 2


@dataclass
class Document:
    iri: str
    kind: str
    title: str
    text: str
    facets: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Hit:
    doc: Document
    score: float
    marked: list[tuple[str, bool]]  # the text in pieces: (piece, is it a match)

    def as_dict(self) -> dict:
        return {"iri": self.doc.iri, "kind": self.doc.kind, "title": self.doc.title, "text": self.doc.text, "score": round(self.score, 3),
                "highlighted": "".join(f"【{p}】" if m else p for p, m in self.marked), "facets": self.doc.facets}


@dataclass
class Results:
    query: str
    words: list[str]
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    total: int

    def as_dict(self) -> dict:
        return {"query": self.query, "words": self.words, "total": self.total, "hits": [h.as_dict() for h in self.hits],
                "facets": {k: [{"value": v, "count": n} for v, n in vs] for k, vs in self.facets.items()}}

    def describe(self) -> str:
        """The results as text for people: the count, each hit with its matches in 【】 (300 characters at most), and the
        first eight values of each facet."""
        lines = [f"{self.total} hit(s) for {' + '.join(self.words)}"]
        lines += [f"[{h.doc.kind}] {h.doc.title}  <{h.doc.iri}>\n    " + "".join(f"【{p}】" if m else p for p, m in h.marked)[:300]
                  for h in self.hits]
        lines += [f"{key}: " + ", ".join(f"{v} ({n})" for v, n in values[:8]) for key, values in self.facets.items()]
        return "\n".join(lines)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class SearchIndex:
    def __init__(self, docs: list[Document], terms: list[str]):
        self.docs = docs
        self._folded = [_norm(d.title + "\n" + d.text) for d in docs]
        from .segment import new_tokenizer

        self._tk = new_tokenizer()
        for t in terms:
            if t and len(t) > 1:
                self._tk.add_word(t, freq=100_000)

    @classmethod
    def load(cls, select: Callable[[str], list[dict]]) -> SearchIndex:
        docs: list[Document] = []
        terms: set[str] = set()
        raw = select

        def select(query: str) -> list[dict[str, str]]:
            return [{k: str(v) for k, v in r.items() if v is not None} for r in raw(query)]

        for r in select(CLAUSES):
            part = r["partTitle"]
            facets = {"plan": [r["planTitle"]], "section": [r["section"]], "kind": ["clause"],
                      "domain" if r["kind"] == "domain" else "task" if r["kind"] == "task" else "part": [r.get("domainLabel") or part],
                      "unit": sorted(u for u in (r.get("units") or "").split("|") if u)}
            docs.append(Document(r["x"], "clause", part, r["text"], facets))
        for r in select(TECHNOLOGIES):
            docs.append(Document(r["x"], "technology", r["text"], f"{r['text']}({r['domain']})",
                                 {"plan": [r["planTitle"]], "section": [r["section"]], "domain": [r["domain"]], "kind": ["technology"]}))
            terms.update((r["text"], r["domain"]))
        for r in select(TARGETS):
            value = (r.get("value") or "").removesuffix(".0")
            statement = " ".join(x for x in (r["text"], r.get("comparator", ""), value, r.get("unitText", ""),
                                             f"({r['year']})" if r.get("year") else "") if x)
            docs.append(Document(r["x"], "target", r["text"], statement, {"plan": [r["planTitle"]], "section": [r["section"]],
                                                                          "year": [r["year"]] if r.get("year") else [], "kind": ["target"]}))
        for r in select(UNITS):
            names = sorted(set((r.get("names") or "").split("|")) - {"", r["text"]})
            docs.append(Document(r["x"], "unit", r["text"], " · ".join([r["text"], *names]), {"unit": [r["text"]], "kind": ["unit"]}))
            terms.update([r["text"], *names])
        for r in select(PLANS):
            years = [str(y) for y in range(int(r["from"]), int(r["to"]) + 1)] if r.get("from") and r.get("to") else []
            docs.append(Document(r["x"], "plan", r["text"], r["text"], {"plan": [r["text"]], "year": years, "kind": ["plan"]}))
        terms.update(d.facets["domain"][0] for d in docs if d.facets.get("domain"))
        merged: dict[tuple[str, str], Document] = {}
        for d in docs:  # one document per resource: several rows (two domains, two statements) merge their facets
            if (d.kind, d.iri) in merged:
                kept = merged[(d.kind, d.iri)]
                for key, values in d.facets.items():
                    kept.facets[key] = sorted(set(kept.facets.get(key, [])) | set(values))
            else:
                merged[(d.kind, d.iri)] = d
        return cls(list(merged.values()), sorted(t for t in terms if t))

    def words(self, query: str) -> list[str]:
        """The query's words: jieba's cut with the graph's names, without spaces and punctuation; duplicates dropped."""
        out: list[str] = []
        for chunk in re.findall(r"[A-Za-z0-9][A-Za-z0-9&.+\-]*|[^\sA-Za-z0-9]+", _norm(query)):
            pieces = [chunk] if chunk.isascii() else self._tk.lcut(chunk, HMM=False)  # R&D, 5G stay whole
            for w in pieces:
                w = w.strip()
                if w and re.search(r"\w", w) and w not in out:
                    out.append(w)
        return out

    def search(self, query: str, filters: dict[str, str] | None = None, limit: int = 50) -> Results:
        filters = {k: v for k, v in (filters or {}).items() if v}
        unknown = set(filters) - set(FACETS)
        if unknown:
            raise SearchError(f"unknown facet(s) {', '.join(sorted(unknown))}; facets: {', '.join(FACETS)}")
        if len(query) > MAX_QUERY:
            raise SearchError(f"the query is {len(query):,} characters; at most {MAX_QUERY} are searched")
        words = self.words(query)
        if not words:
            raise SearchError("the query is empty: give a word to look for, e.g. 玄武岩")
        matched: list[tuple[float, Document]] = []
        for doc, folded in zip(self.docs, self._folded, strict=True):
            if not all(w in folded for w in words):
                continue
            if any(value not in doc.facets.get(key, []) for key, value in filters.items()):
                continue
            count = sum(folded.count(w) for w in words)
            first = min(folded.find(w) for w in words)
            score = count / (1 + len(folded) / 200) + 1 / (1 + first) + (1 if _norm(doc.title) in words else 0)
            matched.append((score, doc))
        matched.sort(key=lambda sd: (-sd[0], sd[1].kind, sd[1].iri))
        counts: dict[str, Counter] = {k: Counter() for k in FACETS}
        for _, doc in matched:
            for key in FACETS:
                counts[key].update(set(doc.facets.get(key, [])))
        facets = {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for k, c in counts.items() if c}
        hits = [Hit(doc, score, mark(doc.text, words)) for score, doc in matched[:limit]]
        return Results(query, words, hits, facets, len(matched))


def mark(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, the occurrences of ``words`` marked (matching ignores case and width)."""
    folded = _norm(text)
    if len(folded) != len(text):  # a character that folds into several: mark nothing rather than the wrong place
        return [(text, False)]
    hit = [False] * len(text)
    for w in words:
        start = folded.find(w)
        while start >= 0:
            for i in range(start, start + len(w)):
                hit[i] = True
            start = folded.find(w, start + len(w))
    pieces: list[tuple[str, bool]] = []
    for ch, m in zip(text, hit, strict=True):
        if pieces and pieces[-1][1] == m:
            pieces[-1] = (pieces[-1][0] + ch, m)
        else:
            pieces.append((ch, m))
    return pieces
