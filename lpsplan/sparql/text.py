"""SPARQL 1.1's own tokens, as its grammar defines them (SPARQL 1.1 Query §19.8).

Used to refuse SERVICE and LOAD (they make the server fetch arbitrary URLs), to
detect USING/WITH, and to add protocol-given USING clauses to an update.

The refusal decides on tokens, never on a search of the text: strings (with
their escapes), IRIs, prefixed names (with ``\\#``, ``\\'`` and ``%xx`` in their
local part), blank node labels, variables, language tags and comments are
single tokens, exactly as the grammar's terminals say, so nothing inside one
can start or end another.  Two spellings of the same text are lexed, and a
keyword found in either is found:

* as written, and with ``\\uXXXX`` / ``\\UXXXXXXXX`` expanded everywhere (the
  recommendation processes code point escapes before parsing; an engine that
  only expands them inside strings must not be able to hide a keyword either);
* a keyword counts when a bare word or a prefix name *contains* it: a PEG
  parser reads ``SERVICESILENT`` as ``SERVICE SILENT`` and may read
  ``SERVICEx:y`` as ``SERVICE x:y``, so ``SERVICEx:`` is refused too.

The embedded store's query workers also run without a network (see
:mod:`.worker`), so a query that slipped past this check still reaches no host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# §19.8 character classes
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = rf"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
_ECHAR = r"(?:\\[tbnrf\\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})"  # with UCHAR, as engines accept in strings

_STRING = {  # the four string forms: the whole string, and what an unclosed one spans before it fails
    "'''": rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*",
    '"""': rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*',
    "'": rf"'(?:[^'\\\n\r]|{_ECHAR})*",
    '"': rf'"(?:[^"\\\n\r]|{_ECHAR})*',
}
_STRING_WHOLE = {opener: re.compile(body + re.escape(opener)) for opener, body in _STRING.items()}
_STRING_SPAN = {opener: re.compile(body) for opener, body in _STRING.items()}
_PREFIXED_NAME = re.compile(rf"{_PN_PREFIX}:(?:{_PN_LOCAL})?")
_NAME_RUN = re.compile(rf"[{_PN_CHARS}.]*")
_NAME_START = re.compile(rf"[{_PN_CHARS_BASE}]")
_TOKEN = re.compile(  # every terminal but strings and prefixed names with a prefix (see tokens)
    rf"""(?P<ws>[\x20\t\r\n]+)
      | (?P<comment>\#[^\r\n]*)
      | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
      | (?P<var>[?$]{_VARNAME})
      | (?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
      | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
      | (?P<pname>:(?:{_PN_LOCAL})?)
      | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<brace>[{{}}])
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FETCHING = ("SERVICE", "LOAD")


def expand_codepoints(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters, as §19.2 asks before parsing."""
    def char(m: re.Match) -> str:
        value = int(m.group(1) or m.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\uFFFD"

    return _CODEPOINT.sub(char, text)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) for each token but white space: at each offset the first terminal that
    matches, as a regular-expression lexer tries them, in time linear in the text.

    Two terminals are tried by hand so that no stretch of text is scanned again from every offset in it
    (a 60,000-character query of ``a.a.a…`` or of ``\'\'\'…`` after an opening quote took half a minute):
    a prefixed name is tried only where the run of name characters it starts ends in a colon after no
    dot, and a string that does not close is not tried again from the quotes it spanned, which are
    escaped quotes and would scan the same rest of the text."""
    pos, n = 0, len(text)
    run_end = 0  # where the run of name characters the offset is in ends
    unclosed: dict[str, int] = {}  # a string opener -> the end of the text an unclosed string of it spanned
    while pos < n:
        ch = text[pos]
        if ch in "'\"":
            found = None
            for opener in (ch * 3, ch):
                if text.startswith(opener, pos) and pos >= unclosed.get(opener, 0):
                    found = _STRING_WHOLE[opener].match(text, pos)
                    if found:
                        break
                    unclosed[opener] = _STRING_SPAN[opener].match(text, pos).end()
            if found:
                yield "string", found.group(), pos
                pos = found.end()
            else:
                yield "other", ch, pos
                pos += 1
            continue
        m = None
        if _NAME_START.match(ch):
            if pos >= run_end:
                run_end = _NAME_RUN.match(text, pos).end()
            if text.startswith(":", run_end) and text[run_end - 1] != ".":
                m = _PREFIXED_NAME.match(text, pos)
        m = m or _TOKEN.match(text, pos)
        kind = "pname" if m.re is _PREFIXED_NAME else m.lastgroup
        if kind != "ws":
            yield kind, m.group(), pos
        pos = m.end()


def keywords(text: str) -> list[tuple[str, int, int]]:
    """Bare words (upper-cased) with their offset and brace depth, in the text as written."""
    out, depth = [], 0
    for kind, tok, pos in tokens(text):
        if kind == "brace":
            depth += 1 if tok == "{" else -1
        elif kind == "word":
            out.append((tok.upper(), pos, depth))
    return out


def _fetching_word(text: str) -> str | None:
    for kind, tok, _ in tokens(text):
        if kind == "word" or kind == "langtag":
            seen = tok.upper()
        elif kind == "pname":
            seen = tok.split(":", 1)[0].upper()
        else:
            continue
        for word in _FETCHING:
            if word in seen:
                return word
    return None


MAX_STRUCTURE = 1000
_NESTING_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "VALUES"})
_NESTING_MARKS = frozenset({"!", "^", "+", "-", "*", "/", "|", "&", "<"})


def structure(text: str) -> int:
    """An upper bound on how deep a parser's tree of the query can grow: the deepest nesting of round and
    square brackets (and, in a block of data, of braces), plus each token that can add a level wherever
    it stands — ``{``, the operators of expressions and paths (``!!!!x`` and ``1+1+1…`` nest as deeply as
    brackets do), ``<`` (quoted triples ``<< … >>`` nest) and the words that join a group's parts one after
    another (``UNION``, ``OPTIONAL``, ``MINUS``, ``BIND``, ``VALUES``).  Brackets side by side (the rows of
    ``VALUES (?a ?b) { (1 2) (3 4) … }``, blank nodes ``[ … ]``, function calls) add nothing, ``^^`` counts
    once, and the blocks of ``VALUES``, ``INSERT DATA`` and ``DELETE DATA`` hold data — terms, rows, triples,
    ``GRAPH`` blocks — whose signs, datatypes and side-by-side braces are not expressions."""
    count = depth = deepest = braces = 0
    previous, pending, data = "", False, 0  # data: the brace depth of the block of data being read, or 0
    for kind, tok, _ in tokens(text):
        word = tok.upper() if kind == "word" else ""
        if pending and kind not in ("var", "brace") and tok not in "()":
            pending = False  # only variables stand between VALUES and its block, nothing between DATA and its
        if kind == "brace":
            if tok == "{":
                braces += 1
                if pending:
                    data, pending = braces, False
                count += not data
                if data:
                    deepest = max(deepest, braces - data + 1)
            else:
                data = 0 if data == braces else data
                braces -= 1
        elif kind == "other" and tok in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "other" and tok in ")]":
            depth = max(depth - 1, 0)
        elif kind == "other":
            counted = tok in _NESTING_MARKS and not (tok in "&|^" and previous == tok)  # && || ^^ once each
            count += counted and (not data or tok == "<")
        elif word and not data:
            count += word in _NESTING_WORDS
            pending = word == "VALUES" or (word == "DATA" and previous.upper() in ("INSERT", "DELETE"))
        previous = tok
    return count + deepest


def fetches_remote(text: str) -> str | None:
    """'SERVICE' or 'LOAD' if the query or update could make the server fetch a URL, else None."""
    found = _fetching_word(text)
    if found is None and "\\" in text:
        found = _fetching_word(expand_codepoints(text))
    return found


def is_reset(update: str) -> bool:
    """The update is only ``DROP ALL`` or ``CLEAR ALL`` (SILENT or not): a deliberate emptying of the
    whole store, as opposed to a deletion that happens to remove required structure."""
    found = [(kind, tok.upper()) for kind, tok, _ in tokens(update) if kind != "comment"]
    if found and found[-1] == ("other", ";"):
        found.pop()
    words = [tok for kind, tok in found]
    return all(kind == "word" for kind, _ in found) and words[:1] in (["DROP"], ["CLEAR"]) and \
        words[1:] in (["ALL"], ["SILENT", "ALL"])


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
