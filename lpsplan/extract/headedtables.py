"""Tables that assign or report work, read by their header (民生实事 progress tables, 重点工作 task tables, ledgers
such as 序号 / 项目名称 / 进展情况 / 牵头单位 / 责任单位 / 备注), whatever the page made of their cells: one cell a
line (with or without blank lines between), cells closed by ``|`` on their own lines or a row a line between ``|``.

The table is found by its header: a cell 序号 and the short cells after it, up to the first row's number, as column
names (a name the page broke over cells joined again: 区政府 / 分管领导, 开工 / 时间, 总投资 / (万元)).  It is read
when a column names units (:func:`tables.unit_role`).  Its cells are then read in order, by what they hold, not by
where they stand, since a merged cell is written once for several rows and an empty one leaves no line:

- a run of cells that list units (一 cell a unit, a list 、, or names separated by spaces; a cell that is only a
  bracket goes with the unit before it: 应急管理局 / (安委办)) is a row's annotation, its task the row's task cell —
  but not its cells that stand before the first unit column (建设地点 / 牵头单位: 县人民医院 / 县卫健委);
- a unit column that comes before the task column (序号 / 牵头单位 / … / 项目名称 / 业主单位) is written once for
  its group of rows (一 / 区住建局 / …): its units go with each later row's own, until the next group's;
- with two unit columns after the task (牵头单位 / 配合单位) a run's first cell is the first column's — or all but
  its last when only the last lists several units (區發改局 / (區金融辦) / 區經信局 / 區科技局、區財政局) — and the rest
  the second's; where a page closes no cell, a row that writes only the first column's cell had the second merged
  with the row above, and takes its units.

Cells of people (王旭锋, 杨 宜), of progress (已完工, 80%) and of dates are none of these and end a run.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..records import Mention, Span, UnitMention
from .tablecells import _PEOPLE_WORD as PEOPLE_WORD
from .tablecells import CELL_LIST, OVERSEER_HEAD, TableRow, unit_role
from .tableheads import _first_from, _header_cell
from .text import mention, split_top
from .traditional import simplified

_SPLIT = re.compile(r"\s*\|\s*|\t+")
ROW_NUMBER = re.compile(r"(?:[一二三四五六七八九十]{1,3}|\d{1,3})")
# a task cell that carries its row's number: 1.文化中心北路 / (1)地区生产总值增长6%左右。 / (一)城区… / ①…
TASK_MARKER = re.compile(r"\s*(?:\d{1,3}[.．、](?!\d)|[((](?:\d{1,3}|[一二三四五六七八九十]{1,3})[))]|[\u2460-\u2473])")
_KNOWN = re.compile(r"序号|单位|部门|领导|责任人|时间|时限|期限|地点|地址|位置|任务|事项|工作|内容|措施|举措|项目|名称|目标|标准|实事|数量|进展|进度|情况"
                    r"|备注|投资|问题|计划|要求")
# the last word of a body's name (市住建局, 柴桑区政府, 区城投公司, 长堎街道, 高新园区管委会, 区安委会各成员单位)
# (…城镇, 城乡, 集镇 are kinds of place, no unit: 现代化美丽城镇 is a task's cell; a 领导小组 is a body)
_BODY = re.compile(r"(?:局|委|办|厅|院|中心|集团|公司|政府|街道|管委会|(?<![城集])镇|(?<!城)乡|部|处|科|室|站|所|队|社|会|行|单位|部门|专班"
                   r"|委员会|海关|领导小组)$")
_LOOSE_BODY = re.compile(r"(?:城|园|园区|镇街|街镇)$")  # 未来科技城, 高新园: bodies only beside other bodies
# 区城投 / 区水投: a body's short name (not 市场化, 区域内: words that open with a level's character)
_JURISDICTION_SHORT = re.compile(r"[区县市](?![场域级])[\u4e00-\u9fff]{2}(?<![化内外中])")
_SHORT_AREA = re.compile(r"[\u4e00-\u9fff]{1,4}(?<![小城片景社校矿范])区")  # 经开区 / 高新区, not 老旧小区, 城区, 示范区
# a name that ends in 会 / 院 / 中心 is a body only when it opens with a level (县人民医院 is a hospital, 县科协 a body,
# but 农民运动会, 乡镇卫生院 are an event and places) or is a body of its own kind (管委会, 工会, 检察院)
_WEAK_BODY = re.compile(r"(?:会|院|中心)$")
_LEVEL_FIRST = re.compile(r"(?!乡镇)(?:[省市县区州盟旗镇乡]|自治[区州县旗])")
_KNOWN_BODY = re.compile(r"(?:委员会|管委会|党工委和管委会|工会|红十字会|工商联合会|联合会|法院|检察院|党校|[妇残侨文]联会)$")
_NOTE = re.compile(r"[((]([^()()]{1,20})[))]$")
_SUPPORT_TAIL = re.compile(r"(?:配合落实|协助落实|配合|协助|参与|参加)$")
_PROGRESS = re.compile(r"\s*\d+(?:\.\d+)?\s*%")
_TASK_WORD = re.compile(r"任务|内容|措施|举措|标准|要求")
_UNIT_WORD = re.compile(r"单位|部门|科室|主体")  # a column of units names one (tablecells.unit_role)
_DATE = re.compile(r"\s*(?:\d{4}\s*年|\d{1,2}\s*月|年[底内]|全年|长期|持续)")


@dataclass
class _Cell:
    line: int
    m: Mention
    closed: bool  # a | closes it on its line


def _cells(text: str, lines: list[Span]) -> list[_Cell]:
    out = []
    for i, s in enumerate(lines):
        line = s.of(text)
        if "|" not in line and "\t" not in line:
            m = mention(text, s.start, s.end)
            if m is not None:
                out.append(_Cell(i, m, False))
            continue
        pos = s.start
        for sep in list(_SPLIT.finditer(text, s.start, s.end)) + [None]:
            end = sep.start() if sep is not None else s.end
            m = mention(text, pos, end)
            if m is not None:
                out.append(_Cell(i, m, sep is not None and "|" in sep.group()))
            if sep is not None:
                pos = sep.end()
    return out


def _plain(cell: str) -> str:
    return re.sub(r"\s+", "", simplified(cell)).strip("|")


def _names(cells: list[str]) -> list[str]:
    """Column names, a name the page broke over two cells joined (区政府 / 分管领导, 总投资 / (万元))."""
    return _joined_names([_plain(c) for c in cells])


def _joined_names(plain: list[str]) -> list[str]:
    """:func:`_names` of cells already made plain."""
    out: list[str] = []
    for c in plain:
        if out and (c[:1] in "((" or (not _KNOWN.search(out[-1]) and _KNOWN.search(out[-1] + c))):
            out[-1] += c
        else:
            out.append(c)
    return out


@dataclass
class _Header:
    names: list[str]
    after: int  # the index of the first cell after the header
    units: list[tuple[int, str]]  # (column, role) of the columns that name units
    task: int


def _headers(cells: list[_Cell]) -> Iterator[tuple[int, _Header]]:
    """Every header among the cells: one opened by a cell 序号 that names a unit column and a column for the task, its
    names the header cells up to the first that is none or a row's number.  Each cell is judged once and its names read
    once (a long run of 序号 cells each read all the run's cells again), and a header whose cells hold no unit's word
    (单位, 部门, 科室, 主体: see unit_role) is never yielded."""
    plain = [_plain(c.m.text) for c in cells]
    ends = _first_from([_header_cell(c.m.text) and not ROW_NUMBER.fullmatch(p) for c, p in zip(cells, plain, strict=True)])
    offsets = list(itertools.accumulate((len(p) for p in plain), initial=0))
    words = [m.span() for m in _UNIT_WORD.finditer("".join(plain))]  # no two of the words overlap
    roles: dict[str, str | None] = {}

    def role(name: str) -> str | None:
        if name not in roles:
            roles[name] = unit_role(name)
        return roles[name]

    def may_name_units(at: int, j: int) -> bool:
        w = bisect.bisect_left(words, (offsets[at], 0))
        return j - at >= 3 and w < len(words) and words[w][1] <= offsets[j]  # three names or more, one with a unit's word

    # The 序号 cells of one run of header cells all end at the run's end, and the rows after the run go to the last
    # header among them (an earlier one's rows would end where the next header opens, inside the run): so only that
    # one is yielded, found from the run's last 序号 back.  Whether a 序号 opens a header is told from the names up to
    # the next 序号 and what the names from there on hold (:class:`_NamesFrom`), so a run of thousands of 序号 that open
    # none is read once, not once from each of them to its end.
    runs: dict[int, list[int]] = {}
    for at, p in enumerate(plain):
        if p == "序号":
            runs.setdefault(ends[at + 1], []).append(at)
    for j, openers in runs.items():
        names: _NamesFrom | None = None
        for at, nxt in reversed(list(zip(openers, openers[1:] + [j], strict=True))):
            names = _NamesFrom.before(_joined_names(plain[at:nxt]), names, role)
            if names.header_ok and may_name_units(at, j):
                yield at, _header(_joined_names(plain[at:j]), j, role)
                break


@dataclass
class _NamesFrom:
    """What the column names read from a 序号 to its run's end hold, as far as telling a header needs (see
    :func:`_header`): how many, the first, whether it names units, and whether one after it names units or is free
    for the task."""
    count: int
    first: str
    first_units: bool
    units_after_first: bool
    free_after_first: bool

    @property
    def header_ok(self) -> bool:
        return self.count >= 3 and (self.first_units or self.units_after_first) and self.free_after_first

    @classmethod
    def before(cls, names: list[str], then: _NamesFrom | None, role) -> _NamesFrom:
        """The names from a 序号 whose own names up to the next 序号 are ``names`` and from which on ``then`` holds (None:
        they run to the end).  Read as one, the next 序号 joins the name before it when that is no column's name alone (see
        :func:`_joined_names`), and nothing after it joins otherwise than it did."""
        rest, count = names[1:], len(names)
        if then is not None:
            if _KNOWN.search(names[-1]):
                rest = [*rest, then.first]
            else:  # names holds two or more: its first holds 序号
                rest = [*rest[:-1], names[-1] + then.first]
                count -= 1
            count += then.count
        return cls(count, names[0], bool(role(names[0])),
                   any(role(n) for n in rest) or (then is not None and then.units_after_first),
                   any(not role(n) and not PEOPLE_WORD.search(n) for n in rest) or (then is not None and then.free_after_first))


def _header(names: list[str], after: int, role) -> _Header:
    """The header of these column names (one that :attr:`_NamesFrom.header_ok` tells is one)."""
    units = [(i, r) for i, n in enumerate(names) if (r := role(n))]
    free = [i for i, n in enumerate(names) if i and not role(n) and not PEOPLE_WORD.search(n)]
    task = next((i for i in free if re.search(r"任务|工作|事项|内容|措施|举措", names[i])), free[0])
    return _Header(names, after, units, task)


def header_before(text: str, lines: list[Span]) -> bool:
    """Whether these lines hold a table's header (the lines before a plan's first heading: 序號 / 項目 / 重點工作 /
    牽頭單位 / 主要參與單位 above 一、在鑄強發展引擎上…, a row of its table, not a section of a plan)."""
    cells = _cells(text, lines)
    return next(_headers(cells), None) is not None


def _name_ok(name: str, beside: bool) -> bool:
    name = _NOTE.sub(lambda m: "" if not _BODY.search(m.group(1)) and "街道" not in m.group(1) else m.group(0), name)
    name = re.sub(r"[((][^()()]*[))]", "", name)
    if not 2 <= len(name) <= 24 or re.search(r"[。;;:!?“”\d]", name):
        return False
    if _WEAK_BODY.search(name) and not _LEVEL_FIRST.match(name) and not _KNOWN_BODY.search(name) and not name.startswith("各"):
        return False
    return bool(_BODY.search(name) or name.startswith("各") or (beside and _LOOSE_BODY.search(name))
                or _JURISDICTION_SHORT.fullmatch(name) or _SHORT_AREA.fullmatch(name) or re.fullmatch(r"[妇残侨文]联|团[市县区]?委|工会|科协", name))


def _parts(text: str, cell: Mention, marks: dict[int, str] | None = None) -> list[Mention]:
    """The names a cell lists: split on 、,,;;, then on spaces; ``marks`` gets the role a bracket after a name gives it
    (县教育局(牵头)), by the name's start."""
    from .names import ROLE_MARK_RE, _each_of, mark_role

    out = []
    for part in _each_of(text, split_top(text, cell.span.start, cell.span.end, CELL_LIST)):
        part = mention(text, part.span.start, part.span.end, strip=" \t\u3000。;;|") or part
        if (marked := ROLE_MARK_RE.search(part.text)) and marked.start() >= 2 and marks is not None:
            marks[part.span.start] = mark_role(marked)
        note = _NOTE.search(part.text)
        if note and note.start() > 0 and not _BODY.search(_plain(note.group(1))) and "街道" not in note.group(1):
            part = Mention(part.text[:note.start()], Span(part.span.start, part.span.start + note.start()))
        pos = part.span.start
        for piece in re.split(r"([ \u3000]+)", part.text):
            if piece and not piece.isspace():
                out.append(Mention(piece, Span(pos, pos + len(piece))))
            pos += len(piece)
    return out


def _unit_parts(text: str, cell: Mention, beside: bool = False) -> list[tuple[Mention, str | None]] | None:
    """The units a cell lists, each with the role the cell itself gives it (★区发改委、统计局: the starred unit leads,
    the others support; 团市委配合落实: supports), or None when the cell is no list of units."""
    starred = cell.text.lstrip()[:1] in ("★", "*", "\uff0a")  # (*区城管局: an asterisk marks it as a star does)
    if starred:
        cell = mention(text, cell.span.start + cell.text.index(cell.text.lstrip()[0]) + 1, cell.span.end) or cell
    tail = _SUPPORT_TAIL.search(_plain(cell.text))
    if tail and len(_plain(cell.text)) > len(tail.group()) + 1:
        cut = cell.text.rstrip().rfind(tail.group()[0])
        cell = mention(text, cell.span.start, cell.span.start + cut) or cell
    bracketed: dict[int, str] = {}
    parts = _parts(text, cell, bracketed)
    if not parts or len(_plain(cell.text)) > 80:
        return None
    plain = [_plain(p.text) for p in parts]
    if not all(_name_ok(p, beside or len(parts) > 1) for p in plain):
        return None
    marks: list[str | None] = ["lead" if starred and i == 0 else "support" if starred else bracketed.get(p.span.start)
                               for i, p in enumerate(parts)]
    if tail:
        marks[-1] = "support"
    return list(zip(parts, marks, strict=True))


def _unit_parts_plain(cell: str) -> bool:
    return bool(_BODY.search(_plain(cell))) and len(_plain(cell)) <= 12


def _is_person(cell: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", _plain(cell)))


def _task_of(text: str, cells: list[_Cell], since_row: list[_Cell], header: _Header, fresh: bool) -> Mention | None:
    """The row's task cell: when the row's number opened it (``fresh``), the one in the task column counted from that
    number (a group's heading there passed over: 一、全年主要预期目标 / 1.地区生产总值), with the next cell when the
    header's next column is the task's too (重点工作 / 具体任务分解); else one that carries a row's number (1.… / (1)…);
    else the longest that is no person's name, progress or number.  A short cell is a person's name only where the header
    names a column of people (责任人, 责任领导): 油菜面积 under 考核指标 is a task."""
    people = any(PEOPLE_WORD.search(n) for n in header.names)

    def _person(cell: str) -> bool:
        return people and _is_person(cell)

    if fresh and 0 < header.task <= len(since_row):
        at = header.task - 1
        while at + 1 < len(since_row) and re.match(r"\s*[一二三四五六七八九十]{1,3}、", since_row[at].m.text):
            at += 1
        c = since_row[at]
        if not _person(c.m.text) and not _PROGRESS.match(c.m.text) and not _unit_parts_plain(c.m.text):
            nxt = since_row[at + 1] if at + 1 < len(since_row) else None
            if (nxt is not None and header.task + 1 < len(header.names) and _TASK_WORD.search(header.names[header.task + 1])
                    and not _person(nxt.m.text) and not _PROGRESS.match(nxt.m.text) and not _DATE.match(nxt.m.text)):
                return Mention(text[c.m.span.start:nxt.m.span.end], Span(c.m.span.start, nxt.m.span.end))
            return c.m
    marked = [c for c in (since_row or cells) if TASK_MARKER.match(c.m.text)]
    if marked:
        return marked[-1].m
    rest = [c for c in cells if not _person(c.m.text) and not _PROGRESS.match(c.m.text) and not ROW_NUMBER.fullmatch(_plain(c.m.text))]
    return max(rest, key=lambda c: len(c.m.text)).m if rest else None


def headed_table(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """Rows of the tables among ``lines`` found by their headers (see the module's note), and the lines they take."""
    cells = _cells(text, lines)
    starts = list(_headers(cells))
    rows: list[TableRow] = []
    taken: set[int] = set()
    for n, (k, header) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(cells)
        found = _rows(text, cells[header.after:end], header)
        if found:
            rows += found
            taken.update(range(cells[k].line, cells[end - 1].line + 1))
    return rows, taken


def _rows(text: str, cells: list[_Cell], header: _Header) -> list[TableRow]:
    closers = any(c.closed for c in cells)
    group_col = next(((c, role) for c, role in header.units if c < header.task), None)
    after = [role for c, role in header.units if c > header.task] or [group_col[1] if group_col else "unspecified"]
    last = max((c for c, _ in header.units), default=len(header.names))
    scored = last + 1 < len(header.names) and OVERSEER_HEAD.match(header.names[last + 1]) is not None
    rows: list[TableRow] = []
    carried: list[UnitMention] = []
    last_second: list[UnitMention] = []
    since: list[_Cell] = []  # the cells since the last run of units
    since_row: list[_Cell] = []  # the cells since the last row's number
    fresh = False  # no run of units since the last row's number
    last_number: int | None = None  # the last row's number, in digits
    k = 0
    while k < len(cells):
        run: list[tuple[Mention, list[tuple[Mention, str | None]]]] = []
        while k < len(cells) and (listed := _unit_parts(text, cells[k].m, bool(run))) is not None:
            run.append((cells[k].m, listed))
            k += 1
            while k < len(cells) and re.fullmatch(r"[((][^()()]{1,12}[))]", _plain(cells[k].m.text)) and not cells[k - 1].closed:
                whole = Mention(text[run[-1][0].span.start:cells[k].m.span.end], Span(run[-1][0].span.start, cells[k].m.span.end))
                run[-1] = (whole, [(whole, run[-1][1][0][1])]) if len(run[-1][1]) == 1 else run[-1]
                k += 1
        if scored and len(run) > 1:  # 责任部门 / 评分部门: the run's last cell names who scores the work, not who does it
            run.pop()
        skip = _before_unit_column(header, len(since_row) + 1, len(run)) if fresh else 0
        if skip:  # 县人民医院 in a 建设地点 column before 牵头单位: a place, not a unit
            k -= len(run)
            run = []
        if not run:
            cell = cells[k]
            number = _plain(cell.m.text)
            if ROW_NUMBER.fullmatch(number) and not (number.isdigit() and last_number is not None and int(number) <= last_number):
                since_row, fresh = [], True  # (万亩 / 0 / 县农业农村局: a number below the row's own is a value in it)
                last_number = int(number) if number.isdigit() else last_number
            else:
                since_row.append(cell)
            since.append(cell)
            k += 1
            continue
        opens_group = group_col is not None and since and ROW_NUMBER.fullmatch(_plain(since[-1].m.text)) and not since_row
        if opens_group:
            carried = [UnitMention(re.sub(r"\s+", "", p.text), p.span, group_col[1]) for _, listed in run for p, _ in listed]
            since, since_row, fresh = [], [], False
            continue
        task = _task_of(text, since, since_row, header, fresh)
        fresh = False
        own = _roles(run, after)
        if len(after) > 1 and not closers and all(u.role == after[0] for u in own) and last_second:
            own += last_second  # the second column's cell merged with the row above's
        if len(after) > 1:
            last_second = [u for u in own if u.role != after[0]] or last_second
        units, seen = [], set()
        for u in carried + own:
            if _plain(u.written) not in seen:
                seen.add(_plain(u.written))
                units.append(u)
        if task is not None and units:
            first, last = run[0][0].span, run[-1][0].span
            # the annotation runs from the task cell's end (a leader's cell, progress between them) to the last unit cell
            rows.append(TableRow(Span(min(task.span.start, first.start), last.end), task,
                                 Span(min(task.span.end, first.start), last.end), units, None))
        since, since_row = [], []
    return rows


def _before_unit_column(header: _Header, column: int, length: int) -> int:
    """How many cells of a run that a row's number opened, at ``column`` of the row, stand in columns between the task's
    and the first unit column after it (建设地点 before 牵头单位: 县人民医院 / 县卫健委) — none unless the run reaches
    that unit column and has more cells than there are unit columns (a page that leaves an empty or a merged cell out
    has fewer cells before the run: its units are read as they come)."""
    later = [c for c, _ in header.units if c > header.task]
    first = min(later, default=None)
    if first is None or not header.task < column < first or column + length - 1 < first or length <= len(later):
        return 0
    return first - column


def _roles(run, after: list[str]) -> list[UnitMention]:
    """The units of a run of unit cells with the roles of the unit columns after the task column."""
    cut = 1
    if len(after) > 1 and len(run) > 2 and len(run[-1][1]) > 1 and all(len(listed) == 1 for _, listed in run[:-1]):
        cut = len(run) - 1  # 區發改局 / (區金融辦) / 區經信局 / 區科技局、區財政局…: all but the list lead
    out = []
    for i, (_, listed) in enumerate(run):
        role = after[0] if len(after) == 1 or i < cut else after[1]
        for p, given in listed:
            out.append(UnitMention(re.sub(r"\s+", "", p.text), p.span, given or role))
    return out
