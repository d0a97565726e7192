"""A task table's unit cells on lines of their own, where a page flattened its table one cell a line: ★区发改委、统计局
(the units of the task before it, the ★ marking the one that leads), and a cell that only lists units
(市农业农村局、市规划和自然资源局、市商务局(市粮食和物资储备局)), which a labelled line may follow (省牵头单位:省农业农村厅)."""

from __future__ import annotations

import re
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
    a one-cell-a-line table's unit cell, whose role the table's header gives (unspecified here).  Only right after a
    task's cell (a line ending in 。 or |), so that a notice's addressees (各街道办事处、镇人民政府,…) are not read, and
    only among a table's cells (see :func:`_in_table`) and with more text after it than a date: the offices that sign a
    notice (市发展和改革委员会、市财政局 / 2024年3月1日) under its last paragraph are no task's units."""
    out = []
    for m in UNIT_LINE_RE.finditer(text, start, end):
        before = text[:m.start()].rstrip()
        if not before.endswith(("。", "|")):  # a unit cell follows its task's cell (…加快培育…。), not a notice's lines
            continue
        after = next((line for line in text[m.end():end].splitlines() if has_words(line)), None)
        if (after is not None and DATE_LINE_RE.match(after)) or not _in_table(text, m.start(), after):
            continue  # 市发展和改革委员会、市财政局 / 2024年3月1日: the offices that sign a notice, under its last paragraph
        if m.group(1).count("(") + m.group(1).count("(") != m.group(1).count(")") + m.group(1).count(")"):
            continue  # 区政府各部门(单位: a line the page cut
        names = [n for listed in _each_of(text, split_top(text, m.start(1), m.end(1), "、,,")) for n in _joined(text, listed)]
        bare = [LAST_BRACKET_RE.sub("", n.text) for n in names]  # 市商务局(市粮食和物资储备局): the bracket is its other name
        if len(names) >= 2 and all((UNIT_NAME_RE.fullmatch(b) and _administrative(b)) or EACH_UNIT_RE.fullmatch(b) for b in bare):
            out.append((Span(m.start(1), m.end(1)), [UnitMention(n.text, n.span, "unspecified") for n in names]))
    return out


# a date on a line of its own: the one under a notice's signature (2024年3月1日, 二〇二四年三月一日)
DATE_LINE_RE = re.compile(r"[ \t\u3000]*(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t\u3000]*年[^\n]{0,12}$")
_ROW_NUMBER_LINE = re.compile(r"[ \t\u3000|]*(?:\d{1,3}|[一二三四五六七八九十]{1,3})[ \t\u3000|]*$")


def _in_table(text: str, at: int, after: str | None) -> bool:
    """Whether the line at ``at`` stands among a table's cells: a header above it that names a unit column (牵头单位,
    责任单位), the row's number above the task's cell, or — before more text — a row's number next (the next row) or
    cells closed by | around it."""
    if any(h < at for h in _unit_headers(text)):
        return True
    above = [line for line in text[max(0, at - 2000):at].splitlines() if has_words(line)][-2:]
    if len(above) == 2 and _ROW_NUMBER_LINE.match(above[0]):
        return True  # 1 / 加快建设城市大脑。 / 县大数据局、县财政局: the row's number above its task's cell
    return after is not None and bool(_ROW_NUMBER_LINE.match(after) or after.rstrip().endswith("|")
                                      or text[:at].rstrip().endswith("|"))


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
    tells whether an annotation found at a place is such a run."""
    taken = Taken(f[0] for f in found)
    for span, units in unit_cells(text, start, end):
        if taken.overlaps(span.start, span.end):
            continue
        after = next((f for f in found if f[0].start >= span.end and not text[span.end:f[0].start].strip()), None)
        if after is not None and labelled(after[0].start):
            found.remove(after)
            found.append((Span(span.start, after[0].end), units + after[1], after[2]))
        else:
            found.append((span, units, ""))
        taken = Taken(f[0] for f in found)
    return found
