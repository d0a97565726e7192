"""Tables whose cells ``|`` closes, given one cell a line or with rows that keep no number.

Three forms copied from pages: runs of lines each holding one cell closed by ``|`` (the header's
cells, then one row from each number); such a table whose rows do not keep the header's places (a
cell merged over a group of rows); and a ``|`` table whose rows carry no number of their own, read
from a header of short column names, its unit cells counted from the end when an excerpt cut a
row short.  A cell that says its units' roles (X、Y牵头,Z配合) is read as a bracket without a label.
"""

from __future__ import annotations

import re

from ..records import Mention, Span
from .numberedrows import row_number
from .tablecells import (
    _CJK,
    CELL_LINE,
    CELL_SPLIT,
    DEADLINE_HEAD,
    YEAR,
    TableRow,
    _cells,
    _header,
    _unit_cell,
    _units_of,
    unit_role,
)
from .tableheads import column_names, task_column
from .text import mention


def _rows_of_cell_lines(text: str, lines: list[Span]) -> tuple[list[Span], list[list[int]]]:
    """Runs of lines each holding one cell closed by ``|`` joined into rows: the header's cells up to
    the first line that is a number alone, then one row from each such number to the next greater one.  The
    joined spans run over line breaks; ``|`` followed by the break still separates cells.  Returns
    the new lines and, for each, the indexes of the lines it joins."""
    out: list[Span] = []
    members: list[list[int]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and CELL_LINE.match(lines[j].of(text)):
            j += 1
        if j - i < 6:  # not a run of cell lines: the line stays as it is
            out.append(lines[i])
            members.append([i])
            i += 1
            continue
        group: list[int] = []
        number: int | None = None
        for k in range(i, j):
            cell = lines[k].of(text).strip(" \t\u3000|")
            # a number alone opens the next row only when it can be the next row's number (a greater one, an excerpt
            # may skip rows): 2024 / 300 in a row's 建设时间 / 投资 cells are cells of that row
            # and not when another number follows it (in a progress table 4 | 4 | 100% | are a task's target and its
            # count done, not row 4) unless it is the very next row's (5 | 2024 |: row 5, its year)
            nxt = lines[k + 1].of(text).strip(" \t\u3000|") if k + 1 < j else ""
            value = row_number(cell)
            starts_row = (value is not None and (number is None or number < value <= number + 50)
                          and (not re.fullmatch(r"[\d.%\-]+", nxt) or value == (number or 0) + 1))
            if starts_row:
                number = value
            if cell == "序号" and number is None and group:  # the table's caption closed by | above its header: lines of their own
                out.extend(lines[g] for g in group)
                members.extend([g] for g in group)
                group = []
            if starts_row and group:
                out.append(Span(lines[group[0]].start, lines[group[-1]].end))
                members.append(group)
                group = []
            group.append(k)
        out.append(Span(lines[group[0]].start, lines[group[-1]].end))
        members.append(group)
        i = j
    return out, members


def _rows_by_content(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """A one-cell-a-line table closed by ``|`` whose rows do not keep the header's places: a cell merged over a group of
    rows (类别: 一、就业促进(3项)) stands only in the group's first row, empty cells come as a lone ``|`` and a task's
    sub-rows (its further targets and counts) follow in the same row.  With a header naming one unit column, each
    numbered row's units are in its first cell after the number that lists units (县人社局), its task the cell before
    that one (the target: 城镇新增就业1100人).  Used only where the read by the header's places finds no row or takes a
    cell without words for a unit."""
    for h, line in enumerate(lines):
        found = _header(text, line)
        if not found or found[1] is not CELL_SPLIT:
            continue
        unit_cols = [role for c in found[0] if (role := unit_role(c))]
        if len(unit_cols) != 1:
            return [], set()
        rows, taken = [], {h}
        for r in range(h + 1, len(lines)):
            cells = _cells(text, lines[r])
            if not cells or not cells[0].text.strip().isdigit():
                continue
            k = next((k for k in range(2, len(cells)) if _CJK.search(cells[k].text) and _unit_cell(text, cells[k])), None)
            if k is None:
                continue
            units = _units_of(text, cells[k], unit_cols[0])
            task = mention(text, cells[k - 1].span.start, cells[k - 1].span.end) or cells[k - 1]
            if units:
                rows.append(TableRow(Span(cells[0].span.start, cells[-1].span.end), task, Span(task.span.end, cells[k].span.end),
                                     units, None))
                taken.add(r)
        return (rows, taken) if rows else ([], set())
    return [], set()


def _unnumbered_rows(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """A table whose cells ``|`` closes and whose rows carry no number in a column of their own (项 目 | 目标 | 分 解 情 况 |
    责任领导 | 责任单位 | 责任人 |): a header of short column names, one of them a unit column, its task column the one named
    as a task or else its first that is no unit, deadline or people's column.  The header may be broken over two lines
    (工作任务 | 具体要求 / | 责任单位 |: the second line only names columns).  A row is a line whose unit and deadline
    cells are found from its end, as far from it as their columns are from the header's, each unit cell listing units
    (or saying their roles: X牵头,Y配合;Z参照落实 / X、Y负责落实).  A row with at least the header's count of cells (a
    cell may have been divided under its name: 分解情况 over three) has its task in the task column; a shorter one lacks
    the cells merged over a group of rows (一、做好财政信息公开。 written once, on the group's first row), and its task is
    the cell of words before its units (a number before it, 2 | 开设…, is the row's).  A line whose cells cannot hold the
    unit columns and a task is a row whose units the table merged with the row above: passed over."""
    for h, line in enumerate(lines):
        if "|" not in line.of(text):
            continue
        raw = [c.text for c in _cells(text, line)]
        head = column_names(raw)
        joined = False
        if (h + 1 < len(lines) and not any(unit_role(c) for c in head) and "|" in lines[h + 1].of(text)
                and _short_names(more := column_names([c.text for c in _cells(text, lines[h + 1])]))):
            head, raw, joined = head + more, raw + more, True  # 工作任务 | 具体要求 / | 责任单位 |: one header over two lines
        if not _short_names(head) or len(head) != len(raw) or len(head) < 3 or not any(unit_role(c) for c in head):
            continue
        task_col = task_column(head, unnamed=True)
        if task_col is None:
            continue
        unit_cols = [(i, role) for i, c in enumerate(head) if (role := unit_role(c))]
        deadline_col = next((i for i, c in enumerate(head) if DEADLINE_HEAD.search(c)), None)
        first_unit = min(col for col, _ in unit_cols)
        rows, taken = [], {h, h + 1} if joined else {h}
        for r in range(h + (2 if joined else 1), len(lines)):
            if "|" not in lines[r].of(text):
                if rows and r + 1 < len(lines) and "|" in lines[r + 1].of(text):
                    continue  # a stray line between two rows (a garbled line, a page's remnant): the table goes on
                break
            cells = _cells(text, lines[r])
            short = len(cells) < len(head)
            if rows and short and r - 1 in taken and (more := _continued(text, cells, head, unit_cols, deadline_col)):
                last = rows[-1]  # 2021.8 | 城投集团 |: a second time and unit of the task above, its other cells merged
                rows[-1] = TableRow(Span(last.span.start, cells[-1].span.end), last.task,
                                    Span(last.annotation.start, cells[-1].span.end), last.units + more, last.deadline)
                taken.add(r)
                continue
            if len(cells) < len(head) - first_unit + 1 or (not short and cells[0].text.strip().isdigit() and not joined
                                                           and _CJK.search(cells[task_col].text)):
                continue
            at = {col: cells[len(cells) - (len(head) - col)] for col, _ in unit_cols}
            if r == len(lines) - 1 and not all(_unit_cell(text, c) or _said_units(text, c) for c in at.values()):
                at = _cut_short(text, cells, head, unit_cols) or at  # the excerpt's last row, cut after its unit cell
            if not short and task_col > min(at):
                continue
            if all(_unit_cell(text, c) for c in at.values()):
                units = [u for col, role in unit_cols for u in _units_of(text, at[col], role)]
            elif len(at) == 1 and (said := _said_units(text, next(iter(at.values())))):
                units = said  # X牵头,Y配合;各镇(街)参照落实: the cell says each unit's role
            else:
                continue
            if not units:
                continue
            unit_at = len(cells) - (len(head) - first_unit)
            task_cell = cells[task_col] if not short else None
            if task_cell is not None and re.match(r"\s*(?:[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十]{1,3}[))])", task_cell.text):
                task_cell = None  # 一、做好…公开。 | 1.主动公开… | units: the group's heading, the task after it
            if task_cell is None or not _CJK.search(task_cell.text):  # the cell of words before the units (not its time's)
                dl_at = len(cells) - (len(head) - deadline_col) if deadline_col is not None else -1
                words = [c for c in cells[:unit_at] if _CJK.search(c.text)]
                task_cell = next((c for c in reversed(words) if not (dl_at >= 0 and c is cells[dl_at]) or len(words) == 1), None) if words else None
                if task_cell is None:
                    continue
            task = mention(text, task_cell.span.start, task_cell.span.end) or task_cell
            deadline = (cells[len(cells) - (len(head) - deadline_col)]
                        if deadline_col is not None and len(cells) >= len(head) - deadline_col else None)
            year = YEAR.search(deadline.text) if deadline is not None else None
            spans = [c.span for c in at.values()]
            rows.append(TableRow(Span(cells[0].span.start, cells[-1].span.end), task,
                                 Span(task.span.end, max(sp.end for sp in spans)), units, int(year.group(1)) if year else None))
            taken.add(r)
        if rows:
            return rows, taken
    return [], set()


# a cell that says when (2021.8 / 2021年11月 / 计划10月底完成…): a date, a month or a part of the year
_WHEN_CELL = re.compile(r"(?:19|20)\d{2}\s*[.\uff0e/年-]\s*\d{1,2}|\d{1,2}\s*月|年底|年内|季度")


def _continued(text: str, cells: list[Mention], head: list[str], unit_cols, deadline_col: int | None) -> list | None:
    """The units of a row that holds only a time and units, in the places of the deadline and unit columns
    (新建停车场… | 11月 | 建设局 | / 2021年11月 | 经开区 |): the task above is done by a second unit by a second
    time, the table merging the cells before.  None unless the row starts at the deadline column, its cells
    before the units each say when (short, a date in it) and its unit cells list units."""
    if deadline_col is None or len(cells) != len(head) - deadline_col:
        return None
    first_unit = min(col for col, _ in unit_cols)
    before = cells[:len(cells) - (len(head) - first_unit)]
    if not before or not all(len(c.text.strip()) <= 30 and _WHEN_CELL.search(c.text) and not _unit_cell(text, c)
                             for c in before):
        return None
    at = {col: cells[len(cells) - (len(head) - col)] for col, _ in unit_cols}
    if not all(_unit_cell(text, c) for c in at.values()):
        return None
    units = [u for col, role in unit_cols for u in _units_of(text, at[col], role)]
    return units or None


def _cut_short(text: str, cells: list[Mention], head: list[str], unit_cols) -> dict | None:
    """The unit cells of a row an excerpt cut (… | 市政府各有关部门负责落实 | 持 — its last cells lost or cut): counted from
    the end as if one or more cells after the unit columns were missing, the first count at which they are all unit cells."""
    last = max(col for col, _ in unit_cols)
    for missing in range(1, len(head) - last):
        at = {col: cells[i] for col, _ in unit_cols if 0 <= (i := len(cells) - (len(head) - col) + missing) < len(cells)}
        if len(at) == len(unit_cols) and all(_unit_cell(text, c) or _said_units(text, c) for c in at.values()):
            return at
    return None


def _short_names(head: list[str]) -> bool:
    """Whether cells can be a header's column names: short, no sentence, no figure."""
    return bool(head) and not any(len(c) > 8 or re.search(r"[。;;,,::\d]", c) for c in head)


def _said_units(text: str, cell: Mention) -> list | None:
    """The units of a cell that says their roles (X、Y牵头,Z配合 / X负责落实), as a bracket without a label says them;
    None unless each is a unit's name by its shape."""
    from .names import EACH_UNIT_RE, LAST_BRACKET_RE, UNIT_NAME_RE
    from .unlabelled import _unlabelled_units

    units = _unlabelled_units(text, cell.span.start, cell.span.end)
    if not units or not all(UNIT_NAME_RE.fullmatch(b := LAST_BRACKET_RE.sub("", u.written)) or EACH_UNIT_RE.fullmatch(b)
                            for u in units):
        return None
    return units
