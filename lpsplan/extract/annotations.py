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
ANNOTATION_RE = re.compile(rf"[((][ \t\u3000]*(?:(?P<kind>预期性|约束性)指标[,,、;;][ \t\u3000]*)?(?:{_LABEL})[ \t\u3000]*[::]")
LABEL_RE = re.compile(rf"[ \t\u3000]*({_LABEL})[ \t\u3000]*[::]")
UNIT_SEPARATORS = "、,,;;"
# a rider: the same units apply to the items that follow (下同 / 以下各项同此 / 不再重复列出)
RIDER_RE = re.compile(r"下同|以下.{0,8}同|不再(?:重复)?列出|同上")
# (X、Y牵头,Z按职责分工负责) — an annotation without a label: every part ends in its role
UNLABELLED_RE = re.compile(r"[((]([^()()\n]{2,300}?)[))]")
ROLE_SUFFIX = re.compile(r"(?:等)?(?:按职责分工负责|分工负责|负责)$|牵头$|(?:协助|协办|配合)$")
# 牵头单位:… / 配合单位:… / 完成时限:… on lines of their own, under a task
LINE_LABEL_RE = re.compile(rf"^[ \t\u3000]*(?:{_LABEL}|完成时限|完成时间)[ \t\u3000]*[::]", re.M)
DEADLINE_RE = re.compile(r"^[ \t\u3000]*(?:完成时限|完成时间)[ \t\u3000]*[::][ \t\u3000]*(.*?)(\d{4})?年?.*$")


def find_annotations(text: str, start: int, end: int, path: str) -> list[tuple[Span, list[UnitMention]]]:
    return [(span, units) for span, units, _ in find_annotations_typed(text, start, end, path)]


def find_annotations_typed(text: str, start: int, end: int, path: str) -> list[tuple[Span, list[UnitMention], str]]:
    """Every annotation in ``text[start:end]`` with the units it lists, in order: labelled
    brackets, unlabelled brackets whose parts end in 牵头/负责/配合, and labelled lines."""
    found = []
    pos = start
    while True:
        m = ANNOTATION_RE.search(text, pos, end)
        if not m:
            break
        paragraph_end = text.find("\n", m.start(), end)
        close = closing_bracket(text, m.start(), end if paragraph_end < 0 else paragraph_end, path)
        kind = m.group("kind") or ""
        units_start = m.end("kind") + len("指标,") if kind else m.start() + 1  # after 预期性指标, when present
        units = parse_units(text, units_start, close, path)
        found.append((Span(m.start(), close + 1), units, kind))
        pos = close + 1
    taken = [f[0] for f in found]
    for m in UNLABELLED_RE.finditer(text, start, end):
        if any(s.start <= m.start() < s.end for s in taken):
            continue
        units = _unlabelled_units(text, m.start(1), m.end(1))
        if units:
            found.append((Span(m.start(), m.end()), units, ""))
    found += [(span, units, "") for span, units in _labelled_lines(text, start, end, path)]
    return sorted(found, key=lambda f: f[0].start)


def _unlabelled_units(text: str, start: int, end: int) -> list[UnitMention] | None:
    parts = split_top(text, start, end, ",,;;")
    if not parts or not all(ROLE_SUFFIX.search(p.text) for p in parts):
        return None
    has_lead = any(p.text.endswith("牵头") for p in parts)
    units = []
    for part in parts:
        suffix = ROLE_SUFFIX.search(part.text)
        role = "lead" if suffix.group().endswith("牵头") else "support" if has_lead or suffix.group() in ("协助", "协办", "配合") else "unspecified"
        names = mention(text, part.span.start, part.span.start + suffix.start())
        if names is None:
            return None
        for name in split_top(text, names.span.start, names.span.end, "、"):
            if not 2 <= len(name.text) <= 40:
                return None
            units.append(UnitMention(name.text, name.span, role))
    return units or None


def _labelled_lines(text: str, start: int, end: int, path: str) -> list[tuple[Span, list[UnitMention]]]:
    """Runs of consecutive labelled lines, each run one annotation."""
    runs: list[list[tuple[int, int]]] = []
    for m in LINE_LABEL_RE.finditer(text, start, end):
        line_end = text.find("\n", m.start(), end)
        line_end = end if line_end < 0 else line_end
        if runs and text[runs[-1][-1][1]:m.start()].strip() == "":
            runs[-1].append((m.start(), line_end))
        else:
            runs.append([(m.start(), line_end)])
    out = []
    for run in runs:
        units: list[UnitMention] = []
        for s, e in run:
            if DEADLINE_RE.match(text[s:e]):
                continue
            units += parse_units(text, s, e, path)
        if units:
            out.append((Span(run[0][0], run[-1][1]), units))
    return out


def parse_units(text: str, start: int, end: int, path: str) -> list[UnitMention]:
    """The units named in an annotation (between its brackets, or on its line), each with its role."""
    units: list[UnitMention] = []
    role = "unspecified"
    for piece in split_top(text, start, end, UNIT_SEPARATORS):
        written, span = piece.text, piece.span
        if RIDER_RE.search(written):
            continue  # a rider, not a unit: see has_rider
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


def has_rider(annotation: str) -> bool:
    return bool(RIDER_RE.search(annotation))


def clauses_in(text: str, container: Ref, body: Span, path: str, warnings: list[Warning]) -> list[Clause]:
    """Cut a container's body into clauses, one per annotation."""
    clauses: list[Clause] = []
    cursor = body.start
    for number, (span, units, kind) in enumerate(find_annotations_typed(text, body.start, body.end, path), start=1):
        lead = mention(text, cursor, span.start, strip=PUNCT)  # drop the 。 or 、 left by the previous clause
        if lead is not None and number > 1 and lead.span.start == cursor:
            lead = _after_tail(text, lead)  # ")等创新平台;打造…": the previous sentence's tail is not this clause
        covered = mention(text, lead.span.start, span.start) if lead else None  # but keep the clause's own end
        if covered is None or not has_words(covered.text):
            raise ExtractionError(
                "this annotation covers no text: nothing stands between it and the previous annotation",
                Location.in_text(text, span.start, path),
            )
        annotation = Mention(span.of(text), span)
        years = [int(m.group(2)) for m in (DEADLINE_RE.match(line) for line in span.of(text).splitlines()) if m and m.group(2)]
        clauses.append(Clause(container, number, covered, annotation, units, years[0] if years else None, kind,
                              rider=has_rider(annotation.text)))
        cursor = span.end
    rest = mention(text, cursor, body.end, strip=PUNCT)
    if clauses and rest is not None and has_words(rest.text):
        warnings.append(Warning(f"text after the last annotation of {container.key} is not covered by any clause", rest.span))
    return clauses


def _after_tail(text: str, lead: Mention) -> Mention:
    """A clause that follows an annotation without punctuation continues the previous
    sentence or list item (``…大学科技园(责任单位:…)等高质量创新创业孵化平台;鼓励…``):
    it starts after that sentence or list item ends, at the first top-level 。 or ;
    — unless nothing with words would be left."""
    pieces = split_top(text, lead.span.start, lead.span.end, "。;;!?!?")
    if len(pieces) < 2:
        return lead
    rest = mention(text, pieces[1].span.start, lead.span.end, strip=PUNCT)
    return rest if rest is not None and has_words(rest.text) else lead


def stray_annotations(text: str, spans: list[Span], path: str, warnings: list[Warning]) -> None:
    """Warn about annotations standing where no clause can be made (front matter, headings)."""
    for span in spans:
        for ann, _ in find_annotations(text, span.start, span.end, path):
            warnings.append(Warning("responsibility annotation outside any item: not made into a clause", ann))
