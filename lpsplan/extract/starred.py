"""A task table's unit cells marked with ★: a page that flattened its table one cell a line (cells closed by |) writes
★区发改委、统计局 on a line of its own — the units of the task before it, the ★ marking the one that leads."""

from __future__ import annotations

import re

from ..records import Span, UnitMention
from .names import EACH_UNIT_RE, UNIT_NAME_RE, _each_of, _joined
from .text import split_top

STARRED_RE = re.compile(r"^[ \t\u3000]*★[ \t\u3000]*([^\n★|]{2,200}?)[ \t\u3000|]*$", re.MULTILINE)


def starred_cells(text: str, start: int, end: int) -> list[tuple[Span, list[UnitMention]]]:
    """Every ★ cell in ``text[start:end]`` whose parts are all written as units' names are (not ★城镇新增就业(人), an
    indicator a table stars): the first leads, the others support it."""
    out = []
    for m in STARRED_RE.finditer(text, start, end):
        names = [n for listed in _each_of(text, split_top(text, m.start(1), m.end(1), "、,,;;")) for n in _joined(text, listed)]
        if names and all(UNIT_NAME_RE.fullmatch(n.text) or EACH_UNIT_RE.fullmatch(n.text) for n in names):
            out.append((Span(m.start(), m.end(1)), [UnitMention(n.text, n.span, "lead" if i == 0 else "support")
                                                    for i, n in enumerate(names)]))
    return out
