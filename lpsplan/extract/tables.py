"""Task-breakdown tables flattened to text (copied from a document: cells separated
by tabs, two or more spaces, or '|'), such as

    序号  重点任务          牵头单位  配合单位              完成时限
    1     建设科技创新平台  市科技局  市发展改革委、市财政局  2024年12月

Each numbered row becomes a task whose clause is the task cell, whose units come
from the unit columns (牵头 → lead, 配合/协同 → support, 责任 → unspecified) and
whose deadline comes from the 完成时限 column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Mention, Span, UnitMention
from .text import split_top

CELL_SPLIT = re.compile(r"\t+|[ \u3000]{2,}|\s*\|\s*")
TASK_HEAD = re.compile(r"任务|事项|工作内容|工作措施")
UNIT_HEADS = {"牵头单位": "lead", "责任单位": "unspecified", "主要责任单位": "unspecified", "配合单位": "support",
              "协同配合单位": "support", "协同单位": "support"}
DEADLINE_HEAD = re.compile(r"完成时限|完成时间|时间节点")
YEAR = re.compile(r"(\d{4})\s*年")


@dataclass
class TableRow:
    span: Span
    task: Mention
    annotation: Span
    units: list[UnitMention]
    deadline: int | None


def _cells(text: str, line: Span) -> list[Mention]:
    out, pos = [], line.start
    for m in CELL_SPLIT.finditer(text, line.start, line.end):
        if m.start() > pos:
            out.append(Mention(text[pos:m.start()], Span(pos, m.start())))
        pos = m.end()
    if pos < line.end:
        out.append(Mention(text[pos:line.end], Span(pos, line.end)))
    return [c for c in out if c.text.strip()]


def find_table(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """Rows of a task table among ``lines``, and the indexes of the lines the table takes."""
    for h, line in enumerate(lines):
        head = [c.text.strip() for c in _cells(text, line)]
        if len(head) < 3 or not any(TASK_HEAD.search(c) for c in head) or not any(c in UNIT_HEADS for c in head):
            continue
        task_col = next(i for i, c in enumerate(head) if TASK_HEAD.search(c))
        unit_cols = [(i, UNIT_HEADS[c]) for i, c in enumerate(head) if c in UNIT_HEADS]
        deadline_col = next((i for i, c in enumerate(head) if DEADLINE_HEAD.search(c)), None)
        rows, taken = [], {h}
        for r in range(h + 1, len(lines)):
            cells = _cells(text, lines[r])
            if len(cells) != len(head) or not cells[0].text.strip().isdigit():
                break
            units = []
            for col, role in unit_cols:
                for name in split_top(text, cells[col].span.start, cells[col].span.end, "、,,;;"):
                    units.append(UnitMention(name.text, name.span, role))
            if not units:
                continue
            first_unit = min(cells[c].span.start for c, _ in unit_cols)
            last_unit = max(cells[c].span.end for c, _ in unit_cols)
            year = YEAR.search(cells[deadline_col].text) if deadline_col is not None else None
            rows.append(TableRow(lines[r], cells[task_col], Span(first_unit, last_unit), units, int(year.group(1)) if year else None))
            taken.add(r)
        if rows:
            return rows, taken
    return [], set()
