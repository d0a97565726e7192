"""The plan's skeleton: sections 一、…, numbered items (一)…, —— paragraphs, and the annex tables at the
end; the front matter before the first section is read by :mod:`.front`.

``parse_skeleton`` finds the sections (一、, 1、 or 第一章 headings, and lines a page ran together)
and gives each its kind from its title; a section's body is cut into items and paragraphs by
:mod:`.items`, and the notice's own points and the annexes are told apart by :mod:`.framing`."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..errors import ExtractionError, Location
from ..records import Annex, Item, Mention, Paragraph, Ref, Section, Span, Warning
from .framing import ANNEX_RE, NOTICE_POINTS_RE, _after_the_notice, _annex_tables, _annexes, _notice_points
from .front import front_matter
from .items import (
    ARABIC_ITEM_RE,
    ITEM_KINDS,
    ITEM_RE,
    _annotation_first,
    _category_cells,
    _first_of_a_run,
    _has_annotation,
    _item_number,
    _numeral,
    _runs_on,
    _split_section,
    _table_items,
)
from .text import MAX_TITLE, has_words, lines

SECTION_RE = re.compile(r"[ \t\u3000]*([一二三四五六七八九十]{1,3})[ \t\u3000]*、[ \t\u3000]*(\S.*)")
# 1、总体要求 as a section heading, when the plan has no 一、 headings
ARABIC_SECTION_RE = re.compile(r"[ \t\u3000]*(\d{1,2})[ \t\u3000]*[、.．][ \t\u3000]*(\S[^。]{0,30})")
SECTION_WORDS = re.compile(r"要求|目标|任务|领域|措施|保障|原则|思想|举措|重点|机制")
# 。 一、现实基础…: a paragraph break the page lost (the space is all that is left of it)
LOST_BREAK_RE = re.compile(r"(?<=[。;;:\uff1a])[ \t\u3000]+(?=[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十]{1,3}[))])")
# 第一章 把握科技创新发展新形势: the top level of a plan without 一、 headings
CHAPTER_RE = re.compile(r"[ \t\u3000]*第([一二三四五六七八九十]{1,3})章[ \t\u3000]*(\S.{0,40})")

SECTION_KINDS = (
    ("领域", "domains"),
    ("任务", "tasks"),
    ("目标", "objectives"),
    ("保障", "measures"),
    ("措施", "measures"),
    ("总体要求", "principles"),
    ("原则", "principles"),
    ("指导思想", "principles"),
    ("重点", "tasks"),
)


@dataclass
class Skeleton:
    title: Mention
    period: tuple[int, int] | None
    addressees: list[Mention]
    issuers: list[Mention]
    notes: list[Mention]
    preamble: Mention | None
    sections: list[Section]
    paragraphs: list[Paragraph]
    items: list[Item]
    section_leads: list[tuple[Ref, Span]]
    annexes: list[Annex]
    warnings: list[Warning] = field(default_factory=list)
    table_rows: list = field(default_factory=list)  # (item Ref, TableRow) of flattened task tables
    inferred: list = field(default_factory=list)  # metadata.Found: what the front matter gave, from which line


def section_kind(title: str) -> str:
    for word, kind in SECTION_KINDS:
        if word in title:
            return kind
    return "other"


def parse_skeleton(text: str, path: str, title: str | None = None, period: tuple[int, int] | None = None) -> Skeleton:
    """The plan's skeleton; ``title`` and ``period`` are used when the text does not state them."""
    all_lines = [part for s in lines(text) for part in _lost_breaks(text, s) if has_words(part.of(text))]
    if not all_lines:
        raise ExtractionError("the text has no words", path=path)
    warnings: list[Warning] = []
    annex_at = next((i for i, s in enumerate(all_lines) if ANNEX_RE.fullmatch(s.of(text))), len(all_lines))
    annex_tables = _annex_tables(text, all_lines[annex_at:])  # 附件1 with a 任务分解表: its rows are tasks too
    if (not annex_tables and annex_at + 1 < len(all_lines)
            and not any(SECTION_RE.fullmatch(s.of(text)) for s in all_lines[:annex_at])
            and any(SECTION_RE.fullmatch(s.of(text)) for s in all_lines[annex_at + 1:])):
        # 附件1 with no plan before it and none of its tables under it: a page that gives the attachment alone (its
        # caption, then the plan; the page's own lines may stand before it) — annexes stand after a plan, never before one
        del all_lines[annex_at]
        annex_at = next((i for i, s in enumerate(all_lines) if ANNEX_RE.fullmatch(s.of(text))), len(all_lines))
        annex_tables = _annex_tables(text, all_lines[annex_at:])
    headings: list[tuple[int, re.Match[str]]] = []
    run_in = 0  # the number of the last 一、 line that was a paragraph closed by its annotation, not a heading
    for i, s in enumerate(all_lines[:annex_at]):
        m = SECTION_RE.fullmatch(s.of(text))
        if not m or not _numeral(m.group(1)):
            continue
        if i and s.of(text).rstrip().endswith("|") and all_lines[i - 1].of(text).rstrip().endswith("|"):
            continue  # a category cell of a table given one cell a line (一、就业促进(3项) |), not a heading
        if len(m.group(2)) <= MAX_TITLE and "。" not in m.group(2).rstrip("。"):
            if run_in and _numeral(m.group(1)) == run_in + 1 and _runs_on(text, all_lines, i, annex_at):
                run_in += 1  # 一、<a paragraph>(…负责) then 二、<a line an excerpt cut short>: run-in items, as the one before
                continue
            headings.append((i, m))  # (一、高度重视,认真研究政策。各县区… is a paragraph of the notice, not a heading)
            run_in = 0
        elif re.search(r"[)\uff09\u3015\]][。;;]?$", s.of(text).strip()) and _has_annotation(text, s):
            run_in = _numeral(m.group(1))  # a paragraph closed by its annotation: an item (not 一、总体要求。以…。, a heading run in)
        elif i + 1 < annex_at and (_annotation_first(text, all_lines[i + 1].start, all_lines[i + 1].end) or _has_annotation(text, s)):
            # a task of several sentences with its annotation: in labelled lines under it (一、 扩大优质教育资源。新增… /
            # 牵头单位:…), or inside it with a report after (一、减少…。(责任单位:…)该件实事已全面完成 / 1.…): a heading
            headings.append((i, m))
            run_in = 0
        else:
            run_in = 0
    headings = _after_the_notice(text, all_lines, headings)
    if headings and _notice_points(text, all_lines, headings):
        first = headings[0][1].group(0).strip()[:24]
        raise ExtractionError(  # located as the other refusals of a whole text are: at its start
            f"only the notice that issues the plan: the numbered points after it ({first}…) are the notice's own (how to "
            "carry the plan out), and the plan's text is not here", path=path)
    cleared: list[tuple[int, re.Match[str]]] = []  # the 一、 lines read as a table's rows, not as sections
    if headings:  # 序號 / 項目 / … / 牽頭單位 above 一、…, a header whose rows no other reader takes: the 一、 are its rows
        from .celltables import rows_under as rows_below
        from .headedtables import header_before
        from .tableheads import bare_cell_header as known_header

        above = all_lines[: headings[0][0]]
        first = all_lines[headings[0][0] + 1 : headings[1][0] if len(headings) > 1 else annex_at]
        if header_before(text, above) and not ((head := known_header(text, above)) and rows_below(text, first, head)[0]):
            cleared, headings = headings, []
    if not headings:  # Arabic top levels: 1、总体要求
        for i, s in enumerate(all_lines[:annex_at]):
            m = ARABIC_SECTION_RE.fullmatch(s.of(text))
            if m and SECTION_WORDS.search(m.group(2)):
                headings.append((i, m))
    if not headings:  # 第一章 … as the top level (five-year plans)
        for i, s in enumerate(all_lines[:annex_at]):
            m = CHAPTER_RE.fullmatch(s.of(text))
            if m and _numeral(m.group(1)):
                headings.append((i, m))
    implicit = loose = run_together = line_rows = False
    fallback_rows: list = []  # rows of the last-resort reader (unitrows), where nothing else gives the text a structure
    if not headings:  # no top level at all: numbered items straight under the preamble
        first_item = next((i for i, s in enumerate(all_lines[:annex_at]) if (m := ITEM_RE.match(s.of(text))) and _numeral(m.group(1))), None)
        if first_item is not None and _category_cells(text, all_lines[:annex_at]):
            first_item = None  # (一) alone on its line, its name on the next: a category cell of a table given one cell a line
        if first_item is not None and (top := ITEM_RE.match(all_lines[first_item].of(text))) and _numeral(top.group(1)) > 1:
            # (二)赣州市。 first, 1、… 2、… 责任单位:… above it: a page that starts inside an earlier item, whose numbered
            # measures and labelled lines are the body's too (the item's heading on the page before)
            run = _first_of_a_run(text, all_lines[:first_item])
            first_item = run if run is not None else first_item
        if first_item is None:  # 1. / 1、 items
            first_item = next((i for i, s in enumerate(all_lines[:annex_at])
                               if (m := ARABIC_ITEM_RE.match(s.of(text))) and _item_number(m) == 1), None)
        if first_item is None:  # a later page of a plan: 204. 205. … with no item 1 and no heading above them
            first_item = _first_of_a_run(text, all_lines[:annex_at])
        if first_item is not None and first_item > 0 and NOTICE_POINTS_RE.search(all_lines[first_item - 1].of(text)):
            raise ExtractionError(
                "only the notice that issues the plan: the numbered points after its '…通知如下' are the notice's own, "
                "and the plan's text is not here",
                Location.in_text(text, all_lines[first_item - 1].start, path),
            )
        if first_item is not None:  # 序号 / 项目名称 / … / 牵头单位 above (一)…: the table opens where its header does
            from .headedtables import headed_table
            from .tables import find_table as cell_table

            _, in_table = headed_table(text, all_lines[:annex_at])
            if in_table and min(in_table) < first_item and not cell_table(text, all_lines[first_item:annex_at])[0]:
                first_item = min(in_table)
            else:  # 1.… | units |: the items are a |-table's cells, its header above; or a table's cells one a line
                _, in_table = cell_table(text, all_lines[:annex_at])  # (目标任务 / 牵头单位 / … / 下步举措: 1.强化… 2.强化…)
                if in_table and min(in_table) < first_item <= max(in_table):
                    first_item = min(in_table)
        if first_item is None:  # a task table and nothing else
            from .boxtables import find_table

            _, taken = find_table(text, all_lines[:annex_at])
            if not taken:  # 序号 | 重点工作任务 | 牵头领导 | 牵头单位 |: a table whose cells a page closed by | (or tabs)
                from .tables import find_table as find_cell_table

                _, taken = find_cell_table(text, all_lines[:annex_at])
            first_item = min(taken) if taken else None
        if first_item is None:  # no structure, but annotations: each read with the text it closes
            from .loose import loose_start

            at = loose_start(text, all_lines[:annex_at])
            if at is not None:
                first_item, offset = at
                line = all_lines[first_item]
                if offset > line.start and has_words(text[line.start:offset]):  # front matter, then the first task
                    all_lines[first_item:first_item + 1] = [Span(line.start, offset), Span(offset, line.end)]
                    annex_at += 1
                    first_item += 1
                loose = True
        if first_item is None and not annex_tables:  # a task table whose cells the page ran together with no separator
            from .rununits import run_together_rows

            run_rows, at, offset = run_together_rows(text, all_lines[:annex_at])
            if not run_rows:  # one row a line, the unit column before a column of reports (…牵头单位全年完成情况)
                from .runrows import run_rows as run_line_rows

                run_rows, at, offset = run_line_rows(text, all_lines[:annex_at])
                line_rows = bool(run_rows)
            if run_rows and at is not None and offset is not None:
                line = all_lines[at]
                if offset > line.start and has_words(text[line.start:offset]):  # the title before the header, on its line
                    mark = re.match(r"\s*[—-]{1,2}\s*\d{1,3}\s*[—-]{1,2}", text[line.start:offset])  # —1—: a page's number
                    all_lines[at:at + 1] = [Span(line.start + (mark.end() if mark else 0), offset), Span(offset, line.end)]
                    annex_at += 1
                    at += 1
                fallback_rows, first_item, run_together = run_rows, at, True
        if first_item is None and not annex_tables:  # the last resort: cells that list only units, each with its task's cell
            from .unitrows import unit_rows

            fallback_rows, taken = unit_rows(text, all_lines[:annex_at])
            first_item = min(taken) if fallback_rows else None
        if first_item is None and not annex_tables and cleared:
            # the 一、 lines under a header were taken for its rows, but no reader finds a row there (a table the excerpt
            # cuts before its unit cells, 长宁): the text is still a plan, its 一、 lines its sections, as without the header
            headings = cleared
        elif first_item is None and not annex_tables:
            raise ExtractionError(
                "no plan structure found: expected section headings such as '一、总体要求' on lines of their own",
                Location.in_text(text, all_lines[0].start, path),
            )
        if first_item is not None:
            implicit = True
            headings = [(first_item - 1, None)]
            warnings.append(Warning("no plan structure found: each responsibility annotation is read with the text it closes, as one task"
                                    if loose else "no plan structure found: a task table whose cells the page ran together is read, "
                                    "each row's closing run of unit names as its annotation" if run_together and not line_rows
                                    else "no plan structure found: a task table whose cells the page ran together is read, one "
                                    "row a line, the units' names after each task's sentence as its annotation" if line_rows
                                    else "no plan structure found: each cell that lists only units is read as the annotation "
                                    "of the task cell before it" if fallback_rows
                                    else "no top-level headings: the numbered items are read as the tasks of one section",
                                    all_lines[first_item]))
    # only an annex's task table: all before the annexes is front matter (the notice that issues it)
    front = all_lines[: headings[0][0] + (1 if implicit else 0)] if headings else all_lines[:annex_at]
    inferred: list = []
    opening = all_lines[len(front)] if len(front) < len(all_lines) else None  # the body's first line (a run-in title's)
    plan_title, found_period, addressees, issuers, notes, preamble = front_matter(text, front, path, warnings, title, period,
                                                                                   inferred=inferred, opening=opening)

    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    items: list[Item] = []
    leads: list[tuple[Ref, Span]] = []
    counters: dict[str, int] = {}
    table_rows: list = []
    from .tableheads import bare_cell_header

    heads = bare_cell_header(text, all_lines[: headings[0][0] + 1]) if headings and headings[0][1] is not None else None
    # the lines above the first heading, where a table's header may stand (序号 目标任务 责任单位 上半年推进情况 / 一、…)
    from .unitrows import LinesAbove

    above = LinesAbove(text, all_lines[: headings[0][0]] if headings and headings[0][1] is not None else [])
    any_tasks = any(m is None or section_kind(m.group(2).strip()) in ITEM_KINDS for _, m in headings)
    for h, (line_index, m) in enumerate(headings):
        stop = headings[h + 1][0] if h + 1 < len(headings) else annex_at
        body_lines = all_lines[line_index + 1 : stop]
        if m is None:  # the implicit section: its "title" is its body, named 正文
            span = Span(body_lines[0].start, body_lines[-1].end)
            section = Section(1, Mention("正文", span), span, "tasks")
            sections.append(section)
            if loose:
                from .loose import loose_items

                lead = loose_items(text, 1, span, items, counters)
            elif fallback_rows:
                _table_items(text, fallback_rows, 1, "task", items, counters, table_rows)
                lead = None
            else:
                lead = _split_section(text, section, body_lines, paragraphs, items, counters, warnings, table_rows, heads)
            if lead is not None:
                leads.append((Ref("section", 1), lead))
            continue
        head = all_lines[line_index]
        span = Span(head.start, body_lines[-1].end if body_lines else head.end)
        title_m = Mention(m.group(2).strip(), Span(head.start + m.start(2), head.start + m.start(2) + len(m.group(2).strip())))
        ordinal = len(sections) + 1
        number = int(m.group(1)) if m.group(1).isascii() and m.group(1).isdigit() else _numeral(m.group(1))
        if number != ordinal:
            warnings.append(Warning(f"section {m.group(1)}、 is numbered out of order (expected no. {ordinal})", title_m.span))
        kind = section_kind(title_m.text)
        if kind == "other" and not any_tasks:  # a plan whose sections are all named by their topic: they are its tasks
            kind = "tasks"
        section = Section(ordinal, title_m, span, kind)
        sections.append(section)
        lead = _split_section(text, section, body_lines, paragraphs, items, counters, warnings, table_rows, heads, above)
        if _has_annotation(text, title_m.span):  # 一、强化科技创新(区科技局牵头): the heading's own units
            lead = Span(title_m.span.start, lead.end if lead is not None and lead.start > title_m.span.end else title_m.span.end)
        elif lead is not None and _annotation_first(text, lead.start, lead.end):
            # 一、新建300个公共充电桩项目 / 牵头单位:… / 责任单位:… on the lines under it: the heading is the task they annotate
            lead = Span(title_m.span.start, lead.end)
        if lead is not None:
            leads.append((Ref("section", ordinal), lead))
    for title_m, span, rows in annex_tables:  # an annex's task table: a section of tasks of its own
        section = Section(len(sections) + 1, title_m, span, "tasks")
        sections.append(section)
        _table_items(text, rows, section.ordinal, "task", items, counters, table_rows)
    annexes = _annexes(text, all_lines[annex_at:])
    return Skeleton(plan_title, found_period, addressees, issuers, notes, preamble, sections, paragraphs, items, leads, annexes, warnings,
                    table_rows, inferred)


def _lost_breaks(text: str, line: Span) -> list[Span]:
    """A line the page ran together: a sentence's end, a space, then 一、 or (一) starts a new line."""
    cuts = [m.end() for m in LOST_BREAK_RE.finditer(text, line.start, line.end)]
    if not cuts:
        return [line]
    bounds = [line.start, *cuts, line.end]
    return [Span(a, b) for a, b in itertools.pairwise(bounds) if b > a]


