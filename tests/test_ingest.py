"""Many plans in one store: ingest into named graphs, atomically; GBK and HTML input;
questions across plans.  (The genre variants of the many-plans work are not all
handled yet: docs/plans.md.)"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from lpsplan.errors import LpsplanError
from lpsplan.ingest import ingest_plan, list_plans, remove_plan
from lpsplan.queries import Catalogue
from lpsplan.sparql.local import LocalBackend
from lpsplan.sparql.open import load_embedded_store

from cli import run_cli

PLANS = Path(__file__).parent / "data" / "plans"
ENERGY = PLANS / "liupanshui-energy.txt"
# the pilot plan's graph: its triples (sorted N-Triples, whatever writes the Turtle) and its plan.ttl bytes
FOUNDATION_TRIPLES_SHA256 = "3f00389e0667e8df2c38cecf4f45c8bcb7e3cfc3b08a36a29357c59c6c01a131"
FOUNDATION_SHA256 = "fa4a295dddbb7fff12e398900c8e93609c20c7c97599158077f2c35aaf9d69e7"


@pytest.fixture()
def env(settings, built, tmp_path):
    from lpsplan.build import write_graph

    s = settings.with_(build_dir=tmp_path / "build")
    write_graph(built.graph, s.plan_graph_file)
    return s


def select(settings):
    store, _ = load_embedded_store(settings)
    return LocalBackend(store).select


def ask(settings, name, **params):
    q = Catalogue.load(settings.paths.queries).get(name).render(params)
    return select(settings)(q)


def test_the_foundation_graph_is_byte_identical(built):
    from lpsplan.build import serialize, to_ntriples

    lines = sorted(set(to_ntriples(built.graph).decode().splitlines()))
    assert hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest() == FOUNDATION_TRIPLES_SHA256
    assert hashlib.sha256(serialize(built.graph)).hexdigest() == FOUNDATION_SHA256


@pytest.mark.slow
def test_ingest_into_its_own_graph_and_list(env):
    report = ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    assert report.graph == "https://w3id.org/lpsplan/id/liupanshui-energy-2024-2025/graph" and not report.replaced
    roles = {(u.written, u.role) for c in report.build.plan.clauses for u in c.units}
    assert ("市能源局", "lead") in roles and ("市科技局", "support") in roles
    plans = {p["title"]: p for p in list_plans(select(env))}
    assert set(plans) == {"六盘水市科技创新三年行动计划", "六盘水市能源产业科技创新工作方案"}
    assert plans["六盘水市能源产业科技创新工作方案"]["graph"] == report.graph
    assert plans["六盘水市科技创新三年行动计划"]["graph"] == "(default graph)" and plans["六盘水市科技创新三年行动计划"]["clauses"] == 48


@pytest.mark.slow
def test_reingest_is_idempotent(env):
    from lpsplan.build import serialize

    first = ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    stored = sorted(env.snapshot_file.read_bytes().splitlines())
    again = ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    assert again.replaced and serialize(again.build.graph) == serialize(first.build.graph)  # same IRIs, same bytes
    assert sorted(env.snapshot_file.read_bytes().splitlines()) == stored  # the store holds the same quads


@pytest.mark.slow
def test_broken_plan_leaves_the_store_as_it_was(env, tmp_path):
    ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    before = env.snapshot_file.read_bytes()
    broken = tmp_path / "broken.txt"
    broken.write_text(ENERGY.read_text(encoding="utf-8").replace("(责任单位:市能源局", "(责任单位:市能源局〔"), encoding="utf-8")
    with pytest.raises(LpsplanError, match="unbalanced bracket"):
        ingest_plan(env, broken, "broken-plan", strict=True)
    nothing = tmp_path / "poem.txt"
    nothing.write_text("床前明月光\n", encoding="utf-8")
    with pytest.raises(LpsplanError, match="no plan structure"):
        ingest_plan(env, nothing, "poem")
    assert env.snapshot_file.read_bytes() == before


@pytest.mark.slow
def test_a_damaged_annotation_is_a_warning_and_the_rest_is_read(env, tmp_path):
    """Lenient by default: the one broken annotation is reported with file:line:column, the others are read."""
    text = ENERGY.read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(text.replace("(责任单位:市能源局", "(责任单位:市能源局〔", 1), encoding="utf-8")
    whole = ingest_plan(env, ENERGY, "energy-whole")
    report = ingest_plan(env, broken, "energy-broken")
    line = 1 + text[: text.index("(责任单位:市能源局")].count("\n")
    assert len(report.build.plan.clauses) == len(whole.build.plan.clauses) - 1
    assert re.search(rf"warning: damaged annotation, not read: unbalanced bracket.*broken\.txt:{line}:\d+", report.describe())


@pytest.mark.slow
def test_gbk_and_html_input_give_the_same_clauses(env, tmp_path):
    gbk = tmp_path / "energy-gbk.txt"
    gbk.write_bytes(ENERGY.read_text(encoding="utf-8").encode("gb18030"))
    html = tmp_path / "energy.html"
    body = "".join(f"<p>{line}</p>" for line in ENERGY.read_text(encoding="utf-8").splitlines())
    html.write_text(
        "<html><head><meta charset='utf-8'><title>六盘水市人民政府</title><script>var x=1;</script></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/zw'>政务公开</a><a href='/jd'>政策解读</a></div>"
        f"<div class='article'>{body}</div>"
        "<div class='footer'>版权所有:六盘水市人民政府办公室 网站标识码</div></body></html>", encoding="utf-8")
    plain = ingest_plan(env, ENERGY, "energy-plain")
    from_gbk = ingest_plan(env, gbk, "energy-gbk")
    from_html = ingest_plan(env, html, "energy-html")
    assert from_gbk.input.encoding == "gb18030" and from_html.input.format == "text/html"
    key = lambda r: [(c.key, c.text.text, [u.written for u in c.units]) for c in r.build.plan.clauses]
    assert key(from_gbk) == key(plain) == key(from_html)
    assert "首页" not in from_html.input.source.text and "版权所有" not in from_html.input.source.text


@pytest.mark.slow
def test_overrides_and_unknown_jurisdiction(env, tmp_path):
    untitled = tmp_path / "untitled.txt"
    untitled.write_text("\n".join(ENERGY.read_text(encoding="utf-8").splitlines()[2:]), encoding="utf-8")
    with pytest.raises(LpsplanError, match="no plan title"):
        ingest_plan(env, untitled, "untitled", strict=True)
    report = ingest_plan(env, untitled, "untitled", title="某市能源工作方案", period=(2024, 2025), issuer="某市人民政府办公室",
                         jurisdiction="moushi")
    assert report.build.plan.title.text == "某市能源工作方案" and report.build.plan.period == (2024, 2025)
    assert set(report.build.unregistered) >= {"市能源局", "市科技局"}  # another city's bureaus: created, flagged


@pytest.mark.slow
def test_remove(env):
    ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    remove_plan(env, "liupanshui-energy-2024-2025")
    assert len(list_plans(select(env))) == 1
    with pytest.raises(LpsplanError, match="no ingested plan"):
        remove_plan(env, "liupanshui-energy-2024-2025")


@pytest.mark.slow
def test_questions_across_three_plans(env, tmp_path):
    from conftest import MINI_PLAN, MINI_REGISTRY

    ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    registry = env.paths.root / "data" / "registry"
    home = tmp_path / "home"
    shutil.copytree(env.paths.root / "ontology", home / "ontology")
    shutil.copytree(registry, home / "data" / "registry")
    shutil.copy(MINI_REGISTRY, home / "data" / "registry" / "units-shili.yaml")
    shutil.copytree(env.paths.root / "queries", home / "queries")
    from lpsplan.config import project_paths

    env2 = env.with_(paths=project_paths(home))
    ingest_plan(env2, MINI_PLAN, "shili-digital-2024-2026", jurisdiction="shili")
    assert len(list_plans(select(env2))) == 3
    units = {r["unit"]: r for r in ask(env2, "units-across-plans")}
    assert units["六盘水市能源局"]["plans"] == 2 and units["六盘水市科学技术局"]["plans"] == 2
    assert "示例市科学技术局" not in units  # same written form, another city: another organisation
    cbm = {r["planTitle"]: r["clauses"] for r in ask(env2, "plans-mentioning", keyword="煤层气")}
    assert cbm == {"六盘水市科技创新三年行动计划": 2, "六盘水市能源产业科技创新工作方案": 1}
    five_g = {r["planTitle"] for r in ask(env2, "plans-mentioning", keyword="5G")}
    assert five_g == {"六盘水市科技创新三年行动计划", "示例市数字经济三年行动计划"}
    sci = {r["planTitle"]: r["clauses"] for r in ask(env2, "unit-plans", unit="市科技局")}
    assert sci == {"六盘水市科技创新三年行动计划": 42, "六盘水市能源产业科技创新工作方案": 2}  # not 示例市's 市科技局
    shared = {(r["kind"], r["label"]): r["plans"] for r in ask(env2, "shared-domains")}
    assert shared[("technology", "5G")] == 2  # named by the Liupanshui plan and the 示例市 plan
    rd = ask(env2, "targets-by-indicator", keyword="电子信息企业")
    assert [(r["planTitle"], r["value"], r["unit"]) for r in rd] == [("示例市数字经济三年行动计划", 30, "家")]
    rd = ask(env2, "targets-by-indicator", keyword="R&D")
    assert {r["planTitle"] for r in rd} == {"六盘水市科技创新三年行动计划"} and len(rd) == 2


@pytest.mark.slow
def test_audit_lists_every_bracket(env, tmp_path):
    report = ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    verdicts = [v for _, _, v in report.audit]
    assert verdicts.count("annotation") == 3 and verdicts.count("other") == 6 and "NOT USED" not in verdicts
    lines = ingest_plan(env, PLANS / "variants.txt", "variants", jurisdiction="moushi").audit
    assert [(t, v) for _, t, v in lines if t.startswith(("牵头单位", "配合单位", "完成时限"))] == [
        ("牵头单位:市科技局", "annotation"), ("配合单位:市工业和信息化局、市财政局", "annotation"), ("完成时限:2025年12月底", "annotation")]
    assert "annotation   (市能源局、市工业和信息化局牵头,市科技局按职责分工负责)" in report.describe()
    # the same labelled lines with full-width colons, as government sites publish them, are listed the same way
    wide = tmp_path / "variants-wide.txt"
    wide.write_text((PLANS / "variants.txt").read_text(encoding="utf-8").replace(":", "\uff1a"), encoding="utf-8")
    lines = ingest_plan(env, wide, "variants-wide", jurisdiction="moushi").audit
    assert [(t, v) for _, t, v in lines if t.startswith(("牵头单位", "配合单位", "完成时限"))] == [
        ("牵头单位\uff1a市科技局", "annotation"), ("配合单位\uff1a市工业和信息化局、市财政局", "annotation"),
        ("完成时限\uff1a2025年12月底", "annotation")]


def test_audit_flags_what_looks_like_a_missed_annotation(env, tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text(ENERGY.read_text(encoding="utf-8").replace("建立工作调度机制。", "建立工作调度机制(具体由各县区负责实施)。"), encoding="utf-8")
    report = ingest_plan(env, odd, "odd-plan")
    assert [t for _, t, v in report.audit if v == "NOT USED"] == ["具体由各县区负责实施"]


@pytest.mark.slow
def test_docx_with_a_task_table(env, tmp_path):
    from docx import Document

    doc = Document()
    for line in ["某市科技创新重点任务分工方案", "(2024—2025年)", "为落实重点任务,制定本方案。", "一、任务分工"]:
        doc.add_paragraph(line)
    table = doc.add_table(rows=3, cols=5)
    for r, row in enumerate([["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
                             ["1", "建设科技创新平台", "市科技局", "市发展改革委、市财政局", "2024年12月"],
                             ["2", "培育高新技术企业", "市科技局", "市工业和信息化局", "2025年6月"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in ["二、保障措施", "(一)加强督促检查。定期通报进展。"]:
        doc.add_paragraph(line)
    path = tmp_path / "plan.docx"
    doc.save(path)
    report = ingest_plan(env, path, "docx-plan")
    assert report.input.format.endswith("document")
    assert [(c.text.text, [u.written for u in c.units], c.deadline) for c in report.build.plan.clauses] == [
        ("建设科技创新平台", ["市科技局", "市发展改革委", "市财政局"], 2024), ("培育高新技术企业", ["市科技局", "市工业和信息化局"], 2025)]


@pytest.mark.slow
def test_pdf_text_layer_with_wrapped_lines(env, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    y = 800
    for line in ENERGY.read_text(encoding="utf-8").splitlines():
        for i in range(0, len(line), 32):  # the page layout wraps long lines
            c.drawString(30, y, line[i:i + 32])
            y -= 16
    c.save()
    plain = ingest_plan(env, ENERGY, "energy-plain")
    from_pdf = ingest_plan(env, path, "energy-pdf")
    key = lambda r: [(c.key, [u.written for u in c.units]) for c in r.build.plan.clauses]
    assert from_pdf.input.format == "application/pdf" and key(from_pdf) == key(plain)
    blank = tmp_path / "scan.pdf"
    canvas.Canvas(str(blank)).save()
    with pytest.raises(LpsplanError, match="no text layer"):
        ingest_plan(env, blank, "scan")


@pytest.mark.slow
def test_networks_filter_by_plan(env):
    from lpsplan.network import PlanNetwork

    ingest_plan(env, ENERGY, "liupanshui-energy-2024-2025")
    net = PlanNetwork.load(select(env))
    assert len(net.plans()) == 2
    energy = net.coownership(plan="liupanshui-energy-2024-2025")
    assert {d["label_zh"] for _, d in energy.nodes(data=True)} == {
        "六盘水市能源局", "六盘水市科学技术局", "六盘水市工业和信息化局", "六盘水市发展和改革委员会", "各市(特区、区)人民政府"}
    seed = net.coownership(plan="https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023")
    assert seed.number_of_nodes() == 29 and seed.number_of_edges() == 238
    assert net.coownership(plan="liupanshui-energy-2024-2025,liupanshui-sti-2021-2023").number_of_nodes() == 29
    both = net.metrics()
    assert both[0]["label_zh"] == "六盘水市科学技术局" and both[0]["clauses"] == 42 + 2  # the same bureau in both plans


@pytest.mark.slow
def test_several_files_in_one_batch(env, tmp_path):
    import os

    a, b = tmp_path / "energy-a.txt", tmp_path / "Energy_B.txt"
    shutil.copy(ENERGY, a)
    shutil.copy(ENERGY, b)
    out = run_cli("ingest", a, b, env={**os.environ, "LPSPLAN_BUILD_DIR": str(env.build_dir)})
    assert out.returncode == 0, out.stderr
    rows = {line.split()[1]: line.split() for line in out.stdout.splitlines()[1:-1]}  # the per-document summary table
    assert rows["energy-a"][4] == rows["energy-b"][4] == "3" and rows["energy-a"][3] == "2024—2025"
    assert "ingesting" in out.stderr  # the progress bar
    assert {p["graph"].rsplit("/", 2)[-2] for p in list_plans(select(env)) if p["graph"] != "(default graph)"} == {"energy-a", "energy-b"}
    bad = run_cli("ingest", a, b, "--id", "x", env={**os.environ, "LPSPLAN_BUILD_DIR": str(env.build_dir)})
    assert bad.returncode == 2 and "--id" in bad.stderr


@pytest.mark.slow
def test_a_task_table_in_a_web_page(env, tmp_path):
    """A task-breakdown table as an HTML <table>: each numbered row is a task with its units and deadline."""
    page = tmp_path / "table.html"
    rows = "".join(f"<tr><td>{n}</td><td>{task}</td><td>{lead}</td><td>{support}</td><td>{when}</td></tr>" for n, task, lead, support, when in [
        (1, "建设科技创新平台", "市科技局", "市发展改革委、市财政局", "2024年12月"),
        (2, "培育高新技术企业", "市科技局", "市税务局", "2025年6月")])
    page.write_text("<html><body><div class='content'><p>某市科技创新重点任务分工方案</p><p>(2024—2025年)</p>"
                    "<p>为落实科技创新重点任务,制定本方案。</p><p>一、任务分工</p><table>"
                    "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>"
                    f"{rows}</table></div></body></html>", encoding="utf-8")
    plan = ingest_plan(env, page, "table-html", jurisdiction="moushi").build.plan
    assert [(c.text.text, [(u.written, u.role) for u in c.units], c.deadline) for c in plan.clauses] == [
        ("建设科技创新平台", [("市科技局", "lead"), ("市发展改革委", "support"), ("市财政局", "support")], 2024),
        ("培育高新技术企业", [("市科技局", "lead"), ("市税务局", "support")], 2025)]
