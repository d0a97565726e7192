"""Inputs that made the extractor blow up or crash (a code review's findings): each is read, or refused
with the one-line ExtractionError, never a traceback.  Written examples: unit tests only.

No timings are asserted here (speed is measured in bench/); before their fixes these inputs took
seconds to minutes, so a regression shows as a slow test."""

from __future__ import annotations

import itertools
import re

import pytest
from lpsplan.build import build_plan
from lpsplan.errors import LpsplanError
from lpsplan.extract import extract_plan
from lpsplan.extract.names import is_time_piece
from lpsplan.extract.numberedrows import rows_under
from lpsplan.extract.pages import without_page_marks
from lpsplan.extract.tableheads import bare_cell_header
from lpsplan.extract.text import lines
from lpsplan.extract.unitlists import stated_deadline
from lpsplan.extract.unlabelled import _unlabelled_units
from lpsplan.source import SourceText


def extract(text: str, strict: bool = False):
    return extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=strict)


def units(plan) -> list[list[str]]:
    return [[u.written for u in c.units] for c in plan.clauses]


def test_a_long_run_of_spaces_in_a_piece_is_no_date_and_ends():
    assert not is_time_piece("2023年" + " " * 160 + "x")
    assert not is_time_piece("2023年" + "\u3000" * 300 + "底前完成x")


def test_a_padded_date_is_read_as_one():
    assert is_time_piece("2023年 " + "\u3000" * 30 + " 底前 完成")
    assert is_time_piece("完成时限 : 2023年12月底")
    assert stated_deadline("(责任单位:市住建局;2023年" + " " * 50 + "底前完成)") == (True, 2023)


def test_a_task_whose_annotation_holds_a_long_space_run_is_read():
    body = "某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成老旧小区改造(责任单位:市住建局;2023年" + " " * 120 + "x)。\n"
    assert units(extract(body))[0][0] == "市住建局"
    text = "(市住建局牵头,2023年" + "\u3000" * 90 + "x)"
    _unlabelled_units(text, 1, len(text) - 1)  # read or not: it ends
    padded = "某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成老旧小区改造(市住建局牵头,2023年" + "\u3000" * 90 + "底前完成)。\n"
    plan = extract(padded)
    assert units(plan) == [["市住建局"]] and plan.clauses[0].deadline == 2023


def read_or_refused(settings, text: str) -> None:
    """Extracted and built, or refused with a one-line message (anything else fails the test)."""
    for strict in (True, False):
        try:
            extract(text, strict)
            build_plan(settings, source=SourceText("x.txt", text, "0" * 64), slug="x", jurisdiction=None, strict=strict)
        except LpsplanError as exc:
            assert len(str(exc).splitlines()) == 1


def test_a_one_cell_a_line_header_whose_only_task_word_names_units(settings):
    # 牵头工作单位 holds 工作 (a task column's word) but is a unit column: no task column, no table
    text = "某市2023年重点工作任务分解方案\n序号\n牵头工作单位\n配合单位\n一、重点任务\n1\n市发改委\n市财政局\n"
    read_or_refused(settings, text)
    assert bare_cell_header(text, list(lines(text))) is None
    assert rows_under(text, list(lines(text)), ["序号", "牵头工作单位", "配合单位"]) == ([], set())


def test_numeric_entities_that_are_no_character_become_the_replacement_character(settings):
    page = "某市2023年重点工作方案\n一、重点任务\n(一)推进改造&#55296;&#9999999;&#0;。完成改造&nbsp;(责任单位:市住建局)。\n"
    text, notes = without_page_marks(page)
    assert "推进改造\ufffd\ufffd\ufffd。完成改造 (" in text and notes
    read_or_refused(settings, text)
    assert without_page_marks("&ldquo;方案&rdquo;&#x4E00;&emsp;&unknown;") == ("“方案”一\u3000&unknown;", [
        "4 HTML entities (&nbsp; …) the page stored as text, read as the characters they stand for"])


def test_the_evaluation_scores_a_plan_that_states_no_period(settings, tmp_path):
    from lpsplan.plan_eval import evaluate_document

    (tmp_path / "x.txt").write_text("关于推进老旧小区改造的实施方案\n一、重点任务\n(一)推进改造。完成改造(责任单位:市住建局)。\n",
                                    encoding="utf-8")
    gold = {"period": [2023, 2025], "annotations": [{"units": ["市住建局"], "roles": ["unspecified"]}]}
    result = evaluate_document(settings, tmp_path, {"id": "x", "split": "dev"}, gold)
    assert result.refused is None and result.period is None and result.period_ok is False
    assert result.annotations_right == 1


def test_taken_spans_answer_as_the_list_of_spans_did():
    from lpsplan.extract.text import Taken
    from lpsplan.records import Span

    spans = [Span(10, 20), Span(15, 30), Span(40, 45), Span(45, 50), Span(60, 61)]
    taken = Taken(reversed(spans))
    for a in range(70):
        assert taken.holds(a) == any(s.start <= a < s.end for s in spans)
        for b in range(a + 1, 72):
            assert taken.overlaps(a, b) == any(s.start <= a < s.end or a <= s.start < b for s in spans)


def test_a_long_item_of_many_annotations_is_read_whole():
    n = 3000  # about 150 KB: seconds before the overlap checks used bisection
    text = "某市2023年重点工作方案\n一、重点任务\n(一)加快改造。" + "推进老旧小区改造(责任单位:市住建局)。各地牵头。" * n + "\n"
    plan = extract(text)
    assert len(plan.clauses) == n and all(units == ["市住建局"] for units in units(plan))


def test_a_plan_run_into_one_line_with_many_bare_lists_is_read_whole():
    n = 3000
    plan = extract("某市2023年重点工作方案\n" + "推进老旧小区改造(市住建局、市财政局)。" * n + "\n")
    assert units(plan) == [["市住建局", "市财政局"]] * n


def test_a_line_of_many_unclosed_annotations_is_refused_or_warned_once_each():
    n = 2500  # about 112 KB: each unclosed bracket was scanned to the end of its line
    text = "某市2023年重点工作方案\n一、重点任务\n(一)加快改造。" + "完成改造(责任单位:市住建局" * n + "\n"
    plan = extract(text)
    assert plan.clauses == [] and sum("damaged annotation" in w.message for w in plan.warnings) == n
    with pytest.raises(LpsplanError, match="not closed") as exc:
        extract(text, strict=True)
    assert len(str(exc.value).splitlines()) == 1


def read_in_a_child(text: str) -> str:
    """What extracting ``text`` prints (the one-line error, or the count of clauses), in a child process: an input
    that once made the extractor loop or backtrack without end fails the test by the timeout instead of hanging it."""
    import subprocess
    import sys

    child = ("import sys; from lpsplan.extract import extract_plan; from lpsplan.source import SourceText; "
             "from lpsplan.errors import LpsplanError\n"
             "try: print(len(extract_plan(SourceText('x.txt', sys.argv[1], '0' * 64), 'x').clauses), 'clauses')\n"
             "except LpsplanError as exc: print(exc)")
    done = subprocess.run([sys.executable, "-c", child, text], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_unit_column_name_too_long_to_be_short_ends_the_header_search():
    """The fuzzer's input (tests/fuzz_extract.py): a header cell that names units but is not short made the
    header search stand still on it."""
    text = "\u4e00   \u3002\u8d23\u4efb\u5355\u4f4d     \u2654\u2014]"  # 一   。责任单位     ♔—]
    assert read_in_a_child(text).startswith("x.txt:1:1: no plan structure found")


# the pattern that decided whether a cell names people (unitrows._people now): a space could part two names or two
# characters of one, and the pattern tried both
PEOPLE_PATTERN = re.compile(r"[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,2}(?:[、,, \u3000][\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,2})*")


def test_a_long_cell_of_two_characters_between_single_spaces_ends():
    """A cell of 甲 乙 甲 乙 … that is not all names of people: the pattern took time doubling with every name (40 pairs,
    about 300 bytes, took minutes); a table's header above the cell brings it to the table readers."""
    text = "序号 责任单位\n" + "甲 乙 " * 40 + "x\n"
    assert read_in_a_child(text).startswith("x.txt:1:1: no plan structure found")


def test_people_cells_are_told_as_the_pattern_told_them():
    from lpsplan.extract.unitrows import _people

    for n in range(9):  # every string of up to 8 of these characters
        for chars in itertools.product("张 、x", repeat=n):
            cell = "".join(chars)
            assert _people(cell) == (PEOPLE_PATTERN.fullmatch(cell) is not None), cell
    for cell in ("杨 宜", "张三、李四", "张 三 李四", "欧阳 明 李四,王五", "临平新城", "张三  李四", "张三\u3000李四", "张三,李四", "张三\uff0c李四"):
        assert _people(cell) == (PEOPLE_PATTERN.fullmatch(cell) is not None), cell


@pytest.mark.parametrize("cell", ["\u2460", "\u00b2", "1" * 5000])  # ①, ², and more digits than int() converts
def test_a_row_number_that_int_cannot_read_is_no_row_number(settings, cell):
    """The fuzzer's input (tests/fuzz_extract.py): str.isdigit counts ① and ² as digits, which int() refuses, as it refuses
    a number of more than 4,300 digits; each of the three table readers that count rows raised ValueError."""
    for body in (["序号|", "任务|", "责任单位|", "1|", "推进改造|", "市住建局|", cell + "|", "推进建设|", "市财政局|"],  # one cell a line
                 ["序号|任务|责任单位|", "1|推进改造|市住建局|", cell + "|推进建设|市财政局|"],  # a row a line
                 ["序号", "任务", "责任单位", "1", "推进改造", "市住建局", cell, "推进建设", "市财政局"]):  # no | at all
        text = "某市2023年重点工作方案\n一、重点任务\n" + "\n".join(body) + "\n"
        read_or_refused(settings, text)
        assert units(extract(text))[0][0] == "市住建局"


def test_long_runs_of_header_cells_are_read_once():
    """序号 or 责任单位 lines by the thousand: every line of such a run read the names of all the lines after it, in the
    reader of one-cell-a-line headers and in the headed tables' (8 KB of 序号 lines took 22 s, 4 KB about 5 s)."""
    from lpsplan.extract.headedtables import header_before

    for body in ("序号\n" * 3000, "责任单位\n" * 3000, "责任单位\n牵头工作单位\n" * 1500, "序号\n配合\n" * 1500):
        ls = list(lines(body))
        assert bare_cell_header(body, ls) is None and not header_before(body, ls)
        with pytest.raises(LpsplanError, match="no plan structure"):
            extract(body)
    body = "某市2023年重点工作方案\n" + "序号\n" * 1000 + "任务\n责任单位\n1\n推进改造\n市住建局\n"  # a header after the run
    ls = list(lines(body))
    head = bare_cell_header(body, ls)
    assert head is not None and head[-3:] == ["序号", "任务", "责任单位"] and len(head) == 1002
    assert header_before(body, ls)


def test_a_page_of_many_blocks_is_read_whole():
    """A saved page of thousands of <div>s, one inside another or side by side: the line breaks put around every block
    searched its parent's children each time, and each element's whole text was read again to find the richest
    (6,000 nested <div>s took over a minute, 20,000 side by side about as long)."""
    from lpsplan.inputs import html_text

    n = 6000
    assert html_text("<html><body>" + "<div>中文" * n + "</div>" * n + "</body></html>") == "中文\n" * n
    assert html_text("<html><body><div>" + "<div>中文</div>" * 20000 + "</div></body></html>") == "中文\n" * 20000
    page = ("<html><body><div><a href='/'>首页</a><a href='/a'>政务公开</a></div><div><p>某市2023年重点工作方案</p>"
            "<!-- 注释 --><p>一、重点任务<br>(一)推进改造(责任单位:市住建局)</p>"
            "<table><tr><td>1</td><td>推进</td><td>市住建局</td></tr></table></div></body></html>")
    assert html_text(page) == "某市2023年重点工作方案\n一、重点任务\n(一)推进改造(责任单位:市住建局)\n1\t推进\t市住建局\n"


def test_a_pdf_text_that_ends_no_sentence_is_joined_once():
    """A PDF's text layer whose lines end no sentence (a PDF of tables) is one paragraph: joined line by line, it was
    copied again with every line (1 MB: 3.4 s, growing with the square of the size)."""
    from lpsplan.inputs import unwrapped

    line = "表格内容没有句号的一行文字共有二十多个字符在这里"
    assert unwrapped((line + "\n") * 100_000) == [line * 100_000]
    assert unwrapped("推进老旧小区改造工作的主要内容包括以下几个\n方面的措施。\n一、重点任务\n短行\n下一行\n") == [
        "推进老旧小区改造工作的主要内容包括以下几个方面的措施。", "一、重点任务", "短行", "下一行"]


RUN_TOGETHER_HEAD = "某县2023年重点工作任务分解表序号工作任务责任单位完成时限1新建幼儿园3所。县教育局2改造农村公路。"


def test_a_long_run_of_names_closing_a_run_together_row_is_read_once():
    """A run-together table's row closed by thousands of names with no separator: where one name ends was looked for in
    the whole run before each place, and every place in it was looked at (8,000 characters took 6 s, 32,000 minutes)."""
    from lpsplan.extract.rununits import segment

    assert segment("市财政局" * 8000) == [(k, k + 4) for k in range(0, 32000, 4)]
    assert segment("甲局" * 16000) is None
    assert read_in_a_child(RUN_TOGETHER_HEAD + "县财政局" * 8000 + "\n") == "2 clauses\n"
    assert units(extract(RUN_TOGETHER_HEAD + "县财政局县住建局\n"))[1] == ["县财政局", "县住建局"]


def test_many_numbers_that_open_no_row_of_a_run_together_table_end():
    """Thousands of 3s after a row's units, none after a unit's last word: the text since the row's start was cleaned again
    for each (8,000 characters took 8 s, 32,000 minutes); only the end before a number decides."""
    text = RUN_TOGETHER_HEAD + "县交通局" + "x3甲" * 10000 + "县交通局\n"
    assert read_in_a_child(text) == "2 clauses\n"
    assert units(extract(RUN_TOGETHER_HEAD + "县交通局x3甲县交通局\n")) == [["县教育局"], ["县交通局"]]


def test_a_run_together_row_closed_by_thousands_of_headings_ends():
    """A row's end taken off one section heading at a time, each time reading the whole row: a few are read as before,
    thousands (a page holds one or two) are no row's end."""
    assert units(extract(RUN_TOGETHER_HEAD + "县交通局" + "一、甲乙" * 3 + "\n")) == [["县教育局"], ["县交通局"]]
    assert read_in_a_child(RUN_TOGETHER_HEAD + "县交通局" + "一、甲乙" * 8000 + "\n").startswith("x.txt:1:1: no plan structure")


def test_a_long_space_run_in_a_record_of_fields_ends():
    """Spaces after another field's label (项目责任人:…): the next label of units, the pieces' separators and a person's
    name after a unit were each looked for from every space of the run (32,000 spaces took a minute and more)."""
    from lpsplan.extract.annotationforms import _FIELDS
    from lpsplan.extract.fields import label_after_fields

    line = "责任单位:市局 项目:x" + " " * 32000 + "y"
    assert label_after_fields(_FIELDS, line, 7, len(line)) is None
    assert label_after_fields(_FIELDS, line + " 配合单位:市财政局", 7, len(line) + 10) == len(line)
    body = "某市方案\n一、任务\n(一)推进改造(责任单位:市局 项目:x" + " " * 32000 + "y)。\n"
    assert read_in_a_child(body) == "0 clauses\n"
    line_form = "某市方案\n一、任务\n(一)推进改造。\n责任单位:市局 项目:x" + " " * 32000 + "y 配合单位:市财政局\n"
    assert read_in_a_child(line_form) == "1 clauses\n"
    assert units(extract(line_form.replace(" " * 32000, " "))) == [["市局", "市财政局"]]


def test_a_last_row_numbered_in_other_digits_is_read():
    """A one-cell-a-line table whose last row's number is written in other digits (٢, which a digit pattern takes):
    the number of the row after it was read from ASCII digits only, and the extractor crashed."""
    text = ("某区2024年重点工作任务分解表\n\n主要工作任务\n\n牵头单位\n\n责任单位\n\n一、优结构、谋发展\n\n1.推进产业体系建设。\n\n"
            "区发改局\n\n区工信局、区商务局\n\n٢.发展战略性新兴产业。\n\n区发改局\n\n区工信局\n\n3.积极培育")
    assert units(extract(text)) == units(extract(text.replace("٢", "2"))) == [["区发改局", "区工信局", "区商务局"],
                                                                              ["区发改局", "区工信局"]]


def test_a_sentence_of_a_thousand_records_of_fields_is_read_once():
    """One sentence of a thousand records (责任单位:X 项目责任人:Y …): for each label of units after another field, the
    sentence's rest was searched again for where a value stops and for a closing bracket (32,000 characters took
    10 to 17 s); what was found ahead of the cursor still stands, and the brackets' pairs are read once."""
    record = "责任单位:市公安局 项目责任人:王伟 "
    assert read_in_a_child("某市方案\n一、任务\n(一)推进改造。" + record * 1600 + "\n") == "1 clauses\n"
    bracketed = "责任单位:市公安局(甲) 项目责任人:王伟 "
    assert read_in_a_child("某市方案\n一、任务\n(一)推进改造。" + bracketed * 1400 + "\n") == "1 clauses\n"
    three = "责任单位:市公安局 项目责任人:王伟 配合单位:市财政局 实际完成情况:已完成 配合单位:市城管局 项目责任人:李明"
    assert units(extract("某市方案\n一、任务\n(一)推进改造。" + three + "\n")) == [["市公安局", "市财政局", "市城管局"]]


def test_closing_brackets_outside_are_found_as_one_search_finds_them():
    from lpsplan.extract.text import ClosingsOutside, closing_outside

    for text in ("a(b)c)d", "((x)y))z", "(【】)", "x)", "(((", "a(b)c(d)e)f)", "）(）"):
        for start in range(len(text)):
            for end in range(start, len(text) + 1):
                found = ClosingsOutside(text, start, end)
                assert [found.first(c) for c in range(start, end + 1)] == [closing_outside(text, c, end)
                                                                            for c in range(start, end + 1)]


def test_thousands_of_run_together_rows_are_numbered_without_a_pattern_each():
    """A run-together table of 2,000 rows and more: the pattern of each row's number was compiled anew (milliseconds a
    row, 3 s for 32,000 characters); one pattern of numbers, each compared with the row's."""
    from lpsplan.extract.rununits import _row_starts

    rows = "".join(f"{k}推进改造工作县教育局" for k in range(1, 2400))
    assert read_in_a_child("某县2023年重点工作任务分解表序号工作任务责任单位" + rows + "\n") == "2399 clauses\n"
    text = "序号工作任务责任单位1推进12项改造县教育局2完成1.5倍县财政局12甲3推进县局"
    assert [text[a:b] for a, b in _row_starts(text, 10, len(text))] == ["1", "2"]


def test_a_long_space_run_after_a_sentences_end_ends():
    """Thousands of spaces after a 。 (a mutated real text's): the pattern of an item's closing sentence that names who
    (…。市发改委牵头) tried every way of sharing them between the spaces before the names, the names and the spaces after
    them (2,000 spaces took seconds; the document of the finding, 21 s).  The names never start with four spaces, one fewer
    being tried first; the spaces after them are never given back."""
    from lpsplan.extract.annotationforms import SENTENCE_ROLES_RE, TRAILING_ROLES_RE

    text = "推进改造。" + "\u3000" * 2000 + "甲(乙)\n"
    assert SENTENCE_ROLES_RE.search(text) is None
    # a short bracket may stand inside a name since round 39 (各县(市)、区人民政府负责落实): the line's end is found at once, and
    # the names take one space of the run, as ` 市委` below does
    assert TRAILING_ROLES_RE.search(text).group(1) == "\u3000甲(乙)"
    assert read_in_a_child("某市方案\n一、任务\n(一)推进改造。" + "\u3000" * 3000 + "市发改委牵头" + " " * 3000 + "\n") == "1 clauses\n"
    assert TRAILING_ROLES_RE.search("推进改造。  市发改委牵头  \n").group(1) == "市发改委牵头"
    assert TRAILING_ROLES_RE.search("推进改造。     市委\n").group(1) == " 市委"  # too short alone: a space joins it, as before
    assert SENTENCE_ROLES_RE.search("推进改造。 由市发改委牵头。").group(1) == "市发改委牵头"


def test_a_first_line_of_thousands_of_spaces_is_no_slow_title():
    """A first line run through with 20,000 ideographic spaces (a mutated real text's): the page stamp, a news headline's
    tail and a file name's tail were each looked for from every space of the run (9 s); they start where a run does."""
    from lpsplan.extract.metadata import FILE_NAME_TAIL_RE, NEWS_TAIL_RE, PAGE_STAMP_RE

    line = "嘉兴市国民经济和社会发展规划" + "\u3000" * 20000 + "市科技局"
    assert PAGE_STAMP_RE.search(line) is None and NEWS_TAIL_RE.search(line) is None and FILE_NAME_TAIL_RE.search(line) is None
    assert PAGE_STAMP_RE.sub("", "某市重点工作任务   2024-10-12 07:04:35") == "某市重点工作任务"
    assert NEWS_TAIL_RE.sub("", "某市三年行动计划  正式印发") == "某市三年行动计划"
    assert FILE_NAME_TAIL_RE.sub("", "某市行动方案 (18页) .docx") == "某市行动方案"
    text = "—1—《嘉兴市国民经济和社会" + "\u3000" * 20000 + "发展规划》\n一、任务\n(一)推进改造(责任单位:市科技局)。\n"
    assert read_in_a_child(text).startswith("x.txt:1:1: no plan title found")


def test_a_line_of_thousands_of_spaces_is_no_slow_unit_cell():
    """A line of thousands of spaces between cells (a mutated real text's): the patterns of a unit cell and of a ★ cell
    shared the spaces between the leading run, the cell and the closing run in every way (28 s for the document of the
    finding).  The cell never starts with more spaces than its shortest length; the closing spaces are never given back."""
    from lpsplan.extract.unitcells import STARRED_RE, UNIT_LINE_RE

    line = "\u3000" * 3000 + "甲" + " " * 3000 + "。\n"
    assert UNIT_LINE_RE.search(line) is None and STARRED_RE.search("★" + line) is None
    assert UNIT_LINE_RE.search("  市财政局、市商务局 | \n").group(1) == "市财政局、市商务局"
    assert UNIT_LINE_RE.search("      \n").group(1) == "    "  # a line of spaces only: four of them, as before
    assert STARRED_RE.search("  ★  区发改委、统计局  \n").group(1) == "区发改委、统计局"
    text = ("某区2024年重点工作任务分解表\n序号\n工作任务\n责任单位\n1\n推进改造。\n" + "\u3000" * 3000 + "甲" + " " * 3000
            + "乙\n2\n完成建设。\n区住建局、区财政局\n")
    assert read_in_a_child(text).endswith("clauses\n")


def test_the_lines_above_the_first_section_are_cut_into_cells_once(monkeypatch):
    """A unit-cell table's header above the first section and many sections under it (a mutated real text of 33
    sections took 13 s): each section's rows were read with the lines above it cut into cells again — twice, for the
    test of the header and for the rows.  They are cut once for the text; every section's row is read as before."""
    from lpsplan.extract import unitrows

    header = "序号 目标任务 责任单位 推进情况"
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
    names = [f"{numerals[n // 10 - 1] if n >= 20 else ''}{'十' if n >= 10 else ''}{numerals[n % 10 - 1] if n % 10 else ''}"
             for n in range(1, 41)]
    text = ("某区2023年重点工作任务清单\n" + header + "\n"
            + "".join(f"{name}、第{name}方面重点工作\n{n} 推进第{n}批城市更新项目建设。 区发展改革委、区住建局\n"
                      for n, name in enumerate(names, 1)))
    reads = []
    cells = unitrows._cells

    def counted(text, lines):
        reads.append(any(s.of(text) == header for s in lines))
        return cells(text, lines)

    monkeypatch.setattr(unitrows, "_cells", counted)
    plan = extract(text)
    assert len(plan.clauses) == 40
    assert [c.text.text for c in plan.clauses][39] == "推进第40批城市更新项目建设。"
    assert all(units_of == ["区发展改革委", "区住建局"] for units_of in units(plan))
    assert reads.count(True) == 1  # the header's lines, cut once; each section's own lines, once each
    assert reads.count(False) == 40


def _unit_cells_as_they_were(text: str, start: int, end: int):
    """unit_cells as it read before it read the text around each line once (the reference it must agree with): the
    whole text before each line stripped, the whole text after it cut into lines, 2,000 characters above it cut into
    lines, every unit header compared."""
    from lpsplan.extract import unitcells as uc
    from lpsplan.extract.names import EACH_UNIT_RE, LAST_BRACKET_RE, UNIT_NAME_RE, _administrative, _each_of, _joined
    from lpsplan.extract.text import has_words, split_top
    from lpsplan.records import Span, UnitMention

    def in_table(at, after):
        if any(h < at for h in uc._unit_headers(text)):
            return True
        above = [line for line in text[max(0, at - 2000):at].splitlines() if has_words(line)][-2:]
        if len(above) == 2 and uc._ROW_NUMBER_LINE.match(above[0]):
            return True
        return after is not None and bool(uc._ROW_NUMBER_LINE.match(after) or after.rstrip().endswith("|")
                                          or text[:at].rstrip().endswith("|"))

    out = []
    for m in uc.UNIT_LINE_RE.finditer(text, start, end):
        if not text[:m.start()].rstrip().endswith(("。", "|")):
            continue
        after = next((line for line in text[m.end():end].splitlines() if has_words(line)), None)
        if (after is not None and uc.DATE_LINE_RE.match(after)) or not in_table(m.start(), after):
            continue
        if m.group(1).count("(") + m.group(1).count("(") != m.group(1).count(")") + m.group(1).count(")"):
            continue
        names = [n for listed in _each_of(text, split_top(text, m.start(1), m.end(1), "、,,")) for n in _joined(text, listed)]
        bare = [LAST_BRACKET_RE.sub("", n.text) for n in names]
        if len(names) >= 2 and all((UNIT_NAME_RE.fullmatch(b) and _administrative(b)) or EACH_UNIT_RE.fullmatch(b) for b in bare):
            out.append((Span(m.start(1), m.end(1)), [UnitMention(n.text, n.span, "unspecified") for n in names]))
    return out


def _with_unit_cells_as_it_was(text, start, end, found, labelled):
    from lpsplan.extract.text import Taken
    from lpsplan.records import Span

    taken = Taken(f[0] for f in found)
    for span, units in _unit_cells_as_they_were(text, start, end):
        if taken.overlaps(span.start, span.end):
            continue
        after = next((f for f in found if f[0].start >= span.end and not text[span.end:f[0].start].strip()), None)
        if after is not None and labelled(after[0].start):
            found.remove(after)
            found.append((Span(span.start, after[0].end), units + after[1], after[2]))
        else:
            found.append((span, units, ""))
        taken = Taken(f[0] for f in found)
    return found


UNIT_CELL_LINES = ["1", "2", "十", "加快建设城市大脑。", "推进改造。|", "推进改造 |", "县大数据局、县财政局", "市商务局、市发改委 |",
                   "市商务局(市粮食和物资储备局)、市财政局", "省牵头单位:省商务厅", "牵头单位:市住建局", "", "    ", "\u3000\u3000",
                   "2024年3月1日", "责任单位", "序号", "各街道办事处、镇人民政府", "区政府各部门(单位", "x。", "甲乙丙丁 |", "  各镇街、市直各部门 ",
                   "推进" * 990 + "。", " " * 2100, "1" + "\n" * 1990]  # and lines past the 2,000 characters read above a cell


def test_unit_cells_read_as_reading_all_the_text_around_each_line_read():
    """Random one-cell-a-line tables (cells, labelled lines, dates, lines of spaces, every kind of line break): unit
    cells and the annotations they join read exactly as when each line read all the text before and after it."""
    import random

    from lpsplan.extract.annotationforms import LINE_LABEL_RE
    from lpsplan.extract.unitcells import unit_cells, with_unit_cells
    from lpsplan.records import Span

    rng = random.Random(11)
    found_cells = merged = 0
    rows = [["1", "加快建设城市大脑。", "县大数据局、县财政局"], ["推进改造。|", "市商务局、市发改委 |", "省牵头单位:省商务厅"],
            ["加快建设城市大脑。", "市商务局(市粮食和物资储备局)、市财政局", "", "牵头单位:市住建局"],
            ["1", "加快建设城市大脑。", "县大数据局、县财政局", "牵头单位:市住建局"]]
    for _ in range(3000):
        parts = [p for _ in range(rng.randint(1, 8)) for p in (rng.choice(rows) if rng.random() < 0.6 else [rng.choice(UNIT_CELL_LINES)])]
        text = "".join(p + rng.choice(["\n", "\n", "\n", "\r\n", "\r", "\u2028", "\n\n", " \n"]) for p in parts)
        start = rng.randint(0, len(text) // 3)
        end = rng.randint(start, len(text))
        assert unit_cells(text, start, end) == _unit_cells_as_they_were(text, start, end), text
        labelled = [(Span(m.start(), m.end()), [], "") for m in LINE_LABEL_RE.finditer(text)]
        found = labelled + [(Span(a, a + 2), [], "") for a in rng.sample(range(len(text)), min(3, len(text)))]
        rng.shuffle(found)
        def is_label(at: int, text: str = text) -> bool:
            return LINE_LABEL_RE.match(text, at) is not None

        got = with_unit_cells(text, start, end, list(found), is_label)
        assert got == _with_unit_cells_as_it_was(text, start, end, list(found), is_label), text
        cells = unit_cells(text, start, end)
        found_cells += len(cells)
        merged += sum(any(f[0].start == c.start and f[0].end > c.end for c, _ in cells) for f in got)
    assert found_cells > 1000 and merged > 100, (found_cells, merged)  # cells are read, and joined with the labelled lines after them


class _CountedText(str):
    """A text that counts the characters its slices hold: the work of reading the text around each line."""

    read = 0

    def __getitem__(self, key):
        piece = str.__getitem__(self, key)
        _CountedText.read += len(piece)
        return piece


@pytest.mark.parametrize("row", ["1\n加快建设城市大脑。\n县大数据局、县财政局\n", "县大数据局 |\n", "    |\n"])
def test_unit_cells_of_a_long_table_read_the_text_around_each_line_once(row):
    """Thousands of one-cell-a-line rows (a unit cell after each task's cell; cells closed by |; lines of spaces closed by
    |): each line's cell read all the text before it and all after it (2,000 rows of `    |`: 4 s; 32 KB of rows: about
    half the extraction's time).  The work is counted, not timed: the characters the reading slices out of the text stay
    a few times its length."""
    from lpsplan.extract.annotationforms import LINE_LABEL_RE
    from lpsplan.extract.unitcells import with_unit_cells

    text = _CountedText("某市2023年重点工作任务分解表\n一、重点任务\n推进改造。\n" + row * 2000)
    _CountedText.read = 0
    found = with_unit_cells(text, 0, len(text), [], lambda at: LINE_LABEL_RE.match(text, at) is not None)
    assert len(found) == (2000 if "县财政局" in row else 0)
    assert _CountedText.read < 10 * len(text), _CountedText.read / len(text)


def test_the_text_around_a_unit_cell_is_what_cutting_it_into_lines_gives():
    """The readings of the text before and after a line that read only as far as they need, on random texts of
    letters, spaces, signs and every line break str.splitlines knows, against cutting the whole stretch."""
    import random

    from lpsplan.extract.text import has_words
    from lpsplan.extract.unitcells import _last_visible, _NextWordedLine, _worded_lines_above

    rng = random.Random(5)
    alphabet = ["a", "1", "甲", "。", "|", " ", "\u3000", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85",
                "\u2028", "\u2029", "\n\n", " " * 70, "-" * 200, "\n" * 130]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        at = rng.randint(0, len(text))
        stop = rng.randint(0, at)
        last = len(text[stop:at].rstrip()) - 1
        assert _last_visible(text, at, stop) == (stop + last if last >= 0 else -1), (text, at, stop)
        assert _worded_lines_above(text, at, stop) == [line for line in text[stop:at].splitlines() if has_words(line)][-2:], \
            (text, at, stop)
        end = rng.randint(0, len(text))
        following = _NextWordedLine(text, end)
        for place in sorted(rng.randint(0, end) for _ in range(6)):
            assert following.after(place) == next((line for line in text[place:end].splitlines() if has_words(line)), None), \
                (text, place, end)


def _statements_as_they_were(text, span, default_deadline):
    """targets._statements as it read before it read the text around each statement once (the reference): the last
    boundary searched back to the span's start, every 到20XX年 from the span's start, the sentence's end and a 2023年底前
    searched to the end, for each statement."""
    from lpsplan.extract import targets as t
    from lpsplan.extract.text import has_words, mention

    stated_in = -1
    for m in t.TARGET_RE.finditer(text, span.start, span.end):
        boundary = max(text.rfind(ch, span.start, m.start()) for ch in t.BOUNDARY)
        head_start = max(boundary + 1, span.start)
        head = text[head_start : m.start()]
        sentence_end = min([i for i in (text.find(ch, m.end(), span.end) for ch in "。;;\n") if i >= 0] or [span.end])
        if not (m.group("verb") or m.group("cmp") or m.group("soft") or m.group("upper")) and m.group("unit") not in ("%",):
            lead = text[max(span.start, head_start - 4): head_start]
            if not (t.commits(t.DEADLINE_RE.sub("", head), lead) or (stated_in == sentence_end and t.goes_on(head, lead))) \
                    or text[m.end(): m.end() + 1] in ("万", "亿"):
                continue
        deadline_m = list(t.DEADLINE_RE.finditer(text, span.start, m.start()))
        deadline = int(deadline_m[-1].group(1)) if deadline_m else default_deadline
        before = t.BEFORE_RE.search(text, head_start, sentence_end)
        if before and not deadline_m:
            deadline = int(before.group(1))
        head = t.DEADLINE_RE.sub("", head).lstrip(",, ")  # noqa: B005
        if not has_words(head):
            continue
        stated_in = sentence_end
        yield head.strip(), m.span(), deadline, mention(text, head_start, m.end())


TARGET_PIECES = ["到2025年", "到 2030 年", "增长12.5%", "达到", "100亿元", "以上", "左右", "2023年底前", "2023年12月前", "2024 年\n前",
                 "建设", "工作站2个", "力争", "提高到", "3—5家", "万", ",", ",", "。", ";", ":", "\n", "x", " ", "年均增长", "8%",
                 "新增企业3家", "完成", "2022年", "3\n—5家", "1\n%"]


def test_target_statements_read_as_reading_from_the_span_start_for_each():
    """Random paragraphs of targets, deadlines and boundaries: each statement's indicator, deadline and mention are the
    same as when each searched the text back to the span's start and on to its end."""
    import random

    from lpsplan.extract.targets import _statements
    from lpsplan.records import Ref, Span

    rng = random.Random(3)
    read = 0
    for _ in range(4000):
        text = "".join(rng.choice(TARGET_PIECES) for _ in range(rng.randint(1, 30)))
        start = rng.randint(0, len(text) // 4)
        span = Span(start, rng.randint(start, len(text)))
        got = [(h, m.span(), d, s) for h, m, d, s in _statements(text, Ref("objective", 1), span, 2025)]
        assert got == list(_statements_as_they_were(text, span, 2025)), text
        read += len(got)
    assert read > 2000


class _CountedPattern:
    """A pattern that counts the characters its searches are given to read."""

    def __init__(self, pattern):
        self.pattern, self.read = pattern, 0

    def finditer(self, text, pos=0, endpos=None):
        self.read += (len(text) if endpos is None else endpos) - pos
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)

    def search(self, text, pos=0, endpos=None):
        self.read += (len(text) if endpos is None else endpos) - pos
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos)

    def sub(self, repl, text):
        self.read += len(text)
        return self.pattern.sub(repl, text)


def test_a_paragraph_of_thousands_of_targets_is_read_once(monkeypatch):
    """One paragraph of thousands of numbers (增长12.5%, … and 到2025年,产值达到100亿元, …): each statement searched every
    到20XX年 from the paragraph's start and a 2023年底前 to its end (32 KB: 0.45 s, 64 KB: 2.2 s to extract).  The work
    is counted, not timed: the characters the deadline patterns are given to read stay a few times the text's length."""
    from lpsplan.extract import targets
    from lpsplan.records import Ref, Span

    for piece in ("增长12.5%,", "到2025年,产值达到100亿元,"):
        text = "(一)发展目标。" + piece * 2000 + "\n"
        deadline, before = _CountedPattern(targets.DEADLINE_RE), _CountedPattern(targets.BEFORE_RE)
        monkeypatch.setattr(targets, "DEADLINE_RE", deadline)
        monkeypatch.setattr(targets, "BEFORE_RE", before)
        found = list(targets._statements(text, Ref("objective", 1), Span(0, len(text)), 2025))
        monkeypatch.undo()
        assert len(found) == 2000 and {d for _, _, d, _ in found} == {2025}
        assert deadline.read + before.read < 5 * len(text), (deadline.read, before.read)


def test_a_place_in_a_text_is_the_line_and_column_counting_from_its_start_gives():
    """Location.in_text finds a place's line among the text's line breaks instead of counting them from the start each
    time: the same line and column as counting, at every place of random texts (and past either end)."""
    import random

    from lpsplan.errors import Location

    rng = random.Random(9)
    for _ in range(300):
        text = "".join(rng.choice(["\n", "a", "甲", "\r\n", " "]) for _ in range(rng.randint(0, 30)))
        for offset in range(-2, len(text) + 3):
            at = max(0, min(offset, len(text)))
            line, start = text.count("\n", 0, at) + 1, text.rfind("\n", 0, at) + 1
            assert Location.in_text(text, offset, "x.txt") == Location("x.txt", line, at - start + 1, at), (text, offset)


class _SearchedText(str):
    """A text that counts the characters its searches for a line break read (find, rfind, count)."""

    read = 0

    def find(self, sub, start=0, end=None):
        at = str.find(self, sub, start, end)
        _SearchedText.read += (len(self) if end is None else end) - start if at < 0 else at + 1 - start
        return at

    def rfind(self, sub, start=0, end=None):
        _SearchedText.read += (len(self) if end is None else end) - start
        return str.rfind(self, sub, start, end)

    def count(self, sub, start=0, end=None):
        _SearchedText.read += (len(self) if end is None else end) - start
        return str.count(self, sub, start, end)


def test_a_line_of_thousands_of_unclosed_annotations_is_searched_once_for_its_places():
    """Thousands of annotations left open on one line ((责任单位:市住建局 …, each a warning with its line and column):
    each warning counted the line breaks from the text's start and searched its line to its end (500,000 characters:
    24 s to extract).  The work is counted, not timed: the characters searched for line breaks stay a few times the
    text's length."""
    from lpsplan.extract.annotations import find_annotations_typed

    text = _SearchedText("某市2023年重点工作任务方案\n一、重点任务\n" + "(责任单位:市住建局" * 3000 + "\n")
    _SearchedText.read = 0
    warnings: list = []
    assert find_annotations_typed(text, 0, len(text), "x.txt", strict=False, warnings=warnings) == []
    assert len(warnings) == 3000
    assert _SearchedText.read < 5 * len(text), _SearchedText.read / len(text)


def test_a_field_after_a_long_space_run_is_looked_for_once_per_run():
    """Found in review: the pattern of a field after a space (市科技局 项目:…) was tried from every space of a run and
    scanned the rest of the run each time, quadratic in its length (20,000 spaces in one annotation: 6 s, against
    0.16 s before the pattern).  It is tried only where a run starts; what it finds is the same."""
    from lpsplan.extract.annotationforms import SPACED_FIELD_RE

    assert SPACED_FIELD_RE.match("市科技局   项目:平台", 5) is None  # from inside the run: no attempt
    assert SPACED_FIELD_RE.search("市科技局   项目:平台").start() == 4
    body = ("某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成老旧小区改造(责任单位:市住建局" + " " * 20_000
            + "项目:平台建设 完成时限:2023年底)。\n")
    plan = extract(body)
    assert units(plan) == [["市住建局"]] and plan.clauses[0].deadline == 2023


def test_a_run_of_blanks_is_cut_to_a_gap_as_the_text_is_read():
    """The readers' patterns look for a label or a unit after optional blanks at every position, so a run of n blanks
    cost them n² steps (a line of 160,000 spaces: 30 s, of the 500,000 characters a plan may hold: minutes).  A run
    longer than ``MAX_BLANK_RUN`` is cut to that length where every plan text is read; shorter runs (the real corpus
    aligns columns with up to 104) stay as they are."""
    from lpsplan.source import MAX_BLANK_RUN, decode_source, visible

    assert MAX_BLANK_RUN == 128
    assert visible("甲" + " " * 104 + "乙") == "甲" + " " * 104 + "乙"
    assert visible("甲" + " " * 1000 + "乙\n" + "\u3000\t" * 300 + "丙") == "甲" + " " * 128 + "乙\n" + "\u3000\t" * 64 + "丙"
    assert decode_source(("甲" + "\xa0" * 5000 + "乙").encode()).text == "甲" + "\xa0" * 128 + "乙"


def test_a_plan_with_a_line_of_450000_spaces_reads_as_without_it():
    """The whole reading of the mini plan with a line of 450,000 spaces after its title, in a child (an input that
    made the readers quadratic fails by the timeout instead of hanging the tests): the same clauses as without."""
    import subprocess
    import sys

    from tests.conftest import MINI_PLAN

    child = ("import sys; from pathlib import Path; from lpsplan.extract import extract_plan; "
             "from lpsplan.source import decode_source\n"
             "text = Path(sys.argv[1]).read_text(encoding='utf-8')\n"
             "padded = text.replace('\\n', '\\n' + ' ' * 450_000 + '\\n', 1)\n"
             "print(*[len(extract_plan(decode_source(t.encode(), 'x.txt'), 'x').clauses) for t in (text, padded)])")
    done = subprocess.run([sys.executable, "-c", child, str(MINI_PLAN)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    plain, padded = done.stdout.split()
    assert int(plain) > 0 and padded == plain
