"""Responsibility networks built from SPARQL results."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest
from lpsplan.network import NetworkError, PlanNetwork, as_json, export

COAL_CHEMICAL = {"六盘水市工业和信息化局", "六盘水市能源局", "六盘水市科学技术局", "各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会"}


@pytest.fixture(scope="module")
def net(store):
    return PlanNetwork.load(store.select)


def labels(g):
    return {d["label_zh"] for _, d in g.nodes(data=True)}


def test_coal_chemical_has_exactly_its_five_co_owners(net):
    g = net.coownership(domain="现代煤化工")
    assert labels(g) == COAL_CHEMICAL and g.number_of_edges() == 10
    assert all(d["weight"] == 1 and len(d["clauses"]) == 1 for _, _, d in g.edges(data=True))


def test_bipartite_graph_and_projection_agree(net):
    b = net.unit_clause()
    units = {n for n, d in b.nodes(data=True) if d["kind"] == "unit"}
    projected = nx.bipartite.weighted_projected_graph(b, units)
    g = net.coownership()
    assert set(projected.edges) == set(g.edges) or {frozenset(e) for e in projected.edges} == {frozenset(e) for e in g.edges}
    for a, c, d in g.edges(data=True):
        assert projected[a][c]["weight"] == d["weight"]
    assert sum(1 for _, d in b.nodes(data=True) if d["kind"] == "clause") == 48


def test_science_bureau_ranks_first(net):
    m = net.metrics()
    assert m[0]["label_zh"] == "六盘水市科学技术局" and m[0]["clauses"] == 42 and m[0]["first_listed"] == 20
    assert m[0]["betweenness"] == max(x["betweenness"] for x in m)
    assert len(m) == 29


def test_group_counted_as_group_or_as_members(net):
    as_group = {m["label_zh"]: m["clauses"] for m in net.metrics()}
    expanded = {m["label_zh"]: m["clauses"] for m in net.metrics(expand_groups=True)}
    assert as_group["各市(特区、区)人民政府"] == 38 and "各市(特区、区)人民政府" not in expanded
    for member in ("钟山区人民政府", "六枝特区人民政府", "水城区人民政府", "盘州市人民政府"):
        assert expanded[member] == 38
    assert len(expanded) == 32


def test_filters(net):
    assert net.coownership(task=9, min_weight=3).number_of_edges() == 5
    assert labels(net.coownership(domain="钢铁")) == {"六盘水市工业和信息化局", "六盘水市科学技术局", "六盘水高新技术产业开发区管理委员会"}
    assert len(net.coownership(section=5)) == 0
    with pytest.raises(NetworkError, match="no domain"):
        net.coownership(domain="不存在")
    with pytest.raises(NetworkError, match="no unit"):
        net.unit_iri("不存在的局")


def test_unit_domain_and_unit_task_graphs(net):
    d = net.unit_part("domain")
    assert sum(1 for _, x in d.nodes(data=True) if x["kind"] == "domain") == 13
    t = net.unit_part("task")
    assert sum(1 for _, x in t.nodes(data=True) if x["kind"] == "task") == 9


def test_domain_metrics(net):
    rows = {r["domain"]: r for r in net.domain_metrics()}
    assert rows["现代煤化工"] == {"domain": "现代煤化工", "units": 5, "clauses": 1, "density": 1.0}
    assert rows["其他"]["units"] == 9 and rows["其他"]["clauses"] == 2


def test_tree(net):
    t = net.tree()
    assert nx.is_tree(t) and t.number_of_nodes() == 1 + 5 + 22 + 48 + 257


@pytest.mark.slow
def test_metrics_are_reproducible_across_processes(net, built, tmp_path):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    here = net.metrics()
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(tmp_path)}
    # a process each: the hash seed is fixed when the interpreter starts
    outs = [subprocess.run([sys.executable, "-m", "lpsplan.cli", "network", "metrics", "--format", "json"], capture_output=True, text=True,
                           env={**env, "PYTHONHASHSEED": seed}, check=True).stdout for seed in ("1", "2")]
    assert json.loads(outs[0]) == json.loads(outs[1]) == json.loads(json.dumps(here))
    assert len({m["community"] for m in here}) >= 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_round_trip(net, tmp_path, fmt):
    g = net.coownership()
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(export(g, fmt))
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(back.nodes) == set(g.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in g.edges}
    a, b = next(iter(g.edges))
    assert int(back[a][b]["weight"]) == g[a][b]["weight"]


def test_csv_edge_list_and_json(net):
    g = net.coownership(domain="现代煤化工")
    lines = export(g, "csv").decode().splitlines()
    assert lines[0] == "source,source_label,target,target_label,weight,clauses" and len(lines) == 11
    doc = as_json(g, net.metrics(domain="现代煤化工"))
    assert len(doc["nodes"]) == 5 and len(doc["edges"]) == 10 and len(doc["metrics"]) == 5
