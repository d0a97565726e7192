"""`lpsplan build` end to end: deterministic bytes, atomic output, the report."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lpsplan.build import serialize, write_graph

from cli import run_cli


def build_bytes(tmp_path, seed: str) -> bytes:
    out = tmp_path / f"plan-{seed}.ttl"
    env = {**os.environ, "PYTHONHASHSEED": seed}  # a process each: the hash seed is fixed when the interpreter starts
    proc = subprocess.run([sys.executable, "-m", "lpsplan.cli", "build", "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


@pytest.mark.slow
def test_same_bytes_on_every_run(tmp_path):
    a, b = build_bytes(tmp_path, "1"), build_bytes(tmp_path, "2")
    assert a == b
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()


@pytest.mark.slow
def test_report_lists_counts_and_conformance(tmp_path):
    proc = run_cli("build", "-o", tmp_path / "p.ttl")
    out = proc.stdout
    assert "clauses                 48" in out and "targets                 12" in out and "domains                 13" in out
    assert "SHACL: conforms" in out and "wrote " in out


def test_build_report_warns_with_the_text(mini):
    text = mini.describe()
    assert "warning: unregistered unit '市通信发展办公室'" in text
    assert "mini-plan.txt:18:" in text


def test_write_is_atomic(tmp_path, mini):
    target = tmp_path / "sub" / "plan.ttl"
    write_graph(mini.graph, target)
    assert target.read_bytes() == serialize(mini.graph)
    assert [p.name for p in target.parent.iterdir()] == ["plan.ttl"]


@pytest.mark.slow
def test_graph_reloads_identically(built):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    again = Graph().parse(data=serialize(built.graph), format="turtle")
    assert isomorphic(again, built.graph)


@pytest.mark.slow
def test_build_refuses_to_write_a_non_conforming_graph(tmp_path):
    """With a stricter rule than the graph meets, the build fails with the report and writes nothing."""
    import shutil

    root = Path(__file__).resolve().parent.parent
    home = tmp_path / "home"
    shutil.copytree(root / "ontology", home / "ontology")
    shutil.copytree(root / "data" / "registry", home / "data" / "registry")
    shutil.copytree(root / "data" / "source", home / "data" / "source")
    strict = "\nlpsh:StrictShape a sh:NodeShape ; sh:targetClass lps:Clause ; sh:property [ sh:path lps:ordinal ; sh:maxInclusive 1 ] .\n"
    with open(home / "ontology" / "shapes.ttl", "a", encoding="utf-8") as fh:
        fh.write(strict)
    out = tmp_path / "plan.ttl"
    env = {**os.environ, "LPSPLAN_HOME": str(home)}
    proc = run_cli("build", "-o", out, env=env)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert "rule:  StrictShape" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("lpsplan: error: the graph does not conform to the shapes: ")
    assert not out.exists()


@pytest.mark.slow
def test_segmentation_from_the_sqlite_dictionary_cuts_as_jieba_does(settings):
    """lpsplan.segment looks jieba's dictionary up in an SQLite file instead of loading it whole;
    the words must be exactly jieba's own, with and without words added."""
    import jieba
    from lpsplan.segment import Lookup, new_tokenizer, tokenizer

    text = settings.paths.source.read_text(encoding="utf-8")
    reference = jieba.Tokenizer()
    reference.initialize()
    ours = tokenizer()
    assert isinstance(ours.FREQ, Lookup) and ours.total == reference.total
    assert ours.lcut(text, HMM=False) == reference.lcut(text, HMM=False)
    added, plain = new_tokenizer(), new_tokenizer()
    for tk in (added, reference):
        for word in ("煤层气抽采", "玄武岩纤维", "六盘水高新区"):
            tk.add_word(word, freq=2000)
    title = "六盘水高新区煤层气抽采与玄武岩纤维产业化关键技术研究"
    assert added.lcut(title, HMM=False) == reference.lcut(title, HMM=False)
    assert "煤层气抽采" in added.lcut(title, HMM=False) and "煤层气抽采" not in plain.lcut(title, HMM=False)
    assert "煤层气抽采" not in tokenizer().FREQ  # the shared tokenizer is not changed by another's words
