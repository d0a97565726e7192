"""`lpsplan query` over the built graph."""

from __future__ import annotations

import json
import os

import pytest

from cli import run_cli

Q = "PREFIX lps: <https://w3id.org/lpsplan/ontology#> SELECT ?o ?t WHERE { ?x a lps:Task ; lps:ordinal ?o ; <http://purl.org/dc/terms/title> ?t FILTER(LANG(?t)='zh') } ORDER BY ?o LIMIT 2"


@pytest.fixture(scope="module")
def env(built, tmp_path_factory):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("cli")
    write_graph(built.graph, build_dir / "plan.ttl")
    return {**os.environ, "LPSPLAN_BUILD_DIR": str(build_dir)}


def run(env, *args):
    return run_cli(*args, env=env)


@pytest.mark.slow
def test_query_formats(env):
    table = run(env, "query", "--sparql", Q)
    assert table.returncode == 0
    assert table.stdout.splitlines() == ["o  t", "1  加大科技创新投入", "2  壮大高新技术企业队伍", "(2 rows)"]
    csv = run(env, "query", "--sparql", Q, "--format", "csv")
    assert csv.stdout.splitlines() == ["o,t", "1,加大科技创新投入", "2,壮大高新技术企业队伍"]
    js = run(env, "query", "--sparql", Q, "--format", "json")
    assert json.loads(js.stdout) == [{"o": 1, "t": "加大科技创新投入"}, {"o": 2, "t": "壮大高新技术企业队伍"}]


@pytest.mark.slow
def test_query_errors_are_one_line(env, tmp_path):
    bad = run(env, "query", "--sparql", "SELECT ?x WHERE { ?x ")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("lpsplan: error: SPARQL syntax error")
    missing = run({**env, "LPSPLAN_BUILD_DIR": str(tmp_path)}, "query", "--sparql", Q)
    assert missing.returncode != 0 and "run `lpsplan build` first" in missing.stderr
    empty = run(env, "query")
    assert empty.returncode == 2 and "--sparql" in empty.stderr
