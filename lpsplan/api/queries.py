"""The named questions over HTTP: ``/api/queries`` and ``/api/queries/{name}``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from .. import tables
from ..resolve import KINDS, Resolver, resolve_params
from ..sparql.formats import content_type

router = APIRouter(tags=["Named questions"])
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/api/queries", summary="The catalogue of named questions")
async def catalogue(request: Request) -> list[dict]:
    return [q.as_dict() for q in request.app.state.catalogue]


@router.get("/api/queries/{name}/text", summary="A named question's SPARQL, with its parameters filled in",
            responses={200: {"content": {"application/sparql-query": {}}}})
async def text(request: Request, name: str) -> Response:
    question = _question(request, name)
    params = await _resolved(request, question, dict(request.query_params))
    return Response(question.render(params), media_type="application/sparql-query; charset=utf-8")


async def _resolved(request: Request, question, params: dict) -> dict:
    """Entity parameters (a domain, unit, technology) by any of their names: the entity's canonical name,
    or a 400 that names the closest ones."""
    if not any(p.type in KINDS and p.name in params for p in question.params):
        return params
    question.render(params)  # unknown parameters first
    return await run_in_threadpool(resolve_params, question, params, resolver(request))


def resolver(request: Request) -> Resolver:
    """The names of the current data, read again only when the store has changed."""
    return request.app.state.project.resolver()


def _question(request: Request, name: str):
    from ..queries import QueryError
    from ..sparql.errors import NotFound

    try:
        return request.app.state.catalogue.get(name)
    except QueryError as exc:
        raise NotFound(str(exc)) from None  # a 404 that lists the known questions


@router.get("/api/queries/{name}", summary="Answer a named question",
            openapi_extra={"parameters": [
                {"name": "format", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["rows", "json", "xml", "csv", "tsv", "csv-bom", "xlsx"]},
                 "description": "rows: a JSON list of objects; csv-bom: CSV with a byte-order mark (Excel reads it as UTF-8); "
                                "xlsx: an Excel workbook (a download); otherwise a SPARQL result format (default: by Accept, else SPARQL JSON)."},
                {"name": "(parameter)", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "Each of the question's parameters, by name (see /api/queries)."}],
                "responses": {"200": {"description": "The answer", "content": {"application/json": {}, "application/sparql-results+json": {},
                                                                                   "text/csv": {}, "text/tab-separated-values": {},
                                                                                   XLSX_MEDIA: {}}},
                              "400": {"description": "Unknown parameter or a value of the wrong type"},
                              "404": {"description": "No such question"}}})
async def answer(request: Request, name: str) -> Response:
    question = _question(request, name)
    params = dict(request.query_params)
    fmt = params.pop("format", None)
    sparql = question.render(await _resolved(request, question, params))
    backend = request.app.state.project.backend
    if fmt in ("rows", "csv-bom", "xlsx"):
        result = await run_in_threadpool(backend.query, sparql, fmt="json")
        doc = json.loads(result.body)
        columns = doc["head"]["vars"]
        rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
        if fmt == "rows":
            return Response(json.dumps(rows, ensure_ascii=False), media_type="application/json")
        body = await run_in_threadpool(tables.render, rows, fmt, columns, question.name)
        filename = f"{question.name}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
        return Response(body, media_type=tables.MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    result = await run_in_threadpool(backend.query, sparql, accept=request.headers.get("accept"), fmt=fmt)
    # without format= the answer's format is the Accept header's: a cache in front keeps one answer per Accept
    return Response(result.body, media_type=content_type(result.media), headers=None if fmt else {"Vary": "Accept"})
