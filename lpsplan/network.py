"""Responsibility networks (networkx), built from SPARQL results so the same code
runs over the embedded store or an external SPARQL server — never from the text.

>>> from lpsplan.project import Project
>>> net = Project(settings).network()                                  # doctest: +SKIP
>>> g = net.graph("coownership", NetworkFilter(domain="现代煤化工"))     # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

import networkx as nx

from .errors import LpsplanError
from .vocab import sparql_prefixes

SEED = 42  # community detection is seeded: the same graph gives the same communities

def _everywhere(pattern: str) -> str:
    """A graph pattern over the default graph and every named graph (each plan lives in one)."""
    return f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"


RESPONSIBILITIES = sparql_prefixes() + """
SELECT ?plan ?clause ?clauseText ?clauseOrdinal ?part ?partKind ?partOrdinal ?partTitle ?domain ?section ?sectionOrdinal
       ?unit ?unitZh ?unitEn ?unitType ?position ?isGroup WHERE {""" + _everywhere("""
  ?r a lps:Responsibility ; lps:clause ?clause ; lps:unit ?unit ; lps:position ?position .
  ?clause lps:text ?clauseText ; lps:ordinal ?clauseOrdinal ; dcterms:isPartOf ?part .
  ?part lps:ordinal ?partOrdinal ; dcterms:title ?partTitle ; dcterms:isPartOf ?section .
  FILTER(LANG(?partTitle) = "zh")
  ?section lps:ordinal ?sectionOrdinal ; dcterms:isPartOf ?plan .
  OPTIONAL { ?part a lps:Domain ; skos:prefLabel ?domain . FILTER(LANG(?domain) = "zh") }
  BIND(IF(EXISTS { ?part a lps:Domain }, "domain", IF(EXISTS { ?part a lps:Task }, "task", "other")) AS ?partKind)
  ?unit skos:prefLabel ?unitZh . FILTER(LANG(?unitZh) = "zh")
  OPTIONAL { ?unit skos:prefLabel ?unitEn . FILTER(LANG(?unitEn) = "en") }
  OPTIONAL { ?unit org:classification ?unitType }
  BIND(EXISTS { ?unit a lps:UnitGroup } AS ?isGroup)""") + "}"

MEMBERS = sparql_prefixes() + """
SELECT DISTINCT ?group ?member ?zh ?en ?type WHERE {""" + _everywhere("""
  ?group a lps:UnitGroup ; foaf:member ?member .
  ?member skos:prefLabel ?zh . FILTER(LANG(?zh) = "zh")
  OPTIONAL { ?member skos:prefLabel ?en . FILTER(LANG(?en) = "en") }
  OPTIONAL { ?member org:classification ?type }""") + "}"

NAMES = sparql_prefixes() + """
SELECT DISTINCT ?unit ?name WHERE {""" + _everywhere(
    "?unit skos:prefLabel|skos:altLabel ?name . { ?unit a org:Organization } UNION { ?unit a lps:UnitGroup }") + "}"

STRUCTURE = sparql_prefixes() + """
SELECT DISTINCT ?plan ?planTitle ?section ?sectionOrdinal ?sectionTitle WHERE {""" + _everywhere("""
  ?plan a lps:Plan ; dcterms:title ?planTitle . FILTER(LANG(?planTitle) = "zh")
  ?section a lps:Section ; dcterms:isPartOf ?plan ; lps:ordinal ?sectionOrdinal ; dcterms:title ?sectionTitle .
  FILTER(LANG(?sectionTitle) = "zh")""") + "}"


def _did_you_mean(value: str, names: list[str]) -> str:
    """'; did you mean X?' with the names containing the value (or contained in it), else the most alike."""
    import difflib

    key = value.strip().casefold()
    close = [n for n in names if key and (key in n.casefold() or n.casefold() in key)][:3] or difflib.get_close_matches(value, names, 3, 0.5)
    return f"; did you mean {' or '.join(close)}?" if close else ""


class NetworkError(LpsplanError, ValueError):
    """A filter that matches nothing the plan has (an unknown domain, task or unit)."""

    exit_code = 2


@dataclass(frozen=True)
class Row:
    plan: str
    clause: str
    clause_text: str
    clause_ordinal: int
    part: str
    part_kind: str
    part_ordinal: int
    part_title: str
    domain: str
    section: str
    section_ordinal: int
    unit: str
    unit_zh: str
    unit_en: str
    unit_type: str
    position: int
    is_group: bool
    via_group: str = ""  # the group's IRI when the row comes from expanding it


Select = Callable[[str], list[dict[str, object]]]
VIEWS = ("coownership", "unit-clause", "unit-domain", "unit-task")


@dataclass(frozen=True)
class NetworkFilter:
    """What part of the plans a network shows: the same filters for the CLI, the API and the views."""

    domain: str | None = None
    task: int | None = None
    section: int | None = None
    expand_groups: bool = False
    plan: str | None = None
    min_weight: int = 1

    def selection(self) -> dict[str, object]:
        """The filters :meth:`PlanNetwork.select` takes (everything but ``min_weight``)."""
        return {"domain": self.domain, "task": self.task, "section": self.section, "expand_groups": self.expand_groups,
                "plan": self.plan}


def _flag(value: object) -> bool:
    """A typed boolean from the store (``Backend.select`` and ``Store.select`` type xsd:boolean)."""
    if isinstance(value, bool):
        return value
    raise TypeError(f"a typed boolean was expected, not {value!r}: load the network with a typed select (Backend.select)")


class PlanNetwork:
    def __init__(self, rows: list[Row], members: dict[str, list[dict]], names: dict[str, str], structure: list[dict]):
        self.rows = sorted(set(rows), key=lambda r: (r.plan, r.section_ordinal, r.part_kind, r.part_ordinal, r.clause_ordinal, r.position))
        self.members = members
        self.names = names
        self.structure = structure

    @classmethod
    def load(cls, select: Select) -> PlanNetwork:
        rows = [Row(
            plan=str(r["plan"]), clause=str(r["clause"]), clause_text=str(r["clauseText"]), clause_ordinal=int(r["clauseOrdinal"]),
            part=str(r["part"]), part_kind=str(r["partKind"]), part_ordinal=int(r["partOrdinal"]), part_title=str(r["partTitle"]),
            domain=str(r.get("domain") or ""), section=str(r["section"]), section_ordinal=int(r["sectionOrdinal"]),
            unit=str(r["unit"]), unit_zh=str(r["unitZh"]), unit_en=str(r.get("unitEn") or ""),
            unit_type=str(r.get("unitType") or "").rsplit("#", 1)[-1], position=int(r["position"]),
            is_group=_flag(r["isGroup"]),
        ) for r in select(RESPONSIBILITIES)]
        members: dict[str, list[dict]] = defaultdict(list)
        for m in select(MEMBERS):
            members[str(m["group"])].append({"iri": str(m["member"]), "zh": str(m["zh"]), "en": str(m.get("en") or ""),
                                             "type": str(m.get("type") or "").rsplit("#", 1)[-1]})
        for group in members.values():
            group.sort(key=lambda m: m["iri"])
        names = {str(n["name"]): str(n["unit"]) for n in select(NAMES)}
        return cls(rows, dict(members), names, select(STRUCTURE))

    # -- selection --------------------------------------------------------
    def domains(self) -> list[str]:
        return list(dict.fromkeys(r.domain for r in self.rows if r.domain))

    def plans(self) -> list[str]:
        return list(dict.fromkeys(r.plan for r in self.rows))

    def unit_iri(self, name: str) -> str:
        """A unit by its IRI or any of its names (as written, canonical, English in any case)."""
        if name in self.names.values():
            return name
        if name in self.names:
            return self.names[name]
        folded = {k.casefold(): v for k, v in self.names.items()}
        if name.strip().casefold() in folded:
            return folded[name.strip().casefold()]
        raise NetworkError(f"no unit named {name!r}{_did_you_mean(name, list(self.names))}")

    def select(self, domain: str | None = None, task: int | None = None, section: int | None = None,
               expand_groups: bool = False, plan: str | None = None) -> list[Row]:
        rows = self.rows
        if plan:  # plans' IRIs or slugs, comma-separated
            wanted = [p.strip() for p in plan.split(",") if p.strip()]
            rows = [r for r in rows if any(r.plan == w or r.plan.endswith("/" + w) for w in wanted)]
            if not rows:
                raise NetworkError(f"no plan {plan!r}; plans: {', '.join(self.plans())}")
        if domain:
            if domain not in self.domains():
                raise NetworkError(f"no domain {domain!r}{_did_you_mean(domain, self.domains())}; the plan's domains: {'、'.join(self.domains())}")
            rows = [r for r in rows if r.domain == domain]
        if task:
            rows = [r for r in rows if r.part_kind == "task" and r.part_ordinal == task]
            if not rows:
                raise NetworkError(f"no task {task} with responsibilities")
        if section:
            rows = [r for r in rows if r.section_ordinal == section]
        if expand_groups:
            expanded = []
            for r in rows:
                if r.is_group and r.unit in self.members:
                    expanded += [replace(r, unit=m["iri"], unit_zh=m["zh"], unit_en=m["en"], unit_type=m["type"], is_group=False,
                                         via_group=r.unit) for m in self.members[r.unit]]
                else:
                    expanded.append(r)
            rows = expanded
        return rows

    # -- graphs -------------------------------------------------------------
    def graph(self, view: str, where: NetworkFilter = NetworkFilter()) -> nx.Graph:
        """One of :data:`VIEWS` under a filter: the one view → graph dispatch of the CLI and the API."""
        if view == "coownership":
            return self.coownership(min_weight=where.min_weight, **where.selection())
        if view == "unit-clause":
            return self.unit_clause(**where.selection())
        if view in ("unit-domain", "unit-task"):
            return self.unit_part(view.split("-")[1], **where.selection())
        raise NetworkError(f"no network {view!r}; networks: {', '.join(VIEWS)}")

    @staticmethod
    def _unit_node(g: nx.Graph, r: Row) -> None:
        g.add_node(r.unit, kind="unit", label_zh=r.unit_zh, label_en=r.unit_en or r.unit_zh,
                   unit_type=r.unit_type or "unknownUnitType", group=r.is_group)

    def unit_clause(self, **filters) -> nx.Graph:
        """Bipartite: units and the clauses that list them (edge: position)."""
        g = nx.Graph(name="unit-clause")
        for r in self.select(**filters):
            self._unit_node(g, r)
            g.add_node(r.clause, kind="clause", label_zh=f"{r.part_title} {r.clause_ordinal}", label_en=f"{r.part_kind} {r.part_ordinal}.{r.clause_ordinal}",
                       text=r.clause_text, part=r.part, domain=r.domain)
            g.add_edge(r.unit, r.clause, position=r.position)
        return g

    def coownership(self, min_weight: int = 1, **filters) -> nx.Graph:
        """Units joined by the clauses they share: weight = shared clauses, ``clauses`` = their IRIs."""
        rows = self.select(**filters)
        by_clause: dict[str, list[Row]] = defaultdict(list)
        g = nx.Graph(name="coownership")
        for r in rows:
            by_clause[r.clause].append(r)
            self._unit_node(g, r)
        texts = {r.clause: r.clause_text for r in rows}
        for clause, members in by_clause.items():
            units = sorted({m.unit for m in members})
            for i, a in enumerate(units):
                for b in units[i + 1:]:
                    if g.has_edge(a, b):
                        g[a][b]["weight"] += 1
                        g[a][b]["clauses"].append(clause)
                    else:
                        g.add_edge(a, b, weight=1, clauses=[clause])
        for a, b, data in list(g.edges(data=True)):
            data["distance"] = 1.0 / data["weight"]
            data["texts"] = [texts[c] for c in data["clauses"]]
            if data["weight"] < min_weight:
                g.remove_edge(a, b)
        if min_weight > 1:
            g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
        return g

    def unit_part(self, kind: str, **filters) -> nx.Graph:
        """Bipartite: units and the domains (kind='domain') or tasks (kind='task') they work on; weight = clauses."""
        g = nx.Graph(name=f"unit-{kind}")
        for r in self.select(**filters):
            if r.part_kind != kind:
                continue
            self._unit_node(g, r)
            label = r.domain if kind == "domain" else r.part_title
            g.add_node(r.part, kind=kind, label_zh=label, label_en=f"{kind} {r.part_ordinal}", ordinal=r.part_ordinal)
            if g.has_edge(r.unit, r.part):
                g[r.unit][r.part]["weight"] += 1
            else:
                g.add_edge(r.unit, r.part, weight=1)
        return g

    def tree(self) -> nx.DiGraph:
        """The plan as a tree: plan → sections → domains/tasks → clauses → units."""
        t = nx.DiGraph(name="tree")
        for s in self.structure:
            t.add_node(str(s["plan"]), kind="plan", label_zh=str(s["planTitle"]), label_en="plan", level=0)
            t.add_node(str(s["section"]), kind="section", label_zh=str(s["sectionTitle"]), label_en=f"section {s['sectionOrdinal']}", level=1)
            t.add_edge(str(s["plan"]), str(s["section"]))
        for r in self.rows:
            t.add_node(r.part, kind=r.part_kind, label_zh=r.domain or r.part_title, label_en=f"{r.part_kind} {r.part_ordinal}", level=2)
            t.add_edge(r.section, r.part)
            t.add_node(r.clause, kind="clause", label_zh=f"{r.part_ordinal}.{r.clause_ordinal}", label_en=f"clause {r.part_ordinal}.{r.clause_ordinal}",
                       text=r.clause_text, level=3)
            t.add_edge(r.part, r.clause)
            unit_node = f"{r.clause}#{r.unit}"  # a unit appears once per clause, so the tree stays a tree
            t.add_node(unit_node, kind="unit", label_zh=r.unit_zh, label_en=r.unit_en or r.unit_zh, unit=r.unit, level=4,
                       unit_type=r.unit_type or "unknownUnitType")
            t.add_edge(r.clause, unit_node, position=r.position)
        return t

    # -- metrics -------------------------------------------------------------
    def metrics(self, min_weight: int = 1, **filters) -> list[dict[str, object]]:
        """Per unit: clauses, first-listed count, weighted degree, betweenness, eigenvector centrality, community."""
        rows = self.select(**filters)
        g = self.coownership(min_weight=min_weight, **filters)
        clauses = Counter()
        first = Counter()
        for r in {(r.unit, r.clause): r for r in rows}.values():
            clauses[r.unit] += 1
            first[r.unit] += r.position == 1
        betweenness = nx.betweenness_centrality(g, weight="distance", normalized=True) if len(g) > 2 else {n: 0.0 for n in g}
        eigen = _eigenvector(g)
        community = communities(g)
        out = []
        for n, data in g.nodes(data=True):
            out.append({
                "unit": n, "label_zh": data["label_zh"], "label_en": data["label_en"], "unit_type": data["unit_type"],
                "clauses": clauses[n], "first_listed": first[n],
                "weighted_degree": int(g.degree(n, weight="weight")),
                "betweenness": round(betweenness.get(n, 0.0), 6), "eigenvector": round(eigen.get(n, 0.0), 6),
                "community": community.get(n, -1),
            })
        out.sort(key=lambda m: (-m["clauses"], -m["first_listed"], m["label_zh"]))
        return out

    def domain_metrics(self, expand_groups: bool = False) -> list[dict[str, object]]:
        out = []
        for d in self.domains():
            g = self.coownership(domain=d, expand_groups=expand_groups)
            out.append({"domain": d, "units": g.number_of_nodes(), "clauses": len({r.clause for r in self.select(domain=d)}),
                        "density": round(nx.density(g), 6) if len(g) > 1 else 0.0})
        return out


def _eigenvector(g: nx.Graph) -> dict[str, float]:
    if g.number_of_edges() == 0:
        return {n: 0.0 for n in g}
    try:
        return nx.eigenvector_centrality(g, weight="weight", max_iter=5000, tol=1e-9)
    except nx.PowerIterationFailedConvergence:
        return {n: 0.0 for n in g}


def communities(g: nx.Graph) -> dict[str, int]:
    """Louvain communities, seeded; numbered by size, then by their smallest member, so numbers are stable."""
    if g.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(g))}
    groups = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    ordered = sorted(groups, key=lambda c: (-len(c), min(c)))
    return {n: i for i, c in enumerate(ordered) for n in c}


# ---------------------------------------------------------------- export


def flat_copy(g: nx.Graph) -> nx.Graph:
    """GraphML and GEXF take scalar attributes only: lists become ' | '-joined text.  Both are XML 1.0, which
    cannot carry a C0 control, U+FFFE or U+FFFF: a label holding one (an update may store it) is written with
    U+FFFD there, as in the service's XML answers — one such label made the whole file unreadable."""
    from .source import NOT_XML, xml_safe_text

    def flat(v):
        if isinstance(v, (list, tuple)):
            v = " | ".join(map(str, v))
        return xml_safe_text(v) if isinstance(v, str) else v

    h = g.copy()
    for _, data in h.nodes(data=True):
        for k, v in list(data.items()):
            data[k] = flat(v)
    for _, _, data in h.edges(data=True):
        for k, v in list(data.items()):
            data[k] = flat(v)
    odd = {n: flat(n) for n in h if isinstance(n, str) and NOT_XML.search(n)}  # ids are IRIs, but a domain's is its name
    return nx.relabel_nodes(h, odd) if odd else h


def export(g: nx.Graph, fmt: str) -> bytes:
    """GraphML, GEXF (Gephi) or a CSV edge list."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat_copy(g))).encode("utf-8")
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(flat_copy(g))).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["source", "source_label", "target", "target_label", "weight", "clauses"])
        for a, b, data in g.edges(data=True):
            w.writerow([a, g.nodes[a].get("label_zh", ""), b, g.nodes[b].get("label_zh", ""), data.get("weight", 1),
                        " | ".join(data.get("clauses", []))])
        return buf.getvalue().encode("utf-8")
    raise NetworkError(f"unknown export format {fmt!r}; use graphml, gexf or csv")


def as_json(g: nx.Graph, metrics: list[dict] | None = None) -> dict:
    nodes = [{"id": n, **data} for n, data in g.nodes(data=True)]
    edges = [{"source": a, "target": b, **{k: v for k, v in data.items() if k != "distance"}} for a, b, data in g.edges(data=True)]
    return {"view": g.graph.get("name", ""), "nodes": nodes, "edges": edges, "metrics": metrics or []}
