"""What a resource page shows people, above its raw triples: names (zh/en) for
the IRIs it mentions, a breadcrumb plan → section → domain/task → clause, and per
kind the natural sections (a unit's clauses by domain and task with their
co-owners; a domain's directions, technologies, clauses, units and linked
projects; a target's value, comparator, unit and deadline)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

Select = Callable[[str], list[dict]]
LPS = "https://w3id.org/lpsplan/ontology#"
SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
NAMES = """
SELECT ?x ?zh ?en WHERE {{
  VALUES ?x {{ {iris} }}
  OPTIONAL {{ ?x <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://purl.org/dc/terms/title>|<http://www.w3.org/2000/01/rdf-schema#label> ?zh .
             FILTER(LANG(?zh) = "zh" || LANG(?zh) = "") }}
  OPTIONAL {{ ?x <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://purl.org/dc/terms/title>|<http://www.w3.org/2000/01/rdf-schema#label> ?en .
             FILTER(LANG(?en) = "en") }}
}}"""
PARENT = "SELECT ?p WHERE {{ <{iri}> <http://purl.org/dc/terms/isPartOf>|<https://w3id.org/lpsplan/ontology#statedIn> ?p }} LIMIT 1"


def names(select: Select, iris: list[str]) -> dict[str, tuple[str, str]]:
    """(zh, en) names of the IRIs that have one; IRIs that could not be written into a query are skipped."""
    wanted = sorted({i for i in iris if SAFE_IRI.match(i)})
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(wanted), 200):
        chunk = " ".join(f"<{i}>" for i in wanted[start:start + 200])
        for r in select(NAMES.format(iris=chunk)):
            zh, en = r.get("zh", ""), r.get("en", "")
            if zh or en:
                old = found.get(r["x"], ("", ""))
                found[r["x"]] = (old[0] or zh, old[1] or en)
    return found


def label(pair: tuple[str, str] | None) -> str | None:
    if not pair:
        return None
    zh, en = pair
    return f"{zh} / {en}" if zh and en and zh != en else (zh or en)


def breadcrumb(select: Select, iri: str) -> dict | None:
    """plan › section › domain/task › clause, by dcterms:isPartOf (a target by the objective it is stated in):
    ``steps`` (IRI, Chinese name or "") from the plan down, and ``here``, the name of the page's own resource."""
    chain = [iri]
    while len(chain) < 8:
        rows = select(PARENT.format(iri=chain[-1]))
        if not rows or rows[0]["p"] in chain or not SAFE_IRI.match(rows[0]["p"]):
            break
        chain.append(rows[0]["p"])
    if len(chain) == 1:
        return None
    known = names(select, chain)
    kind, number = iri.rsplit("/", 2)[-2:]
    here = (known.get(iri) or ("",))[0] or f"{ {'clause': '条款', 'target': '目标'}.get(kind, kind)} {number}"
    return {"steps": [(i, (known.get(i) or ("",))[0]) for i in reversed(chain[1:])], "here": here}


def sections(select: Select, iri: str, types: list[str]) -> dict:
    """The kind's own sections as data for the page (``kind`` unit, domain or target), or {} for kinds that have none."""
    if "http://www.w3.org/ns/org#Organization" in types or LPS + "UnitGroup" in types:
        return _unit(select, iri)
    if LPS + "Domain" in types:
        return _domain(select, iri)
    if LPS + "Target" in types:
        return _target(select, iri)
    return {}


def _unit(select: Select, iri: str) -> dict:
    rows = select(f"""
        PREFIX lps: <{LPS}> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?part ?partTitle ?clause ?text ?position ?other ?otherName WHERE {{
          ?r lps:unit <{iri}> ; lps:clause ?clause ; lps:position ?position .
          ?clause lps:text ?text ; dcterms:isPartOf ?part . ?part dcterms:title ?partTitle . FILTER(LANG(?partTitle) = "zh")
          OPTIONAL {{ ?o lps:clause ?clause ; lps:unit ?other . FILTER(?other != <{iri}>)
                     ?other skos:prefLabel ?otherName . FILTER(LANG(?otherName) = "zh") }}
        }} ORDER BY ?part ?clause ?otherName""")
    if not rows:
        return {}
    parts: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for r in rows:
        clause = parts[(r["part"], r["partTitle"])].setdefault(r["clause"], {"text": r["text"], "position": r["position"], "others": {}})
        if r.get("other"):
            clause["others"][r["other"]] = r["otherName"]
    return {"kind": "unit", "count": sum(len(c) for c in parts.values()),
            "parts": [{"iri": part, "title": title,
                       "clauses": [{"iri": clause, "number": clause.rsplit("/", 1)[-1], "text": c["text"], "position": c["position"],
                                    "others": sorted(c["others"].items(), key=lambda kv: kv[1])} for clause, c in clauses.items()]}
                      for (part, title), clauses in parts.items()]}


def _domain(select: Select, iri: str) -> dict:
    prefix = f"PREFIX lps: <{LPS}> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    return {
        "kind": "domain",
        "directions": [r["d"] for r in select(prefix + f"SELECT ?d WHERE {{ <{iri}> lps:focusDirection ?d }} ORDER BY ?d")],
        "techs": select(prefix + f"""SELECT ?t ?name WHERE {{ ?t skos:broader <{iri}> ; skos:prefLabel ?name . FILTER(LANG(?name) = "zh") }}
                                     ORDER BY ?name"""),
        "clauses": select(prefix + f"SELECT ?c ?text WHERE {{ ?c dcterms:isPartOf <{iri}> ; lps:text ?text }} ORDER BY ?c"),
        "units": select(prefix + f"""SELECT ?u ?name (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c dcterms:isPartOf <{iri}> . ?r lps:clause ?c ;
                                     lps:unit ?u . ?u skos:prefLabel ?name . FILTER(LANG(?name) = "zh") }}
                                     GROUP BY ?u ?name ORDER BY DESC(?n) ?name"""),
        "projects": select(prefix + f"""SELECT DISTINCT ?p ?title ?rank WHERE {{ GRAPH ?g {{ ?l a lps:Link ; lps:target <{iri}> ;
                                        lps:project ?p ; lps:rank ?rank . OPTIONAL {{ ?p dcterms:title ?title }} }} }}
                                        ORDER BY ?rank ?p LIMIT 200"""),
    }


def _target(select: Select, iri: str) -> dict:
    rows = select(f"""PREFIX lps: <{LPS}> SELECT ?indicator ?comparator ?value ?unit ?deadline ?commitment WHERE {{
        <{iri}> lps:indicator ?indicator . OPTIONAL {{ <{iri}> lps:comparator ?comparator }} OPTIONAL {{ <{iri}> lps:targetValue ?value }}
        OPTIONAL {{ <{iri}> lps:unitText ?unit }} OPTIONAL {{ <{iri}> lps:deadline ?deadline }} OPTIONAL {{ <{iri}> lps:commitment ?commitment }} }} LIMIT 1""")
    if not rows:
        return {}
    r = rows[0]
    value = r.get("value", "")
    value = value.removesuffix(".0")
    cells = [("指标 Indicator", r["indicator"]), ("目标 Target", " ".join(x for x in (r.get("comparator", ""), value, r.get("unit", "")) if x)),
             ("期限 Deadline", r.get("deadline", "")), ("承诺 Commitment", r.get("commitment", "").rsplit("#", 1)[-1])]
    return {"kind": "target", "cells": [(k, v) for k, v in cells if v]}


def heading(select: Select, iri: str, out: list[dict]) -> str:
    """A heading for a node without a label: a clause after its domain or task, a target after its indicator."""
    values = {r["p"]: r["o"] for r in out}
    if LPS + "indicator" in values:
        return f"目标 Target: {values[LPS + 'indicator']}"
    part = values.get("http://purl.org/dc/terms/isPartOf")
    if LPS + "text" in values and part:
        name = (names(select, [part]).get(part) or ("",))[0]
        return f"{name} · 条款 {iri.rsplit('/', 1)[-1]}" if name else ""
    return ""
