"""Exceptions lpsplan raises on purpose.

Every error a user can cause is an :class:`LpsplanError`; its ``str()`` is one line
that says what is wrong and where.  The CLI turns these into a one-line message
and a non-zero exit; anything else escaping is a bug.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def shown(text: str) -> str:
    """Text as one line a terminal shows as it is: a control character, line break or other invisible one
    (a file may be named `a<LF>b.txt`, or carry an escape sequence) written as its escape, ``\\n``, ``\\x1b``."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def without_password(url: str) -> str:
    """``url`` with the password of its user part written as ``***`` (``http://alice:***@host/ds``; a user part with no
    password, which may be a token, as a whole: ``http://***@host/ds``): a store URL may carry credentials, and what names the store — a start-up banner, an error a client or the log sees — must not
    give them away."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    userinfo, at, host = rest[:cut].rpartition("@")
    if not at:
        return url
    if ":" not in userinfo:  # a user part alone is sent as Basic auth too: it may be a token
        return f"{scheme}://***@{host}{rest[cut:]}"
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}{rest[cut:]}"


class LpsplanError(Exception):
    """Base class: a problem with the user's input or set-up, not a bug."""

    exit_code = 1


class ConfigError(LpsplanError):
    """The project folders or settings cannot be used."""

    exit_code = 2


@dataclass(frozen=True)
class Location:
    """A place in a text: 1-based line and column, plus the 0-based offset."""

    path: str
    line: int
    column: int
    offset: int

    @classmethod
    def in_text(cls, text: str, offset: int, path: str | Path = "<text>") -> Location:
        offset = max(0, min(offset, len(text)))
        breaks = _line_breaks(text)  # not counted from the text's start for each place (thousands of damaged annotations)
        line = bisect_left(breaks, offset) + 1
        line_start = breaks[line - 2] + 1 if line > 1 else 0
        return cls(str(path), line, offset - line_start + 1, offset)

    def __str__(self) -> str:
        return f"{shown(self.path)}:{self.line}:{self.column}"


@lru_cache(maxsize=4)
def _line_breaks(text: str) -> list[int]:
    """Where the line breaks (\\n) of a text stand, in order."""
    out, at = [], text.find("\n")
    while at >= 0:
        out.append(at)
        at = text.find("\n", at + 1)
    return out


class SourceError(LpsplanError):
    """The source file is missing, empty, not UTF-8, binary, or not a plan."""

    exit_code = 3

    def __init__(self, message: str, location: Location | None = None, path: str | Path | None = None):
        self.message = message
        self.location = location
        self.path = str(location.path if location else path or "<text>")
        where = str(location) if location else shown(self.path)
        super().__init__(f"{where}: {message}")


class ExtractionError(SourceError):
    """The text is a file we can read, but its plan structure is broken."""


class NoTitleFound(ExtractionError):
    """The text has a plan's structure but no line reads as its title."""


class ValidationFailed(LpsplanError):
    """A graph does not conform to the SHACL shapes."""

    exit_code = 4

    def __init__(self, report):
        self.report = report
        n = len(report.violations)
        super().__init__(f"the graph does not conform to the shapes: {n} violation{'s' if n != 1 else ''}")
