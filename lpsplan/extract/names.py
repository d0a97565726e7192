"""How annotations write units and dates: the last words of a unit's name, the forms that list units
(各县、区人民政府, X及Y, …等部门, names separated by spaces) and the pieces that say when (2023年底前完成).
Shared by the readers of bracketed and bracketless annotations (annotations.py, unitlists.py, labelled.py,
unlabelled.py) and of tables."""

from __future__ import annotations

import re

from ..records import Mention, Span
from .text import mention

# the labels of annotations and the role of the units after each
LABELS = {
    "主要责任单位": "unspecified",
    "责任单位": "unspecified",
    "牵头单位": "lead",
    "协同配合单位": "support",
    "配合单位": "support",
    "协办单位": "support",
    "协同单位": "support",
    "参与单位": "support",
    "牵头部门": "lead",
    "责任部门": "unspecified",
    "配合部门": "support",
    "牵头科室(单位)": "lead",
    "牵头科室": "lead",
    "责任科室": "unspecified",
    "牵头责任单位": "lead",
    "主责单位": "unspecified",
    "承办单位": "unspecified",
    "参与部门": "support",
    "协同部门": "support",
    "协助单位": "support",
    "支持单位": "support",
    "数据提供单位": "support",  # the units that supply a target's figures: a supporting part in the task
    "协同责任单位": "support",
    "配合责任单位": "support",
    "主办单位": "lead",  # 主办 / 协办: the unit that runs the task and those that help
    "责任主体": "unspecified",
    "实施主体": "unspecified",
    "实施单位": "unspecified",
    "部门分工": "unspecified",  # 部门分工:X牵头,各地、各部门配合 — the roles are the words after the units
}
# a label the list above does not hold, read by its words: a role word, then the kind of body it names (责任处室, 落实单位, 主管部门,
# 牵头股室, 配合科室, 协办部门, 主要协作单位, 共同责任单位 …) — lead when it says 牵头/主办, support when it says
# 配合/协同/协助/协办/协作/参与/参加/支持 (共同责任单位 after 牵头单位: the units sharing the task, as 责任单位 are)
# (省牵头单位:省农业农村厅 under a city's task, 市级牵头单位:…;区级牵头单位:… in one bracket: the level whose unit the label
# names may come first; 责任单位(部门): the other kind of body the label's column may hold, as 牵头科室(单位) in the list)
GENERAL_LABEL = (r"(?:[省市县区]级?(?=牵头|责任|配合|协同|协办|协作|参与))?(?:主要|具体|共同)?(?:牵头|主责|主管|主办|承办|责任|配合|协同|协助|协办|协作|参与|参加|支持|实施|落实|督办|协调)"
                 r"(?:责任|配合|牵头|负责)?(?:单位|部门|科室|处室|股室|机构|主体)(?:[((](?:单位|部门|科室|处室|股室)[))])?")


# 责任单位:市发改委(牵头)、市财政局 / a cell 县教育局(牵头)、县财政局: a unit's role in a bracket of its own after its
# name, the others keeping the label's (or the column's)
ROLE_MARK_RE = re.compile(r"[((〔\[【](?:总)?(牵头|主办|配合|协办|协助|协作|协同|参与|参加)[))〕\]】]$")


def mark_role(marked: re.Match[str]) -> str:
    """The role a :data:`ROLE_MARK_RE` bracket gives its unit."""
    return "lead" if marked.group(1) in ("牵头", "主办") else "support"


def label_role(label: str) -> str:
    """The role of the units after a label: from the list, else by its words (see GENERAL_LABEL)."""
    if label in LABELS:
        return LABELS[label]
    if "牵头" in label or "主办" in label:
        return "lead"
    return "support" if re.search(r"配合|协同|协助|协办|协作|参与|参加|支持", label) else "unspecified"


# 等部门 / 等单位 after the last unit of a list, and the group they belong to (…区商务局等数字经济工作领导小组成员单位)
ET_CETERA = re.compile(r"等(?:[^、,,;;]{0,8}?(?:部门|单位)|[^、,,;;等]{2,24}?成员单位)?$")
# a piece of an annotation that states when, not who: 6月底完成, 2023年底前, 完成时限:2023年底, 长期坚持, 全年 —
# matched with its whitespace taken out (2023年 底前), so that no run of spaces can make the pattern backtrack
TIME_LABEL_RE = re.compile(r"(?:(?:完成)?(?:时限|时间|期限)|时间节点)[::]")
TIME_WHEN_RE = re.compile(r"(?=.*(?:\d|年底|年内|全年|长期|持续|常态))(?:\d{4}年)?(?:\d{1,2}(?:月|季度))?(?:\d{1,2}日)?"
                          r"(?:底|末|初|上旬|中旬|下旬|份|年底|年内|全年)?(?:前|以前|之前)?(?:持续|长期)?"
                          r"(?:完成|启动|建成|出台|到位|见效|推进|坚持|开展|实施)?"
                          r"|(?:长期|持续|常态化)(?:坚持|推进|开展|实施)?")
MAX_TIME_PIECE = 40  # a longer piece without a label is a sentence, not a date
_SPACE_RE = re.compile(r"\s+")


def is_time_piece(piece: str) -> bool:
    """Whether a piece of an annotation says when rather than who (see TIME_WHEN_RE)."""
    piece = _SPACE_RE.sub("", piece)
    return bool(TIME_LABEL_RE.match(piece)) or (len(piece) <= MAX_TIME_PIECE and TIME_WHEN_RE.fullmatch(piece) is not None)


YEAR_IN_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# X及Y / X和Y / X与Y between two units (州委编办及州直相关单位): the word before ends as a unit's name does
# and the one after starts as one does — not 住房和城乡建设局, 发展和改革委员会
JOINED_RE = re.compile(r"(?<=[局委办厅府会部室队院所处科站社署馆校司行团组心门位区县市镇乡))])(?:及|和|与|以及)"
                       r"(?=[省市县区州盟旗镇乡街各全有相其该驻]|[\u4e00-\u9fff]{1,6}(?:局|委|办|厅|政府|管委会|中心|部门|单位))")
_UNIT_WORD = (r"(?:局|委|办|厅|政府|管委会|中心|部门|单位|院|所|处|科|站|社|署|馆|部|室|队|司|行|集团|公司"
              r"|街道|办事处|委员会|联合会|协会|法院|检察院|党委|党组|团委|妇联|工会|残联|科协|乡镇|海关)")  # the last word of a unit's name
# (not a name that ends in a role word: 联合国主办, 区财政局协办 — the 办 there is no office's)
UNIT_NAME_RE = re.compile(r"[\u4e00-\u9fff()()]{1,30}" + _UNIT_WORD + r"(?<!主办|协办)")
UNIT_INSIDE_RE = re.compile(r"[\u4e00-\u9fff()()]{2,30}" + _UNIT_WORD + r"(?<!主办|协办)")
# 各地 / 各县(市、区) / 各有关部门 / 各镇街: units named as every one of a kind — not 各地要 (the start of a sentence)
EACH_UNIT_RE = re.compile(r"各[\u4e00-\u9fff、()()]{0,12}?(?:政府|部门|单位|街道|乡镇|镇街|管委会|县区|区县|[省市县区州盟旗镇乡地级])"
                          r"(?:[((][市县区、]{1,5}[))])?")
# a bare list names units only when each is a government's body by its last word, or starts with a level of
# government or a place (市图书馆, 县医院); 馆/院/所/站/室/行/中心 alone are places and kinds of body
GOVERNMENT_BODY_RE = re.compile(r"(?:局|委|办|厅|政府|管委会|部门|单位|委员会|办事处|街道|党委|党组|团委|妇联|工会|残联|科协|乡镇"
                                r"|法院|检察院|联合会)$")
ADMINISTRATIVE_RE = re.compile(r"[省市县区州盟旗镇乡各]|自治[区州县旗]")
LAST_BRACKET_RE = re.compile(r"[((][^()()]*[))]$")  # 各县区(管委会): the bracket closing a name


def is_unit_name(name: str) -> bool:
    """Whether a piece of a list is a unit's whole name by its last word (区财政局) or names every one of a kind
    (各县区政府), a bracket closing it (各县区(管委会)) aside."""
    bare = LAST_BRACKET_RE.sub("", name)
    return bool(UNIT_NAME_RE.fullmatch(bare) or EACH_UNIT_RE.fullmatch(bare))


def _administrative(name: str) -> bool:
    """Whether a name starts as a government's unit does: 省/市/县/区… or 各…, or the name of a place."""
    from ..divisions import place_at_start

    return bool(ADMINISTRATIVE_RE.match(name)) or place_at_start(name) is not None


# the divisions a collective names after its 各 (各县、市、区政府, 各乡、街办、管理处, 各旗、县、区人民政府)
_DIVISION = (r"(?:省|市|[县縣]|[区區]|州|盟|旗|[镇鎮]|[乡鄉]|[乡鄉][镇鎮]|[镇鎮]街|街道|街[办辦]|[办辦]事[处處]|管理[处處]|管委[会會]|社[区區]|村"
             r"|地[级級]市|[县縣][级級]市|[县縣][区區]|[区區][县縣])")
# (各市(地)、县(市)政府(行署): the first division word may carry its other name in a bracket, as the last does)
EACH_FIRST_RE = re.compile(rf"(?:各|\d{{1,3}}个){_DIVISION}(?:[((〔][^()()〔〕]{{1,4}}[))〕])?")  # 各县 / 13个街道(、镇)
EACH_MIDDLE_RE = re.compile(_DIVISION)
# the last of the list: a division word and the one body they all have (区政府, 区人民政府(管委会), 区党委和人民政府)
# (各区、县(市)政府: a bracket may stand between the division word and the body, of either kind: 各市、县〔区〕人民政府)
EACH_LAST_RE = re.compile(rf"{_DIVISION}(?:[((〔][^()()〔〕]{{1,4}}[))〕])?(?:(?:[党黨]委和)?(?:人民)?政府|[党黨]委|[党黨]工委|管委[会會]"
                          rf"|委[员員][会會])?(?:[((〔][^()()〔〕]{{1,10}}[))〕])?")


# spaces a page put beside a bracket or a 、 inside a collective's name (各市 (地) 、县 (市) 政府 (行署)): no part of it
# (a run of spaces tried from its first only: from each of its spaces the look-ahead would scan the rest again)
_SPACE_BESIDE_RE = re.compile(r"(?<![ \t\u3000])[ \t\u3000]++(?=[((〔〈<\[))〕〉>\]、])|(?<=[((〔〈<\[))〕〉>\]、])[ \t\u3000]++")


def unspaced(name: str) -> str:
    """A name without the spaces a page put beside its brackets and 、 (see _SPACE_BESIDE_RE)."""
    return _SPACE_BESIDE_RE.sub("", name) if " " in name or "\t" in name or "\u3000" in name else name


def _each_of(text: str, parts: list[Mention]) -> list[Mention]:
    """各县、区人民政府 / 各县、市、区政府 / 各乡、街办、管理处 are one unit each, not 各县 and 区人民政府: a part that is 各 and
    a division word, the parts after it that are division words alone and the one that ends them (a division word and
    the body they share) are one collective — not 各街道、区直各部门 (two units: 区直各部门 is no division word).  The first
    part may carry its label (责任单位:各县、市、区政府)."""
    out: list[Mention] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if i + 1 < len(parts) and _party_and_government(text, part, parts[i + 1]):  # 各市党委、政府: one collective
            out.append(mention(text, part.span.start, parts[i + 1].span.end))
            i += 2
            continue
        last = None  # the furthest part that ends the list: division words alone up to it, each after a 、
        j = i + 1
        while EACH_FIRST_RE.fullmatch(unspaced(re.split(r"[::]", part.text)[-1].strip())) and j < len(parts) and text[parts[j - 1].span.end:parts[j].span.start].strip() == "、":
            after = unspaced(parts[j].text)
            ends = EACH_LAST_RE.match(after)  # …县(市)政府及开发区管委会: the list ends before the 及 (see _joined)
            if ends and (ends.end() == len(after) or JOINED_RE.match(after, ends.end())):
                last = j
            if not EACH_MIDDLE_RE.fullmatch(after):
                break
            j += 1
        if last is None:
            last = _places_sharing(text, parts, i)
        joined = mention(text, part.span.start, parts[last].span.end) if last is not None else None
        if joined is not None:
            out.append(joined)
            i = last + 1
            continue
        out.append(part)
        i += 1
    return out


# 各市党委、政府 / 雄安新区党工委、管委会: the party committee and the government of the same places, the second named by
# its body's word alone — one collective (the places' leadership), not a unit and a nameless body
_PARTY_RE = re.compile(r"[\u4e00-\u9fff()()]{1,20}(?:党委|党工委)")
# (各市(地)党委、政府(行署): the government may carry its other name in a bracket, as the party committee its places)
_ITS_GOVERNMENT_RE = re.compile(r"(?:(?:人民)?政府|管委会|管理委员会|行政公署|行署|办事处)(?:[((][^()()]{1,6}[))])?")


def _party_and_government(text: str, party: Mention, government: Mention) -> bool:
    return (text[party.span.end:government.span.start].strip() == "、"
            and _PARTY_RE.fullmatch(unspaced(re.split(r"[::]", party.text)[-1].strip())) is not None
            and _ITS_GOVERNMENT_RE.fullmatch(unspaced(government.text)) is not None)


def _bare_place(name: str) -> bool:
    from ..divisions import GENERIC_SHORT, place_at_start

    at = place_at_start(name)
    return at is not None and at[0] == name and name not in GENERIC_SHORT


def _places_sharing(text: str, parts: list[Mention], i: int) -> int | None:
    """临汾、侯马、洪洞经济开发区管委会: places named alone, each after a 、, before the part that names them with the body they
    share (a place, then a unit's word) are one unit with it; the index of that last part, else None.  The first part may
    carry its label; the joined unit then starts after it, as the caller takes off a label from any unit."""
    from ..divisions import place_at_start

    j = i
    # the first part may carry its label (责任单位:海东市、兰州市、临夏州发展改革部门)
    while j < len(parts) and _bare_place((re.split(r"[::]", parts[j].text)[-1] if j == i else parts[j].text).strip()):
        if j + 1 >= len(parts) or text[parts[j].span.end:parts[j + 1].span.start].strip() != "、":
            return None
        j += 1
    if j == i or j >= len(parts):
        return None
    last = parts[j].text.strip()
    return j if place_at_start(last) is not None and (GOVERNMENT_BODY_RE.search(last) or _SHARED_BODY_RE.search(last)) else None


# bodies several places share that end in no government's word (广州、深圳海关, 广州、深圳、珠海出入境边防检查总站)
_SHARED_BODY_RE = re.compile(r"(?:海关|检查总站|检查站|分行|支行|分局|监管局|监管分局)$")


def _without_et_cetera(text: str, name: Mention) -> Mention | None:
    """区水务局等部门 → 区水务局 (a name that is only 等部门 is none)."""
    m = ET_CETERA.search(name.text)
    if not m or m.start() == 0:
        return name if not m else None
    return mention(text, name.span.start, name.span.start + m.start())


# the person in charge written after a unit's name, in a unit cell or a list: 市民政局 张三 / 市民政局(局长 张三) /
# 市民政局(张三局长) — the unit only; a post's word, or a name of two or three characters that names no unit and no role
_POST = r"(?:副|常务副)?(?:局长|主任|书记|县长|区长|市长|镇长|乡长|部长|处长|科长|组长|站长|所长|院长|校长|主席|经理|负责人)"
# (the spaces from their first only: tried from each space of a long run, they took its square)
PERSON_AFTER_RE = re.compile(rf"(?<![ \t\u3000])[ \t\u3000]+(?P<p>[\u4e00-\u9fff]{{2,3}})$|[((](?:{_POST}[ \t\u3000::]*(?P<q>[\u4e00-\u9fff]{{2,3}})"
                             rf"|(?P<r>[\u4e00-\u9fff]{{2,3}})[ \t\u3000]*{_POST})[))]$")
_NOT_A_PERSON = re.compile(r"^各|负责|牵头|配合|协办|主办|参与|落实|实施|推进|等$")
# a word that ends as a body's or a place's name does, never a person's (市发改委 海关, 区政府 高新区, 市政府(市长办公室))
_BODY_OR_PLACE_END = re.compile(r"(?:区|县|市|州|省|旗|镇|乡|村|街道|海关|园|城|港|办公室|室|局|委|办|厅|处|科|所|站|院|会|部|队|组|司|行"
                                r"|社|中心|集团|公司|单位|部门)$")


def without_person(text: str, name: Mention) -> Mention:
    """A unit's name with the person in charge written after it taken off (see PERSON_AFTER_RE)."""
    m = PERSON_AFTER_RE.search(name.text)
    if m is None or m.start() < 2:
        return name
    person = m.group("p") or m.group("q") or m.group("r")
    if _BODY_OR_PLACE_END.search(person) or (m.group("p") and (UNIT_NAME_RE.fullmatch(person) or _NOT_A_PERSON.search(person))):
        return name
    unit = name.text[:m.start()]
    if not UNIT_NAME_RE.fullmatch(unit):
        return name
    return Mention(unit, Span(name.span.start, name.span.start + m.start()))


# a zone's administration or a customs office named by the place alone (高新区, 经开区, 海关), in a list of spaced units
_ZONE_OR_CUSTOMS = re.compile(r"[\u4e00-\u9fff]{0,8}(?:海关|高新区|经开区|开发区|新区|园区)")


def _spaced(text: str, name: Mention) -> list[Mention]:
    """市发改委 市财政局 市商务局: units a page separated by spaces, when every part is a unit's name (a person in charge
    written after the unit is no part of it: see without_person)."""
    name = without_person(text, name)
    parts = [m for m in re.finditer(r"[^ \t\u3000]+", name.text)]
    # 区国投集团 各有关乡镇(街道): a name closed by a bracket (its other name, its kind) is a unit's name as well
    if len(parts) < 2 or not all(UNIT_NAME_RE.fullmatch(LAST_BRACKET_RE.sub("", p.group())) or _ZONE_OR_CUSTOMS.fullmatch(p.group())
                                 for p in parts):
        return [name]
    return [Mention(p.group(), Span(name.span.start + p.start(), name.span.start + p.end())) for p in parts]


# 沧州渤海新区党工委和管委会 / 黄骅市委和市政府 / 各县(市、区)党委和人民政府: a 和 between the party committee of some places
# and their government is no join of two units — the places' leadership, one collective (as 各市党委、政府 is)
_PARTY_BEFORE_RE = re.compile(r"(?:党委|党工委|[省市县区州旗盟]委)$")
_GOVERNMENT_AFTER_RE = re.compile(r"(?:[省市县区州旗盟])?(?:人民)?政府|管委会|管理委员会|行政公署|行署")


def _collective_and(name: str, cut: re.Match[str], after_end: int) -> bool:
    # (the committee's word looked for in the three characters before the 和 only: from the name's start, a long name
    # of many 和 took its square)
    return (_PARTY_BEFORE_RE.search(name, max(0, cut.start() - 3), cut.start()) is not None
            and _GOVERNMENT_AFTER_RE.fullmatch(name, cut.end(), after_end) is not None)


def is_collective(name: str) -> bool:
    """Whether ``name`` is a party committee and its places' government joined by 和, whole (县委和县政府: see
    _collective_and) — one unit, which no later reader cuts again (not at 和县, a county's name)."""
    cuts = list(JOINED_RE.finditer(name))
    return len(cuts) == 1 and cuts[0].group() == "和" and _collective_and(name, cuts[0], len(name))


def _joined(text: str, name: Mention) -> list[Mention]:
    """州委编办及州直相关单位 → 州委编办, 州直相关单位 (see JOINED_RE); a single name stays one, and so does a party committee
    joined to its places' government (see _collective_and)."""
    cuts = list(JOINED_RE.finditer(name.text))
    ends = [c.start() for c in cuts[1:]] + [len(name.text)]
    cuts = [m for m, end in zip(cuts, ends, strict=False) if not (m.group() == "和" and _collective_and(name.text, m, end))]
    if not cuts:
        return [name]
    out, pos = [], 0
    for m in cuts:
        part = mention(text, name.span.start + pos, name.span.start + m.start())
        if part is None or len(part.text) < 2:
            return [name]
        out.append(part)
        pos = m.end()
    last = mention(text, name.span.start + pos, name.span.end)
    if last is None or len(last.text) < 2:
        return [name]
    return out + [last]
