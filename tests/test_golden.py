"""Golden facts of the Liupanshui plan: counts, order, and named clauses."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import clause

SOURCE_SHA256 = "d32dbe54adc770c2defd802b50725cb5c7d6a6624c038b694e0a307125d37876"
COAL_CHEMICAL_UNITS = ["市工业和信息化局", "市能源局", "市科技局", "各市〔特区、区〕政府", "六盘水高新区管委会"]


def test_source_copy_is_byte_identical(settings):
    data = settings.paths.source.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SOURCE_SHA256
    assert len(data.decode("utf-8")) == 7970


def test_plan_header(plan):
    assert plan.title.text == "六盘水市科技创新三年行动计划"
    assert plan.period == (2021, 2023)
    assert [i.text for i in plan.issuers] == ["中共六盘水市委办公室", "六盘水市人民政府办公室"]
    assert [n.text for n in plan.notes] == ["此件公开发布"]
    assert plan.addressees[0].text == "各市(特区、区)党委和人民政府"
    assert plan.addressees[-1].text == "市属企事业单位"
    assert len(plan.addressees) == 10


def test_sections_in_order(plan):
    assert [s.title.text for s in plan.sections] == ["总体要求", "工作目标", "重点领域", "重点任务", "保障措施"]
    assert [s.ordinal for s in plan.sections] == [1, 2, 3, 4, 5]


def test_counts(built):
    counts = built.counts()
    assert counts["principles"] == 3
    assert counts["objectives"] == 4
    assert counts["targets"] == 12
    assert counts["domains"] == 13
    assert counts["tasks"] == 9
    assert counts["measures"] == 4
    assert counts["clauses"] == 48
    assert counts["annexes"] == 2
    assert counts["unregistered units"] == 0


def test_principles_objectives_measures(plan):
    assert [p.headline.text for p in plan.principles] == [
        "坚持产业创新,构造发展新优势", "坚持平台创新,激发发展新活力", "坚持开放创新,集聚发展新资源"]
    assert plan.objectives[0].headline.text == "科技创新投入明显增加"
    assert plan.objectives[3].headline.text == "科技创新人才队伍不断壮大"
    assert [m.title.text for m in plan.measures] == ["强化组织领导", "强化资金保障", "强化政策落实", "强化创新考核"]


def test_domains(plan):
    assert [d.label for d in plan.domains] == [
        "煤炭", "现代煤化工", "电力", "钢铁", "建材", "纺织", "特色农业", "新材料", "新能源", "物联网(大数据)",
        "现代物流", "装备制造", "其他"]
    coal = plan.domains[0]
    assert [f.text for f in coal.focus] == ["煤炭绿色开采", "清洁高效利用", "科技兴安"]


def test_annexes_are_titles_without_content(plan):
    assert [(a.number, a.subtitle.text, a.content_missing) for a in plan.annexes] == [
        (1, "市直单位任务指标", True), (2, "各市〔特区、区〕、六盘水高新区任务指标", True)]


def test_every_annotation_is_a_clause_with_its_units_in_order(plan, settings):
    """An independent reading: a plain regex over the raw text finds the 48 annotations."""
    text = settings.paths.source.read_text(encoding="utf-8")
    naive = []
    for m in re.finditer(r"\(责任单位:(.*?)\)(?![^(]*〕)", text):
        body = re.sub(r"〔[^〕]*〕", lambda g: g.group(0).replace("、", "\0"), m.group(1))
        naive.append((m.start(), [u.replace("\0", "、") for u in re.split(r"[、,]", body)]))
    assert len(naive) == 48
    assert [(c.annotation.span.start, [u.written for u in c.units]) for c in plan.clauses] == naive
    for c in plan.clauses:
        assert c.text.span.end == c.annotation.span.start, c.key  # the clause ends at its annotation
        assert text[c.text.span.start : c.text.span.end] == c.text.text
        assert text[c.annotation.span.start : c.annotation.span.end] == c.annotation.text


def test_clauses_per_item(plan):
    per = {}
    for c in plan.clauses:
        per[c.container.key] = per.get(c.container.key, 0) + 1
    assert per["domain-12"] == 2 and per["domain-13"] == 2
    assert per["task-03"] == 5 and per["task-05"] == 7 and per["task-09"] == 8
    assert sum(v for k, v in per.items() if k.startswith("domain")) == 15
    assert sum(v for k, v in per.items() if k.startswith("task")) == 33


def test_coal_chemical_clause(plan):
    c = clause(plan, "domain-02-1")
    assert [u.written for u in c.units] == COAL_CHEMICAL_UNITS
    assert c.text.text.startswith("围绕煤气化、煤焦化及煤化工产品精深加工等方向")


def test_mid_sentence_annotations_of_task_three(plan):
    assert clause(plan, "task-03-2").text.text == "工程研究中心"
    assert [u.written for u in clause(plan, "task-03-2").units] == ["市发展改革委", "各市〔特区、区〕政府", "六盘水高新区管委会"]
    assert clause(plan, "task-03-3").text.text == "企业技术中心"
    assert [u.written for u in clause(plan, "task-03-3").units] == ["市工业和信息化局", "各市〔特区、区〕政府", "六盘水高新区管委会"]


@pytest.mark.parametrize("key, starts, tail", [
    ("task-03-4", "打造一批众创空间、企业孵化器、大学科技园", "等创新平台"),
    ("task-03-5", "鼓励企业、高校、科研院所建立新型研发机构。", "等高质量创新创业孵化平台"),
    ("task-05-3", "探索“研发在北上广、转化在六盘水”引才模式", "帮扶等方式参与我市科技创新"),
])
def test_a_clause_starts_after_the_previous_sentence_ends(plan, settings, key, starts, tail):
    """The text between an annotation and the next sentence end finishes the previous list
    item (…大学科技园(责任单位:…)等高质量创新创业孵化平台;): the next clause starts after it."""
    c = clause(plan, key)
    assert c.text.text.startswith(starts)
    text = settings.paths.source.read_text(encoding="utf-8")
    assert text[c.text.span.start:c.text.span.end] == c.text.text
    before = text[:c.text.span.start]
    assert before.endswith(tail + ";")


def test_second_clause_of_domain_twelve_starts_after_the_first_annotation(plan):
    assert clause(plan, "domain-12-2").text.text.startswith("支持旅游装备、智慧旅游等技术推广应用")
    assert clause(plan, "domain-13-2").text.text.startswith("支持能源活动、工业生产")


def test_single_unit_clauses(plan):
    assert [u.written for u in clause(plan, "task-05-2").units] == ["市科协"]
    assert clause(plan, "task-05-2").text.text == "“院士凉都行”"
    assert [u.written for u in clause(plan, "task-04-1").units] == ["六盘水高新区管委会"]
