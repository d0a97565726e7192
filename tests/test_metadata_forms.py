"""Metadata forms learned on the metadata round's dev documents (tests/data/real, labels: metadata) and
written examples of the same rules."""

from pathlib import Path

from lpsplan.build import build_plan
from lpsplan.extract import metadata as meta
from lpsplan.extract.text import lines
from lpsplan.inputs import read_plan_input

REAL = Path(__file__).parent / "data" / "real"


def read(settings, name: str):
    return build_plan(settings, source=read_plan_input(REAL / f"{name}.txt").source, slug=name, jurisdiction=None, strict=False)


def test_a_five_year_term_written_out_is_the_period_not_the_vision_year(settings):
    """庐江县国民经济和社会发展第十四个五年规划和2035年远景目标纲要: 2021—2025, not 2035; its cover signs it."""
    b = read(settings, "lujiang-14th-outline")
    assert b.plan.period == (2021, 2025)
    assert [m.text for m in b.plan.issuers] == ["庐江县人民政府"]
    assert meta.period_from_title("某县国民经济和社会发展第十三个五年规划纲要")[0] == (2016, 2020)
    assert meta.period_from_title("某市第十四个五年规划和二〇三五年远景目标纲要")[0] == (2021, 2025)


def test_a_title_line_with_the_pages_date_after_it(settings):
    b = read(settings, "yangpu-key-tasks-2024")  # 2024年区委、区政府重点工作任务 2024-10-12, then 1. 2. tasks
    assert b.plan.title.text == "2024年区委、区政府重点工作任务" and b.plan.period == (2024, 2024)
    text = "某市2023年工作要点 2023-12-22 07:04:35\n一、总体要求\n"
    got = meta.title_line(text, list(lines(text)), 0)
    assert got[0].text == "某市2023年工作要点"


def test_the_issuer_a_title_starts_with(settings):
    b = read(settings, "state-council-neimenggu-opinions-2023")
    assert [m.text for m in b.plan.issuers] == ["国务院"]
    assert any(f.what == "issuer" and "title" in f.how for f in b.plan.inferred)
    text = "某市人民政府关于加快发展的若干意见\n一、总体要求\n"
    title = meta.find_title(text, list(lines(text))[:1]).value[0]
    issuers, _found = meta.find_issuer(text, title, list(lines(text))[:1])
    assert [m.text for m in issuers] == ["某市人民政府"] and text[issuers[0].span.start:issuers[0].span.end] == "某市人民政府"
    # a title that names no organisation before 关于 gives none
    text = "关于加快发展的若干意见\n一、总体要求\n"
    assert meta.find_issuer(text, meta.find_title(text, list(lines(text))[:1]).value[0], list(lines(text))[:1]) is None


def test_a_cover_names_the_issuer_over_its_year_and_month():
    text = "某县乡村振兴规划\n某县人民政府\n二〇二一年五月\n一、总体要求\n"
    spans = list(lines(text))[:3]
    issuers, found = meta.find_issuer(text, None, spans)
    assert [m.text for m in issuers] == ["某县人民政府"] and "cover" in found.how
    # a name with no date under it is no signature
    text = "某县乡村振兴规划\n某县人民政府\n为推进乡村振兴,制定本规划。\n"
    assert meta.find_issuer(text, None, list(lines(text))[:3]) is None


def test_title_forms_with_no_dev_document_showing_them():
    """Written for the test (no dev document shows them; general forms of the genre's pages): a site's 【…】 tag
    before the title, a notice 印发 without 关于, 政务公开 in a title split over lines, (全文) / 【全文】 and (2024版)
    after it, (2023年—2025年) with 年 after both years, the page's 来源:/发布时间: after it on its line, a title
    ending in 二十条 (but never 第十条, an article's heading)."""
    cases = {
        "【政策文件】某市促进消费若干措施\n": ("某市促进消费若干措施", None),
        "某市人民政府印发某市促进消费若干措施的通知\n各区政府:\n现印发给你们。\n": ("某市促进消费若干措施", None),
        "某市2024年政务公开\n工作要点\n": ("某市2024年政务公开工作要点", None),
        "某市“十四五”数字经济发展规划(全文)\n": ("某市“十四五”数字经济发展规划", None),
        "某市“十四五”数字经济发展规划【全文】\n": ("某市“十四五”数字经济发展规划", None),
        "某市科技创新三年行动计划(2023年—2025年)\n": ("某市科技创新三年行动计划", (2023, 2025)),
        "某市促进消费若干措施 来源:某市政府 发布时间:2023-05-06\n": ("某市促进消费若干措施", None),
        "某市支持企业发展二十条\n": ("某市支持企业发展二十条", None),
        "某市优化营商环境行动方案(2024版)\n": ("某市优化营商环境行动方案", None),
    }
    for front, (title, years) in cases.items():
        text = front + "一、总体要求\n"
        spans = list(lines(text))[: front.count("\n")]
        found = meta.find_title(text, spans)
        assert found is not None and (found.value[0].text, found.value[1]) == (title, years), front
    text = "第十条\n一、总体要求\n"
    assert meta.find_title(text, list(lines(text))[:1]) is None


def test_the_years_on_a_line_of_their_own_with_year_words():
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = "某市科技创新三年行动计划\n(2023年—2025年)\n为推动创新,制定本计划。\n一、重点任务\n(一)建设平台。建设平台3个。(责任单位:市科技局)\n"
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), strict=False)
    assert plan.title.text == "某市科技创新三年行动计划" and plan.period == (2023, 2025)


# ---- round 34c: title forms of the dev documents (the round's rules, each read on the dev text that shows it)

def test_a_page_number_or_a_list_of_other_articles_is_no_half_of_a_title(settings):
    """石景山 (a copy of a printed page: `— — — 2 —` above the title's two lines); 湖南 (`相关推荐` above the title)."""
    assert read(settings, "shijingshan-subdistrict-division-2019").plan.title.text == \
        "石景山区贯彻落实《关于加强新时代街道工作的意见》的任务分解方案"
    assert read(settings, "hunan-report-division-2018").plan.title.text == "湖南省人民政府关于落实《政府工作报告》重点工作部门分工的意见"
    for above in ("- 3 -", "第2页", "上一篇", "猜你喜欢", "政务微博"):  # written examples of the same lines
        text = f"{above}\n某市科技创新行动方案\n一、总体要求\n"
        assert meta.find_title(text, list(lines(text))[:2]).value[0].text == "某市科技创新行动方案", above


def test_no_title_is_joined_across_a_line_the_reader_left_out(settings):
    """池州: the site's widgets (政务微信 / 政务微博 / × / ×) above a title that carries its document number."""
    b = read(settings, "chizhou-business-environment-opinions-2017")
    assert b.plan.title.text == "池州市人民政府关于创优“四最”营商环境的实施意见"
    assert [m.text for m in b.plan.issuers] == ["池州市人民政府"]


def test_a_document_another_body_issued_is_cited_not_issued(settings):
    """辽宁: 为贯彻落实国家发展改革委印发的《东北振兴“十二五”规划》 is cited; the notice over two lines is the title."""
    b = read(settings, "liaoning-northeast-division-2012")
    assert b.plan.title.text == "辽宁省人民政府办公厅关于落实东北振兴“十二五”规划任务分工的通知"


def test_a_title_line_cut_short_gives_way_to_the_title_the_notice_issues(settings):
    """吉首: the line above the plan stops at …一揽子政策; the notice issues 《…一揽子政策措施实施方案》."""
    assert read(settings, "jishou-stabilize-economy-2022").plan.title.text == "吉首市贯彻落实扎实稳住经济一揽子政策措施实施方案"
    text = "关于印发《某市科技创新行动方案(2022-2025年)》的通知\n某市科技创新行动方案\n一、总体要求\n"
    assert meta.find_title(text, list(lines(text))[:2]).value[0].text == "某市科技创新行动方案"  # a tail is no more words


def test_a_report_titled_by_its_quarter_or_as_a_summary(settings):
    """济南市中区: …推进情况(2025年第二季度); a county's …进展与成效情况总结汇报."""
    b = read(settings, "jinan-shizhong-report-progress-2025")
    assert b.plan.title.text == "市中区2025年《政府工作报告》主要工作任务推进情况" and b.plan.period == (2025, 2025)
    assert read(settings, "county-service-projects-progress").plan.title.text == \
        "全县“我为群众办实事”实践活动20个项目进展与成效情况总结汇报"


def test_the_year_of_a_report_from_its_title_with_a_month_or_from_the_one_year_before_the_body(settings):
    """乐余: 2022年12月份…推进情况, published in 2023, is a report on 2022; 六安: 1至8月份…进度通报 with no year in its
    title, whose opening names 我市2021年33项民生工程 and no other year."""
    assert read(settings, "leyu-livelihood-progress-2022").plan.period == (2022, 2022)
    b = read(settings, "luan-livelihood-progress-2021")
    assert b.plan.period == (2021, 2021)
    assert any(f.what == "period" and "one year the lines before the body name" in f.how for f in b.plan.inferred)
    text = "某市工作要点\n2023年是全面贯彻落实党的二十大精神的开局之年,2024年……\n一、总体要求\n"  # two years named: none chosen
    assert meta.find_period(text, "某市工作要点", list(lines(text))[:2], None) is None
