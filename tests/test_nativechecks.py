"""The constraints checked in Python (lpsplan.nativechecks) give exactly the engine's results: every defect of
test_shacl.py and the ones aimed at these five constraints, validated both ways, give the same report."""

from __future__ import annotations

import pytest
from lpsplan.nativechecks import NATIVE, native_constraints, ordinal_unique, span_within_text, text_matches_span
from lpsplan.validate import load_shapes, validate_graph
from lpsplan.vocab import LPS, OA
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH, XSD

from test_shacl import DEFECTS, copy, first, selector


@pytest.fixture(scope="module")
def shapes(settings):
    return load_shapes(settings.paths.shapes_file)


def three_share_an_ordinal(g):
    sections = sorted(g.subjects(RDF.type, LPS.Section))
    for s in sections[1:3]:
        g.set((s, LPS.ordinal, Literal(1)))
    return sections[2], "OrdinalUniqueShape"


def a_unit_without_its_responsibility(g):
    r = first(g, LPS.Responsibility)
    clause = g.value(r, LPS.clause)
    g.remove((r, None, None))
    return clause, "ClauseShape"


def span_starts_before_the_text(g):
    c = first(g, LPS.Clause)
    g.set((selector(g, c), OA.start, Literal(-1)))
    return g.value(c, PROV.wasDerivedFrom), "SpanShape"


def span_ends_before_it_starts(g):
    c = first(g, LPS.Clause)
    sel = selector(g, c)
    g.set((sel, OA.end, g.value(sel, OA.start)))
    return g.value(c, PROV.wasDerivedFrom), "SpanShape"


def start_is_not_an_integer(g):
    """Outside what the native checks evaluate: the engine runs the span constraints (and reports the datatype)."""
    c = first(g, LPS.Clause)
    g.set((selector(g, c), OA.start, Literal("3", datatype=XSD.decimal)))
    return g.value(c, PROV.wasDerivedFrom), "SpanShape"


def text_one_character_short(g):
    c = first(g, LPS.Clause)
    g.set((c, LPS.text, Literal(str(g.value(c, LPS.text))[:-1], lang="zh")))
    return c, "TextMatchesSpanShape"


def annotation_before_the_clause_with_words_between(g):
    c = first(g, LPS.Clause)
    start = int(g.value(selector(g, c), OA.start))
    annotation = g.value(g.value(c, LPS.annotation), OA.hasSelector)
    g.set((annotation, OA.start, Literal(start - 6)))
    g.set((annotation, OA.end, Literal(start - 3)))
    return c, "ClauseShape"


def annotation_inside_the_clause(g):
    c = first(g, LPS.Clause)
    sel = selector(g, c)
    annotation = g.value(g.value(c, LPS.annotation), OA.hasSelector)
    g.set((annotation, OA.start, Literal(int(g.value(sel, OA.end)) - 2)))
    return c, "ClauseShape"


OWN = [annotation_before_the_clause_with_words_between, annotation_inside_the_clause, three_share_an_ordinal, a_unit_without_its_responsibility, span_starts_before_the_text, span_ends_before_it_starts,
       start_is_not_an_integer, text_one_character_short]


def test_every_native_check_is_one_of_the_shapes_constraints(shapes):
    """Each check's query is, word for word, a constraint of ontology/shapes.ttl: none is idle, none stands alone."""
    found = native_constraints(shapes)
    assert sorted(c.__name__ for _, _, c in found) == sorted(f.__name__ for f in NATIVE.values())
    assert {str(s).rsplit("#", 1)[1] for s, _, _ in found} == {"OrdinalUniqueShape", "ClauseShape", "SpanShape",
                                                               "TextMatchesSpanShape"}


def test_the_built_plan_conforms_both_ways(built, shapes):
    assert validate_graph(built.graph, shapes) == validate_graph(built.graph, shapes, native=False)


@pytest.mark.parametrize("defect", DEFECTS + OWN, ids=lambda d: d.__name__)
def test_native_and_engine_give_the_same_report(built, shapes, defect):
    g = copy(built.graph)
    node, shape = defect(g)
    native, engine = validate_graph(g, shapes), validate_graph(g, shapes, native=False)
    assert not native.conforms
    assert (str(node), shape) in {(v.focus, v.shape) for v in native.violations}, native.describe()
    assert native == engine  # the same violations: node, rule, path, value, both messages, severity, source text
    assert native.describe() == engine.describe()


def test_a_bad_span_is_reported_with_its_offsets(built, shapes):
    g = copy(built.graph)
    resource, _ = span_starts_before_the_text(g)
    [v] = [v for v in validate_graph(g, shapes).violations if v.shape == "SpanShape"]
    end = g.value(g.value(resource, OA.hasSelector), OA.end)
    assert (v.focus, v.message_en, v.message_zh) == (str(resource), f"span lies outside its source text (start -1, end {end})",
                                                     f"原文位置超出来源文本范围(起 -1,止 {end})")


def test_checks_read_the_graph_as_the_queries_do():
    ex = "http://example.org/"
    n = [URIRef(f"{ex}{i}") for i in range(6)]
    g = Graph()
    # ordinals: n0 and n1 share 1 under p of one type; n2 has 1 under p but another type; n3 has 2
    for node, o, kind in ((n[0], 1, LPS.Task), (n[1], 1, LPS.Task), (n[2], 1, LPS.Clause), (n[3], 2, LPS.Task)):
        g.add((node, LPS.ordinal, Literal(o)))
        g.add((node, DCTERMS.isPartOf, URIRef(f"{ex}p")))
        g.add((node, RDF.type, kind))
    assert [s["this"] for s in ordinal_unique(g, [n[0], n[1], n[2], n[3]])] == [n[0], n[1]]
    # a span: the text is 5 characters; end 5 is inside, 6 is not; a span with no source text gives no solution
    src, sel = URIRef(f"{ex}src"), URIRef(f"{ex}sel")
    g.add((src, LPS.content, Literal("一二三四五")))
    g.add((n[4], OA.hasSource, src))
    g.add((n[4], OA.hasSelector, sel))
    g.add((sel, OA.start, Literal(2)))
    g.add((sel, OA.end, Literal(5)))
    g.add((n[5], LPS.text, Literal("三四五", lang="zh")))
    g.add((n[5], PROV.wasDerivedFrom, n[4]))
    assert list(span_within_text(g, [n[4]])) == [] and list(text_matches_span(g, [n[5]])) == []
    g.set((sel, OA.end, Literal(6)))
    assert list(span_within_text(g, [n[4]])) == [{"this": n[4], "s": Literal(2), "e": Literal(6)}]
    assert list(text_matches_span(g, [n[5]])) == []  # SUBSTR stops at the text's end, as a slice does
    g.set((n[5], LPS.text, Literal("三四", lang="zh")))
    assert list(text_matches_span(g, [n[5]])) == [{"this": n[5], "value": Literal("三四", lang="zh")}]
    g.remove((n[4], OA.hasSource, src))
    assert list(span_within_text(g, [n[4]])) == [] and list(text_matches_span(g, [n[5]])) == []


def test_a_changed_query_is_left_to_the_engine(shapes):
    changed = copy(shapes)
    constraint = next(c for _, c in changed.subject_objects(SH.sparql) if "?other lps:ordinal ?o" in str(changed.value(c, SH.select)))
    changed.set((constraint, SH.select, Literal(str(changed.value(constraint, SH.select)).replace("FILTER", "FILTER (true) FILTER"))))
    assert len(native_constraints(changed)) == len(native_constraints(shapes)) - 1
