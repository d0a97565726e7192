"""Span-keeping text helpers shared by the extraction steps.

Everything here works on ``(text, start, end)`` windows of the one source string,
so offsets never drift: a piece of text is always a :class:`Mention` whose span
indexes the original.
"""

from __future__ import annotations

import bisect
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from ..errors import ExtractionError, Location
from ..records import Mention, Span

OPEN = "((〔[【［{｛《"
CLOSE = "))〕]】］}｝》"
PAIRS = dict(zip(OPEN, CLOSE, strict=True))
QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
PUNCT = "。;;,,、::!?!? \t\r\n\u3000"
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


MAX_TITLE = 60  # characters: a heading or a title longer than this is running text


def cn_number(numeral: str) -> int:
    """Chinese numerals up to 99: 一 → 1, 十 → 10, 十三 → 13, 二十一 → 21."""
    if not numeral or any(ch not in CN_DIGITS and ch != "十" for ch in numeral):
        raise ValueError(numeral)
    if "十" not in numeral:
        if len(numeral) != 1:
            raise ValueError(numeral)
        return CN_DIGITS[numeral]
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        raise ValueError(numeral)
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def lines(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """Spans of the lines in ``text[start:end]``, without their line breaks."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line_end = stop - 1 if stop > pos and text[stop - 1] == "\r" else stop
        yield Span(pos, line_end)
        pos = stop + 1


def mention(text: str, start: int, end: int, strip: str = " \t\r\n\u3000") -> Mention | None:
    """The stripped piece ``text[start:end]`` as a Mention, or None when nothing is left."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return Mention(text[start:end], Span(start, end)) if end > start else None


def closing_bracket(text: str, open_at: int, limit: int, path: str) -> int:
    """Index of the bracket that closes the one at ``open_at``; brackets nest by kind.

    Raises ExtractionError (with line:column) when it is not closed before ``limit``
    or is closed by the wrong kind of bracket.
    """
    stack = [PAIRS[text[open_at]]]
    for i in range(open_at + 1, limit):
        ch = text[i]
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif ch in CLOSE:
            if ch != stack[-1]:
                raise ExtractionError(
                    f"unbalanced bracket: '{ch}' closes '{_opening(stack[-1])}' in the annotation opened at column "
                    f"{Location.in_text(text, open_at, path).column}",
                    Location.in_text(text, i, path),
                )
            stack.pop()
            if not stack:
                return i
    raise ExtractionError(
        f"unbalanced bracket: '{text[open_at]}' is not closed before the end of its paragraph",
        Location.in_text(text, open_at, path),
    )


def _opening(close: str) -> str:
    return OPEN[CLOSE.index(close)]


def closing_outside(text: str, start: int, end: int) -> int | None:
    """The first closing bracket in ``text[start:end]`` that closes one opened before ``start``, or None."""
    depth = 0
    for m in _BRACKET_RE.finditer(text, start, end):  # the brackets only (a reader asks again and again along a long line)
        if m.group() in OPEN:
            depth += 1
        else:
            if depth == 0:
                return m.start()
            depth -= 1
    return None


_BRACKET_RE = re.compile("[" + re.escape(OPEN + CLOSE) + "]")


class ClosingsOutside:
    """:func:`closing_outside` asked again and again along ``text[start:end]`` (a reader whose cursor moves along one long
    sentence): every bracket is read once, and each answer follows the brackets' pairs — an opening bracket's pair is
    passed over whole, a closing bracket ends the search, an opening one left open ends it with none."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start, self.end = start, end
        marks = [(m.start(), m.group() in OPEN) for m in _BRACKET_RE.finditer(text, start, end)]
        self.at = [i for i, _ in marks]
        partner: dict[int, int] = {}
        stack: list[int] = []
        for i, opens in marks:
            if opens:
                stack.append(i)
            elif stack:
                partner[stack.pop()] = i
        self.answer: dict[int, int | None] = {}  # for each bracket: closing_outside from it
        for k in range(len(marks) - 1, -1, -1):
            i, opens = marks[k]
            if not opens:
                self.answer[i] = i
            elif i not in partner:
                self.answer[i] = None  # open to the end: every closing bracket after it has its pair after it
            else:
                after = bisect.bisect_right(self.at, partner[i])
                self.answer[i] = self.answer[self.at[after]] if after < len(self.at) else None

    def serves(self, start: int, end: int) -> bool:
        return self.start <= start and self.end == end

    def first(self, start: int) -> int | None:
        """closing_outside(text, start, end), for ``start`` inside the span read."""
        k = bisect.bisect_left(self.at, start)
        return self.answer[self.at[k]] if k < len(self.at) else None


def follows(text: str, at: int, marks: str) -> bool:
    """Whether the text before ``at`` ends in one of ``marks`` (spaces between them aside)."""
    i = at - 1
    while i >= 0 and text[i] in " \t\u3000":
        i -= 1
    return i >= 0 and text[i] in marks


def split_top(text: str, start: int, end: int, separators: str | re.Pattern[str]) -> list[Mention]:
    """Split ``text[start:end]`` at separators that stand outside brackets and quotes.

    ``separators`` is a string of single characters or a compiled pattern (for
    words such as 以及).  Empty pieces are dropped.
    """
    pieces: list[Mention] = []
    depth, piece_start, i = 0, start, start
    closers = set(CLOSE) | set(QUOTES.values())
    openers = set(OPEN) | set(QUOTES)
    while i < end:
        ch = text[i]
        if ch in openers:
            depth += 1
        elif ch in closers:
            depth = max(0, depth - 1)
        elif depth == 0:
            width = 0
            if isinstance(separators, str):
                width = 1 if ch in separators else 0
            else:
                m = separators.match(text, i, end)
                width = m.end() - i if m else 0
            if width:
                piece = mention(text, piece_start, i)
                if piece:
                    pieces.append(piece)
                i += width
                piece_start = i
                continue
        i += 1
    piece = mention(text, piece_start, end)
    if piece:
        pieces.append(piece)
    return pieces


def has_words(text: str) -> bool:
    """True when the text holds a CJK character, a letter or a digit."""
    return any(ch.isalnum() for ch in text)


def first_sentence(text: str, start: int, end: int) -> Mention:
    """The heading of an item: its line when that line is short and has no 。, else its first
    sentence (cut at a comma or semicolon when that sentence is longer than a title may be)."""
    line_end = text.find("\n", start, end)
    if line_end >= 0 and text.find("。", start, line_end) < 0 and 0 < line_end - start <= MAX_TITLE:
        return mention(text, start, line_end) or Mention(text[start:line_end], Span(start, line_end))  # a heading alone on its line
    stop = text.find("。", start, end)
    if stop < 0 or stop - start > MAX_TITLE:
        for sep in ",,;;":
            cut = text.find(sep, start, min(end, start + MAX_TITLE))
            if cut >= 0:
                stop = cut
                break
        else:
            stop = min(end, start + MAX_TITLE)
    return mention(text, start, stop) or Mention(text[start:end], Span(start, end))


class Taken:
    """The text already read as annotations: the union of their spans, kept as sorted disjoint intervals, so
    that asking whether a new match overlaps one costs a bisection, not a pass over every span."""

    def __init__(self, spans=()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for span in spans:
            self.add(span)

    def add(self, span: Span) -> None:
        a, b = span.start, span.end
        i = bisect_left(self.ends, a)  # the first interval that ends at or after a
        j = bisect_right(self.starts, b)  # past the last that starts at or before b
        if i < j:
            a, b = min(a, self.starts[i]), max(b, self.ends[j - 1])
        self.starts[i:j], self.ends[i:j] = [a], [b]

    def overlaps(self, a: int, b: int) -> bool:
        """Whether any span holds a character of ``[a, b)``."""
        i = bisect_right(self.ends, a)  # the first interval that ends after a
        return i < len(self.starts) and self.starts[i] < b

    def holds(self, at: int) -> bool:
        return self.overlaps(at, at + 1)
