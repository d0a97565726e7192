"""Target tracking over HTTP: the ``/targets`` page (a table, a chart per target drawn on the
server, the sources one click away), the attainment records as JSON/CSV/XLSX, one chart as
SVG/PNG, and ``POST /api/observations`` (token, SHACL gate) to add observed values."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from html import escape
from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..sparql.backend import select_rows
from ..sparql.errors import NotFound, ProtocolError
from ..targets.attainment import STATUS_ZH, Attainment, attainment, summary, summary_line, summary_line_zh

router = APIRouter(tags=["Targets"])
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SLUG = Query("", description="Only this plan's targets (its slug, e.g. liupanshui-sti-2021-2023); every plan by default.",
             pattern=r"^$|^[a-z0-9]+(?:-[a-z0-9]+)*$")
STYLE = """
.summary { font-size: 1.1rem; margin: 0.4rem 0 1rem 0; }
table.targets th { width: auto; }
table.targets td.chart { width: 250px; }
.status { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.8rem; color: #fff; font-size: 0.85rem; white-space: nowrap; }
.status-met { background: #2e7d32; } .status-on-track { background: #1565c0; } .status-behind { background: #ef6c00; }
.status-missed { background: #c62828; } .status-no-data { background: #757575; }
td.sources { font-size: 0.85rem; min-width: 16rem; max-width: 24rem; }
td.sources ul { padding-left: 1rem; margin: 0; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
"""


def _records(request: Request, slug: str) -> list[Attainment]:
    backend = request.app.state.backend
    return attainment(lambda q: select_rows(backend, q), request.app.state.catalogue, slug)


@lru_cache(maxsize=256)
def _chart(key: str, a_json: str, ontology_file: str, fmt: str) -> bytes:
    from ..targets.attainment import Point
    from ..viz.targets import chart

    data = json.loads(a_json)
    points = [Point(**p) for p in data.pop("points")]
    return chart(Attainment(**data, points=points), ontology_file, fmt)


def chart_bytes(request: Request, a: Attainment, fmt: str) -> bytes:
    """A target's chart, drawn once per distinct state of its data (the cache key is the data itself)."""
    from dataclasses import asdict

    a_json = json.dumps(asdict(a), sort_keys=True, ensure_ascii=False)
    return _chart(f"{a.plan}#{a.ordinal}", a_json, str(request.app.state.settings.paths.ontology_file), fmt)


@router.get("/api/targets", summary="Attainment of every target, derived from the observations (JSON, CSV or XLSX)",
            responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}})
async def records(request: Request, plan: str = SLUG, format: Literal["json", "csv", "xlsx"] = "json") -> Response:
    from ..targets.export import table_bytes

    def build():
        found = _records(request, plan)
        if plan and not found:
            raise NotFound(f"no targets for plan {plan!r}")
        rows = [a.as_row() for a in found]
        if format == "json":
            return json.dumps({"summary": summary(found), "line": summary_line(found), "targets": rows},
                              ensure_ascii=False, default=str).encode("utf-8")
        return table_bytes(rows, format)

    return Response(await run_in_threadpool(build), media_type=MEDIA[format])


@router.get("/api/targets/{plan}/{ordinal}/chart", summary="One target's chart: baseline, observations, target line, required path",
            responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}, 404: {"description": "No such target"}})
async def target_chart(request: Request, plan: str, ordinal: int, format: Literal["svg", "png"] = "svg") -> Response:
    def build():
        found = [a for a in _records(request, plan) if a.ordinal == ordinal]
        if not found:
            raise NotFound(f"no target {ordinal} in plan {plan!r}")
        return chart_bytes(request, found[0], format)

    return Response(await run_in_threadpool(build), media_type="image/svg+xml" if format == "svg" else "image/png")


@router.post("/api/observations", summary="Add observed values (CSV body; bearer token; SHACL gate): all rows or none",
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True},
                            "responses": {"401": {"description": "No bearer token"}, "403": {"description": "Wrong token or updates disabled"},
                                          "422": {"description": "Rows refused (each with its reason); nothing was written"}}})
async def add_observations(request: Request, area: str = Query("liupanshui", pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")) -> Response:
    import tempfile
    from pathlib import Path

    from ..errors import SourceError
    from ..targets.observe import ImportRefused, write_observations
    from .protocol import read_body, require_token

    require_token(request)
    body = await read_body(request)

    def run():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "observations.csv"
            path.write_bytes(body)
            try:
                return write_observations(request.app.state.backend, request.app.state.settings, path, area)
            except SourceError as exc:
                raise ProtocolError(exc.message) from None

    try:
        report = await run_in_threadpool(run)
    except ImportRefused as exc:
        from .app import error_response

        return error_response(request, 422, "rows refused", str(exc), exc.report.as_dict() | {"file": "(request body)"})
    return Response(json.dumps(report.as_dict() | {"file": "(request body)"}, ensure_ascii=False), media_type="application/json")


@router.get("/targets", summary="The targets page: attainment table, a chart per target, sources (HTML)",
            responses={200: {"content": {"text/html": {}}}})
async def targets_page(request: Request, plan: str = SLUG) -> HTMLResponse:
    from .pages import NAV, page

    def build() -> str:
        found = _records(request, plan)
        if plan and not found:
            raise NotFound(f"no targets for plan {plan!r}")
        plans = sorted({a.slug for a in found})
        rows = "".join(_row(request, a) for a in found)
        links = " · ".join(f"<a href='/targets?plan={escape(s)}'>{escape(s)}</a>" for s in plans)
        return (f"<header><h1>目标完成情况 Target attainment</h1>{NAV}</header><main>"
                f"<style>{STYLE}</style>"
                f"<p class='summary' id='summary'>{escape(summary_line(found))}<br>{escape(summary_line_zh(found))}</p>"
                f"<p class='note'>由观测值推导,每次请求重新计算;每个数值附来源与原句。Derived from the observed values on every request; "
                f"each value links to its source, with the sentence that states it. Plans: {links} · "
                f"<a href='/api/targets?plan={escape(plan)}&format=csv'>CSV</a> · <a href='/api/targets?plan={escape(plan)}&format=xlsx'>XLSX</a> · "
                f"<a href='/api/targets?plan={escape(plan)}'>JSON</a></p>"
                "<table class='targets'><thead><tr><th>#</th><th>指标 Indicator</th><th>目标 Target</th><th>基期 Baseline</th>"
                "<th>最新 Latest</th><th>完成度 Share</th><th>年均增速 需要/实际 Growth required/actual</th><th>状态 Status</th>"
                f"<th>图 Chart</th><th>来源 Sources</th></tr></thead><tbody>{rows}</tbody></table></main>")

    html = await run_in_threadpool(build)
    return page("目标完成情况 Target attainment", html)


def _row(request: Request, a: Attainment) -> str:
    svg = base64.b64encode(chart_bytes(request, a, "svg")).decode("ascii")
    status = f"<span class='status status-{a.status.replace(' ', '-')}'>{escape(STATUS_ZH[a.status])} {escape(a.status)}</span>"
    baseline = f"{_n(a.baseline)} {escape(a.unit)} ({a.baseline_year})" if a.baseline is not None else "—"
    latest = f"{_n(a.value)} {escape(a.unit)} ({a.year})" if a.value is not None else "—"
    share = f"{a.share * 100:.1f}%" if a.share is not None else "—"
    growth = f"{_pct(a.required_growth)} / {_pct(a.actual_growth)}" if a.required_growth is not None else "—"
    sources = "".join(
        f"<li><a href='{escape(p.source)}' title='{escape(p.quote)}' rel='noreferrer'>{escape(p.publisher)} {escape(p.date)}</a>: "
        f"{p.year}{' 基期 baseline' if p.baseline else ''} — “{escape(p.quote)}”</li>" for p in a.points)
    return (f"<tr id='target-{escape(a.slug)}-{a.ordinal}' data-status='{escape(a.status)}'><td>{a.ordinal}</td><td>{escape(a.indicator)}</td>"
            f"<td class='num'>{escape(a.comparator)} {_n(a.target)} {escape(a.unit)} ({a.deadline})</td><td class='num'>{baseline}</td>"
            f"<td class='num'>{latest}</td><td class='num'>{share}</td><td class='num'>{growth}</td><td>{status}</td>"
            f"<td class='chart'><a href='/api/targets/{escape(a.slug)}/{a.ordinal}/chart?format=png'>"
            f"<img alt='chart of target {a.ordinal}' width='245' height='151' src='data:image/svg+xml;base64,{svg}'></a></td>"
            f"<td class='sources'>{'<ul>' + sources + '</ul>' if sources else '无 none'}</td></tr>")


def _n(v: float | None) -> str:
    return "" if v is None else f"{v:,.4f}".rstrip("0").rstrip(".")


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"
