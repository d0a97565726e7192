"""Genre variants of responsibility annotations, on a plan written for the test
(tests/data/plans/variants.txt), each with its expected clauses, units and roles."""

from __future__ import annotations

from pathlib import Path

from lpsplan.extract import extract_plan
from lpsplan.source import read_source

VARIANTS = Path(__file__).parent / "data" / "plans" / "variants.txt"

EXPECTED = [
    # clause, text, units with roles, deadline
    ("task-01-1", "支持企业建设研发中心", [("市工业和信息化局", "lead"), ("市科技局", "lead"), ("市财政局", "support")], None),
    ("task-01-2", "开展首台套推广应用", [("市科技局", "lead"), ("市发展改革委", "support")], None),
    ("task-02-1", "建设一批中试基地,完善服务体系。", [("市科技局", "lead"), ("市工业和信息化局", "support"), ("市财政局", "support")], 2025),
    ("task-03-1", "推动工业互联网平台建设", [("市大数据局", "unspecified")], None),
]


def test_variants_become_the_expected_clauses():
    plan = extract_plan(read_source(VARIANTS), "variants")
    got = [(c.key, c.text.text, [(u.written, u.role) for u in c.units], c.deadline) for c in plan.clauses]
    assert got == EXPECTED


def test_traps_are_not_units():
    plan = extract_plan(read_source(VARIANTS), "variants")
    written = {u.written for c in plan.clauses for u in c.units}
    assert not written & {"GDP", "〔2023〕30号", "一", "二"}


def test_labelled_roles_and_deadline_reach_the_graph(settings, tmp_path):
    from lpsplan.build import build_plan
    from lpsplan.vocab import LPS
    from rdflib import Literal
    from rdflib.namespace import XSD

    result = build_plan(settings, source_path=VARIANTS, slug="variants", jurisdiction="moushi")
    g = result.graph
    assert result.report.conforms
    roles = {str(o).rsplit("#", 1)[1] for o in g.objects(None, LPS.role)}
    assert roles == {"lead", "support", "unspecified"}
    assert (None, LPS.deadline, Literal("2025", datatype=XSD.gYear)) in g


TARGETS = Path(__file__).parent / "data" / "plans" / "targets-and-groups.txt"


def test_target_forms_indicator_types_and_blanks():
    plan = extract_plan(read_source(TARGETS), "targets")
    got = [(t.indicator, str(t.value), str(t.upper) if t.upper else "", t.unit, t.comparator, t.indicator_type,
            [s.where.key for s in t.statements]) for t in plan.targets]
    assert got == [
        ("新能源装机容量", "120", "", "万千瓦", "≈", "", ["objective-01"]),
        ("规上新能源企业", "15", "20", "家", "range", "预期性", ["objective-01", "task-01"]),
        ("单位工业增加值能耗年均下降", "3", "", "%", "≥", "约束性", ["objective-01", "task-02"]),
        ("新能源材料产业集群", "100", "", "亿元级", "≈", "预期性", ["task-01"]),
    ]
    blanks = [w for w in plan.warnings if "number seems to be missing" in w.message]
    assert len(blanks) == 1 and blanks[0].span.of(plan_text()) == "达到 个"


def plan_text() -> str:
    return TARGETS.read_text(encoding="utf-8")


def test_group_forms_are_groups_with_the_written_form_kept(settings):
    from lpsplan.build import build_plan
    from lpsplan.vocab import LPS
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, SKOS

    result = build_plan(settings, source_path=TARGETS, slug="targets", jurisdiction="moushi")
    assert result.report.conforms
    g = result.graph
    for written in ("各乡(镇)人民政府", "县级各有关部门"):
        node = next(g.subjects(SKOS.prefLabel, Literal(written, lang="zh")))
        assert (node, RDF.type, LPS.UnitGroup) in g and (node, LPS.registered, Literal(False)) in g
    assert (URIRef("https://w3id.org/lpsplan/id/org/moushi/unregistered/县工业和信息化局"), RDF.type,
            URIRef("http://www.w3.org/ns/org#Organization")) in g


NUMBERING = Path(__file__).parent / "data" / "plans" / "numbering.txt"


def test_arabic_sections_parenthesised_and_circled_items_headings_alone(settings):
    plan = extract_plan(read_source(NUMBERING), "numbering")
    assert [(s.title.text, s.kind) for s in plan.sections] == [("工作目标", "objectives"), ("主要任务", "tasks"), ("保障措施", "measures")]
    assert [(i.ref.key, i.title.text) for i in plan.items()] == [
        ("task-01", "建设转化平台"), ("task-02", "培育技术经理人"), ("measure-01", "加强组织领导"), ("measure-02", "加强经费保障")]
    assert [(c.key, c.text.text) for c in plan.clauses] == [
        ("task-01-1", "建设一批中试熟化基地和概念验证中心,\n提供中试验证服务。"), ("task-02-1", "开展技术经理人培训")]
    assert [(t.indicator, str(t.value), t.unit, [s.where.key for s in t.statements]) for t in plan.targets] == [
        ("技术合同成交额", "50", "亿元", ["section-01"])]
    from lpsplan.build import build_plan

    assert build_plan(settings, source_path=NUMBERING, slug="numbering", jurisdiction="moushi").report.conforms


RIDERS = Path(__file__).parent / "data" / "plans" / "riders.txt"


def test_riders_carry_units_forward_and_say_so(settings):
    plan = extract_plan(read_source(RIDERS), "riders")
    got = [(c.key, [u.written for u in c.units], c.inherited_from) for c in plan.clauses]
    assert got == [
        ("task-01-1", ["区科技局", "区工信局"], None),
        ("task-02-1", ["区科技局", "区工信局"], "task-01-1"),
        ("task-03-1", ["区科技局", "区工信局"], "task-01-1"),
        ("task-04-1", ["区金融办"], None),
    ]
    from lpsplan.build import build_plan
    from lpsplan.vocab import LPS
    from rdflib import Literal

    result = build_plan(settings, source_path=RIDERS, slug="riders", jurisdiction="moushi")
    assert result.report.conforms
    assert len(list(result.graph.subjects(LPS.inherited, Literal(True)))) == 4
    assert len(list(result.graph.subjects(LPS.inheritedFrom, None))) == 2


TABLE = Path(__file__).parent / "data" / "plans" / "table.txt"


def test_flattened_task_table(settings):
    plan = extract_plan(read_source(TABLE), "table")
    got = [(c.key, c.text.text, [(u.written, u.role) for u in c.units], c.deadline) for c in plan.clauses]
    assert got == [
        ("task-01-1", "建设科技创新平台", [("市科技局", "lead"), ("市发展改革委", "support"), ("市财政局", "support")], 2024),
        ("task-02-1", "培育高新技术企业", [("市科技局", "lead"), ("市工业和信息化局", "support")], 2025),
        ("task-03-1", "引进高层次人才", [("市委组织部", "lead"), ("市人力资源社会保障局", "support"), ("市科技局", "support")], 2025),
    ]
    from lpsplan.build import build_plan

    assert build_plan(settings, source_path=TABLE, slug="table", jurisdiction="moushi").report.conforms


TRADITIONAL = Path(__file__).parent / "data" / "plans" / "mini-plan-traditional.txt"


def test_traditional_characters_matched_simplified_kept_original(settings, mini):
    from lpsplan.build import build_plan

    from conftest import MINI_REGISTRY

    result = build_plan(settings, source_path=TRADITIONAL, slug="traditional", registry_path=MINI_REGISTRY)
    plan, text = result.plan, TRADITIONAL.read_text(encoding="utf-8")
    assert [c.key for c in plan.clauses] == [c.key for c in mini.plan.clauses]
    assert [u.written for u in plan.clauses[0].units] == ["市大數據局", "市科技局", "各區(縣)政府"]  # as written
    assert all(text[c.text.span.start:c.text.span.end] == c.text.text for c in plan.clauses)
    assert plan.domains[0].label == "大數據" and plan.title.text == "示例市數字經濟三年行動計劃"
    # registered units resolve through their simplified forms; the two unknown ones stay as written
    assert result.unregistered == ["市新興產業促進中心", "市通信發展辦公室"] and mini.unregistered == ["市新兴产业促进中心", "市通信发展办公室"]
    assert result.report.conforms


NO_TOP = Path(__file__).parent / "data" / "plans" / "no-top-level.txt"


def test_plan_without_top_level_headings(settings):
    plan = extract_plan(read_source(NO_TOP), "no-top")
    assert [(s.title.text, s.kind) for s in plan.sections] == [("正文", "tasks")]
    assert [(c.key, [(u.written, u.role) for u in c.units]) for c in plan.clauses] == [
        ("task-01-1", [("县科技局", "lead"), ("县财政局", "support")]),
        ("task-02-1", [("县科技局", "unspecified"), ("县工业和信息化局", "unspecified")]),
        ("task-03-1", [("县委组织部", "unspecified"), ("县人力资源社会保障局", "unspecified")]),
    ]
    assert any("no top-level headings" in w.message for w in plan.warnings)
    from lpsplan.build import build_plan

    assert build_plan(settings, source_path=NO_TOP, slug="no-top", jurisdiction="moushi").report.conforms


def test_more_label_forms_traps_and_comparators(tmp_path):
    text = "\n".join([
        "某市数字经济工作要点",
        "(2024—2025年)",
        "一、 工作目标",
        "——规模扩大。到2025年,数字经济占比超过40%,数据中心能耗控制在5万吨以内。",
        "二、 重点任务",
        "(一)夯实基础。实施三大行动(乡村振兴、大数据、大生态),统计生产总值(GDP)(主要责任单位:市大数据局,协同配合单位:市统计局)。",
        "(二)推进应用。建设行业平台(牵头单位:市工业和信息化局,配合单位:市商务局、市科技局)。",
    ]) + "\n"
    path = tmp_path / "forms.txt"
    path.write_text(text, encoding="utf-8")
    plan = extract_plan(read_source(path), "forms")
    assert [s.title.text for s in plan.sections] == ["工作目标", "重点任务"]  # "一、 " with a space
    assert [(c.key, [(u.written, u.role) for u in c.units]) for c in plan.clauses] == [
        ("task-01-1", [("市大数据局", "unspecified"), ("市统计局", "support")]),
        ("task-02-1", [("市工业和信息化局", "lead"), ("市商务局", "support"), ("市科技局", "support")]),
    ]
    assert plan.clauses[0].text.text.startswith("实施三大行动(乡村振兴、大数据、大生态)")  # an enumeration, not units
    assert [(t.indicator, str(t.value), t.unit, t.comparator) for t in plan.targets] == [
        ("数字经济占比", "40", "%", ">"), ("数据中心能耗", "5", "万吨", "≤")]


def test_targets_inside_tasks(settings, tmp_path):
    """A count a task builds (建设…2个), a threshold (达到50家以上) and a deadline (2023年12月底前完成)."""
    from lpsplan.build import build_plan

    plan = tmp_path / "tasks.txt"
    plan.write_text("某市科技创新工作方案\n(2022—2024年)\n为推动科技创新,制定本方案。\n一、重点任务\n"
                    "(一)建设创新平台。建设省院士工作站2个。(责任单位:市科技局)\n"
                    "(二)培育创新主体。高新技术企业达到50家以上,2023年12月底前完成。(责任单位:市科技局、市财政局)\n",
                    encoding="utf-8")
    targets = {(t.indicator, t.value, t.unit, t.comparator, t.deadline) for t in
               build_plan(settings, source_path=plan, slug="tasks", jurisdiction="moushi").plan.targets}
    assert ("建设省院士工作站", 2, "个", "=", 2024) in targets
    assert ("高新技术企业", 50, "家", "≥", 2023) in targets


def test_labelled_lines_with_a_leader_and_a_section_label(settings, tmp_path):
    """牵头科室(单位): / 责任领导: (people, no units) / 配合单位: / 完成时限: under a task."""
    from lpsplan.build import build_plan

    plan = tmp_path / "lines.txt"
    plan.write_text("某县科技局2024年工作要点\n为做好全年工作,制定本要点。\n一、重点工作\n(一)推进成果转化。开展技术对接活动。\n"
                    "牵头科室(单位):成果转化科\n责任领导:张某\n配合单位:县财政局、各乡镇\n完成时限:2024年12月底\n", encoding="utf-8")
    result = build_plan(settings, source_path=plan, slug="lines", jurisdiction="moushi")
    assert result.plan.period == (2024, 2024)  # the one year of a 工作要点
    (c,) = result.plan.clauses
    assert [(u.written, u.role) for u in c.units] == [("成果转化科", "lead"), ("县财政局", "support"), ("各乡镇", "support")]
    assert c.deadline == 2024


def test_units_resolve_within_the_plans_own_jurisdiction(settings, tmp_path):
    """市科技局 in a 滕州 plan is 滕州市科学技术局 (unregistered), never Liupanshui's; 省 is the province."""
    from lpsplan.build import build_plan
    from rdflib.namespace import SKOS

    plan = tmp_path / "tengzhou.txt"
    plan.write_text("滕州市科技创新工作方案\n(2023—2025年)\n为推动科技创新,制定本方案。\n一、重点任务\n"
                    "(一)建设创新平台。建设省院士工作站2个。(责任单位:市科技局、市委组织部、省科技厅)\n", encoding="utf-8")
    result = build_plan(settings, source_path=plan, slug="tengzhou", jurisdiction=None)
    labels = {str(o) for o in result.graph.objects(None, SKOS.prefLabel)}
    assert {"滕州市科学技术局", "中共滕州市委组织部", "山东省科学技术厅"} <= labels
    assert not any("六盘水" in label for label in labels)
    assert set(result.unregistered) == {"市科技局", "市委组织部", "省科技厅"}
    assert any(f.what == "jurisdiction" and f.value == "滕州市" for f in result.plan.inferred)


def test_the_notices_own_points_are_not_the_plans_sections(settings, tmp_path):
    """一、提高认识 / 二、加强领导 of the notice, then the plan's title and its own 一、 sections."""
    from lpsplan.build import build_plan

    plan = tmp_path / "notice.txt"
    plan.write_text("各县(区)人民政府,市直各部门:\n现将《某市科技服务业发展实施方案》印发给你们,并提出以下要求。\n一、提高认识\n"
                    "各地要把科技服务业摆上重要位置。\n二、加强领导\n各部门要明确分工。\n某市人民政府办公室\n2024年3月1日\n"
                    "某市科技服务业发展实施方案\n为发展科技服务业,制定本方案。\n一、重点任务\n"
                    "(一)建设服务平台。到2026年建成服务平台5个以上。(责任单位:市科技局)\n", encoding="utf-8")
    result = build_plan(settings, source_path=plan, slug="notice", jurisdiction="moushi")
    assert [s.title.text for s in result.plan.sections] == ["重点任务"]
    assert result.plan.title.text == "某市科技服务业发展实施方案" and result.plan.period == (2024, 2026)
    assert [u.written for c in result.plan.clauses for u in c.units] == ["市科技局"]


def test_riders_in_other_words(settings, tmp_path):
    """以下均需…不再重复 / 除专门列出外: the units go to the following items that name none, recorded as inherited."""
    from lpsplan.build import build_plan

    plan = tmp_path / "riders2.txt"
    plan.write_text("某区科技服务业发展实施方案\n(2024—2025年)\n为发展科技服务业,制定本方案。\n一、重点任务\n"
                    "(一)建设服务平台。建设平台。(责任单位:区科技局、各街道,除专门列出外,以下均需各街道落实,不再重复)\n"
                    "(二)培育服务机构。培育机构。\n(三)优化服务环境。优化环境。(责任单位:区市场监管局)\n", encoding="utf-8")
    clauses = build_plan(settings, source_path=plan, slug="riders2", jurisdiction="moushi").plan.clauses
    assert [(c.key, [u.written for u in c.units], bool(c.inherited_from)) for c in clauses] == [
        ("task-01-1", ["区科技局", "各街道"], False), ("task-02-1", ["区科技局", "各街道"], True), ("task-03-1", ["区市场监管局"], False)]
