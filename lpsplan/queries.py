"""The named questions in ``queries/*.rq``.

Each file is plain SPARQL 1.1 that runs as it stands (its parameters' defaults
are written in ``VALUES ?name { … }`` blocks), with a header of comment lines::

    # title@zh: 领域条款的共同责任单位
    # title@en: Units co-owning a domain's clauses
    # description: …
    # param domain: string = 现代煤化工 ; the domain's Chinese label

:func:`NamedQuery.render` puts a caller's values into those VALUES blocks as
properly escaped SPARQL terms, so a parameter can never change the query's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import SLUG_RE
from .errors import LpsplanError

HEADER_RE = re.compile(r"^#\s*([\w@-]+)(?:\s+(\w+))?\s*:\s*(.*)$")
PARAM_RE = re.compile(r"^(string|integer|iri|domain|unit|technology)\s*=\s*(.*?)\s*(?:;\s*(.*))?$")
NAME_RE = SLUG_RE  # a question's name is its file's stem, written as a slug
IRI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
# what a question is about (its `# theme:` line): the query editor groups its tabs by these
THEMES = {"coownership": ("共同负责", "Co-ownership"), "units": ("单位", "Units"), "domains": ("领域与技术", "Domains and technologies"),
          "targets": ("目标", "Targets"), "plans": ("多个规划", "Across plans"), "provenance": ("来源", "Provenance")}


class QueryError(LpsplanError):
    """A named question that does not exist, or a parameter value that does not fit."""

    exit_code = 2


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str
    description: str

    def term(self, value: object) -> str:
        """The value as a SPARQL term, or QueryError if it does not fit the type."""
        text = str(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", text.strip()):
                raise QueryError(f"parameter {self.name!r} takes a whole number, not {text!r}")
            return str(int(text))
        if self.type == "iri":
            if not IRI_RE.match(text):
                raise QueryError(f"parameter {self.name!r} takes an absolute IRI, not {text!r}")
            return f"<{text}>"
        if len(text) > 1000:
            raise QueryError(f"parameter {self.name!r} is longer than 1,000 characters")
        if re.search(r"\\[uU][0-9A-Fa-f]{4}", text):  # SPARQL expands these before parsing, even inside strings
            raise QueryError(f"parameter {self.name!r} contains a \\u escape sequence; give the character itself")
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "default": self.default, "description": self.description}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title_zh: str
    title_en: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str = ""
    theme: str = ""

    @property
    def form(self) -> str:
        head = re.sub(r"(?m)^\s*(#.*|PREFIX\s.*|BASE\s.*)?$\n?", "", self.text).lstrip().split(None, 1)
        return head[0].upper() if head else ""

    def slots(self) -> dict[str, tuple[int, int]]:
        """Where each parameter's value stands in the template: the inside of its ``VALUES ?name { … }``
        block, as (start, end) offsets into :attr:`text`, found once in the trusted template."""
        found = {}
        for p in self.params:
            m = re.search(rf"VALUES\s+\?{p.name}\s*\{{([^}}]*)\}}", self.text)
            if m is None:
                raise QueryError(f"{self.path or self.name}: parameter {p.name!r} has no 'VALUES ?{p.name} {{ … }}' block")
            found[p.name] = m.span(1)
        return found

    def render(self, values: dict[str, object] | None = None) -> str:
        """The query with the given parameter values (others keep their defaults).

        All values are put in at once, each as one typed SPARQL term (a literal, an IRI or an
        integer) at its block's place in the template: a value is never searched again, so one
        value can neither be read as SPARQL nor reach another parameter's block."""
        values = dict(values or {})
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise QueryError(f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                             f"it takes {', '.join(p.name for p in self.params) or 'none'}")
        terms = {p.name: p.term(values[p.name]) for p in self.params if p.name in values}
        slots = self.slots()
        out, last = [], 0
        for name, (start, end) in sorted(((n, slots[n]) for n in terms), key=lambda item: item[1]):
            out += [self.text[last:start], f" {terms[name]} "]
            last = end
        out.append(self.text[last:])
        return "".join(out)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": {"zh": self.title_zh, "en": self.title_en}, "description": self.description,
                "form": self.form, "params": [p.as_dict() for p in self.params], "theme": self.theme}


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = HEADER_RE.match(line)
        if not m:
            continue
        key, arg, value = m.groups()
        if key == "param":
            pm = PARAM_RE.match(value)
            if not arg or not pm:
                raise QueryError(f"{path}: bad parameter line {line!r} (want '# param NAME: TYPE = DEFAULT ; description')")
            default = pm.group(2).strip('"')
            params.append(Param(arg, pm.group(1), default, pm.group(3) or ""))
            if not re.search(rf"VALUES\s+\?{arg}\s*\{{", text):
                raise QueryError(f"{path}: parameter {arg!r} has no 'VALUES ?{arg} {{ … }}' block")
        else:
            fields[key] = value.strip()
    missing = [k for k in ("title@zh", "title@en", "description") if k not in fields]
    if missing:
        raise QueryError(f"{path}: header lacks {', '.join(missing)}")
    theme = fields.get("theme", "")
    if theme and theme not in THEMES:
        raise QueryError(f"{path}: unknown theme {theme!r}; themes: {', '.join(THEMES)}")
    return NamedQuery(path.stem, fields["title@zh"], fields["title@en"], fields["description"], tuple(params), text, str(path), theme)


@dataclass
class Catalogue:
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: str | Path) -> Catalogue:
        found = {}
        for path in sorted(Path(folder).glob("*.rq")):
            if not NAME_RE.match(path.stem):
                raise QueryError(f"{path}: query file names are lowercase-with-hyphens")
            found[path.stem] = parse_query_file(path)
        return cls(found)

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise QueryError(f"no named question {name!r}; known: {', '.join(self.queries)}") from None

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def describe(self) -> str:
        """One line a question: its name, its titles in Chinese and English, its parameters with their defaults."""
        lines = []
        for q in self:
            params = ", ".join(f"{p.name}={p.default!r}" for p in q.params)
            lines.append(f"{q.name:<28} {q.title_zh} / {q.title_en}" + (f"  [{params}]" if params else ""))
        return "\n".join(lines)
