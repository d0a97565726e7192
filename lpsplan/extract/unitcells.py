"""A task table's unit cells on lines of their own, where a page flattened its table one cell a line: ★区发改委、统计局
(the units of the task before it, the ★ marking the one that leads), and a cell that only lists units
(市农业农村局、市规划和自然资源局、市商务局(市粮食和物资储备局)), which a labelled line may follow (省牵头单位:省农业农村厅)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from ..records import Span, UnitMention
from .names import EACH_UNIT_RE, LAST_BRACKET_RE, UNIT_NAME_RE, _administrative, _each_of, _joined
from .tablecells import unit_role
from .text import Taken, has_words, split_top

# (a cell's text never starts with more spaces than its shortest length, one fewer being tried first and ending as well,
# and the spaces closing the line are never given back: tried every way, a long run of spaces took its square or worse)
STARRED_RE = re.compile(r"^[ \t\u3000]*★[ \t\u3000]*(?![ \t\u3000]{3})([^\n★|]{2,200}?)[ \t\u3000|]*+$", re.MULTILINE)


def starred_cells(text: str, start: int, end: int) -> list[tuple[Span, list[UnitMention]]]:
    """Every ★ cell in ``text[start:end]`` whose parts are all written as units' names are (not ★城镇新增就业(人), an
    indicator a table stars): the first leads, the others support it."""
    out = []
    for m in STARRED_RE.finditer(text, start, end):
        names = [n for listed in _each_of(text, split_top(text, m.start(1), m.end(1), "、,,;;")) for n in _joined(text, listed)]
        if names and all(UNIT_NAME_RE.fullmatch(n.text) or EACH_UNIT_RE.fullmatch(n.text) for n in names):
            out.append((Span(m.start(), m.end(1)), [UnitMention(n.text, n.span, "lead" if i == 0 else "support")
                                                    for i, n in enumerate(names)]))
    return out


# a line that is nothing but a list of units: no label, no sentence's end, no colon (an addressee line ends in one)
UNIT_LINE_RE = re.compile(r"^[ \t\u3000]*(?![ \t\u3000]{5})([^\n::;;。!?★|]{4,300}?)[ \t\u3000|]*+$", re.MULTILINE)


def unit_cells(text: str, start: int, end: int) -> list[tuple[Span, list[UnitMention]]]:
    """Every line in ``text[start:end]`` that lists two units or more, each written as a government's unit is (it ends
    as a unit's name does and starts with a level of government or a place: 市商务局, 杭州城西科创产业集聚区管委会) —
    a one-cell-a-line table's unit cell, whose role the table's header gives (see :func:`_header_role`).  Only right after a
    task's cell (a line ending in 。 or |), so that a notice's addressees (各街道办事处、镇人民政府,…) are not read, and
    only among a table's cells (see :func:`_in_table`) and with more text after it than a date: the offices that sign a
    notice (市发展和改革委员会、市财政局 / 2024年3月1日) under its last paragraph are no task's units.

    The text before and after each line is read only as far as the answer needs, and no stretch of it for every line
    (each line of a long table once read all the text before it and all after it)."""
    out = []
    visible, seen = -1, 0  # the last character before ``seen`` that is no space (-1: none)
    following = _NextWordedLine(text, end)
    found = list(UNIT_LINE_RE.finditer(text, start, end))
    k = 0
    while k < len(found):
        m = found[k]
        k += 1
        if (last := _last_visible(text, m.start(), seen)) >= 0:
            visible = last
        seen = m.start()
        before = text[visible] if visible >= 0 else ""
        if before not in ("。", "|"):  # a unit cell follows its task's cell (…加快培育…。), not a notice's lines
            continue
        after = following.after(m.end())
        if (after is not None and DATE_LINE_RE.match(after)) or not _in_table(text, m.start(), after, before):
            continue  # 市发展和改革委员会、市财政局 / 2024年3月1日: the offices that sign a notice, under its last paragraph
        if m.group(1).count("(") + m.group(1).count("(") != m.group(1).count(")") + m.group(1).count(")"):
            continue  # 区政府各部门(单位: a line the page cut
        names = [n for listed in _each_of(text, split_top(text, m.start(1), m.end(1), "、,,")) for n in _joined(text, listed)]
        bare = [LAST_BRACKET_RE.sub("", n.text) for n in names]  # 市商务局(市粮食和物资储备局): the bracket is its other name
        if len(names) >= 2 and all((UNIT_NAME_RE.fullmatch(b) and _administrative(b)) or EACH_UNIT_RE.fullmatch(b) for b in bare):
            role = _header_role(text, m.start())
            out.append((Span(m.start(1), m.end(1)), [UnitMention(n.text, n.span, role) for n in names]))
        elif (len(names) == 1 and "|" not in text[m.start():m.end()]
              and ((UNIT_NAME_RE.fullmatch(bare[0]) and _administrative(bare[0])) or EACH_UNIT_RE.fullmatch(bare[0]))):
            # 市委宣传部 / 各辖区 / 镇江新区 / 镇江高新区: a unit cell one unit a line, each line a unit's or an area's name
            # (nothing closing the cells: a column of cells closed by | is a |-table's, read by its rows; no name twice)
            run = [m]
            while (len(run) < 30 and (nxt := _NEXT_CELL_RE.match(text, run[-1].end(), end)) and "|" not in nxt.group()
                   and _one_unit_or_area(nxt.group(1)) and nxt.group(1) not in {r.group(1) for r in run}):
                run.append(nxt)
            after = following.after(run[-1].end()) if len(run) > 1 else None
            if len(run) > 1 and not (after is not None and DATE_LINE_RE.match(after)):
                role = _header_role(text, m.start())
                out.append((Span(m.start(1), run[-1].end(1)),
                            [UnitMention(r.group(1), Span(r.start(1), r.end(1)), role) for r in run]))
                while k < len(found) and found[k].start() < run[-1].end():
                    k += 1  # the run's lines are read
    return out


# the next line with words after a line's end (blank lines between): a cell of a table given one cell a line
_NEXT_CELL_RE = re.compile(r"[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+([^\s|][^\n|]{1,39}?)[ \t\u3000|]*(?=\r?\n|\Z)")


# an area a table names beside its units (镇江新区, 镇江高新区, 经济开发区)
_AREA_RE = re.compile(r"[\u4e00-\u9fff]{2,12}(?:新区|高新区|开发区|园区|[区县])")


def _one_unit_or_area(line: str) -> bool:
    """Whether a line names one unit (市委宣传部, 各辖区) or one area (镇江新区), as a government's: no list, no sentence."""
    name = LAST_BRACKET_RE.sub("", line.strip())
    if re.search(r"[、,,;;。\s]", name):
        return False
    return bool(EACH_UNIT_RE.fullmatch(name) or ((UNIT_NAME_RE.fullmatch(name) or _AREA_RE.fullmatch(name)) and _administrative(name)))


def _last_visible(text: str, at: int, stop: int = 0) -> int:
    """Where the last character of ``text[stop:at]`` that is no space stands (-1: none), read back from ``at``."""
    hi, size = at, 64
    while hi > stop:
        lo = max(stop, hi - size)
        if kept := text[lo:hi].rstrip():
            return lo + len(kept) - 1
        hi, size = lo, size * 2
    return -1


# where str.splitlines breaks a line (\r\n once)
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"\r\n|[{_BREAKS}]")


class _NextWordedLine:
    """The first line with words in ``text[at:end]`` as ``str.splitlines`` cuts it, for places ``at`` asked in order: a
    run of lines without words read once for every place in it, not once from each."""

    def __init__(self, text: str, end: int) -> None:
        self.text, self.end = text, end
        self.asked, self.start, self.line = end + 1, end, None  # for any place from asked to start: line

    def after(self, at: int) -> str | None:
        if not self.asked <= at <= self.start:
            self.asked, pos = at, at
            while True:
                cut = _LINE_BREAK.search(self.text, pos, self.end)
                line = self.text[pos:cut.start() if cut else self.end]
                if has_words(line):
                    self.start, self.line = pos, line
                    break
                if cut is None:
                    self.start, self.line = self.end, None
                    break
                pos = cut.end()
        return self.line


# a date on a line of its own: the one under a notice's signature (2024年3月1日, 二〇二四年三月一日)
DATE_LINE_RE = re.compile(r"[ \t\u3000]*(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t\u3000]*年[^\n]{0,12}$")
_ROW_NUMBER_LINE = re.compile(r"[ \t\u3000|]*(?:\d{1,3}|[一二三四五六七八九十]{1,3})[ \t\u3000|]*$")


def _in_table(text: str, at: int, after: str | None, before: str) -> bool:
    """Whether the line at ``at`` stands among a table's cells: a header above it that names a unit column (牵头单位,
    责任单位), the row's number above the task's cell, or — before more text — a row's number next (the next row) or
    cells closed by | around it (``before``: the last character before the line that is no space)."""
    headers = _unit_headers(text)
    if headers and headers[0] < at:
        return True
    above = _worded_lines_above(text, at, max(0, at - 2000))
    if len(above) == 2 and _ROW_NUMBER_LINE.match(above[0]):
        return True  # 1 / 加快建设城市大脑。 / 县大数据局、县财政局: the row's number above its task's cell
    return after is not None and bool(_ROW_NUMBER_LINE.match(after) or after.rstrip().endswith("|") or before == "|")


def _worded_lines_above(text: str, at: int, stop: int) -> list[str]:
    """The last two lines with words among ``text[stop:at].splitlines()``: each the one that holds the last letter or
    digit before the one after it, found by searching, not by cutting the stretch into lines and reading each."""
    out: list[str] = []
    hi = at
    while len(out) < 2 and (last := _LAST_WORD.search(text, stop, hi)) is not None:
        cut = max(text.rfind(ch, stop, last.start()) for ch in _BREAKS)
        first = cut + 1 if cut >= 0 else stop
        ends = [i for ch in _BREAKS if (i := text.find(ch, last.start(), at)) >= 0]
        out.insert(0, text[first:min(ends, default=at)])
        hi = first
    return out


_LAST_WORD = re.compile(r"[^\W_][\W_]*+\Z")  # the last letter or digit (str.isalnum) before the end


# how far apart the unit columns' names of one header stand at most (牵头单位 / | / 配合单位, blank lines between)
_HEADER_SPREAD = 200


def _header_role(text: str, at: int) -> str:
    """The role a table's header gives the units of a cell at ``at``: the roles its unit columns' names give (牵头单位:
    lead, 配合单位: support), read on the lines naming a unit column nearest above the cell — those of one header,
    no farther apart than :data:`_HEADER_SPREAD` — when they all give the same one; unspecified when they give none
    (责任单位) or several (牵头单位 / 配合单位: the cell could be either column's)."""
    j = bisect_left(_unit_headers(text), at) - 1
    return _header_roles(text)[j] if j >= 0 else "unspecified"


@lru_cache(maxsize=8)
def _header_roles(text: str) -> tuple[str, ...]:
    """For each line of :func:`_unit_headers`, the role of a cell whose nearest such line above it is that one (see
    :func:`_header_role`): the lines' roles counted in one pass, a window of lines no more than
    :data:`_HEADER_SPREAD` apart slid down the text, not gathered again for every cell."""
    headers = _unit_headers(text)
    roles = [{r for cell in re.split(r"[|\t]", text[at:at + 201].splitlines()[0]) if cell.strip() and (r := unit_role(cell))}
             for at in headers]
    out, counts, first = [], Counter(), 0
    for j, at in enumerate(headers):
        counts.update(roles[j])
        while at - headers[first] > _HEADER_SPREAD:
            counts.subtract(roles[first])
            first += 1
        given = {r for r, n in counts.items() if n > 0}
        out.append(given.pop() if given in ({"lead"}, {"support"}) else "unspecified")
    return tuple(out)


@lru_cache(maxsize=8)
def _unit_headers(text: str) -> tuple[int, ...]:
    """Where the lines of ``text`` that hold a unit column's name start (责任单位 / | 牵头单位 | 配合单位 |)."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        if len(line) <= 200 and any(unit_role(cell) for cell in re.split(r"[|\t]", line) if cell.strip()):
            out.append(pos)
        pos += len(line)
    return tuple(out)


def with_unit_cells(text: str, start: int, end: int, found: list, labelled: Callable[[int], bool]) -> list:
    """The annotations ``found`` with the unit cells (see :func:`unit_cells`) added; a cell that a run of labelled lines
    follows with nothing between (市商务局、市发改委 / 省牵头单位:省商务厅) is one annotation with it.  ``labelled``
    tells whether an annotation found at a place is such a run.  The annotation after a cell is looked up among those
    that start where it ends or across the spaces after it (the first of them in ``found``'s order), not in all."""
    taken = Taken(f[0] for f in found)
    by_start = sorted((f[0].start, i) for i, f in enumerate(found))
    starts = [at for at, _ in by_start]
    removed: set[int] = set()
    added = []
    for span, units in unit_cells(text, start, end):
        if taken.overlaps(span.start, span.end):
            continue
        gap = _VISIBLE.search(text, span.end)  # an annotation after the cell starts no later than this
        near = [i for _, i in by_start[bisect_left(starts, span.end):bisect_right(starts, gap.start() if gap else len(text))]
                if i not in removed]
        after = found[min(near)] if near else None
        if after is not None and labelled(after[0].start):
            removed.add(min(near))
            added.append((Span(span.start, after[0].end), units + after[1], after[2]))
        else:
            added.append((span, units, ""))
        taken.add(added[-1][0])
    found[:] = [f for i, f in enumerate(found) if i not in removed] + added
    return found


_VISIBLE = re.compile(r"\S")
