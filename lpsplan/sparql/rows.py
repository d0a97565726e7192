"""A SELECT answer as typed rows: the one shape every reader of the store returns.

Whether the rows come from the embedded Oxigraph store in this process or from a
SPARQL server's JSON results, a value is a plain Python value by the same rules:
IRIs, blank nodes and strings as ``str``; ``xsd:integer`` (and int, long) as ``int``,
``xsd:decimal`` as ``Decimal``, ``xsd:double`` as ``float``, ``xsd:boolean`` as
``bool``; an unbound variable as ``None`` (embedded) or absent (the JSON has no key).
"""

from __future__ import annotations

import json
from decimal import Decimal

XSD = "http://www.w3.org/2001/XMLSchema#"


def _boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


CONVERT = {
    XSD + "integer": int,
    XSD + "int": int,
    XSD + "long": int,
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "boolean": _boolean,
}


def typed(text: str, datatype: str | None) -> object:
    """A literal's lexical form as a Python value of its datatype (ill-formed: the text as it is)."""
    convert = CONVERT.get(datatype) if datatype else None
    if convert is None:
        return text
    try:
        return convert(text)
    except (ValueError, ArithmeticError):
        return text


class Rows(list):
    """A SELECT answer: a list of dicts (one per solution, typed values) that knows its ``columns``
    (the query's variables, in order, also when there are no rows), and turns itself into a table."""

    def __init__(self, rows=(), columns: list[str] | None = None):
        super().__init__(rows)
        self.columns = list(columns) if columns is not None else (list(self[0]) if self else [])

    @property
    def rows(self) -> list[dict[str, object]]:
        return list(self)

    @classmethod
    def from_json(cls, body: bytes | str) -> Rows:
        """SPARQL 1.1 Query Results JSON, as any server sends it."""
        doc = json.loads(body)
        if "boolean" in doc:
            from .errors import ProtocolError

            raise ProtocolError("select() needs a SELECT query; this is an ASK")
        columns = doc.get("head", {}).get("vars", [])
        rows = []
        for binding in doc.get("results", {}).get("bindings", []):
            row = {}
            for name, term in binding.items():
                kind = term.get("type")
                row[name] = typed(term["value"], term.get("datatype")) if kind in ("literal", "typed-literal") else term["value"]
            rows.append(row)
        return cls(rows, columns)

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas is imported only here)."""
        import pandas as pd

        return pd.DataFrame(list(self), columns=self.columns)

    def to_csv(self, bom: bool = False) -> str:
        from ..tables import to_csv

        return to_csv(list(self), self.columns, bom=bom).decode("utf-8")

    def to_xlsx(self, sheet: str = "answer") -> bytes:
        from ..tables import to_xlsx

        return to_xlsx(list(self), self.columns, sheet)
