"""Interactive network views (pyvis / vis-network), drawn from :mod:`lpsplan.network`.

Pages are self-contained HTML: vis-network comes from the pyvis package and is
inlined, so a view opens offline and behind firewalls; no CDN is referenced.
"""

from .render import VIEWS, ViewOptions, render_index, render_view

__all__ = ["VIEWS", "ViewOptions", "render_index", "render_view"]
