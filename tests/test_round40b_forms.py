"""Rules of round 40, rule writer B (entry 45 in docs/plans.md), each on the dev text it was found in (tests/data/real,
split dev) and on written examples of the same form (marked as such), the neighbouring readings kept."""

from lpsplan.extract.names import _joined
from lpsplan.extract.noticetitles import news_or_public_notice
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.records import Mention, Span

from realplans import REAL, found, read, roles, written


def cleaned(settings, name: str):
    """A dev document read as plan_eval reads it (the page's glosses and marks taken out first)."""
    from lpsplan.build import build_plan

    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False).plan


def test_zhejiang_rider_with_marked_leads(settings):
    """浙江's 2024 duties: 责任单位:省政府辦公廳、省財政廳牽頭,省商務廳、省文化廣電和旅遊廳(除標註爲“牽頭”單位外,列第一位的爲牽頭或
    彙總單位,下同) — the units marked 牽頭 lead and the others support them; the later lists' first named leads; a unit
    named alone before the rider stays unspecified."""
    got = roles(read(settings, "zhejiang-report-duties-2024"))
    assert got[0] == [("省財政廳", "unspecified")]
    assert got[1] == [("省政府辦公廳", "lead"), ("省財政廳", "lead"), ("省商務廳", "support"), ("省文化廣電和旅遊廳", "support")]
    assert got[2] == [("省財政廳", "lead"), ("省發展改革委", "support")]


def test_written_marked_leads_need_the_rule(settings):
    # written: under the rule, X、Y牵头,Z gives Z the support
    plan = written(settings, "一、任务\n1.建设平台。\n责任单位:市发改委、市财政局牵头,市商务局(除标注牵头单位外,列第一位的为牵头单位,下同)\n"
                             "2.培育企业。\n责任单位:市科技局、市财政局\n")
    assert roles(plan) == [[("市发改委", "lead"), ("市财政局", "lead"), ("市商务局", "support")],
                           [("市科技局", "lead"), ("市财政局", "support")]]
    # written: without it the unmarked unit stays unspecified
    assert found("1.建设平台。\n责任单位:市发改委牵头,市商务局\n") == [[("市发改委", "lead"), ("市商务局", "unspecified")]]


def test_chuxiong_list_run_into_a_label_of_people(settings):
    """楚雄's rectification list, its fields run together on one line: 责任单位:州委办公室、州政府办公室,各县市党委和政府责任人:
    州委办公室、州政府办公室主要负责人,… — the label 责任人: ends the units; 各县市党委和政府 is one collective."""
    got = roles(read(settings, "chuxiong-inspection-rectification-list"))
    assert got == [[("州委办公室", "unspecified"), ("州政府办公室", "unspecified"), ("各县市党委和政府", "unspecified")]]


def test_written_label_of_people_after_a_unit():
    assert found("整改目标:建立机制。责任单位:市环保局、市水利局责任人:市环保局局长整改时限:立行立改\n") == [
        [("市环保局", "unspecified"), ("市水利局", "unspecified")]]
    # 项目责任人 after a space is read as before (another field; the next label of units still counts)
    assert found("建设平台。 责任单位:市公安局 项目责任人:王伟标 配合单位:市城管局、市财政局\n") == [
        [("市公安局", "unspecified"), ("市城管局", "support"), ("市财政局", "support")]]


def test_cangzhou_and_heilongjiang_collectives(settings):
    """沧州's acceptance notice: 沧州渤海新区党工委和管委会、黄骅市委和市政府,各县(市、区)党委和人民政府 — a party committee joined
    by 和 to its places' government is one unit; 黑龙江's list: 各市(地)党委、政府(行署) — its government with its other name."""
    got = roles(read(settings, "cangzhou-inspection-rectification-acceptance-2025"))
    assert [u for u, _ in got[0]] == ["市委办公室", "市政府办公室", "沧州渤海新区党工委和管委会", "黄骅市委和市政府",
                                      "各县(市、区)党委和人民政府", "沧州开发区", "沧州高新区党工委和管委会", "市生态环境保护委员会成员单位"]
    got = roles(read(settings, "heilongjiang-inspection-rectification-list"))
    assert got[0] == [("省直各有关部门", "unspecified"), ("各市(地)党委、政府(行署)", "unspecified")]


def test_written_and_between_two_units_still_parts_them():
    def parts(name: str) -> list[str]:
        return [m.text for m in _joined(name, Mention(name, Span(0, len(name))))]

    assert parts("高新区党工委和管委会") == ["高新区党工委和管委会"]
    assert parts("县委和县政府") == ["县委和县政府"]
    # written: two bodies that are no committee and its government stay two units
    assert parts("市发改委和市财政局") == ["市发改委", "市财政局"]
    assert parts("区委宣传部和区政府办公室") == ["区委宣传部", "区政府办公室"]
    assert parts("市委和市政府办公室") == ["市委", "市政府办公室"]


def test_public_notice_headings(settings):
    """沧州's 整改验收公示 and 衡水's 人民代表大会…会议公告: a public notice's own heading is the title when nothing else names
    the plan."""
    plan = read(settings, "cangzhou-inspection-rectification-acceptance-2025")
    assert plan.title.text == "沧州市海洋和港航管理局第三轮河北省生态环境保护督察反馈意见整改任务(序号1)整改验收公示"
    assert cleaned(settings, "hengshui-livelihood-projects-2023").title.text == "衡水市第七届人民代表大会第四次会议公告"


def test_news_pages_name_what_was_published(settings):
    """国务院's 2018 division on a news page: 国务院发布落实《政府工作报告》重点工作部门分工意见,… ; 银川's: …网站发布了
    《自治區人民政府辦公廳關于印發銀川都市圈建設2019年工作計劃的通知》 — the plan the notice issues."""
    assert cleaned(settings, "state-council-rural-division-2018").title.text == "落实《政府工作报告》重点工作部门分工意见"
    assert cleaned(settings, "yinchuan-metro-plan-2019").title.text == "銀川都市圈建設2019年工作計劃"


def test_written_news_and_notice_headings():
    import re

    from lpsplan.extract.metadata import GENRE, NOTICE_TITLE_RE

    def heading(text: str) -> str | None:
        spans = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        got = news_or_public_notice(text, spans, re.compile(rf"{GENRE}$"), NOTICE_TITLE_RE)
        return text[got[0]:got[1]] if got else None

    assert heading("近日,市政府发布了《市政府关于印发2024年重点工作任务的通知》,明确…\n") == "2024年重点工作任务"
    assert heading("市政府出台稳经济若干措施,涉及…\n") == "稳经济若干措施"
    assert heading("关于2025年民生实事项目建设情况的公示\n正文。\n") == "关于2025年民生实事项目建设情况的公示"
    # written: news of an event, and a 公示 line that is a sentence, name no plan
    assert heading("市政府发布会召开,介绍…\n") is None
    assert heading("现将有关情况公示如下。\n") is None


def test_titles_of_calls_for_comment_and_news_lead_ins(settings):
    """永春's draft: 永春縣促進專精特新企業發展行動方案(征求意見稿)(2023-2025年)為深入… — the draft's mark between a run-in title and
    its years; 大埔's 遴選2023年大埔縣十件民生實事 / 公開征求意見 — the second line ends the title; 渝中's news page: 小编带你了解 /
    2023年区政府工作报告重点工作目标任务分解 — a line speaking to the reader is no part of the title."""
    plan = cleaned(settings, "yongchun-specialized-smes-draft-2023")
    assert plan.title.text == "永春縣促進專精特新企業發展行動方案(征求意見稿)(2023-2025年)" and plan.period == (2023, 2025)
    assert cleaned(settings, "dabu-livelihood-candidates-2023").title.text == "遴選2023年大埔縣十件民生實事公開征求意見"
    assert cleaned(settings, "yuzhong-report-tasks-2023").title.text == "2023年区政府工作报告重点工作目标任务分解"
