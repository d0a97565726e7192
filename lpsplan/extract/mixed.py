"""Brackets that mix an unlabelled part with labelled ones: ``(市科技局牵头;责任单位:市工信局、市财政局)``,
``(市科技局牵头,配合单位:市工信局)``, ``〔X、Y等按职责分工负责。责任单位:各县(市、区)人民政府。以下…不再列出。〕``.

The bracket opens with no label, so it is not read as a labelled annotation; its label stands inside it.  Each part
is read as it would be read alone — the unlabelled lead (X牵头 / X负责 / X、Y按职责分工负责, a bare list of units, or
a piece that says when) by the reader of unlabelled brackets, the part from the first label on by the reader of labelled ones — and the
units of the two are given in order.  The bracket's closing mark is outside both parts, so it is no part of a name."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import ExtractionError
from ..records import UnitMention
from .bracketlists import bare_units
from .names import is_time_piece
from .text import split_top

Reader = Callable[[int, int], "list[UnitMention] | None"]


def inner_label_at(text: str, start: int, end: int, label: str) -> int | None:
    """Where the first label inside ``text[start:end]`` starts that opens a part after the first (after ; , 。 、 or
    spaces, outside inner brackets), or None.  ``label`` is the pattern of the labels of units."""
    separators = re.compile(rf"[;\uff1b,\uff0c。、]|(?<![ \t\u3000])[ \t\u3000]+(?=(?:{label})[ \t\u3000]*[:\uff1a])")
    opens = re.compile(rf"(?:{label})[ \t\u3000]*[:\uff1a]")
    for part in split_top(text, start, end, separators)[1:]:
        if opens.match(part.text):
            return part.span.start
    return None


def mixed_units(text: str, start: int, end: int, label: str, unlabelled: Reader,
                labelled: Callable[[int, int], list[UnitMention]]) -> list[UnitMention] | None:
    """The units of a bracket's inside ``text[start:end]`` that opens with an unlabelled part and has a labelled one
    after it, in order; None when it has no such label, or its first part is none of: a part read as an unlabelled
    bracket is, a bare list of units' names (read as a bare bracket is), a piece that says when (then the bracket is left to the other readers).
    ``unlabelled(s, e)``: the units of an unlabelled bracket's inside, or None; ``labelled(s, e)``: those of a labelled
    one (raises ExtractionError when it names none)."""
    at = inner_label_at(text, start, end, label)
    if at is None:
        return None
    lead = unlabelled(start, at)
    if lead is None:
        lead = bare_units(text, start, at)  # (市科技局;责任单位:市工信局): units with no role word, as a bare bracket's
    if lead is None:
        pieces = split_top(text, start, at, ";\uff1b,\uff0c。")
        if not pieces or not all(is_time_piece(p.text) for p in pieces):
            return None
        lead = []  # (2023年底前完成;责任单位:X): when, then who
    try:
        rest = labelled(at, end)
    except ExtractionError:
        return None
    return lead + rest
