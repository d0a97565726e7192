"""The last-resort reader of a task or progress table: used only where a text would otherwise be refused for want of
plan structure (no headings, no numbered items, no table any other reader knows), so that it can make no read text
worse.  It knows no layout.  It cuts every line into cells — pieces between ``|``, tabs or runs of two spaces or
more, and the pieces between single spaces of a piece that holds a unit list among other words — and takes every cell
that only lists units (the project's own test of a name: it ends in a unit word such as 局/委/办/政府/中心/公司/街道/镇,
or is a collective such as 各县(市、区)人民政府) as the annotation of the nearest text cell before it: a task's cell,
not a row number, a person's name, a date, a percentage or a word of progress (已完工, 推进中), and not a column's
name.  Unit cells side by side (or one a line, with nothing but empty cells between) are one annotation.  Their
roles come from the header — a line or a run of short cells that names the columns (牵头 → lead, 配合/协办 → support,
责任 → unspecified), in order; a row's cells past the unit columns it names are another column's (备注) and not read —
and a text whose lines name no unit column is read as no table at all: a notice's addressees, its signature and a
page's 发布机构 are unit cells too.  Some names are units only where they stand: a place-like name with no unit word
(高新园, 临平新城, 未来科技城(海创园)) between unit cells or in the place of a unit column a ``|`` header names, and a
bracket alone in its cell after a unit is that unit's alias (应急管理局 / (安委办)).  A unit column the header names
before every column of content (序号 / 牵头单位 / 项目名称 / 业主单位) is a group's, written once after the group's
number: its units go with each later row's own."""

from __future__ import annotations

import collections
import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from ..records import Mention, Span, UnitMention
from .headedtables import _name_ok, _plain, _unit_parts
from .names import EACH_FIRST_RE, EACH_UNIT_RE, _without_et_cetera
from .numberedrows import DEADLINE_CELL
from .tablecells import CELL_LIST, OTHER_HEADS, OVERSEER_HEAD, PROGRESS_CELL, YEAR, TableRow, unit_role
from .tableheads import column_names, is_column_head
from .text import mention

_CUT = re.compile(r"\s*\|\s*|\t+|[ \u3000]{2,}")
_SPACE = re.compile(r"[ \u3000]+")
_NUMBER = re.compile(r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.\uff0e、]?|[(\uff08](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)\uff09]"
                     r"|[\u2460-\u2473]")
_DOC_NUMBER = re.compile(r".*[\u3014\[(\uff08]\d{4}[\u3015\])\uff09]\s*\d+\s*号")  # 济长政办字〔2021〕3号: a document's number, no task
_FULL_DATE = re.compile(r"\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2})\s*$")  # a notice's signature's
_NOTICE_TITLE = re.compile(r"\s*关于\S{2,80}的(?:通知|意见|决定|批复|函)\s*$")  # a document's title under its issuer's line
_PERCENT = re.compile(r"[\d.]+\s*%")
_COLUMN_TAIL = re.compile(r"(?:牵头|责任|配合|参与|参加|协办|协同|主办|承办)(?:单位|部门)$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _people(cell: str) -> bool:
    """Whether the cell is names of people and nothing else: two or three characters each (杨 宜 with a space; four —
    临平新城, 新建公园 — are a place or a task), one after another with one 、 , or space between.  Decided piece by
    piece, not by one pattern: a space may part two names or two characters of one, and a pattern that tried both
    took time doubling with each name (a cell of a few dozen 甲 乙 took minutes)."""
    for piece in re.split(r"[、,]", cell):  # between names only
        runs = [len(r) if _HAN.fullmatch(r) else 0 for r in re.split(r"[ \u3000]", piece)]
        if 0 in runs:  # a character no name has, two spaces running, or nothing between two separators
            return False
        ends = {0}  # the runs that can end a name: names are runs of two or three characters joined by single spaces
        for i in range(len(runs)):
            if i in ends:
                total = 0
                for j in range(i, min(i + 3, len(runs))):
                    total += runs[j]
                    if total in (2, 3):
                        ends.add(j + 1)
        if len(runs) not in ends:
            return False
    return True


RULES = ("group", "beside", "bracket", "placed", "weak-list", "zones", "collective", "stop-list", "header-first",
         "serial-header", "issuer-heading", "scorers")  # the rules one can switch off
_off: set[str] = set()


@contextmanager
def rules_off(*names: str):
    """Read with some of :data:`RULES` switched off (measurement only: ``bench/fallback_reader.py`` scores each document
    without the rules drawn from it, to see whether they carry to the others)."""
    unknown = set(names) - set(RULES)
    if unknown:
        raise ValueError(f"no such rule: {sorted(unknown)}")
    before = set(_off)
    _off.update(names)
    try:
        yield
    finally:
        _off.clear()
        _off.update(before)


def _on(rule: str) -> bool:
    return rule not in _off


@dataclass
class _Cell:
    line: int
    m: Mention | None  # None: an empty cell between two | (a column the row leaves blank)
    kind: str  # unit, text, skip (number, person, date, progress), head, empty
    units: list = field(default_factory=list)  # (Mention, mark) of a unit cell
    piped: bool = False  # its line has a | (each cell one column's; else a column's names may run one a line)


def _kind(text: str, m: Mention) -> tuple[str, list]:
    cell = m.text.strip(" \t\u3000|")
    plain = _SPACE.sub("", cell)
    collective = re.search(r"各|^[省市县区]直", plain) if _on("collective") else re.match(r"各|[省市县区]直", plain)
    if (is_column_head(cell) or unit_role(plain)) and not collective and "等" not in plain:
        return "head", []  # a column's name (责任单位), not 各街道等有关单位
    if not re.search(r"[\u4e00-\u9fff]", plain) or _DOC_NUMBER.match(plain) or re.search(r"[:\uff1a]$", plain):
        return "skip", []  # ---, a document's number, an addressee line (各街道办事处、镇人民政府,…:)
    if (_NUMBER.fullmatch(plain) or _PERCENT.fullmatch(plain) or PROGRESS_CELL.fullmatch(plain)
            or (len(plain) <= 24 and DEADLINE_CELL.match(plain))):
        return "skip", []
    parts = _units(text, m)
    if parts:
        return "unit", parts
    if _people(cell) and len(plain) <= 3 * (len(re.findall(r"[、,,]|[ \u3000]+(?=[\u4e00-\u9fff]{2})", cell)) + 1):
        return "skip", []  # 杨 宜 / 张三、李四: people, not a task (a task's cell that short names no work)
    return "text", []


def _open(cell: str) -> bool:
    """Whether a bracket of the cell is left open (区政府各部门(单位: a line the page cut)."""
    return cell.count("(") + cell.count("\uff08") != cell.count(")") + cell.count("\uff09")


def _units(text: str, m: Mention) -> list:
    """The units a cell lists with the roles it marks (see :func:`headedtables._unit_parts`), 等相关部门 cut off a
    name, and a collective counted by its number (13个街道、镇) or named as every one of a kind (各有关部门) read as
    one unit; empty when the cell is no list of units."""
    least = 1
    if m.text.rstrip(" |").endswith("。"):  # a sentence (建成县…服务中心。), or a list the page closed (区教育局、区卫健委。)
        body = m.text.rstrip(" |")[:-1]
        if not _on("stop-list") or not re.search(r"[、,\uff0c]", body):
            return []
        m, least = mention(text, m.span.start, m.span.start + len(body)) or m, 2
    cut = _without_et_cetera(text, m)
    if cut is None or _open(m.text):  # only 等有关部门; a cut line
        return []
    parts = _unit_parts(text, cut)
    if parts:
        out = [(name, mark) for p, mark in parts if (name := _without_et_cetera(text, p)) is not None]
        return out if len(out) >= least else []
    from .names import _each_of
    from .text import split_top

    out = []
    listed = _each_of(text, split_top(text, cut.span.start, cut.span.end, CELL_LIST))
    for part in listed:
        name = _without_et_cetera(text, mention(text, part.span.start, part.span.end) or part)
        if name is None:
            continue
        plain = _plain(name.text)
        if _SPACE.search(name.text.strip()) or _COLUMN_TAIL.search(plain):  # words between spaces; 细化措施 牵头单位: a header
            return []
        if not (_name_ok(plain, len(listed) > 1) or (EACH_FIRST_RE.match(plain) and len(plain) <= 12) or EACH_UNIT_RE.fullmatch(plain)
                or (len(listed) > 1 and _on("zones") and _PLACE.fullmatch(plain))):
            return []
        out.append((name, None))
    return out if len(out) >= least else []


def _cells(text: str, lines: list[Span]) -> list[_Cell]:
    out: list[_Cell] = []
    for i, s in enumerate(lines):
        pos = s.start
        piped = "|" in s.of(text)
        for sep in [*_CUT.finditer(text, s.start, s.end), None]:
            end = sep.start() if sep is not None else s.end
            m = mention(text, pos, end)
            if m is not None:
                for cell in _pieces(text, i, m):
                    cell.piped = piped
                    out.append(cell)
            elif piped and sep is not None and "|" in sep.group():
                out.append(_Cell(i, None, "empty", piped=True))
            if sep is not None:
                pos = sep.end()
    return out


def _pieces(text: str, i: int, m: Mention) -> list[_Cell]:
    """The cell ``m`` as read; where it is no unit list but some of its pieces between single spaces are (a page that
    kept one space between cells: 33 新培育科技型中小企业50家 区科技局 区经信局、区商务局), each piece as a cell."""
    kind, units = _kind(text, m)
    if kind != "text" or not _SPACE.search(m.text):
        return [_Cell(i, m, kind, units)]
    pieces, pos = [], m.span.start
    for part in _SPACE.split(m.text):
        if part:
            start = text.index(part, pos)
            pieces.append(Mention(part, Span(start, start + len(part))))
            pos = start + len(part)
    read = [(p, *_kind(text, p)) for p in pieces]
    # a header kept on one line with one space between its names: all short, or opened by 序号 and naming a unit column
    # (序号 省重点民生实事项目名称 责任单位 目标任务 1- 8月实际完成情况: the period in a name is no row)
    header = any(k == "head" for _, k, _ in read) and (all(_short(p.text) for p in pieces)
                                                        or (_on("serial-header") and _SPACE.sub("", pieces[0].text) == "序号"
                                                            and any(unit_role(p.text) for p in pieces)))
    if not any(k == "unit" for _, k, _ in read) and not header:
        return [_Cell(i, m, kind, units)]
    out: list[_Cell] = []
    for p, k, u in read:  # the words between unit lists, joined again: one text cell
        if k == "text" and out and out[-1].kind == "text" and out[-1].m is not None:
            out[-1].m = Mention(text[out[-1].m.span.start:p.span.end], Span(out[-1].m.span.start, p.span.end))
        else:
            out.append(_Cell(i, p, k, u))
    return out


def _columns(run: list[_Cell], named: int) -> list[list[_Cell]]:
    """A run's cells by column, ``named`` the unit columns the header names: each cell its own column, but units one a
    line with nothing cutting them (县水务局 / 县住建局 / 县护城河指挥部 under one column 责任单位) are the last column's
    when there are more of them than columns (the first columns one cell each, as a row gives them)."""
    loose = all(not c.piped for c in run) and all(a.line != b.line for a, b in itertools.pairwise(run))
    if named and len(run) > named and loose:
        return [[c] for c in run[:named - 1]] + [run[named - 1:]]
    return [[c] for c in run]


def _header_roles(text: str, cells: list[_Cell]) -> tuple[list[str], int, int, bool]:
    """The roles of the unit columns the table's header names, in order (the first run of column names that names
    units: one line's cells, or short cells one a line), how many of them come before every column of content
    (序号 / 牵头单位 / 项目数量 / 项目名称 / 业主单位: one, written once for a group of rows), the index of the
    header's first cell, and whether a column of those who score the work follows the last unit column (责任部门 /
    评分部门)."""
    k = 0
    while k < len(cells):
        if cells[k].kind != "head":
            k += 1
            continue
        run = []  # the short cells from the first column name on: 序号 / 项目 / 牵头 / 部门 / 相关责任部门 / 完成 / 时间
        first = k
        while k < len(cells) and (cells[k].m is None or (cells[k].kind in ("head", "text", "skip") and _short(cells[k].m.text))):
            if cells[k].m is not None:
                run.append(_SPACE.sub("", cells[k].m.text.strip(" |")))
            k += 1
        k = max(k, first + 1)  # a column name too long to be short starts no run: go on past it
        names = column_names(run)
        roles = [r for c in names if (r := unit_role(c))]
        if roles:
            content = next((i for i, c in enumerate(names) if not unit_role(c) and not OTHER_HEADS.match(c)), len(names))
            last = max(i for i, c in enumerate(names) if unit_role(c))
            scored = last + 1 < len(names) and OVERSEER_HEAD.match(names[last + 1]) is not None
            return roles, min(sum(1 for c in names[:content] if unit_role(c)), len(roles) - 1), first, scored
    return [], 0, 0, False


def _short(cell: str) -> bool:
    cell = _SPACE.sub("", cell.strip(" |"))
    return 0 < len(cell) <= 16 and not re.search(r"[。;;,,\d]", cell)


_BRACKET = re.compile(r"[(\uff08][^()\uff08\uff09]{1,12}[)\uff09]")
# a zone that answers for its own work (临平新城, 城乡一体化示范区), a unit only beside units or where units stand
_WORK_FIRST = re.compile(r"新建|建设|建成|改造|提升|实施|推进|打造|开展|完成|启动|续建|扩建|新增|加快|实现")
_WEAK_NAME = re.compile(r"[\u4e00-\u9fff]{2,20}(?:中心|委员会|协会)")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,}(?:开发区|高新区|新区|新城|园区|科技城|示范区)$")


def _place_parts(text: str, m: Mention, placed: bool) -> list:
    """The unit a cell that stands where units do names without a unit word of its own (高新园, 未来科技城(海创园),
    余杭经济技术开发区(钱江经济开发区)): the whole cell, its bracket an alias kept with it; empty when it is no name.
    In a unit column's place (``placed``) a list may also name a body by 中心 or 会 alone (济南中央活力区发展促进中心),
    which elsewhere is as often a building or an event."""
    plain = _plain(m.text)
    core = _BRACKET.sub("", plain)
    if placed and _on("weak-list") and re.search(r"[、,\uff0c]", plain):
        from .text import split_top

        listed = [mention(text, p.span.start, p.span.end) or p for p in split_top(text, m.span.start, m.span.end, "、,\uff0c")]
        if all(_name_ok(_plain(p.text), True) or (_WEAK_NAME.fullmatch(_plain(p.text)) and not _open(p.text)) for p in listed):
            return [(p, None) for p in listed]
        return []
    if not 2 <= len(core) <= 16 or re.search(r"[。;;,,:\uff1a\d]", core) or _WORK_FIRST.match(core):
        return []  # 新建公园 between two rows' units is a task's cell
    parts = _unit_parts(text, m, True)
    if parts and len(parts) == 1 and _BRACKET.search(plain) and not _BRACKET.search(_plain(parts[0][0].text)):
        return [(m, parts[0][1])]  # 未来科技城(海创园): one name, its alias with it
    if parts:
        return parts
    return [(m, None)] if _on("zones") and _PLACE.fullmatch(core) else []


def _unit_columns(text: str, lines: list[Span], cells: list[_Cell]) -> tuple[int, set[int]] | None:
    """The places of the unit columns a header written on one ``|`` line names (序号 | 重点工作任务 | 牵头领导 |
    牵头单位 |: {3}), with the count of its ``|``; None where no such line names one."""
    for c in cells:
        if c.kind == "head" and c.piped and c.m is not None and unit_role(_SPACE.sub("", c.m.text.strip(" |"))):
            line = lines[c.line].of(text)
            names = [_SPACE.sub("", n) for n in line.split("|")]
            return line.count("|"), {i for i, n in enumerate(names) if n and unit_role(n)}
    return None


def _beside_units(text: str, lines: list[Span], cells: list[_Cell]) -> list[_Cell]:
    """Cells that are units only where they stand, read as such: a place-like name (高新园, 未来科技城(海创园), 临平新城 —
    no unit word of its own) between unit cells of a run, or in the place of a unit column the ``|`` header names on a
    row of as many ``|``; and a bracket alone in its cell after a unit (高新园 / (邹区镇), 应急管理局 / (安委办)) is that
    unit's alias, one name with it."""
    columns = _unit_columns(text, lines, cells)

    def unit_at(j: int, step: int) -> bool:  # the next cell that is no lone bracket, ``step`` away, is a unit
        while 0 <= j < len(cells) and cells[j].m is not None and _BRACKET.fullmatch(_plain(cells[j].m.text)):
            j += step
        return 0 <= j < len(cells) and cells[j].kind == "unit"

    for j, c in enumerate(cells):
        if c.kind not in ("text", "skip") or c.m is None or _BRACKET.fullmatch(_plain(c.m.text)):
            continue  # (临平新城 is read as a person's name — four characters — where it stands alone)
        placed = False
        if columns is not None and c.piped and _on("placed"):
            line = lines[c.line]
            placed = (text[line.start:line.end].count("|") == columns[0]
                      and text[line.start:c.m.span.start].count("|") in columns[1])
        if placed or (_on("beside") and unit_at(j - 1, -1) and unit_at(j + 1, 1)):
            parts = _place_parts(text, c.m, placed)
            if parts and not any(_SPACE.search(p.text.strip()) for p, _ in parts):
                c.kind, c.units = "unit", parts
    out: list[_Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        if (_on("bracket") and c.m is not None and _BRACKET.fullmatch(_plain(c.m.text)) and prev is not None and prev.kind == "unit"
                and prev.m is not None and prev.units):
            last, mark = prev.units[-1]
            whole = Mention(text[last.span.start:c.m.span.end], Span(last.span.start, c.m.span.end))
            prev.units = [*prev.units[:-1], (whole, mark)]
            prev.m = Mention(text[prev.m.span.start:c.m.span.end], Span(prev.m.span.start, c.m.span.end))
            continue
        out.append(c)
    return out


def unit_rows(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """Rows read as the module says, and the indexes of the lines they take."""
    return _rows_of_cells(text, lines, _cells(text, lines))


class LinesAbove:
    """The lines above a text's first section, where the header of a table whose rows the sections hold may stand,
    their cells read once for every section (:meth:`unit_rows` with each section's lines).  A line's cells depend on
    that line alone, so those read once are the ones each reading of the lines above and a section's would give;
    reading them again for each section made the work grow with the sections times the text above them."""

    def __init__(self, text: str, lines: list[Span]):
        self.text = text
        self.lines = list(lines)

    @cached_property
    def _cells(self) -> list[_Cell]:
        return _cells(self.text, self.lines)

    @cached_property
    def name_unit_columns(self) -> bool:
        """Whether these lines hold a table's header naming a unit column, as this reader finds one."""
        return bool(_header_roles(self.text, self._cells)[0])

    def unit_rows(self, body: list[Span]) -> tuple[list[TableRow], set[int]]:
        """What :func:`unit_rows` answers for these lines followed by ``body``."""
        below = _cells(self.text, body)
        for c in below:
            c.line += len(self.lines)
        # copies: reading the rows marks some cells as units (a name beside units, a bracket joined to its unit)
        cells = [_Cell(c.line, c.m, c.kind, c.units, c.piped) for c in self._cells] + below
        return _rows_of_cells(self.text, self.lines + list(body), cells)


def _rows_of_cells(text: str, lines: list[Span], cells: list[_Cell]) -> tuple[list[TableRow], set[int]]:
    """The rows of :func:`unit_rows`, ``cells`` those of ``lines``."""
    roles, leading, first, scored = _header_roles(text, cells)
    if not roles:  # no header naming a unit column: no table (a notice's signature, its addressees, a page's issuer)
        return [], set()
    head = cells[first]
    cells = _beside_units(text, lines, cells)
    start = next((i for i, c in enumerate(cells) if c is head), 0) if _on("header-first") else 0
    # a page's 发布机构 or a notice's signature above the header gives no row; where nothing under the header gives one,
    # it named no table's columns and the text is read from the top
    rows, taken = _rows(text, lines, cells, roles, leading, start, scored)
    if not rows and start:
        rows, taken = _rows(text, lines, cells, roles, leading, 0, scored)
    return rows, taken


def _rows(text: str, lines: list[Span], cells: list[_Cell], roles: list[str], leading: int,
          k: int, scored: bool = False) -> tuple[list[TableRow], set[int]]:
    """The rows of :func:`unit_rows`, from the cell ``k`` on; ``scored``: a column of those who score the work follows
    the unit columns, and a run's last unit cell, when the run has more than one, is theirs."""
    rows: list[TableRow] = []
    taken: set[int] = set()
    group: list[UnitMention] = []  # the units of the columns before the content, for every row until the next group's
    while k < len(cells):
        if cells[k].kind != "unit":
            k += 1
            continue
        run = []  # unit cells and the empty cells between and after them
        while k < len(cells) and cells[k].kind in ("unit", "empty"):
            run.append(cells[k])
            k += 1
        if leading and _on("group"):
            before = next((c for c in reversed(cells[:k - len(run)]) if c.m is not None), None)
            if before is not None and before.kind == "skip" and _NUMBER.fullmatch(_plain(before.m.text)):
                # 一 / 区住建局: the row number, then the units of the leading columns — the group's, not a row
                group = [UnitMention(p.text, p.span, mark or roles[min(n, leading - 1)])
                         for n, cell in enumerate(run) for p, mark in cell.units]
                continue
        task_at = next((j for j in range(k - len(run) - 1, -1, -1) if cells[j].kind == "text"), None)
        task = cells[task_at].m if task_at is not None else None
        if task_at is None or task is None:
            continue
        if k < len(cells) and cells[k].m is not None and _FULL_DATE.match(cells[k].m.text):
            continue  # 江汉区人民政府办公室 / 2022年3月1日: a notice's signature, no row
        if _on("issuer-heading") and k < len(cells) and cells[k].m is not None and _NOTICE_TITLE.match(cells[k].m.text):
            continue  # 长沙市人民政府 / 关于…的通知: the issuer heading a notice, no row
        own = roles[leading:] if group else roles  # the group's units take the leading columns
        while run and run[-1].kind == "empty" and len(run) > len(own):
            run.pop()
        if scored and _on("scorers") and sum(c.kind == "unit" for c in run) > 1 and run[-1].kind == "unit":
            run.pop()  # 县海洋与渔业局 / 县农业农村局 / 市海洋渔业局: the last, under 评分部门, scores the work
        run = _columns(run, len(own))
        if len(run) > len(own):  # more cells than the header names unit columns: the later are another's (备注)
            run = run[:len(own)]
        units = list(group) if group else []
        for n, column in enumerate(run):
            # the header's unit columns in order from the first (a row's cells fill them so; the empty ones a | leaves
            # keep their places)
            units += [UnitMention(p.text, p.span, mark or own[n]) for cell in column for p, mark in cell.units
                      if not any(_plain(g.written) == _plain(p.text) for g in group)]  # named again: one unit, the group's
        last = max(c.m.span.end for column in run for c in column if c.m is not None)
        run = [c for column in run for c in column]
        after = cells[k].m if k < len(cells) and cells[k].m is not None else None
        year = YEAR.search(after.text) if after is not None and DEADLINE_CELL.match(after.text) else None
        if rows and rows[-1].task.span == task.span:  # a second unit run of the same row (a person's cell between)
            prev = rows[-1]
            rows[-1] = TableRow(Span(prev.span.start, lines[run[-1].line].end), task, Span(task.span.end, last),
                                prev.units + units, prev.deadline)
        else:
            rows.append(TableRow(Span(lines[cells[task_at].line].start, lines[run[-1].line].end), task,
                                 Span(task.span.end, last), units, int(year.group(1)) if year else None))
        taken.update(range(cells[task_at].line, run[-1].line + 1))
    return rows, taken


def fuller_rows(text: str, lines: list[Span], rows: list[TableRow], taken: set[int]) -> tuple[list[TableRow], set[int]]:
    """The rows another reader read from ``lines`` (the indexes ``taken``), or this reader's rows of the same lines where
    they read every annotation that reader read — the same units in the same order with the same roles — and more: a
    table found, but some of its rows' units not read.  Where the other reader read an annotation this one does not (a
    merged cell carried down, a column this one cannot place), its rows stand."""
    if not rows or not taken:
        return rows, taken
    lo, hi = min(taken), max(taken)
    general, general_taken = unit_rows(text, lines[:hi + 1])
    general = [r for r in general if r.span.start >= lines[lo].start]

    def read(r: TableRow) -> tuple:
        return tuple((_plain(u.written), u.role) for u in r.units)

    left = collections.Counter(read(r) for r in general if r.units)
    needed = collections.Counter(read(r) for r in rows if r.units)
    if needed and not needed - left and left.total() > needed.total():
        return general, taken | {i for i in general_taken if i >= lo}
    return rows, taken
