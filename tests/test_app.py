"""The app factory in process: CORS when configured, the error handler's shapes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from lpsplan.api.app import create_app
from lpsplan.sparql.backend import Limits
from lpsplan.sparql.embedded import EmbeddedBackend


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    store = ox.Store()
    store.load('<http://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "样例"@zh .'.encode(), format=ox.RdfFormat.N_TRIPLES)
    b = EmbeddedBackend(store, None, Limits(timeout=5), workers=1, snapshot_path=tmp_path_factory.mktemp("app") / "store.nq")
    yield b
    b.close()


def test_cors_only_for_configured_origins(settings, backend):
    app = create_app(settings.with_(cors_origins="https://research.example"), backend)
    with TestClient(app) as client:
        ok = client.get("/healthz", headers={"Origin": "https://research.example"})
        assert ok.headers["access-control-allow-origin"] == "https://research.example"
        other = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        pre = client.options("/sparql", headers={"Origin": "https://research.example", "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 200


def test_error_shapes(settings, backend):
    with TestClient(create_app(settings, backend)) as client:
        r = client.put("/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 405 and r.json()["status"] == 405 and r.json()["error"] == "method not allowed"
        r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
        assert r.status_code == 415 and "application/sparql-query" in r.json()["detail"]
        r = client.get("/nowhere", headers={"Accept": "text/html"})
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        r = client.get("/resource")
        assert r.status_code == 400 and "iri" in r.json()["detail"]
        # an operation in both the URL and the body of a POST: before, the URL's was passed over without a word
        for path, media, body in [("/sparql", "application/sparql-query", "ASK {}"), ("/sparql", "application/x-www-form-urlencoded", "query=ASK%20%7B%7D"),
                                  ("/update", "application/sparql-update", "INSERT DATA {}")]:
            for name in ("query", "update"):
                r = client.post(path, params={name: "ASK { ?s ?p ?o }"}, content=body.encode(), headers={"Content-Type": media})
                assert r.status_code == 400 and f"its {name} in the body, not in the URL" in r.json()["detail"]
        r = client.get("/sparql", params={"query": 'SELECT ?l WHERE { ?s ?p ?l }'}, headers={"Accept": "text/tab-separated-values"})
        assert r.text == '?l\n"样例"@zh\n'


def test_a_cached_answer_sent_before_routing_is_the_routed_response(settings, backend):
    """GET /sparql?query=… with its answer cached is answered by the CachedAnswers middleware without routing;
    the response must be the one the route sends, and CORS requests still go through CORS."""
    query = "SELECT ?l WHERE { ?s ?p ?l } # fast path"
    with TestClient(create_app(settings, backend)) as client:
        client.app.state.link_warming.join(300)  # the linker's own queries, at start, also use the cache
        for accept in ("application/sparql-results+json", "text/csv"):
            hits = backend.cache.hits
            routed = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            fast = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            assert backend.cache.hits == hits + 1
            assert fast.status_code == routed.status_code == 200 and fast.content == routed.content
            assert {k: v for k, v in fast.headers.items() if k != "date"} == {k: v for k, v in routed.headers.items() if k != "date"}
        assert 'lpsplan_requests_total{method="GET",route="/sparql",status="200"} 4.0' in client.get("/metrics").text  # routed or not
    with TestClient(create_app(settings.with_(cors_origins="https://research.example"), backend)) as client:
        cors = client.get("/sparql", params={"query": query}, headers={"Origin": "https://research.example"})
        assert cors.headers["access-control-allow-origin"] == "https://research.example" and "Origin" in cors.headers["vary"]


def test_a_repeated_request_is_answered_with_the_same_messages_until_a_write(settings, backend, tmp_path):
    """The answer cache keeps how a cached answer was sent and resends it for the same request:
    byte for byte the first response; another Accept is another answer; a write starts afresh."""
    store = ox.Store()
    store.load('<http://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "样例"@zh .'.encode(), format=ox.RdfFormat.N_TRIPLES)
    own = EmbeddedBackend(store, None, Limits(timeout=5), workers=1, snapshot_path=tmp_path / "store.nq")
    query = "SELECT ?l WHERE { ?s ?p ?l } ORDER BY ?l"
    try:
        with TestClient(create_app(settings, own)) as client:
            client.app.state.link_warming.join(300)  # the linker's own queries, at start, also use the cache

            def get(accept="text/csv"):
                return client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            first, second = get(), get()  # the second is the answer cache's; it is kept
            hits, replayed = own.cache.hits, own.cache.replayed
            third = get()
            assert own.cache.hits == hits and own.cache.replayed == replayed + 1  # resent: no request parsed, no answer looked up
            for r in (second, third):
                assert r.content == first.content and r.headers.get("vary") == "Accept"
                assert {k: v for k, v in r.headers.items() if k != "date"} == {k: v for k, v in first.headers.items() if k != "date"}
            assert get("application/sparql-results+json").headers["content-type"].startswith("application/sparql-results+json")
            assert get().text == "l\r\n样例\r\n"
            own.update('INSERT DATA { <http://example.org/t> <http://www.w3.org/2000/01/rdf-schema#label> "新的" }')
            assert get().text == "l\r\n新的\r\n样例\r\n"
            assert 'route="/sparql",status="200"} 6.0' in client.get("/metrics").text
    finally:
        own.close()


# five lists of 60 values: 60⁵ rows to count, on any store; it runs until it is stopped
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?{v} {{ {' '.join(str(i) for i in range(60))} }}" for v in "abcde") + " }"


def test_the_worker_metrics_say_what_the_workers_do(tmp_path):
    """lpsplan_worker_queries counts the query while a worker evaluates it; once the worker is killed
    with it at the timeout, the gauge is back to 0 and lpsplan_worker_kills_total has counted it."""
    import threading

    from lpsplan.api.metrics import Metrics
    from lpsplan.sparql.errors import QueryTimeout

    own = EmbeddedBackend(ox.Store(), None, Limits(timeout=2), workers=1, snapshot_path=tmp_path / "store.nq")
    metrics = Metrics(own)

    def read(name: str) -> float:
        return next(float(line.split()[1]) for line in metrics.render().decode().splitlines() if line.startswith(name + " "))

    stopped = []

    def endless():
        try:
            own.query(ENDLESS, adhoc=True)
        except QueryTimeout as exc:
            stopped.append(str(exc))

    try:
        assert (read("lpsplan_worker_queries"), read("lpsplan_worker_kills_total")) == (0, 0)
        runner = threading.Thread(target=endless)
        runner.start()
        seen = set()
        while runner.is_alive():
            seen.add(read("lpsplan_worker_queries"))
            runner.join(0.02)
        runner.join()
        assert stopped == ["the query ran longer than 2 s and was stopped"] and 1 in seen
        assert (read("lpsplan_worker_queries"), read("lpsplan_worker_kills_total")) == (0, 1)
    finally:
        own.close()


def test_numbers_a_hostile_client_writes_are_refused_not_failed_on(settings, backend):
    """Digits str.isdigit takes but int() refuses (①, ², a number of more than 4,300 digits), in a view's task
    and in Content-Length: a 400 or 413 with a message, never a 500."""
    with TestClient(create_app(settings, backend), raise_server_exceptions=False) as client:
        for task in ("\u2460", "\u00b2", "9" * 5000, "x", "0"):
            r = client.get("/viz/coownership", params={"task": task})
            assert r.status_code == 400 and "task must be a task's number" in r.json()["detail"], (task[:5], r.text[:200])
        r = client.post("/sparql", content=b"ASK {}", headers={"Content-Length": "9" * 5000, "Content-Type": "application/sparql-query"})
        assert r.status_code == 413 and "5,000-digit number of bytes" in r.json()["detail"]


def test_a_client_linking_batch_after_batch_gets_its_share_and_then_429(settings, backend):
    """Link requests hold the encoder's cores: a client with LPSPLAN_CLIENT_QUERIES of them being linked is
    refused at once (429, Retry-After) on the API and the page, before any title is linked; other clients are not."""
    app = create_app(settings.with_(client_queries=2), backend)
    shares = app.state.link_shares
    with TestClient(app) as client, shares.hold("testclient"), shares.hold("testclient"):
        r = client.post("/api/link", json={"titles": ["煤矿智能化开采"], "method": "bm25"})
        assert r.status_code == 429 and r.headers["retry-after"] == "1" and "LPSPLAN_CLIENT_QUERIES = 2" in r.json()["detail"]
        assert client.get("/link", params={"title": "煤矿智能化开采"}).status_code == 429
        with shares.hold("another client"):
            pass
    with shares.hold("testclient"), shares.hold("testclient"):  # both shares were given back
        pass
    unlimited = create_app(settings.with_(client_queries=0), backend).state.link_shares
    with unlimited.hold("testclient"), unlimited.hold("testclient"), unlimited.hold("testclient"):
        pass


def test_behind_the_documented_proxy_a_client_cannot_name_itself(settings, backend):
    """A client's share is counted by the address uvicorn takes from a proxy on this machine's `X-Forwarded-For`.  The
    nginx block of docs/service.md set no `X-Forwarded-For`, so nginx passed on whatever the client sent: a client naming
    a new address on every request got a new share each time (and clients that sent none all shared the proxy's one).
    With `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` nginx appends the address it saw, and the share
    is that address's, whatever the client wrote before it."""
    from pathlib import Path

    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    nginx = (Path(__file__).resolve().parent.parent / "docs" / "service.md").read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    app = create_app(settings.with_(client_queries=2), backend)
    shares = app.state.link_shares
    proxied = ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")  # as uvicorn serves the app (its default)
    with TestClient(proxied, client=("127.0.0.1", 40000)) as client, shares.hold("203.0.113.9"), shares.hold("203.0.113.9"):
        for spoofed in ("198.51.100.1", "198.51.100.2, 198.51.100.3", "unknown"):
            r = client.get("/link", params={"title": "煤矿智能化开采"},
                           headers={"X-Forwarded-For": f"{spoofed}, 203.0.113.9"})  # what the client sent, then nginx's
            assert r.status_code == 429, (spoofed, r.status_code)
