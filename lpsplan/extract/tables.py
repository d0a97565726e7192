"""Task-breakdown tables flattened to text (copied from a document: cells separated
by tabs, two or more spaces, or '|'), such as

    序号  重点任务          牵头单位  配合单位              完成时限
    1     建设科技创新平台  市科技局  市发展改革委、市财政局  2024年12月

Each numbered row becomes a task whose clause is the task cell, whose units come
from the unit columns (牵头 → lead, 配合/协同 → support, 责任 → unspecified) and
whose deadline comes from the 完成时限 column.
"""

from __future__ import annotations

import itertools
import re

from ..records import Mention, Span
from .tablecells import (
    _CJK,
    _PEOPLE_WORD,
    CELL_LINE,
    CELL_SPLIT,
    DEADLINE_HEAD,
    OTHER_HEADS,
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
from .text import mention


def row_number(cell: str) -> int | None:
    """The number a cell of digits alone holds, else None: digits int() reads (not ① or ², which str.isdigit counts
    as digits) and no more of them than it converts (4,300, Python's limit)."""
    return int(cell) if cell.isdecimal() and len(cell) <= 4300 else None


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
            if task_cell is None or not _CJK.search(task_cell.text):  # the cell of words before the units
                task_cell = next((c for c in reversed(cells[:unit_at]) if _CJK.search(c.text)), None)
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


def is_column_head(cell: str) -> bool:
    """A table's column name standing alone on a line (序号 / 重点工作任务 / 主要责任单位 / 完成时限)."""
    cell = cell.strip(" \t\u3000|")
    return bool(unit_role(cell) or OTHER_HEADS.match(cell) or DEADLINE_HEAD.fullmatch(cell)
                or (len(cell) <= 8 and re.fullmatch(r"(?:重点|主要|具体)?(?:工作)?(?:任务|事项|内容|措施|举措)(?:内容)?"
                                                    r"|(?:重点|主要|具体)工作", cell)))  # 主要工作: a column of steps


def task_column(head: list[str], unnamed: bool = False) -> int | None:
    """The column a table's task stands in: the one named as a task (任务/事项/…, not a unit column such as 牵头工作单位),
    else — a header opened by 序号, or any when ``unnamed`` — the first column that is neither a unit, a deadline, a
    people's nor another known column (2022年预期目标, 主要指标, 项目)."""
    named = next((i for i, c in enumerate(head) if TASK_HEAD.search(c) and not unit_role(c)), None)
    if named is not None or not head or (head[0] != "序号" and not unnamed):
        return named
    return next((i for i, c in enumerate(head) if c != "序号" and not unit_role(c) and not DEADLINE_HEAD.search(c)
                 and not OTHER_HEADS.match(c) and not _PEOPLE_WORD.search(c)), None)


def _header_cell(line: str) -> bool:
    """A line that may be one cell of a table's header: short, no sentence, not a number."""
    cell = line.strip(" \t\u3000|")
    return (0 < len(cell) <= 16 and not re.search(r"[。;;,,]", cell)
            and not cell.isdigit() and (not re.match(r"\d{1,3}[.．、]|[一二三四五六七八九十]{1,3}、|[((]", cell)
                                        or bool(re.fullmatch(r"[((][^()()\d]{1,4}[))]", cell))))  # no number, heading, item; (万元) a measure's


def bare_cell_header(text: str, lines: list[Span]) -> list[str] | None:
    """The header of a table the page gave one cell a line with nothing closing the cells (序号 / 重点工作任务 /
    主要责任单位 / 协同配合单位, each on its own line): its column names, when one names the task (and no units:
    not 牵头工作单位) and one units.  A header opened by 序号 may name its task column anything (序号 / 2022年预期目标 /
    责任单位): its cells are the short lines up to the first row's number."""
    found = _bare_cell_header_at(text, lines)
    return found[0] if found else None


def _bare_cell_header_at(text: str, lines: list[Span]) -> tuple[list[str], int, int] | None:
    """:func:`bare_cell_header`, with the indexes of its first line and of the line after its last.  Each line is
    judged once, and a header that can name no unit column or no task column (a long run of 序号 or 责任单位 lines)
    is passed over without reading its names: from every line of such a run, the names were read to the run's end."""
    n = len(lines)
    cells = [s.of(text).strip(" \t\u3000|") for s in lines]
    heads = _first_from([is_column_head(c) for c in cells])  # the first line from k on that is no column's name
    short = _first_from([_header_cell(c) for c in cells])
    # the names the lines can make (column_names: each cell, or two running cells joined) that name units, or the task,
    # or any other column (the task's in a header opened by 序号)
    names = [re.sub(r"[ \t\u3000]+", "", c) for c in cells]
    pairs = [a + b if len(b) <= 2 and len(a) <= 4 and not _column_name(a) and _column_name(a + b) else ""  # joined
             for a, b in itertools.pairwise(names)]
    kinds = {"unit": lambda c: unit_role(c) is not None,
             "task": lambda c: bool(TASK_HEAD.search(c)) and not unit_role(c),
             "free": lambda c: (c != "序号" and not unit_role(c) and not DEADLINE_HEAD.search(c) and not OTHER_HEADS.match(c)
                                and not _PEOPLE_WORD.search(c))}
    found = {kind: (_first_from([not is_(c) for c in names]), _first_from([not (c and is_(c)) for c in pairs]))
             for kind, is_ in kinds.items()}

    def among(kind: str, i: int, j: int) -> bool:  # a name of that kind among those lines [i, j) can make
        single, pair = found[kind]
        return single[i] < j or pair[i] < j - 1

    for i in range(n):
        j = heads[i]
        if cells[i] == "序号":
            j = short[max(j, i + 1)]
        opened = names[i] == "序号" or (i + 1 < j and pairs[i] == "序号")
        if j - i < 3 or not among("unit", i, j) or not (among("task", i, j) or (opened and among("free", i, j))):
            continue  # fewer than three names, or none of a unit column, or none of the task's
        head = column_names(cells[i:j])
        if len(head) >= 3 and task_column(head) is not None and any(unit_role(c) for c in head):
            return head, i, j
    return None


def _first_from(flags: list[bool]) -> list[int]:
    """For each index k (and one past the end), the first index from k on whose flag is false (the length if none)."""
    out = [len(flags)] * (len(flags) + 1)
    for k in range(len(flags) - 1, -1, -1):
        out[k] = out[k + 1] if flags[k] else k
    return out


def _column_name(cell: str) -> bool:
    return bool(unit_role(cell) or DEADLINE_HEAD.fullmatch(cell) or OTHER_HEADS.match(cell) or TASK_HEAD.search(cell))


def column_names(cells: list[str]) -> list[str]:
    """A header's cells as column names: the spaces a page set between a name's characters taken out (具 体 内 容), and a
    name the page broke over two cells joined (牵头 / 部门 → 牵头部门, 完成 / 时间 → 完成时间): a cell that names no column
    and the short one after it, when together they name one."""
    out: list[str] = []
    for cell in (re.sub(r"[ \t\u3000]+", "", c) for c in cells):
        if out and len(cell) <= 2 and len(out[-1]) <= 4 and not _column_name(out[-1]) and _column_name(out[-1] + cell):
            out[-1] += cell
        else:
            out.append(cell)
    return out


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


