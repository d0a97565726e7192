"""The README's examples work as pasted: every `curl` and `.venv/bin/lpsplan` line of
its shell blocks runs against a served plan (the host and port rewritten to the
test server's, nothing else), every service path it lists answers, its Python
block runs, and the sample output it shows is what `lpsplan query unit-load` prints."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from server import lpsplan_server

pytestmark = pytest.mark.slow

README = Path(__file__).parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", TEXT, flags=re.DOTALL)
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LPSPLAN = str(Path(sys.executable).parent / "lpsplan")


def commands() -> list[str]:
    lines = []
    for lang, body in BLOCKS:
        if lang != "sh":
            continue
        for line in body.splitlines():
            line = line.strip()
            if line.startswith(("curl ", ".venv/bin/lpsplan ")):
                lines.append(line)
    return lines


@pytest.fixture(scope="module")
def served(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("readme")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_WORKERS="1") as base:
        yield base, build_dir


@pytest.fixture()
def workdir(tmp_path):
    """The folder the commands run in, with the project list the README's batch example reads."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["title"])
    sheet.append(["煤矿井下5G通信与智能巡检机器人研发"])
    sheet.append(["玄武岩纤维复合材料制备技术研究"])
    book.save(tmp_path / "projects.xlsx")
    (tmp_path / "tests").symlink_to(Path(__file__).parent)  # the README's paths are the clone's, e.g. tests/data/…
    return tmp_path


def test_the_readme_has_examples():
    found = commands()
    assert sum(c.startswith("curl ") for c in found) >= 2 and sum(c.startswith(".venv/") for c in found) >= 4


@pytest.mark.parametrize("line", commands())
def test_each_command_works_as_pasted(served, workdir, line):
    base, build_dir = served
    argv = shlex.split(line, comments=True)
    if argv[0] == "curl":
        argv = ["curl", "--fail-with-body", "--max-time", "60"] + [a.replace("http://127.0.0.1:8000", base) for a in argv[1:]]
    else:
        argv = [LPSPLAN] + argv[1:]
    # each line as a shell runs it: the installed command, or curl
    r = subprocess.run(argv, cwd=workdir, capture_output=True, timeout=300,
                       env={**os.environ, "LPSPLAN_BUILD_DIR": str(build_dir), "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 0, (line, r.stdout[-500:], r.stderr[-500:])
    assert r.stdout.strip() or sorted(p.name for p in workdir.iterdir()) != ["projects.xlsx", "tests"], line
    for out in re.findall(r"-o (\S+)", line):
        assert (workdir / out).stat().st_size > 0


def test_every_listed_service_path_answers(served):
    base, _ = served
    paths = re.findall(r"^- `(?:http://127\.0\.0\.1:8000)?(/[^`]*)`", TEXT, flags=re.MULTILINE)
    assert len(paths) >= 6
    for path in paths:
        r = httpx.get(base + path, headers={"Accept": BROWSER_ACCEPT}, timeout=60)  # as a browser opens them
        assert r.status_code == 200, (path, r.text[:300])


def test_the_python_block_runs(served, tmp_path):
    _, build_dir = served
    code = next(body for lang, body in BLOCKS if lang == "python")
    # the README's block in a fresh interpreter, as pasted
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "LPSPLAN_BUILD_DIR": str(build_dir)})
    assert r.returncode == 0, r.stderr[-1000:]
    assert (tmp_path / "plan.ttl").stat().st_size > 100_000
    assert "六盘水" in r.stdout  # the question's answer, read from the store the project opened


def test_the_sample_output_is_what_the_command_prints(served):
    _, build_dir = served
    shown = next(body for lang, body in BLOCKS if lang == "" and body.startswith("unit "))
    # the installed command, as the README shows it run
    r = subprocess.run([LPSPLAN, "query", "unit-load"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "LPSPLAN_BUILD_DIR": str(build_dir)})
    printed = r.stdout.splitlines()
    for line in shown.splitlines():
        if line.strip() != "…":
            assert line.rstrip() in printed, line
