"""Responsibility annotations ``(责任单位:…)`` and the clauses they close.

A clause covers the text from the end of the previous annotation (or the start
of its item's body) up to its own annotation; the annotation lists the units in
order.  Labels such as 牵头单位 / 配合单位 give the units that follow a role.
"""

from __future__ import annotations

import re

from ..errors import ExtractionError, Location
from ..records import Clause, Mention, Ref, Span, UnitMention, Warning
from .text import PUNCT, closing_bracket, has_words, mention, split_top

LABELS = {
    "主要责任单位": "unspecified",
    "责任单位": "unspecified",
    "牵头单位": "lead",
    "协同配合单位": "support",
    "配合单位": "support",
    "协办单位": "support",
}
_LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
ANNOTATION_RE = re.compile(rf"[((][ \t\u3000]*(?:{_LABEL})[ \t\u3000]*[::]")
LABEL_RE = re.compile(rf"[ \t\u3000]*({_LABEL})[ \t\u3000]*[::]")
UNIT_SEPARATORS = "、,,;;"


def find_annotations(text: str, start: int, end: int, path: str) -> list[tuple[Span, list[UnitMention]]]:
    """Every annotation in ``text[start:end]`` with the units it lists, in order."""
    found = []
    pos = start
    while True:
        m = ANNOTATION_RE.search(text, pos, end)
        if not m:
            return found
        paragraph_end = text.find("\n", m.start(), end)
        close = closing_bracket(text, m.start(), end if paragraph_end < 0 else paragraph_end, path)
        units = parse_units(text, m.start() + 1, close, path)
        found.append((Span(m.start(), close + 1), units))
        pos = close + 1


def parse_units(text: str, start: int, end: int, path: str) -> list[UnitMention]:
    """The units named between an annotation's brackets, each with its role."""
    units: list[UnitMention] = []
    role = "unspecified"
    for piece in split_top(text, start, end, UNIT_SEPARATORS):
        written, span = piece.text, piece.span
        label = LABEL_RE.match(written)
        if label:
            role = LABELS[label.group(1)]
            rest = mention(text, span.start + label.end(), span.end)
            if rest is None:
                continue
            written, span = rest.text, rest.span
        units.append(UnitMention(written, span, role))
    if not units:
        raise ExtractionError("the annotation names no responsible unit", Location.in_text(text, start - 1, path))
    return units


def clauses_in(text: str, container: Ref, body: Span, path: str, warnings: list[Warning]) -> list[Clause]:
    """Cut a container's body into clauses, one per annotation."""
    clauses: list[Clause] = []
    cursor = body.start
    for number, (span, units) in enumerate(find_annotations(text, body.start, body.end, path), start=1):
        lead = mention(text, cursor, span.start, strip=PUNCT)  # drop the 。 or 、 left by the previous clause
        covered = mention(text, lead.span.start, span.start) if lead else None  # but keep the clause's own end
        if covered is None or not has_words(covered.text):
            raise ExtractionError(
                "this annotation covers no text: nothing stands between it and the previous annotation",
                Location.in_text(text, span.start, path),
            )
        annotation = Mention(span.of(text), span)
        clauses.append(Clause(container, number, covered, annotation, units))
        cursor = span.end
    rest = mention(text, cursor, body.end, strip=PUNCT)
    if clauses and rest is not None and has_words(rest.text):
        warnings.append(Warning(f"text after the last annotation of {container.key} is not covered by any clause", rest.span))
    return clauses


def stray_annotations(text: str, spans: list[Span], path: str, warnings: list[Warning]) -> None:
    """Warn about annotations standing where no clause can be made (front matter, headings)."""
    for span in spans:
        for ann, _ in find_annotations(text, span.start, span.end, path):
            warnings.append(Warning("responsibility annotation outside any item: not made into a clause", ann))
