"""From a plan's text to :class:`~lpsplan.records.PlanRecord`.

>>> from lpsplan.source import read_source
>>> plan = extract_plan(read_source("data/source/liupanshui-sti-action-plan-2021-2023.txt"))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import re

from ..config import DEFAULT_SLUG, SLUG_RE
from ..errors import NoTitleFound
from ..records import PlanRecord, Ref, Span, Warning
from ..source import SourceText
from . import techgroups
from . import technologies as tech
from .annotations import clauses_in, stray_annotations
from .duties import unit_led_clauses
from .headleads import heading_led_clauses
from .rununits import split_units
from .structure import parse_skeleton
from .targets import blanks, extract_targets


def table_clauses(text: str, rows):
    """One clause per task-table row: the task cell, closed by its unit cells."""
    from ..records import Clause, Mention

    return [Clause(ref, 1, row.task, Mention(text[row.annotation.start:row.annotation.end], row.annotation), row.units, row.deadline)
            for ref, row in rows]


def inherited_clauses(text: str, items, clauses):
    """Items that name no units, after a rider in their section, get its units — recorded as inherited."""
    from ..records import Clause
    from .text import mention

    out = []
    by_item = {}
    for c in clauses:
        by_item.setdefault(c.container, []).append(c)
    rider = {}
    for item in items:
        own = by_item.get(item.ref, [])
        riders = [c for c in own if c.rider]
        if riders:
            rider[item.section] = riders[-1]
        elif not own and item.section in rider:
            source = rider[item.section]
            body = mention(text, item.body.start, item.body.end)
            if body is not None:
                out.append(Clause(item.ref, 1, body, source.annotation, list(source.units), source.deadline, source.indicator_type,
                                  inherited_from=source.key))
    return out


def first_leads(text: str, clauses, body_start: int) -> None:
    """列第一位者为牵头单位: stated in the notice, or in an annotation with a rider (…,下同), the rule
    gives the later annotations that state no roles of their own a lead (the unit named first) and
    supports (the others); in one that marks its leads (X、Y牵头,Z、W) the others support them.  A unit named alone leads when the rule says only 牵头 (第一责任单位为牵头单位),
    not when the first may be the one that collects the reports (列第一位为牵头或汇总单位)."""
    from ..records import UnitMention
    from .annotationforms import FIRST_LEADS_RE
    from .annotations import has_rider

    rule_from = None
    only = None  # the rule stated in one annotation without a rider: for that annotation alone
    alone_leads = False  # 第一责任单位为牵头单位: a unit named alone leads; not so under 列第一位为牵头或汇总单位
    for m in FIRST_LEADS_RE.finditer(text):
        says_alone = "或" not in m.group()  # of this statement of the rule: kept only from the one that applies
        if m.start() < body_start:
            rule_from, alone_leads = 0, says_alone
            break
        owner = next((c for c in clauses if c.annotation.span.start <= m.start() < c.annotation.span.end), None)
        if owner is not None and has_rider(owner.annotation.text):
            rule_from, alone_leads = owner.annotation.span.start, says_alone  # the annotation that states it, and those after it
            break
        if owner is not None and only is None:
            only, alone_leads = owner, says_alone
    if rule_from is None and only is None:
        return
    for c in clauses:
        applies = c is only if rule_from is None else c.annotation.span.start >= rule_from
        if applies and (len(c.units) > 1 or (alone_leads and len(c.units) == 1)) and all(u.role == "unspecified" for u in c.units):
            c.units = [UnitMention(u.written, u.span, "lead" if i == 0 else "support") for i, u in enumerate(c.units)]
        elif applies and {u.role for u in c.units} == {"lead", "unspecified"}:
            # (除标注为“牵头”单位外,列第一位的为牵头单位: X、Y牵头,Z、W) the units marked 牵头 lead, the rest support them
            c.units = [u if u.role == "lead" else UnitMention(u.written, u.span, "support") for u in c.units]


OPENING, CLOSING = "((〔[【", "))〕]】"


def cut_at_the_end(text: str) -> Span | None:
    """The bracket the text's last paragraph leaves open — an excerpt cut inside (市殘聯、市財政 —, else None."""
    stripped = text.rstrip()
    start = stripped.rfind("\n") + 1
    depth_at: list[int] = []
    for i in range(start, len(stripped)):
        if stripped[i] in OPENING:
            depth_at.append(i)
        elif stripped[i] in CLOSING and depth_at:
            depth_at.pop()
    if not depth_at or len(stripped) - depth_at[0] < 2:
        return None
    return Span(depth_at[0], len(stripped))


ANNEX_LINE_RE = re.compile("^\\s*附件\\s*\\d*\\s*[:\uff1a]", re.MULTILINE)  # on the text as written: half- or full-width


def extract_plan(source: SourceText, slug: str = DEFAULT_SLUG, title: str | None = None,
                 period: tuple[int, int] | None = None, strict: bool = True) -> PlanRecord:
    """Extract everything the plan states.  Raises ExtractionError on broken input.
    ``title`` and ``period`` stand in when the text does not state them.  ``strict=False``: a
    damaged annotation is a warning (with its place) and the rest of the plan is read.

    A text in traditional characters is matched in simplified form (converted
    character by character, so every offset stays valid) and the records then
    carry the original text back: the graph keeps what the plan wrote."""
    try:
        return _extract_matched(source, slug, title, period, strict)
    except NoTitleFound:
        if strict or title:
            raise
        # Lenient: a text whose plan structure carries responsibility annotations is read under its id as a
        # provisional title, with a warning, rather than losing every annotation for want of a title line.
        # A text that names no unit (a notice's own 一、二、 points, say), or names units only in a notice before its
        # 附件 line (the plan it issues is not in the text), is refused as before.
        plan = _extract_matched(source, slug, slug, period, strict)
        annex = ANNEX_LINE_RE.search(source.text)  # a notice that issues the plan as its 附件: units it names are its own
        if not any(c.units and (annex is None or c.text.span.start > annex.start()) for c in plan.clauses):
            raise
    given = f"title given on the command line: {slug}"
    plan.warnings = [w for w in plan.warnings if w.message != given]
    plan.warnings.insert(0, Warning(f"no plan title found before the first section: read under its id '{slug}' as a "
                                    "provisional title; give the title with --title (--strict refuses such a text)",
                                    plan.title.span))
    return plan


def _extract_matched(source: SourceText, slug: str, title: str | None, period: tuple[int, int] | None,
                     strict: bool) -> PlanRecord:
    """Extract from the text as matched: a text in traditional characters, full-width forms, unusual spaces or
    Windows line ends through a copy of the same length in plain forms; the records then carry the original back."""
    from .traditional import folded, restore, simplified

    matched = without_stray_marks(simplified(folded(source.text)))
    if matched != source.text:
        plan = _extract(SourceText(source.path, matched, source.sha256), slug, title, period, strict)
        return restore(plan, source.text, matched)
    return _extract(source, slug, title, period, strict)


# 未来科技城(海创园)? | 临平新城? |: a page whose spaces came out as ? after each table cell and line
_STRAY_MARK_RE = re.compile(r"(?<=[^\s?|])\?(?=[ \t]*(?:\||$))", re.MULTILINE)


def without_stray_marks(text: str) -> str:
    """The text with a ? that closes a cell or a line as a space, when the page does so three times or more (a real
    question mark closes a sentence now and then, not every cell; same length)."""
    marks = list(_STRAY_MARK_RE.finditer(text))
    if len(marks) < 3:
        return text
    chars = list(text)
    for m in marks:
        chars[m.start()] = " "
    return "".join(chars)


def _extract(source: SourceText, slug: str, title: str | None, period: tuple[int, int] | None, strict: bool = True) -> PlanRecord:
    text, path = source.text, source.path
    sk = parse_skeleton(text, path, title, period)
    warnings = list(sk.warnings)

    containers = [(i.ref, i.body) for i in sk.items]
    containers += [(p.ref, p.span) for p in sk.paragraphs]
    containers += sk.section_leads
    clauses = []
    for ref, body in sorted(containers, key=lambda c: c[1].start):
        clauses += clauses_in(text, ref, body, path, warnings, strict)
    first_leads(text, clauses, sk.sections[0].span.start)
    clauses += inherited_clauses(text, sk.items, clauses)
    clauses += table_clauses(text, sk.table_rows)
    clauses += unit_led_clauses(text, sk.items, sorted(containers, key=lambda c: c[1].start), clauses)
    clauses += heading_led_clauses(text, sk.sections, sk.items, clauses)
    clauses.sort(key=lambda c: c.text.span.start)
    for c in clauses:  # a unit read as one name that is several run together (市海洋渔业局市农业农村局): each its own
        c.units = split_units(c.units)
    front_end = sk.sections[0].span.start
    stray_annotations(text, [sk.title.span.__class__(0, front_end)], path, warnings, strict)
    cut = cut_at_the_end(text)
    if cut is not None and not any(w.message.startswith("damaged") and w.span and w.span.start <= cut.start < w.span.end
                                   for w in warnings):
        warnings.append(Warning("damaged at the end of the text, not read: a bracket opened here is never closed "
                                "(an excerpt cut inside an annotation?)", cut))

    domains = [i for i in sk.items if i.ref.kind == "domain"]
    mentions = []
    by_container: dict = {}
    for c in clauses:
        by_container.setdefault(c.container, []).append(c)
    for domain in domains:
        domain.focus, tech_start = tech.focus_directions(text, domain)
        own = by_container.get(domain.ref, [])
        mentions += tech.technologies_in(text, domain, own, tech_start)
    technologies = techgroups.without_topic_words(text, techgroups.collect(text, mentions))

    objectives = [(p.ref, p.span) for p in sk.paragraphs if p.ref.kind == "objective"]
    objective_sections = {s.ordinal for s in sk.sections if s.kind == "objectives"}
    objectives += [(ref, span) for ref, span in sk.section_leads if ref.ordinal in objective_sections]  # objectives written as plain text
    others = [(i.ref, i.body) for i in sk.items]
    # a section of no known kind whose numbered lines close with their annotations (一、促进就业(3项) / 1.…新增城镇就业4.3万人
    # (牵头单位:市人社局)): its lines are tasks, their numbers targets as a task's are
    led = {c.container for c in clauses if c.units}
    others += [(ref, span) for ref, span in sk.section_leads
               if ref in led and next((s.kind for s in sk.sections if s.ordinal == ref.ordinal), "") in ("other", "tasks")]
    targets = extract_targets(text, objectives, others, sk.period[1] if sk.period else None)
    if sk.period is None:  # no year in the whole text: a target that states none has no deadline to be given, and is not recorded
        for t in [t for t in targets if t.deadline is None]:
            warnings.append(Warning(f"target {t.value}{t.unit} states no year and the plan has no period: not recorded (no year is invented)",
                                    t.statements[0].mention.span))
        targets = [t for t in targets if t.deadline is not None]
        for n, t in enumerate(targets, 1):
            t.number = n
    typed = sorted((c.text.span.start, c.annotation.span.end, c.indicator_type) for c in clauses if c.indicator_type)
    starts = [t[0] for t in typed]
    for target in targets:  # an indicator type in the annotation of the clause that states the target
        for st in target.statements:
            pos = st.mention.span.start
            # clauses do not overlap: only the last one starting at or before pos can hold it
            i = bisect.bisect_right(starts, pos) - 1
            if i >= 0 and pos < typed[i][1] and not target.indicator_type:
                target.indicator_type = typed[i][2]
    for span in blanks(text, [s for _, s in objectives + others]):
        warnings.append(Warning("a number seems to be missing here; the target is not recorded (nothing is guessed)", span))

    issuers, inferred = sk.issuers, sk.inferred
    if not issuers:  # no notice signs it: the title's 国务院关于…, or a cover's name over its year and month
        from . import metadata as meta
        from .text import lines

        got = meta.find_issuer(text, sk.title, [s for s in lines(text) if s.end <= front_end and s.of(text).strip()])
        if got:
            issuers, found = got
            inferred = [*inferred, found]

    return PlanRecord(
        slug=slug,
        title=sk.title,
        period=sk.period,
        addressees=sk.addressees,
        issuers=issuers,
        notes=sk.notes,
        preamble=sk.preamble,
        sections=sk.sections,
        principles=[p for p in sk.paragraphs if p.ref.kind == "principle"],
        objectives=[p for p in sk.paragraphs if p.ref.kind == "objective"],
        domains=domains,
        tasks=[i for i in sk.items if i.ref.kind == "task"],
        measures=[i for i in sk.items if i.ref.kind == "measure"],
        clauses=clauses,
        targets=targets,
        technologies=technologies,
        shared_terms=techgroups.shared_terms(technologies),
        annexes=sk.annexes,
        warnings=warnings,
        topics=techgroups.topics(text, technologies),
        inferred=inferred,
    )


__all__ = ["SLUG_RE", "Ref", "extract_plan"]
