"""Responsibility annotations ``(责任单位:…)`` and the clauses they close.

A clause covers the text from the end of the previous annotation (or the start
of its item's body) up to its own annotation; the annotation lists the units in
order.  Labels such as 牵头单位 / 配合单位 give the units that follow a role.
"""

from __future__ import annotations

import re

from ..errors import ExtractionError, Location
from ..records import Clause, Mention, Ref, Span, UnitMention, Warning
from .bracketlists import (
    BARE_MID_RE,
    BARE_RE,
    LOOSE_BARE_RE,
    bare_units,
    named_units,
    one_each,
    ordered_lists,
    stated_units,
    together_units,
)
from .fields import field_rules, label_after_fields, units_end
from .mixed import mixed_units
from .names import (
    EACH_UNIT_RE,
    ET_CETERA,
    GENERAL_LABEL,
    LABELS,
    LAST_BRACKET_RE,
    ROLE_MARK_RE,
    UNIT_NAME_RE,
    YEAR_IN_RE,
    _administrative,
    _each_of,
    _joined,
    _spaced,
    _without_et_cetera,
    is_time_piece,
    label_role,
    mark_role,
)
from .tablecells import unit_role
from .text import PUNCT, ClosingsOutside, Taken, closing_bracket, follows, has_words, mention, split_top
from .unitcells import starred_cells, with_unit_cells

# (牵头:X;配合:Y): a role word alone as a label, its kind of body left unsaid
_LABEL = ("|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True)) + "|" + GENERAL_LABEL
          + r"|(?:总?牵头|主办|配合|协办|协助|协同|参与)(?=[ \t\u3000]*[::])")


# who leads as a person (责任领导 / 分管省领导 / 牵头负责领导 / 配合领导): a label naming people, not units
_LEADER = r"(?:责任|牵头|分管|包抓|牵头负责|配合|协调|联系)(?:[省市县区州]|县级|市级|省级)?领导"
# (牵头领导:张三;牵头单位:X;…): a bracket may name the leading person before its units
_LEADER_FIRST = rf"{_LEADER}[ \t\u3000]*[::][^::()()\n;;,,]{{1,20}}[;;,,][ \t\u3000]*"
ANNOTATION_RE = re.compile(rf"[((〔\[［【][ \t\u3000]*(?:(?P<kind>预期性|约束性)指标[,,、;;][ \t\u3000]*)?(?:{_LEADER_FIRST})?"
                           rf"(?:{_LABEL})[ \t\u3000]*[::]")
LABEL_RE = re.compile(rf"[ \t\u3000]*({_LABEL})[ \t\u3000]*[::]")
# a rider: the same units apply to the items that follow (下同 / 以下各项同此 / 不再重复列出)
RIDER_RE = re.compile(r"下同|以下.{0,8}同|不再(?:重复)?列出|不再重复|不再(?:做|作)?分工|同上|除(?:专门|另行|特别|单独)?(?:列出|注明|明确)(?:的)?外")
# 列第一位者为牵头单位 / 排在第一位的为牵头部门: the unit named first leads, the others support
# / 第一责任单位为牵头单位
FIRST_LEADS_RE = re.compile(r"(?:(?:列|排)(?:在|于|名)?(?:第一位|首位|第一)(?:者|的)?(?:的?责任)?(?:单位|部门)?|第一(?:责任)?(?:单位|部门))"
                            r"(?:为|是)牵头(?:或[^,,;;()()]{1,6})?(?:单位|部门)")
# between the units of a labelled annotation; a label after spaces also starts a new part
# (牵头单位:市商务局  责任单位:市编办、…)
# (a page's table cells closed by | hold the units of a labelled line: 牵头单位: | 市城市管理综合执法局 |)
# (市发改委/市财政局: a slash between two names, as a list's separator)
PIECE_SEPARATORS = re.compile(rf"[、,,;;|]|(?<=[\u4e00-\u9fff)\uff09])[/\uff0f](?=[\u4e00-\u9fff])"
                              rf"|(?<![ \t\u3000])[ \t\u3000]+(?=(?:{_LABEL})[ \t\u3000]*[::])"
                              rf"|。(?=[ \t\u3000]*(?:{_LABEL})[ \t\u3000]*[::])")
# (X、Y牵头,Z按职责分工负责) — an annotation without a label: every part ends in its role
# also in 〔…〕 / 【…】 / ［…］ / […], whose units may carry a bracket of their own (各县、区人民政府(管委会)负责落实); a page
# may close one with a stray round bracket before the square one ([X牵头,Y配合。以下均需…不再列出)])
# a page that wrapped its lines may break one inside the bracket (〔县自然资\n源局、…按职责分工负责〕): a line break
# counts as part of it when the next line does not start a heading or an item
# the start of a heading or an item on a line: 三、 / (二) / (2) / 3. / 3、
_ITEM_START = r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十\d]{1,3}[))]|\d{1,3}[.．、])"
ITEM_START_RE = re.compile(_ITEM_START)
_WRAP = rf"\n(?!{_ITEM_START})"
# a unit in (…) may carry a short bracket of its own too ((X牵头,…,县(市、区)政府负责落实。以下均需…不再列出))
UNLABELLED_RE = re.compile(rf"[((]((?:[^()()\n]|{_WRAP}|[((][^()()\n]{{1,20}}[))]){{2,300}}?)[))]"
                           rf"|[〔【［\[]((?:[^〔〕【】［］\[\]()()\n]|{_WRAP}|[((][^()()\n]{{1,20}}[))]){{2,300}}?)[))]?[〕】］\]]")
# (X牵头负责) / (X牵头实施,Y配合落实): the role word, then the verb of carrying it out, is the same role
_CARRY = r"(?:负责|实施|落实|推进|组织实施)?"
# …,各县、区人民政府负责落实: who carries the task out where they are — neither the lead nor its support
_CARRY_OUT = r"(?:负责)?(?:落实|实施)"
CARRY_OUT_RE = re.compile(_CARRY_OUT)
CARRIED_OUT_RE = re.compile(rf"^{_CARRY_OUT}$|(?<=负责)(?:落实|实施)$")  # …负责落实, after 按职责分别 too
# the verb after a role word may be any short one (牵头抓总, 配合推进, 按职责分工落实; a rewritten copy's 牵头卖力), but
# not a unit's word (牵头单位, 配合部门 are labels)
_ANY_VERB = r"(?!单位|部门)[\u4e00-\u9fff]{0,2}"
# 主办 / 协办 after the units: the unit that runs the task and those that help ((区科技局主办,各街道、板块协办));
# 总牵头: the lead of a whole part ((省发改委总牵头) after a section's heading)
# (主办 only closing its piece, or before a verb of carrying out: 主办方, 主办的 are an event's organiser — (亚洲博览会组委会主办方) names no lead)
# 按职责分工负责, also 按照职责…, 按职责分别负责 (江西), 按各自职责负责, 根据职责分工负责, 依职责负责; and the role words with a space a page put inside them where it wrapped a line (按职 责分工
# 负责, 配 合): the words are matched with a space allowed between their characters, and read without it
_S = r"[ \u3000]?"
_BY_DUTY = rf"(?:[按依]{_S}(?:照{_S})?|根{_S}据{_S})(?:各{_S}自{_S})?职{_S}[责能]{_S}(?:分{_S}[工别])?"
_LEAD_WORD = rf"(?:总?牵{_S}头)"
# X牵头,…;各镇(街)参照落实: who carry it out after the lead's example — support where a unit leads, else unspecified
_FOLLOW = rf"参{_S}照{_S}(?:落{_S}实|执{_S}行|实{_S}施)"
_HELP = rf"(?:协{_S}助|协{_S}办|协{_S}作|配{_S}合|协{_S}同|参{_S}与|参{_S}加)"
ROLE_SUFFIX = re.compile(rf"(?:等|分别|共同)?(?:{_BY_DUTY}{_S}负{_S}责(?:落实|实施)?|分工负责|负{_S}责)$|(?:等)?{_BY_DUTY}{_ANY_VERB}$|{_LEAD_WORD}{_CARRY}$|{_LEAD_WORD}{_ANY_VERB}$|[主承]办{_CARRY}$"
                         rf"|{_HELP}{_CARRY}$|{_HELP}{_ANY_VERB}$|{_CARRY_OUT}$|{_FOLLOW}$")
# 牵头单位:… / 配合单位:… / 完成时限:… on lines of their own, under a task
# the labels of lines that say who leads as a person (责任领导, 分管省领导, 牵头负责领导) and when (时限要求)
_WHEN = r"完成时限|完成时间|完成期限|时限要求|时间要求"
LINE_LABEL_RE = re.compile(rf"^[ \t\u3000]*(?:{_LABEL}|{_WHEN}|{_LEADER})[ \t\u3000]*[::]", re.MULTILINE)
# a label alone on its line with no colon, its units on the next line (项目内容: … / 责任单位 / 文广旅局 / 进展与成效: …)
BARE_LABEL_LINE_RE = re.compile(rf"^[ \t\u3000]*({_LABEL})[ \t\u3000\r]*$", re.MULTILINE)
VALUE_BELOW_RE = re.compile(r"[ \t\u3000\r]*\n\s*(?=\S)([^\r\n]*)")  # blank lines between too
# …整体观瞻水平。牵头单位:区建设局。责任单位:区房产局、园林局。12、…: labelled sentences inside a paragraph
# (also after a space a page left between a task and its label: 1 建设科创平台 牵头单位:市科技局 配合单位:市财政局)
# (and right after a person's title, in a text run together: …牵头领导:阮斌副局长责任部门:建工科、安全站)
INLINE_LABEL_RE = re.compile(rf"(?:(?<=[。;;])|(?<=[^\s。;;][ \t\u3000])|(?<=局长|主任|书记|县长|区长|市长|镇长|部长|处长|科长|组长|同志))"
                             rf"[ \t\u3000]*(?:{_LABEL})[ \t\u3000]*[::]")
# where a labelled value ends in a text run together: the next item's number, or a label of people
VALUE_STOP_RE = re.compile(rf"[((][一二三四五六七八九十]{{1,3}}[))]|(?<![\d.．])\d{{1,2}}[.．、](?!\d)|{_LEADER}[ \t\u3000]*[::]")
COUNT_RE = re.compile(r"\d+项")
# 责任单位:莲塘镇任务目标:2024年计划…: a page that ran the next label of a task (任务目标, 建设内容, 工作措施) into a
# labelled line — the units end where it starts
TASK_LABEL_RE = re.compile(r"(?:任务|工作|建设|年度|主要|具体)(?:目标|内容|措施|要求)[::]")
# 责任领导:… names people, not units: part of the run of labelled lines, no units of its own
LEADER_RE = re.compile(rf"^[ \t\u3000]*{_LEADER}[ \t\u3000]*[::]")
# a field of another kind inside an annotation (项目:…, 备注:…, 联系人:…): a short label that is none of the units' labels,
# opening a piece or after a space (责任单位:市科技局 项目:平台建设); what follows it names no unit, up to the next label
# of units
# — but a label ending in a word for units (建设单位:…, 承担单位:…, 建设主体:…) names units though it is not among the
# labels: read as a label of units (UNIT_FIELD_RE, its role by its words), never as another field whose units are dropped
_UNIT_WORD = "单位|部门|主体|科室|处室|股室|机构"  # each two characters: a fixed-width look-behind
OTHER_FIELD_RE = re.compile(rf"^[ \t\u3000]*[\u4e00-\u9fff]{{1,8}}(?<!{_UNIT_WORD})[ \t\u3000]*[::]")
# (tried only where a run of white space starts: from inside the run it would scan the rest of it again, quadratic in
# its length — 20,000 spaces in an annotation took 6 s)
SPACED_FIELD_RE = re.compile(rf"(?<![ \t\u3000])[ \t\u3000]+[\u4e00-\u9fff]{{1,8}}(?<!{_UNIT_WORD})[ \t\u3000]*[::]")
UNIT_FIELD_RE = re.compile(rf"[ \t\u3000]*([\u4e00-\u9fff]{{0,6}}(?:{_UNIT_WORD}))[ \t\u3000]*[::]")
# (除标注“分别牵头”外,列第一位为牵头单位,下同) after a unit's name: a remark, no part of the name
SPACED_WHEN_RE = re.compile(r"[ \t\u3000]+([^ \t\u3000]{2,40})$")
TRAILING_REMARK_RE = re.compile(r"[((][^()()]*(?:下同|以下.{0,8}同|不再|列第一|排在首位|排在第一|为牵头)[^()()]*[))]$")
# a role word ending a piece of a labelled annotation: 市人力社保局、市农业农村局分别牵头 / 市财政局配合 / …按职责分工负责
PIECE_ROLE_RE = re.compile(r"(?:分别|共同|负责|总)?(?P<word>牵头|主办|配合|协助|协办|协作|协同|参与|参加)(?:负责|实施|落实)?$"
                           rf"|(?:等|分别|共同)?(?:{_BY_DUTY}{_S}负{_S}责|分工负责|负责)$")
# an item whose last sentence says who, without brackets: …。市发展改革委牵头;市财政局配合 / …。由市商务局负责。
# (spaces after the sentence's end: the name never starts with four of them — one fewer is always tried first and ends
# as well — and those after it are never given back; tried every way, a long run of them took its square or worse)
TRAILING_ROLES_RE = re.compile(r"(?<=[。;;])[ \t\u3000]*(?![ \t\u3000]{4})(?:由)?([^。()()\[\]〔〕【】\n]{3,160}?)[。;;]?[ \t\u3000]*+$",
                               re.MULTILINE)
# …the same inside a paragraph: a whole sentence that names roles (…。市发改委牵头,市财政局配合。下一句…)
SENTENCE_ROLES_RE = re.compile(r"(?<=[。;;])[ \t\u3000]*(?![ \t\u3000]{4})(?:由)?([^。;;()()\[\]〔〕【】\n]{3,160}?)[。;;]")
DEADLINE_RE = re.compile(rf"^[ \t\u3000]*(?:{_WHEN})[ \t\u3000]*[::]")
# 由X承办,Y、Z协办。 / (一)由X负责,Y配合,加快…: a sentence (or an item, after its number) that opens with who does the work —
# the lead, then those who help, each part closed by its role word — and may go on with the work itself, no bracket
_OPENING_WHO = (r"[ \t\u3000]*由([^。;;()()\[\]〔〕【】\n]{3,200}?(?:配合|协办|协助|协作|协同|参与|参加))(?=[,,。;;])")
OPENING_WHO_RE = re.compile(_OPENING_WHO)  # at the start of an item's body
OPENING_ROLES_RE = re.compile(r"(?:^|(?<=[。;;]))[ \t\u3000]*(?:[((][一二三四五六七八九十\d]{1,3}[))]|\d{1,3}[.．、]"
                              r"|[一二三四五六七八九十]{1,3}、)?" + _OPENING_WHO, re.MULTILINE)
# 责任单位:X 项目责任人:… 配合单位:Y 实际完成情况:…: where a value run into a record's other fields stops naming units
_FIELDS = field_rules(_LABEL, _WHEN, LABEL_RE, DEADLINE_RE, PIECE_ROLE_RE)
# the year a 完成时限 line names, anywhere in its value (2023年底前, 于2023年6月, 2023.12)
LINE_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def find_annotations(text: str, start: int, end: int, path: str, strict: bool = True,
                     warnings: list[Warning] | None = None, loose: bool = False) -> list[tuple[Span, list[UnitMention]]]:
    return [(span, units) for span, units, _ in find_annotations_typed(text, start, end, path, strict, warnings, loose)]


def damaged(exc: ExtractionError, span: Span, warnings: list[Warning] | None, strict: bool) -> None:
    """A damaged annotation: refused when strict, else a warning (with its place) and the rest is read."""
    if strict or warnings is None:
        raise exc
    warnings.append(Warning(f"damaged annotation, not read: {exc.message}", span))


def find_annotations_typed(text: str, start: int, end: int, path: str, strict: bool = True,
                           warnings: list[Warning] | None = None,
                           loose: bool = False) -> list[tuple[Span, list[UnitMention], str]]:
    """Every annotation in ``text[start:end]`` with the units it lists, in order: labelled
    brackets, unlabelled brackets whose parts end in 牵头/负责/配合, and labelled lines.
    ``strict=False``: an annotation that cannot be read (unclosed, cut off, naming no unit) becomes a
    warning in ``warnings`` instead of refusing the plan.  ``loose`` (a text with no plan structure): also a bare
    list of units before the next item's number or the line's end (LOOSE_BARE_RE); the spans may then overlap."""
    found = []
    pos = start
    line_end = start - 1  # the end of the line of the last annotation (found once for all the annotations of a line)
    while True:
        m = ANNOTATION_RE.search(text, pos, end)
        if not m:
            break
        if m.start() > line_end:
            paragraph_end = text.find("\n", m.start(), end)
            line_end = end if paragraph_end < 0 else paragraph_end
        # its bracket closes before the next annotation opens: an unclosed one is not scanned to its line's end
        # (a line of many unclosed annotations would be read in quadratic time)
        nxt = ANNOTATION_RE.search(text, m.end(), end)
        limit = end if nxt is None else nxt.start()
        try:
            close = _close_on_this_or_next_line(text, m.start(), min(line_end, limit), min(end, limit), path)
            kind = m.group("kind") or ""
            units_start = m.end("kind") + len("指标,") if kind else m.start() + 1  # after 预期性指标, when present
            units = parse_units(text, units_start, close, path)
        except ExtractionError as exc:
            damaged(exc, Span(m.start(), line_end), warnings, strict)
            pos = m.end()
            continue
        found.append((Span(m.start(), close + 1), units, kind))
        pos = close + 1
    taken = Taken(f[0] for f in found)
    for span, units in named_units(text, start, end):  # 牵头单位为X,配合单位为Y。 / (X为牵头单位,Y为配合单位)
        if not taken.overlaps(span.start, span.end):
            found.append((span, units, ""))
            taken.add(span)
    for m in UNLABELLED_RE.finditer(text, start, end):
        if taken.holds(m.start()):
            continue
        inner = 1 if m.group(1) is not None else 2
        units = _bracket_units(text, m.start(inner), m.end(inner), path)
        if units:
            found.append((Span(m.start(), m.end()), units, ""))
    taken = Taken(f[0] for f in found)  # a labelled line inside a bracket broken over lines is the bracket's
    found += [(span, units, "") for span, units in _labelled_lines(text, start, end, path, strict, warnings) if not taken.holds(span.start)]
    taken = Taken(f[0] for f in found)
    for span, units in _labelled_sentences(text, start, end, path, strict, warnings):
        if not taken.holds(span.start):
            found.append((span, units, ""))
    taken = Taken(f[0] for f in found)
    found += [(span, units, "") for span, units in starred_cells(text, start, end) if not taken.holds(span.start)]
    found = with_unit_cells(text, start, end, found, lambda at: LINE_LABEL_RE.match(text, at) is not None)
    taken = Taken(f[0] for f in found)
    for at, to, units in ordered_lists(text, start, end, FIRST_LEADS_RE):  # (X、Y。列第一位者为牵头部门,下同)
        if not taken.holds(at):
            found.append((Span(at, to), units, ""))
            taken.add(found[-1][0])
    bare = [(m, False) for m in BARE_RE.finditer(text, start, end)] + [(m, True) for m in BARE_MID_RE.finditer(text, start, end)]
    for m, inside in bare:
        if m.end(1) + 1 > end or taken.holds(m.start()):
            continue
        units = bare_units(text, m.start(1), m.end(1), inside)
        if units:
            found.append((Span(m.start(), m.end(1) + 1), units, ""))
            taken.add(found[-1][0])
    for span, units in together_units(text, start, end) + stated_units(text, start, end):  # 由X会同Y…负责 / 该目标责任单位为X。
        if not taken.overlaps(span.start, span.end):
            found.append((span, units, ""))
            taken.add(span)
    roles = list(TRAILING_ROLES_RE.finditer(text, start, end))
    trailing = {r.start(1) for r in roles}  # a sentence already read as an item's last is not read again
    roles += [m for m in SENTENCE_ROLES_RE.finditer(text, start, end) if m.start(1) not in trailing]
    for m in roles:
        if taken.overlaps(m.start(1), m.end(1)):
            continue
        said_by = text[m.start():m.start(1)].strip() == "由"
        units = _trailing_units(text, m.start(1), m.end(1), said_by=said_by)
        if units:  # (由)X负责: the annotation starts at its 由, which is no part of the task's text
            found.append((Span(m.start(1) - 1 if said_by else m.start(1), m.end(1)), units, ""))
            taken.add(found[-1][0])
    first = OPENING_WHO_RE.match(text, start, end)
    for m in ([first] if first else []) + list(OPENING_ROLES_RE.finditer(text, start, end)):
        if not taken.overlaps(m.start(1) - 1, m.end(1)) and (units := _trailing_units(text, m.start(1), m.end(1), said_by=True)):
            found.append((Span(m.start(1) - 1, m.end(1)), units, ""))
            taken.add(found[-1][0])
    for m in PIPE_CELL_RE.finditer(text, start, end):  # 1.主动公开…。 | 市直有关部门;各镇(街) |: a row's last cell, of units
        row = text[text.rfind("\n", 0, m.start()) + 1:m.start()].split("|")[0].strip()
        if not row or row.isdigit():
            continue  # (1 | 新建学校 | 县教育局 |: a numbered row, the table readers')
        if not taken.overlaps(m.start(1), m.end(1)) and (units := _cell_units(text, m.start(1), m.end(1))):
            found.append((Span(m.start(1), m.end(1)), units, ""))
            taken.add(found[-1][0])
    if loose:
        taken = Taken(f[0] for f in found)
        for m in LOOSE_BARE_RE.finditer(text, start, end):
            if not taken.holds(m.start()) and (units := bare_units(text, m.start(1), m.end(1))):
                found.append((Span(m.start(), m.end()), units, ""))
    return sorted(((span, one_each(units), kind) for span, units, kind in found), key=lambda f: f[0].start)


# the last cell of a line of |-closed cells, after a cell of text on the same line
PIPE_CELL_RE = re.compile(r"(?<=[^\s|])[ \t\u3000]*\|[ \t\u3000]*([^|\n]{2,200}?)[ \t\u3000]*\|[ \t\u3000]*$", re.MULTILINE)


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


def _close_on_this_or_next_line(text: str, open_at: int, line_end: int, end: int, path: str) -> int:
    """The bracket that closes an annotation: on its own line, or — a page that broke the line inside
    it (…(责任单位: / 市发改委、市财政局)) — on the next line; otherwise the error of its own line."""
    try:
        return closing_bracket(text, open_at, line_end, path)
    except ExtractionError:
        if line_end >= end:
            raise
        nxt = line_end
        for _ in range(2):  # a bracket the page broke over up to three lines, none of them starting an item
            if nxt >= end or ITEM_START_RE.match(text[nxt + 1:nxt + 8]):
                break
            following = text.find("\n", nxt + 1, end)
            nxt = end if following < 0 else following
            try:
                return closing_bracket(text, open_at, nxt, path)
            except ExtractionError:
                pass
        raise


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
        role = ("lead" if word.startswith(("牵头", "主办", "总牵头")) or nxt_at in paired else "unspecified" if CARRY_OUT_RE.fullmatch(word)
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
LINE_BREAK_RE = re.compile(r"\s*\n\s*")


def _unwrapped(name: str) -> str:
    """A unit's name as written, without the line break a page put inside it (县自然资\n源局 → 县自然资源局)."""
    return LINE_BREAK_RE.sub("", name) if "\n" in name else name


def _labelled_lines(text: str, start: int, end: int, path: str, strict: bool = True,
                    warnings: list[Warning] | None = None) -> list[tuple[Span, list[UnitMention]]]:
    """Runs of consecutive labelled lines, each run one annotation."""
    runs: list[list[tuple[int, int]]] = []
    for m in LINE_LABEL_RE.finditer(text, start, end):
        line_end = text.find("\n", m.start(), end)
        line_end = end if line_end < 0 else line_end
        if not text[m.end():line_end].strip():  # 责任单位: / 水务局、城管局: a label whose units the page put on the next line
            line_end = _value_below(text, line_end, end, path)
        else:  # 协办单位:…、园区党工 / 委、各街道党工委: a value the page wrapped inside a unit's name or after a 、
            line_end = _value_wrapped(text, m.end(), line_end, end)
        if runs and text[runs[-1][-1][1]:m.start()].strip() == "":
            runs[-1].append((m.start(), line_end))
        else:
            runs.append([(m.start(), line_end)])
    out = []
    for run in runs:
        units: list[UnitMention] = []
        for s, e in run:
            if DEADLINE_RE.match(text[s:e]) or LEADER_RE.match(text[s:e]):
                continue
            if (task := TASK_LABEL_RE.search(text, s, e)) is not None:
                e = task.start()
            while s is not None:  # a record's fields on the line: the units' values only (see fields.py)
                field = units_end(_FIELDS, text, s, e)
                try:
                    units += parse_units(text, s, e if field is None else field, path)
                except ExtractionError as exc:
                    damaged(exc, Span(s, e), warnings, strict)
                s = None if field is None else label_after_fields(_FIELDS, text, field, e)
        if units:
            out.append((Span(run[0][0], run[-1][1]), units))
    for m in BARE_LABEL_LINE_RE.finditer(text, start, end):  # 责任单位 / 文广旅局: the label's colon lost as well
        below = _value_below(text, m.end(), end, path)
        if below > m.end():
            value = text.index("\n", m.end()) + 1
            role = label_role(m.group(1))
            units = [UnitMention(u.written, u.span, role if u.role == "unspecified" else u.role)
                     for u in parse_units(text, value, below, path)]
            out.append((Span(m.start(1), below), units))
    return out


def _value_below(text: str, line_end: int, end: int, path: str) -> int:
    """The end of the line after a label left without its value (``line_end`` the label's line's end), when that line
    is nothing but a list of units' names (no label, no sentence); else ``line_end``."""
    nxt = VALUE_BELOW_RE.match(text, line_end, end)
    value = nxt.group(1).rstrip(" \t\u3000") if nxt else ""
    if (not value or LINE_LABEL_RE.match(value) or BARE_LABEL_LINE_RE.match(value) or unit_role(value)
            or re.search(r"[::。;;]", value)):  # (牵头单位 / 责任单位, 牵头工作单位: a header's names one a line)
        return line_end
    try:
        units = parse_units(text, nxt.start(1), nxt.start(1) + len(value), path)
    except ExtractionError:
        return line_end
    if units and all(UNIT_NAME_RE.fullmatch(u.written) or EACH_UNIT_RE.fullmatch(u.written) for u in units):
        return nxt.start(1) + len(value)
    return line_end


# the list's separators a labelled value's last piece follows (and a wrapped line's pieces are parted by)
_LIST_SEPARATORS = "、,,;;/\uff0f"


def _value_wrapped(text: str, value_start: int, line_end: int, end: int) -> int:
    """The end of a labelled line's value that a page wrapped onto the next line (``line_end`` the labelled line's end):
    that line's end, when the value ends after a 、 (…、 / 各街道党工委) or in a piece no unit's name ends so that the next
    line's first piece completes one (园区党工 / 委、…), and the next line is nothing but units' names (no label, no item's
    number, no sentence); else ``line_end``."""
    nxt = VALUE_BELOW_RE.match(text, line_end, end) if value_start < line_end < end else None
    if nxt is None:  # (blank lines between: a text with Windows line ends is read with a blank line after each)
        return line_end
    following = nxt.group(1).rstrip(" \t\u3000\r")
    nxt_end = nxt.start(1) + len(following)
    following = following.lstrip(" \t\u3000")
    value = text[value_start:line_end].rstrip(" \t\u3000\r")
    if (not following or not value or len(following) > 120 or LINE_LABEL_RE.match(following) or BARE_LABEL_LINE_RE.match(following)
            or ITEM_START_RE.match(following) or re.search(r"[::。]", value[-1] + following) or unit_role(following)):
        return line_end
    pieces = [p.text for p in split_top(following, 0, len(following), _LIST_SEPARATORS)]
    if not pieces:
        return line_end
    if value[-1] not in "、,,":  # the last name broken: its first part ends the line, the rest opens the next
        last = re.split(rf"[{_LIST_SEPARATORS}]", value)[-1].strip(" \t\u3000")
        if not last or _a_name(last) or not _a_name(last + pieces[0]):
            return line_end
        pieces = pieces[1:]
    return nxt_end if all(_a_name(p) for p in pieces) else line_end


def _a_name(piece: str) -> bool:
    bare = LAST_BRACKET_RE.sub("", piece)
    return bool(UNIT_NAME_RE.fullmatch(bare) or EACH_UNIT_RE.fullmatch(bare))


def _labelled_sentences(text: str, start: int, end: int, path: str, strict: bool = True,
                        warnings: list[Warning] | None = None) -> list[tuple[Span, list[UnitMention]]]:
    """Runs of labelled sentences after a sentence's end inside a line (…水平。牵头单位:X。责任单位:Y。),
    each run one annotation; a sentence ends at 。 or the end of its line."""
    out: list[tuple[Span, list[UnitMention]]] = []
    pos = start
    while (m := INLINE_LABEL_RE.search(text, pos, end)) is not None:
        run_start, units, cursor = m.start() + len(m.group()) - len(m.group().lstrip(" \t\u3000")), [], m.start()
        looked: tuple[int, int, re.Match[str] | None] | None = None  # where VALUE_STOP_RE was last looked for, and found
        closings: ClosingsOutside | None = None  # the closing brackets outside, along the sentence read
        while True:
            line_end = text.find("\n", cursor, end)
            line_end = end if line_end < 0 else line_end
            stop = text.find("。", cursor, line_end)
            stop = line_end if stop < 0 else stop
            # (a record's fields move the cursor along one sentence: what was found ahead of it still stands)
            if looked and looked[0] <= cursor + 1 and looked[1] == stop and (looked[2] is None or looked[2].start() > cursor):
                cut = looked[2]
            else:
                cut = VALUE_STOP_RE.search(text, cursor + 1, stop)
                looked = (cursor + 1, stop, cut)
            stop = cut.start() if cut else stop
            if closings is None or not closings.serves(cursor, stop):
                closings = ClosingsOutside(text, cursor, stop)
            closed = closings.first(cursor)  # (详见附件;责任单位:X): the bracket's close ends the value, and the run
            stop = stop if closed is None else closed
            field = units_end(_FIELDS, text, cursor, stop)
            stop = stop if field is None else field
            try:
                units += parse_units(text, cursor, stop, path)
            except ExtractionError as exc:
                damaged(exc, Span(cursor, stop), warnings, strict)
            if field is not None:  # the record's other fields, then maybe the next label of units on the line
                full_stop = text.find("。", field, line_end)
                later = label_after_fields(_FIELDS, text, field, line_end if full_stop < 0 else full_stop)
                if later is None:
                    cursor = field
                    break
                cursor = later
                continue
            cursor = stop + 1 if stop < line_end and not cut else stop
            nxt = LABEL_RE.match(text, cursor, line_end)
            if nxt is None or stop >= line_end or cut or closed is not None:
                break
        if units:
            out.append((Span(run_start, min(cursor, end)), units))
        pos = max(cursor, m.end())
    return out


def parse_units(text: str, start: int, end: int, path: str) -> list[UnitMention]:
    """The units named in an annotation (between its brackets, or on its line), each with its role.
    A remark after the units' sentence (…按职责分工负责。具体任务均涉及…,下同。) names none; nor does a
    piece that says when (6月底完成, 完成时限:2023年底).  X、Y分别牵头 / X牵头,Y配合: a role word at the end
    of a piece is the role of the pieces since the last one — but not of a unit a label named lead or support
    (牵头单位:X,Y配合: X leads), unless a semicolon started the unit's part (牵头单位:X;Y、Z配合: Y and Z support).
    Units joined by 及/和/与 are two units."""
    units: list[UnitMention] = []
    role = "unspecified"
    since = 0  # the first unit the next role word at a piece's end speaks for
    fresh: int | None = None  # the first unit of a part after a semicolon with no label of its own: its role word overrides
    people = False  # after a label of people (牵头领导:…), until a label of units
    stop = _first_sentence_end(text, start, end)
    for piece in _each_of(text, split_top(text, start, stop, PIECE_SEPARATORS)):  # 各县、市、区政府: one unit
        written, span = piece.text, piece.span
        remark = TRAILING_REMARK_RE.search(written)  # 市卫生健康委(除标注…外,列第一位为牵头单位,下同): a unit, then a remark
        if remark and remark.start() >= 2:
            rest = mention(text, span.start, span.start + remark.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        marked = ROLE_MARK_RE.search(written)  # 市发改委(牵头): the unit's own role, in a bracket after its name
        if marked and marked.start() >= 2:
            rest = mention(text, span.start, span.start + marked.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        if RIDER_RE.search(written) or FIRST_LEADS_RE.search(written):
            if units:
                break  # a rider, and the remark that goes with it, not units: see has_rider
            continue
        if LEADER_RE.match(written):
            people = True  # 牵头领导:张三、李四: people, up to the next label of units
            continue
        label = LABEL_RE.match(written) or UNIT_FIELD_RE.match(written)
        if not label and OTHER_FIELD_RE.match(written) and not is_time_piece(written):
            people = True  # 项目:平台建设: no units, up to the next label of units
            continue
        if people and not label:
            continue
        people = False
        if label:
            role = label_role(label.group(1))
            since = len(units)
            rest = mention(text, span.start + label.end(), span.end)
            if rest is None:
                continue
            written, span = rest.text, rest.span
        other = SPACED_FIELD_RE.search(written)
        if other and other.start() >= 2:  # 市科技局 项目:平台建设 / 市科技局 完成时限:…: the unit, then another field
            rest = mention(text, span.start, span.start + other.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
            people = True
        if is_time_piece(written):
            continue  # when, not who: read by stated_deadline
        when = SPACED_WHEN_RE.search(written)  # 市发改委 2023年底前完成: the unit, then when after a space
        if when and when.start() >= 2 and is_time_piece(when.group(1)):
            rest = mention(text, span.start, span.start + when.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        et = ET_CETERA.search(written)  # 市卫生健康委等,各县(市、区)政府: the 等 closes a list, it is no part of the name
        if et and et.start() >= 2:
            rest = mention(text, span.start, span.start + et.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        piece_role = role
        if label:
            fresh = None
        elif follows(text, piece.span.start, ";\uff1b"):
            since = fresh = len(units)  # 牵头单位:X;Y、Z配合: a part of its own, its role word speaks for Y and Z alone
        said = PIECE_ROLE_RE.search(written)  # X、Y分别牵头 / Z配合: the role of this piece and those before it since the last
        if said and said.start() >= 2:
            piece_role = "lead" if said.group("word") in ("牵头", "主办") else "support" if said.group("word") else role
            # …but not of units a label named lead or support in the same part (牵头单位:X,Y配合: X still leads)
            units[since:] = [UnitMention(u.written, u.span, piece_role if u.role == "unspecified" or (fresh is not None and i >= fresh)
                                         else u.role) for i, u in enumerate(units[since:], since)]
            rest = mention(text, span.start, span.start + said.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        if marked and marked.start() >= 2:
            piece_role = mark_role(marked)
        for spaced in _spaced(text, Mention(written, span)):
            for name in _joined(text, spaced):
                if name is not spaced:  # X等省直有关部门和Y: the 等 closes a list before the 和
                    name = _without_et_cetera(text, name)
                    if name is None:
                        continue
                units.append(UnitMention(_unwrapped(name.text), name.span, piece_role))  # (园区党工\n委: one name)
        if said and said.start() >= 2:
            since = len(units)
    if not units:
        raise ExtractionError("the annotation names no responsible unit", Location.in_text(text, start - 1, path))
    return units


def stated_deadline(annotation: str) -> tuple[bool, int | None]:
    """Whether an annotation states when (a piece such as 6月底完成 / 完成时限:2023年底), and the year it names."""
    inner = annotation.strip()[1:-1] if annotation.strip()[:1] in "((〔[［【" else annotation
    for part in re.split(r"[,,;;、。]|(?=" + SPACED_FIELD_RE.pattern + ")", inner):  # 市科技局 完成时限:…: a part of its own
        part = part.strip(" \t\u3000")
        label = LABEL_RE.match(part)
        if label:
            part = part[label.end():].strip()
        when = SPACED_WHEN_RE.search(part)  # 市科技局 2023年底前完成: the unit, then when after a space
        if when and when.start() >= 2 and is_time_piece(when.group(1)):
            part = when.group(1)
        if part and is_time_piece(part):
            year = YEAR_IN_RE.search(part)
            return True, int(year.group(1)) if year else None
    return False, None


def _first_sentence_end(text: str, start: int, end: int) -> int:
    """Where the units' sentence ends: the first 。 outside brackets that no label of units follows (牵头单位:X。配合单位:Y:
    one sentence a label), else ``end``."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "((〔[【":
            depth += 1
        elif ch in "))〕]】":
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0 and not LABEL_RE.match(text, i + 1, end):
            return i
    return end


def has_rider(annotation: str) -> bool:
    return bool(RIDER_RE.search(annotation))


def clauses_in(text: str, container: Ref, body: Span, path: str, warnings: list[Warning], strict: bool = True) -> list[Clause]:
    """Cut a container's body into clauses, one per annotation."""
    clauses: list[Clause] = []
    cursor = body.start
    number = 0
    for span, units, kind in find_annotations_typed(text, body.start, body.end, path, strict, warnings):
        lead = mention(text, cursor, span.start, strip=PUNCT)  # drop the 。 or 、 left by the previous clause
        if lead is not None and number > 1 and lead.span.start == cursor:
            lead = _after_tail(text, lead)  # ")等创新平台;打造…": the previous sentence's tail is not this clause
        covered = mention(text, lead.span.start, span.start) if lead else None  # but keep the clause's own end
        after = None
        if (covered is None or not has_words(covered.text)) and OPENING_WHO_RE.match(text, span.start, body.end):
            # (一)由X负责,Y配合,加快…。: who opens the sentence, the work follows it — the clause is the rest of the sentence
            stop = text.find("。", span.end, body.end)
            covered = after = mention(text, span.end, body.end if stop < 0 else stop + 1, strip=PUNCT)
            if after is not None:  # the separator after who (由X负责,Y配合,) goes with the annotation: the work begins where it ends
                span = Span(span.start, after.span.start)
        if covered is None or not has_words(covered.text):
            exc = ExtractionError(
                "this annotation covers no text: nothing stands between it and the previous annotation",
                Location.in_text(text, span.start, path),
            )
            damaged(exc, span, warnings, strict)
            cursor = span.end
            continue
        number += 1
        annotation = Mention(span.of(text), span)
        years = [int(y.group(1)) for line in span.of(text).splitlines()
                 if (m := DEADLINE_RE.match(line)) and (y := LINE_YEAR_RE.search(line, m.end()))]
        if not years:  # (…,2023年底前完成) / [责任单位:…;完成时限:2023年底] inside the brackets
            years = [y for stated, y in [stated_deadline(annotation.text)] if stated and y]
        clauses.append(Clause(container, number, covered, annotation, units, years[0] if years else None, kind,
                              rider=has_rider(annotation.text)))
        cursor = span.end if after is None else after.span.end
    rest = mention(text, cursor, body.end, strip=PUNCT)
    if clauses and rest is not None and has_words(rest.text):
        warnings.append(Warning(f"text after the last annotation of {container.key} is not covered by any clause", rest.span))
    return clauses


def _after_tail(text: str, lead: Mention) -> Mention:
    """A clause that follows an annotation without punctuation continues the previous
    sentence or list item (``…大学科技园(责任单位:…)等高质量创新创业孵化平台;鼓励…``):
    it starts after that sentence or list item ends, at the first top-level 。 or ;
    — unless nothing with words would be left."""
    pieces = split_top(text, lead.span.start, lead.span.end, "。;;!?!?")
    if len(pieces) < 2:
        return lead
    rest = mention(text, pieces[1].span.start, lead.span.end, strip=PUNCT)
    return rest if rest is not None and has_words(rest.text) else lead


def stray_annotations(text: str, spans: list[Span], path: str, warnings: list[Warning], strict: bool = True) -> None:
    """Warn about annotations standing where no clause can be made (front matter, headings)."""
    for span in spans:
        for ann, _ in find_annotations(text, span.start, span.end, path, strict, warnings):
            warnings.append(Warning("responsibility annotation outside any item: not made into a clause", ann))
