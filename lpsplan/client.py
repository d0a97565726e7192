"""Asking the plan graph from Python (notebooks, scripts): a shortcut to :class:`lpsplan.project.Project`.

>>> import lpsplan.client as lc
>>> lc.query("coownership-domain", domain="现代煤化工").to_dataframe()   # doctest: +SKIP
"""

from __future__ import annotations

from .config import Settings
from .project import Project
from .sparql.rows import Rows

Result = Rows  # the typed rows every read returns: .columns, .rows, to_dataframe(), to_csv(), to_xlsx()


def query(name_or_sparql: str, params: dict[str, object] | None = None, *, settings: Settings | None = None,
          store=None, **kw) -> Rows:
    """Answer a named question (by name) or a SELECT query (by text) over the store of ``settings``
    (the built plan graph, or the SPARQL server of ``settings.store``); ``store``: read this one instead."""
    return Project(settings, reader=store).query(name_or_sparql, params, **kw)
