"""Pages for the views: a self-contained HTML document per view, and an index.

The page carries vis-network (from the pyvis package) inline, the graph as JSON
data, a filter form, a legend and a 中文/English switch.  Its two inline scripts
are listed by SHA-256 so the service can send a Content-Security-Policy that
allows exactly them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..network import PlanNetwork
from . import views

VIEWS = {
    "coownership": ("共同负责网络", "Co-ownership network", "Units joined by the clauses they share; size: clauses carried; width: shared clauses."),
    "bipartite": ("单位—领域", "Units and domains", "Which units work on which key domains (or tasks, with kind=task); width: clauses."),
    "ego": ("单位视图", "One unit", "A unit's domains and tasks (width: its clauses there; click one for its clauses) and the co-owners of those clauses."),
    "tree": ("规划结构树", "The plan as a tree", "Plan → sections → domains and tasks → clauses → units: click a domain or task to open it, a clause for its units."),
}
TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class ViewOptions:
    domain: str | None = None
    task: int | None = None
    section: int | None = None
    min_weight: int = 1
    expand_groups: bool = False
    unit: str | None = None
    kind: str = "domain"
    color: str = "type"
    lang: str = "zh"
    limit: int = 150
    plan: str | None = None

    def filters(self) -> dict:
        return {"domain": self.domain or None, "task": self.task or None, "section": self.section or None,
                "expand_groups": self.expand_groups, "plan": self.plan or None}


@dataclass
class Page:
    html: str
    script_hashes: list[str] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0

    def csp(self) -> str:
        scripts = " ".join(f"'sha256-{h}'" for h in self.script_hashes)
        return (f"default-src 'self'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(text: str) -> str:
    """JSON text made safe inside an HTML ``<script>`` block: ``<``, ``>``, ``&`` and the two line
    separators as \\u escapes, so no data (``</script>``, ``<!--``) can end or change the block; the
    JSON value is the same."""
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text) if any(ch in text for ch in _SCRIPT_ESCAPES) else text


def _sha256(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


def render_view(name: str, data: PlanNetwork, opts: ViewOptions, base: str = "") -> Page:
    """One view as a page.  ``base`` prefixes links (empty for a standalone file)."""
    if name not in VIEWS:
        from ..network import NetworkError

        raise NetworkError(f"no view {name!r}; views: {', '.join(VIEWS)}")
    if name == "coownership":
        net, legend, note = views.coownership(data, color=opts.color, min_weight=opts.min_weight, limit=opts.limit, **opts.filters())
    elif name == "bipartite":
        net, legend, note = views.bipartite(data, kind=opts.kind, min_weight=opts.min_weight, **opts.filters())
    elif name == "ego":
        if not opts.unit:
            from ..network import NetworkError

            raise NetworkError("the ego view needs a unit (e.g. unit=市科技局)")
        net, legend, note = views.ego(data, unit=opts.unit, **opts.filters())
    else:
        given = [k for k, v in opts.filters().items() if v and k != "expand_groups"]
        if given:  # the tree is the whole plan: a filter it would not apply is refused, not silently dropped
            from ..network import NetworkError

            raise NetworkError(f"the tree view draws the whole plan and takes no {' or '.join(given)} filter; "
                               "the coownership, bipartite and ego views do")
        net, legend, note = views.tree(data)
    nodes, edges, _, _, _, options = net.get_network_data()
    graph = json.dumps({"nodes": nodes, "edges": edges, "options": json.loads(options), "lang": opts.lang}, ensure_ascii=False)
    vis_js, vis_css = _vis_assets()
    app_js = (TEMPLATES / "view.js").read_text(encoding="utf-8")
    title_zh, title_en, about = VIEWS[name]
    chosen = data.unit_iri(opts.unit) if opts.unit else None  # the dropdown shows the unit drawn, however it was named
    selected_unit = next((r.unit_zh for r in data.rows if r.unit == chosen), None)
    html = _env().get_template("view.html").render(
        title_zh=title_zh, title_en=title_en, about=about, view=name, opts=opts, legend=legend, note=note,
        domains=data.domains(), tasks=sorted({r.part_ordinal for r in data.rows if r.part_kind == "task"}),
        units=sorted({r.unit_zh for r in data.rows}), selected_unit=selected_unit, plans=data.plans(), base=base, vis_js=vis_js, vis_css=vis_css, app_js=app_js,
        graph_json=script_json(graph), counts=(len(nodes), len(edges)),
    )
    return Page(html, [_sha256(vis_js), _sha256(app_js)], len(nodes), len(edges))


def render_index(base: str = "") -> str:
    items = "".join(f"<li><a href='{base}/viz/{name}{'?unit=市科技局' if name == 'ego' else ''}'>{escape(zh)} / {escape(en)}</a> — {escape(about)}</li>"
                    for name, (zh, en, about) in VIEWS.items())
    return ("<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>lpsplan views</title>"
            f"<link rel='stylesheet' href='{base}/static/lpsplan.css'></head><body><header><h1>网络视图 Network views</h1>"
            f"<nav><a href='{base}/'>查询 Query</a> · <a href='{base}/api/network/coownership'>JSON</a></nav></header>"
            f"<main><ul>{items}</ul><p>每个视图都可离线打开;筛选条件见页面顶部。Each view opens offline; filters are at its top.</p></main></body></html>")
