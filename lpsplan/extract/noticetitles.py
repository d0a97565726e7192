"""A notice's own title where it has no 关于…的: a short line ending in 通知 right above the line of the bodies the notice is
sent to (市民政工作报告通知 / 各县(市)、区人民政府,市人民政府各部门,各有关单位:) — a host's own heading of a notice that is
itself the document (the tasks are in it).  Also a public notice's heading (…整改任务(序号1)整改验收公示, 关于…整改任务销号的
公示): a page that makes known the work done on a plan's tasks, the tasks in it.  And a news page's heading or first
sentence saying a body published the plan (国务院发布落实《政府工作报告》重点工作部门分工意见,… / …网站发布了《…关于印发X的通知》):
the plan it names.  Read by ``metadata.find_title`` only when nothing else names the plan."""

from __future__ import annotations

import re

from ..records import Span

# one of the bodies a notice is sent to (各县区, 市政府各部门, 各有关单位)
ADDRESSEE_RE = re.compile(r"(?:各[\u4e00-\u9fff]{0,10}|[\u4e00-\u9fff]{1,16}(?:单位|部门|科室|处室|股室|政府|委员会|街道|乡镇|局|委|办|厅))")
_SHORT_NOTICE_RE = re.compile(r"[\u4e00-\u9fff“”《》()()]{2,40}通知")
# an addressee with its divisions in a bracket (各县(市)): one body
_BRACKETED_RE = re.compile(r"[\u4e00-\u9fff]{1,4}[((][\u4e00-\u9fff、]{1,8}[))]")


def above_addressees(text: str, spans: list[Span], i: int, joined: str) -> bool:
    """Whether line ``i`` (its words ``joined``) is such a title: a short notice's name, no notice that issues another
    document (印发, 转发), and the next line a list of addressees closed by a colon."""
    if i + 1 >= len(spans) or not _SHORT_NOTICE_RE.fullmatch(joined) or re.search(r"印发|转发|根据|按照", joined):
        return False
    below = spans[i + 1].of(text).strip()
    if not below.endswith((":", ":")):
        return False
    parts = [p.strip() for p in re.split(r"[、,,;;]", below[:-1])]
    return all(ADDRESSEE_RE.fullmatch(p) or _BRACKETED_RE.fullmatch(p) for p in parts if p)


# 沧州市…反馈意见整改任务(序号1)整改验收公示 / 关于第三轮…整改任务销号的公示: a public notice's own heading, no sentence in it
_PUBLIC_NOTICE_RE = re.compile(r"[\u4e00-\u9fff“”《》()()\d]{6,70}(?:公示|公告)")
# a site's column of notices (某某市人民政府网站通知公告, 公示公告): no notice's heading
_COLUMN_RE = re.compile(r"(?:通知|公示|公告)(?:公示|公告)$")


def public_notice_heading(text: str, spans: list[Span]) -> Span | None:
    """The first of the first eight lines that is such a heading (see _PUBLIC_NOTICE_RE), else None."""
    for s in spans[:8]:
        line = s.of(text).strip()
        if _PUBLIC_NOTICE_RE.fullmatch(line) and not line.startswith(("公示", "公告")) and not _COLUMN_RE.search(line):
            return s
    return None


# 发布 / 出台 / 公布, then the plan's name up to the clause's end, or the 《…》 of the notice that issues it
_PUBLISHED_RE = re.compile(r"(?:发布|出台|公布)了?(?:《(?P<quoted>[^《》]{6,100})》|(?P<named>[^,,。;;!?！？\s《》]{2,60}(?:《[^《》]{2,40}》[^,,。;;!?！？\s《》]{0,40})?))"
                           r"(?=[,,。;;!?！？]|$)")


def news_published(text: str, spans: list[Span], genre: re.Pattern[str], notice: re.Pattern[str]) -> tuple[int, int] | None:
    """Where, in the first five lines, a news page names the plan a body published (see _PUBLISHED_RE): the name ending in
    a genre word (``genre``, matched at its end), or what the quoted notice issues (``notice``, 关于印发X的通知); else None."""
    for s in spans[:5]:
        line = s.of(text)
        for m in _PUBLISHED_RE.finditer(line):
            if m.group("named") and genre.search(m.group("named")):
                return s.start + m.start("named"), s.start + m.end("named")
            if m.group("quoted") and (issued := notice.search(m.group("quoted"))) is not None and issued.end() == len(m.group("quoted")):
                at = s.start + m.start("quoted")
                return at + issued.start("title"), at + issued.end("title")
    return None


def news_or_public_notice(text: str, spans: list[Span], genre: re.Pattern[str], notice: re.Pattern[str]) -> tuple[int, int, str] | None:
    """The title a news page names (see news_published), else a public notice's heading (see public_notice_heading): its
    start, its end and how it was found; else None."""
    if (named := news_published(text, spans, genre, notice)) is not None:
        return named[0], named[1], "what a news page says was published (…发布X, / 发布了《…关于印发X的通知》)"
    if (heading := public_notice_heading(text, spans)) is not None:
        line = heading.of(text)
        at = heading.start + len(line) - len(line.lstrip())
        return at, at + len(line.strip()), "a public notice's own heading (…整改验收公示: the tasks are in it)"
    return None
