"""Rules written on the eighteenth batch (round 28 in docs/plans.md), each on the dev text it was found in
(tests/data/real, split dev) and on written examples of the same form, the neighbouring readings kept."""

from lpsplan.build import build_plan
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input

from realplans import REAL, found, roles, written


def cleaned(settings, name: str, title: str | None = None, period=None):
    """Read as ingest reads a page's text (its pinyin glosses taken out first), with the title the evaluation gives an
    excerpt that states none."""
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, title=title, period=period, strict=False).plan


def test_participation_is_a_role_word_of_support(settings):
    """济宁's (X、Y牵头,Z、…参加): 参加 says support, as 参与 does; the page ran the whole opinion into one line, read as
    one task per annotation."""
    got = roles(cleaned(settings, "jining-employment-opinions-2015"))
    assert len(got) == 1
    assert got[0][:3] == [("市发展改革委", "lead"), ("市人力资源社会保障局", "lead"), ("市委组织部", "support")]
    assert got[0][-1] == ("国家统计局济宁调查队", "support") and len(got[0]) == 12
    assert found("推进工作。(市发改委牵头,市财政局、市统计局参加)") == [
        [("市发改委", "lead"), ("市财政局", "support"), ("市统计局", "support")]]
    assert found("推进工作。\n参加单位:市财政局、市统计局") == [[("市财政局", "support"), ("市统计局", "support")]]
    table = ("某县2015年重点工作任务分解表\n序号 | 工作任务 | 牵头单位 | 参加单位 |\n1 | 新建学校2所 | 县教育局 | 县财政局、县住建局 |\n"
             "2 | 改造道路10公里 | 县交通局 | 各乡镇 |\n")
    assert roles(written(settings, table)) == [[("县教育局", "lead"), ("县财政局", "support"), ("县住建局", "support")],
                                               [("县交通局", "lead"), ("各乡镇", "support")]]


def test_a_records_fields_run_into_one_line(settings):
    """宁波's progress notice: 牵头领导:person 责任单位:X 项目责任人:person 配合单位:Y 实际完成情况:… on one line — a
    field another label opens ends the units' value, and the next label of units on the line joins the annotation."""
    plan = cleaned(settings, "ningbo-livelihood-progress-2014", title="(excerpt)", period=(2014, 2014))
    assert roles(plan) == [
        [("市轨道交通工程建设指挥部", "unspecified")],
        [("市公安局", "unspecified"), ("市城管局", "support"), ("市财政局", "support")],
        [("市交通委", "unspecified"), ("市公安局", "support"), ("市城管局", "support"), ("各区政府", "support")],
    ]
    line = "2.新增设备。 牵头领导:王仁洲 责任单位:市公安局 项目责任人:王伟标 配合单位:市城管局、市财政局 实际完成情况:已完成。"
    assert found(line) == [[("市公安局", "unspecified"), ("市城管局", "support"), ("市财政局", "support")]]
    # the same record on a line of its own, opened by its label
    lines = "2.新增设备。\n责任单位:市公安局 项目责任人:王伟标 配合单位:市城管局、市财政局 实际完成情况:已完成。"
    assert found(lines) == [[("市公安局", "unspecified"), ("市城管局", "support"), ("市财政局", "support")]]
    assert found("1.推进工作。\n责任单位:市公安局 市财政局\n配合单位:各区政府 鄞州 海曙 合计 2 5 1") == [
        [("市公安局", "unspecified"), ("市财政局", "unspecified"), ("各区政府", "support")]]


def test_a_labelled_value_ends_where_it_stops_naming_units(settings):
    """宁波's project 3: after 各区政府 the page flattened the districts' targets into the line (鄞州 海曙、江东 … 合计 2 5 1
    2 10): a piece after a space that names no unit ends the value; units a page separated by spaces stay units."""
    assert found("1.推进工作。 配合单位:市公安局、市城管局,各区政府 鄞州 海曙 合计 2 5 1") == [
        [("市公安局", "support"), ("市城管局", "support"), ("各区政府", "support")]]
    assert found("1.推进工作。 责任单位:区发改局 区财政局 张三") == [[("区发改局", "unspecified"), ("区财政局", "unspecified")]]
    assert found("一、建设。 责任单位:市发改委 市财政局 市商务局") == [
        [("市发改委", "unspecified"), ("市财政局", "unspecified"), ("市商务局", "unspecified")]]
    assert found("一、建设。 责任单位:区政府 高新区") == [[("区政府", "unspecified"), ("高新区", "unspecified")]]
    # a list closed by 等, and a unit's other name in a bracket after a space, are still units
    assert found("1.推进工作。 责任单位:市教育局 市卫健委等部门 实际完成情况:已完成。") == [
        [("市教育局", "unspecified"), ("市卫健委", "unspecified")]]
    assert found("1.推进工作。 责任单位:市商务局 (市口岸办)、市财政局") == [
        [("市商务局 (市口岸办)", "unspecified"), ("市财政局", "unspecified")]]
    assert found("一、建设。 牵头单位:市商务局  责任单位:市编办、市财政局") == [
        [("市商务局", "lead"), ("市编办", "unspecified"), ("市财政局", "unspecified")]]
