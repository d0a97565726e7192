"""lpsplan.tables in process: what a workbook holds, and the output-path rule."""

from __future__ import annotations

import io

import pytest
from lpsplan.tables import OutputMismatch, format_for, render, to_csv, to_xlsx, write
from openpyxl import load_workbook


def test_workbook_cells_are_typed_and_never_formulas():
    rows = [{"name": "=HYPERLINK(\"http://x\")", "count": "42", "share": "1.4", "code": "007", "text": "六盘水"}]
    ws = load_workbook(io.BytesIO(to_xlsx(rows, sheet="a/b:c"))).active
    assert ws.title == "a-b-c"
    assert [c.value for c in ws[1]] == ["name", "count", "share", "code", "text"]
    assert [c.value for c in ws[2]] == ['=HYPERLINK("http://x")', 42, 1.4, "007", "六盘水"]
    assert ws["A2"].data_type == "s"  # text, not a formula


def test_csv_for_excel_has_a_byte_order_mark():
    assert to_csv([{"a": "煤"}], bom=True) == "\ufeffa\r\n煤\r\n".encode("utf-8")
    assert to_csv([{"a": "煤"}]) == "a\r\n煤\r\n".encode()
    assert render([], "csv", ["a", "b"]) == b"a,b\r\n"


@pytest.mark.parametrize("path, asked, expected", [
    ("x.xlsx", None, "xlsx"), ("x.XLSX", "xlsx", "xlsx"), ("x.csv", None, "csv"), ("x.csv", "csv-bom", "csv-bom"), ("x.json", None, "json"),
])
def test_the_extension_decides(path, asked, expected):
    assert format_for(path, asked) == expected


@pytest.mark.parametrize("path, asked", [("x.xlsx", "csv"), ("x.csv", "xlsx"), ("x.json", "csv"), ("x.txt", None), ("x", "csv")])
def test_a_mismatch_is_refused(path, asked):
    with pytest.raises(OutputMismatch):
        format_for(path, asked)


def test_write_is_atomic(tmp_path):
    target = tmp_path / "out.csv"
    write(target, b"a\r\n")
    assert target.read_bytes() == b"a\r\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_csv_cells_that_start_like_formulas_are_text():
    hostile = ['=HYPERLINK("http://evil/","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]
    rows = [{"title": t} for t in hostile] + [{"title": "-12.5"}, {"title": "煤化工-5G"}, {"title": "="}, {"title": "-"},
                                              {"title": "+3"}, {"title": "-1e-05"}, {"title": "-1.5E0"}]
    cells = [line for line in to_csv(rows).decode("utf-8").split("\r\n")[1:] if line]
    assert all(cell.lstrip('"').startswith("'") for cell in cells[:len(hostile)]), cells
    # numbers in any decimal spelling, ordinary text, a sign alone (a comparator) stay
    assert cells[len(hostile):] == ["-12.5", "煤化工-5G", "=", "-", "+3", "-1e-05", "-1.5E0"]
