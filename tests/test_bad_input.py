"""Bad input gets one line naming the file (and line:column), a non-zero exit,
no traceback, and nothing written."""

from __future__ import annotations

import re

import pytest

from cli import run_cli
from conftest import MINI_PLAN

PLAN = MINI_PLAN.read_text(encoding="utf-8")


def run(*args, cwd=None):
    return run_cli(*args, cwd=cwd)


def build_fails(source, tmp_path, pattern):
    out = tmp_path / "out.ttl"
    out.write_text("OLD", encoding="utf-8")
    proc = run("build", "--source", str(source), "-o", str(out))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("lpsplan: error: "), proc.stderr
    assert re.search(pattern, last), last
    assert out.read_text(encoding="utf-8") == "OLD"  # the previous output is untouched
    assert [p.name for p in tmp_path.iterdir()].count("out.ttl") == 1 and not list(tmp_path.glob(".out.ttl.*"))
    return last


def test_missing_file(tmp_path):
    build_fails(tmp_path / "nope.txt", tmp_path, r"nope\.txt: no such file")


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"  \n\n")
    build_fails(f, tmp_path, r"empty\.txt: the file is empty")


def test_not_utf8(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes(PLAN.encode("gb18030"))
    build_fails(f, tmp_path, r"gbk\.txt:1:1: the file is not UTF-8 \(byte 0x[0-9a-f]{2}")


def test_not_utf8_points_at_the_line(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes("第一行\n第二行".encode() + "坏".encode("gbk") + b"\n")
    build_fails(f, tmp_path, r"mixed\.txt:2:4: the file is not UTF-8")


def test_binary_file(tmp_path):
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    build_fails(f, tmp_path, r"image\.png:3:1: this is a binary file")


def test_text_without_plan_structure(tmp_path):
    f = tmp_path / "poem.txt"
    f.write_text("床前明月光,疑是地上霜。\n举头望明月,低头思故乡。\n", encoding="utf-8")
    build_fails(f, tmp_path, r"poem\.txt:1:1: no plan structure found")


def test_unbalanced_bracket_in_annotation(tmp_path):
    f = tmp_path / "broken.txt"
    broken = PLAN.replace("(责任单位:市工业和信息化局、市商务局)", "(责任单位:市工业和信息化局、市商务局")
    assert broken != PLAN
    f.write_text(broken, encoding="utf-8")
    line = 1 + broken[: broken.index("(责任单位:市工业和信息化局、市商务局")].count("\n")
    build_fails(f, tmp_path, rf"broken\.txt:{line}:\d+: unbalanced bracket")


def test_mismatched_bracket_in_annotation(tmp_path):
    f = tmp_path / "mismatch.txt"
    f.write_text(PLAN.replace("(责任单位:市通信发展办公室)", "(责任单位:市通信发展办公室〕"), encoding="utf-8")
    build_fails(f, tmp_path, r"mismatch\.txt:\d+:\d+: unbalanced bracket: '〕' closes '\('")


def test_annotation_without_units(tmp_path):
    f = tmp_path / "nounits.txt"
    f.write_text(PLAN.replace("(责任单位:市通信发展办公室)", "(责任单位:)"), encoding="utf-8")
    build_fails(f, tmp_path, r"nounits\.txt:\d+:\d+: the annotation names no responsible unit")


def test_directory_instead_of_file(tmp_path):
    proc = run("build", "--source", str(tmp_path), "-o", str(tmp_path / "x.ttl"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "is a directory" in proc.stderr and not (tmp_path / "x.ttl").exists()
    from lpsplan.errors import SourceError
    from lpsplan.source import read_source

    with pytest.raises(SourceError, match="not a regular file"):
        read_source(tmp_path)


def test_validate_missing_and_malformed_files(tmp_path):
    proc = run("validate", str(tmp_path / "none.ttl"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith("none.ttl: no such file")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    proc = run("validate", str(bad))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "bad.ttl: not valid turtle" in proc.stderr


@pytest.mark.slow
def test_validate_reports_violations_with_exit_code(tmp_path, built):
    from lpsplan.build import serialize

    data = serialize(built.graph).decode("utf-8")
    broken = re.sub(r'lps:unitText "亿元"', 'lps:unitText ""', data, count=1)
    assert broken != data
    f = tmp_path / "broken.ttl"
    f.write_text(broken, encoding="utf-8")
    proc = run("validate", str(f))
    assert proc.returncode == 4
    assert "target without a unit of measure" not in proc.stderr  # minLength, not minCount, is what breaks
    assert "lps:unitText" in proc.stdout and "does not conform: 1 violation(s)" in proc.stdout


def test_bad_slug_is_a_usage_error(tmp_path):
    proc = run("build", "--slug", "Not A Slug", "-o", str(tmp_path / "x.ttl"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--slug" in proc.stderr
    assert not (tmp_path / "x.ttl").exists()


@pytest.mark.parametrize("args", [["build", "--help"], ["validate", "--help"], ["--version"]])
def test_help_and_version(args):
    proc = run(*args)
    assert proc.returncode == 0 and proc.stdout
