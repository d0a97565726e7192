"""Rules written on test batches 13-17 after they were moved to dev (round 27 in docs/plans.md): each on the dev text
it was found in (tests/data/real, split dev) and on a written example of the same form."""

import pytest
from lpsplan.build import build_plan
from lpsplan.errors import LpsplanError
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input

from realplans import REAL, found, read, roles, written


def cleaned(settings, name: str):
    """Read as ingest reads a page's text: its pinyin glosses taken out first."""
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False).plan


GARBLED = "?。ǘ┲锟斤拷锟斤拷�� 鍥藉姟闄㈠姙鍏 ��"


def test_a_bare_list_may_name_a_collective_with_a_bracket_inside(settings):
    got = roles(read(settings, "sanmenxia-report-duties-2023"))
    assert got[0] == [("市发展改革委", "unspecified"), ("各县〔市、区〕政府", "unspecified")]
    assert got[9] == [("市人力资源社会保障局", "unspecified"), ("农业农村局", "unspecified"), ("各县〔市、区〕政府", "unspecified")]
    assert found("推进工作。(市水务局,各县区政府〈管委会〉)") == [[("市水务局", "unspecified"), ("各县区政府〈管委会〉", "unspecified")]]
    assert found("推进工作。(市商务局,各开发(度假)区管委会)") == [
        [("市商务局", "unspecified"), ("各开发(度假)区管委会", "unspecified")]]
    # a bracket inside that names no collective is no unit list: (服务业(含批发零售)、制造业)
    assert found("推进工作。(服务业(含批发零售)、制造业)") == []


def test_the_issuer_above_a_notices_title_is_no_units_cell(settings):
    """长沙市人民政府 / 关于…的通知: the issuer's line heading a notice annotates nothing (the excerpt stops inside the
    table's first row, so the text holds no annotation and is refused)."""
    with pytest.raises(LpsplanError, match="no plan structure"):
        read(settings, "changsha-report-duties-2021")
    text = ("某县人民政府\n关于2021年重点工作任务实行责任管理的通知\n各乡镇:\n现将任务分解如下。\n"
            "目标任务 | 牵头单位 |\n1 | 新建学校2所 | 县教育局 |\n")
    assert roles(written(settings, text)) == [[("县教育局", "lead")]]


def test_a_table_goes_on_past_two_stray_lines_before_its_next_row(settings, tmp_path):
    """keqiao's row 1 ends on an unnumbered line (新增学位810个 | |||||); a garbled line after it left rows 2-3 unread."""
    text = (REAL / "keqiao-livelihood-progress-2023.txt").read_text(encoding="utf-8")
    at = text.index("2 | 完成")
    damaged = text[:at] + GARBLED + "\n" + text[at:]
    whole = roles(read(settings, "keqiao-livelihood-progress-2023"))
    assert len(whole) == 3
    assert roles(written(settings, damaged)) == whole


@pytest.mark.parametrize(("name", "title"), [
    ("kunming-benefit-tasks-2023", "昆明市2023年10件惠民实事"),  # a list of the year's livelihood projects
    ("guangshui-water-report-progress-2025", "广水市水利和湖泊局2025年一季度《政府工作报告》落实情况统计表"),
    ("leyu-livelihood-progress-2022", "2022年12月份乐余镇民生实事项目推进情况"),
    ("tongliang-report-progress-2025", "2025年区政府工作报告目标任务上半年推进情况汇总表"),  # not its header, 序号 … 上半年推进情况
    ("sizhoutou-key-work-progress-2024", "泗洲头镇2024年度重点工作计划二季度执行情况"),  # not its header cell …完成情况
])
def test_titles_of_progress_reports_and_livelihood_lists(settings, name, title):
    assert read(settings, name).title.text == title


def test_a_progress_reports_title_in_traditional_characters(settings):
    assert cleaned(settings, "qiandongnan-livelihood-progress-2023").title.text.startswith("黔東南州2023年度十件民生實事1-3月推進")
    plan = written(settings, "某县2023年十件民生实事一季度推进情况\n序号 实事项目 牵头单位 推进情况\n"
                             "1 新建学校2所 县教育局 已开工\n")
    assert plan.title.text == "某县2023年十件民生实事一季度推进情况"


def test_a_one_space_header_opened_by_serial_number_names_the_unit_column(settings):
    """序号 省重点民生实事项目名称 责任单位 目标任务 1- 8月实际完成情况: a header on one line with one space between its names (a
    period inside one), the rows' unit cells in the middle of the row; the text had been refused (no structure)."""
    got = roles(read(settings, "yueyanglou-livelihood-progress-2017"))
    assert len(got) == 14 and got[0] == [("农林水务局", "unspecified")] and got[-1] == [("区文体新局", "unspecified")]
    plan = written(settings, "某区2024年民生实事推进情况表\n序号 实事项目名称 责任单位 1- 6月完成情况 备注\n"
                             "1 新增城镇就业 区人社局 4500人\n2 新建幼儿园 区教育局 2所 已开工\n")
    assert roles(plan) == [[("区人社局", "unspecified")], [("区教育局", "unspecified")]]


def test_a_tables_header_above_the_first_section_reads_the_rows_the_sections_hold(settings):
    """The header stands once above 一、 and 二、, the rows under them (a one-space table, units one a line in a row):
    found on two dev documents (重庆 铜梁, 湖北 咸宁)."""
    got = roles(read(settings, "tongliang-report-progress-2025"))
    assert len(got) == 10 and got[1] == [("区农业农村委", "unspecified"), ("区林业局", "unspecified"),
                                         ("区供销联社", "unspecified"), ("区畜牧业发展中心", "unspecified")]
    got = roles(read(settings, "xianning-measures-division-2020", title="咸宁市若干政策措施责任分工"))
    assert got[1] == [("市经信局", "unspecified"), ("市财政局", "unspecified"), ("各县、市、区政府", "unspecified"),
                      ("咸宁高新区管委会", "unspecified")]
    plan = written(settings, "某区2025年重点工作推进情况汇总表\n序号 目标任务 责任单位 推进情况\n一、主要预期目标\n"
                             "1 地区生产总值增长6%。 区发展改革委 同比增长2.9%。\n二、重点工作\n2 新建学校2所。 区教委 已开工。\n")
    assert roles(plan) == [[("区发展改革委", "unspecified")], [("区教委", "unspecified")]]


def test_a_section_heading_of_several_sentences_with_its_annotation_is_a_task(settings):
    """一、 扩大优质教育资源。新增… / 牵头单位:… / 责任单位:… (昆明), and 一、减少…。(责任单位:…)该件实事已全面完成 over its items
    (安顺): a 一、 line of sentences had been taken for a paragraph of the notice and its annotation left outside any item."""
    got = roles(read(settings, "kunming-benefit-tasks-2023"))
    assert got[0] == [("市教育体育局", "lead"), ("各县(市)区人民政府", "unspecified"), ("滇中新区管委会", "unspecified"),
                      ("各开发(度假)区管委会", "unspecified"), ("磨憨—磨丁合作区管委会", "unspecified")]
    got = roles(read(settings, "anshun-ten-tasks-2019", title="安顺市十件实事完成情况"))
    assert got[0] == [("市扶贫办", "unspecified"), ("市移民局", "unspecified"), ("各县区政府〈管委会〉", "unspecified")]
    plan = written(settings, "某市2023年10件惠民实事\n一、 扩大教育资源。新增公办幼儿园40所。\n牵头单位:市教育局\n"
                             "责任单位:各县(市)区人民政府\n二、 提升供水保障水平。\n牵头单位:市水务局\n")
    assert roles(plan) == [[("市教育局", "lead"), ("各县(市)区人民政府", "unspecified")], [("市水务局", "lead")]]


def test_an_item_closed_by_its_annotation_with_no_full_stop_before_it(settings):
    """1.减少农村扶贫对象6.76万人(责任单位:市扶贫办,各县区) / 此项工作已完成。…: the annotation ends the item's first sentence."""
    got = roles(read(settings, "anshun-ten-tasks-2019", title="安顺市十件实事完成情况"))
    assert [("市扶贫办", "unspecified"), ("各县区", "unspecified")] in got
    assert got[-1][-1] == ("安顺经开区", "unspecified")
    plan = written(settings, "某县民生实事方案\n一、民生实事\n1.新建幼儿园8所(责任单位:县教育局,各乡镇)\n此项工作已完成。截至12月底,"
                             "全县完成。\n2.实施搬迁1869人。(责任单位:县移民局)\n")
    assert roles(plan) == [[("县教育局", "unspecified"), ("各乡镇", "unspecified")], [("县移民局", "unspecified")]]


def test_a_unit_column_that_also_names_its_person_in_charge(settings):
    """大类 | 序号 | 工作任务 | 分管 市领导 | 牵头单位及 主要负责人 | 落实进展情况 |, cells 市民政局 伍泽国: the column names units (the
    person after the unit is no unit); the table had been refused (no column named units)."""
    got = roles(read(settings, "zhaoqing-livelihood-progress-2020", title="肇庆市2020年十件民生实事落实进展情况"))
    assert got == [[("市民政局", "lead")]] * 4
    plan = written(settings, "某市2020年民生实事落实进展情况\n序号 | 工作任务 | 分管市领导 | 责任单位及责任人 | 进展情况 |\n"
                             "1 | 新建幼儿园8所。 | 张三 | 市教育局 李四 | 已完成。 |\n2 | 新增养老床位。 | 张三 | 市民政局 王五 | 已完成。 |\n")
    assert roles(plan) == [[("市教育局", "unspecified")], [("市民政局", "unspecified")]]


def test_places_sharing_a_body_that_ends_in_no_government_word(settings):
    """廣州、深圳、珠海出入境邊防檢查總站 (广东 2024): three places before the body they share, one unit."""
    got = roles(cleaned(settings, "guangdong-digital-points-2024"))
    assert ("廣州、深圳、珠海出入境邊防檢查總站", "support") in got[0]
    assert found("推进工作。(省公安厅牵头,广州、深圳海关配合)") == [[("省公安厅", "lead"), ("广州、深圳海关", "support")]]


def test_by_function_as_by_duty_and_a_rider_opened_by_yixia(settings):
    """(…供銷社等按職能分工負責;廣東省各地級以上市人民政府落實,以下各項工作均需各地級以上市人民政府落實,不再列出)."""
    got = roles(cleaned(settings, "guangdong-rural-revitalization-points-2020"))
    assert got[0][-2:] == [("供銷社", "support"), ("廣東省各地級以上市人民政府", "unspecified")]
    assert found("推进工作。(市发改委牵头;市财政局等按职能分工负责;各区政府落实,以下各项工作均需各区政府落实,不再列出)") == [
        [("市发改委", "lead"), ("市财政局", "support"), ("各区政府", "unspecified")]]


def test_one_body_together_with_others_leads_them(settings):
    """由發展改革委會同中央農辦、農業部…等部門研究提出落實意見 (国务院办公厅 2014): the first leads, the others support."""
    got = roles(cleaned(settings, "gov-rural-reform-division-2014"))
    assert got[0][:2] == [("發展改革委", "lead"), ("中央農辦", "support")] and len(got[0]) == 10
    assert got[1] == [("國土資源部", "lead"), ("農業部", "support")]
    assert found("(二)关于耕地的问题,由国土资源部会同农业部等部门负责落实。") == [[("国土资源部", "lead"), ("农业部", "support")]]
    assert found("由有关地方会同企业研究。") == []  # no unit's name: no annotation


def test_the_competent_department_as_a_label(settings):
    """(主管部門:縣民政局) closing each project of a candidate list (大埔), refused before (no structure, no annotation)."""
    got = roles(cleaned(settings, "dabu-livelihood-candidates-2023"))
    assert got == [[("縣民政局", "unspecified")], [("縣衛生健康局", "unspecified")]]
    assert found("新建幼儿园2所。(主管单位:县教育局)") == [[("县教育局", "unspecified")]]


def test_a_leading_group_is_a_body_and_a_kind_of_town_none(settings):
    """泗洲头镇's one-cell-a-line table: 白仙山水库工程政策处理工作领导小组 is the row's unit, 现代化美丽城镇 its task (it had been
    read as a unit, ending in 镇)."""
    got = roles(read(settings, "sizhoutou-key-work-progress-2024"))
    assert got == [[("白仙山水库工程政策处理工作领导小组", "unspecified")], [("乡村振兴办", "unspecified")]]
    from lpsplan.extract.headedtables import _name_ok

    assert _name_ok("县防汛抗旱工作领导小组", False) and not _name_ok("现代化美丽城镇", False) and not _name_ok("统筹城乡", False)
    assert _name_ok("泗洲头镇", False) and _name_ok("各乡镇", False)


def test_a_sentence_of_its_own_that_states_who_answers_for_the_items_before_it(settings):
    """該目標責任單位為市經委。 / 4項目標的責任單位均為市發展改革委。 after the items (郑州 2007): read as an annotation of the item it
    follows (the N items it covers are not yet given it: the last one is)."""
    got = roles(cleaned(settings, "zhengzhou-target-management-2007"))
    assert got[0] == [("市發展改革委", "unspecified")] and len(got) == 6
    assert got[4] == [("市發展改革委", "unspecified"), ("統計局", "unspecified"), ("經委", "unspecified"), ("建委", "unspecified")]
    assert found("1.工业增加值增长15%;\n该目标牵头单位为市经信委。\n") == [[("市经信委", "lead")]]
    assert found("该目标的责任单位为各有关方面。") == []  # no unit's name: no annotation
