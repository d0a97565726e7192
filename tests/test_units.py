"""The unit registry and how units, groups and reorganisations appear in the graph."""

from __future__ import annotations

import pytest
from lpsplan.errors import ConfigError
from lpsplan.registry import Group, Registry, Unit

ORG = "https://w3id.org/lpsplan/id/org/liupanshui/"
Q = """PREFIX lps: <https://w3id.org/lpsplan/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def registry(settings):
    return Registry.load(settings.paths.registry / "units-liupanshui.yaml")


def test_every_written_unit_resolves(plan, registry):
    written = {u.written for c in plan.clauses for u in c.units}
    assert len(written) == 29
    assert all(registry.resolve(w) is not None for w in written)


@pytest.mark.parametrize("written, zh, en", [
    ("市发展改革委", "六盘水市发展和改革委员会", "Liupanshui Municipal Development and Reform Commission"),
    ("市科技局", "六盘水市科学技术局", "Liupanshui Municipal Bureau of Science and Technology"),
    ("市委组织部", "中共六盘水市委组织部", "Organization Department of the CPC Liupanshui Municipal Committee"),
    ("市农业农村局", "六盘水市农业农村局", "Liupanshui Municipal Bureau of Agriculture and Rural Affairs"),
    ("市生态环境局", "六盘水市生态环境局", "Liupanshui Municipal Bureau of Ecology and Environment"),
])
def test_canonical_names(registry, written, zh, en):
    unit = registry.resolve(written)
    assert isinstance(unit, Unit) and (unit.zh, unit.en) == (zh, en)


def test_full_and_half_width_forms_resolve_alike(registry):
    assert registry.resolve("各市〔特区、区〕政府") is registry.resolve("各市(特区、区)政府") is registry.resolve("各市（特区、区）政府")


def test_group_has_four_members(registry, store):
    group = registry.resolve("各市〔特区、区〕政府")
    assert isinstance(group, Group) and len(group.members) == 4
    rows = store.select(Q + f"""SELECT ?zh WHERE {{ <{ORG}group/county-level-governments> a lps:UnitGroup ; foaf:member ?m .
        ?m skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }} ORDER BY ?zh""")
    assert [r["zh"] for r in rows] == sorted(["钟山区人民政府", "六枝特区人民政府", "水城区人民政府", "盘州市人民政府"])
    assert not store.ask(Q + f"ASK {{ <{ORG}group/county-level-governments> a org:Organization }}")


def test_unit_types_and_parents(store):
    rows = store.select(Q + f"""SELECT ?type ?parent WHERE {{ <{ORG}organization-department> org:classification ?type ;
        org:subOrganizationOf ?parent }}""")
    assert rows == [{"type": "https://w3id.org/lpsplan/ontology#partyOrgan", "parent": ORG + "municipal-party-committee"}]
    types = store.select(Q + """SELECT DISTINCT ?type WHERE { ?c lps:responsibleUnit ?u . ?u org:classification ?type }""")
    assert {r["type"].rsplit("#")[1] for r in types} == {
        "governmentDepartment", "partyOrgan", "peoplesOrganisation", "centralBankBranch", "financialRegulator",
        "zoneManagementCommittee", "countyLevelGovernment"}


def test_2023_reorganisations_are_change_events(store):
    rows = store.select(Q + """SELECT ?old ?new ?date WHERE { ?e a org:ChangeEvent ; org:originalOrganization ?o ;
        org:resultingOrganization ?n ; dcterms:date ?date . ?o skos:prefLabel ?old . ?n skos:prefLabel ?new
        FILTER(LANG(?old) = "zh" && LANG(?new) = "zh") } ORDER BY ?old""")
    assert rows == [
        {"old": "中国人民银行六盘水市中心支行", "new": "中国人民银行六盘水市分行", "date": "2023"},
        {"old": "中国银行保险监督管理委员会六盘水监管分局", "new": "国家金融监督管理总局六盘水监管分局", "date": "2023"},
    ]


def test_issuers_are_registered_organisations(store):
    rows = store.select(Q + """SELECT ?zh WHERE { ?p a lps:Plan ; lps:issuedBy ?o . ?o skos:prefLabel ?zh FILTER(LANG(?zh)="zh") } ORDER BY ?zh""")
    assert [r["zh"] for r in rows] == ["中共六盘水市委办公室", "六盘水市人民政府办公室"]


def test_unknown_units_are_kept_flagged_and_reported(mini):
    assert mini.unregistered == ["市新兴产业促进中心", "市通信发展办公室"]
    messages = [w.message for w in mini.warnings]
    assert any("市新兴产业促进中心" in m for m in messages)
    from lpsplan.vocab import LPS
    from rdflib import Literal, URIRef

    node = URIRef("https://w3id.org/lpsplan/id/org/shili/unregistered/市通信发展办公室")
    assert (node, LPS.registered, Literal(False)) in mini.graph


def test_registry_errors_are_one_line(tmp_path):
    bad = tmp_path / "units-x.yaml"
    bad.write_text("jurisdiction: {id: x, zh: 某市, en: X}\nunits:\n  - {id: a, zh: 甲, en: A, type: nonsense}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown type 'nonsense'"):
        Registry.load(bad)
    bad.write_text("jurisdiction: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Registry.load(bad)
