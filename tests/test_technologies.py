"""Technology directions under their domains, and terms shared across domains."""

from __future__ import annotations


def labels_of(plan, domain_label):
    ordinal = next(d.ref.ordinal for d in plan.domains if d.label == domain_label)
    return [t.label for t in plan.technologies if ordinal in t.domains]


def test_enumerations_are_split(plan):
    coal_chem = labels_of(plan, "现代煤化工")
    for tech in ["煤制烯烃", "乙二醇", "煤制芳烃", "煤基新材料", "煤制聚乙醇酸(PGA)", "煤高效气化", "热电联产"]:
        assert tech in coal_chem
    assert labels_of(plan, "物联网(大数据)") == ["5G", "人工智能", "大数据", "虚拟现实与增强现实"]


def test_generic_words_are_not_technologies(plan):
    labels = {t.label for t in plan.technologies}
    for word in ["等", "技术研发", "技术", "新技术", "应用", "精深加工", "新技术新产品"]:
        assert word not in labels
    assert not any(label.endswith(("技术研发", "技术攻关", "等")) for label in labels)


def test_every_technology_has_a_domain_and_a_clause(plan):
    for t in plan.technologies:
        assert t.domains
        assert all(m.clause_key for m in t.mentions)


def test_same_label_in_two_domains_is_one_concept(plan):
    multi = {t.label: t.domains for t in plan.technologies if len(t.domains) > 1}
    assert multi == {"煤矸石": [1, 5], "粉煤灰": [1, 5]}


def test_shared_terms_across_domains(plan):
    terms = {t.label: t.technologies for t in plan.shared_terms}
    assert terms["玄武岩"] == ["玄武岩新型材料", "玄武岩生产原材料本地化", "玄武岩纤维"]
    assert terms["煤层气"] == ["煤层气(煤矿瓦斯)综合利用", "复杂地质条件下煤层气勘探开发"]
    assert terms["5G"] == ["煤矿井下5G", "5G"]


def test_shared_terms_are_queryable(store):
    rows = store.select("""
        PREFIX lps: <https://w3id.org/lpsplan/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?term (COUNT(DISTINCT ?d) AS ?domains) WHERE {
            ?s a lps:SharedTerm ; skos:prefLabel ?term ; lps:termOf/skos:broader ?d .
        } GROUP BY ?term ORDER BY DESC(?domains) ?term""")
    found = {r["term"]: r["domains"] for r in rows}
    assert found["玄武岩"] == 3 and found["煤层气"] == 2 and found["5G"] == 2
    assert all(n >= 2 for n in found.values())
