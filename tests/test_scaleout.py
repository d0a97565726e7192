"""The library and the CLI over an external SPARQL server, `--store URL`: a real `oxigraph serve`
and a real Apache Jena Fuseki (in-memory dataset), each holding what the embedded store holds.
Every named question and every network view must give what the embedded store gives; the CLI's
query, network, plans, ingest, link --into-graph, observe and remove must work against each server."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from cli import run_cli
from conftest import MINI_PLAN
from server import fuseki_missing, oxigraph_server, sparql_server

pytestmark = pytest.mark.slow

ENGINES = ["oxigraph", pytest.param("fuseki", marks=pytest.mark.skipif(fuseki_missing() is not None, reason=str(fuseki_missing())))]
LPS = "https://w3id.org/lpsplan/ontology#"
TITLE = "猕猴桃溃疡病绿色防控技术集成与示范"
OBSERVATIONS = Path(__file__).resolve().parent.parent / "data" / "observations" / "liupanshui.csv"


@pytest.fixture(scope="module")
def local(built, tmp_path_factory):
    """The embedded side: a build folder with the plan graph, read as the CLI reads it."""
    from lpsplan.build import write_graph
    from lpsplan.project import Project

    build_dir = tmp_path_factory.mktemp("scaleout-build")
    write_graph(built.graph, build_dir / "plan.ttl")
    return Project(built.settings.with_(build_dir=build_dir))


def upload(gsp: str, store) -> None:
    """Every graph of the embedded store into the server, by the Graph Store Protocol (standard on both)."""
    import pyoxigraph as ox

    graphs = [None, *sorted(g.value for g in store.named_graphs())]
    for g in graphs:
        node = ox.DefaultGraph() if g is None else ox.NamedNode(g)
        body = ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, node)), format=ox.RdfFormat.N_TRIPLES)
        r = httpx.put(gsp, params={"default": ""} if g is None else {"graph": g}, content=body,
                      headers={"Content-Type": "application/n-triples"}, timeout=120)
        assert r.status_code in (200, 201, 204), r.text


@pytest.fixture(scope="module", params=ENGINES)
def server(request, local, tmp_path_factory):
    with sparql_server(request.param, tmp_path_factory.mktemp(request.param)) as (base, gsp):
        upload(gsp, local.reader.store)
        yield request.param, base


@pytest.fixture
def remote(server, local):
    from lpsplan.project import Project

    with Project(local.settings.with_(store=server[1])) as project:
        yield project


SEPARATORS = re.compile(" / |、")  # the named questions' GROUP_CONCAT separators


def normal(rows) -> list:
    """Rows as a sorted list of tuples; numbers compared to 9 significant digits (engines differ in how
    many digits a computed decimal keeps); a GROUP_CONCAT as the set of its parts (SPARQL leaves their
    order to the engine, and it differs even between two loads into the same engine)."""
    def value(v):
        if isinstance(v, (Decimal, float)) and not isinstance(v, bool):
            return ("n", float(f"{float(v):.9g}"))
        if isinstance(v, str) and SEPARATORS.search(v):
            return ("parts", tuple(sorted(SEPARATORS.split(v))))
        return (type(v).__name__, v)

    return sorted(tuple(sorted((k, value(v)) for k, v in r.items() if v is not None)) for r in rows)


def test_every_named_question_answers_as_over_the_embedded_store(local, remote):
    for question in local.catalogue:
        if question.form != "SELECT":
            continue
        want, got = local.query(question.name), remote.query(question.name)
        assert got.columns == want.columns, question.name
        assert normal(got) == normal(want), question.name
    assert remote.query("coownership-domain", domain="Modern coal chemical industry")  # a parameter by its English name


def test_the_values_come_typed(remote):
    load = remote.query("unit-load")
    assert load[0]["unit"] == "六盘水市科学技术局" and load[0]["clauses"] == 42
    assert all(isinstance(row.is_group, bool) for row in remote.network().rows)


@pytest.mark.parametrize("view", ["coownership", "unit-clause", "unit-domain", "unit-task"])
def test_every_network_view_as_over_the_embedded_store(local, remote, view):
    from lpsplan.network import NetworkFilter

    for where in (NetworkFilter(), NetworkFilter(domain="现代煤化工"), NetworkFilter(expand_groups=True, min_weight=2)):
        want, got = local.network_graph(view, where), remote.network_graph(view, where)
        assert sorted(got.nodes(data=True)) == sorted(want.nodes(data=True)), (view, where)
        assert sorted(map(sorted, got.edges())) == sorted(map(sorted, want.edges())), (view, where)
    assert remote.network().metrics() == local.network().metrics()


def cli(settings, *args):
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(settings.build_dir)}
    env.pop("LPSPLAN_STORE", None)
    return run_cli(*args, env=env)


def ask(base: str, query: str) -> bool:
    r = httpx.post(f"{base}/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return r.json()["boolean"]


def test_the_cli_over_the_server(server, local):
    engine, base = server
    settings = local.settings
    for args in (["query", "unit-load"], ["query", "unit-portfolio", "-p", "unit=市科技局", "--format", "json"],
                 ["network", "metrics", "--domain", "现代煤化工", "--format", "json"], ["plans", "--format", "json"]):
        here, there = cli(settings, *args), cli(settings, *args, "--store", base)
        assert here.returncode == 0 and there.returncode == 0, there.stderr
        assert there.stdout == here.stdout, (engine, args)

    out = cli(settings, "ingest", str(MINI_PLAN), "--id", "shili-scaleout", "--jurisdiction", "shili", "--store", base)
    assert out.returncode == 0, out.stderr
    graph = f"{settings.base_iri}shili-scaleout/graph"
    assert ask(base, f"ASK {{ GRAPH <{graph}> {{ ?plan a <{LPS}Plan> }} }}")
    plans = json.loads(cli(settings, "plans", "--format", "json", "--store", base).stdout)
    assert [p["graph"] for p in plans] == ["(default graph)", graph]

    linked = cli(settings, "link", TITLE, "--method", "bm25", "--into-graph", "scaleout", "--store", base)
    assert linked.returncode == 0, linked.stderr
    assert f"<{settings.base_iri}projects/scaleout>" in linked.stderr
    assert ask(base, f"ASK {{ GRAPH <{settings.base_iri}projects/scaleout> {{ ?p a <{LPS}Project> }} }}")

    observed = cli(settings, "observe", "--input", str(OBSERVATIONS), "--format", "json", "--store", base)
    assert observed.returncode == 0, observed.stderr
    assert json.loads(observed.stdout)["written"] is True  # the server's observations, merged with the file's

    removed = cli(settings, "remove", "shili-scaleout", "--store", base)
    assert removed.returncode == 0, removed.stderr
    assert not ask(base, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert not (settings.build_dir / "store.nq").exists()  # nothing went to the embedded store


def test_a_server_that_is_not_there_is_one_line(local):
    out = cli(local.settings, "query", "unit-load", "--store", "http://127.0.0.1:9/")
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert out.stderr.startswith("lpsplan: error: cannot reach the SPARQL server")


def test_a_servers_json_answer_is_typed_as_the_embedded_store_types_it(store):
    """Rows.from_json (what a server's answer becomes) and the in-process reader's select agree value for value and type for type."""
    import pyoxigraph as ox
    from lpsplan.sparql.errors import ProtocolError
    from lpsplan.sparql.rows import Rows

    q = ("SELECT ?n ?d ?f ?b ?s ?none WHERE { VALUES (?n ?d ?f ?b ?s) { (42 4.50 1.5e0 true \"文本\"@zh) } "
         "OPTIONAL { ?x <http://example.org/never> ?none } }")
    body = store.store.query(q).serialize(format=ox.QueryResultsFormat.JSON)
    got, want = Rows.from_json(body), store.select(q)
    assert got.columns == want.columns == ["n", "d", "f", "b", "s", "none"]
    assert [(k, v, type(v)) for k, v in got[0].items()] == [(k, v, type(v)) for k, v in want[0].items() if v is not None]
    assert got[0] == {"n": 42, "d": Decimal("4.50"), "f": 1.5, "b": True, "s": "文本"}
    with pytest.raises(ProtocolError, match="SELECT"):
        Rows.from_json(store.store.query("ASK {}").serialize(format=ox.QueryResultsFormat.JSON))


def test_a_union_default_graph_is_refused_with_the_reason(local, tmp_path):
    """Over a server that answers for its named graphs in the default graph, every ingested plan would count
    twice: the project says so instead of answering."""
    from lpsplan.errors import ConfigError
    from lpsplan.project import Project

    with oxigraph_server(tmp_path, "--union-default-graph") as base:
        upload(f"{base}/store", local.reader.store)
        plan = "https://example.org/plan/x"
        r = httpx.put(f"{base}/store", params={"graph": plan + "/graph"}, content=f"<{plan}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LPS}Plan> .".encode(),
                      headers={"Content-Type": "application/n-triples"})
        assert r.status_code in (200, 201, 204)
        with Project(local.settings.with_(store=base)) as project, pytest.raises(ConfigError, match="union default graph"):
            project.query("unit-load")
        out = cli(local.settings, "plans", "--store", base)
        assert out.returncode != 0 and "Traceback" not in out.stderr and "union default graph" in out.stderr
