"""The 12 numeric targets of 二、工作目标 and the tasks that restate them."""

from __future__ import annotations

from decimal import Decimal

EXPECTED = [
    # indicator, value, unit, comparator, commitment, where stated
    ("全社会R&D经费支出占GDP比重", "1.4", "%", "≥", "aspirational", ["objective-01", "task-01"]),
    ("企业R&D经费支出占全社会R&D经费支出比重", "90", "%", "≥", "stated", ["objective-01"]),
    ("财政支出中科学技术支出占一般公共预算支出比重", "3", "%", "≥", "stated", ["objective-01"]),
    ("省级及以上创新创业平台累计", "15", "个", "≥", "stated", ["objective-02", "task-03"]),
    ("全市高新技术企业数", "105", "家", "=", "stated", ["objective-03", "task-02"]),
    ("高新技术产业产值", "285", "亿元", "≥", "stated", ["objective-03", "task-02"]),
    ("万人发明专利拥有量", "1.1", "件", "≥", "stated", ["objective-03", "task-08"]),
    ("全市技术合同成交额", "25", "亿元", "≥", "stated", ["objective-03"]),
    ("全市技术合同成交额年均增长", "8", "%", "≥", "stated", ["objective-03"]),
    ("引进高端人才", "138", "名", "≥", "stated", ["objective-04"]),
    ("培养高层次创新人才", "280", "名", "≥", "stated", ["objective-04"]),
    ("培育市级及以上科技创新人才团队", "10", "个", "≥", "stated", ["objective-04"]),
]


def test_twelve_targets_exactly(plan):
    got = [(t.indicator, str(t.value), t.unit, t.comparator, t.commitment, [s.where.key for s in t.statements]) for t in plan.targets]
    assert got == EXPECTED
    assert all(t.deadline == 2023 for t in plan.targets)


def test_no_duplicate_targets(plan):
    keys = [(t.value, t.unit, t.indicator) for t in plan.targets]
    assert len(keys) == len(set(keys)) == 12


def test_growth_target_points_at_its_base(plan):
    growth = plan.targets[8]
    assert growth.growth_of == 8 and plan.targets[7].indicator == "全市技术合同成交额"


def test_restatements_that_differ_are_noted(plan):
    assert plan.targets[0].notes == ["重点任务第1项表述为“全社会R&D经费支出占GDP比重达1.4%以上”"]
    assert plan.targets[4].notes == ["重点任务第2项表述为“高新技术企业达105家以上”"]


def test_tasks_with_targets_link_to_the_same_nodes(store):
    rows = store.select("""
        PREFIX lps: <https://w3id.org/lpsplan/ontology#>
        SELECT ?ordinal (COUNT(DISTINCT ?t) AS ?n) WHERE {
            ?t a lps:Target ; lps:statedIn ?task . ?task a lps:Task ; lps:ordinal ?ordinal .
        } GROUP BY ?ordinal ORDER BY ?ordinal""")
    assert rows == [{"ordinal": 1, "n": 1}, {"ordinal": 2, "n": 2}, {"ordinal": 3, "n": 1}, {"ordinal": 8, "n": 1}]
    assert store.select("PREFIX lps: <https://w3id.org/lpsplan/ontology#> SELECT (COUNT(*) AS ?n) { ?t a lps:Target }") == [{"n": 12}]


def test_target_values_are_decimals_in_the_graph(store):
    rows = store.select("""
        PREFIX lps: <https://w3id.org/lpsplan/ontology#>
        SELECT ?v ?u ?d WHERE { ?t lps:indicator "万人发明专利拥有量"@zh ; lps:targetValue ?v ; lps:unitText ?u ; lps:deadline ?d }""")
    assert rows == [{"v": Decimal("1.1"), "u": "件", "d": "2023"}]
