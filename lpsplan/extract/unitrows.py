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
page's 发布机构 are unit cells too."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..records import Mention, Span, UnitMention
from .headedtables import _name_ok, _plain, _unit_parts
from .names import EACH_FIRST_RE, EACH_UNIT_RE, _without_et_cetera
from .tablecells import PROGRESS_CELL, YEAR, TableRow, unit_role
from .tables import DEADLINE_CELL, column_names, is_column_head
from .text import mention

_CUT = re.compile(r"\s*\|\s*|\t+|[ \u3000]{2,}")
_SPACE = re.compile(r"[ \u3000]+")
_NUMBER = re.compile(r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.\uff0e、]?|[(\uff08](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)\uff09]"
                     r"|[\u2460-\u2473]")
_DOC_NUMBER = re.compile(r".*[\u3014\[(\uff08]\d{4}[\u3015\])\uff09]\s*\d+\s*号")  # 济长政办字〔2021〕3号: a document's number, no task
_FULL_DATE = re.compile(r"\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2})\s*$")  # a notice's signature's
_PERCENT = re.compile(r"[\d.]+\s*%")
_COLUMN_TAIL = re.compile(r"(?:牵头|责任|配合|参与|协办|协同|主办|承办)(?:单位|部门)$")
_PERSON = re.compile(r"[\u4e00-\u9fff]{1,2}[ \u3000]?[\u4e00-\u9fff]{1,2}(?:[、,,][\u4e00-\u9fff]{1,2}[ \u3000]?[\u4e00-\u9fff]{1,2})*")


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
    if (is_column_head(cell) or unit_role(plain)) and not re.match(r"各|[省市县区]直", plain) and "等" not in plain:
        return "head", []  # a column's name (责任单位), not 各街道等有关单位
    if not re.search(r"[\u4e00-\u9fff]", plain) or _DOC_NUMBER.match(plain) or re.search(r"[:\uff1a]$", plain):
        return "skip", []  # ---, a document's number, an addressee line (各街道办事处、镇人民政府,…:)
    if (_NUMBER.fullmatch(plain) or _PERCENT.fullmatch(plain) or PROGRESS_CELL.fullmatch(plain)
            or (len(plain) <= 24 and DEADLINE_CELL.match(plain))):
        return "skip", []
    parts = _units(text, m)
    if parts:
        return "unit", parts
    if _PERSON.fullmatch(cell) and len(plain) <= 4 * (cell.count("、") + cell.count(",") + cell.count(",") + 1):
        return "skip", []  # 杨 宜 / 张三、李四: people, not a task (a task's cell that short names no work)
    return "text", []


def _open(cell: str) -> bool:
    """Whether a bracket of the cell is left open (区政府各部门(单位: a line the page cut)."""
    return cell.count("(") + cell.count("\uff08") != cell.count(")") + cell.count("\uff09")


def _units(text: str, m: Mention) -> list:
    """The units a cell lists with the roles it marks (see :func:`headedtables._unit_parts`), 等相关部门 cut off a
    name, and a collective counted by its number (13个街道、镇) or named as every one of a kind (各有关部门) read as
    one unit; empty when the cell is no list of units."""
    cut = _without_et_cetera(text, m)
    if cut is None or m.text.rstrip(" |").endswith("。") or _open(m.text):  # a sentence (建成县…服务中心。), a cut line
        return []
    parts = _unit_parts(text, cut)
    if parts:
        return [(name, mark) for p, mark in parts if (name := _without_et_cetera(text, p)) is not None]
    from .names import _each_of
    from .text import split_top

    out = []
    listed = _each_of(text, split_top(text, cut.span.start, cut.span.end, "、,,;;"))
    for part in listed:
        name = _without_et_cetera(text, mention(text, part.span.start, part.span.end) or part)
        if name is None:
            continue
        plain = _plain(name.text)
        if _SPACE.search(name.text.strip()) or _COLUMN_TAIL.search(plain):  # words between spaces; 细化措施 牵头单位: a header
            return []
        if not (_name_ok(plain, len(listed) > 1) or (EACH_FIRST_RE.match(plain) and len(plain) <= 12) or EACH_UNIT_RE.fullmatch(plain)):
            return []
        out.append((name, None))
    return out


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
    if not any(k == "unit" for _, k, _ in read) and not (all(_short(p.text) for p in pieces) and any(k == "head" for _, k, _ in read)):
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


def _header_roles(text: str, cells: list[_Cell]) -> list[str]:
    """The roles of the unit columns the table's header names, in order (the first run of column names that names
    units: one line's cells, or short cells one a line)."""
    k = 0
    while k < len(cells):
        if cells[k].kind != "head":
            k += 1
            continue
        run = []  # the short cells from the first column name on: 序号 / 项目 / 牵头 / 部门 / 相关责任部门 / 完成 / 时间
        while k < len(cells) and (cells[k].m is None or (cells[k].kind in ("head", "text", "skip") and _short(cells[k].m.text))):
            if cells[k].m is not None:
                run.append(_SPACE.sub("", cells[k].m.text.strip(" |")))
            k += 1
        roles = [r for c in column_names(run) if (r := unit_role(c))]
        if roles:
            return roles
    return []


def _short(cell: str) -> bool:
    cell = _SPACE.sub("", cell.strip(" |"))
    return 0 < len(cell) <= 16 and not re.search(r"[。;;,,\d]", cell)


def unit_rows(text: str, lines: list[Span]) -> tuple[list[TableRow], set[int]]:
    """Rows read as the module says, and the indexes of the lines they take."""
    cells = _cells(text, lines)
    roles = _header_roles(text, cells)
    if not roles:  # no header naming a unit column: no table (a notice's signature, its addressees, a page's issuer)
        return [], set()
    rows: list[TableRow] = []
    taken: set[int] = set()
    k = 0
    while k < len(cells):
        if cells[k].kind != "unit":
            k += 1
            continue
        run = []  # unit cells and the empty cells between and after them
        while k < len(cells) and cells[k].kind in ("unit", "empty"):
            run.append(cells[k])
            k += 1
        task_at = next((j for j in range(k - len(run) - 1, -1, -1) if cells[j].kind == "text"), None)
        task = cells[task_at].m if task_at is not None else None
        if task_at is None or task is None:
            continue
        if k < len(cells) and cells[k].m is not None and _FULL_DATE.match(cells[k].m.text):
            continue  # 江汉区人民政府办公室 / 2022年3月1日: a notice's signature, no row
        while run and run[-1].kind == "empty" and len(run) > len(roles):
            run.pop()
        run = _columns(run, len(roles))
        if len(run) > len(roles):  # more cells than the header names unit columns: the later are another's (备注)
            run = run[:len(roles)]
        units = []
        for n, column in enumerate(run):
            # the header's unit columns in order from the first (a row's cells fill them so; the empty ones a | leaves
            # keep their places)
            units += [UnitMention(p.text, p.span, mark or roles[n]) for cell in column for p, mark in cell.units]
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
