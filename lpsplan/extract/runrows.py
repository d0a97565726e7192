"""A table whose cells a page ran together, one row a line, its unit column followed by a column of words.

A progress report's or a task division's table copied without its cell separators keeps one row a line but nothing
between the cells::

    类别序号重点督办内容牵头单位全年完成情况
    经济社会发展主要预期目标1地区生产总值增长6%左右。区发展改革委西城区地区生产总值增速由…

The header is the columns' names run together: 序号 (a category's name may stand before it), a task column (…任务 /
…内容 / …事项 / …措施 / …指标), one or more unit columns (牵头单位, 责任单位 …) and after them a column that reports or
remarks (…完成情况, 进展情况, 备注, 完成时限 …).  A row is a line that holds the next row number (a category's words may
stand before it, the cell merged over the group's rows written on each); the task runs from the number to the end of
its sentence (。 or ;), and the unit cell is the run of units' names, by their shape (:mod:`.rununits`), that opens
right there — 、 or , between them, or nothing where the page lost it; the words after them are the next column's.
Conservative: a row whose task's sentence is not followed by a unit's name is not read, and the table is read only
when two rows or more are (or one, with at most one line after it: an excerpt cut inside the next row).  It is asked only where a text would otherwise be refused for want of structure.
"""

from __future__ import annotations

import re

from ..records import Mention, Span, UnitMention
from .rununits import _UNIT_COLUMN, is_unit, opens_name
from .tablecells import TableRow, unit_role

_TASK_NAME = r"[\u4e00-\u9fff]{0,8}?(?:任务|内容|事项|措施|举措|指标|项目)(?:名称)?"
_AFTER_NAME = r"[\u4e00-\u9fff]{0,8}?(?:情况|进展|进度|备注|时限|时间|节点|成效)"
HEADER_RE = re.compile(rf"[ \t\u3000]*(?:[\u4e00-\u9fff]{{1,6}}?)?序号{_TASK_NAME}((?:{_UNIT_COLUMN}){{1,3}}){_AFTER_NAME}"
                       r"[ \t\u3000]*")
_COLUMN_RE = re.compile(_UNIT_COLUMN)
_SENTENCE_END = re.compile(r"[。;;]")
_MAX_NAME = 24
_JOINERS = "、,,"


def _role(columns: str) -> str:
    """The role of the units of the (first) unit column the header names."""
    first = _COLUMN_RE.search(columns)
    return (unit_role(first.group()) if first else None) or "unspecified"


def _name_at(line: str, at: int) -> int | None:
    """The end of the unit's name opening at ``line[at]``: the shortest piece that is a unit by its shape, taken on
    while a piece up to two characters longer is one too (区人力社 → 区人力社保局, 委 → 委员会, 办 → 办公室: a last word
    inside a longer one); None where no name opens there."""
    if not opens_name(line, at):
        return None
    end = next((e for e in range(at + 3, min(len(line), at + _MAX_NAME) + 1) if is_unit(line[at:e])), None)
    while end is not None and (longer := next((e for e in (end + 2, end + 1) if e <= min(len(line), at + _MAX_NAME)
                                               and is_unit(line[at:e])), None)):
        end = longer
    return end


def _units_at(line: str, at: int) -> list[tuple[int, int]]:
    """The names run from ``line[at]``: one, and the next after a 、 or , or straight after it (a separator lost)."""
    out: list[tuple[int, int]] = []
    pos = at
    while (end := _name_at(line, pos)) is not None:
        out.append((pos, end))
        nxt = end + 1 if end < len(line) and line[end] in _JOINERS else end
        if nxt >= len(line) or _name_at(line, nxt) is None:
            break
        pos = nxt
    return out


def _row(text: str, line: Span, number: int, role: str) -> TableRow | None:
    """The row ``number`` on a line: its number after the category's words, its task to its sentence's end, then its
    units."""
    raw = line.of(text)
    m = re.match(rf"[ \t\u3000]*[\u4e00-\u9fff()()、]{{0,30}}?(?<!\d){number}(?=[\u4e00-\u9fff])", raw)
    if m is None:
        return None
    for end in _SENTENCE_END.finditer(raw, m.end()):
        names = _units_at(raw, end.end())
        if names:
            task_at = line.start + m.end()
            task = Mention(text[task_at:line.start + end.end()], Span(task_at, line.start + end.end()))
            units = [UnitMention(raw[a:b], Span(line.start + a, line.start + b), role) for a, b in names]
            return TableRow(Span(line.start + m.start(), line.end), task,
                            Span(line.start + names[0][0], line.start + names[-1][1]), units, None)
    return None


def run_rows(text: str, lines: list[Span]) -> tuple[list[TableRow], int | None, int | None]:
    """The rows of such a table, the index of its header's line and the header's offset (None, None: no table)."""
    for index, line in enumerate(lines):
        head = HEADER_RE.fullmatch(line.of(text))
        if head is None:
            continue
        role = _role(head.group(1))
        rows: list[TableRow] = []
        k = index + 1
        while k < len(lines):
            row = _row(text, lines[k], len(rows) + 1, role)
            if row is None and rows and k + 1 < len(lines):  # a stray line between two rows (a garbled line)
                row = _row(text, lines[k + 1], len(rows) + 1, role)
                k += 1
            if row is None:
                break
            rows.append(row)
            k += 1
        if len(rows) >= 2 or (rows and k + 1 >= len(lines)):  # or one, then the line an excerpt cut inside the next row
            return rows, index, line.start
    return [], None, None
