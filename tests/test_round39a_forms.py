"""Round 39, rule writer A (docs/plans.md, entry 42): one-cell-a-line progress and indicator tables that number no row
on a line of their own, read by their unit cells; each on its dev text and on written examples of the same form
(marked as such), the neighbouring readings kept."""

from lpsplan.extract.progressrows import unnumbered_rows
from lpsplan.extract.tableheads import is_column_head, task_column
from lpsplan.extract.text import lines

from realplans import read, roles, written


def test_fenghua_progress_table_unit_column_after_the_task(settings):
    """奉化's progress table, one cell a line: 目标任务 / 牵头单位 / 进展情况 / 下步举措.  Each row is a task cell followed by
    its unit cells (发改局 / 农业农村局, one a line, written without their level); the progress and the next steps after
    them (1.强化… 2.强化…) are no tasks.  The table's caption above the header is the title, not 目标任务."""
    plan = read(settings, "fenghua-report-progress-q1-2022")
    assert plan.title.text == "《政府工作报告》重点工作2022年第一季度进展情况表"
    assert roles(plan) == [[("发改局", "lead")], [("发改局", "lead"), ("农业农村局", "lead")], [("发改局", "lead")],
                           [("发改局", "lead")]]
    tasks = [c.text.text for c in plan.clauses]
    assert tasks[0] == "固定资产投资增长10%以上。" and not any(t.startswith("1.强化") for t in tasks)


def test_putuo_indicator_table_units_in_the_last_column(settings):
    """普陀's plan-execution table, one cell a line: 类别 / 指标名称 / 年度目标 / 完成情况 / 责任部门.  A run of unit cells
    (区科委 / 区金融办 / 区商务委) closes each row; the row's task is its numbered indicator, broken over two lines
    (四大重点培育产业占区级税收 / 比重), the category cell of the next group (高品质生活) no part of the row before."""
    plan = read(settings, "putuo-plan-execution-h1-2021")
    got = roles(plan)
    assert got[:3] == [[("区发改委", "unspecified")], [("区财政局", "unspecified")],
                       [("区科委", "unspecified"), ("区金融办", "unspecified"), ("区商务委", "unspecified")]]
    assert got[8] == [("区人社局", "unspecified")]
    tasks = [c.text.text for c in plan.clauses]
    assert tasks[2].startswith("四大重点培育产业占区级税收") and "比重" in tasks[2]
    assert tasks[8].startswith("城乡登记失业人数") and not any("高品质生活" in t for t in tasks)


def test_written_progress_and_indicator_tables(settings):
    # written: the unit column right after the task's, a list in one cell, the next steps numbered after it
    text = ("某县重点工作进展情况表\n\n目标任务\n\n牵头单位\n\n进展情况\n\n下步举措\n\n新建学校2所。\n\n县教育局、县财政局\n\n"
            "已开工。\n\n1.加快建设。\n\n2.做好验收。\n\n改造道路3条。\n\n县交通运输局\n\n完成60%。\n\n继续推进。\n")
    assert roles(written(settings, text)) == [[("县教育局", "lead"), ("县财政局", "lead")], [("县交通运输局", "lead")]]
    # written: the unit column last, a category cell before a group's first row
    text = ("某区主要指标完成情况\n\n类别\n\n指标名称\n\n年度目标\n\n完成情况\n\n责任部门\n\n经济发展\n\n1、地区生产总值增长率\n\n6%\n\n"
            "5.2%\n\n区发改委\n\n民生保障\n\n2、新增就业人数\n\n5000人\n\n3100人\n\n区人社局\n\n区民政局\n")
    plan = written(settings, text)
    assert roles(plan) == [[("区发改委", "unspecified")], [("区人社局", "unspecified"), ("区民政局", "unspecified")]]
    assert [c.text.text.split("\n")[0] for c in plan.clauses] == ["地区生产总值增长率", "新增就业人数"]


def test_report_columns_are_column_names_and_an_indicator_the_task():
    for name in ("进展情况", "完成情况", "下步举措", "下一步工作打算", "年度目标", "目标任务", "类别", "指标名称"):
        assert is_column_head(name), name
    assert not is_column_head("固定资产投资增长10%以上。")  # a task's cell
    assert task_column(["类别", "指标名称", "年度目标", "完成情况", "责任部门"]) == 1
    assert task_column(["目标任务", "牵头单位", "进展情况", "下步举措"]) == 0
    assert task_column(["序号", "重点任务", "指标名称", "牵头单位"]) == 1  # a named task column first, as before


def test_a_header_with_a_number_column_is_left_to_the_numbered_readers():
    """钟楼 / 嵊泗 (序号 / 目标名称 / … / 牵头单位 / 配合单位): tables with a 序号 column are read by their numbered rows as
    before, not by the unit cells alone."""
    text = "1\n建设平台\n县发改委\n"
    assert unnumbered_rows(text, list(lines(text)), ["序号", "重点任务", "牵头单位"], 1, [(2, "lead")], None) == ([], set())


def test_changning_table_cut_before_its_unit_cells_is_a_plan(settings):
    """长宁's notice issues 《上海市长宁区人民政府2019年重点工作目标》, a table (领域 / 序号 / 重要项目 / … / 主责部门 /
    配合部门 / 第一季度 …) the excerpt cuts inside its first row, before the unit cells: read as a plan, not refused —
    its title the document the notice hands out (a year's 重点工作目标), its 一、 category a section and its row (1 /
    稳增长 / 制定并部署…) a task with no annotation."""
    plan = read(settings, "changning-key-work-targets-2019")
    assert plan.title.text == "上海市长宁区人民政府2019年重点工作目标" and plan.period == (2019, 2019)
    assert [s.title.text for s in plan.sections] == ["经济发展"]
    assert len(plan.tasks) == 1 and "预期增长4%" in plan.tasks[0].span.of(plan_text("changning-key-work-targets-2019"))
    assert roles(plan) == []
    assert any(t.value == 4 and t.unit == "%" for t in plan.targets)


def test_written_notice_issuing_a_years_targets():
    from lpsplan.extract.metadata import HANDED_OUT_RE, ISSUING_RE, NOTICE_TITLE_RE

    m = ISSUING_RE.search("现将《某区人民政府2024年重点工作目标》印发给你们")  # written
    assert m and m.group("title") == "某区人民政府2024年重点工作目标"
    m = NOTICE_TITLE_RE.search("某区人民政府关于印发区政府2024年重点工作目标的通知")  # written
    assert m and m.group("title") == "区政府2024年重点工作目标"
    # written: targets a notice cites (按照《…》要求) are not the document it hands out
    assert not HANDED_OUT_RE.search("按照《某区2024年重点工作目标》要求,现将实施方案印发给你们")


def plan_text(name: str) -> str:
    from realplans import REAL

    return (REAL / f"{name}.txt").read_text(encoding="utf-8")
