"""Annotations written as labelled lines or labelled sentences rather than in brackets.

A run of consecutive lines ``牵头单位:X`` / ``责任单位:Y`` / ``完成时限:…`` is one annotation, as is a
run of labelled sentences after a sentence's end inside a line (…水平。牵头单位:X。责任单位:Y。).
A label left without its value takes the list of units on the next line, and a value a page
wrapped onto the next line (…、 / 各街道党工委) goes on there.
"""

from __future__ import annotations

import re

from ..errors import ExtractionError
from ..records import Span, UnitMention, Warning
from .annotationforms import (
    _FIELDS,
    BARE_LABEL_LINE_RE,
    DEADLINE_RE,
    INLINE_LABEL_RE,
    ITEM_START_RE,
    LABEL_RE,
    LEADER_RE,
    LINE_LABEL_RE,
    TASK_LABEL_RE,
    VALUE_BELOW_RE,
    VALUE_STOP_RE,
)
from .fields import label_after_fields, units_end
from .names import (
    EACH_UNIT_RE,
    UNIT_NAME_RE,
    is_unit_name,
    label_role,
)
from .tablecells import unit_role
from .text import ClosingsOutside, split_top
from .unitlists import damaged, parse_units


def _labelled_lines(text: str, start: int, end: int, path: str, strict: bool = True,
                    warnings: list[Warning] | None = None) -> list[tuple[Span, list[UnitMention]]]:
    """Runs of consecutive labelled lines, each run one annotation."""
    runs: list[list[tuple[int, int]]] = []
    for m in LINE_LABEL_RE.finditer(text, start, end):
        line_end = text.find("\n", m.start(), end)
        line_end = end if line_end < 0 else line_end
        if not text[m.end():line_end].strip():  # 责任单位: / 水务局、城管局: a label whose units the page put on the next line
            line_end = _value_below(text, line_end, end, path)
        else:  # 协办单位:…、园区党工 / 委、各街道党工委: a value the page wrapped inside a unit's name or after a 、
            line_end = _value_wrapped(text, m.end(), line_end, end)
        if runs and text[runs[-1][-1][1]:m.start()].strip() == "":
            runs[-1].append((m.start(), line_end))
        else:
            runs.append([(m.start(), line_end)])
    out = []
    for run in runs:
        units: list[UnitMention] = []
        for s, e in run:
            if DEADLINE_RE.match(text[s:e]) or LEADER_RE.match(text[s:e]):
                continue
            if (task := TASK_LABEL_RE.search(text, s, e)) is not None:
                e = task.start()
            while s is not None:  # a record's fields on the line: the units' values only (see fields.py)
                field = units_end(_FIELDS, text, s, e)
                try:
                    units += parse_units(text, s, e if field is None else field, path)
                except ExtractionError as exc:
                    damaged(exc, Span(s, e), warnings, strict)
                s = None if field is None else label_after_fields(_FIELDS, text, field, e)
        if units:
            out.append((Span(run[0][0], run[-1][1]), units))
    for m in BARE_LABEL_LINE_RE.finditer(text, start, end):  # 责任单位 / 文广旅局: the label's colon lost as well
        below = _value_below(text, m.end(), end, path)
        if below > m.end():
            value = text.index("\n", m.end()) + 1
            role = label_role(m.group(1))
            units = [UnitMention(u.written, u.span, role if u.role == "unspecified" else u.role)
                     for u in parse_units(text, value, below, path)]
            out.append((Span(m.start(1), below), units))
    return out


def _value_below(text: str, line_end: int, end: int, path: str) -> int:
    """The end of the line after a label left without its value (``line_end`` the label's line's end), when that line
    is nothing but a list of units' names (no label, no sentence); else ``line_end``."""
    nxt = VALUE_BELOW_RE.match(text, line_end, end)
    value = nxt.group(1).rstrip(" \t\u3000") if nxt else ""
    if (not value or LINE_LABEL_RE.match(value) or BARE_LABEL_LINE_RE.match(value) or unit_role(value)
            or re.search(r"[::。;;]", value)):  # (牵头单位 / 责任单位, 牵头工作单位: a header's names one a line)
        return line_end
    try:
        units = parse_units(text, nxt.start(1), nxt.start(1) + len(value), path)
    except ExtractionError:
        return line_end
    if units and all(UNIT_NAME_RE.fullmatch(u.written) or EACH_UNIT_RE.fullmatch(u.written) for u in units):
        return nxt.start(1) + len(value)
    return line_end


# the list's separators a labelled value's last piece follows (and a wrapped line's pieces are parted by)
_LIST_SEPARATORS = "、,,;;/\uff0f"


def _value_wrapped(text: str, value_start: int, line_end: int, end: int) -> int:
    """The end of a labelled line's value that a page wrapped onto the next line (``line_end`` the labelled line's end):
    that line's end, when the value ends after a 、 (…、 / 各街道党工委) or in a piece no unit's name ends so that the next
    line's first piece completes one (园区党工 / 委、…), and the next line is nothing but units' names (no label, no item's
    number, no sentence); else ``line_end``."""
    nxt = VALUE_BELOW_RE.match(text, line_end, end) if value_start < line_end < end else None
    if nxt is None:  # (blank lines between: a text with Windows line ends is read with a blank line after each)
        return line_end
    following = nxt.group(1).rstrip(" \t\u3000\r")
    nxt_end = nxt.start(1) + len(following)
    following = following.lstrip(" \t\u3000")
    value = text[value_start:line_end].rstrip(" \t\u3000\r")
    if (not following or not value or len(following) > 120 or LINE_LABEL_RE.match(following) or BARE_LABEL_LINE_RE.match(following)
            or ITEM_START_RE.match(following) or re.search(r"[::。]", value[-1] + following) or unit_role(following)):
        return line_end
    pieces = [p.text for p in split_top(following, 0, len(following), _LIST_SEPARATORS)]
    if not pieces:
        return line_end
    if value[-1] not in "、,,":  # the last name broken: its first part ends the line, the rest opens the next
        last = re.split(rf"[{_LIST_SEPARATORS}]", value)[-1].strip(" \t\u3000")
        if not last or is_unit_name(last) or not is_unit_name(last + pieces[0]):
            return line_end
        pieces = pieces[1:]
    return nxt_end if all(is_unit_name(p) for p in pieces) else line_end


def _labelled_sentences(text: str, start: int, end: int, path: str, strict: bool = True,
                        warnings: list[Warning] | None = None) -> list[tuple[Span, list[UnitMention]]]:
    """Runs of labelled sentences after a sentence's end inside a line (…水平。牵头单位:X。责任单位:Y。),
    each run one annotation; a sentence ends at 。 or the end of its line."""
    out: list[tuple[Span, list[UnitMention]]] = []
    pos = start
    while (m := INLINE_LABEL_RE.search(text, pos, end)) is not None:
        run_start, units, cursor = m.start() + len(m.group()) - len(m.group().lstrip(" \t\u3000")), [], m.start()
        looked: tuple[int, int, re.Match[str] | None] | None = None  # where VALUE_STOP_RE was last looked for, and found
        closings: ClosingsOutside | None = None  # the closing brackets outside, along the sentence read
        while True:
            line_end = text.find("\n", cursor, end)
            line_end = end if line_end < 0 else line_end
            stop = text.find("。", cursor, line_end)
            stop = line_end if stop < 0 else stop
            # (a record's fields move the cursor along one sentence: what was found ahead of it still stands)
            if looked and looked[0] <= cursor + 1 and looked[1] == stop and (looked[2] is None or looked[2].start() > cursor):
                cut = looked[2]
            else:
                cut = VALUE_STOP_RE.search(text, cursor + 1, stop)
                looked = (cursor + 1, stop, cut)
            stop = cut.start() if cut else stop
            if closings is None or not closings.serves(cursor, stop):
                closings = ClosingsOutside(text, cursor, stop)
            closed = closings.first(cursor)  # (详见附件;责任单位:X): the bracket's close ends the value, and the run
            stop = stop if closed is None else closed
            field = units_end(_FIELDS, text, cursor, stop)
            stop = stop if field is None else field
            try:
                units += parse_units(text, cursor, stop, path)
            except ExtractionError as exc:
                damaged(exc, Span(cursor, stop), warnings, strict)
            if field is not None:  # the record's other fields, then maybe the next label of units on the line
                full_stop = text.find("。", field, line_end)
                later = label_after_fields(_FIELDS, text, field, line_end if full_stop < 0 else full_stop)
                if later is None:
                    cursor = field
                    break
                cursor = later
                continue
            cursor = stop + 1 if stop < line_end and not cut else stop
            nxt = LABEL_RE.match(text, cursor, line_end)
            if nxt is None or stop >= line_end or cut or closed is not None:
                break
        if units:
            out.append((Span(run_start, min(cursor, end)), units))
        pos = max(cursor, m.end())
    return out
