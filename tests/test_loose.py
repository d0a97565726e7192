"""Responsibility annotations read where no plan structure is found (lpsplan/extract/loose.py).

The written examples are unit tests only (not real texts); the one real text is the dev split's
heilongjiang-measures, a summary page run into one line with its units in 〔…〕."""

from __future__ import annotations

from pathlib import Path

import pytest
from lpsplan.build import build_plan
from lpsplan.errors import LpsplanError
from lpsplan.extract.loose import annotations_anywhere, loose_start
from lpsplan.extract.text import lines
from lpsplan.inputs import read_plan_input
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"

# written for the test: a notice, then the plan run into one line (no line starts with 一、 or 1.)
ONE_LINE = (
    "滕州市人民政府办公室关于印发滕州市促进消费若干措施的通知\n"
    "各镇人民政府、街道办事处,市政府各部门:\n"
    "现将《滕州市促进消费若干措施》印发给你们,请认真贯彻执行。\n"
    "滕州市促进消费若干措施一、扩大消费 1.发放消费券。全年发放消费券5000万元。[责任单位:市商务局、市财政局]"
    "2.支持汽车消费,开展以旧换新。(市商务局牵头,各镇街配合)3.举办消费季活动(市文化和旅游局、市商务局)。"
    "二、保障措施 加强组织领导。\n"
)


def build(settings, text: str, name: str = "loose", strict: bool = False, **options):
    return build_plan(settings, source=SourceText(f"{name}.txt", text, "0" * 64), slug=name, jurisdiction=None, strict=strict,
                      **options)


def read(b):
    return [([u.written for u in c.units], [u.role for u in c.units], c.container.kind) for c in b.plan.clauses]


def test_a_plan_run_into_one_line_is_read_annotation_by_annotation(settings):
    b = build(settings, ONE_LINE)
    assert b.plan.title.text == "滕州市促进消费若干措施"
    assert read(b) == [
        (["市商务局", "市财政局"], ["unspecified", "unspecified"], "task"),
        (["市商务局", "各镇街"], ["lead", "support"], "task"),
        (["市文化和旅游局", "市商务局"], ["unspecified", "unspecified"], "task"),
    ]
    # each task is the text the annotation closes, from its number on
    assert [t.title.text for t in b.plan.tasks] == ["发放消费券", "支持汽车消费,开展以旧换新", "举办消费季活动"]
    assert any("no plan structure found: each responsibility annotation is read" in w.message for w in b.warnings)


def test_a_later_page_of_unnumbered_tasks_with_a_title_given(settings):
    """Written for the test: a page starting inside a list whose numbers the page lost, labelled lines and a bare list."""
    text = ("推进老旧小区改造,完成改造小区30个。\n牵头单位:区住建局\n配合单位:各街道办事处\n"
            "加快背街小巷整治,年底前完成12条。(区城管局、区住建局)\n")
    with pytest.raises(LpsplanError, match="--title"):
        build(settings, text, strict=True)
    assert build(settings, text).plan.title.text == "loose"  # lenient: read under its id, with a warning
    b = build(settings, text, title="城区品质提升行动方案")
    assert read(b) == [
        (["区住建局", "各街道办事处"], ["lead", "support"], "task"),
        (["区城管局", "区住建局"], ["unspecified", "unspecified"], "task"),
    ]
    assert [t.title.text for t in b.plan.tasks] == ["推进老旧小区改造,完成改造小区30个", "加快背街小巷整治,年底前完成12条"]


def test_brackets_that_name_no_unit_make_no_annotation(settings):
    """Written for the test: (此件公开发布), (GDP), (试行) and a document number are no annotations; with
    neither structure nor annotations the text is refused as before."""
    text = "某县关于做好统计工作的通知\n各乡镇:\n地区生产总值(GDP)核算按规定执行(试行)。\n请遵照执行(县政办〔2023〕5号)。\n(此件公开发布)\n"
    assert annotations_anywhere(text, 0, len(text)) == []
    assert loose_start(text, list(lines(text))) is None
    with pytest.raises(LpsplanError, match="no plan structure found: expected section headings"):
        build(settings, text)


def test_units_in_square_brackets_closing_an_item_run_into_one_line(settings):
    """The dev split's heilongjiang-measures: a summary page, one line, each measure closed by 〔units〕
    with the next measure's number right after it (…,〔省科技厅〕三、鼓励…)."""
    source = read_plan_input(REAL / "heilongjiang-measures.txt").source
    b = build_plan(settings, source=source, slug="heilongjiang-measures", jurisdiction=None, strict=False, title="黑龙江省科技创新若干措施")
    assert [([u.written for u in c.units]) for c in b.plan.clauses] == [["省科技厅"], ["省科技厅", "省财政厅", "省审计厅", "省知识产权局"]]
    # the brackets that lost their openings (…政府(行署)〕) stay unread
    assert len(b.plan.clauses) == 2


def test_a_role_word_followed_by_the_verb_of_carrying_it_out():
    """Written for the test: (X牵头负责), (X牵头实施,Y配合落实) — the form the dev split's
    guangdong-private-investment-2023 shows in a rewriting site's words (牵头卖力: read since the tenth round,
    which reads any short verb after a role word with it)."""
    from lpsplan.extract.unlabelled import _unlabelled_units

    def units(t):
        return [(u.written, u.role) for u in _unlabelled_units(t, 1, len(t) - 1) or []]

    assert units("(市发改委牵头负责)") == [("市发改委", "lead")]
    assert units("(省发展改革委牵头实施,省财政厅配合落实)") == [("省发展改革委", "lead"), ("省财政厅", "support")]
    assert units("(市发改委、市财政局等按职责分工负责)") == [("市发改委", "unspecified"), ("市财政局", "unspecified")]
    assert units("(省生长改造委牵头卖力)") == [("省生长改造委", "lead")]  # a rewriting tool's word after the role word


def test_a_quantity_opening_a_loose_task_is_no_item_number(settings):
    # 500个… starts with a quantity (a code review's finding); 1. and a number before a space are markers
    b = build(settings, "某市2023年重点工作方案\n500个老旧小区完成改造(市住建局牵头)。2.新建公园3个(市林业局牵头)。\n3 建成绿道(市林业局牵头)。\n")
    assert [t.title.text for t in b.plan.tasks] == ["500个老旧小区完成改造", "新建公园3个", "建成绿道"]
