"""Asking the plan graph from Python (notebooks, scripts), in process.

>>> import lpsplan.client as lc
>>> lc.query("coownership-domain", domain="现代煤化工").to_dataframe()   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Settings
from .queries import Catalogue
from .resolve import Resolver, resolve_params
from .store import Store, open_plan_store


@dataclass
class Result:
    columns: list[str]
    rows: list[dict[str, object]]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas is imported only here)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def __len__(self) -> int:
        return len(self.rows)


def query(name_or_sparql: str, params: dict[str, object] | None = None, *, settings: Settings | None = None,
          store: Store | None = None, **kw) -> Result:
    """Answer a named question (by name) or a SELECT query (by text) over the built plan graph."""
    settings = settings or Settings.from_env()
    values = {**(params or {}), **kw}
    if name_or_sparql.strip() and " " not in name_or_sparql.strip():
        question = Catalogue.load(settings.paths.queries).get(name_or_sparql.strip())
        question.render(values)  # unknown parameters and ill-typed values are refused before the store is opened
        store = store or open_plan_store(settings)
        sparql = question.render(resolve_params(question, values, Resolver(store.select)))
    else:
        sparql = name_or_sparql
    store = store or open_plan_store(settings)
    rows = store.select(sparql)
    variables = [v.value for v in store.query(sparql).variables] if not rows else list(rows[0])
    return Result(variables, rows)
