"""What frames a plan's sections: the notice that issues it, and the annexes after it.

A notice (现将《…》印发给你们,请…) may have its own points 一、… before the plan's title, or only its
points and no plan after them; those are not the plan's sections.  The annexes (附件1 / 附表1 and the
line under it as its title) end the plan; an annex may hold a task table a page flattened, read
here into the tasks of that annex.
"""

from __future__ import annotations

import re

from ..records import Annex, Mention, Span
from .front import WRAPPED_RE
from .items import (
    _numeral,
)
from .text import has_words, mention

# 现将《…》印发给你们,并就…通知如下: what follows is the notice's, not the plan's
NOTICE_POINTS_RE = re.compile(r"(?:通知|要求)如下[::]\s*$")


ANNEX_RE = re.compile(r"[ \t\u3000]*附\s*(?:表|件)\s*(\d{1,2})[ \t\u3000]*")


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
