"""Tables in and out.  In: a CSV, TSV or XLSX file as rows of text (project lists,
observed values), every way a file can be unusable one clear error.  Out: answers as
CSV, CSV for Excel (with a byte-order mark, so Excel reads the Chinese as UTF-8),
XLSX (openpyxl) and JSON — and the one rule for output paths: the extension names
the format, and a format that contradicts the extension is refused (never CSV text
in a .xlsx file); and as a table for people on a terminal (:func:`screen_table`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from pathlib import Path

from .errors import LpsplanError, SourceError

FORMATS = ("csv", "csv-bom", "xlsx", "json")
MEDIA = {"csv": "text/csv; charset=utf-8", "csv-bom": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}
EXTENSIONS = {".csv": ("csv", "csv-bom"), ".xlsx": ("xlsx",), ".json": ("json",)}
NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d{1,10})?")
NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")  # a number in any decimal spelling: no formula
BOM = "\ufeff"
MAX_XLSX_CELLS = 1_000_000  # rows and cells a workbook's first sheet may span (a 5 KB file can claim 17 billion)
# and a text table may hold; its bytes are bounded too: a row is ~60 bytes of Python for each byte of "a\n", and
# 10 MB of one-cell rows took 613 MB before the row count was judged
MAX_TABLE_BYTES = 64 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell of a text file as a formula


class OutputMismatch(LpsplanError):
    """An output path whose extension does not fit the format asked for."""

    exit_code = 2


def read_rows(path: str | Path, text_types: tuple[str, ...] = (".csv", ".tsv")) -> list[list[str]]:
    """The rows of a table file as text, the header first: an .xlsx workbook's first sheet, or a UTF-8 text
    file of one of ``text_types`` (comma-separated; tab-separated for .tsv).  Raises SourceError for a missing,
    unsupported, non-UTF-8 or broken file."""
    p = Path(path)
    if not p.is_file():
        raise SourceError("no such file" if not p.exists() else "not a regular file", path=p)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(p)
    if suffix not in text_types:
        raise SourceError(f"unsupported file type {suffix or '(none)'}; use .csv, .tsv or .xlsx", path=p)
    size = p.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise SourceError(f"the file is {size:,} bytes; tables larger than {MAX_TABLE_BYTES:,} bytes are refused", path=p)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
                          path=p) from None
    rows, cells = [], 0
    try:
        for row in csv.reader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ","):
            cells += 1 + len(row)  # as a workbook's rows are counted
            if cells > MAX_XLSX_CELLS:
                raise SourceError(f"the file holds more than {MAX_XLSX_CELLS:,} rows and cells; at most that many are read", path=p)
            rows.append(row)
        return rows
    except csv.Error as exc:
        raise SourceError(f"not a readable CSV file ({exc})", path=p) from None


def _xlsx_rows(p: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    from .source import check_archive

    check_archive(p, ".xlsx workbook")
    rows, cells = [], 0
    try:
        sheet = load_workbook(p, read_only=True, data_only=True).worksheets[0]
        sheet.reset_dimensions()  # the sheet's own <dimension> is a claim: "A1:XFD1048576" padded every row to 16,384 cells
        for row in sheet.iter_rows(values_only=True):
            cells += 1 + len(row)  # a row and its cells, empty ones too: a row numbered 1,048,576 stands for a million
            if cells > MAX_XLSX_CELLS:
                raise SourceError(f"the sheet spans more than {MAX_XLSX_CELLS:,} rows and cells; at most that many are read", path=p)
            rows.append([_text(v) for v in row])
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl (and the XML parser under it) raise many kinds for a broken file
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__})", path=p) from None
    return rows


def _text(v) -> str:
    """A workbook cell as the text a person sees: a date as YYYY-MM-DD, a whole number without ".0"."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def columns_of(rows: list[dict], columns: list[str] | None = None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for r in rows:
        seen.update(dict.fromkeys(r))
    return list(seen)


def _cell(value: object) -> str:
    return "" if value is None else spreadsheet_text(str(value))


def spreadsheet_text(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: one that starts like a formula (``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return) and is not a number gets a leading apostrophe, so ``=HYPERLINK(…)`` in a
    title a client sent is never evaluated when the file is opened in Excel or LibreOffice; a number such as
    ``-1.5``, ``+3`` or ``-1e-05`` stays as it is, and so does the sign alone (a target's comparator ``=``: no formula)."""
    if len(text) > 1 and text.startswith(FORMULA_START) and not NUMERIC.fullmatch(text):
        return "'" + text
    return text


def to_csv(rows: list[dict], columns: list[str] | None = None, bom: bool = False) -> bytes:
    cols = columns_of(rows, columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(cols)
    writer.writerows([[_cell(r.get(c)) for c in cols] for r in rows])
    return ((BOM if bom else "") + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict], columns: list[str] | None = None, sheet: str = "answer") -> bytes:
    """One sheet, a header row, one row per answer row; numbers written as numbers, the rest as text."""
    from openpyxl import Workbook

    cols = columns_of(rows, columns)
    book = Workbook(write_only=True)
    ws = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", sheet)[:31] or "answer")
    ws.append(cols)
    for r in rows:
        ws.append([excel_value(ws, r.get(c)) for c in cols])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def excel_safe(value: object) -> object:
    """``value`` as a workbook cell can hold it: text with a C0 control, U+FFFE or U+FFFF (a label an update stored,
    a quote) gets U+FFFD for each — openpyxl refused such text, and the whole download was a 500."""
    from .source import xml_safe_text

    return xml_safe_text(value) if isinstance(value, str) else value


def excel_value(ws, value: object) -> object:
    """A cell for a write-only sheet: a number as a number, text as text — never a formula."""
    if isinstance(value, (int, float)) or value is None:
        return value
    text = excel_safe(str(value))
    if NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    if text.startswith("="):  # text, never a formula: the cell is typed as a string
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        return cell
    return text


def to_json(rows: list[dict]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def render(rows: list[dict], fmt: str, columns: list[str] | None = None, sheet: str = "answer") -> bytes:
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "csv-bom":
        return to_csv(rows, columns, bom=True)
    if fmt == "xlsx":
        return to_xlsx(rows, columns, sheet)
    if fmt == "json":
        return to_json(rows)
    raise LpsplanError(f"no table format {fmt!r}; formats: {', '.join(FORMATS)}")


def format_for(path: str | Path, fmt: str | None) -> str:
    """The format to write ``path`` in: ``fmt`` if its extension allows it, else the extension's; a mismatch or an
    unknown extension is refused."""
    ext = Path(path).suffix.lower()
    allowed = EXTENSIONS.get(ext)
    if allowed is None:
        raise OutputMismatch(f"{path}: cannot tell the format from {ext or 'no extension'!s}; "
                             f"name the file .csv, .xlsx or .json")
    if fmt is None:
        return allowed[0]
    if fmt not in allowed:
        raise OutputMismatch(f"{path}: a {ext} file cannot hold {fmt}; name it {_ext_for(fmt)} or use --format {allowed[0]}")
    return fmt


def _ext_for(fmt: str) -> str:
    return next(ext for ext, fmts in EXTENSIONS.items() if fmt in fmts) if any(fmt in f for f in EXTENSIONS.values()) else f".{fmt}"


def write(path: str | Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file, a failure leaves none."""
    import os
    import tempfile

    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".part")
    try:
        umask = os.umask(0o022)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # the mode a plain open would give (mkstemp's is 0600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def screen_table(rows: list[dict], columns: list[str]) -> str:
    """The rows as a table for a terminal: columns padded to their widest cell (a Chinese character is two columns
    wide), None as an empty cell, and the count of rows under it."""
    cells = [[("" if r.get(c) is None else str(r[c])) for c in columns] for r in rows]
    widths = [max([text_width(c)] + [text_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(pad_to(v, w) for v, w in zip(line, widths, strict=True)).rstrip() for line in [columns, *cells]]
    return "\n".join([*lines, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def text_width(text: str) -> int:
    """Columns the text takes in a terminal: a wide (Chinese) character two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad_to(text: str, width: int) -> str:
    """The text padded with spaces to ``width`` terminal columns (see text_width)."""
    return text + " " * max(0, width - text_width(text))
