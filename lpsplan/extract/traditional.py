"""Traditional characters and full-width forms: match on a copy of the same length, keep the original.

Plans as government sites publish them write their punctuation full-width (（牵头单位：市科技局；…）),
while the extractor's patterns are written for the half-width forms; :func:`folded` folds the
full-width forms of ASCII (U+FF01–U+FF5E), the wide, no-break and typographic spaces (web pages indent
with &nbsp;) and carriage returns one character for one.

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


_SPACES = [0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]  # no-break (&nbsp; from web pages), typographic, ideographic
_FOLDED = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | dict.fromkeys(_SPACES, 0x20) | {0x0D: 0x0A}


def folded(text: str) -> str:
    """The text with full-width ASCII forms in their half-width forms, every other space a plain one and a carriage
    return a line break (a Windows line end reads as an empty line; same length)."""
    return text.translate(_FOLDED)


def simplified(text: str) -> str:
    """The text with each traditional character replaced by its simplified form (same length)."""
    if all(ch < "\u4e00" or ch > "\u9fff" for ch in text):
        return text
    return "".join(_char(ch) if "\u4e00" <= ch <= "\u9fff" else ch for ch in text)


def _joined(text: str) -> str:
    return "".join(part.strip() for part in text.splitlines())


def restore(plan: PlanRecord, original: str, matched: str) -> PlanRecord:
    """The plan read from ``matched`` with the ``original`` text put back wherever a record holds a span of it
    as it stands (a title given on the command line, or a unit's name joined over lines, is kept as read)."""
    tech_labels: dict[str, str] = {}

    def as_written(text: str, span) -> str:
        here = matched[span.start:span.end]
        if here == text:
            return original[span.start:span.end]
        if "\n" in here and _joined(here) == text:  # a title split over lines, read joined
            return _joined(original[span.start:span.end])
        return text

    def back(obj):
        if isinstance(obj, Mention):
            return Mention(as_written(obj.text, obj.span), obj.span)
        if isinstance(obj, UnitMention):
            return replace(obj, written=as_written(obj.written, obj.span))
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
        restored.title = Mention(_joined(restored.title.text), restored.title.span)
    restored.shared_terms = [SharedTerm(t.label, [tech_labels.get(x, x) for x in t.technologies]) for t in plan.shared_terms]
    from .techgroups import topics

    restored.topics = topics(original, restored.technologies)
    return restored
