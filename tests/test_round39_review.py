"""Found in review of round 39's rules: each defect's input, written for the test (no accuracy figure counts it)."""

import subprocess
import sys

from realplans import found


def test_a_said_by_line_after_a_long_space_run_ends():
    """The pattern of a line ──由X和Y组织落实。 had two runs of spaces around an optional dash: with no dash the two shared
    a line's leading spaces in every way, and each way tried every length of the names up to the line's end (8,000
    spaces either side of a 由: 22 s; the line below: minutes).  The spaces are never given back now; a child process
    bounds the search so that the old pattern fails the test instead of holding it."""
    child = ("import sys; from lpsplan.extract.annotationforms import SAID_BY_LINE_RE\n"
             "print(SAID_BY_LINE_RE.search(' ' * 200_000 + '由' + ' ' * 2_000 + 'x\\n'))")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "None\n", done.stderr
    # the lines it reads are read as before: spaces, a dash, spaces, or none of them
    for line in ("由市发改委和市财政局组织落实。", "  ——  由市发改委和市财政局组织落实。", "\u3000—由市发改委和市财政局组织落实。"):
        assert found(f"1.建设平台。\n{line}\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]], line
    assert found("1.建设平台。\n———————由市发改委和市财政局组织落实。\n") == []  # seven dashes: no such line, as before
