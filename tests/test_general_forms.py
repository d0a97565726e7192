"""Annotation and table forms of the tenth round, read by general rules: written examples (unit tests, never counted in a
figure).  The dev documents that showed some of them are named; the others have no dev document (said so)."""
from pathlib import Path

import pytest
from lpsplan.errors import LpsplanError
from lpsplan.extract import extract_plan
from lpsplan.extract.annotationforms import ROLE_SUFFIX
from lpsplan.extract.annotations import find_annotations_typed
from lpsplan.extract.names import label_role
from lpsplan.source import SourceText


def _read(text: str) -> list[list[tuple[str, str]]]:
    return [[(u.written, u.role) for u in units] for _, units, _ in find_annotations_typed(text, 0, len(text), "x", strict=False, warnings=[])]


def _plan(text: str):
    return extract_plan(SourceText("x.txt", text, "0" * 64), strict=False)


def test_labels_outside_the_list_are_read_by_their_words():
    # no dev document: 牵头股室 / 配合科室 / 落实单位 are not in the list of labels
    assert [label_role(w) for w in ("牵头股室", "配合科室", "落实单位", "责任处室", "协办部门")] == [
        "lead", "support", "unspecified", "unspecified", "support"]
    assert _read("1.推进课程改革。(牵头股室:基础教育股;配合股室:计财股、人事股)\n") == [
        [("基础教育股", "lead"), ("计财股", "support"), ("人事股", "support")]]


def test_units_in_cells_closed_by_a_pipe():
    # dev: guangzhou-key-work-progress-2023 (牵头单位: | 市城市管理综合执法局 |)
    assert _read("重点工作: | 135.统筹违法建设治理。 |\n牵头单位: | 市城管局 | 市住建局 |\n") == [
        [("市城管局", "lead"), ("市住建局", "lead")]]


def test_a_bracket_the_page_wrapped_over_a_line():
    # dev: county-grain-security-tasks-p2 (〔县自然资\n源局、…按职责分工负责,各乡(街道)落实〕)
    text = "(二)从严落实耕地保护制度。分类稳妥开展整改复耕。〔县自然资\n源局、县林业局按职责分工负责,各乡(街道)落实〕\n(三)优化结构。\n"
    assert _read(text) == [[("县自然资源局", "unspecified"), ("县林业局", "unspecified"), ("各乡(街道)", "unspecified")]]
    # a line break before the next item is no part of a bracket
    assert _read("(二)推进改造(市住建局\n(三)完善机制。市财政局负责)\n") == []


def test_a_role_word_with_any_short_verb_after_it():
    # dev: guangdong-private-investment-2023, a copy whose words a tool rewrote (牵头卖力, 按职责分工卖力)
    assert _read("1.建设平台。(市商务局牵头推进,市财政局配合实施)\n2.引进项目。(市发改委、市财政局按职责分工落实)\n") == [
        [("市商务局", "lead"), ("市财政局", "support")],
        [("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    assert not ROLE_SUFFIX.search("以市发改委为牵头单位")  # 牵头单位 is a label's word, not a verb


def test_a_leading_person_named_in_the_bracket_before_the_units():
    # no dev document: (牵头领导:…;牵头单位:…;责任单位:…)
    assert _read("1.建设平台。(牵头领导:张三;牵头单位:市发改委;责任单位:市财政局、市税务局)\n") == [
        [("市发改委", "lead"), ("市财政局", "unspecified"), ("市税务局", "unspecified")]]
    assert _read("1.建设平台。(分管领导:张三、李四;责任单位:市财政局)\n") == [[("市财政局", "unspecified")]]


def test_a_bare_unit_list_before_a_comma_and_roles_in_a_sentence_inside_a_paragraph():
    # no dev document: (X、Y), before a comma; …。X牵头,Y配合。 followed by another sentence of the item
    assert _read("(一)完善机制。健全协调机制(区发改委、区财政局),加快推进落实。\n") == [
        [("区发改委", "unspecified"), ("区财政局", "unspecified")]]
    assert _read("1.建设平台。市科技局牵头,市财政局配合。完善配套政策。\n") == [
        [("市科技局", "lead"), ("市财政局", "support")]]
    assert _read("1.建设平台。各方密切配合,形成工作合力。完善配套政策。\n") == []


def test_a_task_table_in_an_annex_with_its_task_column_named_anything():
    # dev: shapingba-report-targets-2022 (附件1, then 序号 / 2022年预期目标 / 责任单位 one cell a line)
    text = ("某区人民政府办公室关于印发2022年区政府工作报告目标任务的通知\n各镇人民政府:\n现将目标任务印发给你们。\n"
            "某区人民政府办公室\n2022年1月21日\n附件1\n2022年经济社会发展预期目标任务分解表\n序号\n\n2022年预期目标\n\n责任单位\n\n"
            "1\n\n地区生产总值增长5.5%左右\n\n区发展改革委\n\n2\n\n工业增加值增长7%左右\n\n区经济信息委、区统计局\n")
    plan = _plan(text)
    assert [[(u.written, u.role) for u in c.units] for c in plan.clauses] == [
        [("区发展改革委", "unspecified")], [("区经济信息委", "unspecified"), ("区统计局", "unspecified")]]
    assert [c.text.text for c in plan.clauses] == ["地区生产总值增长5.5%左右", "工业增加值增长7%左右"]
    assert plan.sections[-1].title.text == "2022年经济社会发展预期目标任务分解表"


def test_a_one_space_table_whose_cells_hold_spaces():
    # dev: pingdingshan-river-chief-tasks-2018 (加强水资源保 护 / 严守用水 效率控制 红线)
    text = ("某市全面推行河长制主要任务分解方案\n主要任务分解表\n序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位\n"
            "1 加强水资源保 护 严守红线 实施双控行动。 市水利局 市发展改革委、农业局等 各县(市、区)人民政府,示范区\n"
            "2  严守用水 效率控制 红线 落实评估体系。 市水利局 市住房和城乡建设局 各县(市、区)人民政府\n")
    plan = _plan(text)
    assert [[(u.written, u.role) for u in c.units] for c in plan.clauses] == [
        [("市水利局", "lead"), ("市发展改革委", "support"), ("农业局", "support"), ("各县(市、区)人民政府", "unspecified"),
         ("示范区", "unspecified")],
        [("市水利局", "lead"), ("市住房和城乡建设局", "support"), ("各县(市、区)人民政府", "unspecified")]]
    assert plan.clauses[0].text.text == "加强水资源保 护 严守红线 实施双控行动。"


def test_a_stray_line_between_two_rows_of_a_table():
    # dev: pingdingshan-river-chief-tasks-2018 with a garbled line put between its rows (tests/test_damaged_input.py);
    # written here with tabs: the table goes on when the line after the stray one opens the next row's number
    head = "某市重点任务分解方案\n序号\t重点任务\t牵头单位\t配合单位\n1\t建设平台。\t市发改委\t市财政局\n"
    plan = _plan(head + "?。ǘ┲锟斤拷\n2\t完善政策。\t市商务局\t市税务局\n")
    assert [[u.written for u in c.units] for c in plan.clauses] == [["市发改委", "市财政局"], ["市商务局", "市税务局"]]
    # a line followed by anything but the next row's number ends the table, as before
    plan = _plan(head + "注:以上任务按季度报送。\n3\t完善政策。\t市商务局\t市税务局\n")
    assert [[u.written for u in c.units] for c in plan.clauses][:1] == [["市发改委", "市财政局"]]
    assert ["市商务局", "市税务局"] not in [[u.written for u in c.units] for c in plan.clauses]


def test_a_label_after_a_space_and_a_labelled_bracket_over_three_lines():
    # no dev document: a label a page left after the task with a space; (责任单位: broken over three lines
    assert _read("1 建设科创平台 牵头单位:市科技局 配合单位:市财政局\n") == [[("市科技局", "lead"), ("市财政局", "support")]]
    text = "1.建设科创平台。(牵头单位:市科技局;\n配合单位:市财政局、\n市税务局)\n2.引进人才。\n"
    assert _read(text) == [[("市科技局", "lead"), ("市财政局", "support"), ("市税务局", "support")]]


def test_labels_in_a_text_run_together_after_a_persons_title():
    # dev: district-construction-civilized-city-scheme (read only with a title given: its run-together text states none
    # that the front matter reader finds); the value ends at the next item's number or a label of people
    text = ("环境卫生。牵头领导:阮斌副局长责任部门:建工科、安全站(二)小街巷专项整治。牵头领导:王元灿副局长责任部门:城建科"
            "(一)配合区执法局做好保洁配合领导:张明贵副局长配合部门:区园林局(二)配合区交通局\n")
    assert _read(text) == [[("建工科", "unspecified"), ("安全站", "unspecified")], [("城建科", "unspecified")],
                           [("区园林局", "support")]]


def test_units_that_carry_a_task_named_in_its_last_sentence_without_a_lead():
    # no dev document: …。市发改委、市财政局负责。 (no 由, no lead) — read when every unit starts as a government's does
    assert _read("1.建设平台。完善配套政策。市发改委、市财政局负责。\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    assert _read("1.建设平台。完善配套政策。有关部门负责。\n") == []


# ---- after the merge of the ninth and tenth rounds: general rules checked on dev texts only

REAL = Path(__file__).parent / "data" / "real"


def _real(name: str):
    return _plan((REAL / f"{name}.txt").read_text(encoding="utf-8"))


def test_the_title_of_a_text_run_into_one_line_is_its_start_before_the_addressees():
    # dev: district-construction-civilized-city-scheme, a model-text site's copy run into one line: 下载后可任意编辑 (the
    # site's editing note) / the title / 局机关各科室、各企事业单位: / the notice — refused before (no title found)
    plan = _real("district-construction-civilized-city-scheme")
    assert plan.title.text == "全国文明城区集中整顿方案"
    assert any(f.how.startswith("the start of a text run into one line") for f in plan.inferred)
    assert [[u.written for u in c.units] for c in plan.clauses][:2] == [["建工科", "安全站", "质监站"], ["城建科", "市政管理处"]]
    # written: the last genre word before addressees that are bodies (not the 规划 inside the title)
    body = "为做好工作,制定本方案。" * 8 + "一、总体要求\n(一)建设平台。(牵头单位:市发改委)\n"
    assert _plan("关于推进规划建设的实施方案市直各部门、各县区政府:" + body).title.text == "关于推进规划建设的实施方案"
    # a short first line is a title line or none: the rule does not read it; with no addressees no title is found
    # (strict: refused; lenient: read under the plan's id, with a warning)
    text = "请大家认真学习方案内容为做好工作,制定本方案。" + "为做好工作。" * 12 + "\n一、总体要求\n(一)建设平台。(牵头单位:市发改委)\n"
    with pytest.raises(LpsplanError, match="no plan title found"):
        extract_plan(SourceText("x.txt", text, "0" * 64), strict=True)
    assert _plan(text).warnings[0].message.startswith("no plan title found")


def test_a_collective_of_each_division_is_one_unit_in_every_reader():
    from lpsplan.extract.unitlists import parse_units

    def units(t):
        return [u.written for u in parse_units(t, 0, len(t), "x")]

    # dev: the addressees of baotou-opinions and qingdao-green-tasks-2023 name such collectives (各旗、县、区人民政府,
    # 各區、市人民政府); read as a list of units, each is one
    for name, want in (("baotou-opinions", "各旗、县、区人民政府"), ("qingdao-green-tasks-2023", "各區、市人民政府")):
        line = next(x for x in (REAL / f"{name}.txt").read_text(encoding="utf-8").splitlines() if x.startswith(want))
        assert units(line.rstrip(":"))[0] == want
    # dev: lishan-division-2023's 各街道、区直各部门 stays two units (区直各部门 is no division word)
    assert ["区发改局", "立山经济开发区", "各街道", "区直各部门"] in [[u.written for u in c.units] for c in _real("lishan-division-2023").clauses]
    # written (no dev annotation has these in a labelled line): the list ends at the one body they share, or at the last
    # division word; a division word with a body of its own (市发改局) starts a unit of its own
    assert units("协同责任单位:市经信局、滁州经开区管委会等,各县、市、区政府") == ["市经信局", "滁州经开区管委会", "各县、市、区政府"]
    assert units("责任单位:区商务局,各乡、街办、管理处") == ["区商务局", "各乡、街办、管理处"]
    assert units("责任单位:各县、市、区,市直各部门") == ["各县、市、区", "市直各部门"]
    assert units("责任单位:各县、市发改局") == ["各县", "市发改局"]
    assert units("责任单位:各县,区政府") == ["各县", "区政府"]


def test_a_long_tail_after_et_cetera_naming_the_group_of_the_units():
    from lpsplan.extract.unitlists import parse_units

    def units(t):
        return [u.written for u in parse_units(t, 0, len(t), "x")]

    # written (no dev document has it): …等数字经济工作领导小组成员单位 names the group the units before it belong to
    assert units("责任单位:区政府办公室、区商务局等数字经济工作领导小组成员单位,各乡、街办、管理处") == [
        "区政府办公室", "区商务局", "各乡、街办、管理处"]
    # dev: qiaocheng-sti-table-2023's 等区政府有关部门 dropped as before; xialu-responsibility-2020's 区疫情防控指挥部成员单位
    # (no 等) is a unit
    assert units("区经信局、区财政局等区政府有关部门") == ["区经信局", "区财政局"]
    assert units("责任单位:区疫情防控指挥部成员单位、各街办(新区)") == ["区疫情防控指挥部成员单位", "各街办(新区)"]
