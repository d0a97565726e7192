"""Each named question answers its research question on the plan."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest
from lpsplan.project import Project
from lpsplan.queries import THEMES, Catalogue, QueryError

from cli import run_cli

COAL_CHEMICAL = ["六盘水市工业和信息化局", "六盘水市能源局", "六盘水市科学技术局", "各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会"]


@pytest.fixture(scope="module")
def ask(settings, store):
    def run(name, **params):
        return Project(settings, reader=store).query(name, params).rows
    return run


def test_catalogue_headers(settings):
    catalogue = Catalogue.load(settings.paths.queries)
    assert len(catalogue) == 26  # 16 plan questions, project-contacts, 5 across plans, 4 on observed values (targets)
    for q in catalogue:
        assert q.title_zh and q.title_en and q.description and q.form == "SELECT" and q.theme in THEMES
        for p in q.params:
            assert p.type in ("string", "integer", "iri", "domain", "unit", "technology") and p.description


def test_coownership_domain(ask):
    rows = ask("coownership-domain")
    assert [r["unit"] for r in rows] == COAL_CHEMICAL
    assert rows[0]["unitEn"] == "Liupanshui Municipal Bureau of Industry and Information Technology"
    steel = ask("coownership-domain", domain="钢铁")
    assert [r["unit"] for r in steel] == ["六盘水市工业和信息化局", "六盘水市科学技术局", "六盘水高新技术产业开发区管理委员会"]


def test_coownership_pairs_and_filters(ask):
    top = ask("coownership-pairs")[0]
    assert (top["unitA"], top["unitB"], top["shared"]) == ("各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会", 38)
    coal_chem = ask("coownership-pairs", domain="现代煤化工")
    assert len(coal_chem) == 10 and all(r["shared"] == 1 for r in coal_chem)  # 5 units: C(5,2) pairs on one clause
    task9 = ask("coownership-pairs", task=9, min=3)  # task 九: eight clauses; counted by hand from the text
    assert {frozenset((r["unitA"], r["unitB"])) for r in task9} == {frozenset(p) for p in [
        ("六盘水市科学技术局", "六盘水市教育局"), ("六盘水市科学技术局", "六盘水市财政局"), ("六盘水市科学技术局", "各市(特区、区)人民政府"),
        ("六盘水市科学技术局", "六盘水高新技术产业开发区管理委员会"), ("各市(特区、区)人民政府", "六盘水高新技术产业开发区管理委员会")]}
    assert {r["shared"] for r in task9} == {3}
    assert ask("coownership-pairs", section=3) == ask("coownership-pairs", section=3, min=1)
    assert len(ask("coownership-pairs", section=5)) == 0  # the safeguard measures carry no annotations


def test_unit_portfolio(ask):
    rows = ask("unit-portfolio", unit="市科协")
    assert [(r["kind"], r["ordinal"]) for r in rows] == [("task", 5), ("task", 8)]
    assert len(ask("unit-portfolio")) == 42  # 市科技局, by its written form
    assert len(ask("unit-portfolio", unit="六盘水市科学技术局")) == 42  # or by its full name


def test_unit_load(ask):
    rows = ask("unit-load")
    assert rows[0]["unit"] == "六盘水市科学技术局" and rows[0]["clauses"] == 42 and rows[0]["firstListed"] == 20
    assert len(rows) == 29


def test_domain_technologies(ask):
    labels = [r["technology"] for r in ask("domain-technologies")]
    assert labels[:2] == ["煤高效气化", "合成气中各组分气体高效分离净化"]
    assert {"煤制烯烃精深加工", "乙二醇精深加工", "煤制芳烃精深加工"} <= set(labels)


@pytest.mark.parametrize("keyword, technologies, clauses", [("玄武岩", 3, 3), ("氢", 4, 2), ("5G", 2, 2), ("煤层气", 2, 2)])
def test_search(ask, keyword, technologies, clauses):
    rows = ask("search", keyword=keyword)
    assert sum(r["kind"] == "technology" for r in rows) == technologies
    assert sum(r["kind"] == "clause" for r in rows) == clauses
    assert all(keyword in r["match"] for r in rows)


def test_cross_domain_technologies(ask):
    rows = {r["term"]: r for r in ask("cross-domain-technologies")}
    assert rows["玄武岩"]["domains"] == 3
    assert set(rows["煤层气"]["domainLabels"].split("、")) == {"煤炭", "新能源"}
    assert set(rows["5G"]["domainLabels"].split("、")) == {"煤炭", "物联网(大数据)"}
    assert set(rows["铝"]["domainLabels"].split("、")) == {"新材料", "装备制造"} and rows["铝"]["termEn"] == "aluminium"
    assert set(rows["氢"]["domainLabels"].split("、")) == {"钢铁", "新能源"}
    assert set(rows["铝"]["technologies"].split("、")) == {"铝生产节能减排", "铝合金产品精深加工", "铝在旅游装备制造产业中的应用"}


@pytest.mark.parametrize("topic, kind, expected", [
    ("煤矸石", "material", {("煤矸石综合利用", "煤炭"), ("煤矸石在建材中的应用", "建材")}),
    ("aluminium", "material", {("铝生产节能减排", "新材料"), ("铝合金产品精深加工", "新材料"), ("铝在旅游装备制造产业中的应用", "装备制造")}),
    ("慢性病", "health", {("疾病的监测防控", "其他")}),
    ("能源活动", "sector", {("碳排放测算", "其他"), ("减排", "其他")}),
])
def test_directions_concerning(ask, topic, kind, expected):
    rows = ask("directions-concerning", topic=topic)
    assert {(r["technology"], r["domain"]) for r in rows} == expected
    assert {r["kind"] for r in rows} == {kind} and all(r["technologyEn"] for r in rows)


def test_targets(ask):
    rows = ask("targets")
    assert len(rows) == 12
    assert rows[0]["value"] == Decimal("1.4") and rows[0]["commitment"] == "力争" and rows[0]["deadline"] == "2023"
    assert set(rows[0]["statedIn"].split(" / ")) == {"科技创新投入明显增加", "加大科技创新投入"}


def test_tasks_without_target(ask):
    assert [r["ordinal"] for r in ask("tasks-without-target")] == [4, 5, 6, 7, 9]


def test_clause_provenance(ask, plan, settings):
    row = ask("clause-provenance")[0]
    text = settings.paths.source.read_text(encoding="utf-8")
    assert text[row["start"]:row["end"]] == row["text"] and row["end"] == row["annotationStart"]
    assert text[row["annotationStart"]:row["annotationEnd"]].startswith("(责任单位:市工业和信息化局")
    other = ask("clause-provenance", clause="https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023/task/3/clause/2")[0]
    assert other["text"] == "工程研究中心"


def test_units_in_domains_and_tasks(ask):
    rows = ask("units-in-domains-and-tasks")
    assert rows[0] == {"unit": "六盘水市科学技术局", "domainClauses": 15, "taskClauses": 27}
    assert "六盘水市文化广电旅游局" in {r["unit"] for r in rows}


def test_county_governments(ask):
    rows = ask("county-governments")
    assert sorted(r["member"] for r in rows) == sorted(["钟山区人民政府", "六枝特区人民政府", "水城区人民政府", "盘州市人民政府"])
    assert {r["clauses"] for r in rows} == {38}


def test_non_government_bodies(ask):
    rows = {r["unit"]: r["type"] for r in ask("non-government-bodies")}
    assert rows == {
        "中共六盘水市委组织部": "党的机关", "中共六盘水市委宣传部": "党的机关", "六盘水市科学技术协会": "人民团体",
        "中国人民银行六盘水市中心支行": "中央银行分支机构", "中国银行保险监督管理委员会六盘水监管分局": "金融监管机构",
        "六盘水高新技术产业开发区管理委员会": "园区管理委员会"}


def test_domains_by_units(ask):
    rows = ask("domains-by-units")
    assert (rows[0]["domain"], rows[0]["units"]) == ("其他", 9)
    assert len(rows) == 13


def test_shared_clauses(ask):
    rows = ask("shared-clauses")
    assert len(rows) == 11 and all(r["positionA"] and r["positionB"] for r in rows)
    assert ask("shared-clauses", a="市科协", b="市委宣传部") == []


def test_bad_parameters(ask):
    with pytest.raises(QueryError, match="whole number"):
        ask("coownership-pairs", task="1; DROP ALL")
    with pytest.raises(QueryError, match="absolute IRI"):
        ask("clause-provenance", clause="> } ; DROP ALL #")
    assert ask("search", keyword='玄武岩" } UNION { ?s ?p ?o') == []  # quoted, so it is only ever a string


def test_dataframe(settings, store):
    df = Project(settings, reader=store).query("unit-load").to_dataframe()
    assert list(df.columns) == ["unit", "unitEn", "clauses", "firstListed"] and len(df) == 29
    assert df.iloc[0]["clauses"] == 42


@pytest.mark.slow
def test_cli_named_questions(built, tmp_path):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(tmp_path)}

    def run(*args):
        return run_cli(*args, env=env)

    out = run("query", "coownership-domain", "--param", "domain=现代煤化工", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [r["unit"] for r in json.loads(out.stdout)] == COAL_CHEMICAL
    listing = run("queries")
    assert "coownership-domain" in listing.stdout and "领域条款的共同责任单位" in listing.stdout
    bad = run("query", "nope")
    assert bad.returncode == 2 and bad.stderr.startswith("lpsplan: error: no named question 'nope'")


def test_text_rows_are_the_lexical_forms(settings, store):
    """The pages show values as written: the same question as text rows and as typed rows."""
    project = Project(settings, reader=store)
    sparql = project.render("unit-load")
    text, typed = project.select_text(sparql), project.select(sparql)
    assert text[0]["clauses"] == "42" and typed[0]["clauses"] == 42
    assert [r["unit"] for r in text] == [r["unit"] for r in typed]
    assert all(isinstance(v, str) for r in text for v in r.values())
