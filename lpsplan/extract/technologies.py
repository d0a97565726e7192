"""Focus directions (围绕…等方向) and technology directions (重点支持/支持/推进/推动 …)
of the key domains, and what the directions are about.

A verb phrase's object is stripped of its activity words (技术研发, 应用示范, …)
and its enumeration is split on 、/和/及/以及.  Then the phrase's grammar decides
what a direction is:

- ``X、Y等Z``: when Z starts with a category word (固废资源, 非化石能源, 疾病, 重点领域,
  难减行业, 产品 …) the items are typed by it.  Materials, resources and products get
  the head each (风力、光伏…等非化石能源发电 → 风力发电, 光伏发电 …), and so do
  attributes (轻质、高强…等功能性建材产品 → 轻质建材产品 …); sectors and health topics
  are not technologies: the direction is the category with its head, as written
  (…等疾病的监测防控 → 疾病的监测防控), and it *concerns* each item.  A process after 等
  (精深加工, 综合利用) is shared by the items; another generic tail (新技术新产品 …)
  leaves the items as they are.
- ``X、Y在Z中的应用`` is one direction per object, concerning the object and sector Z.
- Without 等, a bare modifier shares the next item's head (甲醇、煤焦油精深加工 →
  甲醇精深加工; 纺织产品和高档服饰产品精深加工 → 纺织产品精深加工), and 新技术/新装备 after
  绿色印染新工艺 take its modifier; adjectives ending in 性 and 超临界、超超临界… stay
  one phrase; a stage on the last of 和-joined items (工业应用) is theirs all;
  quoted names take what is done with them (“智能工厂”“绿色工厂”建设).
- ``T、A技术、B技术…等研究`` where only the first item is not a technique: T shares
  A's head, and T is the context (a product) of every technique of the list.

Single-character elements written in a label (铝, 氢, 锂 …) are materials the direction
concerns.  How the directions of every domain are grouped into technologies, the topics
they concern and the terms domains share: :mod:`techgroups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Clause, Item, Mention, Span, TechnologyMention, TopicMention
from .text import has_words, mention, split_top

FOCUS_RE = re.compile(r"围绕(.+?)[,,。]")
FOCUS_TAIL_RE = re.compile(r"(等(产业发展重点环节|重点环节|方向|环节)|方向)$")
VERBS = ("重点支持", "支持开展", "支持发展", "支持", "推进", "推动", "加强", "加快", "鼓励", "开展")
GOAL_WORDS = ("构建", "打造", "形成", "建立", "完善", "提升", "促进")
SUFFIXES = (
    "相关技术研究与应用", "技术研究与应用", "研究与应用", "研发与应用", "引进吸收再创新", "技术应用示范", "技术推广应用",
    "应用研究及示范", "研究及示范", "技术研发", "技术攻关", "技术研究", "技术应用", "关键技术", "应用示范",
    "示范应用", "推广应用", "深度应用", "应用研究", "试验", "研究", "研发", "攻关", "建设", "技术", "的",
)
# 在建材中的应用 / 在农业领域的应用 / 在旅游装备制造产业中的应用技术: the sector is group 1 (+ 2)
IN_USE_RE = re.compile(r"在([^、,,在]*?)(领域|产业|行业|中)的?应用(技术)?(研究|研发|示范)?$")
CONJUNCTIONS = re.compile(r"以及|及(?![其时])|和(?!谐)")
GENERIC = {
    "技术", "新技术", "新工艺", "新装备", "新产品", "新技术新产品", "产品", "应用", "研发", "精深加工", "关键技术",
    "相关", "综合利用", "深加工", "技术研发", "材料", "装备", "工艺", "等", "其他", "新", "示范",
}
ORG_RE = re.compile(r"(公司|集团|企业)[”\"]?")
QUOTED_RE = re.compile(r"“([^”]+)”")
# the word a category ends in, and the kind it gives the items before 等
CATEGORY_KINDS = (
    ("废弃物", "material"), ("资源", "material"), ("能源", "material"), ("疾病", "health"), ("病", "health"),
    ("领域", "sector"), ("行业", "sector"), ("产业", "sector"), ("产品", "product"), ("装备", "product"),
)
GENERIC_CATEGORY = re.compile(r"^(重点|相关|有关|各)?(领域|行业|产业)$")
# an item's own last characters say it is a material, whatever the category says (铝、钢材等产品)
MATERIAL_ENDINGS = ("材料", "材", "纤维", "渣", "灰", "石膏", "矸石", "矿", "岩")
# the elements up to 103, as Chinese writes them with one character
ELEMENTS = (
    "氢氦锂铍硼碳氮氧氟氖钠镁铝硅磷硫氯氩钾钙钪钛钒铬锰铁钴镍铜锌镓锗砷硒溴氪铷锶钇锆铌钼锝钌铑钯银镉铟锡锑碲碘氙"
    "铯钡镧铈镨钕钷钐铕钆铽镝钬铒铥镱镥铪钽钨铼锇铱铂金汞铊铅铋钋砹氡钫镭锕钍镤铀镎钚镅锔锫锎锿镄钔锘铹"
)
# words in which an element's character does not name what the direction is about
NOT_ELEMENT = ("合金", "冶金", "资金", "基金", "金融", "黄金周", "银行", "铁路", "地铁", "高铁", "氧化", "碳排放权", "脱硫")
# a process written after 等 that the items share (…、乙二醇…等精深加工 → 乙二醇精深加工)
SHARED_TAILS = ("精深加工", "深加工", "综合利用")
# a stage written on the last of coordinated items that they all reach (菱铁矿焙烧和鲕状赤铁矿工业应用)
STAGE_HEADS = ("工业化应用", "工业应用", "产业化应用")
# words an activity word must not be stripped down to: 新技术, 先进技术 stay as written
NEEDS_NOUN = ("新", "先进")
# words (by jieba) in a label that name a material or resource: 玄武岩, 煤矸石, 钢渣, 菱铁矿, 煤层气
WORD_MATERIAL_ENDINGS = ("岩", "渣", "灰", "矸石", "石膏", "铁矿", "气")


@dataclass
class _Direction:
    parts: list[Mention]
    short: Mention | None = None
    topics: list[TopicMention] = field(default_factory=list)
    start: int | None = None  # where the text stating it starts, when before its first part
    context: Mention | None = None  # what a list of techniques is for (盘县火腿腿源猪 …储藏技术)

    @property
    def label(self) -> str:
        return "".join(p.text for p in self.parts)


def focus_directions(text: str, domain: Item) -> tuple[list[Mention], int]:
    """The focus directions of a domain and the offset where its technologies begin."""
    m = FOCUS_RE.match(text, domain.body.start, domain.body.end)
    if not m:
        return [], domain.body.start
    inner = mention(text, m.start(1), m.end(1))
    tail = FOCUS_TAIL_RE.search(inner.text)
    end = inner.span.start + (tail.start() if tail else len(inner.text))
    return [_unquote(p) for p in split_top(text, inner.span.start, end, "、")], m.end()


def technologies_in(text: str, domain: Item, clauses: list[Clause], tech_start: int) -> list[TechnologyMention]:
    found: list[TechnologyMention] = []
    for clause in clauses:
        start = max(clause.text.span.start, tech_start)
        verb = None
        for sentence in split_top(text, start, clause.text.span.end, "。;;"):
            verb = None
            for segment in split_top(text, sentence.span.start, sentence.span.end, ",,"):
                seg_text = segment.text
                lead = next((v for v in VERBS if seg_text.startswith(v)), None)
                if lead:
                    verb = lead
                    segment = mention(text, segment.span.start + len(lead), segment.span.end)
                if verb is None or segment is None:
                    continue
                for d in _objects(text, segment):
                    if _good_label(d.label):
                        found.append(_record(text, domain.ref.ordinal, clause.key, d))
    return found


def _record(text: str, domain: int, clause_key: str, d: _Direction) -> TechnologyMention:
    start = min([p.span.start for p in d.parts] + ([d.start] if d.start is not None else []))
    end = max(p.span.end for p in d.parts)
    whole = Mention(text[start:end], Span(start, end))
    parts = () if len(d.parts) == 1 and d.parts[0].span == whole.span else tuple(p.span for p in d.parts)
    topics = list(d.topics) + [t for t in _elements(text, d.parts) if t.label not in {x.label for x in d.topics}]
    topics = [t for t in topics if _good_label(t.label)]
    short = d.short if d.short is not None and _good_label(d.short.text) else None
    return TechnologyMention(domain, clause_key, whole, parts, short, topics, d.context)


def _good_label(label: str) -> bool:
    """Two characters or more, or an element written with one (铝, 氢); a fragment is dropped."""
    return has_words(label) and (len(label) >= 2 or label in ELEMENTS)


def _objects(text: str, segment: Mention) -> list[_Direction]:
    prefix = None
    if "开展" in segment.text:
        at = segment.text.index("开展")
        if at > 2 and segment.text[:at].endswith("领域"):  # 物联网领域开展新技术应用示范 → 物联网新技术
            prefix = mention(text, segment.span.start, segment.span.start + at - 2)
        segment = mention(text, segment.span.start + at + 2, segment.span.end)
        if segment is None:
            return []
    if segment.text.startswith(GOAL_WORDS):
        return []
    use = IN_USE_RE.search(segment.text)
    if use and prefix is None:
        return _in_use(text, segment, use)
    phrase = _strip_suffixes(text, segment, in_use=False)
    if phrase is None:
        return []
    if prefix is not None:
        return [_Direction([prefix, phrase])]
    quoted = list(QUOTED_RE.finditer(phrase.text))
    if quoted and ORG_RE.search(phrase.text[: quoted[0].start() + 1]):
        start = phrase.span.start
        names = [Mention(q.group(1), Span(start + q.start(1), start + q.end(1))) for q in quoted]
        # what is done with the named things is their shared head: “智能工厂”“绿色工厂”建设 → 智能工厂建设
        after = mention(text, start + quoted[-1].end(), segment.span.end)
        if after is not None and has_words(after.text):
            return [_Direction([n, after], short=n) for n in names]
        return [_Direction([n]) for n in names]
    before, tail = _split_deng(text, phrase)
    if tail is None:
        return _topic_first(text, before) or _enumeration(text, before, shared_heads=True)
    items = _enumeration(text, before)
    tails = _enumeration(text, tail)
    category = _category(text, tails[0].parts[0]) if tails and len(tails[0].parts) == 1 else None
    about = category is not None and category[1] in ("sector", "health") and category[2] is not None
    if not about and items and tails and all(len(i.label) <= 2 and not i.label.isascii() for i in items):
        return _attributes(text, items, tails[0].parts[0])
    if category is None:
        if tail.text in SHARED_TAILS:  # …、乙二醇、煤制芳烃和煤基新材料等精深加工: a process the items share
            return [_Direction(i.parts + [tail], short=i.parts[0]) if len(i.parts) == 1 else i for i in items]
        return items + [t for t in tails if not t.label.startswith(("产品", "新"))]
    cat, kind, head = category
    heads = ([head] if head is not None else []) + [t.parts[0] for t in tails[1:] if len(t.parts) == 1]
    if head is None:  # 煤矿机器人…等智能装备: the items are the directions
        return items + tails[1:]
    if kind in ("sector", "health"):
        return _about(text, items, kind, cat, heads, phrase.span.start)
    return [_Direction(i.parts + [h], short=i.parts[0], topics=i.topics) for i in _typed(text, items, kind) for h in heads]


def _in_use(text: str, phrase: Mention, use: re.Match) -> list[_Direction]:
    """X、Y等Z在W中的应用: one direction per object, each about its object and the sector W."""
    start = phrase.span.start
    stop = start + use.start() + use.group(0).index("应用") + 2  # …的应用, without 技术/研究 after it
    use_m = Mention(text[start + use.start():stop], Span(start + use.start(), stop))
    sector_end = start + (use.end(2) if use.group(2) in ("产业", "行业") else use.end(1))
    sector = Mention(text[start + use.start(1):sector_end], Span(start + use.start(1), sector_end))
    objects = mention(text, start, start + use.start())
    if objects is None:
        return []
    if not re.search(r"[、等]", objects.text) and not CONJUNCTIONS.search(objects.text):
        return [_Direction([objects, use_m], topics=[TopicMention("sector", sector)])]  # 遥感技术在农业领域的应用
    before, tail = _split_deng(text, objects)
    items = _enumeration(text, before)
    kind = None
    if tail is not None:
        tails = _enumeration(text, tail)
        category = _category(text, tails[0].parts[0]) if tails and len(tails[0].parts) == 1 else None
        if category is not None and category[2] is None:
            kind, tails = category[1], tails[1:]
        items += tails
    out = []
    for item in items:
        topics = _typed_topics(text, item, kind) + [TopicMention("sector", sector)]
        out.append(_Direction(item.parts + [use_m], short=item.parts[0] if len(item.parts) == 1 else None, topics=topics))
    return out


def _about(text: str, items: list[_Direction], kind: str, cat: Mention, heads: list[Mention], start: int) -> list[_Direction]:
    """Sectors and health topics are not technologies: the direction is the category with its
    head, written as one stretch from the subject before 与 (or the category) to the head, and
    it is about each item (煤化工与建材工业、冶金工业…等工业产业耦合 stays whole)."""
    subject = None
    if items and "与" in items[0].label and len(items[0].parts) == 1:
        first = items[0].parts[0]
        at = first.text.index("与") + 1
        subject = Mention(first.text[:at], Span(first.span.start, first.span.start + at))
        rest = mention(text, first.span.start + at, first.span.end)
        items = ([_Direction([rest])] if rest else []) + items[1:]
    topics = [TopicMention(_kind_of(i.label, kind), i.parts[0]) for i in items if len(i.parts) == 1]
    lead = [subject] if subject else []
    category = [] if GENERIC_CATEGORY.match(cat.text) else [cat]
    out = []
    for n, h in enumerate(heads):
        parts = lead + category + [h]
        if n == 0:  # one stretch of text, as written: 疾病的监测防控; 煤化工与建材工业、…等工业产业耦合
            parts = [Mention(text[parts[0].span.start:h.span.end], Span(parts[0].span.start, h.span.end))]
        out.append(_Direction(parts, topics=list(topics), start=start))
    return out


def _attributes(text: str, items: list[_Direction], tail: Mention) -> list[_Direction]:
    """轻质、高强、隔音…等功能性建材产品: the items are attributes; each takes the head after the
    attribute class (功能性), as 风力 takes 发电 after 非化石能源: 轻质建材产品 …"""
    at = tail.text.rfind("性") + 1
    head = mention(text, tail.span.start + at, tail.span.end) if 0 < at < len(tail.text) else tail
    return [_Direction(i.parts + [head], short=i.parts[0]) for i in items if len(i.parts) == 1]


def _typed(text: str, items: list[_Direction], kind: str) -> list[_Direction]:
    return [_Direction(i.parts, i.short, i.topics + _typed_topics(text, i, kind), i.start) for i in items]


def _typed_topics(text: str, item: _Direction, kind: str | None) -> list[TopicMention]:
    if len(item.parts) != 1 or item.topics:
        return []
    label = item.parts[0].text
    k = _kind_of(label, kind)
    return [TopicMention(k, item.parts[0])] if k else []


def _kind_of(label: str, kind: str | None) -> str | None:
    if (len(label) == 1 and label in ELEMENTS) or label.endswith(MATERIAL_ENDINGS):
        return "material"
    return kind


def _category(text: str, piece: Mention) -> tuple[Mention, str, Mention | None] | None:
    """``固废资源综合利用`` → (固废资源, material, 综合利用): the longest start of the piece
    that ends in a category word, its kind and the head after it (None when nothing is left)."""
    for n in range(len(piece.text), 1, -1):
        kind = next((k for word, k in CATEGORY_KINDS if piece.text[:n].endswith(word)), None)
        if kind:
            cat = Mention(piece.text[:n], Span(piece.span.start, piece.span.start + n))
            head = mention(text, piece.span.start + n, piece.span.end, strip=" 的")
            return cat, kind, head if head is not None and has_words(head.text) else None
    return None


def _topic_first(text: str, phrase: Mention | None) -> list[_Direction]:
    """盘县火腿腿源猪、引种猪源选择和纯度保障技术、储藏技术、产品精深加工技术: the first item is
    a bare modifier that shares the head of the next (盘县火腿腿源猪选择和纯度保障, beside
    引种猪源选择和纯度保障, whose 和 joins two acts on one object); the techniques after them
    stand as written, and every direction of the list is for the first item (its context)."""
    if phrase is None:
        return []
    raw = split_top(text, phrase.span.start, phrase.span.end, "、")
    if len(raw) < 3 or raw[0].text.endswith("技术") or not all(r.text.endswith("技术") for r in raw[1:]):
        return []
    topic = raw[0]
    about = [TopicMention("product", topic)]
    first = _strip_suffixes(text, raw[1])
    head = _action_head(text, first) if first is not None else None
    out = []
    if head is not None:
        out.append(_Direction([topic, head], short=topic, topics=list(about), context=topic))
        out.append(_Direction([first], topics=list(about), context=topic))
    for r in raw[1 if head is None else 2:]:
        for d in _enumeration(text, r):
            out.append(_Direction(d.parts, topics=list(about), context=topic))
    return out


def _action_head(text: str, item: Mention) -> Mention | None:
    """The acts an item names after its object: 选择和纯度保障 of 引种猪源选择和纯度保障 (from the
    word before the conjunction), or what follows the first word (储藏 of 火腿储藏)."""
    from ..segment import words

    ws = list(words(item.text))
    if len(ws) < 2:
        return None
    at = next((i for i, w in enumerate(ws) if CONJUNCTIONS.fullmatch(w)), None)
    cut = sum(len(w) for w in ws[: at - 1]) if at is not None and at > 1 else len(ws[0])
    return mention(text, item.span.start + cut, item.span.end)


def _enumeration(text: str, phrase: Mention | None, shared_heads: bool = False) -> list[_Direction]:
    """Split on 、 then on 和/及/以及, stripping activity words at each level.  With
    ``shared_heads`` (no 等: the items are coordinated, not examples) a bare item takes
    the head of the item after it."""
    out: list[_Direction] = []
    if phrase is None:
        return out
    pieces = split_top(text, phrase.span.start, phrase.span.end, "、")
    pieces = _join_modifiers(text, pieces)
    level: list[_Direction] = []
    modifier = None  # 绿色印染 of 绿色印染新工艺, for the 新技术、新装备 after it
    for piece in pieces:
        if piece.text in GENERIC:
            if shared_heads and piece.text.startswith("新") and modifier is not None:
                level.append(_Direction([modifier, piece]))
            continue
        at = piece.text.rfind("新")
        modifier = Mention(piece.text[:at], Span(piece.span.start, piece.span.start + at)) if at > 1 else None
        piece = _strip_suffixes(text, piece)
        if piece is None:
            continue
        parts = []
        for part in split_top(text, piece.span.start, piece.span.end, CONJUNCTIONS):
            part = _strip_suffixes(text, part)
            if part is not None and part.text not in GENERIC and has_words(part.text):
                parts.append(part)
        stage = _stage_of(text, parts)
        if stage is not None:  # 菱铁矿焙烧和鲕状赤铁矿工业应用: both reach the stage
            level += [_Direction([p, stage], short=p) for p in parts[:-1]] + [_Direction([parts[-1]])]
            continue
        level += _share_heads(text, parts) if shared_heads else [_Direction([p]) for p in parts]
    if shared_heads:
        level = _share_heads_directions(text, level)
    return [_Direction([_unquote(d.parts[0])] + d.parts[1:], d.short, d.topics, d.start) for d in level]


def _stage_of(text: str, parts: list[Mention]) -> Mention | None:
    """The stage (工业应用 …) written on the last of coordinated parts and on none before it."""
    if len(parts) < 2:
        return None
    last = parts[-1]
    stage = next((s for s in STAGE_HEADS if last.text.endswith(s) and len(last.text) > len(s)), None)
    if stage is None or any(p.text.endswith(STAGE_HEADS) for p in parts[:-1]):
        return None
    return Mention(stage, Span(last.span.end - len(stage), last.span.end))


def _join_modifiers(text: str, pieces: list[Mention]) -> list[Mention]:
    """超临界、超超临界机组综合性、系统性节能 is one phrase: an item ending in 性, or contained
    in the next one, modifies what follows."""
    out: list[Mention] = []
    for piece in pieces:
        if out and (out[-1].text.endswith("性") or (len(out[-1].text) <= 4 and out[-1].text in piece.text and out[-1].text != piece.text)):
            prev = out.pop()
            piece = Mention(text[prev.span.start:piece.span.end], Span(prev.span.start, piece.span.end))
        out.append(piece)
    return out


def _head_of(text: str, bare: Mention, full: Mention, shared: Mention | None = None) -> Mention | None:
    """The head that a bare item shares with the next, fuller one: 煤焦油精深加工 after 甲醇 gives
    精深加工; 高档服饰产品精深加工 after 纺织产品 gives 精深加工 (after the shared 产品).  ``shared``
    is a head the next item already took from the one after it (风力、光伏、…)."""
    from ..segment import words

    bare_words = list(words(bare.text))
    if shared is not None:
        return shared if len(bare_words) == 1 else None
    full_words = list(words(full.text))
    if len(full_words) < 2:
        return None
    if len(bare_words) == 1:
        cut = len(full_words[0])
    elif bare_words[-1] in full_words[1:] and len(bare_words[-1]) >= 2:
        i = full_words.index(bare_words[-1], 1)
        cut = sum(len(w) for w in full_words[: i + 1])
    else:
        return None
    head = mention(text, full.span.start + cut, full.span.end)
    if head is None or (head.text in GENERIC and head.text != "精深加工") or len(head.text) < 2:
        return None
    return head


def _share_heads(text: str, parts: list[Mention]) -> list[_Direction]:
    return _share_heads_directions(text, [_Direction([p]) for p in parts])


def _share_heads_directions(text: str, items: list[_Direction]) -> list[_Direction]:
    out = list(items)
    for i in range(len(out) - 2, -1, -1):
        cur, nxt = out[i], out[i + 1]
        if len(cur.parts) != 1 or cur.short is not None:
            continue
        head = _head_of(text, cur.parts[0], nxt.parts[0], nxt.parts[-1] if len(nxt.parts) > 1 else None)
        if head is not None:
            out[i] = _Direction([cur.parts[0], head], short=cur.parts[0])
    return out


def _split_deng(text: str, phrase: Mention) -> tuple[Mention | None, Mention | None]:
    """Split ``X、Y等Z`` at its last top-level 等 into the enumeration and the tail."""
    parts = split_top(text, phrase.span.start, phrase.span.end, "等")
    if len(parts) < 2 or not phrase.text.rstrip().endswith(parts[-1].text) or "等" not in phrase.text:
        if phrase.text.endswith("等"):
            return mention(text, phrase.span.start, phrase.span.end - 1), None
        return phrase, None
    last = parts[-1]
    return mention(text, phrase.span.start, last.span.start - 1), last


def _strip_suffixes(text: str, m: Mention | None, in_use: bool = True) -> Mention | None:
    while m is not None:
        use = IN_USE_RE.search(m.text) if in_use else None
        if use:
            m = mention(text, m.span.start, m.span.start + use.start())
            continue
        # never leave a bare 新 or 先进: 物联网新技术, 新技术, 煤炭开采先进技术 stay as they are
        suffix = next((s for s in SUFFIXES if m.text.endswith(s) and len(m.text) > len(s) and not m.text[: -len(s)].endswith(NEEDS_NOUN)), None)
        if suffix is None:
            return m
        m = mention(text, m.span.start, m.span.end - len(suffix))
    return None


def _unquote(m: Mention) -> Mention:
    if len(m.text) > 2 and m.text[0] == "“" and m.text[-1] == "”" and "“" not in m.text[1:-1]:
        return Mention(m.text[1:-1], Span(m.span.start + 1, m.span.end - 1))
    return m


def _elements(text: str, parts: list[Mention]) -> list[TopicMention]:
    """Materials written inside a label: elements of one character (铝 in 铝生产节能减排, 氢 in
    储运氢装备) and words ending like a material or resource (玄武岩 in 玄武岩纤维, 煤层气)."""
    from ..segment import words

    out: list[TopicMention] = []
    for p in parts:
        at = 0
        for w in words(p.text):
            ending = next((e for e in WORD_MATERIAL_ENDINGS if w.endswith(e) and len(w) > len(e)), None)
            if ending and (ending != "气" or len(w) >= 3) and w not in {t.label for t in out}:
                out.append(TopicMention("material", Mention(w, Span(p.span.start + at, p.span.start + at + len(w)))))
            at += len(w)
        for i, ch in enumerate(p.text):
            if (ch in ELEMENTS and not any(w in p.text[max(0, i - 3): i + 4] and ch in w for w in NOT_ELEMENT)
                    and ch not in {t.label for t in out}):
                out.append(TopicMention("material", Mention(ch, Span(p.span.start + i, p.span.start + i + 1))))
    return out
