"""Responsibility annotations ``(责任单位:…)`` and the clauses they close.

A clause covers the text from the end of the previous annotation (or the start
of its item's body) up to its own annotation; the annotation lists the units in
order.  Labels such as 牵头单位 / 配合单位 give the units that follow a role.
Here every annotation of a text is found, in whichever form (bracketed, labelled
lines and sentences in ``labelled``, unlabelled brackets and sentences in
``unlabelled``), and a body is cut into its clauses; the patterns are in
``annotationforms`` and the reading of a unit list in ``unitlists``.
"""

from __future__ import annotations

import re

from ..errors import ExtractionError, Location
from ..records import Clause, Mention, Ref, Span, UnitMention, Warning
from .annotationforms import (
    ANNOTATION_RE,
    DEADLINE_RE,
    FIRST_LEADS_RE,
    ITEM_START_RE,
    LINE_LABEL_RE,
    LINE_YEAR_RE,
    OPENING_ROLES_RE,
    OPENING_WHO_RE,
    RIDER_RE,
    SAID_BY_LINE_RE,
    SENTENCE_ROLES_RE,
    TRAILING_ROLES_RE,
    UNLABELLED_RE,
)
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
from .labelled import _labelled_lines, _labelled_sentences
from .text import PUNCT, Taken, closing_bracket, has_words, mention, split_top
from .unitcells import starred_cells, with_unit_cells
from .unitlists import damaged, parse_units, stated_deadline
from .unlabelled import _bracket_units, _cell_units, _trailing_units, rider_units


def find_annotations(text: str, start: int, end: int, path: str, strict: bool = True,
                     warnings: list[Warning] | None = None, loose: bool = False) -> list[tuple[Span, list[UnitMention]]]:
    return [(span, units) for span, units, _ in find_annotations_typed(text, start, end, path, strict, warnings, loose)]


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
    for at, to, units in ordered_lists(text, start, end, FIRST_LEADS_RE, RIDER_RE):  # (X、Y。列第一位者为牵头部门,下同)
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
    trailing |= {r.start(1) for r in roles}
    roles += [m for m in SAID_BY_LINE_RE.finditer(text, start, end) if m.start(1) not in trailing]  # ──由X和Y组织落实。
    for m in roles:
        if taken.overlaps(m.start(1), m.end(1)):
            continue
        said_by = m.start(1) > 0 and text[m.start(1) - 1] == "由"  # the patterns take 由 only right before the names
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
        units = units + rider_units(text, span, units)  # (X负责。以下均需Y落实,不再列出): Y carries out this item too
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
