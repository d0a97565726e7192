"""API fuzzing: schemathesis generates requests for every operation of the service's
own OpenAPI description and checks every response against it.

Against a real `lpsplan serve` (worker processes, timeouts and the body cap are the
real ones), once without credentials and once with the update token, so the write
operations are exercised too.  What must hold: no response is a server error
(≥ 500), and every status, content type and JSON body is one the description
promises.  The operations are driven with Hypothesis directly (schemathesis's
pytest plugin does not yet run under pytest 9).
"""

from __future__ import annotations

import collections

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Flaky
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server import TOKEN, lpsplan_server

pytestmark = pytest.mark.fuzz

# What the description promises.  Not checked: "schema-valid data is accepted" — a string
# that fits the schema is rarely a valid SPARQL query or RDF document, and a 400 is right.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]

EXAMPLES = 30  # per operation and credential; the service has 23 operations


@pytest.fixture(scope="module")
def api(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("fuzz")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_TIMEOUT="5", LPSPLAN_MAX_ROWS="5000") as base:
        yield base, schemathesis.openapi.from_url(f"{base}/openapi.json")


def fuzz(base: str, schema, headers: dict) -> collections.Counter:
    seen: collections.Counter = collections.Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def check(case):
            response = case.call(base_url=base, headers=headers, timeout=30)
            seen[response.status_code] += 1
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            case.validate_response(response, checks=CHECKS)

        check()
    return seen


@pytest.mark.parametrize("credentials", ["none", "token"])
def test_every_operation_answers_as_described(api, credentials):
    base, schema = api
    seen = fuzz(base, schema, {"Authorization": f"Bearer {TOKEN}"} if credentials == "token" else {})
    print(f"fuzz ({credentials}): {sum(seen.values())} requests, statuses {dict(sorted(seen.items()))}")
    assert sum(seen.values()) >= 23 * 5
    assert all(status < 500 for status in seen)


# ------------------------------------------------------------------ stateful: the Graph Store

GRAPHS = ["http://example.org/fuzz/a", "http://example.org/fuzz/b", "urn:lpsplan:fuzz:c"]
BODIES = [
    "",
    '<http://example.org/s> <http://example.org/p> "o" .\n',
    '<http://example.org/s> <http://example.org/p> "样例"@zh .\n<http://example.org/s> <http://example.org/q> <http://example.org/o> .\n',
    "_:b <http://example.org/p> 1 .\n",
    # a Target with nothing a Target needs: refused by the SHACL gate (422), nothing written
    "<http://example.org/t> a <https://w3id.org/lpsplan/ontology#Target> .\n",
    "<http://example.org/s> <http://example.org/p> ",  # broken: 400, nothing written
]
STEPS = 6
SCENARIOS = 15
SUITES = 10


def fetch(url: str):
    """(status, graph) of a Graph Store GET, the graph parsed with rdflib for comparison."""
    import httpx
    from rdflib import Graph

    r = httpx.get(url, headers={"Accept": "application/n-triples", **AUTH}, timeout=30)
    graph = Graph()
    if r.status_code == 200 and r.content.strip():
        graph.parse(data=r.content, format="nt")
    return r.status_code, graph


def parsed(body: bytes | str | None, media: str):
    """The graph a write sent, read by the parser the service uses (pyoxigraph), for comparison with rdflib."""
    import pyoxigraph as ox
    from lpsplan.sparql.formats import RDF_TYPES
    from rdflib import Graph

    data = body.encode() if isinstance(body, str) else (body or b"")
    triples = list(ox.parse(data, format=RDF_TYPES[media.split(";")[0].strip()])) if data.strip() else []
    graph = Graph()
    if triples:
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def small_api(tmp_path_factory, mini):
    """A service over the small sample plan: every write passes the SHACL gate, so a small default graph
    keeps sequences quick."""
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("fuzz-stateful")
    write_graph(mini.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_TIMEOUT="5") as base:
        yield base


def test_graph_store_sequences_follow_the_links_and_keep_the_store_consistent(small_api):
    """schemathesis follows the OpenAPI links between Graph Store operations (PUT then GET, POST, DELETE
    on the same graph; POST /store then GET its Location), drawing graph IRIs and bodies from small pools
    so that sequences meet the same graphs.  Besides the checks above, after every write the graph is read
    back: a 2xx PUT holds exactly the body, a 2xx POST contains it, a DELETE leaves 404 (the default graph:
    empty), and a refused write (4xx) leaves the graph exactly as it was before.  Every scenario starts from
    the same store (the graphs it may meet are deleted first), as Hypothesis requires of a replay; the
    default graph is left to the stateless test above."""
    import httpx
    from hypothesis import strategies as st
    from rdflib.compare import isomorphic
    from schemathesis.checks import ensure_resource_availability, use_after_free
    from schemathesis.specs.openapi import unregister_string_format

    base = small_api
    schemathesis.openapi.format("iri", st.sampled_from(GRAPHS) | st.text(max_size=12))
    for media in ("text/turtle", "application/n-triples"):
        schemathesis.openapi.media_type(media, st.sampled_from([b.encode() for b in BODIES]))
    seen: collections.Counter = collections.Counter()
    scenarios, flaky = [0], [0]
    followed: collections.Counter = collections.Counter()
    try:
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json").include(path_regex="^/store")

        @schema.hook
        def map_query(ctx, query):
            if query:
                query.pop("default", None)
            return query

        written: set[str] = {f"{base}/store?graph={graph}" for graph in GRAPHS}  # Graph Store URLs a scenario wrote to

        class GraphStore(schema.as_state_machine()):
            def setup(self):
                scenarios[0] += 1
                for url in sorted(written):
                    httpx.delete(url, headers=AUTH, timeout=30)

            def get_call_kwargs(self, case):
                return {"base_url": base, "headers": AUTH, "timeout": 30}

            def before_call(self, case):
                self._before = fetch(self._url(case)) if case.method != "GET" and self._url(case) else None

            def _url(self, case) -> str | None:
                if case.method == "POST" and case.path == "/store" and not case.query:
                    return None  # creates a new graph: read back from Location
                return case.as_transport_kwargs(base_url=base)["url"] + _query_string(case)

            def validate_response(self, response, case, additional_checks=None, **kwargs):
                seen[(case.method, response.status_code)] += 1
                parent = self.recorder.find_parent(case_id=case.id)
                if parent is not None:  # this step followed a link from an earlier one
                    followed[f"{parent.method} → {case.method}"] += 1
                case.validate_response(response, checks=CHECKS + [use_after_free, ensure_resource_availability],
                                       recorder=self.recorder)
                if case.method == "GET":
                    return
                url = self._url(case) or response.headers.get("location", [None])[0]
                if url is None:
                    return
                url = url if self._url(case) else f"{base}/store?graph={url}"
                written.add(url)
                status, after = fetch(url)
                label = f"{case.method} {url} → {response.status_code}"
                if 200 <= response.status_code < 300:
                    if case.method == "DELETE":
                        assert status == 404 or ("default" in url and len(after) == 0), label
                    else:
                        sent = parsed(response.request.body, response.request.headers["content-type"])
                        assert status == 200, label
                        if case.method == "PUT":
                            assert isomorphic(after, sent), label
                        else:
                            assert len(after) >= len(sent), label
                elif self._before is not None:
                    before_status, before = self._before
                    assert status == before_status and isomorphic(before, after), f"{label}: the store changed"

        # As schemathesis's own runner does: a live server's answers can steer a replayed scenario down
        # another path, which Hypothesis reports as Flaky; then start another suite with the next seed.
        for suite in range(SUITES):
            try:
                hypothesis.seed(suite)(GraphStore).run(settings=settings(
                    max_examples=SCENARIOS, stateful_step_count=STEPS, deadline=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck), database=None))
            except Flaky:
                flaky[0] += 1
            if scenarios[0] >= SCENARIOS:
                break
    finally:
        unregister_string_format("iri")
    writes = {k: v for k, v in seen.items() if k[0] != "GET"}
    print(f"stateful: {scenarios[0]} scenarios ({flaky[0]} suites cut short as Flaky), {sum(seen.values())} calls, "
          f"{dict(sorted(seen.items()))}; links followed {dict(sorted(followed.items()))}")
    assert scenarios[0] >= SCENARIOS // 2 and sum(followed.values()) >= SCENARIOS
    assert any(200 <= status < 300 for (method, status) in writes), "no write succeeded: the sequences tested nothing"
    assert any(status == 422 for (_, status) in writes) and any(method == "GET" and status == 200 for (method, status) in seen)


def _query_string(case) -> str:
    from urllib.parse import urlencode

    return ("?" + urlencode(case.query, doseq=True)) if case.query else ""
