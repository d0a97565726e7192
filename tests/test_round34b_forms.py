"""Rules of round 35 in docs/plans.md (rule writer B of round 34), each on the dev text it was found in (tests/data/real,
split dev) and on written examples of the same form (marked as such), the neighbouring readings kept."""

from lpsplan.extract.metadata import PAGE_NUMBER_RE
from lpsplan.extract.names import unspaced

from realplans import found, read, roles


def test_jiangxi_units_by_duty_each_and_a_collective_in_square_brackets(settings):
    """江西's 政务公开 scheme: (各市、县〔区〕人民政府,省政府各部门按职责分别负责落实) — 按职责分别负责 is of the 按职责分工负责
    family, and a collective's division word may carry its bracket in 〔〕 as in ()."""
    got = roles(read(settings, "jiangxi-open-government-scheme-2021"))
    assert got == [[("各市、县〔区〕人民政府", "unspecified"), ("省政府各部门", "unspecified")]]


def test_written_by_duty_forms():
    # written: 分别 in the place of 分工, with and without the verb of carrying out after 负责
    assert found("1.建设平台。(市发改委、市财政局按职责分别负责)\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    assert found("1.建设平台。(市发改委牵头,市财政局按职责分工负责落实)\n") == [[("市发改委", "lead"), ("市财政局", "support")]]
    assert found("1.建设平台。(各县〔市、区〕人民政府负责)\n") == [[("各县〔市、区〕人民政府", "unspecified")]]
    # written: the other ways of saying it — 各自职责, 根据/依 职责, with and without 分工
    assert found("1.建设平台。(市发改委、市财政局按各自职责负责)\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    assert found("1.建设平台。(市发改委牵头,市财政局根据职责分工负责)\n") == [[("市发改委", "lead"), ("市财政局", "support")]]
    assert found("1.建设平台。(市发改委、市财政局依职责负责)\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    # …but not a remark naming no unit (as before)
    assert found("1.建设平台。(具体由各地按职责分别负责落实)\n") == []


def test_wuxi_collective_whose_first_division_carries_its_bracket(settings):
    """无锡's division (batch 22, measured fresh before this rule and after it): 各市(县)、区政府 is one collective — the first
    division word carries its other name in a bracket, as the last may."""
    got = roles(read(settings, "wuxi-key-work-division-2011"))
    assert [("市人保局", "unspecified"), ("各市(县)、区政府", "unspecified")] in got
    assert [("市发改委", "unspecified"), ("农委", "unspecified"), ("人保局", "unspecified"),
            ("各市(县)、区政府", "unspecified")] in got


def test_heilongjiang_spaces_the_page_put_beside_brackets(settings):
    """黑龙江's measures: 〔省工信厅、省财政厅, 各市 (地) 、县 (市) 政府 (行署) 〕 — the page's spaces beside the brackets and the 、
    are no part of the collective's name."""
    got = roles(read(settings, "heilongjiang-industry-revitalization-measures"))
    assert got[0] == [("省工信厅", "unspecified"), ("省财政厅", "unspecified"), ("各市(地)、县(市)政府(行署)", "unspecified")]
    assert got[1] == got[2] == [("省工信厅", "unspecified"), ("省财政厅", "unspecified")]


def test_written_spaces_beside_brackets():
    assert unspaced("各市 (地) 、县 (市) 政府 (行署)") == "各市(地)、县(市)政府(行署)"
    assert unspaced("市发改委 市财政局") == "市发改委 市财政局"  # spaces between two names part them (read elsewhere)
    assert unspaced(" " * 5000 + "x") == " " * 5000 + "x"  # a long run of spaces is read once


def test_shijingshan_a_unit_the_page_broke_over_two_lines_and_its_page_number(settings):
    """石景山's division: 协办单位:区委编办、区民政局(区委社会工委)、园区党工 / 委、各街道党工委 — the last name broken where
    the page wrapped the line, the rest of the list on the next; and the page's number (— — — 2 —) above the title's
    first line is no part of it."""
    plan = read(settings, "shijingshan-subdistrict-division-2019")
    assert roles(plan) == [[("区委组织部", "lead"), ("区委编办", "support"), ("区民政局(区委社会工委)", "support"),
                            ("园区党工委", "support"), ("各街道党工委", "support")]]
    assert plan.title.text == "石景山区贯彻落实《关于加强新时代街道工作的意见》的任务分解方案"
    assert PAGE_NUMBER_RE.fullmatch("— — — 2 —") and PAGE_NUMBER_RE.fullmatch("- 13 -")
    assert not PAGE_NUMBER_RE.fullmatch("2019年")


def test_written_labelled_value_wrapped_onto_the_next_line():
    # written: wrapped after a 、, and inside a name
    assert found("1.建设平台。\n牵头单位:市发改委\n配合单位:市财政局、\n市住建局\n") == [
        [("市发改委", "lead"), ("市财政局", "support"), ("市住建局", "support")]]
    assert found("1.建设平台。\n责任单位:市发改委、市财政\n局、市住建局\n") == [
        [("市发改委", "unspecified"), ("市财政局", "unspecified"), ("市住建局", "unspecified")]]
    # …not onto the next item, a sentence, another label, or a line that completes no name
    assert found("1.建设平台。\n责任单位:市发改委、\n2.新建学校。\n") == [[("市发改委", "unspecified")]]
    assert found("1.建设平台。\n责任单位:市发改委、\n完成时限:2023年底\n") == [[("市发改委", "unspecified")]]
    assert found("1.建设平台。\n责任单位:市发改委\n加快建设局域网络\n") == [[("市发改委", "unspecified")]]
    assert found("1.建设平台。\n责任单位:市发改委、市财政\n加快建设平台。\n") == [[("市发改委", "unspecified"), ("市财政", "unspecified")]]


def test_xihu_units_marked_with_an_asterisk_and_an_alias_in_a_one_cell_a_line_table(settings):
    """西湖's progress notice (batch 22): its table one cell a line (序号 / 工作目标 / 区责任单位 / …), a unit cell of two
    units one a line, the leading units marked * as others star them (★), and a name closed by its other name in a
    bracket (区农业农村局(区水利局)) still a unit cell."""
    got = roles(read(settings, "xihu-livelihood-progress-2019"))
    assert got == [[("区农业农村局(区水利局)", "unspecified")],
                   [("区城管局", "lead"), ("区农业农村局(区水利局)", "lead")],
                   [("区城管局", "lead"), ("区农业农村局(区水利局)", "lead")],
                   [("区住建局", "unspecified")], [("区住建局", "lead")], [("区教育局", "lead")]]


def test_written_asterisk_marks_the_lead_in_a_table_cell(settings):
    from lpsplan.extract.tablecells import _unit_cell, _units_of
    from lpsplan.records import Mention, Span

    text = "*县教育局、县财政局"
    cell = Mention(text, Span(0, len(text)))
    assert _unit_cell(text, cell)
    assert [(u.written, u.role) for u in _units_of(text, cell, "unspecified")] == [("县教育局", "lead"), ("县财政局", "support")]
    text = "* 1 新建学校"  # an asterisk before no name: no mark of a unit
    assert not _unit_cell(text, Mention(text, Span(0, len(text))))


def test_gongshu_category_cells_of_a_table_are_no_items(settings):
    """拱墅's progress table (batch 22), one cell a line with blank lines between (项目名称 / 项目内容 / 责任单位 / 进展情况) and
    no row numbers: (一) alone on its line, its name on the next, is a category cell written where a group of rows starts,
    not an item — each task cell with the unit cell after it is a row."""
    got = roles(read(settings, "gongshu-report-progress-2020"))
    assert len(got) == 8
    assert got[0] == [("区发改经信局", "unspecified"), ("区科技工业区管委会", "unspecified"), ("各街道", "unspecified")]
    assert got[5][0] == ("生态环境拱墅分局", "unspecified")
    assert got[7] == [("区发改经信局", "unspecified"), ("区财政局", "unspecified")]


def test_written_item_numbers_alone_are_items_where_no_table_is_read(settings):
    # written: (一) alone on its line over a task with its bracket — no table's cells there, so still an item
    from lpsplan.extract.structure import parse_skeleton

    text = "某县重点工作任务\n(一)\n加快建设平台。(县发改委负责)\n(二)\n新建学校。(县教育局负责)\n"
    sk = parse_skeleton(text, "x.txt")
    assert len(sk.items) == 2


def test_luan_notice_title_with_the_site_after_it(settings):
    """六安's notice (batch 22), itself the plan: its heading ends with the name of the site that copied it after a dash
    (…责任分解的通知-欧洲杯网络平台); the title is the notice's, and its year the plan's."""
    plan = read(settings, "luan-key-work-responsibility-2021")
    assert plan.title.text == "六安市人民政府关于2021年重点工作及责任分解的通知" and plan.period == (2021, 2021)


def test_written_site_after_a_title():
    from lpsplan.extract.metadata import SITE_SUFFIX_RE

    assert SITE_SUFFIX_RE.search("某市人民政府关于2021年重点工作的通知_某某网").start() == len("某市人民政府关于2021年重点工作的通知")
    assert SITE_SUFFIX_RE.search("关于2021年重点工作的通知") is None
    assert SITE_SUFFIX_RE.search("2021-2023年行动计划") is None  # a span of years is no site


def test_written_long_runs_of_category_cells_are_read_once():
    """Written: a long one-cell-a-line table whose every row opens with (一) alone — the test of the category cells is
    made once for the text, not once for each such line (each made the last-resort reader read the whole text).  The
    text states no title (its header's names are column names, not one: round 39), so it is given, as --title gives it."""
    from lpsplan.extract.structure import parse_skeleton

    text = "项目名称\n\n项目内容\n\n责任单位\n\n进展情况\n\n" + "(一)\n\n支持发展\n\n新建学校\n\n区教育局、区财政局\n\n正常\n\n" * 300
    sk = parse_skeleton(text, "x.txt", title="某区项目进展情况表")
    assert len(sk.table_rows) == len(sk.items) == 300
    assert sk.items[0].title.text == "新建学校"
    assert [u.written for u in sk.table_rows[-1][1].units] == ["区教育局", "区财政局"]


def test_the_last_resort_reader_reads_the_asterisk_as_a_star():
    """西湖's table read by the last-resort reader alone (bench/fallback_reader.py): its cells' asterisks mark the units
    that lead, as the reader reads ★ (written cells here; 2 -> 6 of 西湖's 6 alone)."""
    from lpsplan.extract.headedtables import _unit_parts
    from lpsplan.records import Mention, Span

    for text in ("*区城管局", "\uff0a区城管局", "★区城管局"):
        parts = _unit_parts(text, Mention(text, Span(0, len(text))))
        assert [(p.text, mark) for p, mark in parts] == [("区城管局", "lead")], text
    text = "*注:数据截至12月"  # a note the asterisk opens names no unit
    assert _unit_parts(text, Mention(text, Span(0, len(text)))) is None
