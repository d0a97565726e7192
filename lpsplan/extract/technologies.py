"""Focus directions (围绕…等方向) and technology directions (重点支持/支持/推进/推动 …)
of the key domains.

A verb phrase's object is stripped of its activity words (技术研发, 应用示范, …)
and its enumeration is split on 、/和/及/以及: ``煤制烯烃、乙二醇、煤制芳烃和煤基新材料等精深加工``
gives four technologies, the generic tail after 等 being dropped.  The same
label in several domains is one technology under each of them; words shared by
technologies of different domains (玄武岩, 煤层气, 5G) become shared terms.
"""

from __future__ import annotations

import re

from ..records import Clause, Item, Mention, SharedTerm, Span, Technology, TechnologyMention
from .text import has_words, mention, split_top

FOCUS_RE = re.compile(r"围绕(.+?)[,,。]")
FOCUS_TAIL_RE = re.compile(r"(等(产业发展重点环节|重点环节|方向|环节)|方向)$")
VERBS = ("重点支持", "支持开展", "支持发展", "支持", "推进", "推动", "加强", "加快", "鼓励", "开展")
GOAL_WORDS = ("构建", "打造", "形成", "建立", "完善", "提升", "促进")
SUFFIXES = (
    "相关技术研究与应用", "技术研究与应用", "研究与应用", "研发与应用", "先进", "引进吸收再创新", "技术应用示范", "技术推广应用",
    "应用研究及示范", "研究及示范", "技术研发", "技术攻关", "技术研究", "技术应用", "关键技术", "应用示范",
    "示范应用", "推广应用", "深度应用", "应用研究", "应用试验", "研究", "研发", "攻关", "试验", "建设", "技术", "的",
)
IN_USE_RE = re.compile(r"在[^、,,]*?(领域|产业|行业|中)的?应用(技术)?(研究|研发|示范)?$")
CONJUNCTIONS = re.compile(r"以及|及(?![其时])|和(?!谐)")
GENERIC = {
    "技术", "新技术", "新工艺", "新装备", "新产品", "新技术新产品", "产品", "应用", "研发", "精深加工", "关键技术",
    "相关", "综合利用", "深加工", "技术研发", "材料", "装备", "工艺", "等", "其他", "新", "示范",
}
ORG_RE = re.compile(r"(公司|集团|企业)[”\"]?")
QUOTED_RE = re.compile(r"“([^”]+)”")
SHARED_STOP = GENERIC | {
    "利用", "加工", "精深", "资源", "工业", "产业", "智能", "智能化", "高效", "新型", "开发", "清洁", "综合", "防治",
    "制造", "设备", "监测", "能源", "节能", "生产", "系统", "绿色", "智慧", "复杂", "地质", "条件", "产品",
}


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
                for phrase in _objects(text, segment):
                    found.append(TechnologyMention(domain.ref.ordinal, clause.key, phrase))
    return found


def _objects(text: str, segment: Mention) -> list[Mention]:
    if "开展" in segment.text:
        segment = mention(text, segment.span.start + segment.text.index("开展") + 2, segment.span.end)
        if segment is None:
            return []
    if segment.text.startswith(GOAL_WORDS):
        return []
    phrase = _strip_suffixes(text, segment)
    if phrase is None:
        return []
    quoted = list(QUOTED_RE.finditer(phrase.text))
    if quoted and ORG_RE.search(phrase.text[: quoted[0].start() + 1]):
        start = phrase.span.start
        return [Mention(q.group(1), Span(start + q.start(1), start + q.end(1))) for q in quoted]
    before, tail = _split_deng(text, phrase)
    items = _enumeration(text, before)
    if items and all(len(i.text) <= 2 and not i.text.isascii() for i in items):
        items = []  # 轻质、高强、隔音…等功能性建材产品: the enumeration is attributes, the tail is the thing
    items += [t for t in _enumeration(text, tail) if not t.text.startswith(("产品", "新"))]
    return [_unquote(i) for i in items]


def _enumeration(text: str, phrase: Mention | None) -> list[Mention]:
    """Split on 、 then on 和/及/以及, stripping activity words at each level."""
    out: list[Mention] = []
    if phrase is None:
        return out
    for piece in split_top(text, phrase.span.start, phrase.span.end, "、"):
        if piece.text in GENERIC:
            continue
        piece = _strip_suffixes(text, piece)
        if piece is None:
            continue
        for part in split_top(text, piece.span.start, piece.span.end, CONJUNCTIONS):
            part = _strip_suffixes(text, part)
            if part is not None and part.text not in GENERIC and has_words(part.text):
                out.append(part)
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


def _strip_suffixes(text: str, m: Mention | None) -> Mention | None:
    while m is not None:
        use = IN_USE_RE.search(m.text)
        if use:
            m = mention(text, m.span.start, m.span.start + use.start())
            continue
        suffix = next((s for s in SUFFIXES if m.text.endswith(s) and len(m.text) > len(s)), None)
        if suffix is None:
            return m
        m = mention(text, m.span.start, m.span.end - len(suffix))
    return None


def _unquote(m: Mention) -> Mention:
    if len(m.text) > 2 and m.text[0] == "“" and m.text[-1] == "”" and "“" not in m.text[1:-1]:
        return Mention(m.text[1:-1], Span(m.span.start + 1, m.span.end - 1))
    return m


def collect(mentions: list[TechnologyMention]) -> list[Technology]:
    """Group mentions by label, keeping first-mention order."""
    by_label: dict[str, Technology] = {}
    for tm in mentions:
        by_label.setdefault(tm.mention.text, Technology(tm.mention.text, [])).mentions.append(tm)
    return list(by_label.values())


def shared_terms(technologies: list[Technology]) -> list[SharedTerm]:
    """Words (by jieba) that technologies of two or more domains share, e.g. 玄武岩 in
    玄武岩新型材料 (建材), 玄武岩生产原材料本地化 (新材料) and 玄武岩纤维 (装备制造)."""
    from ..segment import words

    holders: dict[str, list[Technology]] = {}
    for tech in technologies:
        for word in dict.fromkeys(words(tech.label)):
            if len(word) >= 2 and has_words(word) and word not in SHARED_STOP:
                holders.setdefault(word, []).append(tech)
        if len(tech.domains) > 1:
            holders.setdefault(tech.label, [])
            if tech not in holders[tech.label]:
                holders[tech.label].append(tech)
    terms = []
    for word, techs in sorted(holders.items()):
        if len({d for t in techs for d in t.domains}) > 1:
            terms.append(SharedTerm(word, [t.label for t in techs]))
    return terms
