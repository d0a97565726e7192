"""What stored copies of government pages add to a plan's text and the plan never said.

Some mirror sites insert the pinyin of a character after it, in brackets: ``發(fā)展``,
``創(chuàng )新``, ``市經(jīng)貿(mào)委``.  Left in, the glosses lengthen title lines, split words and
stay inside unit names.  A gloss is a bracketed syllable with a tone mark right after a Chinese
character; ``(GDP)``, ``(一)`` or ``(2023年)`` are never one.

Others keep the page's HTML paragraph tags as text (``<p>一、总体要求</p><p>…``: one line, no
structure left) — with its scripts, styles and list, heading and table tags, read alike —, or turn its indentation (two ideographic spaces) into ``??`` at the start of lines.
Both are the page's, not the plan's: the tags become the line breaks they stood for, and the
question marks go.  Inline tags left around a heading's words (``<strong>一、指导思想</strong>``) go too,
and entities (``&nbsp;``) become the characters they stand for.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from ..source import SourceText

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
GLOSS_RE = re.compile(rf"(?<=[\u3400-\u9fff])[(\uff08]\s?(?=[a-zü{TONED}]*[{TONED}])[a-zü{TONED}]{{1,7}}\s?[)\uff09]")


# <p>, </p>, <br/>, <p style="…">: paragraph tags stored as text
PARAGRAPH_TAG_RE = re.compile(r"(?:\s*</?(?:p|br|div)(?:\s[^<>]{0,200})?\s*/?>\s*)+", re.IGNORECASE)
# <script>…</script>, <style>…</style>, <!-- … -->: the page's code and comments stored as text, never the plan's
CODE_RE = re.compile(r"<(script|style|noscript)\b[^<>]{0,500}>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
# a list of the page's links (<ul><li>机构概况</li><li>政策文件</li></ul>, <nav>…</nav>): its menu, never the plan's —
# taken out whole when every item is short and no sentence (a plan's list keeps its items)
LIST_RE = re.compile(r"<(ul|ol|nav)\b[^<>]{0,300}>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
ITEM_RE = re.compile(r"<li\b[^<>]{0,300}>(.*?)(?=<li\b|</li|$)", re.IGNORECASE | re.DOTALL)
ANY_TAG_RE = re.compile(r"<[^<>]{1,300}>")
# the page's other block tags (<ul>, <li>, <h1>, <table>, <tr>, <nav>, <html> …): line breaks, as paragraph tags are;
# a table's cells (<td>, <th>) are separated by tabs, as a task table's cells are
BLOCK_TAG_RE = re.compile(r"(?:\s*</?(?:ul|ol|li|dl|dt|dd|h[1-6]|table|tbody|thead|tr|section|article|header|footer|nav|html|head|body"
                          r"|title|meta|link|form|input|img|iframe)(?:\s[^<>]{0,300})?\s*/?>\s*)+", re.IGNORECASE)
CELL_TAG_RE = re.compile(r"(?:[ \t]*</?t[dh](?:\s[^<>]{0,200})?\s*/?>[ \t]*)+", re.IGNORECASE)
# <strong>, </span>, <b>, <font color="…">: inline tags stored as text, around a heading's words
INLINE_TAG_RE = re.compile(r"</?(?:strong|b|span|font|em|i|u|a|sup|sub)(?:\s[^<>]{0,200})?\s*/?>", re.IGNORECASE)
# &nbsp; &amp; &ldquo; &#8220; &#x201C;: the page's entities, named or numeric, each closed by its ;
ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,7});")
# the page's spaces become the spaces the extractor reads (not U+00A0, which no pattern takes for one)
SPACES = {"&nbsp;": " ", "&ensp;": " ", "&emsp;": "\u3000", "&thinsp;": " "}
# ?? / ？？ at the start of a line: the indentation of the page, mis-decoded
LOST_INDENT_RE = re.compile(r"^[ \t\u3000]*[?？]{2,}[ \t\u3000]*", re.MULTILINE)


def _entities(text: str) -> tuple[str, int]:
    """The text with each entity read as the character it stands for, and how many were read.  Read as HTML
    reads them: a number that is no character (&#55296;, a lone surrogate; &#0;; past U+10FFFF) becomes
    U+FFFD; a name HTML does not know stays as written and is not counted."""
    read = 0

    def one(m: re.Match[str]) -> str:
        nonlocal read
        out = SPACES.get(m.group()) or html.unescape(m.group())
        read += out != m.group()
        return out

    return ENTITY_RE.sub(one, text), read


def without_glosses(text: str) -> tuple[str, int]:
    """The text without the pinyin glosses a page inserted, and how many there were."""
    return GLOSS_RE.subn("", text)


def without_page_marks(text: str) -> tuple[str, list[str]]:
    """The text without what a stored copy of its page added, and a note for each kind taken out."""
    notes = []
    text, n = CODE_RE.subn("\n", text)
    if n:
        notes.append(f"{n} blocks of the page's code or comments (<script>, <style>, <!-- -->) stored as text, taken out")
    menus = 0

    def menu(m: re.Match[str]) -> str:
        nonlocal menus
        items = [ANY_TAG_RE.sub("", i).strip() for i in ITEM_RE.findall(m.group(2))]
        if m.group(1).lower() != "nav" and (not items or any(len(i) > 12 or re.search("[。;\uff1b,\uff0c]", i) for i in items)):
            return m.group()
        menus += 1
        return "\n"

    text = LIST_RE.sub(menu, text)
    if menus:
        notes.append(f"{menus} lists of the page's links (its menus) stored as text, taken out")
    if len(CELL_TAG_RE.findall(text)) >= 2:
        text, n = CELL_TAG_RE.subn("\t", text)
        text = re.sub(r"^\t|\t$", "", text, flags=re.MULTILINE)
        notes.append(f"{n} runs of table cell tags (<td>, <th>) the page stored as text, read as the tabs between cells")
    if len(BLOCK_TAG_RE.findall(text)) >= 2:
        text, n = BLOCK_TAG_RE.subn("\n", text)
        text = text.strip("\n") + "\n"
        notes.append(f"{n} runs of the page's other HTML block tags (<ul>, <li>, <h1>, <tr> …) stored as text, read as line breaks")
    if len(PARAGRAPH_TAG_RE.findall(text)) >= 2:  # tags as text, not a stray "<p>" in a sentence
        text, n = PARAGRAPH_TAG_RE.subn("\n", text)
        text = text.strip("\n") + "\n"
        notes.append(f"{n} runs of HTML paragraph tags the page stored as text, read as line breaks")
    if len(INLINE_TAG_RE.findall(text)) >= 2:
        text, n = INLINE_TAG_RE.subn("", text)
        notes.append(f"{n} inline HTML tags (<strong>, <span>, …) the page stored as text, taken out")
    text, n = _entities(text)
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
