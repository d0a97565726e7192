"""Document forms of the genre as pages give them (batch 13d of the dev split: task divisions of northern provinces),
each read by a general rule: checked on the dev text it was met in, and on a written example of the same form.
Unit tests: never counted in a figure."""
from pathlib import Path

from lpsplan.extract import extract_plan
from lpsplan.extract import metadata as meta
from lpsplan.extract.text import lines
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"


def _plan(text: str, title: str | None = None):
    return extract_plan(SourceText("x.txt", text, "0" * 64), strict=False, title=title)


def _real(name: str):
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    return extract_plan(source, name, strict=False)


def _units(plan) -> list[list[tuple[str, str]]]:
    return [[(u.written, u.role) for u in c.units] for c in plan.clauses if not c.inherited_from]


def test_the_unit_that_runs_a_task_and_those_that_help():
    # dev: heilongjiang-report-duties-2013, (省财政厅主办,省国税局、地税局协办) and (省发改委、农委、统计局分别负责)
    got = _units(_real("heilongjiang-report-duties-2013"))
    assert [("省财政厅", "lead"), ("省国税局", "support"), ("地税局", "support")] in got
    assert [("省发改委", "unspecified"), ("农委", "unspecified"), ("统计局", "unspecified")] in got
    assert len(got) == 11
    plan = _plan("某市工作方案\n一、重点任务\n(一)建设平台。(市科技局主办,市财政局协办)\n(二)完善制度。(市发改委、市统计局分别负责)\n")
    assert _units(plan) == [[("市科技局", "lead"), ("市财政局", "support")],
                            [("市发改委", "unspecified"), ("市统计局", "unspecified")]]


def test_a_list_of_divisions_with_a_bracket_before_their_body_is_one_unit():
    # dev: shenyang-report-division-2026, 责任单位:市财政局等有关部门,各区、县(市)政府及开发区管委会
    got = _units(_real("shenyang-report-division-2026"))
    assert got[0] == [("市发展改革委", "lead"), ("市财政局", "unspecified"), ("各区、县(市)政府", "unspecified"),
                      ("开发区管委会", "unspecified")]
    plan = _plan("某市工作方案\n一、重点任务\n(一)建设平台。(责任单位:市科技局,各区、县(市)政府)\n")
    assert _units(plan) == [[("市科技局", "unspecified"), ("各区、县(市)政府", "unspecified")]]


def test_a_heading_that_names_the_lead_of_the_tasks_under_it():
    # dev: shanxi-work-targets-division-2008, (一)省监察厅牵头的工作 / tasks / 协同单位:… after a task or a group of them
    got = _units(_real("shanxi-work-targets-division-2008"))
    assert got == [
        [("省监察厅", "lead")],
        [("省审计厅", "lead"), ("省直各部门", "support"), ("各市人民政府", "support")],
        [("省编办", "lead"), ("省财政厅", "support"), ("省人事厅", "support"), ("省农业厅", "support"), ("各市人民政府", "support")],
        [("省人民政府办公厅", "lead"), ("省直有关部门", "support"), ("各市人民政府", "support")],
        [("省人民政府办公厅", "lead"), ("省直有关部门", "support"), ("各市人民政府", "support")],
    ]
    plan = _plan("某县工作任务分解\n一、县长负责的工作\n(一)县发改局牵头的工作\n推进项目建设。\n"
                 "(二)县财政局牵头的工作\n1.加强预算管理。\n协同单位:县税务局。\n")
    assert _units(plan) == [[("县发改局", "lead")], [("县财政局", "lead"), ("县税务局", "support")]]
    # a person's heading (县长负责的工作) names no unit: nothing is read from it
    plan = _plan("某县工作任务分解\n一、重点任务\n(一)张三副县长负责的工作\n推进项目建设。\n(二)建设平台。(县科技局负责)\n")
    assert _units(plan) == [[("县科技局", "unspecified")]]


def test_a_table_whose_row_numbers_stand_in_the_task_cells():
    # dev: konggang-ten-projects-table-2019, 工作任务 / 责任单位 / 主要工作 / 完成时限 / 备注 one cell a line, the task cell
    # 1.加快中小学、幼儿园建设。 carrying the row's number, the 主要工作 cell's own 1. 2. 3. lines opening no row
    plan = _real("konggang-ten-projects-table-2019")
    assert _units(plan) == [[("教育卫体局", "unspecified")]] * 2 + [[("招商一局", "unspecified")]]
    assert plan.clauses[0].text.text == "加快中小学、幼儿园建设。"
    text = ("某区2024年十件民生实事任务分解表\n工作任务\n\n责任单位\n\n主要工作\n\n完成时限\n\n一、教育方面\n\n"
            "1.新建幼儿园。\n\n区教育局\n\n1.完成选址。\n\n2.开工建设。\n\n12月底\n\n2.改造道路。\n\n区住建局、区交通局\n\n"
            "完成改造10公里。\n\n10月底\n")
    assert _units(_plan(text)) == [[("区教育局", "unspecified")], [("区住建局", "unspecified"), ("区交通局", "unspecified")]]


def _title(text: str) -> str | None:
    found = meta.find_title(text, [s for s in lines(text) if s.of(text).strip()])
    return found.value[0].text if found else None


def test_titles_with_a_part_number_a_count_or_a_place_in_brackets():
    # dev: liaoning-report-division-2025-p1 (…分工方案(一)), daxing-report-division-2023 (…分工方案(共计121项), and the
    # page's field • 主题分类:发展规划 above it), tongzhou-14th-division-2021 (北京城市副中心(通州区) / … / …分工方案)
    assert _real("liaoning-report-division-2025-p1").title.text == "2025年省《政府工作报告》重点工作分工方案"
    assert _real("daxing-report-division-2023").title.text == "2023年区政府工作报告重点工作分工方案"
    assert _real("tongzhou-14th-division-2021").title.text == (
        "北京城市副中心(通州区)国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要区级任务分工方案")
    assert _title("某市重点工作分工方案(二)\n一、总体要求\n") == "某市重点工作分工方案"
    assert _title("某区重点工作分工方案(共计30项)\n一、总体要求\n") == "某区重点工作分工方案"
    plan = _plan("• 主题分类:发展规划\n某区2023年重点工作分工方案\n一、重点任务\n(一)建设平台。(区科技局负责)\n")
    assert plan.title.text == "某区2023年重点工作分工方案"


def test_a_lead_heading_with_nothing_under_it_leads_the_items_after_it():
    # the form of the damaged-input test on shanxi-work-targets-division-2008: a line put under (三)省编办牵头的工作
    # took its tasks as an item of its own; written: the tasks numbered as items of their own after the heading
    plan = _plan("某县工作任务分解\n一、重点任务\n(一)县财政局牵头的工作\n(二)加强预算管理。(配合单位:县税务局)\n"
                 "(三)县发改局牵头的工作\n推进项目建设。\n")
    assert _units(plan) == [[("县财政局", "lead"), ("县税务局", "support")], [("县发改局", "lead")]]


def test_a_paragraph_numbered_one_makes_the_next_number_an_item_too():
    # dev: liaoning-report-division-2025-p1 cut inside item 二 (the line then short, with no 。): 一、 is a paragraph
    # closed by its annotation, so 二、 is an item of the same run, not a section heading
    text = (REAL / "liaoning-report-division-2025-p1.txt").read_text(encoding="utf-8")
    cut = text[:text.index("着力提升投资效益")]
    plan = _plan(cut)
    assert _units(plan) == [[(u, "unspecified") for u in ("省发展改革委", "省工业和信息化厅", "省财政厅", "省人力资源社会保障厅",
                                                          "省农业农村厅", "省商务厅")]]
    # a first heading run into its text (一、总体要求。…。) is no such paragraph: the sections after it stay sections
    plan = _plan("某市科技创新行动方案\n一、总体要求。深入贯彻新发展理念,坚持创新驱动发展战略,加快建设科技强市,推动经济高质量发展,"
                 "为全面建设社会主义现代化城市提供有力支撑。\n二、主要目标\n到2025年,研发投入强度达到3%。\n三、重点任务\n"
                 "(一)建设创新平台。(市科技局负责)\n")
    assert [s.title.text for s in plan.sections] == ["主要目标", "重点任务"]
    # a short heading with the next number and items under it is a heading still (三、保障措施 was passed over as a
    # run-in item, its items read as 总体要求's)
    plan = _plan("某市工作方案\n一、总体要求\n坚持创新驱动,推动高质量发展。\n二、推进项目建设,加快形成新动能,全面提升发展质量。"
                 "(市发改委负责)\n三、保障措施\n(一)加强组织领导。(市政府办公室负责)\n(二)强化资金保障。(市财政局负责)\n")
    assert [s.title.text for s in plan.sections] == ["总体要求", "保障措施"]
    assert [(c.key, [u.written for u in c.units]) for c in plan.clauses] == [
        ("section-01-1", ["市发改委"]), ("measure-01-1", ["市政府办公室"]), ("measure-02-1", ["市财政局"])]
    # …while the next paragraph of the run, over two lines and closed by its annotation, is an item as the one before
    plan = _plan("某市工作方案\n一、总体要求\n坚持创新驱动。\n二、推进项目建设,全面提升发展质量。(市发改委负责)\n三、推进产业升级,加快\n"
                 "形成新动能。(市工信局负责)\n四、保障措施\n(一)加强组织领导。(市政府办公室负责)\n")
    assert [s.title.text for s in plan.sections] == ["总体要求", "保障措施"]
