"""SHACL: the built graphs conform, and each kind of defect is caught by the rule
meant for it — with pyshacl-turbo (the default) and pySHACL (the reference) alike."""

from __future__ import annotations

import pytest
from lpsplan.validate import load_shapes, validate_graph
from lpsplan.vocab import LPS, OA
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF, SKOS, XSD


@pytest.fixture(scope="module")
def shapes(settings):
    return load_shapes(settings.paths.shapes_file)


def first(g: Graph, cls) -> URIRef:
    return min(g.subjects(RDF.type, cls))


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def selector(g, node, prop=PROV.wasDerivedFrom):
    return g.value(g.value(node, prop), OA.hasSelector)


# Each defect mutates a graph and names the node that must be reported and the rule.
def no_units(g):
    c = first(g, LPS.Clause)
    g.remove((c, LPS.responsibleUnit, None))
    for r in list(g.subjects(LPS.clause, c)):
        g.remove((r, None, None))
    return c, "ClauseShape"


def no_span(g):
    c = first(g, LPS.Clause)
    g.remove((c, PROV.wasDerivedFrom, None))
    return c, "ExtractedShape"


def no_position(g):
    r = first(g, LPS.Responsibility)
    g.remove((r, LPS.position, None))
    return r, "ResponsibilityShape"


def repeated_position(g):
    r = first(g, LPS.Responsibility)
    clause = g.value(r, LPS.clause)
    other = next(x for x in g.subjects(LPS.clause, clause) if x != r)
    g.set((other, LPS.position, g.value(r, LPS.position)))
    return clause, "ClauseShape"


def unit_not_listed(g):
    r = first(g, LPS.Responsibility)
    g.remove((g.value(r, LPS.clause), LPS.responsibleUnit, g.value(r, LPS.unit)))
    return r, "ResponsibilityShape"


def no_zh_label(g):
    u = first(g, ORG.Organization)
    for label in list(g.objects(u, SKOS.prefLabel)):
        if label.language == "zh":
            g.remove((u, SKOS.prefLabel, label))
    return u, "UnitShape"


def no_value(g):
    t = first(g, LPS.Target)
    g.remove((t, LPS.targetValue, None))
    return t, "TargetShape"


def no_unit_text(g):
    t = first(g, LPS.Target)
    g.remove((t, LPS.unitText, None))
    return t, "TargetShape"


def no_deadline(g):
    t = first(g, LPS.Target)
    g.remove((t, LPS.deadline, None))
    return t, "TargetShape"


def no_broader(g):
    t = first(g, LPS.Technology)
    g.remove((t, SKOS.broader, None))
    return t, "TechnologyShape"


def span_outside_source(g):
    c = first(g, LPS.Clause)
    resource = g.value(c, PROV.wasDerivedFrom)
    g.set((g.value(resource, OA.hasSelector), OA.end, Literal(10**6)))
    return resource, "SpanShape"


def text_differs(g):
    c = first(g, LPS.Clause)
    g.set((c, LPS.text, Literal("不是原文", lang="zh")))
    return c, "TextMatchesSpanShape"


def clause_stops_short(g):
    c = first(g, LPS.Clause)
    sel = selector(g, c)
    end = int(g.value(sel, OA.end)) - 2
    g.set((sel, OA.end, Literal(end)))
    g.set((c, LPS.text, Literal(str(g.value(c, LPS.text))[:-2], lang="zh")))
    return c, "ClauseShape"


def group_without_members(g):
    grp = first(g, LPS.UnitGroup)
    g.remove((grp, FOAF.member, None))
    return grp, "UnitGroupShape"


def repeated_ordinal(g):
    sections = sorted(g.subjects(RDF.type, LPS.Section))
    g.set((sections[1], LPS.ordinal, Literal(1)))
    return sections[1], "OrdinalUniqueShape"


def bad_year(g):
    t = first(g, LPS.Target)
    g.set((t, LPS.deadline, Literal("2023", datatype=XSD.integer)))
    return t, "TargetShape"


def zh_label(g, node):
    return next(o for o in g.objects(node, SKOS.prefLabel) if o.language == "zh")


def one_character_label(g):
    t = first(g, LPS.Technology)
    g.remove((t, SKOS.prefLabel, zh_label(g, t)))
    g.add((t, SKOS.prefLabel, Literal("术", lang="zh")))
    return t, "ConceptLabelShape"


def direction_is_a_sector_word(g):
    sector = first(g, LPS.Sector)
    t = first(g, LPS.Technology)
    g.remove((t, SKOS.prefLabel, zh_label(g, t)))
    g.add((t, SKOS.prefLabel, Literal(str(zh_label(g, sector)), lang="zh")))
    return t, "TechnologyShape"


def two_chinese_labels(g):
    t = first(g, LPS.Topic)
    g.add((t, SKOS.prefLabel, Literal("另一个名称", lang="zh")))
    return t, "ConceptLabelShape"


DEFECTS = [one_character_label, direction_is_a_sector_word, two_chinese_labels, no_units, no_span, no_position, repeated_position, unit_not_listed, no_zh_label, no_value, no_unit_text,
           no_deadline, no_broader, span_outside_source, text_differs, clause_stops_short, group_without_members,
           repeated_ordinal, bad_year]


def test_plan_graph_conforms(built, shapes):
    report = validate_graph(built.graph, shapes)
    assert report.conforms and report.violations == []


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.__name__)
def test_defect_is_caught(built, shapes, defect):
    g = copy(built.graph)
    node, shape = defect(g)
    report = validate_graph(g, shapes)
    assert not report.conforms
    assert (str(node), shape) in {(v.focus, v.shape) for v in report.violations}, report.describe()


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.__name__)
@pytest.mark.slow
def test_engines_agree(mini, shapes, defect):
    """pySHACL is the reference, running every constraint itself; on the small test plan both engines must give the
    same results (pyshacl-turbo with the constraints lpsplan.nativechecks evaluates, as the project runs it)."""
    g = copy(mini.graph)
    defect(g)
    turbo = validate_graph(g, shapes, engine="turbo")
    reference = validate_graph(g, shapes, engine="pyshacl", native=False)
    assert turbo.conforms == reference.conforms is False
    key = lambda r: sorted({(v.focus, v.shape, v.path) for v in r.violations})
    assert key(turbo) == key(reference)


def test_report_names_node_rule_and_text(built, shapes):
    g = copy(built.graph)
    node, _ = text_differs(g)
    text = validate_graph(g, shapes).describe()
    assert str(node) in text and "TextMatchesSpanShape" in text and "lps:text 与原文位置处的文字不一致" in text
    assert "text [" in text  # the source text at the node's span is shown
    assert "does not conform: 1 violation(s)" in text


@pytest.mark.slow
def test_mini_plan_conforms_with_both_engines(mini, shapes):
    assert validate_graph(mini.graph, shapes, engine="pyshacl").conforms


def test_single_character_elements_are_good_labels(built, shapes):
    """铝 and 氢 are one character long and still good labels: they are known elements."""
    g = built.graph
    short = {str(o) for s in g.subjects(RDF.type, LPS.Material) for o in g.objects(s, SKOS.prefLabel) if len(str(o)) == 1}
    assert {"铝", "氢", "锂", "碳"} <= short


def test_a_direction_without_an_english_label_is_a_warning(built, shapes):
    g = copy(built.graph)
    t = first(g, LPS.Technology)
    for o in list(g.objects(t, SKOS.prefLabel)):
        if o.language == "en":
            g.remove((t, SKOS.prefLabel, o))
    report = validate_graph(g, shapes)
    assert report.conforms  # the graph is still written; the build lists it
    assert [(v.focus, v.shape, v.severity) for v in report.violations] == [(str(t), "EnglishLabelShape", "Warning")]


def test_every_direction_and_topic_has_zh_and_en_labels(built):
    g = built.graph
    for cls in (LPS.Technology, LPS.Topic):
        for node in g.subjects(RDF.type, cls):
            assert sorted(o.language for o in g.objects(node, SKOS.prefLabel)) == ["en", "zh"], node


def test_the_shapes_know_the_elements_the_extractor_knows(settings):
    from lpsplan.extract.technologies import ELEMENTS

    assert f'CONTAINS("{ELEMENTS}"' in settings.paths.shapes_file.read_text(encoding="utf-8")


def test_extraction_drops_fragments_and_topic_words():
    from lpsplan.extract.technologies import _good_label

    assert _good_label("铝") and _good_label("5G") and not _good_label("农") and not _good_label("")
