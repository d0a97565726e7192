"""The written forms of a responsibility annotation, as patterns.

The labels (责任单位, 牵头单位 …) and leaders' titles an annotation opens with, the role words a
unit's name ends in (牵头, 配合, 按职责分工负责 …), the riders that carry an annotation over to what
follows (下同, 列第一位的为牵头单位), the fields that are not units (完成时限, 工作目标 …) and the shapes
of labelled lines, labelled sentences and unlabelled brackets.  Every reader of annotations
(``annotations``, ``unitlists``, ``labelled``, ``unlabelled``) matches text with these.
"""

from __future__ import annotations

import re

from .fields import field_rules
from .names import (
    GENERAL_LABEL,
    LABELS,
)

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
# (…、地税局等和各市、县人民政府: 等 closes a list and 和 adds one more unit — a separator, before what starts a unit)
PIECE_SEPARATORS = re.compile(rf"[、,,;;|]|(?<=[\u4e00-\u9fff)\uff09])[/\uff0f](?=[\u4e00-\u9fff])"
                              rf"|(?<=[局委办厅府会室院])等(?:以及|和|及|与)(?=各|有关|相关|[省市县区])"
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
# (…、团委组织实施) / (由X和Y组织落实): 组织 before the verb is the same carrying out — not where it ends a body's name
# (各级党组织, 各级团组织, 各社会组织, 各级工会组织, 各基层组织, 群众组织 keep it, the verb then a bare 落实)
_CARRY_OUT = r"(?:负责|(?<![党团])(?<![工社]会)(?<!基层)(?<!群众)组织)?(?:落实|实施)"


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
# (…,各县市党委和政府责任人:州委办公室主要负责人: a label of people run straight on after a unit's name ends the list too)
VALUE_STOP_RE = re.compile(rf"[((][一二三四五六七八九十]{{1,3}}[))]|(?<![\d.．])\d{{1,2}}[.．、](?!\d)|{_LEADER}[ \t\u3000]*[::]"
                           rf"|(?<=[委府局办室厅会])责任人[ \t\u3000]*[::]")


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
# (省通信管理局等配合: the 等 closing the list before the role word is no part of the last name)
PIECE_ROLE_RE = re.compile(r"等?(?:分别|共同|负责|总)?(?P<word>牵头|主办|配合|协助|协办|协作|协同|参与|参加)(?:负责|实施|落实)?$"
                           rf"|(?:等|分别|共同)?(?:{_BY_DUTY}{_S}负{_S}责|分工负责|负责)$")


# a short bracket inside a unit's name (各县(市)、区人民政府): the sentences that say who may hold one
_NAME_BRACKET = r"[((][^()()。;;\n]{1,8}[))]"


# an item whose last sentence says who, without brackets: …。市发展改革委牵头;市财政局配合 / …。由市商务局负责。
# (spaces after the sentence's end: the name never starts with four of them — one fewer is always tried first and ends
# as well — and those after it are never given back; tried every way, a long run of them took its square or worse)
TRAILING_ROLES_RE = re.compile(r"(?<=[。;;])[ \t\u3000]*(?![ \t\u3000]{4})(?:由)?((?:[^。()()\[\]〔〕【】\n]|" + _NAME_BRACKET + r"){3,160}?)"
                               r"[。;;]?[ \t\u3000]*+$", re.MULTILINE)


# ──由X会同Y组织落实。 / 由X和Y组织落实。: a line of its own under an item that opens with 由 (after a dash a page may put
# before it) and says who — read as an item's last sentence is.  (The spaces before and after the dash are never given
# back: with the dash optional, the two runs shared a line's leading spaces in every way, each way then trying every
# length of the names — 8,000 spaces either side of a 由 took 22 s.)
SAID_BY_LINE_RE = re.compile(r"^[ \t\u3000]*+(?:[—─\-－]{1,6}+[ \t\u3000]*+)?由((?:[^。;;()()\[\]〔〕【】\n]|" + _NAME_BRACKET + r"){3,160}?)"
                             r"[。;;]?[ \t\u3000]*+$", re.MULTILINE)


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
