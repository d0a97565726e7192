"""Numeric targets: ``全社会R&D经费支出占GDP比重力争达1.4%以上`` → indicator, value,
unit as written, comparator, commitment, deadline.

Targets are first read from the objectives; a task that restates one (same value
and unit, a matching indicator) is linked to the same target, not a copy.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from difflib import SequenceMatcher

from ..records import Ref, Span, Target, TargetStatement
from .text import has_words, mention

UNITS = ["万千瓦时", "亿千瓦时", "万千瓦", "千瓦", "亿立方米", "万立方米", "微克/立方米", "微克每立方米", "立方米", "万亿元", "亿美元",
         "万美元", "美元", "亿元", "万元", "亿斤", "万吨", "千米", "公里/平方公里", "平方公里", "公里", "万平方米", "平方米",
         "万亩", "万头", "万只", "万户", "万人次", "万人", "万辆", "亩", "%", "个百分点", "个", "家", "件", "名", "人次", "人", "项",
         "户", "座", "所", "套", "栋", "条", "处", "床", "辆", "元", "吨"]
_UNIT = "|".join(map(re.escape, UNITS))
# a number of more than 15 digits (either side of the point) is no target: 10^400 is infinite as a float and
# beyond the store's decimal arithmetic, and its chart could not be drawn (observations stop at 10^15 too)
TARGET_RE = re.compile(
    r"(?P<soft>力争)?(?P<verb>达到|达|超过|突破|提高到|提升到|控制在)?"
    r"(?<![\d.A-Za-z])(?P<value>\d{1,15}(?:\.\d{1,15})?)(?:\s*[—–~至到]\s*(?P<upper>\d{1,15}(?:\.\d{1,15})?))?(?P<unit>" + _UNIT + r")"
    r"(?P<cmp>以上|以下|左右|以内)?"
)
MAGNITUDE_RE = re.compile(r"(?P<value>[十百千万])亿(?:元)?级(?P<noun>[^,,。;;、\n]{1,20})")
MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10000}
BLANK_RE = re.compile(r"(?:达到|达|超过|控制在)[ \t\u3000]+(?:" + _UNIT + r")")
DEADLINE_RE = re.compile(r"到\s*(\d{4})\s*年")
BOUNDARY = ",,。;;:\n"
# a count a task commits to without 达到/以上: 建设省院士工作站2个, 新增国家级高新技术企业3家, 全年新增注册企业10000家,
# 城镇新增就业14万人, 实现社会消费品零售总额1600亿元 (also after a year's plan: 2017年度计划实施170878户, and 培训 a count
# of people: 培训家政服务人员1万人次); the verb stands anywhere in the words since the last boundary, before the count
COMMIT_VERBS = ("新建|建设|建成|新增|培育|创建|争创|认定|引进|组建|打造|实施|完成|举办|招引|培训|增加|开工|改造|提供|"
                "实现|安置|新辟|投放|安装|解决|减少|帮助|发放|建立|设立|力争|确保")
BUILD_RE = re.compile(f"(?:{COMMIT_VERBS})")
# words of what is done, not promised (a progress report: 目前已完成…, 累计完成…), or of a part of a number already
# stated (其中东营区完成26866户、河口区完成6445户): a count after them is no target
DONE_RE = re.compile(r"已|累计|目前|截至|截止|其中|实际完成")


def commits(head: str, lead: str = "") -> bool:
    """Whether the words before a bare count (``head``: since the last boundary, its 到20XX年 taken out) commit to it:
    a verb of commitment, and nothing :func:`goes_on` refuses."""
    return BUILD_RE.search(head) is not None and goes_on(head, lead)


def goes_on(head: str, lead: str = "") -> bool:
    """Whether a bare count may carry a commitment: not what is done already, nor a part of a total — after 其中:
    (``lead``: the characters just before the boundary) or inside brackets opened in the head (安置点6个(西秀区1个、…))."""
    return head.rfind("(") <= head.rfind(")") and not lead.rstrip(BOUNDARY + " ").endswith("其中") and DONE_RE.search(head) is None


# 2023年12月底前完成: the deadline of what the clause commits to
BEFORE_RE = re.compile(r"(\d{4})\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?前")
GROWTH_RE = re.compile(r"^(年均|年平均|每年)?(增长|增速|提高|下降|降低|减少)率?$")
COMPARATORS = {"以上": "≥", "以下": "≤", "以内": "≤", "左右": "≈"}


def _comparator(m: re.Match[str]) -> str:
    if m.group("upper"):
        return "range"
    if m.group("cmp"):
        return COMPARATORS[m.group("cmp")]
    return ">" if m.group("verb") in ("超过", "突破") else "="


def _statements(text: str, where: Ref, span: Span, default_deadline: int):
    """Yield (indicator, match, deadline, mention) for each numeric statement in a span.  What each statement needs from
    the text before and after it (the last boundary, the last 到20XX年, the sentence's end, a 2023年底前 in it) is read
    once for the span, not from the span's start or to its end for each statement (a long paragraph of numbers)."""
    boundary, scanned = span.start - 1, span.start  # the last boundary character before ``scanned`` (or before the span)
    deadlines = [(d.end(), int(d.group(1))) for d in DEADLINE_RE.finditer(text, span.start, span.end)]
    deadline_ends = [end for end, _ in deadlines]
    stops = [s.start() for s in _SENTENCE_STOP.finditer(text, span.start, span.end)]
    before_in: dict[int, tuple[int, re.Match[str] | None]] = {}  # a sentence's end → (searched from, the first 2023年底前 found)
    stated_in = -1  # the end of the sentence of the last statement yielded
    for m in TARGET_RE.finditer(text, span.start, span.end):
        for b in _BOUNDARY_RE.finditer(text, scanned, m.start()):
            boundary = b.start()
        scanned = max(scanned, m.start())
        head_start = max(boundary + 1, span.start)
        head = text[head_start : m.start()]
        stop = bisect_left(stops, m.end())
        sentence_end = stops[stop] if stop < len(stops) else span.end
        if not (m.group("verb") or m.group("cmp") or m.group("soft") or m.group("upper")) and m.group("unit") not in ("%",):
            # a bare count such as "2家" in running text is not a target, unless the clause builds it (建设省院士工作站2个)
            # or it goes on a sentence that already stated one (新增托位1140个,普惠托位685个)
            lead = text[max(span.start, head_start - 4): head_start]
            if not (commits(DEADLINE_RE.sub("", head), lead) or (stated_in == sentence_end and goes_on(head, lead))) \
                    or text[m.end(): m.end() + 1] in ("万", "亿"):
                continue
        last = bisect_right(deadline_ends, m.start())  # the 到20XX年 that end before the statement: the last counts
        deadline = deadlines[last - 1][1] if last else default_deadline
        searched, before = before_in.get(sentence_end, (sentence_end + 1, None))
        if not searched <= head_start <= (before.start() if before else sentence_end):
            before = BEFORE_RE.search(text, head_start, sentence_end)  # 2023年12月底前完成
            before_in[sentence_end] = (head_start, before)
        if before and not last:
            deadline = int(before.group(1))
        head = DEADLINE_RE.sub("", head).lstrip(",, ")  # noqa: B005 - a set of characters
        if not has_words(head):
            continue
        stated_in = sentence_end
        yield head.strip(), m, deadline, mention(text, head_start, m.end())


_BOUNDARY_RE = re.compile("[" + re.escape(BOUNDARY) + "]")
_SENTENCE_STOP = re.compile("[。;;\n]")


def _similar(a: str, b: str) -> bool:
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.6


def extract_targets(text: str, objectives: list[tuple[Ref, Span]], others: list[tuple[Ref, Span]], deadline: int | None) -> list[Target]:
    targets: list[Target] = []
    for where, span in objectives:
        previous: Target | None = None
        for indicator, m, year, stated in _statements(text, where, span, deadline):
            growth_of = None
            if GROWTH_RE.match(indicator) and previous is not None:
                growth_of = previous.number
                indicator = previous.indicator + indicator
            statement = TargetStatement(where, stated, _comparator(m), "aspirational" if m.group("soft") else "stated")
            target = Target(
                number=len(targets) + 1,
                indicator=indicator,
                value=Decimal(m.group("value")),
                unit=m.group("unit"),
                comparator=statement.comparator,
                commitment=statement.commitment,
                deadline=year,
                statements=[statement],
                growth_of=growth_of,
                upper=Decimal(m.group("upper")) if m.group("upper") else None,
            )
            targets.append(target)
            previous = target
    by_value: dict = {}  # (value, unit, deadline) → targets: a restatement is looked up, not searched for
    for t in targets:
        by_value.setdefault((t.value, t.unit, t.deadline), []).append(t)
    for where, span in others:
        for indicator, m, year, stated in _statements(text, where, span, deadline):
            statement = TargetStatement(where, stated, _comparator(m), "aspirational" if m.group("soft") else "stated")
            value, unit = Decimal(m.group("value")), m.group("unit")
            same = [t for t in by_value.get((value, unit, year), []) if _similar(t.indicator, indicator)]
            if same:
                target = same[0]
                target.statements.append(statement)
                if (statement.comparator, statement.commitment) != (target.comparator, target.commitment):
                    target.notes.append(f"{_where_zh(where)}表述为“{stated.text}”")
            else:
                targets.append(
                    Target(len(targets) + 1, indicator, value, unit, statement.comparator, statement.commitment, year, [statement],
                           upper=Decimal(m.group("upper")) if m.group("upper") else None)
                )
                by_value.setdefault((value, unit, year), []).append(targets[-1])
    for where, span in [*objectives, *others]:
        for m in MAGNITUDE_RE.finditer(text, span.start, span.end):
            stated = mention(text, m.start(), m.end())
            targets.append(Target(len(targets) + 1, m.group("noun").strip(), Decimal(MAGNITUDES[m.group("value")]), "亿元级", "≈",
                                  "stated", deadline, [TargetStatement(where, stated, "≈", "stated")]))
    return targets


def blanks(text: str, spans: list[Span]) -> list[Span]:
    """Places where a target's number seems to have been lost (e.g. '达到 家'): reported, never guessed."""
    return [Span(m.start(), m.end()) for span in spans for m in BLANK_RE.finditer(text, span.start, span.end)]


def _where_zh(ref: Ref) -> str:
    names = {"task": "重点任务", "domain": "重点领域", "measure": "保障措施", "objective": "工作目标", "section": "第"}
    return f"{names.get(ref.kind, ref.kind)}第{ref.ordinal}项"
