"""The same service over an external SPARQL 1.1 server: a real `oxigraph serve`
process (PyPI package `oxigraph`) holding the plan graph."""

from __future__ import annotations

import httpx
import pytest

from server import TOKEN, lpsplan_server, oxigraph_server

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}
LPS = "PREFIX lps: <https://w3id.org/lpsplan/ontology#>\n"


@pytest.fixture(scope="module")
def servers(tmp_path_factory, built):
    from lpsplan.build import serialize

    data_dir = tmp_path_factory.mktemp("oxigraph")
    build_dir = tmp_path_factory.mktemp("remote-build")
    with oxigraph_server(data_dir) as ox:
        for body in (serialize(built.graph), built.settings.paths.ontology_file.read_bytes()):
            r = httpx.post(f"{ox}/store", params={"default": ""}, content=body, headers={"Content-Type": "text/turtle"}, timeout=60)
            assert r.status_code in (200, 201, 204), r.text
        with lpsplan_server(build_dir, LPSPLAN_STORE=ox, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_TIMEOUT="20") as lps:
            yield lps, ox


def ask_direct(ox: str, query: str) -> bool:
    r = httpx.post(f"{ox}/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return r.json()["boolean"]


def test_named_question_over_the_remote_store(servers):
    lps, _ = servers
    assert httpx.get(f"{lps}/healthz").json()["store"] == "remote"
    rows = httpx.get(f"{lps}/api/queries/coownership-domain", params={"format": "rows"}, timeout=30).json()
    assert [r["unit"] for r in rows] == ["六盘水市工业和信息化局", "六盘水市能源局", "六盘水市科学技术局",
                                         "各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会"]
    load = httpx.get(f"{lps}/api/queries/unit-load", params={"format": "rows"}, timeout=30).json()
    assert load[0]["unit"] == "六盘水市科学技术局" and load[0]["clauses"] == "42"


def test_protocol_passes_through(servers):
    lps, _ = servers
    r = httpx.get(f"{lps}/sparql", params={"query": LPS + "SELECT ?o WHERE { ?t a lps:Task ; lps:ordinal ?o } ORDER BY ?o"},
                  headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv") and r.text.split()[:3] == ["o", "1", "2"]
    assert httpx.get(f"{lps}/sparql", params={"query": "SELECT ?x WHERE {"}).status_code == 400
    page = httpx.get(f"{lps}/id/liupanshui-sti-2021-2023/domain/2/clause/1", timeout=30)
    assert page.status_code == 200 and "<mark>" in page.text


def test_gated_update_is_refused_and_the_server_unchanged(servers):
    lps, ox = servers
    r = httpx.post(f"{lps}/update", content=(LPS + "DELETE { ?t lps:unitText ?u } WHERE { ?t a lps:Target ; lps:unitText ?u }").encode(),
                   headers={"Content-Type": "application/sparql-update", **AUTH}, timeout=60)
    assert r.status_code == 422 and len(r.json()["report"]) == 12
    assert ask_direct(ox, LPS + 'ASK { ?t lps:unitText "亿元" }')


def test_conforming_update_reaches_the_server(servers):
    lps, ox = servers
    r = httpx.post(f"{lps}/update", content=b'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n> <http://example.org/p> "ok" } }',
                   headers={"Content-Type": "application/sparql-update", **AUTH}, timeout=60)
    assert r.status_code == 204
    assert ask_direct(ox, 'ASK { GRAPH <http://example.org/notes> { ?s ?p "ok" } }')
    r = httpx.get(f"{lps}/store", params={"graph": "http://example.org/notes"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and b'"ok"' in r.content
    assert httpx.delete(f"{lps}/store", params={"graph": "http://example.org/notes"}, headers=AUTH, timeout=60).status_code == 204
    assert not ask_direct(ox, 'ASK { GRAPH <http://example.org/notes> { ?s ?p ?o } }')
    assert httpx.post(f"{lps}/update", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}).status_code == 401


def test_ingest_into_the_remote_store(servers, settings):
    """`lpsplan ingest` with LPSPLAN_STORE set writes the plan's graph to the external server, gated."""
    from lpsplan.ingest import ingest_many, remove_plan

    from conftest import MINI_PLAN, MINI_REGISTRY

    _, ox = servers
    remote = settings.with_(store=ox)
    (report,) = ingest_many(remote, [MINI_PLAN], jurisdiction="shili", registry_path=MINI_REGISTRY)
    assert ask_direct(ox, f"ASK {{ GRAPH <{report.graph}> {{ ?plan a <https://w3id.org/lpsplan/ontology#Plan> }} }}")
    remove_plan(remote, report.slug)
    assert not ask_direct(ox, f"ASK {{ GRAPH <{report.graph}> {{ ?s ?p ?o }} }}")
