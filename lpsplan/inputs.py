"""Plan files as published: UTF-8 or GB18030/GBK text (detected), and HTML pages
saved from government sites (navigation and boilerplate stripped).

The text the graph keeps (``lps:content``) and all offsets refer to the text
produced here; the original bytes' encoding and format are reported.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .source import MAX_PLAN_CHARACTERS, MAX_SOURCE_BYTES, SourceText, check_archive, decode_source, visible

CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5")
BOILERPLATE_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "button", "select")
BOILERPLATE_HINT = re.compile(r"nav|menu|footer|header|breadcrumb|share|sidebar|banner|toolbar|copyright|crumb|search|login", re.IGNORECASE)
BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "table")
# Elements of a saved page that are read: the parser holds ~700 bytes per element, and a page of 2,500,000 empty tags
# (17.5 MB) took 53 s and 2 GB before its text was found empty; a plan's page has some thousands.
MAX_PAGE_ELEMENTS = 200_000
START_TAG_RE = re.compile(r"<[A-Za-z]")


@dataclass(frozen=True)
class PlanInput:
    source: SourceText
    encoding: str
    format: str  # text/plain | text/html | application/vnd…docx | application/pdf
    unread: tuple[str, ...] = ()  # what the reader could not take (images, pages without text)


def read_plan_input(path: str | Path) -> PlanInput:
    p = Path(path)
    if not p.is_file():
        raise SourceError("no such file" if not p.exists() else "not a regular file", path=p)
    if p.stat().st_size > MAX_SOURCE_BYTES:
        raise SourceError(f"the file is larger than {MAX_SOURCE_BYTES:,} bytes", path=p)
    data = p.read_bytes()
    suffix = p.suffix.lower()
    if suffix == ".docx":
        text, unread = docx_text(p)
        return PlanInput(_source(text, p), "utf-8", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", unread)
    if suffix == ".pdf":
        text, unread = pdf_text(p)
        return PlanInput(_source(text, p), "utf-8", "application/pdf", unread)
    if suffix == ".doc":
        raise SourceError("old .doc files are not read; save the plan as .docx, .txt or .html", path=p)
    text, encoding = decode(data, p)
    if suffix in (".html", ".htm"):
        if next(itertools.islice(START_TAG_RE.finditer(text), MAX_PAGE_ELEMENTS, None), None) is not None:
            raise SourceError(f"the page has more than {MAX_PAGE_ELEMENTS:,} elements; a plan's page has some thousands", path=p)
        text = html_text(text)
        return PlanInput(_source(text, p), encoding, "text/html")
    return PlanInput(decode_source(text.encode("utf-8"), p), encoding, "text/plain")


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """UTF-8 when it is; otherwise the Chinese encoding charset detection finds (GB18030 covers GBK and GB2312)."""
    if b"\x00" in data[:4096]:
        raise SourceError("this is a binary file, not a plan text", path=path)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
    if best is None:
        raise SourceError("the file is neither UTF-8 nor a Chinese encoding (GB18030/GBK/Big5) that could be detected", path=path)
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312", "gb18030") else best.encoding
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise SourceError(f"the file looks like {encoding} but byte {exc.start} does not decode", path=path) from None


def html_text(html: str) -> str:
    """The readable text of a saved web page: the element richest in Chinese text, without boilerplate."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(BOILERPLATE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        hint = " ".join([*(tag.get("class") or []), tag.get("id") or "", tag.get("role") or ""])
        if hint.strip() and BOILERPLATE_HINT.search(hint) and tag.name not in ("body", "html"):
            tag.decompose()
    for row in soup.find_all("tr"):  # a task table's row: one line, cells joined by tabs (as for .docx)
        cells = row.find_all(["td", "th"])
        if len(cells) > 1:
            line = "\t".join(re.sub(r"\s+", " ", cell.get_text(" ")).strip() for cell in cells)
            row.clear()
            row.append(line)
    candidates = soup.find_all(["article", "main", "div", "td", "body"]) or [soup]
    # the most Chinese text that is not link text (menus are lists of links); the smallest such element
    sizes = _text_sizes(soup)
    best = max(candidates, key=lambda t: (sizes[id(t)][1] - sizes[id(t)][2], -sizes[id(t)][0]))
    lines = [re.sub(r"[ \u3000\xa0]+", " ", re.sub(r" *\t *", "\t", line)).strip() for line in _block_text(best).splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def docx_text(path: Path) -> tuple[str, tuple[str, ...]]:
    """Paragraphs and tables in document order (table cells joined by tabs, so task tables parse)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_archive(path, ".docx document")
    try:
        doc = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for a broken file
        raise SourceError(f"not a readable .docx document ({type(exc).__name__})", path=path) from None
    body = doc.element.body
    # each paragraph and row is a line of the text, each cell a tab in it, and the text may have MAX_PLAN_CHARACTERS: 1,000,000
    # empty paragraphs (9.6 KB zipped) took 11 s and 300,000 empty cells (15 KB) 7 s before the text was found empty
    blocks = len(body) + int(body.xpath("count(.//w:tr) + count(.//w:tc)"))
    if blocks > MAX_PLAN_CHARACTERS:
        raise SourceError(f"the document has {blocks:,} paragraphs, table rows and cells; a plan has at most {MAX_PLAN_CHARACTERS:,} "
                          "characters", path=path)
    lines = []
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, doc).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, doc).rows:
                lines.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
    unread = (f"{len(doc.inline_shapes)} image(s) or drawing(s) not read",) if len(doc.inline_shapes) else ()
    return "\n".join(lines) + "\n", unread


SENTENCE_END = tuple("。;;::!?!?))」》")
HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(\uff08][一二三四五六七八九十\d]+[)\uff09]|\d{1,2}[.．、]|——|附(?:表|件))")


def pdf_text(path: Path) -> tuple[str, tuple[str, ...]]:
    """The text layer of a PDF, with lines the page layout wrapped joined back into paragraphs."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a hostile file: its limits (LimitReachedError:
        # a stream that inflates past them, 200,000 pages, millions of operators), a RecursionError from nested arrays, …
        raise SourceError(f"not a readable PDF ({type(exc).__name__})", path=path) from None
    unread = tuple(f"page {i} has no text layer (a scan?)" for i, t in enumerate(pages, 1) if not t.strip())
    if len(unread) == len(pages):
        raise SourceError("the PDF has no text layer (a scan?); OCR it first", path=path)
    return "\n".join(unwrapped("\n".join(pages))) + "\n", unread


def unwrapped(text: str) -> list[str]:
    """The text's lines with those the page layout wrapped joined back: a line goes on the one before it when that one
    is longer than 20 characters and ends no sentence, unless the line opens a heading.  Each paragraph is kept as its
    lines and joined once (joined line by line, a long paragraph — a PDF of tables ends no sentence — was copied again
    with every line)."""
    paragraphs: list[list[str]] = []
    length = 0  # of the last paragraph
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if paragraphs and not paragraphs[-1][-1].endswith(SENTENCE_END) and not HEADING.match(line) and length > 20:
            paragraphs[-1].append(line)  # a line the layout wrapped (SENTENCE_END: single characters)
            length += len(line)
        else:
            paragraphs.append([line])
            length = len(line)
    return ["".join(p) for p in paragraphs]


# Each block stands on lines of its own: its text has a line break before and after it.  These are counted and written
# where the text is read, not put into the page's tree: a break put before or after an element is placed by searching
# its parent's children, and a page of some thousands of <div> took minutes.


def _readable(child) -> bool:
    from bs4 import CData, NavigableString

    return type(child) in (NavigableString, CData)  # what get_text() reads: no comments, no <rt> or <template> text


def _text_sizes(soup) -> dict[int, tuple[int, int, int]]:
    """For every element (by id): the length of its text (a break before and after each block inside it), the Chinese
    characters in it, and those in the text of the links inside it (every <a>, one inside another counted again) —
    each element's from its children's, from the last element to the first, not each element's whole text read again
    (nested <div>s by the thousand took minutes)."""
    from bs4 import Tag

    sizes: dict[int, tuple[int, int, int]] = {}
    for tag in reversed([soup, *soup.find_all(True)]):  # in document order every element comes after the one holding it
        length = cjk = links = 0
        for child in tag.contents:
            if isinstance(child, Tag):
                n, c, a = sizes[id(child)]
                length += n + (2 if child.name in BLOCKS else 0)
                cjk, links = cjk + c, links + a + (c if child.name == "a" else 0)
            elif _readable(child):
                length, cjk = length + len(child), cjk + _cjk(child)
        sizes[id(tag)] = (length, cjk, links)
    return sizes


def _block_text(tag) -> str:
    """The element's text (get_text()) with a line break before and after each block inside it."""
    from bs4 import Tag

    out: list[str] = []
    stack = [(iter(tag.contents), False)]
    while stack:
        child = next(stack[-1][0], None)
        if child is None:  # the element's end
            if stack.pop()[1]:
                out.append("\n")
        elif isinstance(child, Tag):
            block = child.name in BLOCKS
            if block:
                out.append("\n")
            stack.append((iter(child.contents), block))
        elif _readable(child):
            out.append(child)
    return "".join(out)


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _source(text: str, path: Path) -> SourceText:
    text = visible(text)  # as decode_source does for a text file
    if not text.strip():
        raise SourceError("the page has no text", path=path)
    return SourceText(str(path), text, hashlib.sha256(text.encode("utf-8")).hexdigest())
