"""What stored copies of government pages add to a plan's text and the plan never said.

Some mirror sites insert the pinyin of a character after it, in brackets: ``發(fā)展``,
``創(chuàng )新``, ``市經(jīng)貿(mào)委``.  Left in, the glosses lengthen title lines, split words and
stay inside unit names.  A gloss is a bracketed syllable with a tone mark right after a Chinese
character; ``(GDP)``, ``(一)`` or ``(2023年)`` are never one.

Others keep the page's HTML paragraph tags as text (``<p>一、总体要求</p><p>…``: one line, no
structure left), or turn its indentation (two ideographic spaces) into ``??`` at the start of lines.
Both are the page's, not the plan's: the tags become the line breaks they stood for, and the
question marks go.  Inline tags left around a heading's words (``<strong>一、指导思想</strong>``) go too,
and entities (``&nbsp;``) become the characters they stand for.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..source import SourceText

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
GLOSS_RE = re.compile(rf"(?<=[\u3400-\u9fff])[((]\s?(?=[a-zü{TONED}]*[{TONED}])[a-zü{TONED}]{{1,7}}\s?[))]")


# <p>, </p>, <br/>, <p style="…">: paragraph tags stored as text
PARAGRAPH_TAG_RE = re.compile(r"(?:\s*</?(?:p|br|div)(?:\s[^<>]{0,200})?\s*/?>\s*)+", re.IGNORECASE)
# <strong>, </span>, <b>, <font color="…">: inline tags stored as text, around a heading's words
INLINE_TAG_RE = re.compile(r"</?(?:strong|b|span|font|em|i|u|a|sup|sub)(?:\s[^<>]{0,200})?\s*/?>", re.IGNORECASE)
# &nbsp; &ensp; &emsp; &amp; &lt; &gt; &quot; and numeric references: the page's entities
ENTITY_RE = re.compile(r"&(?:nbsp|ensp|emsp|thinsp|amp|lt|gt|quot|apos|ldquo|rdquo|hellip|mdash|middot|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
ENTITIES = {"nbsp": " ", "ensp": " ", "emsp": "\u3000", "thinsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'",
            "ldquo": "“", "rdquo": "”", "hellip": "…", "mdash": "—", "middot": "·"}
# ?? / ？？ at the start of a line: the indentation of the page, mis-decoded
LOST_INDENT_RE = re.compile(r"^[ \t\u3000]*[?？]{2,}[ \t\u3000]*", re.MULTILINE)


def _entity(m: re.Match[str]) -> str:
    name = m.group()[1:-1]
    if name.startswith("#x"):
        return chr(int("0" + name[1:], 0))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return ENTITIES[name]


def without_glosses(text: str) -> tuple[str, int]:
    """The text without the pinyin glosses a page inserted, and how many there were."""
    return GLOSS_RE.subn("", text)


def without_page_marks(text: str) -> tuple[str, list[str]]:
    """The text without what a stored copy of its page added, and a note for each kind taken out."""
    notes = []
    if len(PARAGRAPH_TAG_RE.findall(text)) >= 2:  # tags as text, not a stray "<p>" in a sentence
        text, n = PARAGRAPH_TAG_RE.subn("\n", text)
        text = text.strip("\n") + "\n"
        notes.append(f"{n} runs of HTML paragraph tags the page stored as text, read as line breaks")
    if len(INLINE_TAG_RE.findall(text)) >= 2:
        text, n = INLINE_TAG_RE.subn("", text)
        notes.append(f"{n} inline HTML tags (<strong>, <span>, …) the page stored as text, taken out")
    text, n = ENTITY_RE.subn(_entity, text)
    if n:
        notes.append(f"{n} HTML entities (&nbsp; …) the page stored as text, read as the characters they stand for")
    text, n = LOST_INDENT_RE.subn("", text)
    if n:
        notes.append(f"{n} lines starting with ?? where the page's indentation was mis-decoded")
    text, n = without_glosses(text)
    if n:
        notes.append(f"{n} pinyin glosses the page inserted after characters")
    return text, notes


def cleaned(source: SourceText) -> tuple[SourceText, list[str]]:
    """The source without what its page added (its file's sha256 kept: it names the file read)."""
    text, notes = without_page_marks(source.text)
    return (replace(source, text=text), notes) if notes else (source, [])
