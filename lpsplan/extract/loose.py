"""Reading responsibility annotations where no plan structure is found.

A page may give a plan with none of the structure the skeleton reader looks for: a task table whose
cells ran together, a plan run into one line, a later page starting in the middle of a list with no
numbers left.  Its annotations still say who does what: a bracket labelled 牵头单位:/责任单位:…, a
bracket whose parts end in a role word (X牵头,Y配合), a labelled line, or a bare list of units in
brackets closing a sentence.  Each is read as the annotation of the text it closes, from the end of
the previous annotation (or the start of the run) — one task per annotation — without any heading.
A text with neither structure nor annotations is still refused by the skeleton reader.
"""

from __future__ import annotations

import re

from ..records import Item, Ref, Span
from .text import first_sentence, has_words, mention

# where a task's sentence starts after a previous one ends, within a line
SENTENCE_END_RE = re.compile(r"[。;;!?!?]")
# a task's number inside a line run together: 1. / 1、 / (1) / (一) / 一、 (not the 2. of 2.95)
INLINE_NUMBER_RE = re.compile(r"(?<![\d.．])(?:\d{1,3}[.．、](?!\d)|[((][一二三四五六七八九十\d]{1,3}[))]|[一二三四五六七八九十]{1,3}、)")
# markers a task may start with: 1. / 1、 / (1) / (一) / 一、 / ① / a table's row number
# (a number alone only before a space or the line's end: 500个老旧小区… starts with a quantity, not a number)
MARKER_RE = re.compile(r"[ \t\u3000]*(?:\d{1,3}(?:[ \t\u3000]*[.．、](?!\d)|(?=[ \t\u3000\n]|$))|[((][一二三四五六七八九十\d]{1,3}[))]|[一二三四五六七八九十]{1,3}、|[\u2460-\u2473])[ \t\u3000]*")


def annotations_anywhere(text: str, start: int, end: int) -> list[tuple[Span, list]]:
    """Every annotation between ``start`` and ``end``, whatever stands around it (sorted, not overlapping)."""
    from .annotations import find_annotations

    found = find_annotations(text, start, end, "", strict=False, warnings=[], loose=True)
    found.sort(key=lambda f: f[0].start)
    out: list[tuple[Span, list]] = []
    for span, units in found:
        if not out or span.start >= out[-1][0].end:
            out.append((span, units))
    return out


def loose_start(text: str, lines: list[Span]) -> tuple[int, int] | None:
    """Where the annotated text begins: (index of its line, offset in the text), or None when the text
    holds no annotation.  The first annotation's own sentence starts it: on the annotation's line after
    the last sentence end before it, or — an annotation alone on its line, a labelled line — on the
    line above."""
    if not lines:
        return None
    found = annotations_anywhere(text, lines[0].start, lines[-1].end)
    if not found:
        return None
    first = found[0][0]
    i = next(k for k, s in enumerate(lines) if s.start <= first.start < s.end or first.start < s.start)
    line = lines[i]
    before = text[line.start:first.start]
    if not has_words(before):  # the annotation opens its line: it closes the line above
        return (i - 1, lines[i - 1].start) if i > 0 else (i, line.start)
    # a task's number before the annotation on its line starts the task (1.发放消费券。全年…[责任单位:…]);
    # else the last sentence end with words after it
    numbers = [m.start() for m in INLINE_NUMBER_RE.finditer(text, line.start, first.start) if has_words(text[m.end():first.start])]
    if numbers:
        return (i, numbers[-1])
    ends = [m.end() for m in SENTENCE_END_RE.finditer(text, line.start, first.start)]
    starts = [e for e in ends if has_words(text[e:first.start])]
    return (i, starts[-1] if starts else line.start)


def loose_items(text: str, section_ordinal: int, body: Span, items: list[Item], counters: dict[str, int]) -> Span | None:
    """One task per annotation of ``body``: the text from the previous annotation's end (or the body's
    start) to the end of this one.  Returns the text after the last annotation, if it has words."""

    cursor = body.start
    for span, _units in annotations_anywhere(text, body.start, body.end):
        start = cursor
        m = MARKER_RE.match(text, start, span.start)
        while start < span.start and (text[start] in " \t\u3000\n。;;,," or (m and m.end() > start)):
            start = m.end() if m and m.end() > start else start + 1
            m = MARKER_RE.match(text, start, span.start)
        if not has_words(text[start:span.start]):
            start = cursor  # an annotation with nothing before it: left to the clause reader to warn about
        number = counters.setdefault("task", 0) + 1
        counters["task"] = number
        title = first_sentence(text, start, span.start) if has_words(text[start:span.start]) else mention(text, span.start, span.end)
        items.append(Item(Ref("task", number), section_ordinal, title, title.text, Span(start, span.end), Span(start, span.end)))
        cursor = span.end
    rest = mention(text, cursor, body.end)
    return rest.span if rest is not None and has_words(rest.text) else None
