"""The graph in the embedded Oxigraph store answers the plan's questions."""

from __future__ import annotations

import pytest
from lpsplan.sparql.errors import ProtocolError, QuerySyntaxError
from lpsplan.sparql.local import ReadOnly

P = """PREFIX lps: <https://w3id.org/lpsplan/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def test_who_co_owns_the_coal_chemical_initiatives(store):
    rows = store.select(P + """
        SELECT ?unit ?position WHERE {
            ?d a lps:Domain ; skos:prefLabel "现代煤化工"@zh .
            ?c a lps:Clause ; dcterms:isPartOf ?d .
            ?r lps:clause ?c ; lps:unit ?u ; lps:position ?position .
            ?u skos:prefLabel ?unit FILTER(LANG(?unit) = "zh")
        } ORDER BY ?position""")
    assert [r["unit"] for r in rows] == ["六盘水市工业和信息化局", "六盘水市能源局", "六盘水市科学技术局",
                                         "各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会"]


def test_science_bureau_is_in_most_clauses(store):
    rows = store.select(P + """
        SELECT ?u (COUNT(?c) AS ?n) WHERE { ?c lps:responsibleUnit ?u } GROUP BY ?u ORDER BY DESC(?n) LIMIT 1""")
    assert rows == [{"u": "https://w3id.org/lpsplan/id/org/liupanshui/science-technology-bureau", "n": 42}]


def test_clause_provenance_matches_source(store):
    rows = store.select(P + """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT (COUNT(?c) AS ?n) (SUM(IF(SUBSTR(STR(?content), ?s + 1, ?e - ?s) = STR(?text), 1, 0)) AS ?ok) WHERE {
            ?c a lps:Clause ; lps:text ?text ; prov:wasDerivedFrom ?r .
            ?r oa:hasSelector [ oa:start ?s ; oa:end ?e ] ; oa:hasSource/lps:content ?content .
        }""")
    assert rows == [{"n": 48, "ok": 48}]


def test_the_reader_in_process_refuses_what_it_cannot_do(store):
    with pytest.raises(QuerySyntaxError, match="SPARQL syntax error: line 1"):
        store.select("SELEC ?x WHERE {")
    with pytest.raises(ProtocolError, match="needs a SELECT"):
        store.select("ASK {}")
    with pytest.raises(ReadOnly, match="reading only"):
        store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")


def test_a_validated_graph_is_parsed_straight_into_the_store(tmp_path):
    """Ingest's fast path (Store.load into the named graph): a replacement removes the old triples,
    one that does not parse is a 400 and leaves the graph and the snapshot as they were."""
    import pyoxigraph as ox
    from lpsplan.sparql.backend import Limits
    from lpsplan.sparql.embedded import EmbeddedBackend
    from lpsplan.sparql.errors import ProtocolError

    g, nt = "https://example.org/plan/a", "application/n-triples"
    snapshot = tmp_path / "store.nq"
    b = EmbeddedBackend(ox.Store(), None, Limits(timeout=5), workers=0, snapshot_path=snapshot)
    try:
        assert b.put_graph(g, b"<urn:s> <urn:p> <urn:o1> .\n<urn:s> <urn:p> <urn:o2> .\n", nt, validated=True) is True
        assert b.put_graph(g, b"<urn:s> <urn:p> <urn:o3> .\n", nt, validated=True) is False
        graph = ox.NamedNode(g)
        assert [q.object.value for q in b.store.quads_for_pattern(None, None, None, graph)] == ["urn:o3"]
        before = snapshot.read_bytes()
        with pytest.raises(ProtocolError, match="does not parse"):
            b.put_graph(g, b"<urn:s> <urn:p> <urn:o4> .\n<urn:s> <urn:p> .\n", nt, validated=True)
        assert [q.object.value for q in b.store.quads_for_pattern(None, None, None, graph)] == ["urn:o3"]
        assert snapshot.read_bytes() == before
        with pytest.raises(ProtocolError):
            b.put_graph("https://example.org/plan/new", b"<urn:s> <urn:p> .\n", nt, validated=True)
        assert not b.has_graph("https://example.org/plan/new")
        assert b.put_graph("https://example.org/plan/empty", b"", nt, validated=True) is True
        assert b.has_graph("https://example.org/plan/empty")
    finally:
        b.close()
