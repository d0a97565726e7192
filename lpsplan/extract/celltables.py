"""One-cell-a-line task tables whose rows carry their number in the task cell (``1.加快中小学建设。``), as
livelihood-project lists (民生实事, 十大实事任务分解表) give them: see :func:`rows_numbered_in_task`.  :func:`rows_under`
reads a one-cell-a-line table under a header that stands above the sections either way."""

from __future__ import annotations

import re

from ..records import Mention, Span
from .numberedrows import _lay_out
from .numberedrows import rows_under as numbered_rows
from .tablecells import DEADLINE_HEAD, YEAR, TableRow, _unit_cell, _units_of, unit_role
from .tableheads import task_column
from .text import mention

# a task cell that carries its row's number (1.加快中小学、幼儿园建设。)
NUMBERED_TASK = re.compile(r"[ \t\u3000]*\d{1,3}[.．、](?!\d)[ \t\u3000]*(?=\S)")


def rows_numbered_in_task(text: str, lines: list[Span], head: list[str], task_col: int, unit_cols,
                           deadline_col) -> tuple[list[TableRow], set[int]]:
    """Rows of a one-cell-a-line table whose number stands in the task cell, not on a line of its own (工作任务 /
    责任单位 / 主要工作 / 完成时限: 1.加快中小学建设。 / 教育卫体局 / 1.启动… / 2.加快… / 12月底): when a unit column comes
    right after the task column, a row opens at a numbered line followed by a unit cell and runs to the next such line;
    the lines of a later column that are numbered too (主要工作's 1. 2. 3.) open no row, no unit cell coming after them.
    A line between rows that is neither (一、加强教育资源供给。, a category cell on its group's first row) ends the row."""
    if not any(c == task_col + 1 for c, _ in unit_cols):
        return [], set()
    starts = [r for r in range(len(lines) - 1)
              if (m := NUMBERED_TASK.match(lines[r].of(text))) and not _unit_cell(text, Mention(lines[r].of(text), lines[r]))
              and _unit_cell(text, Mention(lines[r + 1].of(text), lines[r + 1]))]
    laid_rows = []  # (r, end, task, unit cells, deadline) of each row, then the rows
    taken: set[int] = set()
    for k, r in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        end = next((e for e in range(r + 1, end) if re.match(r"[ \t\u3000]*[一二三四五六七八九十]{1,3}、", lines[e].of(text))), end)
        m = NUMBERED_TASK.match(lines[r].of(text))
        if k + 1 == len(starts):  # the last row: the next row's numbered task with no unit cell after it (an excerpt cut
            following = int(re.sub(r"\D", "", m.group())) + 1  # inside that row) ends this one, as a whole row would (any
            end = next((e for e in range(r + 1, end) if (n := NUMBERED_TASK.match(lines[e].of(text)))  # digit \d takes: ٢ too)
                        and int(re.sub(r"\D", "", n.group())) == following), end)
        task = mention(text, lines[r].start + m.end(), lines[r].end)
        cells = [task] + [Mention(lines[i].of(text), lines[i]) for i in range(r + 1, end)]
        if task is None or (laid := _lay_out(text, cells, head, task_col, unit_cols, deadline_col)) is None:
            continue
        laid_rows.append((r, end, *laid))
    _one_lead_a_row(text, laid_rows)
    rows = []
    for r, end, task, unit_cells, deadline in laid_rows:
        units = [u for (_, role), cs in zip(unit_cols, unit_cells, strict=True) for c in cs for u in _units_of(text, c, role)]
        if not units:
            continue
        year = YEAR.search(deadline.text) if deadline is not None else None
        spans = [c.span for cs in unit_cells for c in cs]
        rows.append(TableRow(Span(lines[r].start, lines[end - 1].end), task, Span(task.span.end, max(sp.end for sp in spans)),
                             units, int(year.group(1)) if year else None))
        taken.update(range(r, end))
    return rows, taken


def _one_lead_a_row(text: str, laid_rows: list) -> None:
    """A row whose unit lines outnumber the unit columns (沈河: 发改局 / 区工信局 / 各街道办事处 under 牵头单位 / 责任单位) is
    read from its end with the extra lines given to the first column; where every other row's first unit cell is one
    line naming one unit while some row's second lists several, the first column holds one unit a row and the extra
    lines are the second column's cell broken over lines.  Changes ``laid_rows`` in place."""
    firsts = [cells[0] for _, _, _, cells, _ in laid_rows if len(cells) >= 2]
    split = [i for i, (_, _, _, cells, _) in enumerate(laid_rows) if len(cells) >= 2 and len(cells[0]) > 1]
    if not split or len(split) > len(firsts) - len(split):  # most rows keep one line in the first unit cell
        return
    alone = all(len(cells[0]) == 1 and len(_units_of(text, cells[0][0], "lead")) == 1
                for i, (_, _, _, cells, _) in enumerate(laid_rows) if len(cells) >= 2 and i not in split)
    several = any(len(cells[1]) == 1 and len(_units_of(text, cells[1][0], "unspecified")) > 1
                  for _, _, _, cells, _ in laid_rows if len(cells) >= 2)
    if not (alone and several):
        return
    for i in split:
        r, end, task, cells, deadline = laid_rows[i]
        # only where the second cell left is one line naming one unit, as a cell's last line broken off would: a row whose
        # second cell lists several on its own line is whole, and its first column's lines are co-leads
        if len(cells[1]) == 1 and len(_units_of(text, cells[1][0], "unspecified")) == 1:
            laid_rows[i] = (r, end, task, [cells[0][:1], cells[0][1:] + cells[1], *cells[2:]], deadline)


def rows_under(text: str, lines: list[Span], head: list[str]) -> tuple[list[TableRow], set[int]]:
    """:func:`numberedrows.rows_under` (a number alone on a line opens each row), else the rows numbered in their task cells."""
    rows, taken = numbered_rows(text, lines, head)
    task_col = task_column(head)
    if rows or task_col is None:
        return rows, taken
    unit_cols = [(i, role) for i, c in enumerate(head) if (role := unit_role(c))]
    deadline_col = next((i for i, c in enumerate(head) if DEADLINE_HEAD.search(c)), None)
    rows, taken = rows_numbered_in_task(text, lines, head, task_col, unit_cols, deadline_col)
    if rows:
        return rows, taken
    from .progressrows import unnumbered_rows

    return unnumbered_rows(text, lines, head, task_col, unit_cols, deadline_col)
