"""The plan's skeleton: sections 一、…, numbered items (一)…, —— paragraphs, and the annex tables at the
end; the front matter before the first section is read by :mod:`.front`."""

from __future__ import annotations

import collections
import itertools
import re
from dataclasses import dataclass, field

from ..errors import ExtractionError, Location
from ..records import Annex, Item, Mention, Paragraph, Ref, Section, Span, Warning
from .front import WRAPPED_RE, front_matter
from .text import MAX_TITLE, cn_number, first_sentence, has_words, lines, mention

SECTION_RE = re.compile(r"[ \t\u3000]*([一二三四五六七八九十]{1,3})[ \t\u3000]*、[ \t\u3000]*(\S.*)")
ITEM_RE = re.compile(r"[ \t\u3000]*[((]([一二三四五六七八九十]{1,3})[))][ \t\u3000]*")
# ?。ǘ┩… at the start of a line: a (二) the page mis-decoded (its bytes read in the wrong encoding);
# among (一) items it is the next item, numbered by its place
LOST_MARKER_RE = re.compile(r"[ \t\u3000]*[?？]。")
# items numbered 1. / 1、 / (1) / ① — used in a section that has no (一) items
ARABIC_ITEM_RE = re.compile(r"[ \t\u3000]*(?:(\d{1,3})[.．、](?!\d)|[((](\d{1,2})[))]|([\u2460-\u2473]))[ \t\u3000]*")
# 1、总体要求 as a section heading, when the plan has no 一、 headings
ARABIC_SECTION_RE = re.compile(r"[ \t\u3000]*(\d{1,2})[ \t\u3000]*[、.．][ \t\u3000]*(\S[^。]{0,30})")
SECTION_WORDS = re.compile(r"要求|目标|任务|领域|措施|保障|原则|思想|举措|重点|机制")
# 。 一、现实基础…: a paragraph break the page lost (the space is all that is left of it)
LOST_BREAK_RE = re.compile(r"(?<=[。;;])[ \t\u3000]+(?=[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十]{1,3}[))])")
# 第一章 把握科技创新发展新形势: the top level of a plan without 一、 headings
CHAPTER_RE = re.compile(r"[ \t\u3000]*第([一二三四五六七八九十]{1,3})章[ \t\u3000]*(\S.{0,40})")
# 现将《…》印发给你们,并就…通知如下: what follows is the notice's, not the plan's
NOTICE_POINTS_RE = re.compile(r"(?:通知|要求)如下[::]\s*$")
ANNEX_RE = re.compile(r"[ \t\u3000]*附\s*(?:表|件)\s*(\d{1,2})[ \t\u3000]*")
DASH_RE = re.compile(r"[ \t\u3000]*(?:——|--|—)[ \t\u3000]*")

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
ITEM_KINDS = {"domains": "domain", "tasks": "task", "measures": "measure"}
PARAGRAPH_KINDS = {"principles": "principle", "objectives": "objective"}


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


def _runs_on(text: str, all_lines: list[Span], i: int, end: int) -> bool:
    """Whether the short line ``i`` after a paragraph closed by its annotation is the next item of that run: the last
    line (an excerpt cut it off), or one whose own line or the next closes with an annotation (二、推进… / …(X负责)) —
    not a heading with items under it (三、保障措施 / (一)加强组织领导。)."""
    if i + 1 >= end:
        return True
    return any(re.search(r"[)\uff09\u3015\]][。;;]?$", s.of(text).strip()) and _has_annotation(text, s)
               for s in all_lines[i:i + 2]) and not ITEM_RE.match(all_lines[i + 1].of(text))


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
    if headings:  # 序號 / 項目 / … / 牽頭單位 above 一、…, a header whose rows no other reader takes: the 一、 are its rows
        from .celltables import rows_under as rows_below
        from .headedtables import header_before
        from .tableheads import bare_cell_header as known_header

        above = all_lines[: headings[0][0]]
        first = all_lines[headings[0][0] + 1 : headings[1][0] if len(headings) > 1 else annex_at]
        if header_before(text, above) and not ((head := known_header(text, above)) and rows_below(text, first, head)[0]):
            headings = []
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
            elif "|" in all_lines[first_item].of(text):  # 1.… | units |: the items are a |-table's cells, its header above
                _, in_table = cell_table(text, all_lines[:annex_at])
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
        if first_item is None and not annex_tables:
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


def _category_cells(text: str, lines: list[Span]) -> bool:
    """Whether the text's (一) items are a table's category cells: every line that opens with one holds its number alone,
    and the last-resort reader (cells that list only units, each after its task's cell) reads rows after the first."""
    marks = [i for i, s in enumerate(lines) if (m := ITEM_RE.match(s.of(text))) and _numeral(m.group(1))]
    if not marks or any(ITEM_RE.match(lines[i].of(text)).end() < len(lines[i].of(text).rstrip()) for i in marks):
        return False
    from .unitrows import unit_rows

    rows, taken = unit_rows(text, lines)
    return bool(rows) and max(taken) > marks[0]


# the words of a notice's own points, on how to carry out the plan it issues (一、提高认识,加强领导 / 二、压实责任,狠抓落实 /
# 三、强化调度,严格督查), and those of a plan's own sections, which a notice's points never are
NOTICE_POINT_RE = re.compile(r"认识|领导|责任|落实|督|调度|协同|配合|合力|考核|宣传|信心|进位|重视|纪律|作风")
# the notice's line that hands the plan out (《…》已经…同意,现印发给你们: not 现将…分解如下, a plan's own preamble)
ATTACHMENT_LINE_RE = re.compile(r"\s*附\s*件\s*\d{0,2}\s*[::]")
ISSUING_LINE_RE = re.compile(r"(?:印发|转发|下发)(?:给)?你们|发给你们")
PLAN_SECTION_RE = re.compile(r"总体|指导思想|原则|(?:主要|发展|工作|总体|具体)目标|(?:重点|主要|工作)任务|举措|路径|领域|方向|产业|项目"
                             r"|保障措施|实施步骤|背景|基础|形势")


def _notice_points(text: str, all_lines: list[Span], headings: list) -> bool:
    """Whether the 一、 headings are a notice's own points with no plan after them: they follow the notice's line that issues
    the plan (现将《…》印发给你们, …通知如下:), no title line of the plan stands anywhere after that line, and either that
    line says the points follow (…通知如下:) or there are two or more short headings, each speaking of carrying the plan out
    and none naming a part of a plan."""
    from . import metadata as meta

    first = headings[0][0]
    issuing = next((i for i in range(first - 1, -1, -1) if ISSUING_LINE_RE.search(all_lines[i].of(text))), None)
    if issuing is None or first - issuing > 3:
        return False
    if any(meta.title_line(text, all_lines, i) and not ATTACHMENT_LINE_RE.match(all_lines[i].of(text))
           for i in range(issuing + 1, len(all_lines))):
        return False  # the plan's title after the notice: its sections follow (附件:… in the notice's close names the attachment)
    if NOTICE_POINTS_RE.search(all_lines[issuing].of(text)):
        return True  # …印发给你们,并就有关事项通知如下: (its first points may be paragraphs, 一、要坚决扛起政治任务。…)
    names = [m.group(2).strip() for _, m in headings]  # two or more short headings (not a line the page ran together)
    return len(names) >= 2 and all(len(n) <= 24 and NOTICE_POINT_RE.search(n) and not PLAN_SECTION_RE.search(n) for n in names)


def _after_the_notice(text: str, all_lines: list[Span], headings: list) -> list:
    """The notice's own points (一、提高认识 …) come before the plan's title; the plan's sections
    start again at 一、 after it: keep those."""
    from . import metadata as meta

    if not headings or any(meta.title_line(text, all_lines, i) for i in range(headings[0][0])):
        return headings  # the plan's title stands before its first heading: no notice points come first
    for r in range(len(headings) - 1, 0, -1):
        if _numeral(headings[r][1].group(1)) == 1:
            between = range(headings[r - 1][0] + 1, headings[r][0])
            if any(meta.title_line(text, all_lines, i) for i in between):
                return headings[r:]
    return headings


def _lost_breaks(text: str, line: Span) -> list[Span]:
    """A line the page ran together: a sentence's end, a space, then 一、 or (一) starts a new line."""
    cuts = [m.end() for m in LOST_BREAK_RE.finditer(text, line.start, line.end)]
    if not cuts:
        return [line]
    bounds = [line.start, *cuts, line.end]
    return [Span(a, b) for a, b in itertools.pairwise(bounds) if b > a]


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


def _annotated(text: str, body_lines: list[Span]) -> bool:
    from .annotations import find_annotations

    return bool(find_annotations(text, body_lines[0].start, body_lines[-1].end, "", strict=False, warnings=[]))


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
    body_lines = [s for i, s in enumerate(body_lines) if i not in taken]
    blocks: list[tuple[str, list[Span], re.Match[str] | None]] = []
    chinese_items = any((m := ITEM_RE.match(s.of(text))) and _numeral(m.group(1)) for s in body_lines)
    item_re = ITEM_RE if chinese_items else ARABIC_ITEM_RE
    last_arabic = None  # the number of the last 1. / 2. line: a run of steps under an item
    for k, s in enumerate(body_lines):
        line = s.of(text)
        im = item_re.match(line) or (LOST_MARKER_RE.match(line) if chinese_items else None)
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


def _annex_tables(text: str, annex_lines: list[Span]) -> list[tuple[Mention, Span, list]]:
    """The task tables of the annexes (附件1 and a 任务分解表 under it, as a page flattened it): for each annex that
    holds one, its title (the line under 附件N, else that line), its span and the table's rows."""
    from .boxtables import find_table
    from .celltables import rows_under
    from .tableheads import bare_cell_header
    from .unitrows import fuller_rows

    blocks: list[list[Span]] = []
    for s in annex_lines:
        if ANNEX_RE.fullmatch(s.of(text)) or not blocks:
            blocks.append([s])
        else:
            blocks[-1].append(s)
    out = []
    for block in blocks:
        body = block[1:]
        rows, taken = find_table(text, body)
        if not rows and (head := bare_cell_header(text, body)):
            rows, taken = rows_under(text, body, head)
        rows, _ = fuller_rows(text, body, rows, taken)
        if rows:
            first_row = min(r.span.start for r in rows)
            named = next((s for s in body if s.end <= first_row and s.of(text).strip(" \t\u3000|") != "序号"), block[0])
            out.append((mention(text, named.start, named.end) or Mention(named.of(text), named), Span(block[0].start, block[-1].end), rows))
    return out


def _first_of_a_run(text: str, lines: list[Span]) -> int | None:
    """The first line numbered n. / n、 that a later line numbered n+1 follows (no other numbered line between):
    the list a page starts in the middle of."""
    numbered = [(i, _item_number(m)) for i, s in enumerate(lines) if (m := ARABIC_ITEM_RE.match(s.of(text))) and _item_number(m)]
    return next((i for (i, n), (_, after) in itertools.pairwise(numbered) if after == n + 1), None)


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


def _annexes(text: str, annex_lines: list[Span]) -> list[Annex]:
    annexes: list[Annex] = []
    current: list[Span] = []
    for s in annex_lines + [None]:
        if s is None or ANNEX_RE.fullmatch(s.of(text)):
            if current:
                annexes.append(_annex(text, current))
            current = [s] if s is not None else []
        else:
            current.append(s)
    return annexes


def _annex(text: str, spans: list[Span]) -> Annex:
    head = spans[0]
    number = int(ANNEX_RE.fullmatch(head.of(text)).group(1))
    title = subtitle = None
    content = []
    for s in spans[1:]:
        line = s.of(text)
        wrapped = WRAPPED_RE.fullmatch(line)
        if title is None and not wrapped:
            title = mention(text, s.start, s.end)
        elif subtitle is None and wrapped and title is not None:
            inner = s.start + line.index(wrapped.group(1))
            subtitle = Mention(wrapped.group(1), Span(inner, inner + len(wrapped.group(1))))
        elif has_words(line):
            content.append(s)
    return Annex(number, mention(text, head.start, head.end), title, subtitle, Span(head.start, spans[-1].end), not content)
