"""The technology directions of every domain of a plan taken together: the mentions grouped into technologies (the
same label in several domains is one technology under each of them), the typed concepts they concern, and the
words, elements and concepts that technologies of different domains share (shared terms).  The directions themselves
are read in :mod:`technologies`."""

from __future__ import annotations

from ..records import SharedTerm, Technology, TechnologyMention, Topic
from .technologies import GENERIC
from .text import has_words

SHARED_STOP = GENERIC | {
    "利用", "加工", "精深", "资源", "工业", "产业", "智能", "智能化", "高效", "新型", "开发", "清洁", "综合", "防治",
    "制造", "设备", "监测", "能源", "节能", "生产", "系统", "绿色", "智慧", "复杂", "地质", "条件", "产品", "领域", "行业",
}


def collect(text: str, mentions: list[TechnologyMention]) -> list[Technology]:
    """Group mentions by label and context, keeping first-mention order: the same label in two
    domains is one direction, the same label written for another context (产品精深加工 of the
    盘县火腿腿源猪 list beside that of the 凉都三宝 list) is another direction with that label."""
    by_key: dict[tuple[str, str | None], Technology] = {}
    for tm in mentions:
        label = tm.label_in(text)
        key = (label, tm.context.text if tm.context is not None else None)
        by_key.setdefault(key, Technology(label, [])).mentions.append(tm)
    return list(by_key.values())


def without_topic_words(text: str, technologies: list[Technology]) -> list[Technology]:
    """Directions whose whole label is a sector or health topic named elsewhere in the plan are
    what directions concern, not technologies: they are left out."""
    words = {t.label for t in topics(text, technologies) if t.kind in ("sector", "health")}
    return [t for t in technologies if t.label not in words]


def topics(text: str, technologies: list[Technology]) -> list[Topic]:
    """The typed concepts the directions concern, one per label (its first kind wins), in order
    of first mention, each with the directions that concern it."""
    by_label: dict[str, Topic] = {}
    for tech in technologies:
        for tm in tech.mentions:
            for t in tm.topics:
                topic = by_label.setdefault(t.label, Topic(t.label, t.kind, [], []))
                if t.mention.span not in {m.span for m in topic.mentions}:
                    topic.mentions.append(t.mention)
                if tech.label not in topic.technologies:
                    topic.technologies.append(tech.label)
    for topic in by_label.values():
        topic.mentions.sort(key=lambda m: m.span)
    return sorted(by_label.values(), key=lambda t: t.mentions[0].span)


def shared_terms(technologies: list[Technology]) -> list[SharedTerm]:
    """Words (by jieba), elements and typed concepts that technologies of two or more domains
    share: 玄武岩 in 玄武岩新型材料在建材中的应用 (建材), 玄武岩生产原材料本地化 (新材料) and
    玄武岩纤维在旅游装备制造产业中的应用 (装备制造); 铝 in 铝生产节能减排 (新材料) and
    铝在旅游装备制造产业中的应用 (装备制造)."""
    from ..segment import words

    holders: dict[str, list[Technology]] = {}

    def hold(word: str, tech: Technology) -> None:
        techs = holders.setdefault(word, [])
        if tech not in techs:
            techs.append(tech)

    for tech in technologies:
        for word in dict.fromkeys(words(tech.label)):
            if len(word) >= 2 and has_words(word) and word not in SHARED_STOP:
                hold(word, tech)
        for tm in tech.mentions:
            for t in tm.topics:
                if t.label not in SHARED_STOP:
                    hold(t.label, tech)
        if len(tech.domains) > 1:
            hold(tech.label, tech)
    terms = []
    for word, techs in sorted(holders.items()):
        if len({d for t in techs for d in t.domains}) > 1:
            terms.append(SharedTerm(word, list(dict.fromkeys(t.label for t in techs))))
    return terms
