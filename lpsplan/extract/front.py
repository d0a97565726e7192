"""The front matter of a plan, the lines before its first section: the addressees (a line ending in a colon), the
issuing bodies, the publication note in brackets, the title, the period line, and the preamble after the title."""

from __future__ import annotations

import re

from ..errors import ExtractionError, Location, NoTitleFound
from ..records import Mention, Span, Warning
from .text import MAX_TITLE, mention, split_top

PERIOD_RE = re.compile(r"(\d{4})\s*[—–\-~至到]+\s*(\d{4})\s*年?")
WRAPPED_RE = re.compile(r"[ \t\u3000]*[((](.*)[))][ \t\u3000]*")
TITLE_END_RE = re.compile(r"(计划|规划|方案|纲要|意见|办法|措施|要点)$")
ISSUER_RE = re.compile(r"^(中共)?\S{2,30}(办公室|办公厅|人民政府|委员会|政府)$")
# a field of the page (• 主题分类:发展规划, 所属类别:…), no title even when its value ends in a genre word
FIELD_LINE_RE = re.compile(r"^(?:[•·●○■□◆◇▪▸►]\s*)?[\u4e00-\u9fff]{0,4}(?:分类|类别|主题词?|关键词|栏目)\s*[:\uff1a]")


def front_matter(text: str, front: list[Span], path: str, warnings: list[Warning], title_override=None, period_override=None,
                 body: Span | None = None, inferred: list | None = None, opening: Span | None = None):
    """The lines before the first section: (title, period, addressees, issuers, notes, preamble).  The title and
    the period given on the command line (``title_override``, ``period_override``) win over the text's; what was
    read by a rule rather than found in its place is appended to ``inferred``.  Raises ExtractionError when no
    title is found or the period runs backwards."""
    from . import metadata as meta

    inferred = [] if inferred is None else inferred
    addressees: list[Mention] = []
    issuers: list[Mention] = []
    notes: list[Mention] = []
    title: Mention | None = None
    period: tuple[int, int] | None = None
    rest = list(front)
    # (not a text run into one line, sentences and all, whose notice ends in …以下工作: before its first item)
    if rest and rest[0].of(text).rstrip().endswith((":", "\uff1a")) and not (
            "。" in rest[0].of(text) and len(rest[0].of(text).strip()) > meta.MAX_LINE):
        first = rest.pop(0)
        colon_end = first.start + len(first.of(text).rstrip()) - 1
        addressees = split_top(text, first.start, colon_end, ",,;;")
    title_index = None
    # a table's header given one cell a line (任务 / 项目 / 名称 / 项目内容 / 责任单位 / 具体年度任务和措施): its column
    # names are no title, alone or joined (名称项目内容责任单位具体年度任务和措施 was one, …措施 ending in a genre word)
    header = header_lines(text, rest)
    for i, s in enumerate(rest):
        if i in header:
            continue
        line = s.of(text).strip()
        wrapped = WRAPPED_RE.fullmatch(s.of(text))
        if wrapped and PERIOD_RE.fullmatch(wrapped.group(1).strip()):
            pm = PERIOD_RE.fullmatch(wrapped.group(1).strip())
            period = (int(pm.group(1)), int(pm.group(2)))
            if title_index is None and i > 0:
                title_index = i - 1
        elif wrapped and "公开" in wrapped.group(1):
            inner = s.start + s.of(text).index(wrapped.group(1))
            notes.append(Mention(wrapped.group(1), Span(inner, inner + len(wrapped.group(1)))))
        elif ISSUER_RE.match(line) and title_index is None:
            issuers.append(mention(text, s.start, s.end))
        elif (title_index is None and TITLE_END_RE.search(line) and "《" not in line and len(line) <= MAX_TITLE
              and not FIELD_LINE_RE.match(line)
              and not (meta.BREADCRUMB_RE.search(line) and meta.without_site_prefix(line) == line)):
            title_index = i
    if title_index is not None:
        title = mention(text, rest[title_index].start, rest[title_index].end)
        if not title_override:  # a title split over lines: 静安区全力打响“上海服务”品牌 / 加快建设…三年行动计划
            got = meta.title_line(text, rest, title_index)
            if got and got[0].span.start < title.span.start:
                title = got[0]
                inferred.append(meta.Found("title", title.text, got[0].span, "a title split over lines, joined"))
        if period is None:
            pm = PERIOD_RE.search(title.text)
            period = (int(pm.group(1)), int(pm.group(2))) if pm else None
        label = (meta.LABEL_PREFIX_RE.match(title.text) or meta.SIGNED_RE.match(title.text) or meta.BULLET_RE.match(title.text)
                 or meta.TAG_PREFIX_RE.match(title.text))  # 【民生实事】关于下达…的通知: the site's tag before the title
        if not label and meta.without_site_prefix(title.text) != title.text:  # 政务服务丨…: the site's column before the title
            label = re.match(r".*?(?=" + re.escape(meta.without_site_prefix(title.text)) + ")", title.text)
        if label:  # 发文标题: … / 临海市发展和改革局 临海市科学技术局 2022年6月7日 临海市…规划 (the 落款 run into the title)
            title = mention(text, title.span.start + label.end(), title.span.end) or title
            inferred.append(meta.Found("title", title.text, title.span, "the title line, without what stands before it"))
    elif not title_override:
        found = meta.find_title(text, [s for k, s in enumerate(rest) if k not in header] if header else rest, opening)
        if found:
            found = _with_issuer_line_above(text, rest, _with_quoted_line_above(text, rest, found))
            title, years = found.value
            inferred.append(meta.Found("title", title.text, found.span, found.how))
            if period is None and years:
                period = years
    if period is None and not period_override and (title or title_override):
        found = meta.find_period(text, title_override or title.text, rest, body)
        if found:
            period = found.value
            inferred.append(found)
    if title_override and (title is None or title.text != title_override):
        first = front[0] if front else all_text_span(text)
        warnings.append(Warning(f"title given on the command line: {title_override}", first))
        title = Mention(title_override, first)
    if period_override:
        period = period_override
    if title is None:
        raise NoTitleFound(
            "no plan title found before the first section (a line ending in 计划/规划/方案/…, or the 《…》 of a notice "
            "that issues it); if the text states none, give it with --title",
            Location.in_text(text, front[0].start if front else 0, path),
        )
    if period is None:  # no year in the text: the plan is read without a period, none is invented
        warnings.append(Warning("no plan period found (no '(2021—2023年)', 到2025年, date of issue or document number): the plan is "
                                "read without one (no years are invented); give it with --year-from/--year-to if it is known",
                                title.span))
        inferred.append(meta.Found("period", None, title.span, "none: the text states no year"))
    elif period[0] > period[1]:
        raise ExtractionError(f"the plan period {period[0]}—{period[1]} runs backwards", Location.in_text(text, title.span.start, path))
    if not issuers:  # the 落款 after the notice: 中共甘南州委办公室   甘南州人民政府办公室
        for s in rest:
            names = [m for m in re.finditer(r"\S+", s.of(text)) if ISSUER_RE.match(m.group())]
            if names and len(names) == len(s.of(text).split()) and s.end <= title.span.start:
                issuers = [Mention(m.group(), Span(s.start + m.start(), s.start + m.end())) for m in names]
                inferred.append(meta.Found("issuer", "、".join(m.text for m in issuers), s, "the 落款 of the notice"))
                break
    after_title = [s for s in rest if s.start > title.span.end and not WRAPPED_RE.fullmatch(s.of(text))]
    preamble = mention(text, after_title[0].start, after_title[-1].end) if after_title else None
    return title, period, addressees, issuers, notes, preamble


def header_lines(text: str, lines: list[Span]) -> set[int]:
    """The indexes of ``lines`` that make a table's header given one cell a line: in a run of short lines without a
    sentence (each a cell), from the first that is a column's name to the last that names one, four lines or more,
    three or more of them naming a column (a task's, a unit's, a deadline's or another known one), one a unit column;
    none when there is no such run."""
    from .tablecells import unit_role
    from .tableheads import _column_name, _header_cell, is_column_head

    cells = [s.of(text).strip(" \t\u3000|") for s in lines]
    out: set[int] = set()
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and _header_cell(cells[j]):
            j += 1
        # from its first line that is a column's name as such (任务, 责任单位: not a caption 重点任务与责任分解表 above)
        first = next((k for k in range(i, j) if is_column_head(cells[k])), j)
        named = [k for k in range(first, j) if _column_name(re.sub(r"\s+", "", cells[k]))]
        if named and named[-1] - first >= 3 and len(named) >= 3 and any(unit_role(cells[k]) for k in named):
            out.update(range(first, named[-1] + 1))
        i = max(j, i + 1)
    return out


def _with_quoted_line_above(text: str, lines: list[Span], found):
    """A title line of the genre's words only (重点任务与责任分解表) under a line that is the 《…》 of the plan it serves, alone
    (《…行动纲要(2018—2020年)》): the two lines are the title, as any title broken over two lines is, and its years those
    the quoted name states."""
    from . import metadata as meta

    title, years = found.value
    at = next((k for k, s in enumerate(lines) if s.start <= title.span.start < s.end), None)
    if at is None or at == 0 or title.span.start != lines[at].start + len(lines[at].of(text)) - len(lines[at].of(text).lstrip()):
        return found
    above = lines[at - 1].of(text).strip()
    if not meta.GENRE_ONLY_RE.fullmatch(title.text) or not re.fullmatch(r"《[^《》\n]{4,80}》", above):
        return found
    start = lines[at - 1].start + lines[at - 1].of(text).index(above)
    joined = Mention(above + title.text, Span(start, title.span.end))
    r = meta.RANGE_RE.search(above)
    return meta.Found("title", (joined, years or ((int(r.group(1)), int(r.group(2))) if r else None)), found.span,
                      found.how + ", joined with the 《…》 on the line above it")


def _with_issuer_line_above(text: str, lines: list[Span], found):
    """The notice's own title (关于2025年重点工作及责任分解的通知, the tasks in it) under a line that is only its issuer's
    name (芜湖市人民政府): the issuer is the title's, as it is when the page keeps both on one line (X人民政府关于…的通知)
    and as a bureau's line above is joined (延安市科学技术局 / 关于…)."""
    from . import metadata as meta

    title, years = found.value
    if not found.how.startswith("the notice's own title") or not title.text.startswith("关于"):
        return found
    at = next((k for k, s in enumerate(lines) if s.start <= title.span.start < s.end), None)
    if not at or text[lines[at].start:title.span.start].strip():
        return found
    above = lines[at - 1].of(text).strip()
    if not meta.ORG_LINE_RE.match(above):
        return found
    start = lines[at - 1].start + lines[at - 1].of(text).index(above)
    return meta.Found("title", (Mention(above + title.text, Span(start, title.span.end)), years), found.span,
                      found.how + ", with the issuer's name on the line above it")


def all_text_span(text: str) -> Span:
    line_end = text.find("\n")
    return Span(0, line_end if line_end > 0 else len(text))
