"""Damaged input on real text: each readable dev document of tests/data/real, cut at several points
(an excerpt that stops mid-annotation, mid-sentence or mid-table), with a garbled line put between two of
its lines, or inside the remnants of an HTML page — is read, never crashes, keeps every annotation it still
holds whole, and says where the damage is (file:line:column).  A text with no plan in it keeps its one-line
refusal.  The cut points are drawn with a fixed seed, so a failure names the same cut every run."""

import random
import re
from pathlib import Path

import pytest
import yaml
from lpsplan.build import build_plan
from lpsplan.errors import LpsplanError
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input

REAL = Path(__file__).parent / "data" / "real"
GARBLED = "?。ǘ┲锟斤拷锟斤拷�� 鍥藉姟闄㈠姙鍏 ��"
HTML_HEAD = ('<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>\n<script type="text/javascript">'
             'var _hmt = _hmt || [];</script>\n<ul class="menu"><li>机构概况</li><li>政策文件</li></ul>\n')
HTML_TAIL = '\n</p></div><div class="footer">版权所有 主办单位 网站标识码 ICP备案号</div>\n<script>document.write("")</script>\n'


def _manifest():
    return yaml.safe_load((REAL / "manifest.yaml").read_text(encoding="utf-8"))["documents"]


def _dev_documents():
    gold = yaml.safe_load((REAL / "gold.yaml").read_text(encoding="utf-8"))
    return [d["id"] for d in _manifest() if d["split"] == "dev" and gold.get(d["id"], {}).get("expect", "plan") == "plan"]


# tables whose cells run over lines (one cell a line, a unit cell over several lines; the manifest's notes say so):
# there a line put between two rows is read as one more cell, or as more of the row above
CELLS_OVER_LINES = {d["id"] for d in _manifest() if re.search(r"one cell a line|cell over", d.get("note", ""))}


def _build(settings, path: Path):
    return build_plan(settings, source=page_cleaned(read_plan_input(path)).source, slug="damaged", jurisdiction=None,
                      strict=False)


def _annotations(build):
    """(where the annotation ends, its units and roles) for each annotation read, once (not the inherited copies)."""
    return {(c.annotation.span.end, tuple((u.written, u.role) for u in c.units))
            for c in build.plan.clauses if not c.inherited_from}


@pytest.fixture(scope="module")
def readable(settings):
    """Each dev plan that reads whole, with its cleaned text and what it reads."""
    out = {}
    for name in _dev_documents():
        source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
        try:
            b = build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False)
        except LpsplanError:
            continue
        out[name] = (source.text, b)
    assert len(out) >= 40
    return out


def test_an_excerpt_cut_anywhere_after_its_first_annotation_is_read_with_the_annotations_before_the_cut(settings, readable, tmp_path):
    rng = random.Random(14)
    cuts = 0
    for name, (text, whole) in sorted(readable.items()):
        read = _annotations(whole)
        if not read:
            continue
        first_end = min(end for end, _ in read)
        clauses = sorted((c for c in whole.plan.clauses if not c.inherited_from), key=lambda c: c.text.span.start)
        ordered = [(c.annotation.span.end, tuple((u.written, u.role) for u in c.units)) for c in clauses]
        starts = [c.text.span.start for c in clauses]
        for at in sorted(rng.sample(range(first_end, len(text)), min(3, len(text) - first_end))):
            cut = tmp_path / f"{name}-{at}.txt"
            cut.write_text(text[:at], encoding="utf-8")
            b = _build(settings, cut)  # never refused: the title, the structure and one annotation are whole
            got = _annotations(b)
            # an annotation is whole at the cut when the next task starts before it (a table's row is then whole too)
            before = {a for a, nxt in zip(ordered, starts[1:], strict=False) if nxt < at}
            assert before <= got, (name, at, sorted(before - got))
            cuts += 1
    assert cuts >= 50


def test_a_cut_inside_an_annotation_is_a_warning_with_its_place(settings, readable, tmp_path):
    """An excerpt that stops inside a bracket: the damaged annotation is named with file:line:column, the rest is read."""
    checked = 0
    for name, (text, whole) in sorted(readable.items()):
        bracketed = [c for c in whole.plan.clauses if not c.inherited_from and text[c.annotation.span.start] in "(("]
        if len(bracketed) < 2:
            continue
        last = bracketed[-1].annotation.span
        at = (last.start + last.end) // 2
        cut = tmp_path / f"{name}-inside.txt"
        cut.write_text(text[:at], encoding="utf-8")
        b = _build(settings, cut)
        assert any(w.message.startswith("damaged") for w in b.warnings), name
        line = text[:last.start].count("\n") + 1
        assert re.search(rf"{re.escape(cut.name)}:{line}:\d+", b.describe()), name
        assert _annotations(b) >= {a for a in _annotations(whole) if a[0] <= bracketed[-2].annotation.span.end}
        checked += 1
    assert checked >= 5


def test_a_garbled_line_between_two_tasks_changes_nothing_else(settings, readable, tmp_path):
    """Not tried in a table whose cells run over lines: a garbled line there is one more cell, or more of the row above."""
    rng = random.Random(1414)
    checked = 0
    for name, (text, whole) in sorted(readable.items()):
        read = _annotations(whole)
        # between two tasks: at the start of the line a task after the first one starts on
        starts = sorted({text.rfind("\n", 0, c.text.span.start) + 1 for c in whole.plan.clauses if not c.inherited_from})[1:]
        if not read or not starts or name in CELLS_OVER_LINES:
            continue
        for at in rng.sample(starts, min(2, len(starts))):
            damaged = tmp_path / f"{name}-garbled-{at}.txt"
            damaged.write_text(text[:at] + GARBLED + "\n" + text[at:], encoding="utf-8")
            b = _build(settings, damaged)
            shift = len(GARBLED) + 1
            moved = {(end + shift if end > at else end, units) for end, units in read}
            assert moved <= _annotations(b), (name, at)
            checked += 1
    assert checked >= 15


def test_html_remnants_around_a_plan_leave_its_annotations(settings, readable, tmp_path):
    checked = 0
    for name, (text, whole) in sorted(readable.items()):
        read = {units for _, units in _annotations(whole)}
        if not read:
            continue
        page = tmp_path / f"{name}-html.txt"
        page.write_text(HTML_HEAD + text + HTML_TAIL, encoding="utf-8")
        b = _build(settings, page)
        assert read <= {units for _, units in _annotations(b)}, name
        if whole.plan.title.text != name:  # a text that states no title is read under the slug it is given
            assert b.plan.title.text == whole.plan.title.text, name
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("text", [HTML_HEAD + HTML_TAIL, GARBLED + "\n" + GARBLED + "\n", HTML_HEAD + GARBLED + HTML_TAIL])
def test_a_text_with_no_plan_in_it_keeps_its_one_line_refusal(settings, tmp_path, text):
    page = tmp_path / "remnants.txt"
    page.write_text(text, encoding="utf-8")
    with pytest.raises(LpsplanError) as err:
        _build(settings, page)
    message = str(err.value)
    assert "\n" not in message.strip() and "remnants.txt" in message and "Traceback" not in message


def test_what_the_page_left_as_html_is_read_as_the_page_meant_it():
    """Written examples: scripts and comments go, a menu of short links goes whole, a list whose items are
    sentences stays (as lines), a table's cells become the tabs a task table is read by."""
    from lpsplan.extract.pages import without_page_marks

    text, notes = without_page_marks('<!-- top --><script>var a = "一、总体要求";</script><nav><a>首页</a></nav>'
                                     '<ul><li>机构概况</li><li>政策文件</li></ul>'
                                     '<ul><li>一、建设创新平台,到2025年建成10个。</li><li>二、培育创新主体。</li></ul>'
                                     '<table><tr><td>1</td><td>建设平台</td><td>市科技局</td></tr></table>')
    assert "var a" not in text and "top" not in text and "机构概况" not in text and "首页" not in text
    assert "一、建设创新平台,到2025年建成10个。\n二、培育创新主体。" in text
    assert "1\t建设平台\t市科技局" in text
    assert len(notes) == 4


def test_a_bracket_the_text_ends_inside_is_named():
    from lpsplan.extract import cut_at_the_end

    text = "一、任务\n1.建设平台。(市科技局、市财政"
    assert cut_at_the_end(text).start == text.index("(市科技局")
    assert cut_at_the_end("一、任务\n1.建设平台。(市科技局)\n") is None
    assert cut_at_the_end("一、任务\n(") is None  # a lone bracket holds nothing to lose
