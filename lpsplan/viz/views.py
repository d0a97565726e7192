"""From networkx graphs to pyvis networks: sizes, colours, hover texts, legends."""

from __future__ import annotations

import networkx as nx
from pyvis.network import Network

from ..network import PlanNetwork, communities

UNIT_TYPES = {  # Okabe–Ito colours; labels as in ontology/lps.ttl (a test keeps them in step)
    "governmentDepartment": ("#0072B2", "政府部门", "government department"),
    "partyOrgan": ("#D55E00", "党的机关", "party organ"),
    "peoplesOrganisation": ("#CC79A7", "人民团体", "people's organisation"),
    "centralBankBranch": ("#E69F00", "中央银行分支机构", "central-bank branch"),
    "financialRegulator": ("#B8A000", "金融监管机构", "financial regulator"),
    "zoneManagementCommittee": ("#009E73", "园区管理委员会", "zone management committee"),
    "countyLevelGovernment": ("#56B4E9", "县级政府", "county-level government"),
    "municipalGovernment": ("#777777", "市级政府", "municipal government"),
    "partyCommittee": ("#882255", "党委", "party committee"),
    "unknownUnitType": ("#BBBBBB", "未知类型", "unknown type"),
}
KINDS = {
    "plan": ("#332288", "规划", "plan"), "section": ("#44AA99", "部分", "section"), "domain": ("#117733", "重点领域", "key domain"),
    "task": ("#AA4499", "重点任务", "key task"), "other": ("#999933", "其他条目", "other part"), "clause": ("#DDDDDD", "条款", "clause"),
}
COMMUNITY = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB", "#000000"]


def _net(hierarchical: bool = False) -> Network:
    net = Network(height="720px", width="100%", directed=hierarchical, cdn_resources="in_line")
    options = {
        "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"}},
        "edges": {"color": {"inherit": False, "color": "#9aa5b1"}, "smooth": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 250},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
    }
    if hierarchical:
        options["layout"] = {"hierarchical": {"direction": "LR", "sortMethod": "directed", "levelSeparation": 230, "nodeSpacing": 22}}
        options["physics"] = {"enabled": False}
    net.options = options
    return net


def _unit(net: Network, node: str, data: dict, size: float, color: str, extra: str = "") -> None:
    net.add_node(node, label=data["label_zh"], size=size, color=color, shape="dot",
                 label_zh=data["label_zh"], label_en=data["label_en"],
                 title_zh=f"{data['label_zh']}\n{data['label_en']}{extra}", title_en=f"{data['label_en']}\n{data['label_zh']}{extra}")


def _cap(g: nx.Graph, weight_of, limit: int) -> tuple[nx.Graph, str]:
    if limit <= 0 or g.number_of_nodes() <= limit:
        return g, ""
    keep = sorted(g.nodes, key=lambda n: (-weight_of(n), n))[:limit]
    return g.subgraph(keep).copy(), f"showing {limit} of {g.number_of_nodes()} nodes (the most loaded) / 显示 {g.number_of_nodes()} 个节点中负荷最高的 {limit} 个"


def coownership(net_data: PlanNetwork, *, color: str = "type", min_weight: int = 1, limit: int = 150, **filters) -> tuple[Network, list, str]:
    g = net_data.coownership(min_weight=min_weight, **filters)
    load = {m["unit"]: m["clauses"] for m in net_data.metrics(min_weight=min_weight, **filters)}
    g, note = _cap(g, lambda n: load.get(n, 0), limit)
    groups = communities(g)
    net = _net()
    for n, data in g.nodes(data=True):
        fill = COMMUNITY[groups[n] % len(COMMUNITY)] if color == "community" else UNIT_TYPES.get(data["unit_type"], UNIT_TYPES["unknownUnitType"])[0]
        _unit(net, n, data, 8 + 1.6 * load.get(n, 0) ** 0.8, fill, f"\n条款 clauses: {load.get(n, 0)}")
    for a, b, data in g.edges(data=True):
        shared = "\n".join(f"· {t[:60]}{'…' if len(t) > 60 else ''}" for t in data["texts"][:8])
        more = f"\n… +{len(data['texts']) - 8}" if len(data["texts"]) > 8 else ""
        net.add_edge(a, b, value=data["weight"], width=1 + data["weight"],
                     title=f"共担条款 shared clauses: {data['weight']}\n{shared}{more}")
    legend = ([(COMMUNITY[i % len(COMMUNITY)], f"社区 {i + 1}", f"community {i + 1}") for i in sorted(set(groups.values()))]
              if color == "community" else _type_legend(g))
    return net, legend, note


def _type_legend(g: nx.Graph) -> list:
    present = {d.get("unit_type") for _, d in g.nodes(data=True) if d.get("kind") == "unit"}
    return [UNIT_TYPES[t] for t in UNIT_TYPES if t in present]


def bipartite(net_data: PlanNetwork, *, kind: str = "domain", min_weight: int = 1, **filters) -> tuple[Network, list, str]:
    g = net_data.unit_part(kind, **{k: v for k, v in filters.items() if k != "task"} if kind == "domain" else filters)
    net = _net()
    for n, data in g.nodes(data=True):
        if data["kind"] == "unit":
            _unit(net, n, data, 8 + 2 * g.degree(n, weight="weight") ** 0.8, UNIT_TYPES.get(data["unit_type"], UNIT_TYPES["unknownUnitType"])[0])
        else:
            net.add_node(n, label=data["label_zh"], shape="box", color=KINDS[kind][0], font={"color": "#ffffff"},
                         label_zh=data["label_zh"], label_en=data["label_en"], title_zh=data["label_zh"], title_en=data["label_en"])
    for a, b, data in g.edges(data=True):
        if data["weight"] >= min_weight:
            net.add_edge(a, b, value=data["weight"], width=data["weight"], title=f"条款 clauses: {data['weight']}")
    return net, [KINDS[kind]] + _type_legend(g), ""


def ego(net_data: PlanNetwork, *, unit: str, **filters) -> tuple[Network, list, str]:
    iri = net_data.unit_iri(unit)
    rows = [r for r in net_data.select(**filters)]
    mine = {r.clause for r in rows if r.unit == iri}
    if not mine:
        from ..network import NetworkError

        raise NetworkError(f"{unit!r} has no clauses with these filters")
    net = _net()
    seen = set()
    for r in rows:
        if r.clause not in mine:
            continue
        if r.unit not in seen:
            seen.add(r.unit)
            data = {"label_zh": r.unit_zh, "label_en": r.unit_en or r.unit_zh}
            _unit(net, r.unit, data, 40 if r.unit == iri else 14, "#D55E00" if r.unit == iri else
                  UNIT_TYPES.get(r.unit_type or "unknownUnitType", UNIT_TYPES["unknownUnitType"])[0])
        if r.clause not in seen:
            seen.add(r.clause)
            label = f"{r.part_title[:10]} {r.clause_ordinal}"
            net.add_node(r.clause, label=label, shape="box", color=KINDS["clause"][0], label_zh=label, label_en=f"{r.part_kind} {r.part_ordinal}.{r.clause_ordinal}",
                         title_zh=r.clause_text, title_en=r.clause_text)
        if r.part not in seen:
            seen.add(r.part)
            label = r.domain or r.part_title
            net.add_node(r.part, label=label, shape="box", color=KINDS[r.part_kind][0], font={"color": "#ffffff"},
                         label_zh=label, label_en=f"{r.part_kind} {r.part_ordinal}", title_zh=r.part_title, title_en=r.part_title)
            net.add_edge(r.part, r.clause, color="#cccccc", dashes=True)
        net.add_edge(r.clause, r.unit, title=f"列序 position {r.position}", width=3 if r.unit == iri else 1)
    if any(e["from"] == e["to"] for e in net.edges):
        net.edges = [e for e in net.edges if e["from"] != e["to"]]
    return net, [("#D55E00", "所选单位", "selected unit"), KINDS["clause"], KINDS["domain"], KINDS["task"]], ""


def tree(net_data: PlanNetwork, **_filters) -> tuple[Network, list, str]:
    t = net_data.tree()
    net = _net(hierarchical=True)
    for n, data in t.nodes(data=True):
        kind = data["kind"]
        color = UNIT_TYPES.get(data.get("unit_type", ""), KINDS.get(kind, KINDS["other"]))[0]
        shape = "dot" if kind == "unit" else "box"
        net.add_node(n, label=data["label_zh"], level=data["level"], shape=shape, color=color, size=8,
                     font={"color": "#ffffff"} if kind in ("plan", "section", "domain", "task") else {"color": "#1d2330"},
                     label_zh=data["label_zh"], label_en=data["label_en"], title_zh=data.get("text", data["label_zh"]),
                     title_en=data.get("text", data["label_en"]))
    for a, b in t.edges:
        net.add_edge(a, b)
    return net, [KINDS[k] for k in ("plan", "section", "domain", "task", "clause")], ""
