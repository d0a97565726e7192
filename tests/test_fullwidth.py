"""Plans as government sites publish them write their punctuation full-width (（牵头单位：市科技局；…）), and files
saved on Windows end their lines with CR LF.  The texts of tests/data/real are stored half-width with LF, so every
dev document is read here again full-width and with CR LF: the extractor must read the same units, roles, titles and
periods.  (Lines indented with no-break spaces, as text copied from a web page is, read the same in 80 of the 83 dev
documents; the three others also carry a page's garbled indentation, `??`, which that rule reads only at a line's start.)"""

from pathlib import Path

import pytest
import yaml
from lpsplan.errors import LpsplanError
from lpsplan.extract import extract_plan
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.source import SourceText

REAL = Path(__file__).parent / "data" / "real"
FULL = {ord(c): ord(c) + 0xFEE0 for c in "(),:;!?"}
HALF = {v: k for k, v in FULL.items()}


def _dev_ids():
    return [d["id"] for d in yaml.safe_load((REAL / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
            if d["split"] == "dev"]


def _read(source: SourceText, text: str):
    try:
        plan = extract_plan(SourceText(source.path, text, source.sha256), "doc", strict=False)
    except LpsplanError as exc:
        return str(exc).translate(HALF)
    return (plan.title.text.translate(HALF), plan.period,
            [[(u.written.translate(HALF), u.role) for u in c.units] for c in plan.clauses])


@pytest.mark.parametrize("name", _dev_ids())
def test_a_dev_document_reads_the_same_with_full_width_punctuation(name):
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    assert _read(source, source.text.translate(FULL)) == _read(source, source.text)


@pytest.mark.parametrize("name", _dev_ids())
def test_a_dev_document_reads_the_same_with_windows_line_ends(name):
    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    assert _read(source, source.text.replace("\n", "\r\n")) == _read(source, source.text)


def test_lines_indented_with_no_break_spaces_read_as_plain_ones():
    text = "\xa0\xa0某市科技创新三年行动计划(2021—2023年)\n\xa0\xa0一、总体要求\n\xa0\xa0(一)建设平台。(牵头单位:市科技局)\n"
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False)
    assert plan.title.text == "某市科技创新三年行动计划" and [u.written for c in plan.clauses for u in c.units] == ["市科技局"]


def test_the_records_keep_the_text_as_written():
    text = "某市科技创新三年行动计划（2021—2023年）\n一、总体要求\n（一）建设平台。（牵头单位：市科技局；配合单位：市财政局）\n"
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), "x", strict=False)
    assert plan.title.text == "某市科技创新三年行动计划" and plan.period == (2021, 2023)  # the period read apart, as half-width
    (clause,) = plan.clauses
    assert clause.annotation.text == "（牵头单位：市科技局；配合单位：市财政局）"
    assert [(u.written, u.role) for u in clause.units] == [("市科技局", "lead"), ("市财政局", "support")]


def test_a_title_given_for_a_text_in_traditional_characters_is_kept():
    # the records of a traditional text are restored from its spans; a title given is no span of it
    text = "一、總體要求\n(一)建設平臺。(牽頭單位:市科技局)\n"
    plan = extract_plan(SourceText("x.txt", text, "0" * 64), "x", title="某市科技工作方案", strict=False)
    assert plan.title.text == "某市科技工作方案"
    assert [u.written for c in plan.clauses for u in c.units] == ["市科技局"]


@pytest.mark.parametrize("name", ["guangdong-private-investment-2023", "xuhui-11th-plan-division-p4", "dongguan-employment-opinions"])
def test_a_full_width_plan_builds_a_conforming_graph_with_the_same_units(settings, name):
    from lpsplan.build import build_plan

    source = page_cleaned(read_plan_input(REAL / f"{name}.txt")).source
    half = build_plan(settings, source=source, slug=name, jurisdiction=None, strict=False)
    full = build_plan(settings, source=SourceText(source.path, source.text.translate(FULL), source.sha256), slug=name,
                      jurisdiction=None, strict=False)
    assert full.report.conforms
    assert sorted(u.translate(HALF) for u in full.unregistered) == sorted(half.unregistered)
    assert len(full.graph) == len(half.graph)


def test_the_whole_corpus_made_full_width_scores_as_stored(tmp_path):
    """Every document of both splits, through ingest's whole path (page marks, pinyin glosses, the shapes), made
    full-width: the same totals as the stored half-width texts."""
    import shutil

    from lpsplan.plan_eval import evaluate, totals

    folder = tmp_path / "real"
    shutil.copytree(REAL, folder)
    for path in folder.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8").translate(FULL), encoding="utf-8")
    for split in ("dev", "test"):
        assert totals(evaluate(folder, split)) == totals(evaluate(REAL, split))
