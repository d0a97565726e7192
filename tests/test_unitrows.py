"""The last-resort table reader (lpsplan/extract/unitrows.py): written examples of layouts no other reader takes (unit
tests only, never counted in an accuracy figure), and the reader run alone on real dev texts, as bench/fallback_reader.py
runs it on all of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lpsplan.build import build_plan
from lpsplan.errors import LpsplanError
from lpsplan.extract import without_stray_marks
from lpsplan.extract.text import lines
from lpsplan.extract.traditional import folded, simplified
from lpsplan.extract.unitrows import unit_rows
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"

# written for the test: a progress table one cell a line, its header naming no task column and no 序号 — refused for want
# of plan structure before this reader; a row leaves its second unit column blank (the line between is empty)
ONE_CELL_A_LINE = "\n".join([
    "某某区2024年为民办实事项目推进情况", "项目名称", "年度目标", "牵头部门", "协办部门", "目前进度",
    "城区道路提升", "改造主干道3条,新增停车位500个", "区住建局", "区城管局、区交警大队", "推进中",
    "老旧小区改造", "完成12个小区改造", "区住建局", "", "已完成",
    "婴幼儿照护服务", "新增托位300个", "王五", "区卫健局", "各街道等有关单位", "完成80%",
]) + "\n"


def _build(settings, text: str, name: str = "unitrows"):
    return build_plan(settings, source=SourceText(f"{name}.txt", text, "0" * 64), slug=name, jurisdiction=None, strict=False)


def _read(b):
    return [(c.text.text, [(u.written, u.role) for u in c.units]) for c in b.plan.clauses]


def _alone(text: str):
    rows, _ = unit_rows(text, list(lines(text)))
    return [(r.task.text, [(u.written, u.role) for u in r.units], r.deadline) for r in rows]


def test_a_table_no_other_reader_takes_is_read_by_its_unit_cells(settings):
    """Each unit cell goes with the text cell before it (a person's name and progress words are no cells of either);
    the header's 牵头部门 / 协办部门 give the roles in order; 等有关单位 is cut off; the graph passes the shapes (build_plan
    validates it)."""
    b = _build(settings, ONE_CELL_A_LINE)
    assert _read(b) == [
        ("改造主干道3条,新增停车位500个", [("区住建局", "lead"), ("区城管局", "support"), ("区交警大队", "support")]),
        ("完成12个小区改造", [("区住建局", "lead")]),
        ("新增托位300个", [("区卫健局", "lead"), ("各街道", "support")]),
    ]
    assert any(w.message.startswith("no plan structure found: each cell that lists only units") for w in b.plan.warnings)
    for c in b.plan.clauses:  # spans into the text as written
        assert ONE_CELL_A_LINE[c.text.span.start:c.text.span.end] == c.text.text
        for u in c.units:
            assert ONE_CELL_A_LINE[u.span.start:u.span.end] == u.written


def test_a_row_a_line_with_single_spaces_and_a_deadline():
    """A page that kept one space between cells: the unit lists among the row's words are its unit cells, the words
    before them its task; the header's two unit columns give lead (主要责任单位: unspecified) and support; a column the
    header does not name as units (备注) after them is not read; the deadline cell after the units gives the year."""
    text = ("序号 重点工作任务 主要责任单位 协同配合单位 完成期限\n"
            "1 新培育科技型中小企业50家以上。 区科技局 区经信局、区商务局 2023年12月底\n"
            "2 开展无烟单位创建。 区卫健委 各乡镇人民政府、街道办事处 2023年6月\n")
    assert _alone(text) == [
        ("新培育科技型中小企业50家以上。", [("区科技局", "unspecified"), ("区经信局", "support"), ("区商务局", "support")], 2023),
        ("开展无烟单位创建。", [("区卫健委", "unspecified"), ("各乡镇人民政府", "support"), ("街道办事处", "support")], 2023),
    ]
    ends_in_units = "序号 类别 主要任务 牵头单位 参与单位\n1 水资源 严守用水红线。 市水利局 市发展改革委、农业局\n"  # no unit: the header
    assert _alone(ends_in_units) == [("严守用水红线。", [("市水利局", "lead"), ("市发展改革委", "support"), ("农业局", "support")], None)]
    one_column = ("序号 工作任务 责任部门 备注\n1 健全巩固国卫组织机构。 基教科 各区教育局、市局直属单位\n"
                  "2 严格考核奖惩。 人秘科 各区教育局\n")
    assert [units for _, units, _ in _alone(one_column)] == [[("基教科", "unspecified")], [("人秘科", "unspecified")]]


def test_a_cell_that_is_no_unit_list_is_no_annotation():
    """A sentence ending in a unit word, a person, progress, a percentage and a date are no unit cells; without a header
    naming a unit column, unit cells (a notice's signature, a page's issuer) make no table."""
    text = "\n".join(["序号 | 项目 | 责任单位 | 进展 |", "1 | 建成县残疾人综合服务中心。 | 县残联 | 已完工 |",
                      "2 | 改造学校3所 | 张三 | 85% |", "3 | 新建公园 | 2024年6月 | 推进中 |"])
    assert _alone(text) == [("建成县残疾人综合服务中心。", [("县残联", "unspecified")], None)]
    signed = "关于做好民生实事的通知\n请各单位认真落实。\n某某区人民政府办公室\n发布机构\n某某区教育局\n"
    assert _alone(signed) == []


def test_a_notice_with_its_addressees_and_signature_is_still_refused(settings):
    text = ("某某区人民政府办公室关于印发2024年民生实事项目的通知\n各街道办事处、镇人民政府,区政府各部门:\n"
            "现将项目印发给你们,请认真贯彻执行。\n某某区人民政府办公室\n2024年3月1日\n")
    with pytest.raises(LpsplanError):
        _build(settings, text, "notice")


def _real(doc_id: str) -> str:
    source = page_cleaned(read_plan_input(REAL / f"{doc_id}.txt")).source
    return without_stray_marks(simplified(folded(source.text)))


def test_alone_on_real_dev_tables():
    """Run alone on whole real dev texts (as if every other reader had failed): 袁州's cells closed by | (two unit
    columns, a progress cell and a leader's name between; an empty cell keeps its column's place), 徐汇's one cell a
    line with 牵头 / 部门 broken over two lines, 大竹's units one a line under one column."""
    assert [units for _, units, _ in _alone(_real("yuanzhou-livelihood-progress-2023"))] == [
        [("区教体局", "lead"), ("区国投集团", "unspecified"), ("各有关乡镇(街道)", "unspecified")],
        [("慈化镇", "lead")],
    ]
    xuhui = _alone(_real("xuhui-11th-plan-division-p4"))
    assert xuhui[0][1] == [("教育局", "lead"), ("13个街道、镇", "unspecified")]
    assert xuhui[2][1] == [("教育局", "lead"), ("人口计生委", "unspecified"), ("13个街道、镇", "unspecified")]
    dazhu = _alone(_real("dazhu-livelihood-tasks-2016"))
    assert ("启动建设东柳河城区段综合治理工程和东湖湿地公园。",
            [("县水务局", "unspecified"), ("县住建局", "unspecified"), ("县护城河指挥部", "unspecified")], None) in dazhu


def test_the_older_cell_reader_takes_no_progress_cell_as_a_unit():
    """tables.py's reader of cells closed by |: a cell in a unit column that reports progress or names no unit (a page lost
    the empty cell before it) is no unit; units a cell separates by a space are two even when one closes with a bracket;
    a cell of figures alone is left to the reader's check of its columns."""
    from lpsplan.extract.names import _spaced
    from lpsplan.extract.tablecells import names_no_unit
    from lpsplan.records import Mention, Span

    assert names_no_unit("已完工。") and names_no_unit("推进中") and names_no_unit("正在办理手续")
    assert not names_no_unit("区教体局") and not names_no_unit("临平新城") and not names_no_unit("1100")
    text = "区国投集团 各有关乡镇(街道)"
    assert [m.text for m in _spaced(text, Mention(text, Span(0, len(text))))] == ["区国投集团", "各有关乡镇(街道)"]


def test_a_unit_column_before_the_task_column_is_the_groups():
    """序号 / 牵头单位 / 项目名称 / 业主单位: the lead column stands before every column of content, written once for a group
    of rows after its number (一 / 区住建局); its units go with each row's own until the next group's, and a unit the row
    names again is one unit, the group's."""
    text = "\n".join(["序号 | 牵头单位 | 项目名称 | 业主单位 | 进展 |", "一 | 区住建局 | 城区道路 |",
                      "1.文化路改造 | 区城投 | 已完工 |", "2.乐业路改造 | 区住建局 | 推进中 |",
                      "二 | 区教体局 | 学校建设 |", "1.新建一小 | 区城投公司 | 已完工 |"])
    assert [(task, units) for task, units, _ in _alone(text)] == [
        ("1.文化路改造", [("区住建局", "lead"), ("区城投", "unspecified")]),
        ("2.乐业路改造", [("区住建局", "lead")]),
        ("1.新建一小", [("区教体局", "lead"), ("区城投公司", "unspecified")]),
    ]
    after = "序号 | 项目名称 | 牵头单位 | 业主单位 |\n1 | 文化路改造 | 区住建局 | 区城投 |\n"  # the task first: no group
    assert _alone(after) == [("文化路改造", [("区住建局", "lead"), ("区城投", "unspecified")], None)]


def test_names_that_are_units_only_where_they_stand():
    """One cell a line: a place-like name with no unit word (高新园) between unit cells is a unit, a bracket alone on its
    line is the alias of the unit above (高新园 / (邹区镇), 应急管理局 / (安委办)), 区安委会各成员单位 is a collective, not
    a column's name; 新建公园 between two rows' units is the next row's task."""
    text = "\n".join(["序号", "目标名称", "牵头单位", "配合单位", "1", "地区生产总值增长6%左右。", "发改局", "经开区", "高新园",
                      "(邹区镇)", "统计局", "2", "安全生产形势平稳向好。", "应急管理局", "(安委办)", "区安委会各成员单位",
                      "3", "城市更新。", "区住建局", "新建公园", "区城管局"]) + "\n"
    assert [(task, units) for task, units, _ in _alone(text)] == [
        ("地区生产总值增长6%左右。", [("发改局", "lead"), ("经开区", "support"), ("高新园\n(邹区镇)", "support"),
                                 ("统计局", "support")]),
        ("安全生产形势平稳向好。", [("应急管理局\n(安委办)", "lead"), ("区安委会各成员单位", "support")]),
        ("城市更新。", [("区住建局", "lead")]),
        ("新建公园", [("区城管局", "lead")]),
    ]


def test_a_name_in_a_unit_columns_place_on_a_piped_row():
    """Where a | header names a unit column, a row of as many | gives in that place a unit even with no unit word of its
    own (未来科技城(海创园), its alias kept; 临平新城; a list with a 中心); the same name in the task's place is the task."""
    text = "\n".join(["序号 | 重点工作任务 | 牵头领导 | 牵头单位 |",
                      "1 | 围绕打造创新策源地,推进项目建设。 | 张三 李四 | 未来科技城(海创园) |",
                      "2 | 加快城市建设。 | 王五 | 临平新城 |",
                      "3 | 推进开放合作。 | 赵六 | 区发改局、济南中央活力区发展促进中心 |",
                      "4 | 未来科技城 | 王五 | 区住建局 |"])
    assert [(task, units) for task, units, _ in _alone(text)] == [
        ("围绕打造创新策源地,推进项目建设。", [("未来科技城(海创园)", "lead")]),
        ("加快城市建设。", [("临平新城", "lead")]),
        ("推进开放合作。", [("区发改局", "lead"), ("济南中央活力区发展促进中心", "lead")]),
        ("未来科技城", [("区住建局", "lead")]),
    ]
    listed = "序号 类别 主要任务 牵头单位 责任单位\n1 水资源 严守用水红线。 市水利局 各县(市、区)人民政府,城乡一体化示范区、高新区管委会\n"
    assert _alone(listed)[0][1] == [("市水利局", "lead"), ("各县(市、区)人民政府", "unspecified"),
                                    ("城乡一体化示范区", "unspecified"), ("高新区管委会", "unspecified")]


def test_alone_on_real_dev_tables_of_other_layouts():
    """The layouts the rules above were drawn from, on the real dev texts, the reader alone: 新建's lead column written once
    for a group, 钟楼's 高新园 / (邹区镇) and 应急管理局 / (安委办), 余杭 2018's zones in the 牵头单位 column, 济南 市中's
    list with a 中心, 平顶山's 城乡一体化示范区, 杭州's 市政府各直属单位."""
    xinjian = [units for _, units, _ in _alone(_real("xinjian-livelihood-progress-2024"))]
    assert xinjian[:2] == [[("区住建局", "lead"), ("区城投", "unspecified")], [("区住建局", "lead"), ("区城管局", "unspecified")]]
    zhonglou = [units for _, units, _ in _alone(_real("zhonglou-report-tasks-2024"))]
    assert [("发改局", "lead"), ("经开区", "support"), ("高新园\n(邹区镇)", "support"), ("各街道", "support"),
            ("统计局", "support")] in zhonglou
    assert [("应急管理局\n(安委办)", "lead"), ("区安委会各成员单位", "support")] in zhonglou
    assert [units for _, units, _ in _alone(_real("yuhang-report-tasks-2018"))] == [
        [("未来科技城(海创园)", "lead")], [("余杭经济技术开发区(钱江经济开发区)", "lead")], [("临平新城", "lead")]]
    assert [[u for u, _ in units] for _, units, _ in _alone(_real("jinan-shizhong-report-progress-2025"))] == [
        ["区发展改革局", "区工业和信息化局", "区投资促进局", "济南中央活力区发展促进中心"]]
    pingdingshan = [units for _, units, _ in _alone(_real("pingdingshan-river-chief-tasks-2018"))]
    assert ("城乡一体化示范区", "unspecified") in pingdingshan[1]
    hangzhou = [u for _, units, _ in _alone(_real("hangzhou-report-duties-2021")) for u in units]
    assert hangzhou.count(("市政府各直属单位", "unspecified")) == 2


def test_rules_can_be_switched_off_for_the_leave_one_out_measure():
    """bench/fallback_reader.py scores each document without the rules drawn from it: switched off, a rule reads as
    before it was written (the group's lead column read as a row of its own task), and an unknown name is an error."""
    from lpsplan.extract.unitrows import rules_off

    text = "\n".join(["序号 | 牵头单位 | 项目名称 | 业主单位 |", "一 | 区住建局 | 城区道路 |", "1.文化路改造 | 区城投 |"])
    assert [units for _, units, _ in _alone(text)] == [[("区住建局", "lead"), ("区城投", "unspecified")]]
    with rules_off("group"):
        assert [units for _, units, _ in _alone(text)] == [[("区住建局", "lead")], [("区城投", "lead")]]
    assert [units for _, units, _ in _alone(text)] == [[("区住建局", "lead"), ("区城投", "unspecified")]]
    with pytest.raises(ValueError), rules_off("no-such-rule"):
        pass


def test_a_table_read_short_takes_the_fuller_reading_of_its_lines():
    """Where another reader found a table but read fewer of its rows' annotations, the rows this reader reads from the
    same lines are taken — only when they hold every annotation the other read (same units, order and roles); a row the
    other read that this reader reads differently (a merged cell carried down) keeps the other's rows."""
    from lpsplan.extract.tablecells import TableRow
    from lpsplan.extract.unitrows import fuller_rows
    from lpsplan.records import Span, UnitMention

    spans = list(lines(ONE_CELL_A_LINE))
    general, taken = unit_rows(ONE_CELL_A_LINE, spans)
    short = general[:1] + [TableRow(general[1].span, general[1].task, general[1].annotation, [], None)] + general[2:]
    assert fuller_rows(ONE_CELL_A_LINE, spans, short, taken)[0] == general
    carried = ONE_CELL_A_LINE.index("区城管局")
    other = TableRow(general[1].span, general[1].task, general[1].annotation,
                     [UnitMention("区城管局", Span(carried, carried + 4), "lead")], None)
    kept = general[:1] + [other] + general[2:]
    assert fuller_rows(ONE_CELL_A_LINE, spans, kept, taken)[0] == kept
    assert fuller_rows(ONE_CELL_A_LINE, spans, [], set()) == ([], set())


def test_a_real_dev_table_read_short_by_the_pipeline(settings):
    """杭州's duty table: the reader of cells closed by | left out the row whose units close with 配合落实; read in full."""
    source = page_cleaned(read_plan_input(REAL / "hangzhou-report-duties-2021.txt")).source
    b = build_plan(settings, source=source, slug="hangzhou-report-duties-2021", jurisdiction=None, strict=False)
    read = [[(u.written, u.role) for u in c.units] for c in b.plan.clauses]
    assert [("市发改委", "unspecified"), ("市人力社保局", "unspecified"), ("市科技局", "unspecified"),
            ("团市委", "support")] in read
    assert sum(1 for r in read if r == [("市政府各直属单位", "unspecified")]) == 2


def test_a_list_the_page_closed_with_a_full_stop_and_cells_above_the_header():
    """A unit cell that lists several units and ends in 。 is a list the page closed (区工信局、区住建局。); one name
    closed by 。 is still a sentence (建成县残疾人综合服务中心。); a unit cell above the header (a page's 发布机构 line
    over the table) makes no row."""
    text = "\n".join(["信息来源", "区教育局", "序号", "重点工作任务", "主要责任单位", "协同配合单位",
                      "1", "固定资产投资增长7.5%左右。", "区发改委", "区工信局、区住建局,各乡镇人民政府、街道办事处。",
                      "2", "建成残疾人综合服务中心。", "区残联", "建成县残疾人综合服务中心。"]) + "\n"
    assert [(task, units) for task, units, _ in _alone(text)] == [
        ("固定资产投资增长7.5%左右。", [("区发改委", "unspecified"), ("区工信局", "support"), ("区住建局", "support"),
                                    ("各乡镇人民政府", "support"), ("街道办事处", "support")]),
        ("建成残疾人综合服务中心。", [("区残联", "unspecified")]),
    ]


def test_a_header_with_no_row_under_it_leaves_the_rows_above_read():
    """Cells above the header make no row only where the header has rows under it: a header-like line at the end (a
    table's header the page put after its rows) leaves the text read from the top, as before."""
    text = "\n".join(["1 | 城区道路提升改造 | 区住建局 |", "2 | 老旧小区改造 | 区城管局 |", "序号 | 项目 | 责任单位 |"]) + "\n"
    assert [(task, units) for task, units, _ in _alone(text)] == [
        ("城区道路提升改造", [("区住建局", "unspecified")]), ("老旧小区改造", [("区城管局", "unspecified")])]
