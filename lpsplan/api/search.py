"""Search over HTTP: ``/api/search`` (JSON) and a page at ``/search`` with hits
highlighted in their text and facets with counts (lpsplan.search)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..search import FACETS, KIND_NAMES, SearchError, SearchIndex
from .templating import page

router = APIRouter(tags=["Search"])
FACET_NAMES = {"kind": "类型 Kind", "plan": "规划 Plan", "section": "部分 Section", "domain": "领域 Domain", "task": "任务 Task",
               "unit": "单位 Unit", "year": "年份 Year"}


def _index(request: Request) -> SearchIndex:
    """The index over the current data, rebuilt only when the store has changed."""
    return request.app.state.project.search_index()


def _filters(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k in FACETS and v}


@router.get("/api/search", summary="Full-text search over clauses, technology directions, targets, units and plans, with facets")
async def search(request: Request, q: str = Query(..., description="Words to look for (Chinese is segmented), e.g. 煤化工技术"),
                 limit: int = Query(50, ge=1, le=500), kind: str | None = None, plan: str | None = None, section: str | None = None,
                 domain: str | None = None, task: str | None = None, unit: str | None = None, year: str | None = None) -> dict:
    filters = {k: v for k, v in {"kind": kind, "plan": plan, "section": section, "domain": domain, "task": task, "unit": unit,
                                 "year": year}.items() if v}

    def run():  # words that cannot be searched: a SearchError, a 400 from the app's one error handler
        return _index(request).search(q, filters, limit).as_dict()

    return await run_in_threadpool(run)


@router.get("/search", include_in_schema=False)
async def search_page(request: Request, q: str = "") -> HTMLResponse:
    filters = _filters(request)
    results, error = None, None
    if q.strip():
        try:
            results = await run_in_threadpool(lambda: _index(request).search(q, filters, 100))
        except SearchError as exc:
            error = str(exc)
    chosen = [(key, value, _url(q, {k: v for k, v in filters.items() if k != key})) for key, value in filters.items()]
    facets = [(key, [(_kind(v) if key == "kind" else v, n, _url(q, {**filters, key: v})) for v, n in values[:15]])
              for key, values in (results.facets.items() if results else []) if key not in filters]
    return page("search.html", status=400 if error else 200, title="搜索 Search", q=q, filters=filters, results=results, error=error,
                chosen=chosen, facets=facets, facet_names=FACET_NAMES, kind_name=_kind)


def _url(q: str, filters: dict[str, str]) -> str:
    return "/search?" + urlencode({"q": q, **filters})


def _kind(kind: str) -> str:
    zh, en = KIND_NAMES.get(kind, (kind, kind))
    return f"{zh} {en}"
