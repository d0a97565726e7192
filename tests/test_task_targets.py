"""Targets a task states without 达到/以上 (全年新增注册企业10000家), the units real plans use, what a progress report
says it has done (not a target), and the year of a one-year title.  The sentences are the dev documents' own (named
beside each, in simplified characters as the extractor reads them); the last case of each test is written."""

from __future__ import annotations

from lpsplan.extract.metadata import period_from_title
from lpsplan.extract.targets import extract_targets
from lpsplan.records import Ref, Span


def read(text: str, deadline: int = 2023) -> list[tuple[str, str, str]]:
    """(value, unit, comparator) of every target the text of one task states."""
    return [(str(t.value), t.unit, t.comparator) for t in extract_targets(text, [], [(Ref("task", 1), Span(0, len(text)))], deadline)]


def test_a_count_after_a_verb_anywhere_before_it_is_a_target():
    # jingan-key-work-2023: the verb after 全年; kunming-benefit-tasks-2023: after a subject (城镇)
    assert ("10000", "家", "=") in read("2.推动招商引资增质。高质量开展投资促进工作,全年新增注册企业10000家,引进税收千万级以上项目12个。")
    assert ("14", "万人", "=") in read("确保全年提供有效就业岗位14万个,城镇新增就业14万人,农村劳动力转移就业10万人。")
    # jingan-key-work-2023: 实现 a total
    assert read("实现社会消费品零售总额1600亿元。") == [("1600", "亿元", "=")]
    # lianyungang-livelihood-projects-2023: the verb after the place
    assert read("全市新建中小学、幼儿园17所,创建省优质幼儿园20所。") == [("17", "所", "="), ("20", "所", "=")]
    # yueqing-livelihood-completion-2022 and kunming: a count that goes on the sentence of one stated before it
    assert read("新增托位1140个,普惠托位685个") == [("1140", "个", "="), ("685", "个", "=")]
    assert read("城镇新增就业14万人,农村劳动力转移就业10万人。") == [("14", "万人", "="), ("10", "万人", "=")]
    assert read("新增托位1140个。普惠托位685个") == [("1140", "个", "=")]  # written: not after the sentence's end
    # a bare count with no verb before it stays no target (written)
    assert read("为具备接气条件的1241个村庄供气。") == []


def test_what_a_progress_report_has_done_is_no_target():
    # qiandongnan-livelihood-progress-2023: the task, then its progress line
    text = "2.新开工棚户区改造1666套。(责任单位:州住房城乡建设局)\n推进情况:已完成新开工棚户区改造1666套,完成年度任务的100%。"
    assert ("1666", "套", "=") in read(text)
    assert read("推进情况:已完成新开工棚户区改造1666套。") == [] and read("目前累计完成2362亩。") == []
    # anshun-ten-tasks-2019: a total's parts after 其中:, and in brackets after it
    parts = read("全市完成减少农村扶贫对象7.497万人,其中:西秀区完成6962人、平坝区完成3619人、普定县完成7348人。")
    assert parts == [("7.497", "万人", "=")]
    assert read("全市建设易地扶贫搬迁安置点6个(西秀区1个、普定县1个、镇宁自治县1个)。") == [("6", "个", "=")]


def test_units_of_real_plans():
    assert read("细颗粒物(PM2.5)年均浓度控制在29微克每立方米以下") == [("29", "微克每立方米", "≤")]  # chaozhou-blue-sky-2019
    assert read("到2025年,全市PM2.5年均浓度达到38微克/立方米以下") == [("38", "微克/立方米", "≤")]  # houma-air-2025
    assert read("到2025年,社会消费品零售总额达到3.5万亿元") == [("3.5", "万亿元", "=")]  # hangzhou-provincial-tasks-2021
    assert read("2.城区道路路网密度达到5.1公里/平方公里。") == [("5.1", "公里/平方公里", "=")]  # tongzhou-14th-division-2021
    assert read("常住人口城镇化率提高1.2个百分点。") == []  # sanmenxia: 提高 alone is no verb of the list (a change, not a level)
    assert read("力争实际利用外资3亿美元。") == [("3", "亿美元", "=")]  # written: 力争 anywhere before the count commits to it


def test_the_year_of_a_one_year_title():
    assert period_from_title("昆明市2023年10件惠民实事")[0] == (2023, 2023)  # kunming-benefit-tasks-2023: a count after 年
    assert period_from_title("岳阳楼区2017年1-8月省重点民生实事完成情况表")[0] == (2017, 2017)  # a span of months
    assert period_from_title("关于印发某市营商环境三年行动方案的通知(2023年10月)") is None  # written: a date is not a period
    # xuhui-11th-plan-division-p4 and jiaxing-11th-plan-division: the 十一五 term, short and written out
    assert period_from_title("徐汇区“十一五”规划工作分解")[0] == (2006, 2010)
    assert period_from_title("《嘉兴市国民经济和社会发展第十一个五年规划纲要》主要目标任务分解落实方案")[0] == (2006, 2010)
