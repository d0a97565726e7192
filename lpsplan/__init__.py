"""lpsplan: government policy plans as a validated RDF knowledge graph.

Nothing is built at import time.  Start from :class:`lpsplan.config.Settings`
and :func:`lpsplan.build.build_plan`.
"""

__version__ = "0.1.0"
