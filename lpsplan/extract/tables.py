"""Task-breakdown tables flattened to text (copied from a document: cells separated
by tabs, two or more spaces, or '|'), such as

    序号  重点任务          牵头单位  配合单位              完成时限
    1     建设科技创新平台  市科技局  市发展改革委、市财政局  2024年12月

Each numbered row becomes a task whose clause is the task cell, whose units come
from the unit columns (牵头 → lead, 配合/协同 → support, 责任 → unspecified) and
whose deadline comes from the 完成时限 column.  ``find_table`` tries each form in turn;
the rows whose cells tabs or spaces separate (a one-space row rejoined, right-aligned or
merged on the left) are read here, the tables ``|`` closes in ``pipetables``, the rows of a
one-cell-a-line table in ``numberedrows`` and the header in ``tableheads``.
"""

from __future__ import annotations

import re

from ..records import Mention, Span
from .celltables import rows_under  # numbered alone, in the task cell, or not at all
from .numberedrows import row_number
from .pipetables import _rows_by_content, _rows_of_cell_lines, _unnumbered_rows
from .tablecells import (
    _CJK,
    DEADLINE_HEAD,
    RULE_ROW,
    SINGLE_SPLIT,
    TASK_HEAD,
    YEAR,
    TableRow,
    _cells,
    _header,
    _unit_cell,
    _units_of,
    names_no_unit,
    unit_role,
)
from .tableheads import _bare_cell_header_at


def find_table(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """Rows of a task table among ``lines``, and the indexes of the lines the table takes.
    A row may go on over several lines (a unit cell with one unit a line): the cells past the
    header's count belong to the first unit column.  A table given one cell a line (each closed
    by ``|``) is read row by row the same way."""
    joined, members = _rows_of_cell_lines(text, lines)
    if len(joined) < len(lines):
        rows, taken = _find_table(text, joined)
        shifted, shifted_taken = _rows_by_content(text, joined)
        if shifted and (not rows or any(not _CJK.search(u.written) for r in rows for u in r.units)):
            rows, taken = shifted, shifted_taken
        return rows, {i for t in taken for i in members[t]}
    rows, taken = _find_table(text, lines)
    if not rows and (found := _bare_cell_header_at(text, lines)):  # one cell a line, nothing closing the cells
        head, first, after = found
        rows, taken = rows_under(text, lines[after:], head)
        taken = {after + i for i in taken} | set(range(first, after)) if rows else set()
    if not rows:
        rows, taken = _unnumbered_rows(text, lines)
    return rows, taken


def _find_table(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    for h, line in enumerate(lines):
        found = _header(text, line)
        if not found:
            continue
        head, split = found
        task_col = next(i for i, c in enumerate(head) if TASK_HEAD.search(c))
        unit_cols = [(i, role) for i, c in enumerate(head) if (role := unit_role(c))]
        deadline_col = next((i for i, c in enumerate(head) if DEADLINE_HEAD.search(c)), None)
        rows, taken = [], {h}
        r, number = h + 1, None
        while r < len(lines):
            if RULE_ROW.match(lines[r].of(text)) and r == h + 1:  # |---|---| under the header
                taken.add(r)
                r += 1
                continue
            cells = _cells(text, lines[r], split)
            if split is SINGLE_SPLIT:
                cells = _rejoined(text, cells)
            if not cells or row_number(cells[0].text.strip()) is None:
                sub = _unnumbered_row(text, cells, head, task_col, unit_cols) if number is not None and split is SINGLE_SPLIT else None
                if sub is not None:  # a further task of the row above, on a line of its own with its own units
                    rows.append(sub)
                    taken.add(r)
                    r += 1
                    continue
                if number is not None and (any(_row_numbered(text, lines, r + j, split, number + 1) for j in (1, 2))
                                           or _further_task_at(text, lines, r + 1, split, head, task_col, unit_cols)):
                    # a stray line between two rows (a garbled line, a page's remnant; two in a row where one is a
                    # row's unnumbered last line): the table goes on
                    r += 1
                    continue
                break
            number, used = row_number(cells[0].text.strip()), [r]
            if len(cells) < len(head) and (merged := _merged_on_the_left(text, cells, head, task_col, unit_cols)) is not None:
                cells = merged  # a row whose first columns a merged cell fills: whole on its line (not one going on below)
            while len(cells) < len(head) or (deadline_col == len(head) - 1 and not YEAR.search(cells[-1].text) and split is SINGLE_SPLIT):
                if r + len(used) >= len(lines) or len(used) > 8:
                    break
                nxt = _cells(text, lines[r + len(used)], split)
                if split is SINGLE_SPLIT:
                    nxt = _rejoined(text, nxt)
                if not nxt or nxt[0].text.strip().isdigit():
                    break
                cells += nxt
                used.append(r + len(used))
            if len(cells) < len(head):
                if r + len(used) < len(lines) or max(c for c, _ in unit_cols) >= len(cells):
                    break
                present = len(cells)  # the excerpt's last row, cut after its units: read with the cells it has
                cells += [cells[-1]] * (len(head) - len(cells))
                if deadline_col is not None and deadline_col >= present:
                    deadline_col = None
            aligned = _right_aligned(text, cells, head, unit_cols, deadline_col) if len(used) == 1 and split is SINGLE_SPLIT else None
            if aligned is not None:  # cells with spaces inside, on one line: the unit columns are the row's last cells
                cells = aligned
            elif len(cells) > len(head):  # a unit cell written over several lines
                first = unit_cols[0][0]
                extra = len(cells) - len(head)
                cells = cells[:first] + [cells[first:first + extra + 1]] + cells[first + extra + 1:]
            units = []
            for col, role in unit_cols:
                for cell in (cells[col] if isinstance(cells[col], list) else [cells[col]]):
                    if not names_no_unit(cell.text):  # 已完工 where a page lost an empty unit cell: no unit
                        units += _units_of(text, cell, role)
            r += len(used)
            if not units:
                continue
            flat = [c for cell in cells for c in (cell if isinstance(cell, list) else [cell])]
            unit_spans = [c.span for col, _ in unit_cols for c in (cells[col] if isinstance(cells[col], list) else [cells[col]])]
            deadline_cell = cells[deadline_col] if deadline_col is not None else None
            year = YEAR.search(deadline_cell.text) if isinstance(deadline_cell, Mention) else None
            first_unit = min(sp.start for sp in unit_spans)
            task_end = cells[task_col].span.end
            # the row's annotation: its unit cells, and whatever the row holds between the task cell and them
            # (| separators, a 责任领导 cell), so that the task's text ends where its annotation begins
            begin = min(task_end, first_unit)
            # (序号 | 责任单位 | 工作任务: the units first, and the task beginning where their annotation ends)
            close = max(cells[task_col].span.start, *(sp.end for sp in unit_spans))
            rows.append(TableRow(Span(flat[0].span.start, flat[-1].span.end), cells[task_col],
                                 Span(begin, close), units, int(year.group(1)) if year else None))
            taken.update(used)
        if rows:
            return rows, taken
    return [], set()


def _merged_on_the_left(text: str, cells: list[Mention], head: list[str], task_col: int, unit_cols) -> list[Mention] | None:
    """A numbered row with fewer cells than the header whose cells, laid from its end, put a unit cell in every unit
    column: the cells it lacks are those of columns between its number and its task that a cell merged over several
    rows fills in the row above (序号 / 政策类型 / 政策要点 / 主要措施 / 牵头单位 / 配合单位 / 备注, 政策类型 written once for a
    group of rows).  The row's cells in the header's places, the number's cell standing in for the merged ones; None
    when the row is not of that shape (the task's column among the merged ones, or a unit column without units)."""
    missing = len(head) - len(cells)
    if missing <= 0 or row_number(cells[0].text.strip()) is None or task_col <= missing:
        return None
    laid = [cells[0]] * (missing + 1) + cells[1:]
    if not all(_unit_cell(text, laid[col]) for col, _ in unit_cols) or _unit_cell(text, laid[task_col]):
        return None
    return laid


def _rejoined(text: str, cells: list[Mention]) -> list[Mention]:
    """Cells of a one-space row with a list of units put back together where the page set a space after the list's
    comma (各区教育局、 市局直属单位): a cell that ends in 、 or , goes on in the next."""
    out: list[Mention] = []
    for cell in cells:
        if out and out[-1].text.rstrip()[-1:] in ("、", ",", "\uff0c"):
            out[-1] = Mention(text[out[-1].span.start:cell.span.end], Span(out[-1].span.start, cell.span.end))
        else:
            out.append(cell)
    return out


def _further_task_at(text: str, lines: list[Span], r: int, split, head: list[str], task_col: int, unit_cols) -> bool:
    """Whether line ``r`` of a one-space table is a further task of the row above (``_unnumbered_row``)."""
    if split is not SINGLE_SPLIT or r >= len(lines):
        return False
    return _unnumbered_row(text, _rejoined(text, _cells(text, lines[r], split)), head, task_col, unit_cols) is not None


def _unnumbered_row(text: str, cells: list[Mention], head: list[str], task_col: int, unit_cols) -> TableRow | None:
    """A line inside a one-space table with no row number, a task sentence and then a cell of units in the unit column's
    place (完成市创建办下达的阶段性和年度创建目标任务。 各科室): a further task of the numbered row above, whose number
    (and 备注) cells the table merged; its units are its own.  None when the line is not of that shape."""
    at = [None] + cells  # the row's cells with its number cell missing
    if not 2 <= len(cells) < len(head) or task_col == 0 or any(col >= len(at) for col, _ in unit_cols):
        return None
    task = at[task_col]
    if task is None or not task.text.rstrip().endswith(("。", ";", "\uff1b")) or any(at[col] is None or not _unit_cell(text, at[col])
                                                                                  for col, _ in unit_cols):
        return None
    units = [u for col, role in unit_cols for u in _units_of(text, at[col], role)]
    if not units:
        return None
    end = max(at[col].span.end for col, _ in unit_cols)
    return TableRow(Span(cells[0].span.start, cells[-1].span.end), task, Span(task.span.end, end), units, None)


def _row_numbered(text: str, lines: list[Span], r: int, split: re.Pattern[str], number: int) -> bool:
    """Whether line ``r`` opens the table's row ``number`` (the line before it then a stray one between two rows)."""
    cells = _cells(text, lines[r], split) if r < len(lines) else []
    return bool(cells) and cells[0].text.strip() == str(number)


def _right_aligned(text: str, cells: list[Mention], head: list[str], unit_cols, deadline_col) -> list | None:
    """A row of a table whose page kept one space between cells and also spaces inside them (加强水资源保 护 / 严守用水
    效率控制 红线): when the header's last columns are its unit (and deadline) columns, the row's last cells are those,
    each unit cell listing units; the cells between the row's number and them are the task's (one cell of the row)."""
    trailing = sorted([c for c, _ in unit_cols] + ([deadline_col] if deadline_col is not None else []))
    # a 备注 column after them (序号 工作任务 责任部门 备注) is one of the row's last cells too
    while trailing and trailing[-1] + 1 < len(head) and head[trailing[-1] + 1] == "备注":
        trailing.append(trailing[-1] + 1)
    first = trailing[0] if trailing else len(head)
    if not trailing or trailing != list(range(first, len(head))) or len(cells) < len(head):
        return None
    tail = cells[len(cells) - (len(head) - first):]
    if not all(_unit_cell(text, tail[c - first]) for c, _ in unit_cols):
        return None
    middle = cells[1:len(cells) - len(tail)]
    if not middle:
        return None
    # every column before the first unit column holds the task's words: the row's cells from its number on
    task = Mention(text[middle[0].span.start:middle[-1].span.end], Span(middle[0].span.start, middle[-1].span.end))
    return [cells[0]] + [task] * (first - 1) + tail


