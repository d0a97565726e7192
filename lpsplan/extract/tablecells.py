"""The pieces every reader of a table flattened to text uses: how a line splits into cells, which column names name
a task, a deadline or units (and with which role), a table's row, and which cells list units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Mention, Span, UnitMention
from .text import mention, split_top

# the separators between the units a cell lists (县教育局、县财政局 / 县教育局/县财政局)
CELL_LIST = "、,,;;/\uff0f"
CELL_SPLIT = re.compile(r"\t+|[ \u3000]{2,}|\s*\|\s*")
SINGLE_SPLIT = re.compile(r"[ \t\u3000|]+")  # a page that kept one space between cells
TASK_HEAD = re.compile(r"任务|事项|工作|内容|措施|举措")
UNIT_HEADS = {"牵头单位": "lead", "责任单位": "unspecified", "主要责任单位": "unspecified", "配合单位": "support",
              "协同配合单位": "support", "协同单位": "support", "牵头部门": "lead", "责任部门": "unspecified", "配合部门": "support",
              "参与单位": "support", "协办单位": "support"}
# any other column that names units, read by its words: 责任单位或牵头单位 / 牵头责任单位 → lead, 协助单位 / 配合责任部门 → support,
# 主责部门 / 实施主体 → unspecified; not a column of people (责任领导, 责任人)
_UNIT_WORD = re.compile(r"(?:单位|部门|科室|主体)(?:或(?:单位|部门))?$")
_SUPPORT_WORD = re.compile(r"配合|协助|协同|协办|参与|参加|支持")
_PEOPLE_WORD = re.compile(r"领导|责任人|联系人|姓名")
# a column of those who score or oversee the work (评分部门, 考核单位, 监督科室): they answer for no task
_OVERSEER = r"(?:评分|考核|考评|评价|评估|监督|督查)"
_OVERSEER_WORD = re.compile(rf"^{_OVERSEER}")
OVERSEER_HEAD = re.compile(rf"^{_OVERSEER}(?:单位|部门|科室|处室|股室)$")
_AND_PERSON = re.compile(r"(?<=单位|部门)(?:及|和|与|、)(?:主要|具体)?(?:负责人|责任人|联系人)$")
_HEAD_REMARK = re.compile(r"(?<=单位|部门)[((][^()()]{2,16}[))]$")


def unit_role(cell: str) -> str | None:
    """The role a column's units have, by the words of its name (None: not a column of units)."""
    cell = re.sub(r"\s+", "", cell)
    cell = _HEAD_REMARK.sub("", cell)  # 责任单位(加黑为牵头单位): a remark on the page's typesetting, which a copy loses
    cell = _AND_PERSON.sub("", cell)  # 牵头单位及主要负责人: the unit's column, its person in charge written after the unit
    if cell in UNIT_HEADS:
        return UNIT_HEADS[cell]
    if (len(cell) > 12 or not _UNIT_WORD.search(cell) or _PEOPLE_WORD.search(cell) or _OVERSEER_WORD.match(cell)
            or TASK_HEAD.search(cell.replace("工作", ""))):
        return None
    if "牵头" in cell:
        return "lead"
    return "support" if _SUPPORT_WORD.search(cell) else "unspecified"


DEADLINE_HEAD = re.compile(r"完成时限|完成时间|完成期限|时间节点")
# the columns of a progress or indicator table besides its task and units (目标任务 / 牵头单位 / 进展情况 / 下步举措;
# 类别 / 指标名称 / 年度目标 / 完成情况 / 责任部门): column names, never a task's cell
REPORT_HEAD = re.compile(r"(?:工作|目前|当前|实际)?(?:进展|完成|推进|落实|执行|进度)(?:情况)?|下一?步(?:工作)?(?:举措|打算|计划|措施|安排)"
                         r"|存在(?:的)?问题|类别|(?:年度|全年)?(?:目标|指标)(?:值|任务|名称)?")
# a column of indicators (指标名称): the task's column where no column names a task
INDICATOR_HEAD = re.compile(r"(?:主要)?指标(?:名称)?")
OTHER_HEADS = re.compile(rf"^(?:序号|备注|责任领导|牵头领导|分管领导|牵头市领导|责任人)$|{OVERSEER_HEAD.pattern}")
# |---|:--:|: the rule under a markdown-like table's header
RULE_ROW = re.compile(r"^[\s|:：\-—–]+$")
# a cell alone on its line, closed by | (序号 | / 1 | / 招商工作部、安商工作部 |): a table the page gave one cell a line
CELL_LINE = re.compile(r"^[^|]*\|\s*$")
YEAR = re.compile(r"(\d{4})\s*年")


@dataclass
class TableRow:
    span: Span
    task: Mention
    annotation: Span
    units: list[UnitMention]
    deadline: int | None


def _cells(text: str, line: Span, split: re.Pattern[str] = CELL_SPLIT) -> list[Mention]:
    out, pos = [], line.start
    for m in split.finditer(text, line.start, line.end):
        if m.start() > pos:
            out.append(Mention(text[pos:m.start()], Span(pos, m.start())))
        pos = m.end()
    if pos < line.end:
        out.append(Mention(text[pos:line.end], Span(pos, line.end)))
    return [c for c in out if c.text.strip()]


SPACED_NAME_RE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def _header(text: str, line: Span) -> tuple[list[str], re.Pattern[str]] | None:
    for split in (CELL_SPLIT, SINGLE_SPLIT):
        head = [c.text.strip() for c in _cells(text, line, split)]
        if split is CELL_SPLIT and "|" in line.of(text):  # 项 目 内 容 | 责任单位 |: spaces inside a |-cell's name
            head = [re.sub(r"[ \t\u3000]+", "", c) for c in head]
        elif split is CELL_SPLIT:  # 重 点 工 作 任 务: a column's name with a space between its characters
            head = [SPACED_NAME_RE.sub("", c) for c in head]
        if len(head) < 3 or not any(TASK_HEAD.search(c) for c in head) or not any(unit_role(c) for c in head):
            continue
        if split is SINGLE_SPLIT and not all(TASK_HEAD.search(c) or unit_role(c) or DEADLINE_HEAD.search(c) or OTHER_HEADS.match(c)
                                            or re.fullmatch(r"[\u4e00-\u9fff]{2,4}", c) for c in head):
            continue  # one space is a cell boundary only when every cell is a column's name (known, or a short word: 类别)
        return head, split
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _unit_cell(text: str, cell: Mention) -> bool:
    """Whether a cell lists units: each of its parts ends as a unit's name (…局 / 各县(市、区)党委和人民政府) or an area's
    (城乡一体化示范区, 各乡镇) does."""
    from .names import EACH_FIRST_RE, EACH_UNIT_RE, LAST_BRACKET_RE, UNIT_NAME_RE, _each_of, _spaced

    cell = _unstarred(text, cell)[0]  # *区住建局: the mark of the unit that leads is no part of the list
    parts = _each_of(text, split_top(text, cell.span.start, cell.span.end, CELL_LIST))  # 13个街道、镇: one
    names = [_without_et_cetera(text, _without_trailing_star(text, mention(text, p.span.start, p.span.end, strip=" \t\u3000。;;|") or p))
             for p in parts]
    # 区农业农村局(区水利局): a name closed by its other name in a bracket, read without it
    names = [n if n is None or not (alias := LAST_BRACKET_RE.search(n.text)) or alias.start() < 2
             else Mention(n.text[:alias.start()], Span(n.span.start, n.span.start + alias.start())) for n in names]
    return bool(names) and all(n is not None and (UNIT_NAME_RE.fullmatch(n.text) or EACH_UNIT_RE.match(n.text) or EACH_FIRST_RE.match(n.text)
                                                  or re.fullmatch(r"[妇残侨文]联|团委|工会|科协", n.text)
                                                  or re.fullmatch(r"[\u4e00-\u9fff]{1,20}[区县市镇乡村]", n.text)
                                                  or len(_spaced(text, n)) > 1) for n in names)


# a cell that reports progress (已完工, 推进中, 正在办理手续, 完成80%): never a unit, though it may stand in a unit column
PROGRESS_CELL = re.compile(r"(?:已|正在|基本|全面|按序时|序时|未|尚未)?(?:完成|完工|竣工|开工|推进中|进行中|实施中|建设中|施工中|办理|"
                           r"达序时|超序时|滞后|落后|正常推进|有序推进|按计划推进)[\u4e00-\u9fff]{0,4}[^\u4e00-\u9fff]*")


def names_no_unit(cell: str) -> bool:
    """Whether a cell written in words can name no unit: it reports progress, or holds no word a unit's name ends in
    (局/委/办/政府/中心/公司/街道…), no 各, no division (区/县/市/镇/乡/村) and no area (新城, 高新园).  (A cell of figures
    alone is left to the caller: it tells a row read on the wrong columns.)"""
    from .names import _UNIT_WORD

    plain = re.sub(r"\s+", "", cell).strip("|。")
    if not _CJK.search(plain):
        return False
    return bool(PROGRESS_CELL.fullmatch(plain)) or not (re.search(_UNIT_WORD, plain) or re.search(r"各|[区县市镇乡村城园]", plain))


def _units_of(text: str, cell: Mention, role: str) -> list[UnitMention]:
    """The units a table's unit cell lists (split on 、,,;;, 各县、市、区政府 kept one, 等部门 dropped; 县教体局 各相关乡镇政府:
    names the cell separated by a space, when each is a unit's name)."""
    from .names import ROLE_MARK_RE, _each_of, _spaced, mark_role

    out = []
    cell, starred = _unstarred(text, cell)
    parts = [mention(text, p.span.start, p.span.end, strip=" \t\u3000。;;|") or p
             for p in _each_of(text, split_top(text, cell.span.start, cell.span.end, CELL_LIST))]
    stars = [bool(_TRAILING_STAR_RE.search(p.text)) for p in parts] if not starred else []
    for at, listed in enumerate(parts):
        own = ("support" if out else "lead") if starred else role  # *X、Y: the marked unit leads, the others in its cell support
        if any(stars):  # X*、Y: the unit the star follows leads, the others in its cell support
            if role != "support":  # (in a column of supporting units a star is a note's mark: 市财政局* there supports)
                own = "lead" if stars[at] else "support"
            listed = _without_trailing_star(text, listed)
        if (marked := ROLE_MARK_RE.search(listed.text)) and marked.start() >= 2:  # 县教育局(牵头): its own role
            listed, own = mention(text, listed.span.start, listed.span.start + marked.start()) or listed, mark_role(marked)
        for name in _spaced(text, listed):
            name = _without_et_cetera(text, name)
            if name is not None and len(name.text) >= 2:
                out.append(UnitMention(name.text, name.span, own))
    return out


# *区城管局: a table marks the unit that leads with an asterisk (either width), as others star it (★区发改委、统计局: the
# ★ cells are read by unitcells.starred_cells and the headed tables' reader)
_STAR_RE = re.compile(r"^[ \t\u3000]*[*\uff0a][ \t\u3000]*(?=[\u4e00-\u9fff])")


# 区政府办公室*、区财政局: a star after a unit's name marks the one that leads as well (the others in its cell support)
_TRAILING_STAR_RE = re.compile(r"(?<=[\u4e00-\u9fff)\uff09])[ \t\u3000]*[*\uff0a][ \t\u3000]*$")


def _without_trailing_star(text: str, name: Mention) -> Mention:
    m = _TRAILING_STAR_RE.search(name.text)
    return name if m is None else (mention(text, name.span.start, name.span.start + m.start()) or name)


def _unstarred(text: str, cell: Mention) -> tuple[Mention, bool]:
    """The cell without its leading star (see _STAR_RE), and whether it had one."""
    m = _STAR_RE.match(cell.text)
    if m is None:
        return cell, False
    return (mention(text, cell.span.start + m.end(), cell.span.end) or cell), True


def _without_et_cetera(text: str, name: Mention) -> Mention | None:
    from .names import _without_et_cetera as strip

    return strip(text, name)
