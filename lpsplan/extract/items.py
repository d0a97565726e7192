"""A section's body cut into its items and —— paragraphs.

Items are lines opening with (一) inside a section, or — in a section that has none — with 1. / 1、 /
(1) / ①; the lines that follow without a marker belong to the item.  Principles and objectives are
paragraphs opening with ——.  Here too are the tests the skeleton asks of an item's text (whether
it holds an annotation, opens with one or with who does it), the numbered rows of a task table
read as a section's tasks, and an item marker's number.
"""

from __future__ import annotations

import collections
import itertools
import re

from ..records import Item, Paragraph, Ref, Span, Warning
from .text import cn_number, first_sentence, has_words, mention

ITEM_RE = re.compile(r"[ \t\u3000]*[((]([一二三四五六七八九十]{1,3})[))][ \t\u3000]*")


# ?。ǘ┩… at the start of a line: a (二) the page mis-decoded (its bytes read in the wrong encoding);
# among (一) items it is the next item, numbered by its place
LOST_MARKER_RE = re.compile(r"[ \t\u3000]*[?？]。")


# items numbered 1. / 1、 / (1) / ① — used in a section that has no (一) items
ARABIC_ITEM_RE = re.compile(r"[ \t\u3000]*+(?:(\d{1,3})[.．、。](?!\d)|[((](\d{1,2})[))]|([\u2460-\u2473]))[ \t\u3000]*")


DASH_RE = re.compile(r"[ \t\u3000]*(?:——|--|—)[ \t\u3000]*")


ITEM_KINDS = {"domains": "domain", "tasks": "task", "measures": "measure"}


PARAGRAPH_KINDS = {"principles": "principle", "objectives": "objective"}


def _runs_on(text: str, all_lines: list[Span], i: int, end: int) -> bool:
    """Whether the short line ``i`` after a paragraph closed by its annotation is the next item of that run: the last
    line (an excerpt cut it off), or one whose own line or the next closes with an annotation (二、推进… / …(X负责)) —
    not a heading with items under it (三、保障措施 / (一)加强组织领导。)."""
    if i + 1 >= end:
        return True
    return any(re.search(r"[)\uff09\u3015\]][。;;]?$", s.of(text).strip()) and _has_annotation(text, s)
               for s in all_lines[i:i + 2]) and not ITEM_RE.match(all_lines[i + 1].of(text))


def _category_cells(text: str, lines: list[Span]) -> bool:
    """Whether the text's (一) items are a table's category cells: every line that opens with one holds its number alone,
    and the last-resort reader (cells that list only units, each after its task's cell) reads rows after the first."""
    marks = [i for i, s in enumerate(lines) if (m := ITEM_RE.match(s.of(text))) and _numeral(m.group(1))]
    if not marks or any(ITEM_RE.match(lines[i].of(text)).end() < len(lines[i].of(text).rstrip()) for i in marks):
        return False
    from .unitrows import unit_rows

    rows, taken = unit_rows(text, lines)
    return bool(rows) and max(taken) > marks[0]


def _has_annotation(text: str, span: Span) -> bool:
    from .annotations import find_annotations

    return bool(find_annotations(text, span.start, span.end, "", strict=False, warnings=[]))


def _annotation_first(text: str, start: int, end: int) -> bool:
    """Whether the text from ``start`` holds an annotation with no words before it."""
    from .annotations import find_annotations

    found = find_annotations(text, start, end, "", strict=False, warnings=[])
    return bool(found) and not has_words(text[start:found[0][0].start])


def _who_first(text: str, start: int, end: int) -> bool:
    """Whether the item opens with who does it, no bracket ((一)由X负责,Y配合,加快…): the title then holds part of it."""
    from .annotationforms import OPENING_WHO_RE

    return OPENING_WHO_RE.match(text, start, end) is not None


def _only_cells_annotated(text: str, body_lines: list[Span], rows: list) -> bool:
    """Whether the body holds no annotation but the rows' own cells (保山: a unit cell alone on its line, read as a bare
    list of units, is a cell of the row the header above reads with all its unit columns)."""
    from .annotations import find_annotations

    found = find_annotations(text, body_lines[0].start, body_lines[-1].end, "", strict=False, warnings=[])
    return all(any(r.annotation.start <= span.start and span.end <= r.span.end for r in rows) for span, _ in found)


def _rows_under_header_above(above, body_lines: list[Span]) -> tuple[list, set[int]]:
    """A table whose header stands above the first section and whose rows the sections hold (序号 目标任务 责任单位
    上半年推进情况 / 一、经济社会发展主要预期目标 / 1 地区生产总值增长6%以上。 区发展改革委 …): where nothing else reads the
    section's body and it holds no annotation, the last-resort reader's rows, read with that header, from the body's
    lines only.  ``above``: the lines above the first section (a ``unitrows.LinesAbove``, their cells read once for
    every section)."""
    if not above.name_unit_columns:  # the header must stand above (not a page's 主办单位 in the footer)
        return [], set()
    rows, taken = above.unit_rows(body_lines)
    first_body = body_lines[0].start
    rows = [r for r in rows if r.task.span.start >= first_body]
    return rows, {i - len(above.lines) for i in taken if i >= len(above.lines)}


def _numeral(numeral: str) -> int | None:
    try:
        return cn_number(numeral)
    except ValueError:
        return None


def _split_section(text, section, body_lines, paragraphs, items, counters, warnings, table_rows, heads=None,
                   above=None) -> Span | None:
    """Cut a section's body into items and ——paragraphs; return its lead text, if any.  ``above``: the lines above the
    first section (a ``unitrows.LinesAbove``), where the header of a table whose rows the sections hold may stand."""
    item_kind = ITEM_KINDS.get(section.kind)
    para_kind = PARAGRAPH_KINDS.get(section.kind)
    from .boxtables import find_table

    placed: collections.Counter[str] = collections.Counter()  # the items and paragraphs of each kind in this section so far
    rows, taken = find_table(text, body_lines)
    if not rows and heads:  # a one-cell-a-line table whose header stands above the first section
        from .celltables import rows_under

        rows, taken = rows_under(text, body_lines, heads)
    from .unitrows import fuller_rows

    rows, taken = fuller_rows(text, body_lines, rows, taken)
    if not rows and above is not None and above.lines and body_lines:
        got, got_taken = _rows_under_header_above(above, body_lines)
        if got and _only_cells_annotated(text, body_lines, got):
            # where the page closed each cell by a line of | under it, the lines from the first row to the last are the
            # table's cells, and so are those before the first row that are such cells or lines: no other task's text
            first, last = min(r.span.start for r in got), max(r.span.end for r in got)

            def closed(k: int) -> bool:  # the line's cell closed by a line of | under it (the lines of | have no words)
                gap = text[body_lines[k].end:body_lines[k + 1].start if k + 1 < len(body_lines) else body_lines[k].end + 8]
                return "|" in gap and "\n" in gap and not gap.lstrip().lstrip("|").strip(" \t\u3000|\r\n")

            rows, taken = got, got_taken
            if any(closed(i) for i in range(len(body_lines))):  # cells each closed by a line of | (保山)
                taken = taken | {i for i, s in enumerate(body_lines) if s.end <= last and (s.start >= first or closed(i))}
    placed[item_kind or "task"] += _table_items(text, rows, section.ordinal, item_kind or "task", items, counters, table_rows)
    row_starts = sorted(body_lines[i].start for i in taken) if rows else []
    body_lines = [s for i, s in enumerate(body_lines) if i not in taken]
    blocks: list[tuple[str, list[Span], re.Match[str] | None]] = []
    chinese_items = any((m := ITEM_RE.match(s.of(text))) and _numeral(m.group(1)) for s in body_lines)
    item_re = ITEM_RE if chinese_items else ARABIC_ITEM_RE
    last_arabic = None  # the number of the last 1. / 2. line: a run of steps under an item
    # a row's number alone on its line under a one-cell-a-line header above the sections, where no reader found a row (the
    # excerpt cut the table before its unit cells, 长宁): the row is still a task, its number its marker, its cells its text
    cut_rows = bool(heads) and not rows and not chinese_items
    for k, s in enumerate(body_lines):
        line = s.of(text)
        im = item_re.match(line) or (LOST_MARKER_RE.match(line) if chinese_items else None)
        if im is None and cut_rows and k + 1 < len(body_lines):
            im = _ROW_NUMBER_LINE.match(line)
        if im is not None and im.re is LOST_MARKER_RE and k + 1 < len(body_lines) and last_arabic is not None:
            after = ARABIC_ITEM_RE.match(body_lines[k + 1].of(text))
            if after and _item_number(after) == last_arabic + 1:  # a garbled line inside a run of steps (1. … ?。… 2.): no lost (二)
                im = None
        if (step := ARABIC_ITEM_RE.match(line)) and _item_number(step):
            last_arabic = _item_number(step)
        dm = DASH_RE.match(line)
        if im and (_item_number(im) or im.re is LOST_MARKER_RE):
            blocks.append(("item", [s], im))
        elif dm and para_kind:
            blocks.append(("dash", [s], dm))
        elif blocks and blocks[-1][0] == "item":
            blocks[-1][1].append(s)  # a hard line break inside an item
        else:
            blocks.append(("lead", [s], None))
    lead_spans = [b[1][0] for b in blocks if b[0] == "lead"]
    for kind, spans, m in blocks:
        if kind == "lead":
            continue
        start, end = spans[0].start, spans[-1].end
        marker_end = start + m.end()
        if not has_words(text[marker_end:end]):  # a marker the excerpt cuts right after (…\n4.): nothing to read
            continue
        if kind == "dash":
            ref = Ref(para_kind, counters.setdefault(para_kind, 0) + 1)
            counters[para_kind] += 1
            headline = first_sentence(text, marker_end, end)
            paragraphs.append(Paragraph(ref, section.ordinal, headline, Span(start, end), text[marker_end:end]))
            placed[para_kind] += 1
        else:
            kind_name = item_kind or para_kind or "item"
            if kind_name == "item":
                warnings.append(Warning(f"numbered item in section {section.title.text} that is neither a domain, task nor measure", Span(start, end)))
                lead_spans.append(Span(start, end))
                continue
            title = first_sentence(text, marker_end, end)
            if not item_kind and kind_name == "principle" and "目标" in title.text:  # (二)发展目标 under 总体要求
                kind_name = "objective"
            number = counters.setdefault(kind_name, 0) + 1
            counters[kind_name] = number
            if m.re is LOST_MARKER_RE:
                warnings.append(Warning("an item whose number the page mis-decoded (?。…): numbered by its place", Span(start, marker_end)))
            elif _item_number(m) != placed[kind_name] + 1:  # the number the next item of its kind carries in this section
                warnings.append(Warning(f"item {text[start:marker_end].strip()} is numbered out of order", Span(start, marker_end)))
            body_start = title.span.end + (1 if title.span.end < end and text[title.span.end] == "。" else 0)
            if item_kind and (_annotation_first(text, body_start, end) or _has_annotation(text, title.span)
                              or _who_first(text, marker_end, end)):
                # 1.加快…建设。(市发改委牵头): an item of one sentence, closed by its annotation; also with no 。 before it,
                # the annotation then inside the first sentence (1.新建幼儿园8所(责任单位:…) / 此项工作已完成。…)
                body_start = title.span.start
            if item_kind:
                label = re.sub(r"领域$", "", title.text) if kind_name == "domain" else title.text
                items.append(Item(Ref(kind_name, number), section.ordinal, title, label or title.text, Span(start, end), Span(body_start, end)))
            else:
                paragraphs.append(Paragraph(Ref(kind_name, number), section.ordinal, title, Span(start, end), text[marker_end:end]))
            placed[kind_name] += 1
    if lead_spans and row_starts:
        # 一、主要预期目标 | ||| between a |-table's rows (a group's row): the lead stops at the table's next row, never a
        # span over its rows, whose units the table's reading gives (read again in the lead, each row's would be twice)
        first = min(s.start for s in lead_spans)
        stop = next((at for at in row_starts if at > first), None)
        if stop is not None:
            lead_spans = [s for s in lead_spans if s.end <= stop]
    if not lead_spans:
        return None
    return Span(min(s.start for s in lead_spans), max(s.end for s in lead_spans))


def _table_items(text, rows, ordinal: int, kind_name: str, items, counters, table_rows) -> int:
    """Each numbered row of a task table is a task of the section ``ordinal``; returns how many."""
    for row in rows:
        number = counters.setdefault(kind_name, 0) + 1
        counters[kind_name] = number
        ref = Ref(kind_name, number)
        task = mention(text, row.task.span.start, row.task.span.end) or row.task
        items.append(Item(ref, ordinal, task, task.text, row.span, task.span))
        table_rows.append((ref, row))
    return len(rows)


def _first_of_a_run(text: str, lines: list[Span]) -> int | None:
    """The first line numbered n. / n、 that a later line numbered n+1 follows (no other numbered line between):
    the list a page starts in the middle of."""
    numbered = [(i, _item_number(m)) for i, s in enumerate(lines) if (m := ARABIC_ITEM_RE.match(s.of(text))) and _item_number(m)]
    return next((i for (i, n), (_, after) in itertools.pairwise(numbered) if after == n + 1), None)


_ROW_NUMBER_LINE = re.compile(r"[ \t\u3000]*(\d{1,3})[ \t\u3000|]*$")


def _item_number(m: re.Match[str]) -> int | None:
    """The number of an item marker: (三) → 3, 3. → 3, (3) → 3, ③ → 3."""
    groups = [g for g in m.groups() if g]
    if not groups:
        return None
    g = groups[0]
    if len(g) == 1 and "\u2460" <= g <= "\u2473":  # before isdigit(): Python counts ① as a digit
        return ord(g) - 0x2460 + 1
    if g.isascii() and g.isdigit():
        return int(g)
    return _numeral(g)
