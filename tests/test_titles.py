"""Title rules of the titles round, each on the dev document it was learned from (tests/data/real) and on
written examples of the same rule: an item of a list is the title only when nothing else names the plan, a
text run into one line gives its title before its opening sentence, a sharing page's file-name heading."""

from pathlib import Path

import pytest
from lpsplan.build import build_plan
from lpsplan.errors import NoTitleFound
from lpsplan.extract import extract_plan
from lpsplan.extract import metadata as meta
from lpsplan.extract.text import lines
from lpsplan.extract.traditional import simplified
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"


def read(settings, name: str):
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False).plan


def test_an_attachment_list_item_is_not_the_title_when_the_notice_names_the_plan(settings):
    # dev: shapingba-report-targets-2022, whose front ends at 附件1: the list 附件:1. 2022年…分解表 / 2. …, and the
    # notice's title 关于印发2022年区政府工作报告目标任务的通知
    plan = read(settings, "shapingba-report-targets-2022")
    assert plan.title.text == "2022年区政府工作报告目标任务" and plan.period == (2022, 2022)
    # with nothing else naming the plan, the item is the title, without its number
    text = "附件:1. 某市2023年重点工作任务分解表\n(一)建设平台。(责任单位:市科技局)\n"
    found = meta.find_title(text, list(lines(text))[:1])
    assert found.value[0].text == "某市2023年重点工作任务分解表" and "item of a list" in found.how
    assert text[found.value[0].span.start:found.value[0].span.end] == "某市2023年重点工作任务分解表"
    # a title line of its own still wins over an item above it
    text = "附件:1. 某市2023年重点工作任务分解表\n某市2023年重点工作任务\n(一)建设平台。\n"
    assert meta.find_title(text, list(lines(text))[:2]).value[0].text == "某市2023年重点工作任务"


def test_a_run_in_title_before_the_opening_sentence(settings):
    # dev: zhucheng-emergency-support-action-2021, a sharing page: its file name, short upload fields, then the text run
    # into one line with the page marker 1、 (…行動計劃(2021-2022年)為提高…); the 1、 made the line look like a first item
    plan = read(settings, "zhucheng-emergency-support-action-2021")
    assert plan.title.text == "諸城市重大突發事件應急保障體系建設行動計劃(2021-2022年)" and plan.period == (2021, 2022)
    assert any(f.what == "title" and "opening sentence" in f.how for f in plan.inferred)
    line = "某县农业发展实施方案根据《某市规划》要求,结合实际,制定本方案。一、总体要求到2025年,建成示范区3个。" * 2
    found = meta._run_together_title(line, list(lines(line)))
    assert found.value[0].text == "某县农业发展实施方案"
    # a sentence that starts the text is no title: 为期 is not the opening 为
    line = "某县开展专项行动为期三个月,各单位要高度重视,确保各项任务落到实处,按时完成,不得推诿,切实抓好落实,确保取得实效,形成长效机制。" * 2
    assert meta._run_together_title(line, list(lines(line))) is None


def test_a_sharing_pages_file_name_heading_when_nothing_else_names_the_plan():
    # dev: zhucheng-emergency-support-action-2021's heading (…方案(2021-2022年)(18頁).docx), read alone
    text = simplified((REAL / "zhucheng-emergency-support-action-2021.txt").read_text(encoding="utf-8"))
    spans = list(lines(text))[:7]  # the heading and the upload fields, without the run-in text
    found = meta.find_title(text, spans)
    assert found.value == (found.value[0], (2021, 2022)) and "heading" in found.how
    assert found.value[0].text == "诸城市重大突发事件应急保障体系建设行动计划方案(2021-2022年)"
    # a first line that is no file name is not taken for a heading by this rule
    text = "某市政务服务网\n(一)建设平台。\n"
    assert meta.find_title(text, list(lines(text))[:1]) is None


def test_draft_marks_after_a_title_and_other_verbs_of_issuing():
    """Written for the test (no dev document shows them; general forms of the genre's pages): a draft's mark after
    the title ((草案), (送审稿), (讨论稿)), and a notice that 下发s or 转发s the 《…》 it issues."""
    cases = {
        "某市数字经济发展规划(草案)\n": "某市数字经济发展规划",
        "某市促进消费若干措施(送审稿)\n": "某市促进消费若干措施",
        "某区2024年工作要点(讨论稿)\n": "某区2024年工作要点",
        "各区县:\n《某市2023年卫生健康工作要点》已经委主任会议通过,下发给你们,请贯彻执行。\n": "某市2023年卫生健康工作要点",
        "各区政府:\n市科技局制定的《某市科技创新行动方案》已经市政府同意,现转发给你们。\n": "某市科技创新行动方案",
    }
    for front, title in cases.items():
        text = front + "一、总体要求\n"
        found = meta.find_title(text, list(lines(text))[: front.count("\n")])
        assert found is not None and found.value[0].text == title, front
    # a 《…》 the text only cites is still no title
    text = "各区县:\n根据《某省数字经济发展规划》要求,结合实际,制定本方案。\n一、总体要求\n"
    assert meta.find_title(text, list(lines(text))[:2]) is None


def test_a_text_with_annotations_and_no_title_line_is_read_under_its_id_unless_strict(settings):
    # dev: county-grain-security-tasks-p2, a page of a task list whose excerpt states no title; lenient, its
    # annotations are read under the plan's id as a provisional title, with a warning saying so
    plan = read(settings, "county-grain-security-tasks-p2")
    assert plan.title.text == "county-grain-security-tasks-p2"
    assert plan.warnings[0].message.startswith("no plan title found") and "--title" in plan.warnings[0].message
    assert not any(w.message.startswith("title given on the command line") for w in plan.warnings)
    assert [c for c in plan.clauses if c.units]
    source = page_cleaned(read_plan_input(REAL / "county-grain-security-tasks-p2.txt")).source
    with pytest.raises(NoTitleFound):
        build_plan(settings, source=source, slug="p2", jurisdiction=None, strict=True)


def test_a_notice_without_its_plan_stays_refused(settings):
    # dev: tongshan-key-tasks-notice-2022, a notice with its own 一、二、 points and no unit named
    with pytest.raises(NoTitleFound):
        read(settings, "tongshan-key-tasks-notice-2022")
    # written: a notice naming a unit before the 附件 line of the plan it issues (not in the text) names it for itself
    text = ("各镇(街道)人民政府(办事处),区政府各部门:\n为全面完成《政府工作报告》中确定的2021年各项工作任务,现将《任务分解表》"
            "印发给你们。\n请各牵头单位严格按照任务分工,对工作任务进行再细化。各责任(配合)单位要加强协调,积极配合。"
            "区政府督查室要根据各项工作任务完成时限要求,适时开展督查督办工作。\n"
            "附件:《政府工作报告》任务分解表\n某区人民政府办公室\n2021年1月25日\n")
    with pytest.raises(NoTitleFound):
        extract_plan(SourceText(None, text, ""), "notice", strict=False)


def test_a_part_reporting_last_years_work_is_not_the_title_the_notice_names():
    # written: the words that end a progress table's caption (…完成情况, …一览表) do not make a part of the text the title
    # when the notice names the plan it issues
    text = ("关于印发某市2023年重点工作分工方案的通知\n各县区人民政府:\n现将《某市2023年重点工作分工方案》印发给你们。\n"
            "2022年工作完成情况\n一、经济运行\n")
    found = meta.find_title(text, list(lines(text))[:4])
    assert found.value[0].text == "某市2023年重点工作分工方案"
    # with no notice naming a plan, such a caption is the title
    text = "某县2023年民生实事项目进展情况表\n序号 项目 责任单位\n"
    assert meta.find_title(text, list(lines(text))[:1]).value[0].text == "某县2023年民生实事项目进展情况表"
