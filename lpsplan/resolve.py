"""Entity parameters: a domain, unit or technology named the way people name it.

A value may be the written form from the plan (市科技局), the canonical name
(六盘水市科学技术局), the English name (Modern coal chemical industry, any case)
or the IRI.  :meth:`Resolver.resolve` returns the entity; a value that names
nothing is a :class:`Unresolved` error that lists the closest names ("did you
mean 现代煤化工?"), so a near miss is never a silent empty answer.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .queries import QueryError
from .vocab import sparql_prefixes

KINDS = ("domain", "unit", "technology")

_NAMES = {
    # every name of every entity of the kind, over the default graph and every plan's named graph
    "domain": "?x a lps:Domain . { ?x skos:prefLabel|skos:altLabel ?name }",
    "technology": "?x a lps:Technology . { ?x skos:prefLabel|skos:altLabel ?name }",
    "unit": "{ ?x a org:Organization } UNION { ?x a lps:UnitGroup } "
            "{ ?x skos:prefLabel|skos:altLabel ?name } UNION { ?r lps:unit ?x ; lps:writtenForm ?name }",
}


def names_query(kind: str) -> str:
    pattern = _NAMES[kind] + ' OPTIONAL { ?x skos:prefLabel ?zh . FILTER(LANG(?zh) = "zh") }' \
                             ' OPTIONAL { ?x skos:prefLabel ?en . FILTER(LANG(?en) = "en") }'
    return (sparql_prefixes() + f"SELECT DISTINCT ?x ?name ?zh ?en WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}")


class Unresolved(QueryError):
    """A parameter value that names no entity of its kind."""

    def __init__(self, kind: str, value: str, suggestions: list[str]):
        self.kind, self.value, self.suggestions = kind, value, suggestions
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no {kind} named {value!r}{hint}")


@dataclass(frozen=True)
class Entity:
    iri: str
    zh: str
    en: str


def _key(text: str) -> str:
    """Names compare without case, width or spacing differences (ＡＢ = ab, 'Coal  chemical' = 'coal chemical')."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


class Resolver:
    """Names of the graph's domains, units and technologies, read once per kind through ``select``."""

    def __init__(self, select: Callable[[str], list[dict]]):
        self._select = select
        self._index: dict[str, dict[str, Entity]] = {}
        self._labels: dict[str, list[str]] = {}

    def _load(self, kind: str) -> dict[str, Entity]:
        if kind not in self._index:
            index: dict[str, Entity] = {}
            labels: dict[str, None] = {}
            for r in self._select(names_query(kind)):
                iri = str(r["x"])
                entity = Entity(iri, str(r.get("zh") or r["name"]), str(r.get("en") or ""))
                for name in (iri, str(r["name"]), entity.zh, entity.en):
                    if name:
                        index.setdefault(_key(name), entity)
                for name in (str(r["name"]), entity.zh, entity.en):
                    if name:
                        labels[name] = None
            self._index[kind], self._labels[kind] = index, list(labels)
        return self._index[kind]

    def names(self, kind: str) -> list[str]:
        """Every name of the kind (written forms, canonical and English names)."""
        self._load(kind)
        return self._labels[kind]

    def entities(self, kind: str) -> list[Entity]:
        return sorted(set(self._load(kind).values()), key=lambda e: e.zh)

    def resolve(self, kind: str, value: str) -> Entity:
        if kind not in KINDS:
            raise QueryError(f"no kind of entity {kind!r}; kinds: {', '.join(KINDS)}")
        index = self._load(kind)
        found = index.get(_key(value))
        if found is None:
            raise Unresolved(kind, value, self.suggest(kind, value))
        return found

    def suggest(self, kind: str, value: str, n: int = 3) -> list[str]:
        """The closest canonical names: those containing the value (or contained in it) first, then by similarity."""
        key = _key(value)
        if not key:
            return []
        scored: dict[str, float] = {}
        for name, entity in self._load(kind).items():
            if name.startswith(("http://", "https://")):
                continue
            contained = key in name or name in key
            if not contained and not 3 * min(len(key), len(name)) >= max(len(key), len(name)):
                continue  # a ratio of at least 0.5 needs the shorter at least a third of the longer: not worth comparing
            score = difflib.SequenceMatcher(None, key, name).ratio() + (1 if contained else 0)
            if score >= 0.5:
                scored[entity.zh] = max(scored.get(entity.zh, 0), score)
        if any(score >= 1 for score in scored.values()):  # a name that contains the value beats one merely alike
            scored = {name: score for name, score in scored.items() if score >= 1}
        return [name for name, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def resolve_params(question, values: dict[str, object], resolver: Resolver) -> dict[str, object]:
    """The values with each entity parameter replaced by its entity's canonical Chinese name (what the
    questions match on); an empty value stays empty (it means "all" where a question allows it)."""
    out = dict(values)
    for p in question.params:
        if p.type in KINDS and p.name in out and str(out[p.name]).strip():
            out[p.name] = resolver.resolve(p.type, str(out[p.name])).zh
    return out
