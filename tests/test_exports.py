"""Exports: every named question as XLSX and CSV-for-Excel from the API with the same
rows as its JSON answer; the CLI writes what the output's extension names, refuses a
contradicting --format, and writes nothing then."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from cli import run_cli
from server import lpsplan_server

QUESTIONS = sorted(p.stem for p in (Path(__file__).parent.parent / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def served(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("exports")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_WORKERS="1") as base:
        yield base, build_dir


def sheet_rows(data: bytes) -> list[list[str]]:
    ws = load_workbook(io.BytesIO(data)).active
    return [["" if c.value is None else str(c.value) for c in row] for row in ws.iter_rows()]


def same(value: str, cell: str) -> bool:
    """A number written as a number reads back as one (138 for "138", 1.4 for "1.40" is not the case here)."""
    return value == cell or (cell.replace(".", "", 1).lstrip("-").isdigit() and float(value) == float(cell))


@pytest.mark.parametrize("name", QUESTIONS)
@pytest.mark.slow
def test_every_question_as_xlsx_and_excel_csv(served, name):
    base, _ = served
    rows = httpx.get(f"{base}/api/queries/{name}", params={"format": "rows"}).json()
    xlsx = httpx.get(f"{base}/api/queries/{name}", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'filename="{name}.xlsx"' in xlsx.headers["content-disposition"]
    table = sheet_rows(xlsx.content)
    header, body = table[0], table[1:]
    assert len(body) == len(rows)
    for r, cells in zip(rows, body):
        assert all(same(r.get(col, ""), cell) for col, cell in zip(header, cells)), (r, cells)
    bom = httpx.get(f"{base}/api/queries/{name}", params={"format": "csv-bom"})
    assert bom.content.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(bom.content.decode("utf-8-sig"))))
    assert parsed == [{col: r.get(col, "") for col in header} for r in rows]


def run(build_dir, *args, cwd):
    return run_cli(*args, cwd=cwd, env={**os.environ, "LPSPLAN_BUILD_DIR": str(build_dir)})


@pytest.mark.slow
def test_cli_writes_what_the_extension_names(served, tmp_path):
    _, build_dir = served
    assert run(build_dir, "query", "unit-load", "-o", "load.xlsx", cwd=tmp_path).returncode == 0
    load = sheet_rows((tmp_path / "load.xlsx").read_bytes())
    assert load[0] == ["unit", "unitEn", "clauses", "firstListed"] and len(load) == 30 and load[1][2] == "42"
    assert run(build_dir, "query", "unit-load", "--format", "csv-bom", "-o", "load.csv", cwd=tmp_path).returncode == 0
    assert (tmp_path / "load.csv").read_bytes().startswith(b"\xef\xbb\xbfunit,")
    assert run(build_dir, "network", "metrics", "-o", "metrics.xlsx", cwd=tmp_path).returncode == 0
    assert sheet_rows((tmp_path / "metrics.xlsx").read_bytes())[1][0]  # the most loaded unit
    r = run(build_dir, "link", "煤矿井下5G通信与智能巡检机器人研发", "-o", "links.xlsx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    links = sheet_rows((tmp_path / "links.xlsx").read_bytes())
    assert "煤矿井下5G通信与智能巡检机器人研发" in links[1] and links[0][0]
    assert run(build_dir, "network", "export", "coownership", "-o", "plan.gexf", cwd=tmp_path).returncode == 0
    assert (tmp_path / "plan.gexf").read_text(encoding="utf-8").lstrip().startswith("<gexf")


@pytest.mark.parametrize("args", [
    ("query", "unit-load", "--format", "csv", "-o", "bad.xlsx"),
    ("query", "unit-load", "-o", "bad.txt"),
    ("query", "unit-load", "--format", "xlsx"),
    ("network", "metrics", "--format", "json", "-o", "bad.csv"),
    ("link", "煤矿井下5G通信与智能巡检机器人研发", "--format", "csv", "-o", "bad.xlsx"),
    ("network", "export", "coownership", "--format", "graphml", "-o", "bad.gexf"),
])
@pytest.mark.slow
def test_cli_refuses_a_mismatch_and_writes_nothing(served, tmp_path, args):
    _, build_dir = served
    r = run(build_dir, *args, cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr and r.stderr.strip()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_network_metrics_and_links_from_the_api(served):
    base, _ = served
    rows = httpx.get(f"{base}/api/network/coownership/metrics").json()
    table = sheet_rows(httpx.get(f"{base}/api/network/coownership/metrics", params={"format": "xlsx"}).content)
    assert len(table) == len(rows) + 1 == 30
    for r, cells in zip(rows, table[1:]):
        assert all(same(str(r[col]), cell) for col, cell in zip(table[0], cells)), (r, cells)
    bom = httpx.get(f"{base}/api/network/coownership/metrics", params={"format": "csv-bom", "domain": "现代煤化工"})
    assert bom.content.startswith(b"\xef\xbb\xbf") and len(bom.content.decode("utf-8-sig").splitlines()) == 1 + 5
    titles = {"titles": ["煤矿井下5G通信与智能巡检机器人研发", "玄武岩纤维复合材料制备技术研究"]}
    linked = httpx.post(f"{base}/api/link", json=titles).json()
    sheet = sheet_rows(httpx.post(f"{base}/api/link", params={"format": "xlsx"}, json=titles, timeout=60).content)
    assert [row[sheet[0].index("title")] for row in sheet[1:]] == [r["title"] for r in linked]
    assert [row[sheet[0].index("domain_1")] for row in sheet[1:]] == [r["domains"][0]["label_zh"] for r in linked]
