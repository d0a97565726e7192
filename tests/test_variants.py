"""Genre variants of responsibility annotations, on a plan written for the test
(tests/data/plans/variants.txt), each with its expected clauses, units and roles."""

from __future__ import annotations

from pathlib import Path

from lpsplan.extract import extract_plan
from lpsplan.source import read_source

VARIANTS = Path(__file__).parent / "data" / "plans" / "variants.txt"

EXPECTED = [
    # clause, text, units with roles, deadline
    ("task-01-1", "支持企业建设研发中心", [("市工业和信息化局", "lead"), ("市科技局", "lead"), ("市财政局", "support")], None),
    ("task-01-2", "开展首台套推广应用", [("市科技局", "lead"), ("市发展改革委", "support")], None),
    ("task-02-1", "建设一批中试基地,完善服务体系。", [("市科技局", "lead"), ("市工业和信息化局", "support"), ("市财政局", "support")], 2025),
    ("task-03-1", "推动工业互联网平台建设", [("市大数据局", "unspecified")], None),
]


def test_variants_become_the_expected_clauses():
    plan = extract_plan(read_source(VARIANTS), "variants")
    got = [(c.key, c.text.text, [(u.written, u.role) for u in c.units], c.deadline) for c in plan.clauses]
    assert got == EXPECTED


def test_traps_are_not_units():
    plan = extract_plan(read_source(VARIANTS), "variants")
    written = {u.written for c in plan.clauses for u in c.units}
    assert not written & {"GDP", "〔2023〕30号", "一", "二"}


def test_labelled_roles_and_deadline_reach_the_graph(settings, tmp_path):
    from lpsplan.build import build_plan
    from rdflib import Literal
    from rdflib.namespace import XSD
    from lpsplan.vocab import LPS

    result = build_plan(settings, source_path=VARIANTS, slug="variants", jurisdiction="moushi")
    g = result.graph
    assert result.report.conforms
    roles = {str(o).rsplit("#", 1)[1] for o in g.objects(None, LPS.role)}
    assert roles == {"lead", "support", "unspecified"}
    assert (None, LPS.deadline, Literal("2025", datatype=XSD.gYear)) in g
