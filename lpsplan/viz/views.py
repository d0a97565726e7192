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
        # vis-network places nodes at random before the physics runs: a fixed seed gives the same picture every
        # time (people comparing two screenshots, the label-overlap test), not one that depends on the draw
        "layout": {"randomSeed": 20211},
    }
    if hierarchical:
        options["layout"] = {"hierarchical": {"direction": "LR", "sortMethod": "directed", "levelSeparation": 230, "nodeSpacing": 22}}
        options["physics"] = {"enabled": False}
    net.options = options
    return net


def short_names(net_data: PlanNetwork) -> dict[str, str]:
    """Each unit's shortest Chinese name (the written form people use, 市科技局), for labels; the full names are on hover."""
    best: dict[str, str] = {}
    for name, iri in net_data.names.items():
        if any("\u4e00" <= ch <= "\u9fff" for ch in name) and (iri not in best or len(name) < len(best[iri])):
            best[iri] = name
    return best


def short_en(name: str, limit: int = 26) -> str:
    """An English label short enough to read: without the city's name, clipped (the full name is on hover)."""
    text = name
    for drop in ("Liupanshui Municipal ", " of Liupanshui", "Liupanshui ", "Municipal "):
        text = text.replace(drop, "")
    text = text.strip() or name
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _unit(net: Network, node: str, data: dict, size: float, color: str, extra: str = "", short: str | None = None,
          font_size: int = 14) -> None:
    zh, en = short or data["label_zh"], short_en(data["label_en"])
    net.add_node(node, label=zh, size=size, color=color, shape="dot", font={"size": font_size},
                 label_zh=zh, label_en=en,
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
    short = short_names(net_data)
    top = max(load.values(), default=1) or 1
    for n, data in g.nodes(data=True):
        fill = COMMUNITY[groups[n] % len(COMMUNITY)] if color == "community" else UNIT_TYPES.get(data["unit_type"], UNIT_TYPES["unknownUnitType"])[0]
        _unit(net, n, data, 8 + 1.6 * load.get(n, 0) ** 0.8, fill, f"\n条款 clauses: {load.get(n, 0)}", short.get(n),
              font_size=12 + round(8 * load.get(n, 0) / top))  # label size by importance
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
    short = short_names(net_data)
    for n, data in g.nodes(data=True):
        if data["kind"] == "unit":
            _unit(net, n, data, 8 + 2 * g.degree(n, weight="weight") ** 0.8, UNIT_TYPES.get(data["unit_type"], UNIT_TYPES["unknownUnitType"])[0],
                  short=short.get(n))
        else:
            net.add_node(n, label=data["label_zh"], shape="box", color=KINDS[kind][0], font={"color": "#ffffff"},
                         label_zh=data["label_zh"], label_en=data["label_en"], title_zh=data["label_zh"], title_en=data["label_en"])
    for a, b, data in g.edges(data=True):
        if data["weight"] >= min_weight:
            net.add_edge(a, b, value=data["weight"], width=data["weight"], title=f"条款 clauses: {data['weight']}")
    return net, [KINDS[kind]] + _type_legend(g), ""


def ego(net_data: PlanNetwork, *, unit: str, **filters) -> tuple[Network, list, str]:
    """One unit: its domains and tasks (width: its clauses there), the co-owners of those clauses (width: clauses shared
    there); a click on a domain or task adds its clauses."""
    iri = net_data.unit_iri(unit)
    rows = [r for r in net_data.select(**filters)]
    mine = {r.clause for r in rows if r.unit == iri}
    if not mine:
        from ..network import NetworkError

        raise NetworkError(f"{unit!r} has no clauses with these filters")
    short = short_names(net_data)
    net = _net()
    parts: dict[str, dict] = {}
    owners: dict[str, dict] = {}
    for r in rows:
        if r.clause not in mine:
            continue
        part = parts.setdefault(r.part, {"row": r, "clauses": {}, "owners": {}})
        part["clauses"].setdefault(r.clause, {"row": r, "owners": []})["owners"].append(r)
        if r.unit != iri:
            part["owners"].setdefault(r.unit, set()).add(r.clause)
        owners.setdefault(r.unit, {"label_zh": r.unit_zh, "label_en": r.unit_en or r.unit_zh, "type": r.unit_type, "clauses": set()})["clauses"].add(r.clause)
    for u, d in owners.items():
        selected = u == iri
        _unit(net, u, d, 40 if selected else 10 + 2 * len(d["clauses"]), "#D55E00" if selected else
              UNIT_TYPES.get(d["type"] or "unknownUnitType", UNIT_TYPES["unknownUnitType"])[0],
              f"\n共同条款 shared clauses: {len(d['clauses'])}" if not selected else f"\n条款 clauses: {len(mine)}", short.get(u),
              font_size=20 if selected else 13)
    for p, d in parts.items():
        r, count = d["row"], len(d["clauses"])
        label = (r.domain or r.part_title)[:12]
        expand = {"nodes": [], "edges": []}
        for c, cd in d["clauses"].items():
            cr = cd["row"]
            expand["nodes"].append({"id": c, "label": f"{cr.part_ordinal}.{cr.clause_ordinal}", "label_zh": f"条款 {cr.part_ordinal}.{cr.clause_ordinal}",
                                    "label_en": f"clause {cr.part_ordinal}.{cr.clause_ordinal}", "shape": "box", "color": KINDS["clause"][0],
                                    "title_zh": cr.clause_text, "title_en": cr.clause_text})
            expand["edges"].append({"from": p, "to": c, "color": "#cccccc", "dashes": True})
            expand["edges"] += [{"from": c, "to": o.unit, "width": 3 if o.unit == iri else 1, "title": f"列序 position {o.position}"}
                                for o in cd["owners"]]
        net.add_node(p, label=label, shape="box", color=KINDS[r.part_kind][0], font={"color": "#ffffff"},
                     label_zh=label, label_en=f"{r.part_kind} {r.part_ordinal}", title_zh=f"{r.part_title}\n条款 clauses: {count}（点击展开 click to expand）",
                     title_en=f"{r.part_title}\nclauses: {count} (click to expand)", expand=expand)
        net.add_edge(iri, p, width=1 + 2 * count, title=f"条款 clauses: {count}")
        for o, shared in d["owners"].items():
            net.add_edge(p, o, width=len(shared), color="#b8c2cc", title=f"共同条款 shared clauses: {len(shared)}")
    return net, [("#D55E00", "所选单位", "selected unit"), KINDS["domain"], KINDS["task"], KINDS["other"]], ""


def tree(net_data: PlanNetwork, **_filters) -> tuple[Network, list, str]:
    t = net_data.tree()
    net = _net(hierarchical=True)
    for n, data in t.nodes(data=True):
        kind = data["kind"]
        color = UNIT_TYPES.get(data.get("unit_type", ""), KINDS.get(kind, KINDS["other"]))[0]
        shape = "dot" if kind == "unit" else "box"
        # collapsible levels: clauses and their units are shown by a click on their domain or task
        net.add_node(n, label=data["label_zh"], level=data["level"], shape=shape, color=color, size=8,
                     font={"color": "#ffffff"} if kind in ("plan", "section", "domain", "task", "other") else {"color": "#1d2330"},
                     label_zh=data["label_zh"], label_en=data["label_en"], title_zh=data.get("text", data["label_zh"]),
                     title_en=data.get("text", data["label_en"]), hidden=data["level"] >= 3, collapsible=data["level"] in (2, 3))
    for a, b in t.edges:
        net.add_edge(a, b)
    return net, [KINDS[k] for k in ("plan", "section", "domain", "task", "clause")], ""
