"""The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description test
manifests (tests/w3c/, copied from w3c/rdf-tests; see SOURCE.txt), run against a
live `lpsplan serve`.

Every request gets the server's bearer token: the manifests predate
authentication, and the token is checked separately in test_service.py.  Each
manifest runs on a fresh server, because its tests clear and replace graphs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from server import TOKEN, lpsplan_server

pytestmark = pytest.mark.slow

W3C = Path(__file__).parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
# Tests that cannot apply here, with the reason.  Keep this list empty unless a feature is refused on purpose.
NOT_APPLICABLE: dict[str, str] = {}


def manifest_tests(path: Path) -> list[tuple[str, Graph, object]]:
    g = Graph().parse(path, format="turtle")
    tests = []
    for manifest in g.subjects(RDF.type, MF.Manifest):
        entries = g.value(manifest, MF.entries)
        if entries is not None:
            tests += [(str(t).rsplit("#", 1)[-1], g, t) for t in Collection(g, entries)]
        includes = g.value(manifest, MF.include)
        if includes is not None:
            for inc in Collection(g, includes):
                tests += manifest_tests(path.parent / Path(str(inc)).name)
    return tests


def requests_of(g: Graph, test) -> list:
    action = g.value(test, MF.action)
    return list(Collection(g, g.value(action, HT.requests)))


def expected_statuses(g: Graph, resp) -> list[tuple[int, int]]:
    ranges = []
    for s in g.objects(resp, MF.expectedStatus):
        name = str(s).rsplit("#", 1)[-1]
        m = re.match(r"StatusCode(\d)xx", name)
        if m:
            ranges.append((int(m.group(1)) * 100, int(m.group(1)) * 100 + 99))
        else:
            code = STATUS[name]
            ranges.append((code, code))
    return ranges


def send(client: httpx.Client, base: str, g: Graph, req, prefix: str, variables: dict[str, str]) -> httpx.Response:
    path = str(g.value(req, HT.absolutePath))
    for k, v in variables.items():
        path = path.replace(k, v)
    path = re.sub(rf"^{prefix}/?", "", path)
    path = ("/sparql" if prefix == "/sparql" else "/store") + ("/" + path if path and not path.startswith("?") else path)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    header_list = g.value(req, HT.headers)
    if header_list is not None:
        for h in Collection(g, header_list):
            headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
    body = g.value(req, HT.body)
    content = None
    if body is not None:
        text = str(g.value(body, CNT.chars))
        for k, v in variables.items():
            text = text.replace(k, v)
        charset = str(g.value(body, CNT.characterEncoding) or "UTF-8")
        content = text.encode("utf-16" if charset.upper() == "UTF-16" else "utf-8")
    return client.request(str(g.value(req, HT.methodName)), base + path, headers=headers, content=content)


def check(g: Graph, resp_spec, response: httpx.Response, name: str) -> None:
    ranges = expected_statuses(g, resp_spec)
    if ranges:
        assert any(lo <= response.status_code <= hi for lo, hi in ranges), f"{name}: status {response.status_code}: {response.text[:300]}"
    media = response.headers.get("content-type", "").split(";")[0].strip()
    fmt = g.value(resp_spec, MF.expectedFormat)
    if fmt is not None:
        if str(fmt) == "boolean":
            assert media in ("application/sparql-results+json", "application/sparql-results+xml"), media
        elif str(fmt) == "tabular":
            assert media in RESULT_TYPES, media
        else:
            assert media in RDF_TYPES, media
            Graph().parse(data=response.content, format=RDF_TYPES[media])
    boolean = g.value(resp_spec, MF.expectedBoolean)
    if boolean is not None:
        got = json.loads(response.content)["boolean"] if "json" in media else "<boolean>true</boolean>" in response.text
        assert got is bool(boolean.toPython()), f"{name}: expected {boolean}"
    for h in Collection(g, g.value(resp_spec, HT.headers)) if g.value(resp_spec, HT.headers) is not None else []:
        if str(g.value(h, HT.fieldName)).lower() == "content-type" and response.request.method != "HEAD":
            assert media == str(g.value(h, HT.fieldValue)).split(";")[0].strip()
    body = g.value(resp_spec, HT.body)
    if body is not None:
        expected = Graph().parse(data=str(g.value(body, CNT.chars)), format="turtle")
        assert isomorphic(Graph().parse(data=response.content, format=RDF_TYPES[media]), expected), f"{name}: graph differs"


def run_test(base: str, g: Graph, test, prefix: str) -> None:
    name = str(g.value(test, MF.name))
    with httpx.Client(timeout=30) as client:
        # each test starts from an empty store, as the manifests assume
        reset = client.post(f"{base}/update", content="DROP ALL", headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert reset.status_code == 204, reset.text
        for data in g.objects(test, UT.graphData):  # graphs the test expects to exist
            graph_name = str(g.value(data, RDFS.label))
            body = (W3C / "protocol" / Path(str(g.value(data, UT.graph))).name).read_bytes()
            r = client.put(f"{base}/store", params={"graph": graph_name}, content=body,
                           headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})
            assert r.status_code in (201, 204), r.text
        variables: dict[str, str] = {}
        for req in requests_of(g, test):
            response = send(client, base, g, req, prefix, variables)
            spec = g.value(req, HT.resp)
            check(g, spec, response, name)
            location = g.value(spec, MF.expectedLocation)
            if location is not None:
                variables[str(location)] = response.headers["location"]


PROTOCOL = manifest_tests(W3C / "protocol" / "manifest.ttl")
GSP = manifest_tests(W3C / "graph-store-protocol" / "manifest.ttl")


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("w3c")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_WORKERS="1") as base:
        yield base


def test_manifests_are_complete():
    assert len(PROTOCOL) == 34 and len(GSP) == 13


@pytest.mark.parametrize("name, g, test", PROTOCOL, ids=[t[0] for t in PROTOCOL])
def test_protocol(w3c_server, name, g, test):
    if name in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[name])
    run_test(w3c_server, g, test, "/sparql")


@pytest.mark.parametrize("name, g, test", GSP, ids=[t[0] for t in GSP])
def test_graph_store_protocol(w3c_server, name, g, test):
    run_test(w3c_server, g, test, "/gsp")


def test_service_description(w3c_server):
    """service-description/manifest.ttl: returns RDF, has a matching sd:endpoint, conforms to the schema."""
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        r = httpx.get(f"{w3c_server}/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        g = Graph().parse(data=r.content, format=fmt)
        SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
        services = list(g.subjects(RDF.type, SD.Service))
        assert len(services) == 1
        assert str(g.value(services[0], SD.endpoint)) == f"{w3c_server}/sparql"
        assert SD.SPARQL11Query in set(g.objects(services[0], SD.supportedLanguage))
        assert SD.SPARQL11Update in set(g.objects(services[0], SD.supportedLanguage))
        for dataset in g.objects(services[0], SD.defaultDataset):
            assert (dataset, RDF.type, SD.Dataset) in g and g.value(dataset, SD.defaultGraph) is not None
