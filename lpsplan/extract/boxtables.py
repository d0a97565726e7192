"""Task tables drawn with box characters (│ ├ ┼ ┤ ┌ ┬ ┐ └ ┴ ┘ ─), as law sites and old documents give them: every
line of the drawing has one segment a column, a cell's text wraps inside words over several lines, and a rule
(───) under a column ends that column's cell alone, so that one cell of a column (牵头组织实施单位) may span the cells
of several rows of another (the tasks under it)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..records import Mention, Span, UnitMention
from . import tables
from .tablecells import DEADLINE_HEAD, YEAR, TableRow, unit_role
from .tableheads import task_column
from .text import mention

BOX = "│├┤┼┌┐└┘┬┴"
_SEPARATOR = re.compile(f"[{BOX}]")
_RULE = re.compile(r"[─━\s]*")
_OPEN, _CLOSE = "((〔[", "))〕]"


def find_table(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """:func:`tables.find_table`, and when it finds none a table drawn with box characters, else one found by its
    header (:mod:`headedtables`)."""
    rows, taken = tables.find_table(text, lines)
    if not rows:
        rows, taken = box_table(text, lines)
    if not rows:  # a table found by its header, whatever its cells' form (序号 / 项目名称 / … / 牵头单位 / 责任单位)
        from .headedtables import headed_table

        rows, taken = headed_table(text, lines)
    return rows, taken


def box_table(text: str, lines: list[Span]):
    """Rows of the first box-drawn task table among ``lines`` (see :func:`tables.find_table`) and the indexes of the
    lines it takes.  Its header is each column's first cell; a column named as units (by :func:`tables.unit_role`)
    gives one row for each of its later cells: the units it lists (its text joined over its lines, split on 、,,;;
    outside brackets, 等部门 dropped), the task the first task cell that starts beside it (that cell's first line),
    and the deadline the deadline column's cell beside it.  The task is the task column's text on the unit cell's first
    line, else the first beside the cell (a task whose cell began above it: 方面的投入 / △加强财政监督…)."""
    drawn = [i for i, s in enumerate(lines) if s.of(text).lstrip(" \t\u3000")[:1] in BOX]
    if len(drawn) < 4:
        return [], set()
    segments = {i: _segments(text, lines[i]) for i in drawn}
    width = max((len(v) for v in segments.values()), key=lambda n: sum(len(v) == n for v in segments.values()))
    cells: list[list[_Cell]] = [[] for _ in range(width)]  # each column's cells, top to bottom
    open_cell = [False] * width
    for i in drawn:
        segs = segments[i]
        if len(segs) != width:  # a rule of another shape (the drawing's last line, a new table's first): all cells end
            open_cell = [False] * width
            continue
        for c, seg in enumerate(segs):
            if _RULE.fullmatch(seg.of(text)):
                open_cell[c] = False
                continue
            if not open_cell[c]:
                cells[c].append(_Cell(i, i, []))
                open_cell[c] = True
            cells[c][-1].last = i  # an empty segment: the cell goes on beside the other columns' lines
            piece = mention(text, seg.start, seg.end)
            if piece is not None:
                cells[c][-1].pieces.append((i, piece.span))
    if any(not col or not col[0].pieces for col in cells):
        return [], set()
    head = [re.sub(r"\s+", "", "".join(sp.of(text) for _, sp in col[0].pieces)) for col in cells]
    task_col = task_column(head, unnamed=True)
    unit_cols = [(c, role) for c, name in enumerate(head) if (role := unit_role(name))]
    if task_col is None or not unit_cols:
        return [], set()
    deadline_col = next((c for c, name in enumerate(head) if DEADLINE_HEAD.search(name)), None)
    task_pieces = [(i, sp) for cell in cells[task_col][1:] for i, sp in cell.pieces]
    rows = []
    for col, role in unit_cols:
        for cell in cells[col][1:]:
            units = _units(text, cell.pieces, role) if cell.pieces else []
            # the task beside the cell's first line, else the first that starts beside the cell
            beside = [sp for i, sp in task_pieces if cell.first <= i <= cell.last]
            if not units or not beside:
                continue
            task = Mention(beside[0].of(text), beside[0])
            deadline = next((d for d in (cells[deadline_col][1:] if deadline_col is not None else []) if d.first <= cell.last
                             and d.last >= cell.first), None)
            year = YEAR.search("".join(sp.of(text) for _, sp in deadline.pieces)) if deadline else None
            span = Span(task.span.end, max(task.span.end, cell.pieces[-1][1].end))  # the clause ends where its annotation begins
            rows.append(TableRow(Span(lines[cell.first].start, lines[cell.last].end), task, span, units,
                                 int(year.group(1)) if year else None))
    if not rows:
        return [], set()
    return sorted(rows, key=lambda r: r.task.span.start), set(drawn)


@dataclass
class _Cell:
    first: int  # the index of its first line and of its last (empty segments included)
    last: int
    pieces: list[tuple[int, Span]]  # (line, the text it holds on that line)


def _segments(text: str, line: Span) -> list[Span]:
    """The spans between a drawn line's separators (none before the first or after the last)."""
    cuts = [line.start + m.start() for m in _SEPARATOR.finditer(line.of(text))]
    return [Span(a + 1, b) for a, b in itertools.pairwise(cuts)]


def _units(text: str, cell: list[tuple[int, Span]], role: str) -> list[UnitMention]:
    """The units a cell lists, its text joined over its lines: each name spans from its first character to its last."""
    from .names import ET_CETERA

    chars = [(ch, sp.start + k) for _, sp in cell for k, ch in enumerate(sp.of(text)) if not ch.isspace()]
    out, piece, depth = [], [], 0
    for ch, at in chars + [("、", -1)]:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if ch in "、,,;;。" and depth <= 0:
            name = "".join(c for c, _ in piece)
            cut = ET_CETERA.search(name)
            if cut and cut.start() > 0:
                piece, name = piece[: cut.start()], name[: cut.start()]
            if len(name) >= 2 and not (cut and cut.start() == 0):
                out.append(UnitMention(name, Span(piece[0][1], piece[-1][1] + 1), role))
            piece, depth = [], 0
            continue
        piece.append((ch, at))
    return out
