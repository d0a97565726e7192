"""Traditional-character plans: match on a simplified copy of the same length, keep the original.

OpenCC converts character by character here (a conversion that would change the
length is skipped for that character), so every span found in the copy is a
valid span of the original; :func:`restore` then puts the original text back
into every record.  Derived strings that are not a span of the text (a target's
indicator, a shared term) stay in simplified form.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from functools import lru_cache

from ..records import Item, Mention, Paragraph, PlanRecord, SharedTerm, Technology, Topic, UnitMention


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def simplified(text: str) -> str:
    """The text with each traditional character replaced by its simplified form (same length)."""
    if all(ch < "\u4e00" or ch > "\u9fff" for ch in text):
        return text
    return "".join(_char(ch) if "\u4e00" <= ch <= "\u9fff" else ch for ch in text)


def restore(plan: PlanRecord, original: str) -> PlanRecord:
    tech_labels: dict[str, str] = {}

    def back(obj):
        if isinstance(obj, Mention):
            return Mention(original[obj.span.start:obj.span.end], obj.span)
        if isinstance(obj, UnitMention):
            return replace(obj, written=original[obj.span.start:obj.span.end])
        if isinstance(obj, Item):
            title = back(obj.title)
            label = title.text[: len(obj.label)] if obj.title.text.startswith(obj.label) else obj.label
            return replace(obj, title=title, label=label, focus=[back(f) for f in obj.focus])
        if isinstance(obj, Paragraph):
            return replace(obj, headline=back(obj.headline), text=original[obj.span.end - len(obj.text):obj.span.end])
        if isinstance(obj, Technology):
            mentions = [back(m) for m in obj.mentions]
            label = mentions[0].label_in(original) if mentions else obj.label
            tech_labels[obj.label] = label
            return Technology(label, mentions)
        if isinstance(obj, Topic):
            return obj  # rebuilt below from the restored technologies
        if isinstance(obj, SharedTerm):
            return obj
        if isinstance(obj, list):
            return [back(x) for x in obj]
        if isinstance(obj, tuple):
            return tuple(back(x) for x in obj)
        if is_dataclass(obj) and not isinstance(obj, type):
            return replace(obj, **{f.name: back(getattr(obj, f.name)) for f in fields(obj) if f.init})
        return obj

    restored = back(plan)
    if "\n" in restored.title.text:  # a title split over lines is kept joined
        restored.title = Mention("".join(part.strip() for part in restored.title.text.splitlines()), restored.title.span)
    restored.shared_terms = [SharedTerm(t.label, [tech_labels.get(x, x) for x in t.technologies]) for t in plan.shared_terms]
    from .technologies import topics

    restored.topics = topics(original, restored.technologies)
    return restored
