"""Found in review of round 39's rules: each defect's input, written for the test (no accuracy figure counts it)."""

import subprocess
import sys

from realplans import found


def test_a_said_by_line_after_a_long_space_run_ends():
    """The pattern of a line ──由X和Y组织落实。 had two runs of spaces around an optional dash: with no dash the two shared
    a line's leading spaces in every way, and each way tried every length of the names up to the line's end (8,000
    spaces either side of a 由: 22 s; the line below: minutes).  The spaces are never given back now; a child process
    bounds the search so that the old pattern fails the test instead of holding it."""
    child = ("import sys; from lpsplan.extract.annotationforms import SAID_BY_LINE_RE\n"
             "print(SAID_BY_LINE_RE.search(' ' * 200_000 + '由' + ' ' * 2_000 + 'x\\n'))")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "None\n", done.stderr
    # the lines it reads are read as before: spaces, a dash, spaces, or none of them
    for line in ("由市发改委和市财政局组织落实。", "  ——  由市发改委和市财政局组织落实。", "\u3000—由市发改委和市财政局组织落实。"):
        assert found(f"1.建设平台。\n{line}\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]], line
    assert found("1.建设平台。\n———————由市发改委和市财政局组织落实。\n") == []  # seven dashes: no such line, as before


def test_every_content_encoding_line_is_read_on_every_body_route(settings, tmp_path):
    """A request may carry Content-Encoding on two field lines (gzip, then identity): they make one list, the body
    gzipped.  The check read only the last line, so such a body went through as sent (a garbled query or graph: a 400,
    or a body taken that the label said was compressed).  Every line is read now, on every route that takes a body."""
    import gzip

    import pyoxigraph as ox
    from lpsplan.api.app import create_app
    from lpsplan.sparql.backend import Limits
    from lpsplan.sparql.embedded import EmbeddedBackend
    from starlette.testclient import TestClient

    token = "review-token-0123456789abcdef"
    backend = EmbeddedBackend(ox.Store(), None, Limits(timeout=5), workers=1, snapshot_path=tmp_path / "store.nq")
    turtle = b"<http://example.org/s> <http://example.org/p> 1 ."
    routes = [("POST", "/sparql", "application/sparql-query", b"ASK {}"),
              ("POST", "/update", "application/sparql-update", b"INSERT DATA {}"),
              ("PUT", "/store?graph=http://example.org/g", "text/turtle", turtle),
              ("POST", "/store?graph=http://example.org/g", "text/turtle", turtle),
              ("PUT", "/store/g2", "text/turtle", turtle), ("POST", "/store/g2", "text/turtle", turtle),
              ("POST", "/api/link", "application/json", b'{"titles": ["x"]}'),
              ("POST", "/api/observations", "text/csv", b"a,b\n")]
    try:
        with TestClient(create_app(settings.with_(update_token=token), backend)) as client:
            for method, url, media, body in routes:
                for codings in (["gzip"], ["gzip", "identity"], ["identity", "br"], ["identity, gzip"]):
                    headers = [("Content-Type", media), ("Authorization", f"Bearer {token}")]
                    r = client.request(method, url, content=gzip.compress(body),
                                       headers=headers + [("Content-Encoding", c) for c in codings])
                    assert r.status_code == 415 and r.headers["accept-encoding"] == "identity", (url, codings, r.text)
            for codings in (["identity"], ["identity", "identity"], []):  # identity alone is the body as sent
                r = client.request("POST", "/sparql", content=b"ASK {}", headers=[("Content-Type", "application/sparql-query")]
                                   + [("Content-Encoding", c) for c in codings])
                assert r.status_code == 200 and r.json()["boolean"] is True, (codings, r.text)
    finally:
        backend.close()


def test_a_body_whose_name_ends_in_zuzhi_keeps_it_before_a_verb_of_carrying_out():
    """Round 39 read 组织 before 落实/实施 as a verb (…、团委组织实施), sparing 党组织 only: 各社会组织落实 then left 各社会 and
    no annotation, 各级工会组织落实 the unit 各级工会 carrying it out.  The bodies named …组织 keep their name; the verb after
    them is a bare 落实 (support after a lead), as before the round."""
    for body in ("各级党组织", "各级团组织", "各社会组织", "各级工会组织", "各基层组织", "群众组织"):
        assert found(f"1.建设平台。(市发改委牵头,{body}落实)\n") == [[("市发改委", "lead"), (body, "support")]], body
    assert found("1.建设平台。(市发改委、团委组织实施)\n") == [[("市发改委", "unspecified"), ("团委", "unspecified")]]
    assert found("1.建设平台。(市发改委牵头,市财政局组织实施)\n") == [[("市发改委", "lead"), ("市财政局", "unspecified")]]


def test_an_rdf_xml_graph_keeps_a_literals_direction_when_its_characters_are_replaced():
    """A literal XML cannot carry (a C0 control) is written into RDF/XML with U+FFFD since round 39; rebuilt with its
    language only, a literal with a base direction (RDF 1.2 "…"@ar--rtl, which updates and uploads store) lost it."""
    import pyoxigraph as ox
    from lpsplan.sparql.formats import dump_graph

    store, graph = ox.Store(), ox.NamedNode("http://example.org/g")
    literal = ox.Literal("a\x01b", language="ar", direction=ox.BaseDirection.RTL)
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), literal, graph))
    (read,) = ox.parse(dump_graph(store, graph, "application/rdf+xml"), format=ox.RdfFormat.RDF_XML)
    assert read.object == ox.Literal("a\ufffdb", language="ar", direction=ox.BaseDirection.RTL)
