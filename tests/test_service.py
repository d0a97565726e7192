"""The SPARQL service over the plan, against a live `lpsplan serve` process."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time

import httpx
import pytest
from rdflib import Graph

from server import TOKEN, lpsplan_server, metric, until_metric

pytestmark = pytest.mark.slow

LPS = "PREFIX lps: <https://w3id.org/lpsplan/ontology#>\n"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("service")
    write_graph(built.graph, build_dir / "plan.ttl")
    return build_dir


@pytest.fixture(scope="module")
def live(plan_dir):
    # a query timeout long enough that no answer a test here waits for is cut short on a busy machine
    with lpsplan_server(plan_dir, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_TIMEOUT="60", LPSPLAN_MAX_ROWS="5000",
                        LPSPLAN_MAX_BODY="2000000", LPSPLAN_WORKERS="2") as base:
        yield base


def count(base: str) -> int:
    r = httpx.get(f"{base}/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def update(base: str, text: str, headers=AUTH) -> httpx.Response:
    return httpx.post(f"{base}/update", content=text.encode(), headers={"Content-Type": "application/sparql-update", **headers}, timeout=60)


def test_the_coal_chemical_question(live):
    r = httpx.get(f"{live}/api/queries/coownership-domain", params={"domain": "现代煤化工", "format": "rows"})
    assert r.status_code == 200
    assert [row["unit"] for row in r.json()] == ["六盘水市工业和信息化局", "六盘水市能源局", "六盘水市科学技术局",
                                                 "各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会"]


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
])
def test_select_content_negotiation(live, accept, media):
    headers = {"Accept": accept} if accept else {}
    r = httpx.get(f"{live}/sparql", params={"query": LPS + "SELECT ?o WHERE { ?t a lps:Task ; lps:ordinal ?o } ORDER BY ?o"}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    if media == "text/csv":
        assert list(csv.reader(io.StringIO(r.text)))[:3] == [["o"], ["1"], ["2"]]


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                         ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_content_negotiation(live, accept, fmt):
    q = LPS + "CONSTRUCT { ?d lps:ordinal ?o } WHERE { ?d a lps:Domain ; lps:ordinal ?o }"
    r = httpx.post(f"{live}/sparql", data={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=r.content, format=fmt)) == 13


def test_not_acceptable_and_syntax_errors(live):
    r = httpx.get(f"{live}/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["error"] == "not acceptable"
    r = httpx.get(f"{live}/sparql", params={"query": "SELECT ?x WHERE {\n ?x ?y"})
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == 400 and body["error"] == "syntax error" and body["detail"].startswith("line 2, column")


def test_error_page_for_browsers(live):
    r = httpx.get(f"{live}/sparql", params={"query": "SELEC"}, headers={"Accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html") and "syntax error" in r.text


def test_updates_need_the_token(live):
    before = count(live)
    r = update(live, 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }', headers={})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = update(live, 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }', headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = httpx.put(f"{live}/store", params={"graph": "http://example.org/g"}, content=b"<http://a> <http://b> <http://c> .",
                  headers={"Content-Type": "application/n-triples"})
    assert r.status_code == 401
    assert count(live) == before


def test_update_that_breaks_a_shape_is_refused_and_nothing_changes(live):
    before = count(live)
    r = update(live, LPS + "DELETE { ?t lps:unitText ?u } WHERE { ?t a lps:Target ; lps:unitText ?u }")
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "shacl violation" and len(body["report"]) == 12
    assert {v["shape"] for v in body["report"]} == {"TargetShape"}
    assert count(live) == before
    r = httpx.get(f"{live}/sparql", params={"query": LPS + "ASK { ?t lps:unitText \"亿元\" }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True


def test_graph_store_write_is_gated_too(live):
    before = count(live)
    bad = b'<http://example.org/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/lpsplan/ontology#Target> .'
    r = httpx.post(f"{live}/store", params={"graph": "http://example.org/extra"}, content=bad,
                   headers={"Content-Type": "application/n-triples", **AUTH})
    assert r.status_code == 422 and count(live) == before


def test_graph_store_refuses_a_charset_its_formats_cannot_have(live):
    """Turtle, N-Triples and JSON-LD are UTF-8 by definition: a body declared Latin-1 is a 415, not read as UTF-8."""
    before = count(live)
    body = '<http://example.org/c> <http://www.w3.org/2000/01/rdf-schema#label> "caf\u00e9" .'.encode("latin-1")
    for media in ("text/turtle; charset=iso-8859-1", "application/n-triples;charset=windows-1252"):
        r = httpx.put(f"{live}/store", params={"graph": "http://example.org/charset"}, content=body,
                      headers={"Content-Type": media, **AUTH})
        assert r.status_code == 415 and "UTF-8" in r.json()["detail"], media
    assert count(live) == before
    r = httpx.get(f"{live}/store", params={"graph": "http://example.org/charset"})
    assert r.status_code == 404


def test_conforming_update_is_applied_and_visible(live):
    before = count(live)
    r = update(live, 'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n1> <http://www.w3.org/2000/01/rdf-schema#comment> "审阅意见"@zh } }')
    assert r.status_code == 204
    assert count(live) == before  # the default graph is unchanged: the note went into its own graph
    r = httpx.get(f"{live}/sparql", params={"query": "ASK { GRAPH <http://example.org/notes> { ?s ?p \"审阅意见\"@zh } }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True
    r = httpx.delete(f"{live}/store", params={"graph": "http://example.org/notes"}, headers=AUTH)
    assert r.status_code == 204


def test_runaway_query_is_stopped_while_others_are_answered(plan_dir, tmp_path):
    """A runaway query holds its worker until it is killed at LPSPLAN_TIMEOUT (3 s on this server);
    questions sent once it is in its worker (the service's lpsplan_worker_queries says so) are
    answered while it still runs: before its worker was killed (lpsplan_worker_kills_total unchanged)."""
    import shutil

    shutil.copy(plan_dir / "plan.ttl", tmp_path / "plan.ttl")
    with lpsplan_server(tmp_path, LPSPLAN_TIMEOUT="3", LPSPLAN_WORKERS="2") as live:
        before = [metric(live, name) for name in ("lpsplan_query_timeouts_total", "lpsplan_worker_kills_total")]
        outcome = {}

        def runaway():
            r = httpx.get(f"{live}/sparql", params={"query": CARTESIAN}, timeout=60)  # a hang fails, not hangs
            outcome["runaway"] = (r.status_code, r.json())

        thread = threading.Thread(target=runaway)
        thread.start()
        until_metric(live, "lpsplan_worker_queries", lambda n: n >= 1)  # the runaway is being evaluated
        answered = []  # (right, whether no worker had been killed yet when it was answered)
        while thread.is_alive():
            r = httpx.get(f"{live}/api/queries/unit-load", params={"format": "rows"}, timeout=60)
            right = r.status_code == 200 and r.json()[0]["unit"] == "六盘水市科学技术局"
            answered.append((right, metric(live, "lpsplan_worker_kills_total") == before[1]))
            time.sleep(0.2)  # a pace, not a judgement
        thread.join()
        status, body = outcome["runaway"]
        assert status == 503 and body["error"] == "query timeout" and body["detail"] == "the query ran longer than 3 s and was stopped"
        assert answered and all(right for right, _ in answered)
        assert any(running for _, running in answered), "no question was answered while the runaway ran"
        after = [metric(live, name) for name in ("lpsplan_query_timeouts_total", "lpsplan_worker_kills_total")]
        assert after == [before[0] + 1, before[1] + 1]  # counted, and its worker killed with it
        assert metric(live, "lpsplan_worker_queries") == 0  # the killed query holds no worker
        assert httpx.get(f"{live}/api/queries/unit-load", params={"format": "rows"}).status_code == 200  # the worker was replaced


def test_service_and_load_are_refused_and_fetch_nothing(live):
    """Nothing connects to the listener named by SERVICE or LOAD.  Judged without a waiting time:
    once both are answered the test connects to the listener itself, last; connections are accepted
    in the order they were made, so a fetch the server made for either would be accepted before it."""
    hits = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]

    def watch():
        while True:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(30)
                try:
                    first = conn.recv(100)
                except OSError:
                    first = b"(connected)"
            if first == b"LAST":
                return
            hits.append(first)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    r = httpx.get(f"{live}/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 403 and "SERVICE is disabled" in r.json()["detail"]
    r = update(live, f"LOAD <http://127.0.0.1:{port}/data.ttl>")
    assert r.status_code == 403 and "LOAD is disabled" in r.json()["detail"]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as last:
        last.sendall(b"LAST")
        t.join(60)
    listener.close()
    assert not t.is_alive() and hits == []


def test_limits(live):
    r = httpx.get(f"{live}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "more than 5,000 rows" in r.json()["detail"]
    r = httpx.post(f"{live}/sparql", content=b"x" * 2_100_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_headers_and_cors(live):
    r = httpx.get(f"{live}/healthz", headers={"Origin": "http://elsewhere.example"})
    assert r.json()["status"] == "ok" and r.json()["triples"] > 7000
    assert "access-control-allow-origin" not in r.headers
    assert "server" not in r.headers
    page = httpx.get(f"{live}/")
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_query_ui_is_served_offline(live):
    page = httpx.get(f"{live}/")
    assert page.status_code == 200
    import re

    external = re.findall(r"(?:src|href)=['\"](https?:)?//", page.text)
    assert external == []
    assert "/ui/yasgui.min.js" in page.text and "/static/ui.js" in page.text
    js = httpx.get(f"{live}/ui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert httpx.get(f"{live}/ui/yasgui.min.css").status_code == 200
    assert httpx.get(f"{live}/static/ui.js").status_code == 200
    text = httpx.get(f"{live}/api/queries/coownership-domain/text")
    assert text.headers["content-type"].startswith("application/sparql-query") and "VALUES ?domain" in text.text


def test_resource_pages(live):
    iri = "https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023/domain/2/clause/1"
    html = httpx.get(f"{live}/id/liupanshui-sti-2021-2023/domain/2/clause/1", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "<mark>围绕煤气化、煤焦化及煤化工产品精深加工等方向" in html.text
    assert "lps:responsibleUnit" in html.text and "[1745–1961]" in html.text
    ttl = httpx.get(f"{live}/resource", params={"iri": iri}, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=ttl.content, format="turtle")) > 5
    jsonld = httpx.get(f"{live}/resource", params={"iri": iri}, headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and json.loads(jsonld.content)
    unit = httpx.get(f"{live}/id/org/liupanshui/science-technology-bureau")
    assert "六盘水市科学技术局" in unit.text and "Liupanshui Municipal Bureau of Science and Technology" in unit.text
    assert httpx.get(f"{live}/resource", params={"iri": "http://example.org/none"}).status_code == 404


def test_named_question_api(live):
    catalogue = httpx.get(f"{live}/api/queries").json()
    assert len(catalogue) >= 15 and {"name", "title", "description", "params"} <= set(catalogue[0])
    r = httpx.get(f"{live}/api/queries/shared-clauses", params={"a": "市科技局", "b": "市能源局", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv") and len(r.text.splitlines()) == 12
    assert httpx.get(f"{live}/api/queries/nope").status_code == 404
    r = httpx.get(f"{live}/api/queries/coownership-pairs", params={"task": "three"})
    assert r.status_code == 400 and "whole number" in r.json()["detail"]
    r = httpx.get(f"{live}/api/queries/coownership-pairs", params={"color": "red"})
    assert r.status_code == 400 and "unknown parameter" in r.json()["detail"]


def test_updates_are_off_without_a_token(plan_dir, tmp_path):
    import shutil

    shutil.copy(plan_dir / "plan.ttl", tmp_path / "plan.ttl")
    with lpsplan_server(tmp_path, LPSPLAN_WORKERS="1") as base:
        r = update(base, 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }', headers=AUTH)
        assert r.status_code == 403 and "disabled" in r.json()["detail"]
        sd = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"}).text
        assert "SPARQL11Update" not in sd


def test_committed_updates_survive_a_restart(plan_dir, tmp_path):
    import shutil

    shutil.copy(plan_dir / "plan.ttl", tmp_path / "plan.ttl")
    note = 'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n> <http://example.org/p> "持久" } }'
    with lpsplan_server(tmp_path, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_WORKERS="1") as base:
        assert update(base, note).status_code == 204
    with lpsplan_server(tmp_path, LPSPLAN_WORKERS="1") as base:
        r = httpx.get(f"{base}/sparql", params={"query": 'ASK { GRAPH ?g { ?s ?p "持久" } }'}, headers={"Accept": "application/sparql-results+json"})
        assert r.json()["boolean"] is True


def test_cached_answers_never_outlive_a_write(live):
    ask = 'ASK { GRAPH <http://example.org/cache> { ?s ?p "新" } }'

    def answer():
        return httpx.get(f"{live}/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"}).json()["boolean"]

    assert answer() is False and answer() is False  # the second one comes from the cache
    assert update(live, 'INSERT DATA { GRAPH <http://example.org/cache> { <http://example.org/x> <http://example.org/p> "新" } }').status_code == 204
    assert answer() is True
    assert httpx.delete(f"{live}/store", params={"graph": "http://example.org/cache"}, headers=AUTH).status_code == 204
    assert answer() is False
