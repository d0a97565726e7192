"""Ingest on real plans as they are published (tests/data/real: excerpts of 361 documents from
30 provinces, each with its page address, split by site into dev and test, hand-labelled; 28 for metadata only).

The floors are the figures measured on the test split, which the extractor was not tuned on
(docs/plans.md has the per-document table); the other tests pin forms of the genre on the
real texts they were found in (all from the dev split unless said otherwise).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from lpsplan.build import build_plan
from lpsplan.errors import LpsplanError
from lpsplan.inputs import read_plan_input
from lpsplan.plan_eval import evaluate, totals

REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture(scope="module")
def test_split(settings):
    """The test documents labelled for their annotations (batches 1-8 and 10-12); the ninth batch is labelled for
    metadata only, and batches 13-17, 19 and 21 were moved to dev after each was scored once."""
    return evaluate(REAL, "test", settings, batches=(*range(1, 9), *range(10, 13)))


def read(settings, name: str, **options):
    source = read_plan_input(REAL / f"{name}.txt").source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False, **options)


def test_the_corpus_is_what_the_manifest_says():
    manifest = yaml.safe_load((REAL / "manifest.yaml").read_text(encoding="utf-8"))
    docs = manifest["documents"]
    assert len(docs) >= 40 and len({d["province"] for d in docs if d["province"]}) >= 15 and len({d["kind"] for d in docs}) >= 8
    assert {p.stem for p in REAL.glob("*.txt")} == {d["id"] for d in docs}
    assert all(d["url"].startswith("http") and d["split"] in ("dev", "test") for d in docs)
    sites = {}
    for d in docs:  # split by source: no site in both splits
        host = re.sub(r"^(www|m)\.", "", d["url"].split("/")[2])
        sites.setdefault(host, set()).add(d["split"])
    assert all(len(splits) == 1 for splits in sites.values())


def test_floors_on_the_test_split(test_split):
    t = totals(test_split)
    assert t["documents"] == 121 and t["annotations"] == 211
    # Each batch was scored once when it came fresh (docs/plans.md has the history, batch by batch).  Batches 13-17, 19
    # and 21 were moved to dev after their one score, so that rules are written on them.  These floors are the figures
    # measured once after round 38 was merged: 160 of 211 annotations (159 after rounds 34 and 36, 154 after rounds 30
    # and 31); every other figure as after rounds 34 and 36
    assert t["annotations right"] >= 160
    # since the ninth round's rule (a place is read within the plan's hierarchy): 0
    assert t["units of another jurisdiction"] == 0
    # measured: 3 of 121 (plans with no plan structure found, or no title line and no unit named)
    assert t["plans refused"] <= 3
    assert t["notices"] == 7 and t["notices refused (right)"] >= 7  # measured: 7 of 7
    assert t["titles right"] >= 82  # measured: 82 of 97 labelled
    assert t["periods right"] >= 43  # measured: 43 of 45 labelled (41 before round 36)
    assert t["targets found"] >= 111  # measured: 111 of 228 (104 before round 34, 82 before round 31)


def test_a_blind_second_reading_of_the_test_split_agrees_with_its_labels(test_split):
    """The labels the test split is scored on were read a second time, blind, by readers who saw the texts and
    gold.yaml's rules only (tests/data/real/second-reading/: their labels and, per part, each disagreement with a
    verdict).  Measured: 204 of the 211 annotations agree (units in order, roles); the second reading found 212;
    every document's expect agrees, one document's count of damaged annotations differs."""
    from lpsplan.plan_eval import agreement

    parts = sorted((REAL / "second-reading").glob("test-part*.yaml"))
    read = [doc for part in parts for doc in yaml.safe_load(part.read_text(encoding="utf-8"))]
    assert sorted(read) == sorted(r.id for r in test_split)  # every document the floors are measured on, once, and no other
    counts = agreement(REAL, parts)
    assert counts["annotations (first reading)"] == 211 and counts["annotations (second reading)"] == 212
    assert counts["annotations agreeing"] == 204 and counts["expect differs"] == 0 and counts["damaged differs"] == 1


def test_floors_on_the_dev_split(settings):
    """The split the rules were written on: its figures after the document-forms, structures, both units and the tables
    rounds were merged (each round's documents labelled before any run: batch 13d, 30 of the first twelve's 44
    annotations read before that round's rules; batch 14s, 13 of 37; the second units round's six, 8 of 20; the tables
    round's nine, 0 of 54), with test batches 13-17, moved to dev after each was scored once (43 of their 126
    annotations read when moved; 102 after round 27's rules, written on them), and round 28's batch 18 (11 of its 24
    annotations read before its rules, 15 after), and round 30's batch 20 (13 of its 44 annotations read fresh, 3 of its
    12 plans refused; 20 after the round's rules), and test batch 19, moved to dev after its one score (29 of 37), and
    round 34's batch 22 (17 of its 32 annotations read fresh on the round's starting code, 0 of 6 plans refused; 32 after
    writer B's rules), and test batch 21, moved to dev after its one score (2 of 4, 6 units of another jurisdiction, both
    notices read as plans; 3, 0 and both refused after round 37), and round 38's batches 23 and 24 (25 of their 37
    annotations read fresh, recorded in docs/plans.md), and round 39's batches 25, 26 and 27 (48 of their 72 annotations
    read fresh, recorded in docs/plans.md), and round 40's batches 28, 29 and 30 (31 of their 42 annotations read fresh,
    on round 39's code, recorded in docs/plans.md)."""
    t = totals(evaluate(REAL, "dev", settings))
    assert t["documents"] == 277 and t["annotations"] == 744
    # measured: 730 of 744 after round 40's two writers were merged (714 after writer A alone, 723 after writer B alone,
    # 719 before, with batches 28-30: 688 of the 702 before them and 31 of their 42)
    # measured: 688 of 702 after round 39's two writers were merged (676 after writer A alone, 675 after writer B alone,
    # 663 before, with batches 25-27)
    # measured: 615 of 630 after round 38's two writers were merged (608 after writer A alone, 605 after writer B alone,
    # 598 before, with batches 23 and 24); 573 of 593 after round 37 (570 of the 589 before batch 21 was moved here,
    # after round 34's two writers and round 36 were merged; 528 with batch 22 before round 34's rules; 511 of the 557
    # before batch 22, 482 of the 520 before batch 19 was moved here, 462 of the 476 before batch 20)
    assert t["annotations right"] >= 730
    assert t["units of another jurisdiction"] == 0
    # measured: 2 of 244 after round 39's writer B (长沙's, and batch 25's 长宁 notice whose table is cut before its unit
    # cells; 郑州's notice, refused for want of a title before the round, is read); 1 of 221 after round 38 (长沙's text
    # that ends inside its first row); 4 before it (batch 20's 章镇, its
    # opening run into long lines; batch 21's 天津 division, its items numbered 1。; batch 23's 武昌 progress report,
    # its title a 完成情况通报); 5 before round 34 read 成都's, 荆州's and 西城's tables
    # measured after round 39's two writers: 1 of 244 (长沙, as after round 38); 3 before it (batch 25's 长宁 key-work
    # targets, whose table is cut before its unit cells, read since writer A; batch 26's 郑州 notice, titled since writer B)
    assert t["plans refused"] <= 1
    # measured: 12 of 12 with batch 28's 增城 notice; 11 of 11 with batch 25's 灌云 notice (7 of 8 before round 37 read a
    # notice's own points after 现印发给你们 as one)
    assert t["notices"] == 12 and t["notices refused (right)"] == 12
    # measured: 221 of 227 titles, 156 of 157 periods after round 40's two writers (219, 155 after writer B alone; 212, 154
    # before, with batches 28-30);
    # 200 of 211, 143 of 145 labelled after round 39's two writers (196, 142 before; 182, 132 of 192, 134 after round 38)
    assert t["titles right"] >= 221 and t["periods right"] >= 156
    # measured: 443 of 671 with batches 28-30, before and after round 40's writer B; 416 of 638 after round 39 (414
    # before; 368 of 561 after round 38)
    assert t["targets found"] >= 443
    for batch, documents, labelled, right in ((28, 7, 25, 25), (29, 6, 10, 10), (30, 7, 7, 7)):
        new = totals(evaluate(REAL, "dev", settings, batch=batch))
        assert new["documents"] == documents and new["annotations"] == labelled
        # measured fresh (the code before round 40, after round 39's merge): batches 28-30 31 of 42 together; after round
        # 40's two writers: 25 (A: 芜湖 9, 龙湾 8, 镇江 1, 江西 2; B: 浙江's rider with its marked leads), 10 (楚雄's list
        # run into 责任人:) and 7 (沧州's and 黑龙江's collectives), none refused
        assert new["annotations right"] >= right and new["plans refused"] == 0
        assert new["units of another jurisdiction"] == 0
    for batch, documents, labelled, right, refused in ((25, 8, 29, 29, 0), (26, 7, 16, 16, 0), (27, 9, 27, 27, 0)):
        new = totals(evaluate(REAL, "dev", settings, batch=batch))
        assert new["documents"] == documents and new["annotations"] == labelled
        # measured fresh (the code before round 39): batch 25 15 of 29, 26 7 of 16, 27 26 of 27; after round 39's two
        # writers: 29 (长宁 read, refused before), 16 (郑州 read, refused before), 27
        assert new["annotations right"] >= right and new["plans refused"] <= refused
        assert new["units of another jurisdiction"] == 0
    for batch, documents, labelled, right in ((28, 7, 25, 24), (29, 6, 10, 9), (30, 7, 7, 5)):
        new = totals(evaluate(REAL, "dev", settings, batch=batch))
        assert new["documents"] == documents and new["annotations"] == labelled
        # measured fresh (round 39's writer A's code): batch 28 17 of 25, 29 9 of 10, 30 5 of 7, 0 refused; after round
        # 40's writer A: 24 (芜湖 9, 龙湾 8, 镇江 1, 江西 2), 9, 5, 0 refused
        assert new["annotations right"] >= right and new["plans refused"] == 0
        assert new["units of another jurisdiction"] == 0
    new = totals(evaluate(REAL, "dev", settings, batch=21))
    assert new["documents"] == 6 and new["annotations"] == 4 and new["units of another jurisdiction"] == 0
    # measured when moved: 2 of 4, 6 units of another jurisdiction, 0 of 2 notices refused; after round 37: 3, 0, 2
    assert new["annotations right"] >= 3 and new["notices refused (right)"] == 2
    for batch, documents, labelled, right in ((23, 8, 23, 23), (24, 7, 14, 13)):
        new = totals(evaluate(REAL, "dev", settings, batch=batch))
        assert new["documents"] == documents and new["annotations"] == labelled
        # measured fresh (the code before round 38): batch 23 14 of 23, 1 refused; batch 24 11 of 14, 0 refused;
        # after round 38's two writers: 23 and 13, 0 refused
        assert new["annotations right"] >= right and new["plans refused"] == 0
    new = totals(evaluate(REAL, "dev", settings, batch=22))
    assert new["documents"] == 6 and new["annotations"] == 32
    # measured fresh (the round's starting code): 17 of 32, 0 refused, titles 2 of 5, periods 4 of 5, targets 11 of 32;
    # after writer B's rules of round 34: 32, 0, 3, 5, 16
    assert new["annotations right"] >= 32 and new["plans refused"] == 0
    assert new["titles right"] >= 3 and new["periods right"] >= 5 and new["targets found"] >= 16
    new = totals(evaluate(REAL, "dev", settings, batch=19))
    assert new["documents"] == 11 and new["annotations"] == 37
    # measured when moved: 29 of 37, 1 refused; 35 and 0 after round 34 (西城's table, 黑龙江's and 石景山's units…)
    assert new["annotations right"] >= 35 and new["plans refused"] == 0
    new = totals(evaluate(REAL, "dev", settings, batch=20))
    assert new["documents"] == 12 and new["annotations"] == 44
    # measured fresh: 13 of 44, 3 refused; 41 and 1 after round 34 (成都, 荆州, 台山, 保山, 江西)
    assert new["annotations right"] >= 41 and new["plans refused"] <= 1
    new = totals(evaluate(REAL, "dev", settings, batch=18))
    assert new["documents"] == 6 and new["annotations"] == 24
    assert new["annotations right"] >= 15 and new["plans refused"] <= 1  # measured fresh: 11 of 24, 2 refused
    new = totals(evaluate(REAL, "dev", settings, batches=("13d",)))
    assert new["documents"] == 13 and new["annotations right"] == 45 and new["titles right"] == 12
    new = totals(evaluate(REAL, "dev", settings, batches=("14s",)))
    assert new["documents"] == 10 and new["annotations right"] >= 31 and new["titles right"] == 7
    moved = totals(evaluate(REAL, "dev", settings, batches=(13, 14, 15, 16, 17)))
    assert moved["documents"] == 46 and moved["annotations"] == 126
    # measured when moved: 43 of 126, 4 refused, titles 28 of 42, periods 22 of 31; after round 27: 102, 1, 35, 26
    assert moved["annotations right"] >= 102 and moved["plans refused"] <= 1
    assert moved["titles right"] >= 35 and moved["periods right"] >= 26


def test_floors_on_the_ninth_batch_metadata_only(settings):
    """The ninth test batch, labelled for metadata only, measured once after the ninth round's changes and once after
    the merge with the tenth round (the same figures)."""
    t = totals(evaluate(REAL, "test", settings, batch=9))
    assert t["documents"] == 7 and t["units of another jurisdiction"] == 0
    assert t["plans refused"] == 0  # measured: 0 of 4
    assert t["notices refused (right)"] == t["notices"] == 1 and t["preamble-only excerpts refused (right)"] == 2
    assert t["titles right"] >= 3  # measured: 3 of 4 (正文复制, a page's button, read as the title's start)
    assert t["periods right"] >= 4 and t["jurisdictions right"] >= 4  # measured: 4 of 4 each
    assert t["issuers right"] >= 1  # measured: 1 of 2 (六安市农业农村局 stands in its title, before the year)


def test_title_period_and_jurisdiction_are_read_from_the_notice_and_the_text(settings):
    b = read(settings, "heze-division")  # 现将 《…分工落实方案》印发给你们; 菏政办字 〔2023〕1号
    assert b.plan.title.text == "菏泽市深化新旧动能转换推动绿色低碳高质量发展分工落实方案" and b.plan.period == (2023, 2023)
    how = {f.what: f.how for f in b.plan.inferred}
    assert "现将" in how["title"] and "document number" in how["period"] and how["jurisdiction"] == "named in the title"
    b = read(settings, "jingan-shanghai-service")  # a title split over two lines
    assert b.plan.title.text == "静安区全力打响“上海服务”品牌加快建设“国际静安”三年行动计划" and b.plan.period == (2018, 2020)
    b = read(settings, "hangzhou-internet-plus")  # (2015年9月15日) and 到2020年
    assert b.plan.period == (2015, 2020)
    b = read(settings, "baotou-opinions")  # “中国制造2025” in the title is no period
    assert b.plan.period == (2017, 2020)


def test_units_are_named_within_the_plans_own_jurisdiction(settings):
    from rdflib.namespace import SKOS

    b = read(settings, "hangzhou-internet-plus")
    labels = {str(o) for o in b.graph.objects(None, SKOS.prefLabel)}
    assert "杭州市科学技术委员会" in labels and "杭州市发展和改革委员会" in labels
    assert not any(label.startswith("六盘水") for label in labels)  # no longer Liupanshui's bureaus
    b = read(settings, "sichuan-circulation-14th")  # a province's plan: 商务厅 is Sichuan's
    labels = {str(o) for o in b.graph.objects(None, SKOS.prefLabel)}
    assert {"四川省商务厅", "四川省发展和改革委员会"} <= labels


def test_a_cut_off_annotation_warns_with_its_place(settings):
    b = read(settings, "heze-division")  # the excerpt ends inside (牵头单位:市发
    assert any("damaged annotation" in w.message for w in b.warnings)
    assert re.search(r"heze-division\.txt:7:\d+", b.describe())
    with pytest.raises(LpsplanError, match="unbalanced bracket"):
        build_plan(settings, source=read_plan_input(REAL / "heze-division.txt").source, slug="heze", jurisdiction=None, strict=True)


def test_forms_of_the_genre_on_real_text(settings):
    units = lambda b: [[(u.written, u.role) for u in c.units] for c in b.plan.clauses if not c.inherited_from]
    # 〔责任单位:…按职责分工负责。具体任务…,下同。〕: the remark is no unit, the rider is recorded
    b = read(settings, "sichuan-circulation-14th")
    assert units(b)[0] == [(u, "unspecified") for u in ("省发展改革委", "省市场监管局", "商务厅", "省大数据中心")]
    assert b.plan.clauses[0].rider
    # a heading's own annotation: 一、强化科技创新(区科技局牵头)
    assert units(read(settings, "wucheng-policy-2025")) == [[("区科技局", "lead")]]
    # traditional characters, (…負責) with no label
    assert units(read(settings, "dongguan-employment-opinions"))[1] == [("市殘聯", "unspecified"), ("市財政局", "unspecified"),
                                                                       ("市稅務局", "unspecified")]
    # a notice's own numbered points are not a plan
    with pytest.raises(LpsplanError, match="notice"):
        read(settings, "panjin-division-2021")  # test split


def test_a_task_table_as_the_page_gives_it(settings):
    """谯城: one space between cells, a unit cell over four lines, 等区政府有关部门 dropped; no sections at all."""
    b = read(settings, "qiaocheng-sti-table-2023")
    rows = [[(u.written, u.role) for u in c.units] for c in b.plan.clauses]
    assert rows[1] == [(u, "unspecified") for u in ("区科技局", "区商务局(区药发中心)", "谯城经开区管委会", "区药投公司")] + [
        (u, "support") for u in ("区发改委", "区经信局", "区农业农村局", "区农投公司")]
    assert [c.deadline for c in b.plan.clauses] == [2023, 2023, 2023]


def test_labelled_lines_under_a_task_in_a_notice_that_is_the_document(settings):
    b = read(settings, "yanan-sti-tasks-2018")  # 责任领导 / 牵头科室(单位) / 完成时限 under 1.
    assert b.plan.title.text.endswith("2018年重点工作任务的通知") and b.plan.period == (2018, 2018)
    (c,) = b.plan.clauses
    assert [(u.written, u.role) for u in c.units] == [("计划科", "lead"), ("科技资源统筹中心基建办", "lead")] and c.deadline == 2018


def test_targets_in_objectives_written_under_general_requirements(settings):
    b = read(settings, "kaifeng-manufacturing")  # (二)发展目标 under 一、总体要求
    assert {(t.value, t.unit) for t in b.plan.targets} >= {(35, "%"), (1, "%"), (5, "%")}


def test_genre_titles_split_over_lines_and_behind_a_site_prefix(settings):
    b = read(settings, "lishan-division-2023")  # 立山区政府2023年重点工作 / 任务分解和责任分工方案
    assert b.plan.title.text == "立山区政府2023年重点工作任务分解和责任分工方案" and b.plan.period == (2023, 2023)
    b = read(settings, "wuhan-responsibility-2022")  # 2022年市《政府工作报告》目标任务 / 责任分解方案
    assert b.plan.title.text == "2022年市《政府工作报告》目标任务责任分解方案"
    b = read(settings, "jining-county-rights")  # 政务服务丨济宁市人民政府关于…的实施意见
    assert b.plan.title.text == "济宁市人民政府关于持续深化“市县同权”改革的实施意见"
    b = read(settings, "jiangxi-sti-six-actions")  # 您当前所在位置: 首页 > … > 政策文件 is no title
    assert b.plan.title.text == "科技兴赣六大行动实施方案" and b.plan.period == (2023, 2025)


def test_labelled_lines_under_numbered_targets(settings):
    b = read(settings, "lishan-division-2023")  # 牵头单位:… / 责任单位:… on lines of their own
    first = b.plan.clauses[0]
    assert [(u.written, u.role) for u in first.units] == [("区发改局", "lead"), ("立山经济开发区", "unspecified"),
                                                          ("全区经济运行各专班", "unspecified")]


def test_a_text_without_title_asks_for_one(settings):
    from lpsplan.source import SourceText

    text = "各县区人民政府:\n一、总体要求\n(一)做好工作。(责任单位:县科技局)\n"
    source = SourceText("untitled.txt", text, "0" * 64)
    with pytest.raises(LpsplanError, match="give it with --title"):
        build_plan(settings, source=source, slug="untitled", jurisdiction=None, strict=True)
    # lenient: its annotation is read, under the plan's id as a provisional title, and the warning asks for the title
    plan = build_plan(settings, source=source, slug="untitled", jurisdiction=None, strict=False).plan
    assert plan.title.text == "untitled" and "give the title with --title" in plan.warnings[0].message
    assert [u.written for c in plan.clauses for u in c.units] == ["县科技局"]


def test_a_rider_and_a_rule_of_order_after_unlabelled_units():
    """Written for the test (not a real text): (X、Y等负责,列第一位者为牵头单位,下同)."""
    from lpsplan.extract.annotations import find_annotations_typed

    text = "(一)做好就业。(市发展改革委、市财政局等负责,列第一位者为牵头单位,下同)"
    ((_span, units, _),) = find_annotations_typed(text, 0, len(text), "x.txt", strict=False, warnings=[])
    assert [(u.written, u.role) for u in units] == [("市发展改革委", "lead"), ("市财政局", "support")]


def test_a_rule_of_order_with_a_rider_reaches_the_later_annotations():
    """Written for the test (not a real text): the rule stated once with 下同 holds for the annotations after it."""
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = ("某市促进就业实施方案(2020—2022年)\n一、主要任务\n(一)稳定岗位。落实稳岗政策。(市人社局、市财政局等负责,列第一位者为牵头单位,下同)\n"
            "(二)扩大就业。发展服务业。(市商务局、市农业局等负责)\n")
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False)
    assert [[u.role for u in c.units] for c in plan.clauses if not c.inherited_from] == [["lead", "support"], ["lead", "support"]]


def test_pinyin_glosses_a_page_inserted_are_taken_out(settings):
    from lpsplan.ingest import page_cleaned

    plan_input = page_cleaned(read_plan_input(REAL / "shanghai-integrity-2017.txt"))  # 關(guān)于本市加強(qiáng)…
    assert "(guān)" not in plan_input.source.text and any("pinyin" in note for note in plan_input.unread)
    b = build_plan(settings, source=plan_input.source, slug="shanghai", jurisdiction=None, strict=False)
    assert b.plan.title.text == "關于本市加強政務誠信建設的實施意見"


# ---- forms met again on this round's dev documents (each on the real text it was found in)


def cleaned_read(settings, name: str, **options):
    from lpsplan.ingest import page_cleaned

    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False, **options)


def units(clause):
    return [(u.written, u.role) for u in clause.units]


def test_square_bracket_annotations_are_read(settings):
    b = read(settings, "xialu-responsibility-2020")  # [牵头单位:区卫健局;责任单位:…]
    assert units(b.plan.clauses[0]) == [("区卫健局", "lead"), ("区疫情防控指挥部成员单位", "unspecified"), ("各街办(新区)", "unspecified")]
    assert len(b.plan.clauses) == 2 and b.plan.period == (2020, 2020)


def test_the_title_the_notice_names_wins_over_a_later_part_heading(settings):
    b = read(settings, "yuncheng-emergency-13th-breakdown")  # not “十三五”应急体系9个具体建设任务, a part's heading
    assert b.plan.title.text == "运城市突发事件应急体系建设“十三五”规划责任分解" and b.plan.period == (2016, 2020)


def test_et_cetera_closing_a_list_of_units_is_no_part_of_a_name(settings):
    b = read(settings, "xuchang-tasks-2020", title="许昌市2020年重点工作任务分解", period=(2020, 2020))
    assert units(b.plan.clauses[0]) == [("市疫情防控指挥部办公室", "unspecified"), ("市卫生健康委", "unspecified"),
                                        ("各县(市、区)政府(管委会)", "unspecified")]
    # 东城区管委会 among the addressees is a zone's committee, not 北京's 东城区
    assert any(f.what == "jurisdiction" and f.value == "许昌市" for f in b.plan.inferred)


def test_indentation_mis_decoded_as_question_marks_is_the_pages(settings):
    b = cleaned_read(settings, "jingan-elderly-childcare-2023")  # ??一、實施背景 / ??2023年4月23日
    assert b.plan.title.text == "靜安區促進養老托育服務高質量發展實施方案" and b.plan.period == (2023, 2023)
    assert [s.title.text for s in b.plan.sections] == ["實施背景"]


def test_an_item_number_lost_to_mis_decoding_is_numbered_by_its_place(settings):
    b = cleaned_read(settings, "panjin-hightech-zone-opinions")  # ?。ǘ┲饕繕?biāo)。 where (二)主要目標 was
    assert len(b.plan.principles) + len(b.plan.objectives) == 2
    assert any("mis-decoded" in w.message for w in b.plan.warnings)


def test_paragraph_tags_stored_as_text_are_line_breaks():
    from lpsplan.extract.pages import without_page_marks

    # no dev page gives its tags as text: the tags here are written for the test, the words are a dev text's own
    text = (REAL / "xialu-responsibility-2020.txt").read_text(encoding="utf-8")
    body = text[text.index("2020年区政府重点工作责任分解\n根据"):].splitlines()
    tagged = "".join(f"<p>{line}</p>" for line in body)
    clean, notes = without_page_marks(tagged)
    assert clean.splitlines() == body and "paragraph tags" in notes[0]


def test_the_pages_date_field_is_read_only_when_the_text_gives_none():
    from lpsplan.extract.metadata import find_issued
    from lpsplan.extract.text import lines

    text = (REAL / "xialu-responsibility-2020.txt").read_text(encoding="utf-8")
    spans = list(lines(text))
    assert find_issued(text, spans).how == "the date line"  # 2020年6月28日 (the 落款) before 发布日期:
    # no dev page gives a bare 时间: field; a written one (the form the page of a mirror site shows)
    page = "浏览量:  时间:2019-01-24 10:00:00\n各县人民政府:\n一、总体要求\n"
    got = find_issued(page, list(lines(page)))
    assert got.value == 2019 and "page's date field" in got.how
    page = "苏政发〔2018〕12号\n时间:2019-01-24\n"  # the document number wins over the page's field
    assert find_issued(page, list(lines(page))).value == 2018


def test_work_items_and_arrangements_end_a_title():
    from lpsplan.extract.metadata import find_title
    from lpsplan.extract.text import lines

    # written examples: no dev document has these genre words
    for title in ("2019年重点工作安排", "2006年政府工作报告要求重点做好的工作事项"):
        text = f"{title}\n一、总体要求\n"
        assert find_title(text, list(lines(text))[:1]).value[0].text == title


# ---- forms behind the fourth test batch's misses, learned on this round's dev documents


def test_a_task_table_given_one_cell_a_line(settings):
    """霍山: 序号 | / 重点工作 | / 责任领导 | / 责任单位 | / 完成时限 |, one cell a line; the 责任领导 cell is no unit."""
    b = read(settings, "huoshan-zone-tasks-2025")
    assert [units(c) for c in b.plan.clauses] == [[("招商工作部", "unspecified"), ("安商工作部", "unspecified")],
                                                 [("改革办", "unspecified")], [("规划建设局", "unspecified")]]
    assert b.plan.title.text == "2025年开发区重点工作及责任清单" and b.plan.period == (2025, 2025)


def test_a_markdown_like_task_table():
    """Written for the test (not a real text): | cells | on one line, a |---| rule under the header."""
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = ("某县2023年重点工作任务分解表\n| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n|---|---|---|---|---|\n"
            "| 1 | 建设科技创新平台 | 县科技局 | 县财政局、县发改局 | 2023年12月 |\n")
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False)
    (c,) = plan.clauses
    assert units(c) == [("县科技局", "lead"), ("县财政局", "support"), ("县发改局", "support")] and c.deadline == 2023


def test_items_of_one_sentence_closed_by_their_annotation(settings):
    """成都: 1.地区生产总值增长7%左右。(牵头单位:…;数据提供单位:…) — the sentence is the clause."""
    b = read(settings, "chengdu-report-tasks-2022")
    assert len(b.plan.clauses) == 13 and b.plan.clauses[0].text.text.endswith("地区生产总值增长7%左右。")
    assert units(b.plan.clauses[1]) == [("市农业农村局", "lead"), ("市公园城市局", "unspecified"), ("市统计局", "support")]
    # the same form in a task section (written for the test: no dev document has one): 1.加快…建设。(…牵头,…配合)
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = "某市促进消费若干措施(2023年)\n一、主要任务\n1.加快消费中心建设。(市商务局牵头,市发改委配合)\n"
    (c,) = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False).clauses
    assert c.text.text == "加快消费中心建设。" and units(c) == [("市商务局", "lead"), ("市发改委", "support")]


def test_a_year_after_the_title_and_a_breadcrumb_with_double_arrows(settings):
    """丽水: 当前位置:首页 / >> 专题专栏 >> … / 市政府工作报告重点工作责任分解(2023年)."""
    b = read(settings, "lishui-report-tasks-2023")
    assert b.plan.title.text == "市政府工作报告重点工作责任分解" and b.plan.period == (2023, 2023)


def test_respectively_leading_and_a_rule_of_order_in_labelled_lines(settings):
    """丽水: 责任单位:X、Y分别牵头 — both lead; …市卫生健康委(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同):
    the remark is no part of the last name, and the rule holds for this annotation and the later ones."""
    b = read(settings, "lishui-report-tasks-2023")
    c = b.plan.clauses
    assert units(c[5]) == [("市人力社保局", "lead"), ("市农业农村局", "lead")]
    assert units(c[3])[0] == ("市发改委", "lead") and units(c[3])[-1] == ("市卫生健康委", "support")
    assert units(c[9]) == [("市双招双引办", "lead")] + [(u, "support") for u in ("市发改委", "市经信局", "各县(市、区)政府", "丽水开发区管委会")]


def test_a_rule_of_order_inside_a_labelled_annotation(settings):
    """韶关: (責任單位:市稅務局、市財政局,排在首位的爲牽頭單位,下同); the title in a notice line with its number."""
    b = read(settings, "shaoguan-cost-measures-2019")
    assert units(b.plan.clauses[0]) == [("市稅務局", "lead"), ("市財政局", "support")]
    assert b.plan.title.text == "韶關市降低制造業企業成本支持實體經濟發展若幹政策措施" and b.plan.period == (2019, 2019)


def test_unit_lists_joined_by_and_and_deadlines_inside_annotations():
    """Written for the test (no dev document has them): 及/和/与 between two units' names, but not inside one
    (住房和城乡建设局); 6月底完成 / 完成时限:… inside the brackets is when, not who."""
    from lpsplan.extract.annotations import find_annotations_typed
    from lpsplan.extract.unitlists import stated_deadline

    def read_units(text):
        ((_span, found, _),) = find_annotations_typed(text, 0, len(text), "x.txt", strict=False, warnings=[])
        return [(u.written, u.role) for u in found]

    assert read_units("(责任单位:州委编办及州直相关单位,6月底完成)") == [("州委编办", "unspecified"), ("州直相关单位", "unspecified")]
    assert read_units("(责任单位:市住房和城乡建设局、市发展和改革委员会)") == [("市住房和城乡建设局", "unspecified"),
                                                                             ("市发展和改革委员会", "unspecified")]
    assert read_units("(牵头单位:县发改局;责任单位:县财政局与各乡镇;完成时限:2023年12月底前)") == [
        ("县发改局", "lead"), ("县财政局", "unspecified"), ("各乡镇", "unspecified")]
    assert read_units("(市商务局牵头,市级各有关部门及各县市区政府配合,2021年底前完成)") == [
        ("市商务局", "lead"), ("市级各有关部门", "support"), ("各县市区政府", "support")]
    assert stated_deadline("(责任单位:县财政局;完成时限:2023年12月底前)") == (True, 2023)
    assert stated_deadline("(责任单位:州委编办,6月底完成)") == (True, None)
    assert stated_deadline("(责任单位:州委编办)") == (False, None)


def test_the_title_standing_alone_in_quotes_on_the_first_line():
    """Written for the test (no dev document has it): 《…实施细则》 alone on the first line, no notice around it."""
    from lpsplan.extract.metadata import find_title
    from lpsplan.extract.text import lines

    text = "《关于进一步稳定经济增长的具体实施细则》\n为贯彻落实省政府部署,制定如下实施细则。\n一、落实财税支持政策\n"
    found = find_title(text, list(lines(text))[:2])
    assert found.value[0].text == "关于进一步稳定经济增长的具体实施细则" and "《…》" in found.how


def test_document_numbers_in_any_bracket_and_the_pages_date_fields():
    from lpsplan.extract.metadata import find_issued
    from lpsplan.extract.text import lines

    text = (REAL / "shaoguan-cost-measures-2019.txt").read_text(encoding="utf-8")  # 來源:…发表日期:2019-09-04
    from lpsplan.extract.traditional import simplified

    text = simplified(text)
    assert find_issued(text, list(lines(text))).value == 2019
    # written for the test: the number alone in brackets (traditional 號), and one a line cites is not this one's
    for page, year in (("关于基础教育的意见\n(皖政[2001]85號)\n一、总体要求\n", 2001),
                       ("某县实施方案\n根据《省实施方案》(省政发〔2016〕5号)精神\n", None),
                       ("某县实施方案\n来源:县政府 发布日期:2021-03-02\n", 2021)):
        got = find_issued(page, list(lines(page)))
        assert (got.value if got else None) == year


def test_a_plan_whose_text_states_no_year_is_read_without_a_period(settings, tmp_path):
    """Written for the test: no year anywhere — no period is invented, the plan is kept with a warning; the graph
    has no lps:periodStart/periodEnd and conforms; a target that states no year is not recorded."""
    from lpsplan.source import SourceText
    from lpsplan.vocab import LPS

    text = "某市促进消费若干措施\n一、主要任务\n1.加快消费中心建设,新建商业综合体5个。(市商务局牵头,市发改委配合)\n"
    b = build_plan(settings, source=SourceText("x.txt", text, "0" * 64), slug="no-year", jurisdiction=None, strict=False)
    assert b.plan.period is None and b.report.conforms and not b.plan.targets
    assert not list(b.graph.objects(None, LPS.periodStart)) and "period unknown" in b.describe()
    assert any("no plan period" in w.message for w in b.warnings)


def test_navigation_lines_and_inline_tags_are_the_pages():
    from lpsplan.extract.metadata import find_title
    from lpsplan.extract.pages import without_page_marks
    from lpsplan.extract.text import lines

    # written for the test: a breadcrumb with ›, and the site's 分类导航 line above a title, are no part of it
    for page in ("首页 › 政务公开 › 某县促进消费实施方案\n一、总体要求\n", "分类导航\n某县促进消费实施方案\n一、总体要求\n"):
        assert find_title(page, list(lines(page))[:-1]).value[0].text == "某县促进消费实施方案"
    # inline tags around a dev text's headings (the tags written for the test, the words the page's own)
    text = (REAL / "qingdao-green-tasks-2023.txt").read_text(encoding="utf-8").splitlines()
    tagged = "\n".join(f"<strong>{line}</strong>&nbsp;" if line.startswith(("一", "青島市深化")) else line for line in text)
    clean, notes = without_page_marks(tagged)
    assert clean == without_page_marks("\n".join(text))[0].replace("重點工作任務\n", "重點工作任務 \n", 1).replace("戰略\n", "戰略 \n", 1)
    assert any("inline" in n for n in notes) and any("entities" in n for n in notes)


# ---- forms behind the fifth test batch's misses, learned on this round's dev documents


def test_the_first_responsible_unit_leads_and_a_unit_named_alone_leads_too(settings):
    """厦门: 责任单位:市发改委、市财政局(第一责任单位为牵头单位,下同) / 时限要求:持续推进 — the rule holds for the later
    labelled lines, and a unit named alone is the first one; under 列第一位为牵头或汇总单位 (丽水) it is not."""
    b = read(settings, "xiamen-business-measures-2019")
    c = b.plan.clauses
    assert [units(x) for x in c] == [[("市发改委", "lead"), ("市财政局", "support")], [("市建设局", "lead")]]
    assert units(read(settings, "lishui-report-tasks-2023").plan.clauses[0]) == [("市发改委", "unspecified")]


def test_a_unit_alone_in_brackets_closing_a_task(settings):
    """2020年乡村振兴战略实施方案: each task's sentences on lines of their own, then (市农业农村局) on the last line."""
    b = read(settings, "rural-revitalization-scheme-2020")
    assert [units(c) for c in b.plan.clauses] == [[("市农业农村局", "unspecified")]] * 2 + [[("市发展改革委", "unspecified")]] + [
        [("市农业农村局", "unspecified")]] * 3
    assert b.plan.clauses[0].text.text.endswith("产量稳定在110 万吨以上。")
    # brackets at a line's end that hold no unit names are no annotation (written for the test)
    from lpsplan.extract.annotations import find_annotations

    for text in ("1.提高研发投入(GDP)\n", "2.推行河长制(试行)\n", "3.建设科创中心(以下简称中心)\n", "4.新建基站(2024年)\n"):
        assert find_annotations(text, 0, len(text), "x.txt", strict=False, warnings=[]) == []


def test_labelled_sentences_inside_a_paragraph_of_a_later_page(settings):
    """市容环境综合整治百日行动方案, page 2 on a document-sharing site: …水平。牵头单位:区建设局。责任单位:区房产局、园林局。12、…
    — the labelled sentences are one annotation; the title is the 《…_页2》 of the site's caption."""
    b = read(settings, "city-appearance-100days-p2")
    assert b.plan.title.text == "市容环境综合整治百日行动方案"
    read_units = [units(c) for c in b.plan.clauses]
    assert read_units[0] == [("区建设局", "lead")] + [(u, "unspecified") for u in ("区房产局", "园林局", "市政局", "国土局", "市容环卫局")]
    assert read_units[1] == [("区房产局", "lead"), ("区城管局", "unspecified")]
    assert b.plan.clauses[1].text.text.startswith("12、临街建(构)筑物粉刷出新整治。")
    assert b.plan.clauses[1].text.text.endswith("区房产局督促房屋产权单位或物业公司整治。")


def test_labels_of_the_genre_met_in_the_fifth_round():
    """Written for the test (the dev split has no document with them): 部门分工:X牵头,各地、各部门配合。 /
    牵头责任单位 + 协同责任单位 / 责任主体 / 主办单位 + 协办单位 / 实施主体 lines, 分管省领导 and 时限要求 lines that name no unit."""
    from lpsplan.extract.annotations import find_annotations

    def read_units(text):
        ((_span, found),) = find_annotations(text, 0, len(text), "x.txt", strict=False, warnings=[])
        return [(u.written, u.role) for u in found]

    assert read_units("分管省领导:张三\n部门分工:省农业农村厅牵头,各地、各部门配合。\n") == [
        ("省农业农村厅", "lead"), ("各地", "support"), ("各部门", "support")]
    assert read_units("牵头负责领导:李四\n牵头责任单位:县发改委\n协同责任单位:县财政局、县统计局\n") == [
        ("县发改委", "lead"), ("县财政局", "support"), ("县统计局", "support")]
    assert read_units("责任主体:各乡镇人民政府\n时限要求:2024年底前\n") == [("各乡镇人民政府", "unspecified")]
    assert read_units("主办单位:区文旅局\n协办单位:区教育局\n") == [("区文旅局", "lead"), ("区教育局", "support")]
    assert read_units("(实施主体:市城管局)") == [("市城管局", "unspecified")]


def test_a_bracket_the_page_broke_over_two_lines_and_units_separated_by_spaces():
    """Written for the test (the dev split has no document with them): (责任单位: at a line's end and the units
    on the next line; units a page separated by spaces.  A bracket still open after its third line is damaged."""
    from lpsplan.extract.annotations import find_annotations

    def read_units(text):
        return [[(u.written, u.role) for u in found] for _span, found in find_annotations(text, 0, len(text), "x.txt", strict=False,
                                                                                            warnings=[])]

    assert read_units("1.推进就业创业。(责任单位:\n省人力资源社会保障厅、省财政厅)\n") == [
        [("省人力资源社会保障厅", "unspecified"), ("省财政厅", "unspecified")]]
    assert read_units("(牵头单位:市发改委 市财政局 市商务局)") == [[("市发改委", "lead"), ("市财政局", "lead"), ("市商务局", "lead")]]
    assert read_units("(责任单位:市住房和城乡建设局)") == [[("市住房和城乡建设局", "unspecified")]]
    warnings = []
    # since the tenth round up to three lines (test_general_forms.py); still open after the third, it is damaged
    text = "(责任单位:\n市发改委、\n市财政局、\n市商务局)"
    assert find_annotations(text, 0, len(text), "x.txt", strict=False, warnings=warnings) == []
    assert "damaged annotation" in warnings[0].message


def test_a_later_page_that_starts_inside_a_numbered_list():
    """Written for the test (the dev page of this kind numbers its items from 1): items 204. 205. with no item 1
    and no heading above them are the tasks of one section."""
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = ("某市2023年目标任务责任分解方案\n——推进产业升级\n204.建成智能工厂10个。(牵头单位:市经信局)\n"
            "205.新增规模以上企业50家。(牵头单位:市经信局;责任单位:各区政府)\n")
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False)
    assert [units(c) for c in plan.clauses] == [[("市经信局", "lead")], [("市经信局", "lead"), ("各区政府", "unspecified")]]


def test_a_table_one_cell_a_line_whose_header_stands_above_the_sections(settings):
    """谯城区教育局: 序号 / 重点工作任务 / 主要责任单位 / 协同配合单位 each on its own line before 一、, then rows 3, 68,
    69 under the section headings (73 is cut: no row); a column's name is never the title."""
    b = read(settings, "qiaocheng-education-table-2025")
    assert b.plan.title.text == "谯城区教育局2025年政府工作报告重点工作任务分解表"
    c = b.plan.clauses
    assert [x.text.text for x in c][1:] == ["持续推进学前教育普及普惠、义务教育优质均衡发展,加快建设黎明小学、亳州四中等扩建教学楼项目。",
                                            "深化与海亮集团合作,积极引进优质教育资源。"]
    assert units(c[2]) == [("区教育局", "unspecified"), ("区投资促进中心", "support")]
    assert units(c[0])[:2] == [("区发改委", "unspecified"), ("区工信局", "support")] and len(c[0].units) == 12


def test_the_pages_links_and_an_attachment_line_are_no_part_of_a_title():
    """Written for the test (the dev split has no document with them): 联系我们 before the title on its line, and a
    附件:1.… line above a title's second half, are the page's and the notice's, not the title's."""
    from lpsplan.extract.metadata import find_title
    from lpsplan.extract.text import lines

    text = "联系我们 某市关于加快农业发展的若干政策意见\n一、总体要求\n"
    assert find_title(text, list(lines(text))[:1]).value[0].text == "某市关于加快农业发展的若干政策意见"
    text = "附件1\n重点工作责任分解\n一、主要目标\n"
    found = find_title(text, list(lines(text))[:2])
    assert found.value[0].text == "重点工作责任分解"


def test_the_measure_takes_no_generic_short_form_for_a_place():
    from lpsplan.divisions import unit_place
    from lpsplan.plan_eval import _other_jurisdiction, _place

    # 东乡族自治县 and 鄂温克族自治旗 shorten to 自治: a region's 自治区财政厅 names no other place
    assert unit_place("自治区财政厅", None) is None
    assert unit_place("自治区党委金融委员会办公室", None) is None
    # a full name that is a word (城区 of 长治) and ordinary short forms still count
    assert unit_place("城区教育局", None).written == "城区"
    assert unit_place("滕州市科学技术局", None).written == "滕州市"
    nanning = _place("南宁市")
    assert _other_jurisdiction(["自治区财政厅", "广西壮族自治区财政厅", "南宁市科学技术局", "滕州市科学技术局"], nanning) == ["滕州市科学技术局"]


def test_a_notice_that_is_itself_the_measures_gives_the_title(settings, tmp_path):
    """Written for the test (no dev document shows it): …关于进一步促进民营经济发展若干措施的通知, 现就有关措施
    通知如下, the measures under it — the notice's own title is the document's."""
    f = tmp_path / "self-notice.txt"
    f.write_text("滕州市人民政府关于进一步促进民营经济发展若干措施的通知\n滕政发〔2023〕3号\n各镇人民政府、街道办事处,市政府各部门:\n"
                 "为进一步激发民营经济活力,经市政府研究,现就有关措施通知如下:\n一、加大财政支持力度\n"
                 "对新认定的专精特新企业给予一次性奖励20万元。(市工信局牵头,市财政局配合)\n二、优化融资服务\n"
                 "开展银企对接活动,全年不少于12场。(市金融服务中心)\n滕州市人民政府\n2023年3月1日\n", encoding="utf-8")
    b = build_plan(settings, source=read_plan_input(f).source, slug="self-notice", jurisdiction=None, strict=False)
    assert b.plan.title.text == "滕州市人民政府关于进一步促进民营经济发展若干措施的通知"
    assert [[(u.written, u.role) for u in c.units] for c in b.plan.clauses] == [
        [("市工信局", "lead"), ("市财政局", "support")], [("市金融服务中心", "unspecified")]]
