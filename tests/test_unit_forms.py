"""How county-, district- and city-level task divisions name their units and roles (the units round): each rule on the
dev text it was found in (tests/data/real, split dev) and on a written example of the same form."""

from lpsplan.build import build_plan
from lpsplan.inputs import read_plan_input

from realplans import REAL, found, read, roles, written


def test_zhuban_and_xieban_name_who_runs_a_task_and_who_helps(settings):
    got = roles(read(settings, "district-innovation-tasks-plan"))
    assert got[1] == [("区科技局", "lead"), ("高新区管委会", "lead"), ("区相关部门", "support"), ("街道", "support"), ("板块", "support")]
    assert got[4] == [("区发改委", "lead"), ("区科技局", "support")]
    assert got[6] == [("区市场监管局", "lead")]
    assert found("推进项目建设。(县住建局主办,县财政局、各乡镇协办)") == [
        [("县住建局", "lead"), ("县财政局", "support"), ("各乡镇", "support")]]
    assert found("举办活动。(主办单位:县文旅局)") == [[("县文旅局", "lead")]]  # the label, as before
    # 主办 leads only closing its piece (or before 、 or a verb of carrying out): 主办方 / 主办的 are an event's
    # organiser, and an organiser that is no unit of a government (联合国) is none (both were read as units)
    assert found("积极参加展会(亚洲博览会组委会主办方)。") == []
    assert found("举办论坛(联合国主办)。") == [] and found("举办论坛(联合国主办的)。") == []
    assert found("推进项目(区科技局主办、区财政局协办)。") == [[("区科技局", "lead"), ("区财政局", "support")]]
    assert found("推进项目(区科技局主办实施)。") == [[("区科技局", "lead")]]


def test_you_before_the_lead_is_no_part_of_its_name(settings):
    got = roles(read(settings, "wenling-growth-opinions-2023"))  # 一、扩大有效投资政策(由市发改局牵头)
    assert got[0] == [("市发改局", "lead")]
    assert got[2][3:] == [("银保监温岭监管组", "unspecified"), ("市人民银行", "unspecified")]
    assert found("一、优化营商环境(由县政务服务中心牵头,各部门配合)") == [
        [("县政务服务中心", "lead"), ("各部门", "support")]]


def test_units_a_table_cell_separates_by_a_space(settings):
    got = roles(read(settings, "jishui-livelihood-tasks"))  # | 毛晓青 | 县教体局 各相关乡镇政府 |
    assert got == [[("县教体局", "unspecified"), ("各相关乡镇政府", "unspecified")],
                   [("县卫健委", "unspecified"), ("各相关乡镇政府", "unspecified")],
                   [("县教体局", "unspecified"), ("各相关乡镇政府", "unspecified")]]


def test_labelled_lines_under_a_heading_annotate_the_heading(settings):
    plan = read(settings, "nanchang-county-livelihood-2024")
    assert roles(plan) == [[("县城管执法局", "lead"), ("江西洪城水业环保公司", "unspecified"), ("属地乡镇", "unspecified")],
                           [("县城管执法局", "lead"), ("莲塘镇", "unspecified")],  # 责任单位:莲塘镇任务目标:…
                           [("县城管执法局", "lead"), ("县城投集团", "unspecified")]]
    assert plan.clauses[2].text.text.startswith("新建300个公共充电桩项目")  # the heading is the task the lines annotate
    assert plan.title.text == "关于下达2024年南昌县政府民生实事人大代表票决项目任务的通知"  # without the site's 【民生实事】
    plan = written(settings, "某县2024年重点项目任务\n一、建设城东污水处理厂\n牵头领导:张三\n牵头单位:县住建局\n"
                             "责任单位:县城投集团、城东街道建设内容:日处理污水5万吨\n二、改造农贸市场\n牵头单位:县商务局\n")
    assert roles(plan) == [[("县住建局", "lead"), ("县城投集团", "unspecified"), ("城东街道", "unspecified")],
                           [("县商务局", "lead")]]


def test_a_starred_cell_lists_the_units_and_marks_the_lead(settings):
    got = roles(read(settings, "wujiang-key-tasks-2024"))
    assert len(got) == 11 and got[0] == [("区发改委", "lead"), ("统计局", "support")]
    assert got[5] == [("区商务局", "lead"), ("吴江海关", "support")]  # a vertical unit named with the district
    assert got[9] == [("生态环境局", "lead")]
    assert found("1.完成目标。\n|\n★县发改局、统计局\n|\n") == [[("县发改局", "lead"), ("统计局", "support")]]
    assert found("★地区生产总值增长率(%)\n|\n") == []  # an indicator the table stars is no unit


NAMES = "data/registry/department-names.yaml"


def place(name: str):
    from lpsplan.divisions import divisions

    found = [d for d in divisions().values() if d.name == name]
    assert len(found) == 1, (name, found)
    return found[0]


def labels(settings, name: str) -> dict[str, str]:
    """Written form → the name the graph gives the unit (registered or not)."""
    from rdflib.namespace import SKOS

    source = read_plan_input(REAL / f"{name}.txt").source
    graph = build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False).graph
    return {str(alt): str(pref) for node, _, alt in graph.triples((None, SKOS.altLabel, None))
            for pref in graph.objects(node, SKOS.prefLabel)}


def test_units_are_named_in_full_within_the_plans_own_division(settings):
    from lpsplan.unitnames import canonical

    got = labels(settings, "wujiang-key-tasks-2024")  # ★区发改委、统计局 / ★生态环境局 in 吴江区's table
    assert got["统计局"] == "吴江区统计局" and got["人社局"] == "吴江区人力资源和社会保障局" and got["税务局"] == "吴江区税务局"
    assert got["区应急管理局"] == "吴江区应急管理局"  # a level word and a body the registry does not list
    assert "吴江海关" not in got  # named with its place: kept as written
    got = labels(settings, "wenling-growth-opinions-2023")
    assert got["市人民银行"] == "温岭市人民银行" and got["市金融工作中心"] == "温岭市金融工作中心"
    got = labels(settings, "nanchang-county-livelihood-2024")
    assert got["县城投集团"] == "南昌县城投集团" and "属地乡镇" not in got and "莲塘镇" not in got
    wenling, teng = place("温岭市"), place("滕州市")
    assert canonical("市场监管局", wenling, NAMES) == "温岭市市场监督管理局"  # 市场…: no level word, the plan's own bureau
    assert canonical("市民中心", wenling, NAMES) == "市民中心" and canonical("市政公司", wenling, NAMES) == "市政公司"
    assert canonical("县城投公司", teng, NAMES) == "县城投公司"  # 县 names no division of a 滕州市 plan
    assert canonical("商务厅", wenling, NAMES) == "商务厅"  # a province's department, not the city's
    assert canonical("区相关部门", place("吴江区"), NAMES) == "区相关部门"  # a collective


def test_a_generic_district_name_inside_a_word_is_no_jurisdiction():
    from lpsplan.divisions import jurisdiction_in

    assert jurisdiction_in(["全国文明城区集中整顿方案"]) is None
    assert jurisdiction_in(["中心城区老旧小区改造实施方案"]) is None
    assert jurisdiction_in(["城区2023年重点工作任务"]) is not None  # at the start it names a 城区 (which one is another matter)


def test_a_cell_table_with_no_heading_above_it_and_marks_closing_its_cells(settings):
    from lpsplan.extract import without_stray_marks

    plan = read(settings, "yuhang-report-tasks-2018")  # 序号? | 重 点 工 作 任 务? | 牵头领导? | 牵头单位? |
    assert roles(plan) == [[("未来科技城(海创园)", "lead")], [("余杭经济技术开发区(钱江经济开发区)", "lead")], [("临平新城", "lead")]]
    assert plan.title.text == "2018年《政府工作报告》工作任务分解表" and plan.period == (2018, 2018)
    assert without_stray_marks("甲? | 乙? |\n丙?\n") == "甲  | 乙  |\n丙 \n"
    assert without_stray_marks("这是为什么?\n") == "这是为什么?\n"  # one question mark is a question
    plan = written(settings, "某区2023年重点工作任务分解表\n序号 | 重 点 工 作 | 牵头单位 | 配合单位 |\n"
                             "1 | 建设创新园区 | 区科技局 | 区财政局、各街道 |\n2 | 改造老旧小区 | 区住建局 | 区城投集团 |\n")
    assert roles(plan) == [[("区科技局", "lead"), ("区财政局", "support"), ("各街道", "support")],
                           [("区住建局", "lead"), ("区城投集团", "support")]]


def test_a_cell_that_only_lists_units_and_the_provinces_lead_after_it(settings):
    got = roles(read(settings, "hangzhou-provincial-tasks-2021"))
    assert got[0] == [("市农业农村局", "unspecified"), ("市规划和自然资源局", "unspecified"),
                      ("市商务局(市粮食和物资储备局)", "unspecified"), ("省农业农村厅", "lead")]
    assert got[1] == [("市商务局", "unspecified"), ("市发改委", "unspecified"), ("省商务厅", "lead")]
    assert got[2][0] == ("杭州城西科创产业集聚区管委会", "unspecified") and len(got[2]) == 9
    assert not any(u.startswith("杭州市2项") for c in got for u, _ in c)  # (杭州市2项配合工作): a count of tasks
    assert found("1\n加快建设城市大脑。\n县大数据局、县财政局、各乡镇\n县牵头单位:县委网信办\n") == [
        [("县大数据局", "unspecified"), ("县财政局", "unspecified"), ("各乡镇", "unspecified"), ("县委网信办", "lead")]]
    # a notice's addressees, after its number and not after a task's sentence, are no unit cell
    assert found("某政办字〔2021〕3号\n各街道办事处、镇人民政府,县政府各部门\n") == []
    # the offices that sign a notice, under its last paragraph and above its date (or at the text's end), are no
    # unit cell of that paragraph: no table around them
    notice = "(二)举办促消费活动。各地要组织开展系列活动。\n市发展和改革委员会、市财政局\n"
    assert found(notice + "2024年3月1日\n") == [] and found(notice) == []
    assert found("责任单位\n" + notice + "二〇二四年三月一日\n") == []
    # among a table's cells (a unit column's header above, or the next row's number) the same line is one
    assert found("序号\n工作任务\n责任单位\n" + notice) == [[("市发展和改革委员会", "unspecified"), ("市财政局", "unspecified")]]
    assert found(notice + "2\n推进消费升级。\n") == [[("市发展和改革委员会", "unspecified"), ("市财政局", "unspecified")]]


def test_the_labels_and_collectives_of_county_divisions_on_written_examples():
    """No dev document showed 主要协作单位 or 协作 as a role word: written examples only.  The others pin forms the
    round's documents share with county divisions in general (collectives, mass organisations, persons' lines)."""
    assert found("推进项目。(牵头责任单位:区商务局;主要协作单位:区发改局、各街道)") == [
        [("区商务局", "lead"), ("区发改局", "support"), ("各街道", "support")]]
    assert found("推进项目。(区商务局牵头,区发改局协作)") == [[("区商务局", "lead"), ("区发改局", "support")]]
    assert found("推进项目。(牵头单位:县发改委;责任单位:各乡镇(街道)、县政府有关部门、有关直属单位)") == [
        [("县发改委", "lead"), ("各乡镇(街道)", "unspecified"), ("县政府有关部门", "unspecified"), ("有关直属单位", "unspecified")]]
    assert found("推进项目。(县总工会牵头,县红十字会、县税务局配合)") == [
        [("县总工会", "lead"), ("县红十字会", "support"), ("县税务局", "support")]]
    assert found("推进项目。(团县委、县妇联、县残联按职责分工负责)") == [
        [("团县委", "unspecified"), ("县妇联", "unspecified"), ("县残联", "unspecified")]]
    assert found("推进项目。\n责任领导:张三\n牵头单位:县住建局\n配合单位:县城投集团、国网某县供电公司\n完成时限:2023年12月底") == [
        [("县住建局", "lead"), ("县城投集团", "support"), ("国网某县供电公司", "support")]]


def test_a_repeated_headings_second_half_is_not_the_title(settings):
    plan = read(settings, "hangzhou-provincial-tasks-2021")  # the full heading, its first half, the full heading, its second half
    assert plan.title.text == "2021年省政府工作报告重点工作涉杭任务和市政府工作报告重点工作责任分解" and plan.period == (2021, 2021)
    plan = written(settings, "某县2023年重点工作任务和民生实事责任分解\n和民生实事责任分解\n一、推进项目建设\n"
                             "1.建设园区。(县发改局牵头)\n")
    assert plan.title.text == "某县2023年重点工作任务和民生实事责任分解"
