"""The header of a task table: which lines are column names, and which column holds the task.

A page may give a header one cell a line (序号 / 重点工作任务 / 主要责任单位 / 完成时限) with nothing
closing the cells, set spaces between a name's characters (具 体 内 容) or break a name over two
cells (牵头 / 部门).  These readers tell such lines apart from a table's rows, give the header's
cells as column names and find the task's column; every table reader (tables, pipe tables,
numbered rows, headed and box tables) starts from them.
"""

from __future__ import annotations

import itertools
import re

from ..records import Span
from .tablecells import (
    _PEOPLE_WORD,
    DEADLINE_HEAD,
    INDICATOR_HEAD,
    OTHER_HEADS,
    REPORT_HEAD,
    TASK_HEAD,
    unit_role,
)


def is_column_head(cell: str) -> bool:
    """A table's column name standing alone on a line (序号 / 重点工作任务 / 主要责任单位 / 完成时限)."""
    cell = cell.strip(" \t\u3000|")
    return bool(unit_role(cell) or OTHER_HEADS.match(cell) or DEADLINE_HEAD.fullmatch(cell) or REPORT_HEAD.fullmatch(cell)
                or (len(cell) <= 8 and re.fullmatch(r"(?:重点|主要|具体)?(?:工作)?(?:任务|事项|内容|措施|举措)(?:内容)?"
                                                    r"|(?:重点|主要|具体)工作", cell)))  # 主要工作: a column of steps


def task_column(head: list[str], unnamed: bool = False) -> int | None:
    """The column a table's task stands in: the one named as a task (任务/事项/…, not a unit column such as 牵头工作单位),
    else — a header opened by 序号, or any when ``unnamed`` — the first column that is neither a unit, a deadline, a
    people's nor another known column (2022年预期目标, 主要指标, 项目)."""
    named = next((i for i, c in enumerate(head) if TASK_HEAD.search(c) and not unit_role(c)), None)
    if named is None:  # 类别 / 指标名称 / 年度目标 / 完成情况 / 责任部门: the indicator is the row's task
        named = next((i for i, c in enumerate(head) if INDICATOR_HEAD.fullmatch(c)), None)
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
             "task": lambda c: (bool(TASK_HEAD.search(c)) and not unit_role(c)) or bool(INDICATOR_HEAD.fullmatch(c)),
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
