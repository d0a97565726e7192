"""Network analytics and views over HTTP: ``/api/network/{view}`` and ``/viz/…``."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from .. import tables
from ..network import NetworkError, NetworkFilter, PlanNetwork, as_json, export
from ..sparql.errors import NotFound
from ..viz import VIEWS, ViewOptions, render_index, render_view

router = APIRouter(tags=["Networks"])
GRAPHS = ("coownership", "unit-clause", "unit-domain", "unit-task")
MEDIA = {"json": "application/json", "graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "csv": "text/csv; charset=utf-8"}


def _load(request: Request) -> PlanNetwork:
    return request.app.state.project.network()


@router.get("/api/network/{view}", summary="A responsibility network: nodes, edges and unit metrics (or GraphML, GEXF, CSV)",
            responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}, 404: {"description": "Unknown view"},
                       400: {"description": "Unknown domain or task"}})
async def network(request: Request, view: str, domain: str | None = None, task: int | None = Query(None, ge=1),
                  section: int | None = Query(None, ge=1), min_weight: int = Query(1, ge=1), expand_groups: bool = False,
                  plan: str | None = Query(None, description="Only these plans (slugs or IRIs, comma-separated); all plans by default."),
                  format: Literal["json", "graphml", "gexf", "csv"] = "json") -> Response:
    if view not in GRAPHS:
        raise NotFound(f"no network {view!r}; networks: {', '.join(GRAPHS)}")
    filters = {"domain": domain, "task": task, "section": section, "expand_groups": expand_groups, "plan": plan}

    def build():
        net = _load(request)  # an unknown domain, task or unit: a NetworkError, a 400 from the app's one error handler
        g = net.graph(view, NetworkFilter(min_weight=min_weight, **filters))
        metrics = net.metrics(min_weight=min_weight, **filters) if format == "json" else []
        if format == "json":
            return json.dumps(as_json(g, metrics), ensure_ascii=False).encode("utf-8")
        return export(g, format)

    return Response(await run_in_threadpool(build), media_type=MEDIA[format])


@router.get("/api/network/{view}/metrics", summary="Per-unit metrics of a network as a table (JSON, CSV, CSV for Excel, XLSX)",
            responses={200: {"content": {"application/json": {}, "text/csv": {}, tables.MEDIA["xlsx"]: {}}},
                       404: {"description": "Unknown view"}, 400: {"description": "Unknown domain or task"}})
async def metrics_table(request: Request, view: str, domain: str | None = None, task: int | None = Query(None, ge=1),
                        section: int | None = Query(None, ge=1), min_weight: int = Query(1, ge=1), expand_groups: bool = False,
                        plan: str | None = None, format: Literal["json", "csv", "csv-bom", "xlsx"] = "json") -> Response:
    if view not in GRAPHS:
        raise NotFound(f"no network {view!r}; networks: {', '.join(GRAPHS)}")
    filters = {"domain": domain, "task": task, "section": section, "expand_groups": expand_groups, "plan": plan}

    def build():
        rows = _load(request).metrics(min_weight=min_weight, **filters)
        return tables.render(rows, format, None, "metrics")

    data = await run_in_threadpool(build)
    headers = {} if format == "json" else {"Content-Disposition": f'attachment; filename="metrics.{"xlsx" if format == "xlsx" else "csv"}"'}
    return Response(data, media_type=tables.MEDIA[format], headers=headers)


@router.get("/api/network", summary="Per-domain figures: units and density of the co-ownership network")
async def domains(request: Request, expand_groups: bool = False) -> list[dict]:
    return await run_in_threadpool(lambda: _load(request).domain_metrics(expand_groups=expand_groups))


@router.get("/viz/", include_in_schema=False)
async def index() -> HTMLResponse:
    return HTMLResponse(render_index())


def _task_number(task: str | None) -> int | None:
    """The view form's task: "" (the form's "all") or absent is every task; otherwise a task's number, in ASCII
    digits (``①`` and ``²`` count as digits to str.isdigit but are no number), else a 400."""
    if not task:
        return None
    if not (task.isascii() and task.isdigit() and len(task) <= 9 and int(task) >= 1):
        raise NetworkError(f"task must be a task's number (1, 2, …), not {task[:40]!r}")
    return int(task)


@router.get("/viz/{view}", summary="An interactive view (HTML, offline: vis-network is inlined)", tags=["Networks"],
            responses={200: {"content": {"text/html": {}}}, 404: {"description": "Unknown view"},
                       400: {"description": "Unknown domain, task, unit or plan, or a filter the tree view does not take"}})
async def view(request: Request, view: str, domain: str | None = None, task: str | None = None, min_weight: int = Query(1, ge=1),
               expand_groups: bool = False, unit: str | None = None, kind: Literal["domain", "task"] = "domain",
               color: Literal["type", "community"] = "type", lang: Literal["zh", "en"] = "zh", limit: int = Query(150, ge=1, le=2000),
               plan: str | None = None) -> HTMLResponse:
    if view not in VIEWS:
        raise NotFound(f"no view {view!r}; views: {', '.join(VIEWS)}")
    task_number = _task_number(task)
    opts = ViewOptions(domain=domain or None, task=task_number, min_weight=min_weight, expand_groups=expand_groups,
                       unit=unit, kind=kind, color=color, lang=lang, limit=limit, plan=plan or None)

    def build():
        return render_view(view, _load(request), opts)

    page = await run_in_threadpool(build)
    return HTMLResponse(page.html, headers={"Content-Security-Policy": page.csp()})
