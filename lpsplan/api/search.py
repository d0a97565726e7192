"""Search over HTTP: ``/api/search`` (JSON) and a page at ``/search`` with hits
highlighted in their text and facets with counts (lpsplan.search)."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..search import FACETS, KIND_NAMES, SearchError, SearchIndex
from ..sparql.backend import select_rows
from ..sparql.errors import ProtocolError
from .pages import NAV, _link, page

router = APIRouter(tags=["Search"])
FACET_NAMES = {"kind": "类型 Kind", "plan": "规划 Plan", "section": "部分 Section", "domain": "领域 Domain", "task": "任务 Task",
               "unit": "单位 Unit", "year": "年份 Year"}


def _index(request: Request) -> SearchIndex:
    """The index over the current data, rebuilt only when the store has changed."""
    state = request.app.state
    generation = getattr(state.backend, "generation", None)
    cached = getattr(state, "search_index", None)
    if cached is None or cached[0] != generation:
        state.search_index = (generation, SearchIndex.load(lambda q: select_rows(state.backend, q)))
    return state.search_index[1]


def _filters(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k in FACETS and v}


@router.get("/api/search", summary="Full-text search over clauses, technology directions, targets, units and plans, with facets")
async def search(request: Request, q: str = Query(..., description="Words to look for (Chinese is segmented), e.g. 煤化工技术"),
                 limit: int = Query(50, ge=1, le=500), kind: str | None = None, plan: str | None = None, section: str | None = None,
                 domain: str | None = None, task: str | None = None, unit: str | None = None, year: str | None = None) -> dict:
    filters = {k: v for k, v in {"kind": kind, "plan": plan, "section": section, "domain": domain, "task": task, "unit": unit,
                                 "year": year}.items() if v}

    def run():
        try:
            return _index(request).search(q, filters, limit).as_dict()
        except SearchError as exc:
            raise ProtocolError(str(exc)) from None

    return await run_in_threadpool(run)


@router.get("/search", include_in_schema=False)
async def search_page(request: Request, q: str = "") -> HTMLResponse:
    filters = _filters(request)
    form = (f"<form class='search' method='get' action='/search'><input type='search' name='q' value='{escape(q, quote=True)}' size='50' "
            "placeholder='煤化工技术 · 玄武岩 · R&amp;D · 人才'>" + "".join(f"<input type='hidden' name='{k}' value='{escape(v, quote=True)}'>"
                                                                      for k, v in filters.items()) + " <button>搜索 Search</button></form>")
    body, status = "", 200
    if q.strip():
        try:
            results = await run_in_threadpool(lambda: _index(request).search(q, filters, 100))
            body = _results(q, filters, results)
        except SearchError as exc:
            body, status = f"<p class='error' role='alert'>{escape(str(exc))}</p>", 400
    html = page("搜索 Search", f"<header><h1>搜索 Search</h1>{NAV}</header><main>{form}{body}</main>")
    return HTMLResponse(html.body, status_code=status)


def _url(q: str, filters: dict[str, str]) -> str:
    return "/search?" + urlencode({"q": q, **filters})


def _results(q: str, filters: dict[str, str], results) -> str:
    chosen = "".join(f"<a class='chosen' href='{escape(_url(q, {k: v for k, v in filters.items() if k != key}))}'>{escape(FACET_NAMES[key])}: "
                     f"{escape(value)} ✕</a> " for key, value in filters.items())
    facets = []
    for key, values in results.facets.items():
        if key in filters:
            continue
        items = "".join(f"<li><a href='{escape(_url(q, {**filters, key: v}))}'>{escape(_kind(v) if key == 'kind' else v)}</a> "
                        f"<span class='count'>{n}</span></li>" for v, n in values[:15])
        facets.append(f"<section class='facet' data-facet='{key}'><h3>{escape(FACET_NAMES[key])}</h3><ul>{items}</ul></section>")
    hits = []
    for h in results.hits:
        text = "".join(f"<mark>{escape(piece)}</mark>" if m else escape(piece) for piece, m in h.marked)
        hits.append(f"<li class='hit'><span class='kind'>{escape(_kind(h.doc.kind))}</span> {_link(h.doc.iri, h.doc.title)}<p>{text}</p></li>")
    words = " + ".join(escape(w) for w in results.words)
    return (f"<p class='rows'>{results.total} 条结果 hits for {words} {chosen}</p><div class='results'><aside>{''.join(facets)}</aside>"
            f"<ol class='hits'>{''.join(hits)}</ol></div>")


def _kind(kind: str) -> str:
    zh, en = KIND_NAMES.get(kind, (kind, kind))
    return f"{zh} {en}"
