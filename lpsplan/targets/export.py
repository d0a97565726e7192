"""Attainment records (or any rows) as CSV, JSON or XLSX files, written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path


def table_bytes(rows: list[dict[str, object]], fmt: str) -> bytes:
    columns = list(rows[0]) if rows else []
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
        return buf.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        from ..tables import excel_safe

        wb = Workbook()
        ws = wb.active
        ws.title = "attainment"
        ws.append(columns)
        for r in rows:
            ws.append([excel_safe(r[c]) for c in columns])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    raise ValueError(f"unknown table format {fmt!r}")


def write_table(rows: list[dict[str, object]], path: str | Path, fmt: str) -> Path:
    p = Path(path)
    data = table_bytes(rows, fmt)
    fd, tmp = tempfile.mkstemp(prefix=".table.", dir=p.parent if str(p.parent) else ".")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, p)
    return p
