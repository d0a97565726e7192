"""Task tables as pages give them, read by general rules (the eleventh round): checked on dev texts, and on written
examples where a form has no dev document (said so).  Unit tests: never counted in a figure."""
from pathlib import Path

from lpsplan.extract import extract_plan
from lpsplan.extract.boxtables import box_table
from lpsplan.extract.tablecells import unit_role
from lpsplan.extract.tableheads import column_names
from lpsplan.extract.text import lines
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"


def _plan(text: str, title: str | None = None):
    return extract_plan(SourceText("x.txt", text, "0" * 64), strict=False, title=title)


def _units(plan) -> list[list[tuple[str, str]]]:
    return [[(u.written, u.role) for u in c.units] for c in plan.clauses]


def _real(name: str, title: str | None = None):
    return _plan((REAL / f"{name}.txt").read_text(encoding="utf-8"), title)


def test_a_header_broken_over_cells_is_read_as_its_column_names():
    # dev: xuhui-11th-plan-division-p4 (牵头 / 部门, 完成 / 时间, 具 体 内 容 one cell a line)
    assert column_names(["序号", "项目", "类别", "具 体 内 容", "牵头", "部门", "相关责任部门", "完成", "时间"]) == [
        "序号", "项目", "类别", "具体内容", "牵头部门", "相关责任部门", "完成时间"]
    # a column name is never joined with the next one (民生实事 + 责任单位 would read as a unit column)
    assert column_names(["序号", "民生实事", "责任单位", "完成时限"]) == ["序号", "民生实事", "责任单位", "完成时限"]
    assert unit_role("牵头部门") == "lead" and unit_role("牵头") is None


def test_a_one_cell_a_line_table_with_a_unit_cell_over_several_lines_and_a_merged_cell():
    # dev: dazhu-livelihood-tasks-2016 — 县水务局 / 县住建局 / 县护城河指挥部 one unit a line; row 5's second task
    # (开工建设老年大学 / 12月底前) has no unit cell of its own (merged with the first's): left, not read as units
    plan = _real("dazhu-livelihood-tasks-2016")
    got = _units(plan)
    assert len(got) == 10
    assert got[0] == [("县水务局", "unspecified"), ("县住建局", "unspecified"), ("县护城河指挥部", "unspecified")]
    assert got[4] == [("县民政局", "unspecified")]
    assert plan.clauses[4].text.text == "开工建设县老年养护楼。"
    assert [c.deadline for c in plan.clauses] == [None] * 10  # 12月底前 names no year


def test_empty_cells_leave_no_line_and_the_header_repeated_on_a_new_page_ends_a_row():
    # dev: xuhui-11th-plan-division-p4 — 项目 / 类别 empty in every row (the row read from its end: deadline, then the
    # unit columns); 序号 … 时间 again between rows 119 and 120; 13个街道、镇 one unit, 等相关部门 dropped
    plan = _real("xuhui-11th-plan-division-p4")
    got = _units(plan)
    assert len(got) == 14
    assert got[0] == [("教育局", "lead"), ("13个街道、镇", "unspecified")]
    assert got[6] == [("教育局", "lead"), ("民政局", "unspecified"), ("残联", "unspecified"), ("13个街道、镇", "unspecified")]
    assert got[11] == [("教育局", "lead"), ("信息委", "unspecified"), ("13个街道、镇", "unspecified")]
    assert plan.clauses[11].text.text.startswith("健全社区学院") and plan.clauses[12].text.text == "构建疾病预防控制二级网络"
    assert plan.clauses[0].deadline == 2010 and plan.clauses[3].deadline == 2007


def test_a_row_with_two_unit_columns_read_from_its_start_when_its_end_is_no_unit():
    # written example: the row's last lines are the next task the excerpt cuts (no row number of its own)
    text = ("2024年重点工作任务分解表\n序号\n重点工作任务\n牵头单位\n配合单位\n1\n建设科创平台。\n市科技局\n市发改委、市财政局\n"
            "2\n推进数字政府建设。\n市大数据局\n市政府办公室\n")
    assert _units(_plan(text)) == [
        [("市科技局", "lead"), ("市发改委", "support"), ("市财政局", "support")],
        [("市大数据局", "lead"), ("市政府办公室", "support")]]


def test_the_last_row_cut_after_its_units_is_read():
    # written from a dev text (huoshan-zone-tasks-2025) cut after the first row's unit cell, before its deadline
    text = (REAL / "huoshan-zone-tasks-2025.txt").read_text(encoding="utf-8")
    cut = text[: text.index("安商工作部 |") + len("安商工作部 |")]
    assert _units(_plan(cut)) == [[("招商工作部", "unspecified"), ("安商工作部", "unspecified")]]


def test_an_item_marker_the_excerpt_cuts_right_after_is_no_item():
    # written from a dev text (jinxiang-work-division-2025) cut right after the marker 4.
    text = (REAL / "jinxiang-work-division-2025.txt").read_text(encoding="utf-8")
    at = text.index("\n4.") + 3
    plan = _plan(text[:at])
    assert plan.objectives and all(p.span.end > p.span.start and p.text.strip() for p in plan.objectives + plan.principles)


def test_a_table_closed_by_pipes_with_unnumbered_rows_is_read_from_its_end():
    # dev: zhaohua-livelihood-tasks-2017 — 项 目 | 目标 | 分 解 情 况 | 责任领导 | 责任单位 | 责任人 |: no column named as a
    # task (the first, 项目, is); 分解情况 divided over three cells in the row; the unit cell found as far from the row's
    # end as 责任单位 is from the header's; the people's columns (刘 强, 陈 宗) no units; the next rows, merged with this
    # one for 责任领导 / 责任单位 / 责任人, have fewer cells and are passed over
    plan = _real("zhaohua-livelihood-tasks-2017")
    assert _units(plan) == [[("区人社局", "unspecified")]]
    assert plan.clauses[0].text.text == "就 业 促 进 工 程"


def test_a_page_s_fields_closed_by_pipes_are_no_table():
    # written example: a page's own fields (索引号 | … | 发布机构 | …) name no unit column
    text = ("索引号: | 0001/2024-01 | 发布机构: | 区政府办公室 |\n名称: | 关于印发2024年工作要点的通知 | 文号: | 区政办〔2024〕1号 |\n"
            "2024年工作要点\n一、重点任务\n(一)推进改革。完善机制。(区发改局牵头)\n")
    assert _units(_plan(text)) == [[("区发改局", "lead")]]


def test_a_table_drawn_with_box_characters():
    # dev: city-report-tasks-boxdrawn-p1 — cells wrapped inside words (各县(市、区)政 / 府,市财政局、国 / 家税务局…), a rule
    # under one column ending that column's cell alone, the unit cell spanning several task cells; 分管领 / 导 a people's
    # column; the task the one beside the unit cell's first line
    plan = _real("city-report-tasks-boxdrawn-p1", title="某市工作任务分解")
    got = _units(plan)
    assert got == [
        [(u, "lead") for u in ("各县(市、区)政府", "市财政局", "国家税务局", "地方税务局", "金融办", "人民银行", "银监局")],
        [(u, "lead") for u in ("各县(市、区)政府", "市财政局", "教育局")]]
    assert [c.text.text for c in plan.clauses] == ["抓好财税金融工作,增强发展保障能力", "△加强财政监督,提高财政资金使用效益"]
    name = plan.clauses[0].units[2]
    assert name.written == "国家税务局" and name.span.of(plan_text("city-report-tasks-boxdrawn-p1")).startswith("国")


def test_box_characters_that_draw_no_task_table_are_left():
    # written examples: a drawing with no unit column, and stray separators
    for text in ("┌──┬──┐\n│项目│金额│\n├──┼──┤\n│道路│100 │\n└──┴──┘\n", "│\n│\n│\n│\n", "├┤\n│││\n┼\n│ a │\n"):
        assert box_table(text, list(lines(text))) == ([], set())


def plan_text(name: str) -> str:
    return (REAL / f"{name}.txt").read_text(encoding="utf-8")
