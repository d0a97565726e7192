"""Rows of a one-cell-a-line progress or indicator table that numbers none of its rows on a line of its own, as reports
on a year's work give them:

    目标任务 / 牵头单位 / 进展情况 / 下步举措           固定资产投资增长10%以上。 / 发改局 / 一季度累计完成投资… / 督促…
    类别 / 指标名称 / 年度目标 / 完成情况 / 责任部门     高质量发展 / 1、地区生产总值增长率 / 与市保持同步 / 9.8% / 区发改委

A row's unit cells (one unit a line, or a list) are what the reader finds it by.  Where the unit columns are the
header's last, a run of unit cells closes each row and the lines since the run before are its other cells: its task is
those lines, from a line opened by the row's number (3、…) when one is (a category cell 高品质生活 written once for its
group stands before it), the indicator's values and progress after it left in as the page wrote them.  Where a unit
column comes right after the task's, a row is a line that lists no units followed by a unit cell, and the lines after
its unit cells (the progress, the next steps, numbered 1. 2. as they may be) are no row's task."""

from __future__ import annotations

import re

from ..records import Mention, Span
from .numberedrows import _lay_out
from .tablecells import YEAR, TableRow, _unit_cell, _units_of
from .text import mention

# the number a task cell opens with (3、四大重点培育产业…)
_NUMBERED = re.compile(r"[ \t\u3000]*\d{1,3}[.．、](?!\d)[ \t\u3000]*(?=\S)")


def unnumbered_rows(text: str, lines: list[Span], head: list[str], task_col: int, unit_cols,
                    deadline_col) -> tuple[list[TableRow], set[int]]:
    """The rows of ``lines`` (the lines after the header) as the module's docstring reads them; none when the header's
    unit columns stand neither last nor right after the task's, or when it has a column of row numbers (序号)."""
    if not unit_cols or "序号" in head:  # a header with a column of numbers: its rows are numbered (other readers')
        return [], set()
    cells = [Mention(s.of(text), s) for s in lines]
    units_at = [_unit_cell(text, c) for c in cells]
    closing = [c for c, _ in unit_cols] + ([deadline_col] if deadline_col is not None else [])
    if sorted(closing) == list(range(min(closing), len(head))) and task_col < min(closing) and deadline_col is None:
        return _closed_by_units(text, lines, cells, units_at, head, task_col, unit_cols)
    if unit_cols[0][0] == task_col + 1:
        return _opened_by_task(text, lines, cells, units_at, head, task_col, unit_cols, deadline_col)
    return [], set()


def _closed_by_units(text, lines, cells, units_at, head, task_col, unit_cols) -> tuple[list[TableRow], set[int]]:
    rows: list[TableRow] = []
    taken: set[int] = set()
    begin = 0
    r = 0
    while r < len(cells):
        if not units_at[r]:
            r += 1
            continue
        end = r
        while end < len(cells) and units_at[end]:
            end += 1
        own = list(range(begin, r))
        numbered = [k for k in own if _NUMBERED.match(cells[k].text)]
        if numbered:
            own = own[own.index(numbered[-1]):]
        if own:
            first = cells[own[0]]
            if (m := _NUMBERED.match(first.text)) is not None:
                first = mention(text, first.span.start + m.end(), first.span.end) or first
            row_cells = [first] + [cells[k] for k in own[1:]] + cells[r:end]
            laid = _lay_out(text, row_cells, head, task_col, unit_cols, None)
            if laid is not None:
                row = _row(text, lines, own[0], end, unit_cols, *laid)
                if row is not None:
                    rows.append(row)
                    taken.update(range(own[0], end))
        begin = r = end
    return rows, taken


def _opened_by_task(text, lines, cells, units_at, head, task_col, unit_cols, deadline_col) -> tuple[list[TableRow], set[int]]:
    starts = [r for r in range(len(cells) - 1) if not units_at[r] and units_at[r + 1]]
    rows: list[TableRow] = []
    taken: set[int] = set()
    for k, r in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(cells)
        laid = _lay_out(text, cells[r:end], head, task_col, unit_cols, deadline_col)
        if laid is not None and (row := _row(text, lines, r, end, unit_cols, *laid)) is not None:
            rows.append(row)
            taken.update(range(r, end))
    return rows, taken


def _row(text, lines, first: int, end: int, unit_cols, task, unit_cells, deadline) -> TableRow | None:
    units = [u for (_, role), cs in zip(unit_cols, unit_cells, strict=True) for c in cs for u in _units_of(text, c, role)]
    if not units:
        return None
    spans = [c.span for cs in unit_cells for c in cs]
    year = YEAR.search(deadline.text) if deadline is not None else None
    return TableRow(Span(lines[first].start, lines[end - 1].end), task, Span(task.span.end, max(sp.end for sp in spans)),
                    units, int(year.group(1)) if year else None)
