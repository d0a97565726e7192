"""A record's fields run into one line: where a labelled value stops naming units.

A page may flatten a record — a task and its fields — into one line, the fields separated by spaces only:
``责任单位:市公安局 项目责任人:王伟标 配合单位:市城管局、市财政局 实际完成情况:…``.  A field another label opens
(any word before a colon, after a space: no unit's name holds a colon) is no part of the units' value; the next label
of units on the same line, after such fields, still belongs to the annotation.  A page may also run a row's other
cells after the units (``配合单位:市公安局、市城管局,各区政府 鄞州 海曙、江东 … 合计 2 5 1 2 10``): a piece after a
space that names no unit ends the value — units a page separated by spaces (市发改委 市财政局, 区政府 高新区) stay units.
Used by the readers of labelled sentences and labelled lines (``annotations``), which give their own patterns.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .names import _ZONE_OR_CUSTOMS, EACH_UNIT_RE, ET_CETERA, LAST_BRACKET_RE, UNIT_NAME_RE, is_time_piece
from .text import has_words

_SPACES_RE = re.compile(r"[ \t\u3000]+")
_PIECE_END_RE = re.compile(r"[ \t\u3000、,,;;。|]")


class FieldRules(NamedTuple):
    label: re.Pattern[str]  # a label of units (责任单位:), spaces before it allowed
    deadline: re.Pattern[str]  # a label of when (完成时限:)
    said: re.Pattern[str]  # a role word closing a piece (…配合)
    other: re.Pattern[str]  # another field's label after spaces (项目责任人:, 实际完成情况:)
    next_label: re.Pattern[str]  # spaces, then a label of units


def field_rules(labels: str, whens: str, label: re.Pattern[str], deadline: re.Pattern[str], said: re.Pattern[str]) -> FieldRules:
    """The patterns, from the alternations of the labels of units (``labels``) and of when (``whens``)."""
    other = re.compile(rf"[ \t\u3000]+(?!(?:{labels}|{whens})[ \t\u3000]*[::])[\u4e00-\u9fff]{{2,8}}[ \t\u3000]*[::]")
    # (the spaces before the next label from their first only: tried from each space of a long run, they took its square)
    next_label = re.compile(rf"(?<![ \t\u3000])[ \t\u3000]+(?=(?:{labels})[ \t\u3000]*[::])")
    return FieldRules(label, deadline, said, other, next_label)


def units_end(rules: FieldRules, text: str, start: int, stop: int) -> int | None:
    """Where the labelled value from ``start`` (its label included) stops naming units before ``stop``: at the spaces
    before another field's label or before a piece that names no unit; None where it names units to ``stop``."""
    label = rules.label.match(text, start, stop)
    at = label.end() if label else start
    for gap in _SPACES_RE.finditer(text, at, stop):
        if not has_words(text[at:gap.start()]):
            continue  # the spaces after the label
        if rules.other.match(text, gap.start(), stop):
            return gap.start()
        after = gap.end()
        if rules.label.match(text, after, stop) or rules.deadline.match(text, after, stop):
            continue
        piece_end = _PIECE_END_RE.search(text, after, stop)
        piece = text[after:piece_end.start() if piece_end else stop]
        if piece[:1] in "((|" or not piece:
            continue  # a unit's other name in a bracket after a space (市商务局 (市口岸办)); cells closed by | (| 市城管局 |)
        et = ET_CETERA.search(piece)  # 市卫健委等: the 等 closes the list
        piece = piece[:et.start()] if et and et.start() >= 2 else piece
        if piece and not (UNIT_NAME_RE.fullmatch(LAST_BRACKET_RE.sub("", piece)) or EACH_UNIT_RE.fullmatch(piece)
                          or _ZONE_OR_CUSTOMS.fullmatch(piece) or rules.said.search(piece) or ET_CETERA.match(piece)
                          or is_time_piece(piece)):
            return gap.start()
    return None


def label_after_fields(rules: FieldRules, text: str, field: int, end: int) -> int | None:
    """After another field at ``field`` (项目责任人:王伟标), where the next label of units starts before ``end``, if one does."""
    if not rules.other.match(text, field, end):
        return None
    nxt = rules.next_label.search(text, field + 1, end)
    return nxt.start() if nxt else None
