"""Unit names a page ran together, and the rows of a task table that lost its cell separators.

A unit's name has a recognisable shape: an optional place or level word at its start (市 / 县 / 区 / 省, a place's
name such as 嘉兴, or 各 for a collective), a body, and a last word from a closed family (局, 委, 委员会, 办, 办公室,
厅, 院, 中心, 公司, 政府, 管委会, 集团, 银行, 部, 队, 站, 所, 社, 会, 开发区 …).  Where a page dropped the 、
between two names (``市海洋渔业局市农业农村局``), the place where one name ends and the next begins is where such a
last word meets such a first word.  :func:`segment` cuts a run at every such place, and gives the pieces only when
every one of them is a unit by shape — else nothing, and the run stays as it was read.

:func:`run_together_rows` reads a task table whose cells a page ran into one line with no separator at all
(``序号主要工作任务第一责任单位主要责任单位一、…1地区生产总值年均增长12%左右。市发展改革委各县(市、区)政府、…2…``):
its header is recognised by its run-together column names, each row opens with the next row number right after the
unit that closes the row before, and a row's trailing run of unit names is its annotation — the task is what comes
before it.  Where the header names two unit columns, the first column's units end where two names meet with no
separator (units of one cell are separated by 、 as written).  It is asked only where a text would otherwise be
refused for want of structure.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from ..records import Mention, Span, UnitMention
from .tablecells import TableRow, unit_role

# the last word of a unit's name (the longer forms first)
SUFFIX = (r"(?:委员会|办公室|管委会|管理委员会|总工会|检察院|法院|政府|集团|公司|银行|中心|团委|妇联|残联|科协|工会|指挥部"
          r"|成员单位|部门|单位|(?:开发|高新|新|港|园|试验|保税)区|局|委|办|厅|院|部|队|站|所|社|会|处)")
_SUFFIX_END = re.compile(SUFFIX + r"$")
_LONGEST_SUFFIX = 8  # more than the longest last word (管理委员会): a last word ending at i is looked for in that many before it
# a level word that opens a name (市财政局), not a word that merely starts with one (市场, 市民, 区域, 县级, 省内 …)
_LEVEL = re.compile(r"(?:省|市|县|区)(?!级|直|属|辖|场|民|政(?!府)|容|郊|域|块|间|内|外(?!经|事|办|贸|侨|专)|委[省市县区])")
_PARTY = re.compile(r"(?:省|市|县|区)委$")  # 市委 / 县委: a level word and 委 alone are a unit
_EACH = re.compile(r"各(?!成员|有关成员|级)")
_CHARS = re.compile(r"[\u4e00-\u9fff()()、]+")
_MAX_NAME = 24


_PLACE_WINDOW = 12  # the longest place's name looked for at a name's start


def _place_len(run: str, at: int) -> int:
    """The length of a place's name opening ``run[at:]`` (嘉兴, 嘉兴市), 0 if none."""
    from ..divisions import place_at_start

    found = place_at_start(run[at:at + _PLACE_WINDOW])
    return len(found[0]) if found and len(found[0]) >= 2 else 0


def opens_name(run: str, at: int) -> bool:
    """Whether a unit's name may start at ``run[at]``: a level word, 各, 中共 or a place's name."""
    return bool(_LEVEL.match(run, at) or _EACH.match(run, at) or run.startswith("中共", at) or _place_len(run, at))


def is_unit(name: str) -> bool:
    """Whether a piece is a unit's name by its shape: it opens as a name does and ends in a unit's last word."""
    if not name or len(name) > _MAX_NAME or not _CHARS.fullmatch(name) or not opens_name(name, 0):
        return False
    if _PARTY.fullmatch(name):
        return True
    return len(name) >= 3 and bool(_SUFFIX_END.search(name)) and not _SUFFIX_END.fullmatch(name[1:])


def _outside_brackets(run: str) -> list[bool]:
    """For each position of ``run``: whether it stands outside any bracket."""
    out, depth = [], 0
    for ch in run:
        if ch in "((":
            depth += 1
        out.append(depth == 0)
        if ch in "))" and depth:
            depth -= 1
    return out


def cuts(run: str) -> list[int]:
    """The places in ``run`` where one name ends and the next begins: a unit's last word, then a name's first."""
    outside = _outside_brackets(run)
    return [i for i in range(2, len(run) - 1) if outside[i] and _cut_ok(run, i)]


def _cut_ok(run: str, i: int) -> bool:
    """Whether one name may end and the next begin at ``run[i]``."""
    return (bool(_SUFFIX_END.search(run, max(0, i - _LONGEST_SUFFIX), i)) and opens_name(run, i) and not _BRANCH.match(run, i + _opening(run, i))
            and (run[i] != "各" or bool(_EACH_DIVISION.match(run, i))))


# 各县(市、区)政府 after a unit opens the next name; 市人民政府各工作部门, 领导小组各成员单位 are the parts of the body before
_EACH_DIVISION = re.compile(r"各(?:[省市县区州盟旗乡镇]|街道|开发区|园区)")


# 临汾市生态环境局侯马分局 / 县公安局城关派出所: a branch named after its place belongs to the body before it
_BRANCH = re.compile(r"分|支|派出|[大中]队")


def _opening(run: str, at: int) -> int:
    """The length of the place or level word a name opens with at ``run[at]``."""
    return _place_len(run, at) or (2 if run.startswith("中共", at) else 1)


def segment(run: str) -> list[tuple[int, int]] | None:
    """The pieces (start, end) of a run of unit names written with no separator, or None where the run is not wholly
    names of units (a piece that is not one by shape: the run is no list of names, and it is left as it was)."""
    bounds = [0, *cuts(run), len(run)]
    pieces = list(itertools.pairwise(bounds))
    if not all(is_unit(run[a:b]) for a, b in pieces):
        return None
    return pieces


def split_units(units: list[UnitMention]) -> list[UnitMention]:
    """Units as read, with every name that is two names or more run together (each a unit by shape) cut into them,
    each with the role of the name it was read in."""
    from .names import is_collective

    out = []
    for u in units:
        # 县委和县政府: one collective, not 县委 and a government of 和县
        pieces = segment(u.written) if len(u.written) >= 6 and not is_collective(u.written) else None
        if pieces is None or len(pieces) < 2:
            out.append(u)
            continue
        out += [UnitMention(u.written[a:b], Span(u.span.start + a, u.span.start + b), u.role) for a, b in pieces]
    return out


# ---------------------------------------------------------------- the rows of a table that lost its separators

_TASK_COLUMN = r"(?:主要|重点|目标)?(?:工作)?(?:任务|内容|措施|事项)(?:名称)?"
_UNIT_COLUMN = r"(?:第一|主要|牵头|协同|配合|协办|参与|协助)?(?:责任|牵头|配合)?(?:单位|部门)"
_DEADLINE_COLUMN = r"(?:完成时限|完成时间|时间节点)"
# 序号主要工作任务第一责任单位主要责任单位: the column names run together, at least one of units
HEADER_RE = re.compile(rf"序号({_TASK_COLUMN})((?:{_UNIT_COLUMN}){{1,3}})({_DEADLINE_COLUMN})?")
_COLUMN_RE = re.compile(_UNIT_COLUMN)
_PAGE_MARK = re.compile(r"[—-]{1,2}\s*\d{1,3}\s*[—-]{1,2}")
_SECTION_TAIL = re.compile(r"[一二三四五六七八九十]{1,3}、[^、。,,;;()()\d]{2,16}$")
_SEPARATOR = re.compile(r"[、,,]")
_DEADLINE_TAIL = re.compile(r"(?:(\d{4})年)?(?:\d{1,2}月)?(?:底|末|年底|年内)?(?:前|以前)?(?:完成)?$")


def _column_roles(columns: str) -> list[str]:
    """The roles of the run-together unit columns: 第一责任单位 leads (the first of those answering for the task)."""
    roles = []
    for m in _COLUMN_RE.finditer(columns):
        name = m.group()
        roles.append("lead" if name.startswith("第一") else unit_role(name) or "unspecified")
    return roles


def _trailing_units(content: str) -> tuple[int, list[tuple[int, int, bool]]] | None:
    """Where the run of unit names closing a row's content starts, and the names (start, end, separated from the one
    before by 、 or ,); None where the content does not end in one."""
    outside = _outside_brackets(content)
    parts, start = [], 0
    for m in _SEPARATOR.finditer(content):
        if outside[m.start()]:
            parts.append((start, m.start()))
            start = m.end()
    parts.append((start, len(content)))
    names: list[tuple[int, int, bool]] = []
    for a, b in reversed(parts):
        piece = content[a:b]
        whole = segment(piece)
        if whole is not None:
            names[:0] = [(a + x, a + y, k == 0) for k, (x, y) in enumerate(whole)]
            continue
        inner = _task_then_units(piece)  # the task, then the first names with no separator before them
        if inner:
            names[:0] = [(a + x, a + y, False) for x, y in inner]
        break
    if not names:
        return None
    first = names[0][0]
    if len(content[:first].strip()) < 4:  # no task before the names
        return None
    return first, names


def _task_then_units(piece: str) -> list[tuple[int, int]]:
    """The names closing a piece that opens with a task's words: from the last name back, each the nearest run before
    the one after it that is a unit by shape and ends where a unit's last word does."""
    end, out = len(piece), []
    opens_at = _opening_test(piece)
    for s in range(len(piece) - 1, -1, -1):
        if end - s > _MAX_NAME:
            break  # no name is that long: the next place a name opens would end the reading (below), as would none
        if not opens_at(s):
            continue
        if is_unit(piece[s:end]) and (not out or _cut_ok(piece, end)):
            out.insert(0, (s, end))
            end = s
        elif out and is_unit(piece[s:end]) and is_unit(piece[s:out[0][1]]):  # 临汾市生态环境局|侯马分局: one name
            out[0] = (s, out[0][1])
            end = s
        elif out or end - s > _MAX_NAME:
            break
    return out


def _opening_test(piece: str) -> Callable[[int], bool]:
    """Whether a name may open at a place in ``piece`` (outside brackets, not inside another name's first word: 各县 /
    嘉兴市 are one name each), each place looked at only when asked (the reader stops near the piece's end)."""
    outside = _outside_brackets(piece)
    known: dict[int, int | None] = {}

    def opening(i: int) -> int | None:  # None where no name opens at i, else the length of the place's name it opens with
        if i not in known:
            known[i] = _place_len(piece, i) if outside[i] and opens_name(piece, i) else None
        return known[i]

    def opens_at(s: int) -> bool:
        return opening(s) is not None and not any(
            (place := opening(i)) is not None and ((piece[i] == "各" and s == i + 1) or s <= i + place)
            for i in range(max(0, s - _PLACE_WINDOW), s))

    return opens_at


def run_together_rows(text: str, lines: list[Span]) -> tuple[list[TableRow], int | None, int | None]:
    """The rows of a task table whose cells a page ran together with no separator, the index of the line its header
    stands on and the header's offset (None, None: no such table).  Conservative: two rows or more, each closed by
    names that are all units by shape (or one, with the next row's number after it where an excerpt ends)."""
    for index, line in enumerate(lines):
        head = HEADER_RE.search(text, line.start, line.end)
        if head is None:
            continue
        roles = _column_roles(head.group(2))
        rows = _rows(text, head.end(), line.end, roles)
        if len(rows) >= 2 or (len(rows) == 1 and _cut_in_second_row(text, head.end(), line.end)):
            heading = _TABLE_HEADING.search(text, line.start, head.start())  # …落实方案工作重点序号…: the title ends at 方案
            return rows, index, heading.end(1) if heading else head.start()
    return [], None, None


def _cut_in_second_row(text: str, start: int, end: int) -> bool:
    """Whether the line ends inside the table's second row, a task's length after its number (an excerpt cut there,
    before the row's units): one whole row before it is the table still.  (A second row that runs on and on is no
    cut row: its number opens no table.)"""
    starts = _row_starts(text, start, end)
    return len(starts) == 2 and end - starts[1][1] <= 160


# the genre word closing a title run into its table, and a short heading of the table's columns after it (工作重点)
_TABLE_HEADING = re.compile(r"(方案|计划|清单|分解表|要点|意见|措施|任务表)[\u4e00-\u9fff]{0,6}$")


# a number right before a task's first word (not the end of 12 or of 1.5, nor a percentage's)
_ROW_NUMBER = re.compile(r"(?<![\d.%])[0-9]+(?=[\u4e00-\u9fff])")


def _row_starts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(number's start, content's start) of rows 1, 2, 3 …: each number right after a unit's last word (a page mark or
    a section's heading between them aside), the first after the header or a section's heading."""
    found, n, pos = [], 1, start
    while pos < end:
        m = _ROW_NUMBER.search(text, pos, end)
        if m is None:
            break
        if m.group() != str(n):  # another number (a pattern compiled for each row's took milliseconds a row)
            pos = m.end()
            continue
        # what stands between the row before (or the header) and the number: only its end decides, so only its last
        # _TAIL_WINDOW characters are read (read whole for each number that is no row's, a long text took its square)
        since = found[-1][1] if found else start
        near = max(since, m.start() - _TAIL_WINDOW)
        before = _before_number(text[near:m.start()])
        if near > since and before == "":  # all page marks and headings to the window's start: is all of it?
            before = _before_number(text[since:m.start()])
        if (not found and before == "") or (found and _SUFFIX_END.search(before)) or (not found and _SECTION_TAIL.search(
                _PAGE_MARK.sub("", text[near:m.start()]).rstrip())):
            found.append((m.start(), m.end()))
            n += 1
        pos = m.end()
    return found


# how many page marks and headings in turn are taken off a row's end (a page holds one or two; each pass reads the row)
_MAX_TRIMS = 8
_TAIL_WINDOW = 256  # far more than a unit's last word, a deadline, a section's heading and page marks after it take


def _before_number(between: str) -> str:
    """The text between a row's content and the next row's number without the page marks, the next section's heading
    and the deadline cell that may stand there: its end is the last unit's last word where the number opens a row."""
    before = _PAGE_MARK.sub("", between).rstrip()
    before = _SECTION_TAIL.sub("", before).rstrip()
    before = _PAGE_MARK.sub("", before).rstrip()
    tail = _DEADLINE_TAIL.search(before)  # …县住建局2023年底前: a deadline cell after the units
    if tail and re.search(r"\d", tail.group()):
        before = before[:tail.start()]
    return before


def _rows(text: str, start: int, end: int, roles: list[str]) -> list[TableRow]:
    starts = _row_starts(text, start, end)
    rows = []
    for k, (number_at, at) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else end
        raw = text[at:stop]
        content = raw
        for _ in range(_MAX_TRIMS):  # a page mark and the next section's heading close the row's cell text, not its units
            trimmed = _SECTION_TAIL.sub("", _PAGE_MARK.sub("", content.rstrip()).rstrip()).rstrip()
            trimmed = re.sub(r"[—-]{1,2}\s*\d{1,3}\s*[—-]{1,2}$", "", trimmed).rstrip()
            if trimmed == content:
                break
            content = trimmed
        if _PAGE_MARK.search(content):
            continue  # a page mark inside a row: its cells cannot be told apart
        year = None
        tail = _DEADLINE_TAIL.search(content)
        if tail and tail.group() and re.search(r"\d", tail.group()):
            year = int(tail.group(1)) if tail.group(1) else None
            content = content[:tail.start()]
        got = _trailing_units(content)
        if got is None:
            continue
        first, names = got
        units = []
        column = 0
        for j, (a, b, separated) in enumerate(names):
            if j and not separated and column + 1 < len(roles):
                column += 1  # two names meeting with no separator: the next column's first
            units.append(UnitMention(content[a:b], Span(at + a, at + b), roles[column]))
        task_end = at + len(content[:first].rstrip())
        task = Mention(text[at:task_end], Span(at, task_end))
        rows.append(TableRow(Span(number_at, at + len(content)), task, Span(at + first, at + len(content)), units, year))
    return rows
