"""Hostile and careless input against a live `lpsplan serve`: limits, runaway queries,
concurrent writers and the headers every page carries.  See docs/reliability.md."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from server import TOKEN, lpsplan_server, metric

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
MAX_BODY = 200_000
MAX_QUERY = 20_000

# Three kinds of runaway query: a cartesian product, a regex over every literal of a
# product, and a deep property path over every pair of nodes.
RUNAWAYS = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "regex": 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?l . ?c ?d ?m . FILTER(REGEX(CONCAT(STR(?l), STR(?m)), "(a|b|c)*z$")) }',
    "property path": "SELECT (COUNT(*) AS ?n) WHERE { ?x (!<urn:x>|^!<urn:x>)* ?y . ?y ?p ?z }",
}


def plan_folder(tmp_path_factory, built):
    """A build folder of its own: each service holds its store's lock."""
    from lpsplan.build import write_graph

    folder = tmp_path_factory.mktemp("hardening")
    write_graph(built.graph, folder / "plan.ttl")
    return folder


@pytest.fixture(scope="module")
def live(tmp_path_factory, built):
    # a query timeout long enough that no answer a test here waits for is cut short on a busy machine
    with lpsplan_server(plan_folder(tmp_path_factory, built), LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_TIMEOUT="60", LPSPLAN_MAX_ROWS="5000",
                        LPSPLAN_MAX_BODY=str(MAX_BODY), LPSPLAN_MAX_QUERY=str(MAX_QUERY), LPSPLAN_WORKERS="2") as base:
        yield base


@pytest.fixture(scope="module")
def short_timeout(tmp_path_factory, built):
    """The service with a 2-second query timeout, for the runaway queries (each runs until stopped)."""
    with lpsplan_server(plan_folder(tmp_path_factory, built), LPSPLAN_TIMEOUT="2", LPSPLAN_WORKERS="2") as base:
        yield base


def count(base: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    r = httpx.get(f"{base}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"}, headers=JSON)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# ------------------------------------------------------------------ limits

def test_body_size_with_and_without_a_stated_length(live):
    big = b"<http://example.org/s> <http://example.org/p> " + b'"' + b"x" * MAX_BODY + b'" .\n'
    r = httpx.put(f"{live}/store", params={"graph": "http://example.org/big"}, content=big,
                  headers={"Content-Type": "application/n-triples", **AUTH})
    assert r.status_code == 413 and f"{MAX_BODY:,}" in r.json()["detail"]

    def chunks():  # no Content-Length: sent chunked, refused once past the limit
        for _ in range(10):
            yield b"#" * (MAX_BODY // 4) + b"\n"

    for url, headers in ((f"{live}/store?graph=http://example.org/big", {"Content-Type": "application/n-triples", **AUTH}),
                         (f"{live}/api/link", {"Content-Type": "application/json"}),
                         (f"{live}/sparql", {"Content-Type": "application/sparql-query"})):
        r = httpx.post(url, content=chunks(), headers=headers)
        assert r.status_code == 413, url
    assert count(live, "http://example.org/big") == 0


def test_query_length(live):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY
    r = httpx.get(f"{live}/sparql", params={"query": long_query})
    assert r.status_code == 414 and "by POST" in r.json()["detail"]
    r = httpx.post(f"{live}/sparql", content=long_query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "LPSPLAN_MAX_QUERY" in r.json()["detail"]
    r = httpx.post(f"{live}/update", content=("#" + "x" * MAX_QUERY).encode(), headers={"Content-Type": "application/sparql-update", **AUTH})
    assert r.status_code == 413


def test_result_rows_and_link_batch(live):
    r = httpx.get(f"{live}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=JSON)
    assert r.status_code == 400 and "5,000 rows" in r.json()["detail"]
    r = httpx.post(f"{live}/api/link", json={"titles": ["煤化工"] * 1001})
    assert r.status_code == 400 and "1000" in r.json()["detail"]
    r = httpx.post(f"{live}/api/link", json={"titles": []})
    assert r.status_code == 400


def test_malformed_graph_iris_are_400(live):
    r = httpx.get(f"{live}/sparql", params={"query": "ASK {}", "named-graph-uri": ""}, headers=JSON)
    assert r.status_code == 400 and "not an absolute IRI" in r.json()["detail"]
    r = httpx.get(f"{live}/store/%3Cx%3E")
    assert r.status_code == 400
    r = httpx.get(f"{live}/resource", params={"iri": "http://example.org/a> } ; DROP ALL ; #"})
    assert r.status_code == 400
    r = httpx.get(f"{live}/sparql", params={"query": "ASK {}"}, headers=JSON)
    assert r.json()["boolean"] is True  # and every worker is still there


# ------------------------------------------------------------------ runaway queries

@pytest.mark.parametrize("kind", list(RUNAWAYS))
def test_each_runaway_kind_is_stopped_at_the_timeout(short_timeout, kind):
    """Each kind is evaluated in a query worker and killed there at LPSPLAN_TIMEOUT (2 s here): the
    answer says so (not a busy server's "no query worker became free"), the timeout is counted, the
    killed query holds no worker, and the next question is answered."""
    base = short_timeout
    before = [metric(base, name) for name in ("lpsplan_query_timeouts_total", "lpsplan_worker_kills_total")]
    r = httpx.get(f"{base}/sparql", params={"query": RUNAWAYS[kind]}, headers=JSON, timeout=60)  # a hang fails, not hangs
    assert r.status_code == 503 and r.json()["error"] == "query timeout", r.text
    assert r.json()["detail"] == "the query ran longer than 2 s and was stopped"
    after = [metric(base, name) for name in ("lpsplan_query_timeouts_total", "lpsplan_worker_kills_total")]
    assert after == [before[0] + 1, before[1] + 1]  # counted, and its worker killed with it
    assert metric(base, "lpsplan_worker_queries") == 0
    r = httpx.get(f"{base}/api/queries/unit-load", params={"format": "rows"})
    assert r.status_code == 200 and r.json()[0]["unit"] == "六盘水市科学技术局"


# ------------------------------------------------------------------ writes

def test_concurrent_writers_never_interleave(live):
    """Eight writers, each inserting 50-triple batches (named graphs and the default graph),
    while a reader checks that no graph is ever seen half-written."""
    batches = [(w, b) for w in range(8) for b in range(3)]
    stop = threading.Event()
    partial = []

    def read():
        q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://example.org/batch> ?o } } GROUP BY ?g"
        while not stop.is_set():
            r = httpx.get(f"{live}/sparql", params={"query": q}, headers=JSON, timeout=30)
            partial.extend(b for b in r.json()["results"]["bindings"] if b["n"]["value"] != "50")
            r = httpx.get(f"{live}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/batch> ?o }"},
                          headers=JSON, timeout=30)
            n = int(r.json()["results"]["bindings"][0]["n"]["value"])
            if n % 50:
                partial.append(n)

    def write(batch):
        w, b = batch
        triples = " ".join(f'<http://example.org/w{w}/b{b}/t{i}> <http://example.org/batch> "{i}" .' for i in range(50))
        body = f"INSERT DATA {{ GRAPH <http://example.org/w{w}/b{b}> {{ {triples} }} }}" if b < 2 else f"INSERT DATA {{ {triples} }}"
        return httpx.post(f"{live}/update", content=body.encode(), headers={"Content-Type": "application/sparql-update", **AUTH},
                          timeout=120).status_code

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(write, batches))
    stop.set()
    reader.join()
    assert statuses == [204] * len(batches)
    assert partial == []
    for w in range(8):
        for b in range(2):
            assert count(live, f"http://example.org/w{w}/b{b}") == 50
    r = httpx.get(f"{live}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/batch> ?o }"}, headers=JSON)
    assert r.json()["results"]["bindings"][0]["n"]["value"] == str(8 * 50)


# ------------------------------------------------------------------ headers

HTML_PAGES = ["/", "/queries", "/viz", "/viz/coownership", "/viz/tree", "/link", "/no-such-page",
              "/id/liupanshui-sti-2021-2023", "/sparql?query=SELECT%20*%20WHERE%20%7B"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_carry_security_headers_and_load_nothing_from_elsewhere(live, path):
    r = httpx.get(f"{live}{path}", headers={"Accept": "text/html", "Origin": "http://elsewhere.example"}, follow_redirects=True)
    assert r.headers["content-type"].startswith("text/html"), path
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0] if "script-src" in csp else True
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "server" not in r.headers and "x-powered-by" not in r.headers
    assert "access-control-allow-origin" not in r.headers
    # every script and stylesheet comes from this server (no scheme, no //host)
    for url in re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"']+)""", r.text):
        assert not re.match(r"^(?:[a-z]+:)?//", url), (path, url)


@pytest.mark.parametrize("path", ["/", "/viz/tree", "/api/network/coownership?format=csv", "/sparql?query=ASK%7B%7D",
                                  "/healthz", "/no-such-page", "/viz/tree?domain=nowhere"])
def test_head_is_a_get_without_its_body(live, path):
    """HEAD where no route answers it itself: the status and headers a GET gets, and no body (not a 405)."""
    head, get = httpx.head(f"{live}{path}"), httpx.get(f"{live}{path}")
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if "content-length" in head.headers and not path.startswith("/sparql"):
        assert int(head.headers["content-length"]) == len(get.content)
    assert httpx.head(f"{live}/update").status_code == 405  # a route of POST only stays so


def test_the_tree_view_refuses_filters_it_would_not_apply(live):
    """The tree is the whole plan: a domain, task or plan given to it is a 400 naming the views that take one,
    as /api/network answers an unknown domain, never a page that silently ignores it."""
    for query in ("domain=nowhere", "domain=%E7%85%A4%E5%8C%96%E5%B7%A5", "task=1", "plan=other"):
        r = httpx.get(f"{live}/viz/tree?{query}")
        assert r.status_code == 400 and "tree view" in r.text, query
    assert httpx.get(f"{live}/viz/tree?lang=en").status_code == 200


def test_an_error_quotes_a_long_bad_value_in_part(live):
    """A bad value of 15,000 characters (the URL cap is 20,000 here) is named by its start, not sent back whole."""
    unit = "x" * 15_000
    r = httpx.get(f"{live}/viz/ego", params={"unit": unit})
    assert r.status_code == 400 and "more characters)" in r.json()["detail"]
    assert len(r.content) < 5_000
    page = httpx.get(f"{live}/viz/ego", params={"unit": unit}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and len(page.content) < 12_000


def test_cors_only_for_configured_origins(built, tmp_path):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    with lpsplan_server(tmp_path, LPSPLAN_CORS_ORIGINS="https://research.example", LPSPLAN_WORKERS="1") as base:
        r = httpx.get(f"{base}/healthz", headers={"Origin": "https://research.example"})
        assert r.headers["access-control-allow-origin"] == "https://research.example"
        r = httpx.get(f"{base}/healthz", headers={"Origin": "http://elsewhere.example"})
        assert "access-control-allow-origin" not in r.headers
