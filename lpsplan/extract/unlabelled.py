"""Units named without a label: brackets whose parts end in their role, a row's last cell, an item's last sentence.

(X、Y牵头,Z配合) reads part by part, each part's names taking the role its words end in;
(X牵头;责任单位:Y) mixes the two forms; a table row's last cell may be nothing but a list of
units' names; and an item may end in a sentence that names who (X牵头,Y配合 / 由X负责) with no
bracket at all.  Each reader here accepts a text only when every name it gives is shaped as a
unit's name, so that ordinary brackets and sentences are not read as annotations.
"""

from __future__ import annotations

import re

from ..records import Mention, Span, UnitMention
from .annotationforms import (
    _LABEL,
    BARE_LABEL_LINE_RE,
    CARRIED_OUT_RE,
    CARRY_OUT_RE,
    COUNT_RE,
    FIRST_LEADS_RE,
    RIDER_RE,
    ROLE_SUFFIX,
)
from .mixed import mixed_units
from .names import (
    EACH_UNIT_RE,
    LAST_BRACKET_RE,
    UNIT_NAME_RE,
    _administrative,
    _each_of,
    _joined,
    _without_et_cetera,
    is_time_piece,
    is_unit_name,
)
from .text import mention, split_top
from .unitlists import _first_sentence_end, _unwrapped, parse_units


def _cell_units(text: str, start: int, end: int) -> list[UnitMention] | None:
    """The units of a row's last cell: a list of units' names only (、 , ; between them), each a name by its shape."""
    parts = _each_of(text, split_top(text, start, end, "、,,;;/\uff0f"))
    bare = [LAST_BRACKET_RE.sub("", p.text) for p in parts]  # 各镇(街): the bracket is the kind's other name
    if not parts or not all((UNIT_NAME_RE.fullmatch(b) or EACH_UNIT_RE.fullmatch(b)) and not BARE_LABEL_LINE_RE.match(b) for b in bare):
        return None  # (| 责任单位 |: a header's column name)
    return [UnitMention(p.text, p.span, "unspecified") for p in parts]


def _bracket_units(text: str, start: int, end: int, path: str) -> list[UnitMention] | None:
    """The units of a bracket that opens with no label: (X牵头;责任单位:Y) read part by part (see mixed.py), else
    (X牵头,Y配合) as a whole."""
    mixed = mixed_units(text, start, end, _LABEL, lambda s, e: _unlabelled_units(text, s, e),
                        lambda s, e: parse_units(text, s, e, path))
    return mixed if mixed is not None else _unlabelled_units(text, start, end)


def _trailing_units(text: str, start: int, end: int, said_by: bool) -> list[UnitMention] | None:
    """An item's last sentence naming who, with no bracket: X牵头;Y配合 / X牵头,Y参与 / (由)X负责.  Read only
    when every unit is written as a unit's name is, and a part leads, or the sentence starts with 由, or every unit
    starts as a government's does (市发改委、市财政局负责 — not 有关部门负责)."""
    units = _unlabelled_units(text, start, end)
    if not units or not all(UNIT_NAME_RE.fullmatch(u.written) or EACH_UNIT_RE.fullmatch(u.written) for u in units):
        return None
    if not (said_by or any(u.role == "lead" for u in units) or all(_administrative(u.written) for u in units)):
        return None
    return units


def _together(text: str, names: Mention, role: str) -> list[tuple[Mention, str]]:
    """The names a part of an unlabelled bracket lists, each with its role: ``role``, or — X会同Y、Z等部门负责, the central
    government's way of dividing work, as 由X会同Y… is read in a sentence — X leading and the others supporting, where
    both sides are units' names."""
    listed = _each_of(text, split_top(text, names.span.start, names.span.end, "、/\uff0f"))
    at = names.text.find("会同")
    if at < 2:
        return [(m, role) for m in listed]
    head = _each_of(text, split_top(text, names.span.start, names.span.start + at, "、/\uff0f"))
    tail = mention(text, names.span.start + at + 2, names.span.end)
    rest = _each_of(text, split_top(text, tail.span.start, tail.span.end, "、/\uff0f")) if tail else []
    rest = [cut for m in rest if (cut := _without_et_cetera(text, m)) is not None]
    if not rest or not all(UNIT_NAME_RE.fullmatch(m.text) or EACH_UNIT_RE.fullmatch(m.text) for m in head + rest):
        return [(m, role) for m in listed]
    return [(m, "lead") for m in head] + [(m, "support") for m in rest]


def _unlabelled_units(text: str, start: int, end: int) -> list[UnitMention] | None:
    """(X、Y牵头,Z配合) and the like: every part names units and ends in its role, or stands
    before a part that does (区财政局、区水务局等部门,区国投公司配合: both parts support)."""
    end = _first_sentence_end(text, start, end)  # 〔X牵头,Y参与。以下各项…不再列出。〕: the units' sentence only
    parts = split_top(text, start, end, ",,;;")
    remarks = []  # (…等负责,列第一位者为牵头单位,下同): a rider and a rule of order after the units, no units
    while len(parts) > 1 and (RIDER_RE.search(parts[-1].text) or FIRST_LEADS_RE.search(parts[-1].text)
                              or is_time_piece(parts[-1].text)  # …,6月底前完成: when, not who
                              or (remarks and parts[-1].text.lstrip().startswith("以下"))):  # 以下各项工作均需…落实,不再列出
        remarks.append(parts.pop())
    if not parts or not ROLE_SUFFIX.search(parts[-1].text):
        return None
    suffixes = [ROLE_SUFFIX.search(p.text) for p in parts]
    if sum(s is None for s in suffixes) > len(parts) // 2:
        return None
    # X承办,Y协办: the part that undertakes the task before the parts that help it leads, as X主办 does (X负责,Y配合 stays
    # unspecified and support, as the labels read it)
    words = [None if s is None else re.sub(r"[ \u3000]", "", s.group()) for s in suffixes]  # (配 合: read as 配合)
    helped = [i for i, w in enumerate(words) if w is not None and w[:2] in _HELP_WORDS]
    paired = {i for i, w in enumerate(words) if w == "承办" and helped and i < helped[-1]}
    has_lead = bool(paired) or any(w is not None and w.startswith(("牵头", "主办", "总牵头")) for w in words)  # X主办,Y协办
    units = []
    for i, part in enumerate(parts):
        nxt_at = next(j for j in range(i, len(parts)) if suffixes[j] is not None)
        suffix = suffixes[i]
        word = words[nxt_at]
        # X牵头,Y落实: a part that carries out right after the part that leads supports it (X牵头,Y负责落实 and
        # X牵头,Y按职能分工负责;Z落实 stay unspecified)
        carries = word in ("落实", "实施") and i > 0 and (words[i - 1] or "").startswith(("牵头", "主办", "总牵头"))
        role = ("lead" if word.startswith(("牵头", "主办", "总牵头")) or nxt_at in paired
                else "unspecified" if CARRY_OUT_RE.fullmatch(word) and not carries
                else "support" if has_lead or word[:2] in _HELP_WORDS else "unspecified")
        names = mention(text, part.span.start, part.span.start + (suffix.start() if suffix else len(part.text)))
        if names is None:
            return None
        if i == 0 and names.text.startswith("由") and len(names.text) > 3:  # (由市发改局牵头): 由 is no part of the name
            names = mention(text, names.span.start + 1, names.span.end)
        for listed, own in _together(text, names, role):
            if listed.text.endswith("主办") and len(listed.text) > 4:  # (区科技局主办、区财政局协办): 主办 before 、
                listed, own = Mention(listed.text[:-2], Span(listed.span.start, listed.span.end - 2)), "lead"
            for name in _joined(text, listed):
                name = _without_et_cetera(text, name)
                if name is None or not 2 <= len(name.text) <= 40 or COUNT_RE.search(name.text):
                    return None  # (杭州市2项配合工作): a count of tasks, no unit
                bare = LAST_BRACKET_RE.sub("", name.text)
                if role == "unspecified" and suffix is not None and CARRIED_OUT_RE.search(words[i]) and not (
                        UNIT_NAME_RE.fullmatch(bare.replace("、", "")) or EACH_UNIT_RE.fullmatch(bare)):
                    return None  # (具体由各县区负责实施): a remark on who carries it out, no unit's name (各乡(街道)落实 is one)
                if word == "主办" and not (UNIT_NAME_RE.fullmatch(bare) or EACH_UNIT_RE.fullmatch(bare)):
                    return None  # (联合国主办): who organises an event, not a unit of the plan's government
                units.append(UnitMention(_unwrapped(name.text), name.span, own))
    if units and not has_lead and any(FIRST_LEADS_RE.search(r.text) for r in remarks):
        units = [UnitMention(u.written, u.span, "lead" if i == 0 else "support") for i, u in enumerate(units)]
    return units or None


_HELP_WORDS = ("协助", "协办", "协作", "配合", "协同", "参与", "参加")


# (X按职责分工负责。以下均需Y和Z落实,不再列出): the units a standing rider names carry out this item too — 不再列出, named here
# and not again below (广东 2020 names them for its own item as well before the same rider)
RIDER_UNITS_RE = re.compile(r"以下[^,\uff0c;\uff1b。()\uff08\uff09]{0,10}?(?:均|都|皆)?(?:需由|需|由)"
                            r"(?P<units>(?:[^,\uff0c;\uff1b。()\uff08\uff09]|[(\uff08][^,\uff0c;\uff1b。()\uff08\uff09]{1,10}[)\uff09]){2,80}?)"
                            r"(?:负责)?(?:落实|实施|执行)[,\uff0c;\uff1b]?[ \t\u3000]*+不再(?:重复)?列出")


def rider_units(text: str, span: Span, units: list[UnitMention]) -> list[UnitMention]:
    """The units a rider ``以下均需X落实,不再列出`` in the annotation at ``span`` names, each a unit's name and none of
    them named before it (a unit already named, or one whose full name ends in it, is not named twice); else []."""
    m = RIDER_UNITS_RE.search(text, span.start, span.end)
    if m is None:
        return []
    names = mention(text, m.start("units"), m.end("units"))
    if names is None:
        return []
    out = []
    for listed in _each_of(text, split_top(text, names.span.start, names.span.end, "、/\uff0f")):
        for name in _both(text, listed):
            if not is_unit_name(name.text):
                return []
            out.append(UnitMention(_unwrapped(name.text), name.span, "unspecified"))
    return [u for u in out if not any(own.written == u.written or own.written.endswith(u.written) for own in units)]


def _both(text: str, listed: Mention) -> list[Mention]:
    """X和Y / X及Y / X与Y where both sides are units' names (各县区政府和城乡一体化示范区管委会); one name otherwise
    (住房和城乡建设局: 住房 names no unit)."""
    for m in re.finditer(r"和|及|与", listed.text):
        head = mention(text, listed.span.start, listed.span.start + m.start())
        tail = mention(text, listed.span.start + m.end(), listed.span.end)
        if head and tail and is_unit_name(head.text) and is_unit_name(tail.text):
            return [head, tail]
    return _joined(text, listed)
