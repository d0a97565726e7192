"""Reading a plan's source text, with a clear error for every way a file can be unusable."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, SourceError

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a file (a .docx or .pdf carries images too)
# characters of plan text that one build takes: a long five-year plan has ~100,000; the graph
# and its SHACL validation grow with the text (300,000 characters: ~260,000 triples, ~2 min)
MAX_PLAN_CHARACTERS = 500_000


# Characters that only steer how text is shown: bidi embeddings, overrides and isolates, directional marks, zero-width
# spaces and joiners.  A plan needs none of them, and in a unit's name they make a second unit that looks like the first:
# 市\u202e局源能\u202c is shown as 市能源局, 市科\u200d技局 as 市科技局 (on every page, in every network and table).
INVISIBLE_RE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


# Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF): kept
# in a clause's text, one of them made every SPARQL XML answer and RDF/XML page that quotes the clause a document no XML reader takes.  A
# page break (form feed, as text taken from a PDF has between pages) and a vertical tab (a line break in Word) are
# line breaks; the others are dropped.
CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
LINE_BREAKS = str.maketrans("\x0b\x0c", "\n\n")

# What XML 1.0 cannot carry, not even as a character reference: C0 controls but tab, line feed and carriage return,
# U+FFFE and U+FFFF.  Text stored by an update (a label "a\u0001b") or made by a query's BIND reaches every XML the
# service writes — SPARQL XML results, RDF/XML, GraphML/GEXF, .xlsx workbooks — where one such character made the whole
# file unreadable (or openpyxl refuse it): each writer puts U+FFFD in its place (:func:`xml_safe_text`).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe_text(text: str) -> str:
    """``text`` with U+FFFD for each character of :data:`NOT_XML`."""
    return NOT_XML.sub("\ufffd", text)

# A run of blanks longer than this is cut to this length.  The readers' patterns look for a label or a unit after
# optional blanks at every position, so a run of n blanks cost them n² steps: a line of 160,000 spaces took 30 s to
# read, 500,000 (the most a plan may hold) minutes.  Published texts align columns with runs of up to ~100 (the
# longest in the real corpus: 104), and what a run stands for (a gap between cells) stays a gap of 128.
MAX_BLANK_RUN = 128
BLANK_RUN_RE = re.compile(f"[ \t\u3000\xa0]{{{MAX_BLANK_RUN + 1},}}")


def visible(text: str) -> str:
    """``text`` without the characters of :data:`INVISIBLE_RE` and :data:`CONTROL_RE`, a form feed or vertical tab read
    as a line break, a run of blanks cut to :data:`MAX_BLANK_RUN` (the text the graph keeps, and every offset, is this
    one)."""
    text = CONTROL_RE.sub("", INVISIBLE_RE.sub("", text)).translate(LINE_BREAKS)
    return BLANK_RUN_RE.sub(lambda m: m.group()[:MAX_BLANK_RUN], text)


@dataclass(frozen=True)
class SourceText:
    path: str
    text: str
    sha256: str

    @property
    def name(self) -> str:
        return Path(self.path).name

    def location(self, offset: int) -> Location:
        return Location.in_text(self.text, offset, self.path)


def decode_source(data: bytes, path: str | Path = "<text>") -> SourceText:
    """Decode UTF-8 bytes (a byte-order mark, bidi controls and zero-width characters are dropped: :func:`visible`);
    refuse binary and non-UTF-8 data."""
    path = str(path)
    if not data.strip():
        raise SourceError("the file is empty", path=path)
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise SourceError("this is a binary file, not a plan text", _byte_location(data, at, path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise SourceError(
            f"the file is not UTF-8 (byte 0x{bad:02x} cannot be decoded); convert it to UTF-8 first",
            _byte_location(data, exc.start, path),
        ) from None
    text = visible(text)  # a leading byte-order mark among them
    if not text.strip():
        raise SourceError("the file is empty", path=path)
    return SourceText(path=path, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def read_source(path: str | Path) -> SourceText:
    """Read a plan text from disk."""
    p = Path(path)
    if not p.exists():
        raise SourceError("no such file", path=p)
    if not p.is_file():
        raise SourceError("not a regular file", path=p)
    size = p.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(f"the file is {size:,} bytes; plans larger than {MAX_SOURCE_BYTES:,} bytes are refused", path=p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", path=p) from None
    return decode_source(data, p)


def _byte_location(data: bytes, at: int, path: str) -> Location:
    line = data.count(b"\n", 0, at) + 1
    line_start = data.rfind(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8", errors="replace")) + 1
    return Location(path, line, column, at)


MAX_ARCHIVE_BYTES = 64 * 1024 * 1024  # what a .docx or .xlsx may inflate to
MAX_ARCHIVE_ENTRIES = 2_000


def check_archive(path: str | Path, what: str, max_bytes: int = MAX_ARCHIVE_BYTES, max_entries: int = MAX_ARCHIVE_ENTRIES) -> None:
    """Refuse a zip container (.docx, .xlsx) whose entries would inflate past ``max_bytes`` or number
    more than ``max_entries``, before any of it is parsed.  The sizes are the archive's own
    declarations, and Python's zipfile never reads an entry past its declared size, so a lying
    archive fails when read instead of filling memory."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"not a readable {what} ({type(exc).__name__})", path=path) from None
    if len(entries) > max_entries:
        raise SourceError(f"the {what} holds {len(entries):,} parts; at most {max_entries:,} are read", path=path)
    inflated = sum(e.file_size for e in entries)
    if inflated > max_bytes:
        raise SourceError(f"the {what} would inflate to {inflated:,} bytes; at most {max_bytes:,} are read "
                          "(a document this large is not a plan)", path=path)
