"""Target tracking over HTTP: the ``/targets`` page (a table, a chart per target drawn on the
server, the sources one click away), the attainment records as JSON/CSV/XLSX, one chart as
SVG/PNG, and ``POST /api/observations`` (token, SHACL gate) to add observed values."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..config import DEFAULT_JURISDICTION, DEFAULT_SLUG, SLUG_PATTERN
from ..sparql.errors import NotFound, ProtocolError
from ..targets.attainment import STATUS_ZH, Attainment, summary, summary_line, summary_line_zh
from .errors import error_response

router = APIRouter(tags=["Targets"])
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SLUG = Query("", description=f"Only this plan's targets (its slug, e.g. {DEFAULT_SLUG}); every plan by default.",
             pattern=f"^$|^{SLUG_PATTERN}$")


def _records(request: Request, slug: str) -> list[Attainment]:
    return request.app.state.project.attainment(slug)


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
                                          "409": {"description": "An observation in the store (written by an update) cannot be carried over; nothing was written"},
                                          "422": {"description": "Rows refused (each with its reason); nothing was written"}}})
async def add_observations(request: Request, area: str = Query(DEFAULT_JURISDICTION, pattern=f"^{SLUG_PATTERN}$")) -> Response:
    import tempfile
    from pathlib import Path

    from ..errors import SourceError
    from ..targets.observe import ImportRefused
    from .protocol import read_body, require_token

    require_token(request)
    body = await read_body(request)

    def run():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "observations.csv"
            path.write_bytes(body)
            try:
                return request.app.state.project.observe(path, area)
            except SourceError as exc:
                raise ProtocolError(exc.message) from None

    try:
        report = await run_in_threadpool(run)
    except ImportRefused as exc:
        return error_response(request, 422, "rows refused", str(exc), exc.report.as_dict() | {"file": "(request body)"})
    return Response(json.dumps(report.as_dict() | {"file": "(request body)"}, ensure_ascii=False), media_type="application/json")


@router.get("/targets", summary="The targets page: attainment table, a chart per target, sources (HTML)",
            responses={200: {"content": {"text/html": {}}}})
async def targets_page(request: Request, plan: str = SLUG) -> HTMLResponse:
    from .templating import page

    def build() -> dict:
        found = _records(request, plan)
        if plan and not found:
            raise NotFound(f"no targets for plan {plan!r}")
        return {"summary": summary_line(found), "summary_zh": summary_line_zh(found), "plans": sorted({a.slug for a in found}),
                "rows": [(a, base64.b64encode(chart_bytes(request, a, "svg")).decode("ascii")) for a in found]}

    context = await run_in_threadpool(build)
    return page("targets.html", title="目标完成情况 Target attainment", plan=plan, status_zh=STATUS_ZH, **context)
