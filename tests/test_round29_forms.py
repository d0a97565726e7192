"""Round 29 (docs/plans.md): unit names a page ran together, and a task table that lost its cell separators — on the
dev texts they were found in (tests/data/real, split dev) and on written examples (marked as such)."""

import pytest
from lpsplan.errors import ExtractionError
from lpsplan.extract import extract_plan
from lpsplan.extract.rununits import cuts, is_unit, run_together_rows, segment
from lpsplan.extract.text import lines
from lpsplan.inputs import SourceText

from realplans import REAL, read, roles


def pieces(run: str):
    got = segment(run)
    return None if got is None else [run[a:b] for a, b in got]


def test_a_run_of_unit_names_is_cut_where_a_last_word_meets_a_first():
    # real: 嵊泗's 评分部门 cell and 嘉兴's row 8, both dev
    assert pieces("市海洋渔业局市农业农村局") == ["市海洋渔业局", "市农业农村局"]
    assert pieces("市发展改革委市经贸委市规划建设局") == ["市发展改革委", "市经贸委", "市规划建设局"]
    assert pieces("市发展改革委各县(市、区)政府") == ["市发展改革委", "各县(市、区)政府"]
    assert pieces("嘉兴经济开发区嘉兴港区") == ["嘉兴经济开发区", "嘉兴港区"]
    # written: a place's name, 中共 and a level word open the next name
    assert pieces("省发展改革委省能源局") == ["省发展改革委", "省能源局"]
    assert pieces("县财政局中共某县委组织部") == ["县财政局", "中共某县委组织部"]


def test_a_run_that_is_not_wholly_names_is_left_as_it_was():
    # real (dev texts): 新建's prose 区城管局区政府民生实事项目3个, 侯马's branch named after its place, 嘉兴's group of members
    assert pieces("区城管局区政府民生实事项目") is None
    assert pieces("临汾市生态环境局侯马分局") == ["临汾市生态环境局侯马分局"]
    assert pieces("市三产发展领导小组各成员单位") == ["市三产发展领导小组各成员单位"]
    assert pieces("市人民政府各工作部门") == ["市人民政府各工作部门"]  # 西安's addressees: the government's own departments
    # written: words that open with a level word without being one, and names that are one body
    assert pieces("市住房和城乡建设局") == ["市住房和城乡建设局"]
    assert cuts("区发改局市场监管局") == []  # 市场 is no level word: no name opens there (the run is not cut)
    assert pieces("市委市政府") is None and pieces("省委省政府") is None  # the pair is read as written, not cut
    assert not is_unit("市民中心建设") and not is_unit("区域合作") and is_unit("市外经贸局")


def test_shengsi_evaluators_cell_is_cut_but_not_read_as_the_rows_units(settings):
    """嵊泗's 评分部门 cell 市海洋渔业局市农业农村局, one cell with no separator, is two names (round 29); since round 30 the
    column of scorers is no unit column, and neither name is among a row's units (tests/test_round30_forms.py)."""
    assert pieces("市海洋渔业局市农业农村局") == ["市海洋渔业局", "市农业农村局"]
    plan = read(settings, "shengsi-rural-revitalization-list-2021")
    assert roles(plan)[0] == [("县海洋与渔业局", "unspecified"), ("县农业农村局", "unspecified")]
    assert all("局市" not in u and not u.startswith("市") for row in roles(plan) for u, _ in row)


def test_jiaxing_table_that_lost_every_separator(settings):
    """嘉兴's 十一五 division: the whole table on one line, no separator between cells; each row's closing run of unit
    names is its annotation, the 第一责任单位 leading, the 主要责任单位 after the first two names that meet unseparated."""
    plan = read(settings, "jiaxing-11th-plan-division")
    assert plan.title.text == "《嘉兴市国民经济和社会发展第十一个五年规划纲要》主要目标任务分解落实方案"
    got = roles(plan)
    assert len(got) == 10
    assert got[0] == [("市发展改革委", "lead"), ("各县(市、区)政府", "unspecified"), ("嘉兴经济开发区", "unspecified"),
                      ("嘉兴港区", "unspecified")]
    assert got[1][-1] == ("市三产发展领导小组各成员单位", "unspecified")
    assert got[6][0] == ("市外经贸局", "lead")
    assert got[9][:3] == [("市科技局", "lead"), ("市发展改革委", "unspecified"), ("市经贸委", "unspecified")]
    tasks = [c.text.text for c in plan.clauses]
    assert tasks[0] == "地区生产总值年均增长12%左右,人均生产总值达到6万元左右。"
    assert tasks[9].endswith("现代装备技术等先进生产技术")  # row 10 closes its task with no 。: the names still end it
    assert not any("—2—" in t or "产业优化升级" in t for t in tasks)  # the page mark and the next section's heading


WRITTEN_TABLE = ("某县2023年重点工作任务分解表序号工作任务责任单位完成时限1新建幼儿园3所。县教育局县财政局、县住建局2023年底前"
                 "2改造农村公路50公里。县交通运输局各乡镇人民政府2023年12月前\n")


def test_written_run_together_table_with_deadlines():
    """Written: one unit column and a deadline column, run together."""
    plan = extract_plan(SourceText("written.txt", WRITTEN_TABLE, "0" * 64), slug="written", strict=False)
    assert plan.title.text == "某县2023年重点工作任务分解表"
    assert [(c.text.text, [(u.written, u.role) for u in c.units], c.deadline) for c in plan.clauses] == [
        ("新建幼儿园3所。", [("县教育局", "unspecified"), ("县财政局", "unspecified"), ("县住建局", "unspecified")], 2023),
        ("改造农村公路50公里。", [("县交通运输局", "unspecified"), ("各乡镇人民政府", "unspecified")], 2023)]


def test_written_run_together_rows_that_end_in_no_units_are_no_table():
    """Written: rows whose trailing part names no unit are not read (the text is refused as before)."""
    text = "某县2023年重点工作任务分解表序号工作任务责任单位1新建幼儿园3所,推进县城建设2改造农村公路50公里\n"
    assert run_together_rows(text, list(lines(text)))[0] == []
    with pytest.raises(ExtractionError):
        extract_plan(SourceText("written.txt", text, "0" * 64), slug="written", strict=False)
    assert REAL.is_dir()


def test_a_one_cell_a_line_table_cut_inside_its_last_row_keeps_the_row_before(settings, tmp_path):
    """沈河 (dev) cut inside row 3's task, before its unit cells: the numbered task line still ends row 2, which is read as
    in the whole text (the cut used to add row 3's task line to row 2's cells and lose 各街道办事处)."""
    from lpsplan.build import build_plan

    text = (REAL / "shenhe-report-tasks-table-2024.txt").read_text(encoding="utf-8")
    at = text.index("3.积极培育") + 12
    cut = SourceText("cut.txt", text[:at], "0" * 64)
    whole = roles(read(settings, "shenhe-report-tasks-table-2024"))
    got = roles(build_plan(settings, source=cut, slug="cut", jurisdiction=None, strict=False).plan)
    assert got == whole[:2]
