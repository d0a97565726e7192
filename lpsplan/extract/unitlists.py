"""Reading the list of units an annotation names, and what else it states.

``parse_units`` cuts an annotation's text (between its brackets, or on its labelled line) into its
pieces and gives each unit's name with its role (the label before it, or the role word after it),
leaving out what names no unit: a remark, a deadline, another field.  ``stated_deadline`` reads
whether the annotation states when, and the year it names.  ``damaged`` is the one rule for an
annotation that cannot be read: refused when strict, else a warning and the rest read.
"""

from __future__ import annotations

import re

from ..errors import ExtractionError, Location
from ..records import Mention, Span, UnitMention, Warning
from .annotationforms import (
    FIRST_LEADS_RE,
    LABEL_RE,
    LEADER_RE,
    OTHER_FIELD_RE,
    PIECE_ROLE_RE,
    PIECE_SEPARATORS,
    RIDER_RE,
    SPACED_FIELD_RE,
    SPACED_WHEN_RE,
    TRAILING_REMARK_RE,
    UNIT_FIELD_RE,
)
from .names import (
    ET_CETERA,
    ROLE_MARK_RE,
    YEAR_IN_RE,
    _each_of,
    _joined,
    _spaced,
    _without_et_cetera,
    is_time_piece,
    label_role,
    mark_role,
)
from .text import follows, mention, split_top


def damaged(exc: ExtractionError, span: Span, warnings: list[Warning] | None, strict: bool) -> None:
    """A damaged annotation: refused when strict, else a warning (with its place) and the rest is read."""
    if strict or warnings is None:
        raise exc
    warnings.append(Warning(f"damaged annotation, not read: {exc.message}", span))


LINE_BREAK_RE = re.compile(r"\s*\n\s*")


def _unwrapped(name: str) -> str:
    """A unit's name as written, without the line break a page put inside it (县自然资\n源局 → 县自然资源局)."""
    return LINE_BREAK_RE.sub("", name) if "\n" in name else name


def parse_units(text: str, start: int, end: int, path: str) -> list[UnitMention]:
    """The units named in an annotation (between its brackets, or on its line), each with its role.
    A remark after the units' sentence (…按职责分工负责。具体任务均涉及…,下同。) names none; nor does a
    piece that says when (6月底完成, 完成时限:2023年底).  X、Y分别牵头 / X牵头,Y配合: a role word at the end
    of a piece is the role of the pieces since the last one — but not of a unit a label named lead or support
    (牵头单位:X,Y配合: X leads), unless a semicolon started the unit's part (牵头单位:X;Y、Z配合: Y and Z support).
    Units joined by 及/和/与 are two units."""
    units: list[UnitMention] = []
    role = "unspecified"
    since = 0  # the first unit the next role word at a piece's end speaks for
    fresh: int | None = None  # the first unit of a part after a semicolon with no label of its own: its role word overrides
    people = False  # after a label of people (牵头领导:…), until a label of units
    stop = _first_sentence_end(text, start, end)
    for piece in _each_of(text, split_top(text, start, stop, PIECE_SEPARATORS)):  # 各县、市、区政府: one unit
        written, span = piece.text, piece.span
        remark = TRAILING_REMARK_RE.search(written)  # 市卫生健康委(除标注…外,列第一位为牵头单位,下同): a unit, then a remark
        if remark and remark.start() >= 2:
            rest = mention(text, span.start, span.start + remark.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        marked = ROLE_MARK_RE.search(written)  # 市发改委(牵头): the unit's own role, in a bracket after its name
        if marked and marked.start() >= 2:
            rest = mention(text, span.start, span.start + marked.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        if RIDER_RE.search(written) or FIRST_LEADS_RE.search(written):
            if units:
                break  # a rider, and the remark that goes with it, not units: see has_rider
            continue
        if LEADER_RE.match(written):
            people = True  # 牵头领导:张三、李四: people, up to the next label of units
            continue
        label = LABEL_RE.match(written) or UNIT_FIELD_RE.match(written)
        if not label and OTHER_FIELD_RE.match(written) and not is_time_piece(written):
            people = True  # 项目:平台建设: no units, up to the next label of units
            continue
        if people and not label:
            continue
        people = False
        if label:
            role = label_role(label.group(1))
            since = len(units)
            rest = mention(text, span.start + label.end(), span.end)
            if rest is None:
                continue
            written, span = rest.text, rest.span
        other = SPACED_FIELD_RE.search(written)
        if other and other.start() >= 2:  # 市科技局 项目:平台建设 / 市科技局 完成时限:…: the unit, then another field
            rest = mention(text, span.start, span.start + other.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
            people = True
        if is_time_piece(written):
            continue  # when, not who: read by stated_deadline
        when = SPACED_WHEN_RE.search(written)  # 市发改委 2023年底前完成: the unit, then when after a space
        if when and when.start() >= 2 and is_time_piece(when.group(1)):
            rest = mention(text, span.start, span.start + when.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        et = ET_CETERA.search(written)  # 市卫生健康委等,各县(市、区)政府: the 等 closes a list, it is no part of the name
        if et and et.start() >= 2:
            rest = mention(text, span.start, span.start + et.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        piece_role = role
        if label:
            fresh = None
        elif follows(text, piece.span.start, ";\uff1b"):
            since = fresh = len(units)  # 牵头单位:X;Y、Z配合: a part of its own, its role word speaks for Y and Z alone
        said = PIECE_ROLE_RE.search(written)  # X、Y分别牵头 / Z配合: the role of this piece and those before it since the last
        if said and said.start() >= 2:
            piece_role = "lead" if said.group("word") in ("牵头", "主办") else "support" if said.group("word") else role
            # …but not of units a label named lead or support in the same part (牵头单位:X,Y配合: X still leads)
            units[since:] = [UnitMention(u.written, u.span, piece_role if u.role == "unspecified" or (fresh is not None and i >= fresh)
                                         else u.role) for i, u in enumerate(units[since:], since)]
            rest = mention(text, span.start, span.start + said.start())
            written, span = (rest.text, rest.span) if rest else (written, span)
        if marked and marked.start() >= 2:
            piece_role = mark_role(marked)
        for spaced in _spaced(text, Mention(written, span)):
            for name in _joined(text, spaced):
                if name is not spaced:  # X等省直有关部门和Y: the 等 closes a list before the 和
                    name = _without_et_cetera(text, name)
                    if name is None:
                        continue
                units.append(UnitMention(_unwrapped(name.text), name.span, piece_role))  # (园区党工\n委: one name)
        if said and said.start() >= 2:
            since = len(units)
    if not units:
        raise ExtractionError("the annotation names no responsible unit", Location.in_text(text, start - 1, path))
    return units


def stated_deadline(annotation: str) -> tuple[bool, int | None]:
    """Whether an annotation states when (a piece such as 6月底完成 / 完成时限:2023年底), and the year it names."""
    inner = annotation.strip()[1:-1] if annotation.strip()[:1] in "((〔[［【" else annotation
    for part in re.split(r"[,,;;、。]|(?=" + SPACED_FIELD_RE.pattern + ")", inner):  # 市科技局 完成时限:…: a part of its own
        part = part.strip(" \t\u3000")
        label = LABEL_RE.match(part)
        if label:
            part = part[label.end():].strip()
        when = SPACED_WHEN_RE.search(part)  # 市科技局 2023年底前完成: the unit, then when after a space
        if when and when.start() >= 2 and is_time_piece(when.group(1)):
            part = when.group(1)
        if part and is_time_piece(part):
            year = YEAR_IN_RE.search(part)
            return True, int(year.group(1)) if year else None
    return False, None


def _first_sentence_end(text: str, start: int, end: int) -> int:
    """Where the units' sentence ends: the first 。 outside brackets that no label of units follows (牵头单位:X。配合单位:Y:
    one sentence a label), else ``end``."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "((〔[【":
            depth += 1
        elif ch in "))〕]】":
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0 and not LABEL_RE.match(text, i + 1, end):
            return i
    return end
