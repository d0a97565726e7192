"""Rows of a one-cell-a-line table, each opened by a number alone on its line.

Under a header (here or above the section the lines are from) a row is its number and the lines
up to the next number; its lines are laid on the header's columns as the task, the lines of each
unit column and the deadline cell.  ``row_number`` is the one rule for what a row's number is,
shared by every reader of numbered rows.
"""

from __future__ import annotations

import re

from ..records import Mention, Span
from .tablecells import (
    DEADLINE_HEAD,
    YEAR,
    TableRow,
    _unit_cell,
    _units_of,
    unit_role,
)
from .tableheads import task_column
from .text import mention


def row_number(cell: str) -> int | None:
    """The number a cell of digits alone holds, else None: digits int() reads (not ① or ², which str.isdigit counts
    as digits) and no more of them than it converts (4,300, Python's limit)."""
    return int(cell) if cell.isdecimal() and len(cell) <= 4300 else None


def rows_under(text: str, lines: list[Span], head: list[str]) -> tuple[list[TableRow], set[int]]:
    """Rows of a one-cell-a-line table (its header here or elsewhere: above the section these lines are from).  A row
    is a number alone on its line and the lines up to the next row's number (a greater one: an excerpt may skip rows) or
    to the header repeated on a new page (序号 again).  An empty cell leaves no line, a unit cell may take one line a unit and
    a merged cell (a second task under the same units) leaves lines over: the row's lines are laid on the columns by
    :func:`_lay_out`.  A row the excerpt cuts, or whose unit cells list no units, is left."""
    task_col = task_column(head)
    if task_col is None:  # no column names the task (牵头工作单位 is a unit column): no rows to read
        return [], set()
    unit_cols = [(i, role) for i, c in enumerate(head) if (role := unit_role(c))]
    deadline_col = next((i for i, c in enumerate(head) if DEADLINE_HEAD.search(c)), None)
    rows, taken = [], set()
    number: int | None = None
    r = 0
    while r < len(lines):
        cell = lines[r].of(text).strip(" \t\u3000|")
        value = row_number(cell)
        if value is None or (number is not None and value <= number):
            r += 1
            continue
        end = r + 1
        while end < len(lines):
            nxt = lines[end].of(text).strip(" \t\u3000|")
            after = row_number(nxt)
            if nxt == head[0] == "序号" or (after is not None and value < after <= value + 50
                                           and (after == value + 1 or not _value_before_units(text, lines, end, head))):
                break
            end += 1
        laid = _lay_out(text, [Mention(lines[k].of(text), lines[k]) for k in range(r + 1, end)], head, task_col, unit_cols, deadline_col)
        if laid is not None:
            task, unit_cells, deadline = laid
            units = []
            for (_, role), cells in zip(unit_cols, unit_cells, strict=True):
                for c in cells:
                    units += _units_of(text, c, role)
            if units:
                year = YEAR.search(deadline.text) if deadline is not None else None
                spans = [c.span for cells in unit_cells for c in cells]
                rows.append(TableRow(Span(lines[r].start, lines[end - 1].end), task,
                                     Span(min(task.span.end, min(sp.start for sp in spans)), max(sp.end for sp in spans)), units,
                                     int(year.group(1)) if year else None))
                taken.update(range(r, end))
                number = value
        r = end
    return rows, taken


def _value_before_units(text: str, lines: list[Span], at: int, head: list[str]) -> bool:
    """Whether the number on line ``at`` is a row's value, not the next row's number: a unit cell follows it where the
    header's column after 序号 names no units (… 万吨 / 42 / 县农业农村局: a target's value, then the units)."""
    return (at + 1 < len(lines) and len(head) > 1 and unit_role(head[1]) is None
            and _unit_cell(text, Mention(lines[at + 1].of(text), lines[at + 1])))


# a deadline cell: 2010年 / 12月底前 / 9月投入使用 / 年内见成效 / 全年 / 长期
DEADLINE_CELL = re.compile(r"\s*(?:\d{4}\s*年|\d{1,2}\s*月|\d{4}[-./]\d|年[底内]|全年|长期|持续|每年|[上下]半年|20\d\d)")


def _deadline_cell(cell: str) -> bool:
    return len(cell.strip()) <= 24 and bool(DEADLINE_CELL.match(cell))


def _lay_out(text: str, cells: list[Mention], head: list[str], task_col: int, unit_cols, deadline_col):
    """A one-cell-a-line row's lines (after its number) laid on the header's columns: (the task, the lines of each unit
    column, the deadline cell or None), or None when they do not fit.  When the unit (and deadline) columns are the
    header's last ones, the row is read from its end: the deadline (a cell that reads as one), then one line for each
    unit column but the first, and for the first every unit line before them — a unit cell written one unit a line;
    the lines left before them are the task's, whatever columns they fill (an empty 项目 or 类别 cell leaves no line).
    Otherwise, or when a line read as units lists none (a merged cell's second task under them), the row is read from
    its start: the task, then each column in turn, the lines left after the last one ignored."""
    if len(cells) < 2:
        return None
    trailing = sorted([c for c, _ in unit_cols] + ([deadline_col] if deadline_col is not None else []))
    if trailing and trailing == list(range(trailing[0], len(head))) and task_col < trailing[0]:
        i = len(cells) - 1
        deadline = None
        if deadline_col is not None and _deadline_cell(cells[i].text):
            deadline, i = cells[i], i - 1
        unit_cells: list[list[Mention]] = []
        for _ in unit_cols[1:]:
            unit_cells.insert(0, [cells[i]] if i > 0 and _unit_cell(text, cells[i]) else [])
            i -= 1
        first: list[Mention] = []
        while i > 0 and _unit_cell(text, cells[i]):
            first.insert(0, cells[i])
            i -= 1
        if first and all(unit_cells) and i >= 0:
            task = Mention(text[cells[0].span.start:cells[i].span.end], Span(cells[0].span.start, cells[i].span.end))
            return mention(text, task.span.start, task.span.end) or task, [first] + unit_cells, deadline
    # from its start: the task's one line, then each column after it
    task, i = cells[0], 1
    unit_cells = [[] for _ in unit_cols]
    deadline = None
    for col in range(task_col + 1, len(head)):
        if i >= len(cells):
            break
        where = next((k for k, (c, _) in enumerate(unit_cols) if c == col), None)
        if where is not None:
            while i < len(cells) and _unit_cell(text, cells[i]) and (not unit_cells[where] or len(unit_cols) == 1):
                unit_cells[where].append(cells[i])
                i += 1
            if not unit_cells[where]:
                return None
        elif col == deadline_col and _deadline_cell(cells[i].text):
            deadline, i = cells[i], i + 1
    if not all(unit_cells):
        return None
    return mention(text, task.span.start, task.span.end) or task, unit_cells, deadline
