"""Units that convert into one another, as the ontology lists them (``lps:UnitOfMeasure``):
the same table the named question and the SHACL shapes read, so the three agree."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4)
def unit_table(ontology_file: str) -> dict[str, tuple[str, float]]:
    """symbol → (quantity kind, factor), e.g. 亿元 → (money, 1e8)."""
    from rdflib import Graph

    from ..vocab import LPS

    g = Graph().parse(ontology_file, format="turtle")
    table = {}
    for unit in g.subjects(LPS.symbol, None):
        table[str(g.value(unit, LPS.symbol))] = (str(g.value(unit, LPS.quantityKind)), float(g.value(unit, LPS.factor).toPython()))
    return table


def convert(value: float, unit: str, to: str, ontology_file: str | Path) -> float | None:
    """``value`` in ``unit`` expressed in ``to``; None when the two are not comparable (% and 个)."""
    if unit == to:
        return value
    table = unit_table(str(ontology_file))
    a, b = table.get(unit), table.get(to)
    if a is None or b is None or a[0] != b[0]:
        return None
    return value * a[1] / b[1]
