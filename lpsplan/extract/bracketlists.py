"""Units listed in a bracket with no label and no role word, and those a sentence names with 会同: ``(市农业农村局)`` closing a task's last line,
``(区发改委、区财政局)`` before a sentence's end, and the same list followed by a rule of order —
``(省经信委、省发改委(省能源局)。列第一位者为牵头部门,下同)`` (the roles then come from the rule: see
``first_leads``).  Also the rule that a unit an annotation names twice is one unit (``牵头单位:X。责任单位:X、Y``)."""

from __future__ import annotations

import re

from ..records import Mention, Span, UnitMention
from .names import (
    EACH_UNIT_RE,
    GENERAL_LABEL,
    GOVERNMENT_BODY_RE,
    LABELS,
    LAST_BRACKET_RE,
    UNIT_INSIDE_RE,
    UNIT_NAME_RE,
    _administrative,
    _each_of,
    _joined,
    _without_et_cetera,
    unspaced,
)
from .text import CLOSE, PAIRS, mention, split_top

# (市农业农村局) closing a task's last line, or on a line of its own: units with no label and no role word —
# read only at the end of a line, and only when every part ends as a unit's name does (not (GDP), (试行))
# (〔省科技厅〕 and [市发改委] alike: a page's other brackets)
# a bracket holding no other, but for the short brackets inside a collective's name (各县〔市、区〕政府, 各县区政府〈管委会〉,
# 各开发(度假)区管委会): a page's collectives write them in any bracket
_INNER = r"[((〔\[［〈<][^()()〔〕\[\]［］【】〈〉<>\n]{1,12}[))〕\]］〉>]"
_BARE = r"[((〔\[［【]((?:[^()()〔〕\[\]［］【】〈〉<>\n]|" + _INNER + r"){2,160})[))〕\]］】]"
BARE_RE = re.compile(_BARE + r"[ \t\u3000。;;]*$", re.MULTILINE)
# …before a sentence's end inside a paragraph (…重点企业(区发改委、区财政局)。下一句…): the same bracket, after a task's
# words (not at a line's start), before 。 or ;
BARE_MID_RE = re.compile(r"(?<=[^\s。;;:,,、((〔\[［【])" + _BARE + r"(?=[。;;,,])")
# read where no plan structure is found (loose.py): 〔省科技厅〕三、… / (X、Y) — also before the next item's number or
# the line's end, after anything
LOOSE_BARE_RE = re.compile(_BARE + r"(?=[ \t\u3000]*(?:[。;;]|[一二三四五六七八九十]{1,3}、|\d{1,3}[.．、](?!\d)"
                           r"|[((][一二三四五六七八九十\d]{1,3}[))]|$))", re.MULTILINE)
# (X、Y(Z)。列第一位者为牵头部门,下同): a bare list (a name may close with its own short bracket, an alias), then a
# sentence that states the rule of order — at a line's end or before a sentence's end, as a bare bracket is
ORDERED_RE = re.compile(r"[((](?P<units>(?:[^()()\n。]|[((][^()()\n。]{1,20}[))]){2,160})。(?P<remark>[^()()\n]{2,60})[))]"
                        r"(?=[ \t\u3000。;;,,]*$|[。;;,,])", re.MULTILINE)
_ROUND = str.maketrans("〔〕〈〉<>[]［］", "()()()()()")  # any short bracket inside a name, read as a round one
NOT_UNITS_RE = re.compile(r"简称|以下|包括|含|即|指|等于|其中|试行|暂行|修订")


_WIDTH = str.maketrans("\uff08\uff09\uff3b\uff3d", "()[]")  # a page may close a full-width bracket with a half-width one


def _paired(text: str, opens: int, closes: int) -> bool:
    """Whether the brackets at ``opens`` and ``closes`` are of one kind ((…), (…), 〔…〕, […], 【…】, by
    ``text.PAIRS``, either width); true where either is no bracket (the list is then bounded by something else)."""
    if opens < 0 or closes >= len(text) or text[opens] not in PAIRS or text[closes] not in CLOSE:
        return True
    return PAIRS[text[opens]].translate(_WIDTH) == text[closes].translate(_WIDTH)


def bare_units(text: str, start: int, end: int, inside: bool = False) -> list[UnitMention] | None:
    """(市农业农村局) / (市发展改革委、市财政局): every part a unit's name, none a remark.  Inside a paragraph
    (``inside``) a name needs two characters before its unit word: 工业企业(场所)。 names no unit.  A name may close
    with a short bracket of its own (省发改委(省能源局)): it is part of the name, which is read without it."""
    if NOT_UNITS_RE.search(text[start:end]) or re.search(r"\d", text[start:end]):
        return None
    if not _paired(text, start - 1, end):
        return None  # (责任单位:市能源局〔、市发展改革委,…政府): a bracket a damaged page opened that a ) closes is none
    units = []
    for part in _each_of(text, _angled(text, split_top(text, start, end, "、,,;;/\uff0f"))):
        name = _without_et_cetera(text, part)
        if name is None:
            return None
        rounded = unspaced(name.text).translate(_ROUND)  # 各市 (地) 、县 (市) 政府 (行署): the page's spaces aside
        bare = LAST_BRACKET_RE.sub("", rounded) or rounded
        each = EACH_UNIT_RE.fullmatch(bare)  # 各县(市、区)政府: a collective, its division words in a bracket
        if not (each or UNIT_NAME_RE.fullmatch(bare)) or (inside and not (each or UNIT_INSIDE_RE.fullmatch(bare))):
            return None
        if not (GOVERNMENT_BODY_RE.search(bare) or _administrative(bare)):
            return None  # (图书馆、文化馆、博物馆) / (商业银行) / (重点实验室): places and kinds of body, not units
        units += [UnitMention(unspaced(n.text), n.span, "unspecified") for n in _joined(text, name)]
    return units or None


# (X,Y,Z,排名第一位为牵头单位,下同): the same list and rule with a comma between them — the rule, and a rider, as the
# bracket's last parts
LISTED_RULE_RE = re.compile(_BARE + r"(?=[ \t\u3000。;;,,]*$|[。;;,,])", re.MULTILINE)


def _angled(text: str, parts: list[Mention]) -> list[Mention]:
    """Parts cut inside an angle bracket a collective's name carries (各县<市、区>人民政府, 各县〈市、区〉政府) put back
    together: a part that opens one and does not close it runs on to the part that closes it."""
    out: list[Mention] = []
    for part in parts:
        if out and out[-1].text.count("<") + out[-1].text.count("〈") > out[-1].text.count(">") + out[-1].text.count("〉"):
            joined = mention(text, out[-1].span.start, part.span.end)
            if joined is not None:
                out[-1] = joined
                continue
        out.append(part)
    return out


def ordered_lists(text: str, start: int, end: int, first_leads, rider) -> list[tuple[int, int, list[UnitMention]]]:
    """Each (X、Y。列第一位者为牵头部门,下同) or (X,Y,排名第一位为牵头单位,下同) in ``text[start:end]``: its span and units
    (no roles: the rule of order gives them).  ``first_leads`` is the pattern of the rule, ``rider`` that of 下同; a bracket
    whose remark states no rule is not read here."""
    out = []
    for m in ORDERED_RE.finditer(text, start, end):
        if not first_leads.search(m.group("remark")):
            continue
        units = bare_units(text, m.start("units"), m.end("units"))
        if units:
            out.append((m.start(), m.end(), units))
    seen = {at for at, _, _ in out}
    for m in LISTED_RULE_RE.finditer(text, start, end):
        parts = split_top(text, m.start(1), m.end(1), ",,;;")
        ruled = False
        while len(parts) > 1 and (first_leads.search(parts[-1].text) or rider.search(parts[-1].text)):
            ruled = ruled or bool(first_leads.search(parts.pop().text))
        if m.start() in seen or not ruled or len(parts) == len(split_top(text, m.start(1), m.end(1), ",,;;")):
            continue
        units = bare_units(text, m.start(1), parts[-1].span.end)
        if units:
            out.append((m.start(), m.end(), units))
    return out


_STRENGTH = {"lead": 2, "support": 1, "unspecified": 0}


def one_each(units: list[UnitMention]) -> list[UnitMention]:
    """A unit an annotation names twice is one unit, where it is first named, with the stronger of its roles
    (牵头单位:省发展改革委。责任单位:省发展改革委、省统计局: the lead is not also one of those it leads)."""
    out: list[UnitMention] = []
    at: dict[str, int] = {}
    for u in units:
        if u.written not in at:
            at[u.written] = len(out)
            out.append(u)
        elif _STRENGTH[u.role] > _STRENGTH[out[at[u.written]].role]:
            first = out[at[u.written]]
            out[at[u.written]] = UnitMention(first.written, first.span, u.role)
    return out


# 由X会同Y、Z等部门负责落实 / …的问题,由X会同Y等部门研究提出落实意见: X leads, Y and Z support — the central government's
# way of dividing work, inside a sentence with no bracket (the verb after the units may be any: 负责, 研究提出, 制定…)
TOGETHER_RE = re.compile(r"由(?P<lead>[^,,。;;:、()()\n]{2,30}?)会同(?P<rest>[^,,。;;:()()\n]{2,240}?)"
                         r"(?:等(?:有关|相关)?(?:部门|单位))?(?=负责|研究|落实|制定|提出|做好|推进|组织|共同|按职责|抓好|开展|实施|编制|出台)")


def together_units(text: str, start: int, end: int) -> list[tuple[Span, list[UnitMention]]]:
    """Each 由X会同Y、Z等部门… in ``text[start:end]`` whose parts are all units' names (a collective such as 各县市区 too):
    its span (from 由 to the last unit, 等部门 with it) and the units, X lead and the others support."""
    out = []
    for m in TOGETHER_RE.finditer(text, start, end):
        lead = mention(text, m.start("lead"), m.end("lead"))
        # 会同有关部门和各县市区: units joined by 和/及/与 are two, as in any list (_joined)
        parts = [n for p in split_top(text, m.start("rest"), m.end("rest"), "、") for n in _joined(text, p)]
        if lead is None or not parts or not all(UNIT_NAME_RE.fullmatch(p.text) or EACH_UNIT_RE.fullmatch(p.text)
                                                for p in [lead, *parts]):
            continue
        units = [UnitMention(lead.text, lead.span, "lead")] + [UnitMention(p.text, p.span, "support") for p in parts]
        out.append((Span(m.start(), m.end()), units))
    return out


# a sentence of its own that states who answers for the items before it: 该目标责任单位为市经委。 / 4项目标的责任单位均为市发展改革委。
STATED_RE = re.compile(r"(?:(?<=[。;;\n])|^)[ \t\u3000]*(?:该|这|此|上述|以上)?(?:\d{1,2}|[一二三四五六七八九十两]{1,3})?项?"
                       r"(?:目标|任务|工作|指标|项目)?的?(?P<label>牵头单位|责任单位|牵头部门|责任部门)(?:均|都)?为"
                       r"(?P<units>[^。;;:\n]{2,120}?)[。;;]", re.MULTILINE)


def stated_units(text: str, start: int, end: int) -> list[tuple[Span, list[UnitMention]]]:
    """Each sentence of :data:`STATED_RE` in ``text[start:end]`` whose parts are all units' names: its span and units, with
    the label's role."""
    from .names import label_role

    out = []
    for m in STATED_RE.finditer(text, start, end):
        parts = split_top(text, m.start("units"), m.end("units"), "、")
        if not parts or not all(UNIT_NAME_RE.fullmatch(p.text) for p in parts):
            continue
        role = label_role(m.group("label"))
        at = m.start() + len(m.group()) - len(m.group().lstrip(" \t\u3000"))
        out.append((Span(at, m.end()), [UnitMention(p.text, p.span, role) for p in parts]))
    return out


# 牵头单位为X,配合单位为Y、Z。 / X为牵头单位,Y、Z为配合单位 / (X为牵头单位;Y为责任单位): each part names its units and their
# label, one way round or the other — a sentence of its own, or a bracket's whole content
_LABEL_WORDS = "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True)) + "|" + GENERAL_LABEL
_NAMED_PART = re.compile(rf"(?:(?P<label>{_LABEL_WORDS})(?:均|都|分别)?为(?P<units>.{{2,120}})"
                         rf"|(?P<before>.{{2,120}}?)(?:均|都|分别)?为(?P<after>{_LABEL_WORDS}))")
_NAMED_SENTENCE = re.compile(r"(?:(?<=[。;;\n((〔\[【])|^)[ \t\u3000]*([^。()()〔〕\[\]【】\n]{4,300})(?=[。;;))〕\]】])",
                             re.MULTILINE)


def named_units(text: str, start: int, end: int) -> list[tuple[Span, list[UnitMention]]]:
    """Each sentence (or a bracket's content) of :data:`_NAMED_SENTENCE` in ``text[start:end]`` whose parts, parted by
    commas and semicolons, each name units and their label (:data:`_NAMED_PART`), every unit by its name: its span and
    the units with their labels' roles."""
    from .names import label_role

    out = []
    for m in _NAMED_SENTENCE.finditer(text, start, end):
        if "为" not in m.group(1):
            continue
        units: list[UnitMention] = []
        for part in split_top(text, m.start(1), m.end(1), ",,;;"):
            named = _NAMED_PART.fullmatch(part.text)
            if named is None:
                units = []
                break
            key = "units" if named.group("label") else "before"
            role = label_role(named.group("label") or named.group("after"))
            at = part.span.start + named.start(key)
            listed = [n for p in split_top(text, at, at + len(named.group(key)), "、/\uff0f")
                      if (n := _without_et_cetera(text, p)) is not None]
            if not listed or not all(EACH_UNIT_RE.fullmatch(n.text) or (UNIT_NAME_RE.fullmatch(n.text) and (
                    key == "units" or _administrative(n.text))) for n in listed):
                units = []  # (明确市发改委为牵头单位: a verb before the name, which a level of government opens)
                break
            units += [UnitMention(n.text, n.span, role) for n in listed]
        if units:
            a, b = m.start(1), m.end(1)
            if a > 0 and b < len(text) and PAIRS.get(text[a - 1]) == text[b]:  # a bracket's whole content: the bracket with it
                a, b = a - 1, b + 1
            out.append((Span(a, b), units))
    return out
