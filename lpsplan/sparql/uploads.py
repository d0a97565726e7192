"""Reading an uploaded graph (a Graph Store body, a multipart part, a file `lpsplan validate` reads) with
Oxigraph's parsers, after the checks its parsers need: JSON-LD nested past Python's JSON reader, and RDF/XML whose
entities would expand past :data:`MAX_ENTITY_EXPANSION`.  Kept apart from :mod:`.backend` so that the validators
(:mod:`lpsplan.validate`, which the backend uses) can read files with them too."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from . import formats
from .errors import ProtocolError


def rdf_format(media: str) -> ox.RdfFormat:
    """The parser for an uploaded graph's media type; an unsupported one is a 400."""
    media = media.split(";")[0].strip().lower()
    fmt = formats.RDF_TYPES.get(media)
    if fmt is None or media == "text/plain":
        raise ProtocolError(f"unsupported RDF media type {media or '(none)'!r}; send one of: {', '.join(formats.GRAPH_TYPES)}")
    return fmt


def _syntax_error(media: str, exc: SyntaxError) -> ProtocolError:
    return ProtocolError(f"the {media.split(';')[0].strip().lower()} body does not parse: {str(exc).splitlines()[0]}")


MAX_ENTITY_EXPANSION = 16 * 2**20  # characters the entities of an RDF/XML body may stand for, all together
_ENTITY_REFERENCE = re.compile(r"&([^&;]*);")
_SPACES = re.compile(r"\s*")
_SPACE = re.compile(r"\s")


def _entity_declarations(text: str):
    """(name, value) of each ``<!ENTITY name "value">`` (a ``%`` before the name skipped, or itself the name when
    nothing else is: ``<!ENTITY % "…">``) in order, a declaration inside the value of one before it not counted.
    Read in one pass: a regular expression's run of name characters was scanned again from every ``<!ENTITY``
    inside it (160 KB of ``<!ENTITY<!ENTITY…`` took 13 s)."""
    pos, space, after_space = 0, -1, -1  # the first white space at or after the last name's start (names only move
    # right, so several names in one run of name characters share it), and the end of the white space there
    while (at := text.find("<!ENTITY", pos)) >= 0:
        pos = at + len("<!ENTITY")
        start = _SPACES.match(text, pos).end()
        percent = None  # where a quote would stand if "%" followed by white space were the name
        if text.startswith("%", start):
            after = _SPACES.match(text, start + 1).end()
            percent = after if after > start + 1 else None
            start = after
        if space < start:
            found = _SPACE.search(text, start)
            space = found.start() if found else len(text)
            after_space = _SPACES.match(text, space).end()
        candidates = []  # (where the name starts and ends, where its value's quote stands), as the expression tried them
        if start < space < len(text):
            candidates.append((start, space, after_space))
        if percent is not None:
            candidates.append((percent - 1, percent - 1, percent))  # the name "%" itself (begin == end: see the yield)
        for begin, end, quote in candidates:
            close = text.find('"', quote + 1) if text.startswith('"', quote) else -1
            if close >= 0:
                yield ("%" if begin == end else text[begin:end]), text[quote + 1:close]
                pos = close + 1
                break


def _refuse_entity_expansion(data: bytes, fmt) -> None:
    """An RDF/XML body whose entities would stand for more than MAX_ENTITY_EXPANSION characters is a 400
    before Oxigraph's parser sees it.  That parser expands the entities a DOCTYPE declares (each in terms of
    those declared before it) as it reads them, without a bound: ten entities of ten references each
    ("billion laughs", 800 bytes) took the service to 9 GB.  The count is taken as the parser reads them —
    every ``<!ENTITY name "value">`` in order, every ``&name;`` of the body — and errs on the large side
    (a declaration outside the DOCTYPE counts too).  External entities are none of this: the parser refuses
    them."""
    if fmt != ox.RdfFormat.RDF_XML or b"<!ENTITY" not in data:
        return
    text = data.decode("utf-8", errors="replace")
    size: dict[str, int] = {}

    def expanded(written: str) -> int:
        refs = [m.group(1) for m in _ENTITY_REFERENCE.finditer(written)]
        return len(written) + sum(size[r] - len(r) - 2 for r in refs if r in size)

    total = 0
    for name, value in _entity_declarations(text):
        size[name] = expanded(value)
        total += size[name]
        if total > MAX_ENTITY_EXPANSION:
            break
    total += sum(size.get(m.group(1), 0) for m in _ENTITY_REFERENCE.finditer(text))
    if total > MAX_ENTITY_EXPANSION:
        raise ProtocolError(f"the RDF/XML body's entities would stand for more than {MAX_ENTITY_EXPANSION:,} characters; "
                            "write the text out instead of nesting entities")


def _refuse_deep_json(data: bytes, fmt) -> None:
    """A JSON-LD body nested deeper than Python's JSON reader goes (1,000 levels) is a 400 before
    Oxigraph's parser, which recurses, sees it: 30,000 nested objects ended the service process."""
    if fmt != ox.RdfFormat.JSON_LD:
        return
    try:
        json.loads(data)
    except RecursionError:
        raise ProtocolError("the JSON-LD body nests too deeply (more than 1,000 levels)") from None
    except ValueError:
        pass  # not JSON: the parser names the error


def parse_rdf(data: bytes, media: str, base_iri: str | None) -> list:
    """Parse an uploaded graph into triples; a syntax error is a 400."""
    fmt = rdf_format(media)
    _refuse_deep_json(data, fmt)
    _refuse_entity_expansion(data, fmt)
    try:
        triples = [q.triple for q in ox.parse(data, format=fmt, base_iri=base_iri)]
    except SyntaxError as exc:
        raise _syntax_error(media, exc) from None
    if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in triples):
        raise ProtocolError(QUOTED)  # Turtle-star in a Graph Store PUT was a 500 (the gate's graph lookups take no triple)
    return triples


QUOTED = "quoted triples (RDF-star) cannot be stored: the shapes cannot validate them"
