"""Annotation forms of the eighth round: written examples (unit tests, never counted in a figure)."""
from lpsplan.extract.annotations import find_annotations_typed


def _read(text: str) -> list[list[tuple[str, str]]]:
    return [[(u.written, u.role) for u in units] for _, units, _ in find_annotations_typed(text, 0, len(text), "x", strict=False, warnings=[])]


def test_square_bracket_roles_with_a_rider_after_the_units_sentence():
    text = ("1.编制准入清单。〔市生态环境局牵头,市发展改革局参与,各县、区人民政府(管委会)负责落实。"
            "以下各项工作均需各县、区人民政府落实,不再列出。〕其他区域禁止新建燃煤锅炉。\n")
    assert _read(text) == [[("市生态环境局", "lead"), ("市发展改革局", "support"), ("各县、区人民政府(管委会)", "unspecified")]]


def test_bare_unit_list_before_a_sentence_end_inside_a_paragraph():
    text = "(一)扩大投资。推动重点项目开工(区发改委、区财政局)。加快企业上市步伐(区金融办)。\n"
    assert _read(text) == [[("区发改委", "unspecified"), ("区财政局", "unspecified")], [("区金融办", "unspecified")]]


def test_a_bracketed_word_inside_a_paragraph_is_no_unit():
    assert _read("排查整治工业企业(场所)。开展专项行动(管委会)。\n") == []


def test_roles_without_brackets_closing_an_item():
    text = "1.完善服务体系。建设托育机构。市卫生健康委牵头;市发展改革委、市财政局配合\n2.落实补贴。由市人社局负责。\n"
    assert _read(text) == [
        [("市卫生健康委", "lead"), ("市发展改革委", "support"), ("市财政局", "support")],
        [("市人社局", "unspecified")],
    ]


def test_a_closing_sentence_that_names_no_unit_is_no_annotation():
    text = "1.完善服务体系。各方要密切配合,认真抓好落实。\n2.加强宣传。营造良好氛围,形成工作合力牵头推进。\n"
    assert _read(text) == []


def _lines(text: str):
    from lpsplan.records import Span
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def test_table_columns_are_read_by_their_words():
    from lpsplan.extract.tablecells import unit_role
    from lpsplan.extract.tables import find_table
    assert [unit_role(c) for c in ("责任单位或牵头单位", "协助单位", "配合责任部门", "主责部门", "责任领导", "工作任务")] == [
        "lead", "support", "support", "unspecified", None, None]
    text = ("序号 | 工作任务 | 责任单位或牵头单位 | 协助单位 | 责任领导 | 完成时限\n"
            "1 | 建设科技创新平台 | 市科技局 | 市发展改革委、市财政局 | 张三 | 2024年12月\n")
    rows, _ = find_table(text, _lines(text))
    assert [(u.written, u.role) for u in rows[0].units] == [("市科技局", "lead"), ("市发展改革委", "support"), ("市财政局", "support")]
    assert rows[0].task.text == "建设科技创新平台" and rows[0].deadline == 2024


def test_a_closing_sentence_starting_with_each_names_units_only_as_a_unit_word_follows():
    # 各地要 / 各地将 start a sentence: no unit (a code review's finding); 各地 / 各有关部门 are units
    assert _read("1.推进改造。各地要牵头\n") == []
    assert _read("1.推进改造。市住建局牵头;各地要配合\n") == []
    assert _read("1.推进改造。各地牵头;各有关部门配合\n") == [[("各地", "lead"), ("各有关部门", "support")]]


def test_a_closing_sentence_said_by_leaves_its_by_out_of_the_task():
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = "某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成改造小区30个。由市财政局负责。\n"
    (clause,) = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False).clauses
    assert clause.text.text == "完成改造小区30个。" and clause.annotation.text.startswith("由市财政局负责")
    assert [(u.written, u.role) for u in clause.units] == [("市财政局", "unspecified")]


def test_a_bare_list_of_places_or_kinds_of_body_names_no_unit():
    # a code review's examples: a bare bracket names units only by a government's word or a level/place before them
    for text in ["加强公共文化设施建设(图书馆、文化馆、博物馆)。\n", "建设创新平台(重点实验室)。\n", "引导金融机构(商业银行)。\n",
                 "培育(企业技术中心)。\n", "建设(综合服务站)。\n", "完善医疗体系(县医院、乡镇卫生院、村卫生室)\n", "规范(律师事务所)。\n"]:
        assert _read(text) == [], text
    assert _read("推进改造(发展改革委、财政局)。\n") == [[("发展改革委", "unspecified"), ("财政局", "unspecified")]]
    assert _read("建设全民阅读空间(市图书馆)。\n") == [[("市图书馆", "unspecified")]]


def test_a_deadline_line_gives_its_year_wherever_its_value_names_it():
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    for when, year in [("2023年底前", 2023), ("于2024年6月底前", 2024), ("长期坚持", None)]:
        text = f"某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成改造小区30个。\n牵头单位:市住建局\n完成时限:{when}\n"
        (clause,) = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False).clauses
        assert [u.written for u in clause.units] == ["市住建局"] and clause.deadline == year, when


def test_the_rule_of_the_first_unit_is_taken_from_the_statement_that_applies():
    # a later sentence stating the rule with 或汇总单位 no longer changes the one an annotation stated for itself
    from lpsplan.extract import extract_plan
    from lpsplan.source import SourceText

    text = ("某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成改造小区30个(责任单位:市住建局,第一责任单位为牵头单位)。\n"
            "(二)加强宣传。说明:表中列第一位为牵头或汇总单位的,负责汇总。\n")
    (clause,) = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False).clauses
    assert [(u.written, u.role) for u in clause.units] == [("市住建局", "lead")]
