"""Structures of task lists and livelihood-project tables as pages give them (batch 14s of the dev split), each read by
a general rule: checked on the dev text it was met in, and on a written example of the same form.
Unit tests: never counted in a figure."""
from pathlib import Path

from lpsplan.extract import extract_plan
from lpsplan.extract import metadata as meta
from lpsplan.extract.text import lines
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"


def _plan(text: str, title: str | None = None):
    return extract_plan(SourceText("x.txt", text, "0" * 64), strict=False, title=title)


def _real(name: str, title: str | None = None, period: tuple[int, int] | None = None):
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return extract_plan(source, name, strict=False, title=title, period=period)


def _units(plan) -> list[list[tuple[str, str]]]:
    return [[(u.written, u.role) for u in c.units] for c in plan.clauses if not c.inherited_from]


def test_one_space_rows_with_a_remarks_column_and_a_space_after_a_list_comma():
    # dev: weinan-education-health-city-tasks-2020, 序号 工作任务 责任部门 备注 / 1 健全… 基教科 各区教育局、 市局直属单位,
    # and a line with no number (a further task of row 2) / 5 … 完成吉祥坊体育 应对…(a space inside the task)
    got = _units(_real("weinan-education-health-city-tasks-2020"))
    assert got == [[("基教科", "unspecified")], [("人秘科", "unspecified")], [("各科室", "unspecified")]] + \
        [[("体卫艺安全稳定科", "unspecified")]] * 3
    plan = _plan("某局巩固卫生城市工作任务\n序号 工作任务 责任部门 备注\n1 健全组织机构,做到人员稳定。 办公室 各区教育局、 市局直属单位\n"
                 "开展卫生知识培训。 各科室\n2 开展无烟单位创建。 安全科 各区教育局、 市局直属单位\n")
    assert _units(plan) == [[("办公室", "unspecified")], [("各科室", "unspecified")], [("安全科", "unspecified")]]
    clause = next(c for c in plan.clauses if c.units[0].written == "各科室")
    assert clause.text.text == "开展卫生知识培训。"


def test_a_cell_table_whose_rows_do_not_keep_the_headers_places():
    # dev: qimen-livelihood-progress, one cell a line closed by |: a 类别 cell only on a group's first row (一、就业促进(3项) |,
    # no heading), a task's sub-rows (4 | 4 | 100% |: a target and its count, not row 4), empty cells as a lone |
    got = _units(_real("qimen-livelihood-progress", title="(t)"))
    assert got == [[("县人社局", "lead")], [("县人社局", "lead")], [("县科商工信局", "lead")], [("县民政局", "lead")],
                   [("县民政局", "lead")], [("县民政局", "lead")], [("县人社局", "lead")]]
    cells = ["序号", "类别", "项目名称", "目标任务", "牵头单位", "累计完成", "备注",
             "1", "一、就业促进(2项)", "促进稳定就业", "新增就业500人", "县人社局", "480", "", "新增社区4个", "4", "",
             "2", "技能培训", "培训300人次", "县人社局", "", "",
             "3", "二、社会保障(1项)", "提升敬老院服务", "改造3家敬老院", "县民政局", "3", ""]
    plan = _plan("某县民生工程进度表\n" + "\n".join(f"{c} |" if c else "|" for c in cells) + "\n")
    assert [c.text.text for c in plan.clauses] == ["新增就业500人", "培训300人次", "改造3家敬老院"]
    assert _units(plan) == [[("县人社局", "lead")], [("县人社局", "lead")], [("县民政局", "lead")]]
    # a row whose second cell is a number (开工年份 2025 |) opens its row still when it is the very next row's number
    # (row 3 was joined to row 2's cells and lost)
    cells = ["序号", "开工年份", "项目名称", "建设内容", "牵头单位", "备注",
             "1", "2024", "城南学校", "新建学校1所", "县教育局", "",
             "2", "2025", "城北医院扩建", "新建病房楼1栋", "县卫健委", "",
             "3", "2025", "滨河公园", "新建公园1个", "县住建局", ""]
    plan = _plan("某县重点项目进度表\n" + "\n".join(f"{c} |" if c else "|" for c in cells) + "\n")
    assert [c.text.text for c in plan.clauses] == ["新建学校1所", "新建病房楼1栋", "新建公园1个"]
    assert _units(plan) == [[("县教育局", "lead")], [("县卫健委", "lead")], [("县住建局", "lead")]]


def test_a_cell_tables_header_with_spaces_inside_its_names():
    # dev: yueqing-livelihood-completion-2022, 序号 | 项 目 内 容 | 年度完成情况 | 完成成效 | 责任单位 | 责任人 |
    got = _units(_real("yueqing-livelihood-completion-2022", title="(t)"))
    assert got[-2:] == [[("市卫健局", "unspecified")], [("市卫健局", "unspecified")]]
    plan = _plan("某市民生实事完成情况\n序号 | 项 目 内 容 | 完成情况 | 责任单位 | 责任人 |\n"
                 "1 | 新增托位100个 | 已完成 | 市卫健局 | 张三 |\n2 | 改造老旧小区5个 | 已完成 | 市住建局 | 李四 |\n")
    assert _units(plan) == [[("市卫健局", "unspecified")], [("市住建局", "unspecified")]]


def test_an_item_heading_that_is_its_task_and_its_labelled_lead():
    # dev: luan-livelihood-progress-2021, 1、学前教育促进,牵头单位:市教体局。其中,…(the page's progress notes)
    plan = _real("luan-livelihood-progress-2021")
    assert _units(plan) == [[("市教体局", "lead")], [("市教体局", "lead")], [("市卫健委", "lead")]]
    assert plan.clauses[0].text.text == "学前教育促进"
    assert plan.clauses[0].annotation.text == ",牵头单位:市教体局"
    plan = _plan("某市民生工程进度通报\n一、项目进展\n1、城区道路改造,责任单位:市住建局、市交通局。其中,已完工3条。\n"
                 "2、农村饮水安全,牵头单位:市水利局。其中,进度较慢的为某县。\n")
    assert _units(plan) == [[("市住建局", "unspecified"), ("市交通局", "unspecified")], [("市水利局", "lead")]]
    assert [c.text.text for c in plan.clauses] == ["城区道路改造", "农村饮水安全"]


def test_titles_of_progress_reports_and_of_a_notice_that_is_the_livelihood_list():
    # dev: shaoxing-key-work-progress-2020, luan-livelihood-progress-2021, xuancheng-livelihood-47-2024
    assert _real("shaoxing-key-work-progress-2020").title.text == "市政府2020年重点工作(预下达)一季度进展情况表"
    assert _real("luan-livelihood-progress-2021").title.text == "六安市1至8月份民生工程实施进度通报"
    # the site's 【tag】 before the notice's title is no part of it (the units round)
    assert _real("xuancheng-livelihood-47-2024").title.text == "宣城市民生工作领导小组办公室关于2024年实施47项民生实事的通知"
    for text, title in (("某县2023年重点工作推进进展情况表\n序号 | 工作任务 | 责任单位 |\n1 | 建设平台 | 县科技局 |\n",
                         "某县2023年重点工作推进进展情况表"),
                        ("某市人民政府关于2024年实施十项民生实事的通知\n各县区:\n一、教育(2项)\n1.新建学校3所。(牵头单位:市教育局)\n",
                         "某市人民政府关于2024年实施十项民生实事的通知")):
        assert _plan(text).title.text == title


def test_targets_in_the_lines_of_a_livelihood_lists_category_sections():
    # dev: xuancheng-livelihood-47-2024, 一、促进就业(3项) / 1.…新增城镇就业4.3万人,…达到城市社区的60%(牵头单位:市人社局)
    found = {(str(t.value), t.unit) for t in _real("xuancheng-livelihood-47-2024").targets}
    assert {("4.3", "万人"), ("60", "%"), ("4100", "人"), ("1", "万人次")} <= found  # 培训家政服务人员1万人次: a count trained
    # dev: dongying-livelihood-completion-2017, a section's text closed by (责任单位:…): 2017年度计划实施170878户
    found = {(str(t.value), t.unit) for t in _real("dongying-livelihood-completion-2017", "(t)", (2017, 2017)).targets}  # as evaluated
    assert ("170878", "户") in found
    plan = _plan("某市2024年民生实事\n一、教育(2项)\n1.新建学校3所。(牵头单位:市教育局)\n2.新增学位2000个。(牵头单位:市教育局)\n")
    assert {(str(t.value), t.unit) for t in plan.targets} == {("3", "所"), ("2000", "个")}
    # a section of no known kind whose lines close with no annotation gives none
    plan = _plan("某市2024年工作安排\n一、教育(2项)\n1.新建学校3所。\n2.新增学位2000个。(牵头单位:市教育局)\n二、其他\n有关说明5个。\n")
    assert ("5", "个") not in {(str(t.value), t.unit) for t in plan.targets}


def test_the_year_a_headline_gives_with_a_title_that_states_none():
    # dev: zhejiang-report-duties-2020, 省政府印发2020年政府工作报告重点工作责任分解通知 over 政府工作报告重点工作责任分解
    assert _real("zhejiang-report-duties-2020").period == (2020, 2020)
    text = "市政府印发2021年重点工作任务分解通知\n重点工作任务分解\n一、重点任务\n1.建设平台。\n牵头单位:市科技局\n"
    found = meta.find_period(text, "重点工作任务分解", list(lines(text))[:2], None)
    assert found is not None and found.value == (2021, 2021)
