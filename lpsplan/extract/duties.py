"""Duties divided by unit: a part of a plan whose lines each open with a unit's name and then say what it does
(``1、区住建局。排查生活污水直排污染源…`` / ``区商务局:负责推动…``).  The unit named at a line's start is that
line's responsible unit, as a bracket at its end would be; read only where the container holds no annotation."""

from __future__ import annotations

import re

from ..records import Clause, Mention, Ref, Span, UnitMention
from .names import ADMINISTRATIVE_RE, EACH_UNIT_RE
from .text import has_words, mention

# an item's number, the unit's name, then 。 or a colon; the name built as a body's name (…局, …办事处, 各乡镇(街道))
_LINE_RE = re.compile(r"[ \t\u3000]*(?:\d{1,2}[、.．]\s*|[((][一二三四五六七八九十\d]{1,3}[))]\s*)?"
                      r"(?P<unit>[\u4e00-\u9fffA-Za-z()()]{2,20}?)(?P<sep>[。::])")
_BODY_END_RE = re.compile(r"(?:局|委|办|厅|政府|管委会|委员会|办事处|街道|分局|中心|(?:[((]街道[))]))$")
# 各 and a short collective, its own bracket after it: 各乡镇(街道), 各街道
_EACH_SHORT_RE = re.compile(r"各[\u4e00-\u9fff]{1,6}(?:[((][\u4e00-\u9fff、]{1,6}[))])?")
_TITLE_END_RE = re.compile(r"[。::]+$")


def _is_unit(name: str) -> bool:
    if _EACH_SHORT_RE.fullmatch(name) and EACH_UNIT_RE.match(name):
        return True  # 各乡镇(街道), 各街道
    if "(" in name and not EACH_UNIT_RE.fullmatch(name):
        return False
    if EACH_UNIT_RE.fullmatch(name):
        return True
    # 组长 / 成员 / 主要目标 name no body; a body's name ends in its kind and starts with a level, a place or its own name
    return bool(_BODY_END_RE.search(name)) and (bool(ADMINISTRATIVE_RE.match(name)) or len(name) >= 4)


def unit_led_clauses(text: str, items, containers: list[tuple[Ref, Span]], clauses: list[Clause]) -> list[Clause]:
    """Clauses of containers with no annotation that name their unit first: an item whose heading is a unit's name
    alone (its body the unit's duties), or a container with at least two lines that open with a unit's name."""
    taken = {c.container for c in clauses}
    out: list[Clause] = []
    for item in items:
        title = _TITLE_END_RE.sub("", item.title.text.strip())
        if item.ref in taken or not _is_unit(title) or re.search("[,\uff0c::]", title):
            continue  # (学前教育促进,牵头单位:市教体局: a task and its labelled lead, no unit's name)
        body = mention(text, item.body.start, item.body.end)
        if body is not None and has_words(body.text) and body.span.start >= item.title.span.end:
            unit = Mention(title, Span(item.title.span.start, item.title.span.start + len(title)))
            if text[unit.span.start:unit.span.end] == title:
                out.append(Clause(item.ref, 1, body, unit, [UnitMention(title, unit.span, "unspecified")]))
                taken.add(item.ref)
    for ref, body in containers:
        if ref in taken:
            continue
        found = []
        pos = body.start
        for line in text[body.start:body.end].splitlines(keepends=True):
            start, pos = pos, pos + len(line)
            m = _LINE_RE.match(line)
            if not m or not _is_unit(m.group("unit")):
                continue
            rest = mention(text, start + m.end(), start + len(line.rstrip("\r\n")))
            if rest is None or not has_words(rest.text) or len(rest.text) < 6:
                continue
            unit = Mention(m.group("unit"), Span(start + m.start("unit"), start + m.end("unit")))
            found.append((unit, rest))
        if len(found) >= 2:
            for n, (unit, rest) in enumerate(found, 1):
                out.append(Clause(ref, n, rest, unit, [UnitMention(unit.text, unit.span, "unspecified")]))
    return out
