"""A small SPARQL lexer, enough to see keywords outside strings, IRIs and comments.

Used to refuse SERVICE and LOAD (they make the server fetch arbitrary URLs), to
detect USING/WITH, and to add protocol-given USING clauses to an update.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<var>[?$][\w]+)
      | (?P<word>[A-Za-z_][\w-]*(?::[\w.-]*)?)
      | (?P<brace>[{}])
      | (?P<other>\S)""",
    re.VERBOSE,
)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) for each token; strings, IRIs and comments are single tokens."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        yield kind, m.group(), m.start()


def keywords(text: str) -> list[tuple[str, int, int]]:
    """Bare keywords (upper-cased) with their offset and brace depth."""
    out, depth = [], 0
    for kind, tok, pos in tokens(text):
        if kind == "brace":
            depth += 1 if tok == "{" else -1
        elif kind == "word" and ":" not in tok:
            out.append((tok.upper(), pos, depth))
    return out


def fetches_remote(text: str) -> str | None:
    """'SERVICE' or 'LOAD' if the query or update would fetch a URL, else None."""
    for word, _, _ in keywords(text):
        if word in ("SERVICE", "LOAD"):
            return word
    return None


def has_dataset_clause(update: str) -> bool:
    return any(word in ("USING", "WITH") for word, _, _ in keywords(update))


def add_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """Put USING / USING NAMED clauses before the top-level WHERE of every operation."""
    clause = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
    if not clause:
        return update
    out, last = [], 0
    for word, pos, depth in keywords(update):
        if word == "WHERE" and depth == 0:
            out.append(update[last:pos])
            out.append(clause + " ")
            last = pos
    out.append(update[last:])
    return "".join(out)
