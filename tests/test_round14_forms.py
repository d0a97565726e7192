"""Forms behind the eleventh test batch's misses (the fourteenth round), each as a general rule.  No dev document
showing these forms was found in the round's time, so each rule is tested on the batch-11 text it was seen in (that
batch is no longer untouched: see docs/plans.md) and on a written example of the same form."""

from pathlib import Path

from lpsplan.build import build_plan
from lpsplan.extract import metadata as meta
from lpsplan.extract import tables
from lpsplan.extract.text import lines
from lpsplan.extract.traditional import simplified
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input

REAL = Path(__file__).parent / "data" / "real"


def read(settings, name: str):
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False).plan


def units(plan):
    return [[u.written if isinstance(u.written, str) else u.written.text for u in c.units] for c in plan.clauses]


def title_of(text: str) -> str | None:
    text = simplified(text)
    found = meta.find_title(text, list(lines(text)))
    return found.value[0].text if found else None


def test_a_news_headline_names_the_plan_and_what_happened_to_it(settings):
    # batch 11: jian-blue-sky-2018, 吉安市打贏藍天保衛戰三年行動計劃發布 (refused before: no title found)
    plan = read(settings, "jian-blue-sky-2018")
    assert plan.title.text == "吉安市打贏藍天保衛戰三年行動計劃"
    assert units(plan) == [["市環保局", "市市場和質量監督管理局", "市工信委", "市科技局", "市發改委", "各縣(市、區)人民政府"]]
    assert title_of("某市科技创新若干措施正式出台\n一、总体要求\n") == "某市科技创新若干措施"
    # a verb that is the title's own last word is no news: 发布 after no genre word leaves the line as it is
    assert title_of("某市信息发布\n一、总体要求\n") is None


def test_a_headline_lead_in_ending_in_an_exclamation_mark(settings):
    # batch 11: mianyang-livelihood-projects-2023, 快看!2023年市級民生實事清單 (refused before: no title found)
    plan = read(settings, "mianyang-livelihood-projects-2023")
    assert plan.title.text == "2023年市級民生實事清單"
    assert units(plan) == [["市住房和城鄉建設委", "水務集團"], ["市住房和城鄉建設委", "交發集團"]]
    assert title_of("重磅!某区2024年重点工作任务\n一、总体要求\n") == "某区2024年重点工作任务"


def test_a_notice_that_publishes_a_plan_and_a_genre_word_alone_is_no_title(settings):
    # batch 11: jiangshan-livelihood-projects-2023, 关于公布2023年…实施计划的通知, and a table header cell 计划 that was
    # taken for the title; the table's header holds (万元) cells, its units name no level (城投集团, 水利局)
    plan = read(settings, "jiangshan-livelihood-projects-2023")
    assert plan.title.text == "2023年市政府民生实事项目实施计划"
    assert units(plan) == [["城投集团"], ["水利局"]]
    assert title_of("某市人民政府关于公布2024年民生实事项目实施计划的通知\n计划\n") == "2024年民生实事项目实施计划"
    assert title_of("序号\n计划\n") is None


def test_cell_lines_closed_by_bars_whose_cells_are_numbers(settings):
    # batch 11: yangxian-livelihood-projects-2024, a table one cell a line closed by |, its caption above the header and
    # the cells 2024 (建设时间) and 300 (投资) alone on their lines: a number opens a row only as the next row's number
    plan = read(settings, "yangxian-livelihood-projects-2024")
    assert units(plan) == [["教體局"], ["住建局"], ["住建局"], ["交通局"], ["農業農村局"]]
    text = ("某县2024年民生实事项目清单 |\n序号 |\n项目名称 |\n建设时间 |\n建设内容 |\n投资 |\n责任单位 |\n"
            "1 |\n道路项目 |\n2024 |\n建成道路。 |\n300 |\n住建局 |\n2 |\n学校项目 |\n2024 |\n改造学校。 |\n2 |\n教体局 |\n")
    rows, _ = tables.find_table(text, [s for s in lines(text) if s.of(text).strip()])
    assert [[u.written for u in r.units] for r in rows] == [["住建局"], ["教体局"]]
    assert [r.task.text for r in rows] == ["建成道路。", "改造学校。"]


def test_items_headed_by_a_unit_alone_divide_the_tasks_by_unit(settings):
    # batch 11: dongan-black-water-2021, 三、任务分工 / 1、区住建局。排查…: the item's heading is the unit, its body the duties
    plan = read(settings, "dongan-black-water-2021")
    assert units(plan) == [["区住建局"], ["生态局东安分局"], ["新安街道办事处"]]
    heading = next(c for c in plan.clauses if c.units[0].written == "区住建局")
    assert heading.text.text.startswith("排查生活污水直排污染源") and heading.annotation.span.end <= heading.text.span.start


def test_lines_opening_with_a_unit_and_a_colon_divide_the_duties(settings):
    # batch 11: district-covid-free-community-duties-2022, 二、明确部门职责分工 / 区商务局:负责推动…, one unit a line
    plan = read(settings, "district-covid-free-community-duties-2022")
    assert units(plan) == [["区市场监管局"], ["区商务局"], ["区文体旅局"], ["市公安局XX分局"], ["各乡镇(街道)"]]
    # the leading group's lines name people and posts, not units (组长:区政府副区长 / 副组长:区市场监管局 are no duties)
    assert all(c.text.text.startswith("负责") for c in plan.clauses)


def test_one_line_opening_with_a_unit_is_no_division_and_an_annotation_wins(settings):
    from lpsplan.extract.duties import unit_led_clauses
    from lpsplan.records import Ref, Span

    text = "一、工作要求\n区商务局:负责推动餐饮行业落实责任。\n二、保障措施\n"
    body = Span(text.index("区商务局"), text.index("二、"))
    # a single line that opens with a unit is a sentence like any other: no clause
    assert unit_led_clauses(text, [], [(Ref("section", 1), body)], []) == []
    text2 = text.replace("二、保障措施", "区文体旅局:负责推动歌舞厅落实责任。\n二、保障措施")
    body2 = Span(text2.index("区商务局"), text2.index("二、"))
    got = unit_led_clauses(text2, [], [(Ref("section", 1), body2)], [])
    assert [c.units[0].written for c in got] == ["区商务局", "区文体旅局"]
    # 主要目标: / 组长: name no body
    text3 = "主要目标:到2025年建成平台十个。\n组长:区政府副区长担任组长职务。\n"
    assert unit_led_clauses(text3, [], [(Ref("section", 1), Span(0, len(text3)))], []) == []


def test_an_unlabelled_round_bracket_whose_units_carry_a_bracket_of_their_own(settings):
    # batch 11: city-blue-sky-tasks-2020, (市生态环境局牵头,…等参与,县(市、区)政府负责落实。以下均需…不再列出): the 〔…〕 rule
    # of the eighth round, now for round brackets too; read from the units' sentence, the rider a remark
    source = page_cleaned(read_plan_input(REAL / "city-blue-sky-tasks-2020.txt")).source
    plan = build_plan(settings, source=source, slug="city-blue-sky-tasks-2020", jurisdiction=None, strict=False,
                      title="蓝天保卫战工作计划", period=(2020, 2020)).plan
    first = plan.clauses[0]
    assert [(u.written, u.role) for u in first.units] == [
        ("市生态环境局", "lead"), ("市发改委", "support"), ("市经信局", "support"), ("市自然资源和规划局", "support"),
        ("县(市、区)政府", "unspecified")]
    assert first.rider


def test_a_square_bracket_closed_with_a_stray_round_one(settings):
    # batch 11: jiamusi-water-tasks-2018, [市水务局牵头,市工信委、城乡建设局配合,各县(市)区政府负责落实。以下均需…不再列出)]
    plan = read(settings, "jiamusi-water-tasks-2018")
    assert [[(u.written, u.role) for u in c.units] for c in plan.clauses] == [[
        ("市水务局", "lead"), ("市工信委", "support"), ("城乡建设局", "support"), ("各县(市)区政府", "unspecified")]]


def test_places_named_alone_before_the_body_they_share_are_one_unit(settings):
    # batch 11: linfen-water-2018, …,临汾、侯马、洪洞经济开发区管委会负责落实); and its title behind a list's bullet (•)
    plan = read(settings, "linfen-water-2018")
    assert plan.title.text == "临汾市水污染防治2018年行动计划"
    assert units(plan)[-1] == ["市环保局", "市经信委", "市住房和城乡建设局", "临汾、侯马、洪洞经济开发区管委会"]
    from lpsplan.extract.names import _each_of
    from lpsplan.extract.text import split_top

    text = "市发改委、临汾、侯马开发区管委会、市财政局"
    parts = _each_of(text, split_top(text, 0, len(text), "、"))
    assert [p.text for p in parts] == ["市发改委", "临汾、侯马开发区管委会", "市财政局"]
    text = "临汾、侯马"  # places alone with no body after them: no unit made of them
    assert [p.text for p in _each_of(text, split_top(text, 0, len(text), "、"))] == ["临汾", "侯马"]
