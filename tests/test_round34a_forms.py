"""Rules of round 34 (writer A: tables, refusals, progress lists; docs/plans.md entry 34), each on the dev text it was
found in (tests/data/real, split dev) and on written examples of the same form (marked as such)."""

from lpsplan.extract.runrows import run_rows
from lpsplan.extract.text import has_words, lines
from lpsplan.extract.unlabelled import _unlabelled_units

from realplans import read, roles, written


def _lines(text: str):
    return [s for s in lines(text) if has_words(s.of(text))]


def test_chengdu_an_attachment_given_alone_is_the_plan_not_an_annex(settings):
    """成都's 民生实事工作目标: the page gives 附件1 alone, its caption first, then the plan (items 1。2。 closed by
    (牽頭單位:X)); a 附件 line with no plan before it is the attachment's caption, not the start of annexes.  Its title
    ends in 民生实事工作目标, the year's list of livelihood targets, and gives the plan's year."""
    plan = read(settings, "chengdu-livelihood-targets-2021")
    got = roles(plan)
    assert len(got) == 12
    assert got[0] == [("市住建局", "lead")] and got[1] == [("市住建局", "lead"), ("市交通運輸局", "lead")]
    assert got[-1] == [("市公園城市局", "lead")]
    assert plan.title.text == "成都市2021年民生實事工作目標" and plan.period == (2021, 2021)


WRITTEN_ANNEX = ("首页 > 政务公开\n附件1\n某市2024年民生实事工作目标\n一、教育\n1.新建幼儿园3所。(牵头单位:市教育局)\n"
                 "二、交通\n2.新改建农村公路100公里。(牵头单位:市交通运输局、市财政局)\n")


def test_written_an_attachment_after_a_page_line(settings):
    """Written: the page's own line before 附件1, then the plan: read as the plan; an annex after a plan stays one."""
    plan = written(settings, WRITTEN_ANNEX)
    assert roles(plan) == [[("市教育局", "lead")], [("市交通运输局", "lead"), ("市财政局", "lead")]]
    assert plan.title.text == "某市2024年民生实事工作目标"
    after = written(settings, WRITTEN_ANNEX.replace("首页 > 政务公开\n附件1\n", "") + "附件2\n某市民生实事项目表\n")
    assert len(roles(after)) == 2 and len(after.annexes) == 1


def test_jingzhou_a_pipe_table_whose_category_cells_stand_on_a_group_first_row(settings):
    """荆州's 任务分解责任清单: 工作任务 | 具体要求 | 责任单位 | 时限要求 |, row 1 carrying the category cells merged over
    the rows (一、… | (一)… | 1 | …), row 2 only its number, task, units and deadline; the unit cell says who carries it
    out (X,Y、Z负责落实).  Refused before."""
    plan = read(settings, "jingzhou-open-government-list-2022")
    got = roles(plan)
    assert got == [[("市政府各有关部门", "unspecified"), ("各县市区人民政府", "unspecified"), ("功能区管委会", "unspecified")]] * 2
    tasks = [c.text.text for c in plan.clauses]
    assert tasks[1].startswith("开设行业帮扶政策公开专题")


def test_taishan_a_pipe_table_whose_header_is_broken_over_two_lines(settings):
    """台山's 任务分工表: the header 工作任务 | 具体要求 / | 责任单位 | over two lines, the rows' 1. 2. inside their task cells,
    a category cell on each group's first row; unit cells that say roles (X牵头,Y配合;各镇(街)参照落实).  参照落实 after a
    lead is support (those who follow the lead's example).  Rows 8 and 10 have no unit cell of their own (passed over).
    X牵头,Y落实 keeps Y unspecified, as the other dev labels read 落实: three of the page's labels read it support."""
    plan = read(settings, "taishan-open-government-tasks")
    got = roles(plan)
    assert len(got) == 9
    assert got[0] == [("市直有关部门", "unspecified"), ("各镇(街)", "unspecified")]
    assert got[1] == [("市政府办公室", "lead"), ("市发展和改革局", "lead"), ("市直有关部门", "support"), ("各镇(街)", "support")]
    assert got[-1] == [("各镇(街)", "unspecified")]
    assert plan.clauses[0].text.text.startswith("1.主动公开")  # the task cell, not the group's heading


def test_following_the_lead_is_support_only_after_a_lead():
    # written: 参照落实 / 参照执行 after a lead; alone it says no lead, so no support
    text = "市发改局牵头,市财政局配合;各镇参照执行"
    assert [(u.written, u.role) for u in _unlabelled_units(text, 0, len(text))] == [
        ("市发改局", "lead"), ("市财政局", "support"), ("各镇", "support")]
    text = "各镇(街)参照落实"
    assert [(u.written, u.role) for u in _unlabelled_units(text, 0, len(text))] == [("各镇(街)", "unspecified")]


def test_xicheng_a_run_together_table_one_row_a_line(settings):
    """西城's 重点工作全年完成情况: 类别序号重点督办内容牵头单位全年完成情况 and each row its category, number, task, lead unit
    and completion text run together on one line; the unit is the name by shape after the task's sentence.  Refused
    before."""
    plan = read(settings, "xicheng-report-completion-2020")
    assert roles(plan) == [[("区发展改革委", "lead")], [("区财政局", "lead")], [("区人力社保局", "lead")], [("区人力社保局", "lead")]]
    assert plan.clauses[0].text.text == "地区生产总值增长6%左右。"
    assert plan.title.text == "西城区政府2020年重点工作任务目标全年完成情况"


RUN_ROWS = ("某区2023年重点工作任务完成情况\n类别序号重点工作任务责任单位进展情况\n"
            "发展目标1新增就业5000人。区人力社保局区财政局已完成全年目标。\n"
            "发展目标2新建公园3个。区园林绿化局、区城管委已建成2个。\n"
            "民生实事3改造老旧小区20个。区住房城乡建设委员会已开工。\n")


def test_written_run_together_rows_with_two_units_and_a_longer_last_word(settings):
    """Written: two names run together (区人力社保局区财政局), two with 、, and 委员会 (not cut at 委)."""
    assert roles(written(settings, RUN_ROWS)) == [
        [("区人力社保局", "unspecified"), ("区财政局", "unspecified")],
        [("区园林绿化局", "unspecified"), ("区城管委", "unspecified")],
        [("区住房城乡建设委员会", "unspecified")]]


def test_written_a_row_whose_sentence_no_unit_follows_ends_the_table():
    """Written: the reader is conservative: a line whose task is followed by no unit's name ends the table; fewer than
    two rows and more lines after them read nothing."""
    text = RUN_ROWS.replace("区园林绿化局、区城管委已建成2个", "已建成2个") + "其他说明\n更多内容\n"
    assert run_rows(text, _lines(text))[0] == []


def test_baoshan_cells_closed_by_a_line_of_bars_under_a_header_above_the_sections(settings):
    """保山's 任务分解方案: one cell a line, each closed by a line of | under it (工作任务 / | / 工作要求 / | / 牵头单位 / | /
    责任单位 / |), the 一、 rows taken as sections; a responsibility cell alone on its line was read as the row's whole
    annotation and the lead column lost.  The header above the sections now reads the rows when the body's only
    annotations are the rows' own cells; the cells before the first row are the table's, no task of their own."""
    plan = read(settings, "baoshan-open-government-tasks-2021")
    got = roles(plan)
    assert got[0] == [("市发展改革委", "lead"), ("自然资源和规划局", "lead"), ("市直有关单位", "unspecified"),
                      ("各县(市、区)人民政府", "unspecified")]
    assert got[2] == [("市发展改革委", "lead"), ("市直有关单位", "unspecified"), ("各县(市、区)人民政府", "unspecified")]
    assert len(got) == 3
