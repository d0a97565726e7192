"""Headings that name the lead of the tasks under them, as task divisions by leader give them
(``(一)省监察厅牵头的工作`` with the tasks and a ``协同单位:…`` line below; ``一、县示范区管委会牵头工作(8项)``).
The unit the heading names leads each task under it: it opens the units of each annotation there (the 协同单位 line
then adds the supports), and a task under it with no annotation of its own gets the heading's unit alone.
Also an item's heading that is its task and its labelled lead (``1、学前教育促进,牵头单位:市教体局。其中,…``, the
body the page's progress notes): the task is the clause, the label and units its annotation."""

from __future__ import annotations

import re

from ..records import Clause, Mention, Span, UnitMention
from .duties import _is_unit
from .text import has_words, mention

# the units, the role word, (的)工作 / 任务 / 事项, and a count of them in brackets (8项)
_HEADING_RE = re.compile(r"(?P<units>[^,,。;;::()()]{2,40}?)(?:牵头|主办)(?:的|负责的)?(?:工作|任务|事项)"
                         r"(?:[((][^()()]{1,10}[))])?[ \t\u3000。::]*$")


# (二)省审计厅牵头的工作 强化审计监督,…: in a page run into one line the heading's words end at a space before the task
_RUN_ON_RE = re.compile(r"([^ \t\u3000]{2,60}?(?:工作|任务|事项))[ \t\u3000]+\S")


# an item's heading that is its task and then its labelled lead (1、学前教育促进,牵头单位:市教体局。其中,…): the page's
# progress notes follow in the body, the task and its annotation are the heading's two parts
_LABELLED_RE = re.compile(r"(?P<task>[^,\uff0c。;\uff1b::]{2,60})[,\uff0c](?P<label>牵头单位|牵头部门|责任单位|责任部门)[::]"
                          r"(?P<units>[^,\uff0c。;\uff1b::()()]{2,80})")


def _labelled_heading(text: str, item) -> Clause | None:
    """The clause of an item whose heading is its task and its labelled lead (学前教育促进,牵头单位:市教体局), or None."""
    title = mention(text, item.title.span.start, item.title.span.end, strip=" \t\u3000。")
    m = _LABELLED_RE.fullmatch(title.text) if title is not None else None
    if not m:
        return None
    role = "lead" if "牵头" in m.group("label") else "unspecified"
    units, pos = [], title.span.start + m.start("units")
    for name in m.group("units").split("、"):
        if not _is_unit(name):
            return None
        units.append(UnitMention(name, Span(pos, pos + len(name)), role))
        pos += len(name) + 1
    at = title.span.start
    task = Mention(m.group("task"), Span(at + m.start("task"), at + m.end("task")))
    # the annotation from the comma on: the task's text ends where it begins
    return Clause(item.ref, 1, task, Mention(text[task.span.end:at + m.end("units")], Span(task.span.end, at + m.end("units"))),
                  units)


# mis-decoded text: the replacement character, and what its bytes become when decoded again (锟斤拷)
_GARBLED_RE = re.compile("\ufffd|锟斤拷")


def _heading_units(text: str, title: Mention) -> list[UnitMention] | None:
    """The units a heading names as the lead of what it holds (X、Y牵头的工作 → X, Y), or None."""
    m = _HEADING_RE.fullmatch(title.text.strip())
    if not m and (run := _RUN_ON_RE.match(title.text.strip())):  # a page run into one line: the heading, a space, its task
        m = _HEADING_RE.fullmatch(run.group(1))
    if not m:
        return None
    start = title.span.start + (len(title.text) - len(title.text.lstrip())) + m.start("units")
    out = []
    pos = start
    for name in re.split(r"[、和]", m.group("units")):
        at = text.find(name, pos, title.span.end)
        if not name or at < 0 or not _is_unit(name):
            return None
        out.append(UnitMention(name, Span(at, at + len(name)), "lead"))
        pos = at + len(name)
    return out


def heading_led_clauses(text: str, sections, items, clauses: list[Clause]) -> list[Clause]:
    """The heading's lead given to the clauses of the items under it (an item's own heading first, else its
    section's, or that of an item before it in its section whose heading names a lead and holds nothing else), and a
    clause for each item whose own heading names the lead and that has none: its body, with the heading as its
    annotation.  (An item under such a section heading that names no unit of its own is left: the
    section's heading stands too far from it to be its annotation.)"""
    section_leads = {s.ordinal: units for s in sections if (units := _heading_units(text, s.title))}
    by_item: dict = {}
    for c in clauses:
        by_item.setdefault(c.container, []).append(c)
    out: list[Clause] = []
    carried: tuple[int, list[UnitMention]] | None = None  # a lead heading with nothing under it: the items after it are
    last_own: tuple[int, list[UnitMention]] | None = None
    for item in items:
        if not by_item.get(item.ref) and (labelled := _labelled_heading(text, item)) is not None:
            out.append(labelled)
            continue
        own_heading = _heading_units(text, item.title)
        garbled_lead = None  # a garbled line read as an item's number: the tasks after it are still those of the lead before
        if own_heading is None and _GARBLED_RE.search(item.title.text) and last_own and last_own[0] == item.section:
            garbled_lead = last_own[1]
        elif own_heading:
            last_own = (item.section, own_heading)
        if carried and (carried[0] != item.section or own_heading):
            carried = None
        body = mention(text, max(item.body.start, item.title.span.end), item.body.end)
        if own_heading and (body is None or not has_words(body.text)):
            carried = (item.section, own_heading)  # its tasks stand as items of their own (or a garbled line took them)
            continue
        leads = own_heading or garbled_lead or (carried[1] if carried else None) or section_leads.get(item.section)
        if not leads:
            continue
        own = [c for c in by_item.get(item.ref, []) if not c.inherited_from]
        for c in own:
            written = {u.written for u in c.units}
            if not any(u.role == "lead" for u in c.units) and not any(u.written in written for u in leads):
                c.units[:0] = leads
        if not own and own_heading:  # the heading, its units first, is the annotation of the body after it
            heading = mention(text, own_heading[0].span.start, item.title.span.end)
            if body is not None and heading is not None:
                out.append(Clause(item.ref, 1, body, heading, list(own_heading)))
    return out
