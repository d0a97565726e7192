"""Round 40, rule writer A (docs/plans.md, entry 44): tables and structure on dev batches 28-30 — units a table's cell
separates by spaces, a star after the unit that leads, a page that starts inside an earlier item, a table's header
given one cell a line before any title and a title whose first line is the 《…》 of the plan it divides; each on its dev
text and on written examples of the same form (marked as such), the neighbouring readings kept."""

from lpsplan.extract.front import header_lines
from lpsplan.extract.tablecells import _unit_cell, _units_of
from lpsplan.extract.text import lines
from lpsplan.records import Mention, Span

from realplans import read, roles, written


def _cell(text: str) -> Mention:
    return Mention(text, Span(0, len(text)))


def test_wuhu_units_a_cell_separates_by_spaces(settings):
    """芜湖's key-work table closed by | (序号 / 目标与任务 / 牵头责任单位 / 责任单位): a unit cell of several units separated
    by spaces (市人力资源社会保障局 市农业农村局) is a unit cell, so its row is read; before, only the rows with one lead
    were, and the rows after the group rows (二、… | |||, 1 | 大力提振消费。 | ||) were lost."""
    got = roles(read(settings, "wuhu-key-work-responsibility-2025"))
    collectives = [("各县市区政府", "unspecified"), ("开发区管委会", "unspecified")]
    for want in ([("市人力资源社会保障局", "lead"), ("市农业农村局", "lead"), *collectives],
                 [("市发展改革委", "lead"), ("市生态环境局", "lead"), *collectives],
                 [("市商务局", "lead"), ("市财政局", "unspecified"), ("市工业和信息化局", "unspecified"), *collectives],
                 [("市发展改革委", "lead"), ("市商务局", "lead"), ("市财政局", "unspecified"), *collectives]):
        assert want in got, want


def test_spaced_units_in_a_cell_are_a_unit_cell():
    # written: two units' names separated by a space; jishui's 县教体局 各相关乡镇政府 form
    text = "县教体局 各相关乡镇政府"
    assert _unit_cell(text, _cell(text))
    assert [u.written for u in _units_of(text, _cell(text), "unspecified")] == ["县教体局", "各相关乡镇政府"]
    text = "加快建设 县教体局"  # written: a task's words and a unit are no unit cell
    assert not _unit_cell(text, _cell(text))


def test_longwan_star_after_the_unit_that_leads(settings):
    """龙湾's progress table (序号 / 重点工作 / 责任单位 / 进展情况): 区政府办公室*、区财政局 — the star after a unit's name
    marks the one that leads, as a star before it does; the others in the cell support."""
    got = roles(read(settings, "longwan-report-progress-h1-2023"))
    assert [("区政府办公室", "lead"), ("区财政局", "support")] in got
    assert [("区发改局", "unspecified")] in got  # a cell without a star keeps its column's role


def test_written_trailing_star_anywhere_in_the_cell():
    text = "区财政局、区住建局*、区城管局"  # written: the starred unit second
    assert _unit_cell(text, _cell(text))
    assert [(u.written, u.role) for u in _units_of(text, _cell(text), "unspecified")] == [
        ("区财政局", "support"), ("区住建局", "lead"), ("区城管局", "support")]
    text = "*区住建局、区城管局"  # written: the star before, as before
    assert [(u.written, u.role) for u in _units_of(text, _cell(text), "unspecified")] == [
        ("区住建局", "lead"), ("区城管局", "support")]


def test_jiangxi_page_that_starts_inside_an_earlier_item(settings):
    """江西's rectification plan, page 14 of a paginated copy: it starts inside 景德镇's item (整改时限 / 整改措施 / 1、… 2、…
    / 责任单位:景德镇市政府。), its heading on the page before, then (二)赣州市。 — the measures and the unit line above (二)
    are the body's too, so 景德镇市政府 is read as well as 赣州市政府."""
    got = roles(read(settings, "jiangxi-env-inspection-rectification-2017"))
    assert got[:2] == [[("景德镇市政府", "unspecified")], [("赣州市政府", "unspecified")]]


def test_written_page_starting_inside_an_item(settings):
    # written: (二) first, a run of 1、 2、 measures and a labelled unit line above it
    text = ("某市整改方案\n\n整改措施:\n\n1、加快搬迁。\n\n2、完成改造。\n\n责任单位:甲市政府。\n\n(二)乙市。\n\n整改措施:\n\n"
            "1、推进治理。\n\n责任单位:乙市政府。\n")
    assert roles(written(settings, text)) == [[("甲市政府", "unspecified")], [("乙市政府", "unspecified")]]


def test_zhenjiang_header_cells_are_no_title(settings):
    """镇江's table given one cell a line (重点 / 任务 / 项目 / 名称 / 项目内容 / 责任单位 / 具体年度任务和措施 / 2018年 …):
    its column names run together were read as the title (名称项目内容责任单位具体年度任务和措施).  A line among a table's
    header is no title; the title is the table's caption over two lines, the 《…》 of the plan it divides and 重点任务与
    责任分解表, and the period the years the 《…》 states."""
    plan = read(settings, "zhenjiang-civilization-tasks-division-2018")
    assert plan.title.text == "《镇江市建设新时代更高水平文明城市行动纲要(2018—2020年)》重点任务与责任分解表"
    assert plan.period == (2018, 2020)


def test_written_header_lines_and_quoted_first_line(settings):
    # written: the header's cells one a line, the last ending in a genre word (措施)
    text = "某表\n\n任务\n\n项目内容\n\n责任单位\n\n具体措施\n\n建设公园,完善设施。\n"
    assert header_lines(text, [s for s in lines(text) if s.of(text).strip()]) == {1, 2, 3, 4}
    text = "某市行动计划\n\n主要任务\n\n加快建设公园,完善设施。\n\n责任单位\n"  # written: no run of column names
    assert header_lines(text, [s for s in lines(text) if s.of(text).strip()]) == set()
    text = "《某市行动纲要(2021—2023年)》\n\n重点任务分解表\n\n序号\n\n重点任务\n\n责任单位\n\n1\n\n建设公园。\n\n市园林局\n"
    plan = written(settings, text)  # written: the caption over two lines, the first the 《…》 of the plan
    assert plan.title.text == "《某市行动纲要(2021—2023年)》重点任务分解表" and plan.period == (2021, 2023)
    text = "某市重点任务分解表\n\n序号\n\n重点任务\n\n责任单位\n\n1\n\n建设公园。\n\n市园林局\n"
    assert written(settings, text).title.text == "某市重点任务分解表"  # written: a title of its own, not joined


def test_wuhu_notice_title_under_its_issuers_line(settings):
    """芜湖's notice title over two lines (芜湖市人民政府 / 关于2025年重点工作及责任分解的通知), the tasks in it: the issuer's
    line is the title's, as on one line."""
    plan = read(settings, "wuhu-key-work-responsibility-2025")
    assert plan.title.text == "芜湖市人民政府关于2025年重点工作及责任分解的通知"


def test_written_notice_title_and_issuer_lines(settings):
    task = "\n\n一、重点任务\n\n(一)建设公园。(责任单位:县园林局)\n"
    # written: the issuer's line above the notice's own title joins it
    plan = written(settings, "某县人民政府\n\n关于2024年重点工作任务分解的通知" + task)
    assert plan.title.text == "某县人民政府关于2024年重点工作任务分解的通知"
    # written: a line between them (a date) keeps them apart
    plan = written(settings, "某县人民政府\n\n2024年3月1日\n\n关于2024年重点工作任务分解的通知" + task)
    assert plan.title.text == "关于2024年重点工作任务分解的通知"


def test_zhenjiang_unit_cell_one_unit_a_line(settings):
    """镇江's row 1: after its content cell (…进网络。), the unit cell's four units one a line (市委宣传部 / 各辖区 / 镇江新区 /
    镇江高新区: a unit, a collective and two areas), the excerpt cut after them: one annotation of the four."""
    got = roles(read(settings, "zhenjiang-civilization-tasks-division-2018"))
    assert got == [[("市委宣传部", "unspecified"), ("各辖区", "unspecified"), ("镇江新区", "unspecified"),
                    ("镇江高新区", "unspecified")]]


def test_written_unit_lines_and_a_notices_signature():
    from lpsplan.extract.unitcells import unit_cells

    # written: a header naming a unit column, a task cell, then two units one a line and the next row's number
    text = "序号\n\n重点任务\n\n责任单位\n\n1\n\n建设公园。\n\n市园林局\n\n各县区\n\n2\n"
    assert [[u.written for u in units] for _, units in unit_cells(text, 0, len(text))] == [["市园林局", "各县区"]]
    # written: the offices that sign a notice, one a line over its date, are no task's units
    text = "责任单位\n\n请认真贯彻执行。\n\n市发展和改革委员会\n\n市财政局\n\n2024年3月1日\n"
    assert unit_cells(text, 0, len(text)) == []
    # written: one unit alone on its line is left to the readers of a table's rows
    text = "责任单位\n\n建设公园。\n\n市园林局\n\n加快推进。\n"
    assert unit_cells(text, 0, len(text)) == []


def test_wuhu_group_rows_keep_the_lead_off_the_tables_rows(settings):
    """芜湖's group rows between the table's rows (一、主要预期目标 | |||, 二、…): the section's lead text stops at the table's
    next row, so no row's cells are read a second time as the lead's (each row once, its lead unit with it)."""
    got = roles(read(settings, "wuhu-key-work-responsibility-2025"))
    assert len(got) == 9 and all(units[0][1] == "lead" for units in got)


def _header_role_at(name: str, cell: str) -> str:
    from lpsplan.extract.unitcells import _header_role
    from lpsplan.inputs import read_plan_input

    from realplans import REAL

    text = read_plan_input(REAL / f"{name}.txt").source.text
    assert cell in text
    return _header_role(text, text.index(cell))


def test_header_role_of_a_cells_units_on_dev_texts():
    """The role the header above a cell gives its units, read on dev texts: 奉化's one column of units (目标任务 / 牵头单位 /
    进展情况 / 下步举措, its gold: 发改局 / 农业农村局 one a line, both lead), 镇江's 责任单位 (unspecified); 汉中's two columns
    牵头单位 / 配合单位 and 新建's 牵头单位 / 业主单位 leave the column a cell stands in open (unspecified)."""
    assert _header_role_at("fenghua-report-progress-q1-2022", "发改局\n\n农业农村局") == "lead"
    assert _header_role_at("zhenjiang-civilization-tasks-division-2018", "市委宣传部\n\n各辖区") == "unspecified"
    assert _header_role_at("hanzhong-employment-task-list-2023", "市财政局、市税务局") == "unspecified"
    assert _header_role_at("xinjian-livelihood-progress-2024", "区城投 |") == "unspecified"


def test_written_unit_lines_take_the_role_their_header_names():
    from lpsplan.extract.unitcells import unit_cells

    def got(text):
        return [[(u.written, u.role) for u in units] for _, units in unit_cells(text, 0, len(text))]

    # written: a one-cell-a-line table whose one unit column leads (牵头单位), then one that supports (配合部门)
    row = "\n\n1\n\n建设公园。\n\n市园林局\n\n各县区\n\n2\n"
    assert got("序号\n\n重点任务\n\n牵头单位\n\n进展情况" + row) == [[("市园林局", "lead"), ("各县区", "lead")]]
    assert got("序号\n\n重点任务\n\n配合部门" + row) == [[("市园林局", "support"), ("各县区", "support")]]
    assert got("序号\n\n重点任务\n\n市园林局、市财政局" + "\n\n建设公园。\n\n市园林局\n\n2\n") == []
    # written: a header naming two unit columns (牵头单位 / 配合单位) or one giving no role (责任单位): unspecified
    assert got("序号\n\n重点任务\n\n牵头单位\n\n配合单位" + row) == [[("市园林局", "unspecified"), ("各县区", "unspecified")]]
    assert got("序号 | 重点任务 | 牵头单位 | 配合单位 |" + row) == [[("市园林局", "unspecified"), ("各县区", "unspecified")]]
    assert got("序号\n\n重点任务\n\n责任单位" + row) == [[("市园林局", "unspecified"), ("各县区", "unspecified")]]
    # written: the list form (two units on one line) under a 牵头单位 header takes the role too
    assert got("重点任务\n\n牵头单位\n\n建设公园。\n\n市园林局、市财政局\n\n2\n") == [[("市园林局", "lead"), ("市财政局", "lead")]]
