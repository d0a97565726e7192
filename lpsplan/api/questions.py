"""A page per named question: ``/questions`` (the catalogue by theme) and
``/questions/{name}`` — the question in zh/en, a form for its parameters (with the
graph's domains and units to choose from), the answer as a table and, where it has
a numeric column, a bar chart (Chart.js, served locally), downloads (CSV, CSV for Excel, XLSX, JSON), the SPARQL
text and a link that opens it in the query editor."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..errors import LpsplanError
from ..queries import THEMES, QueryError
from ..resolve import KINDS, resolve_params
from ..sparql.errors import NotFound
from .queries import resolver as names_of
from .templating import page

router = APIRouter()
MAX_SHOWN = 500
MAX_BARS = 60
NOT_MEASURES = {"position", "positionA", "positionB", "ordinal", "start", "end", "rank", "row"}  # numbers that are not amounts


@router.get("/questions", include_in_schema=False)
async def catalogue(request: Request) -> HTMLResponse:
    questions = list(request.app.state.catalogue)
    groups = [(zh, en, [q for q in questions if q.theme == key], True) for key, (zh, en) in THEMES.items()]
    groups.append(("其他", "Other", [q for q in questions if q.theme not in THEMES], False))
    return page("catalogue.html", title="命名问题 Named questions", groups=[g for g in groups if g[2]])


@router.get("/questions/{name}", include_in_schema=False)
async def question_page(request: Request, name: str) -> HTMLResponse:
    try:
        question = request.app.state.catalogue.get(name)
    except QueryError as exc:
        raise NotFound(str(exc)) from None
    given = {k: v for k, v in request.query_params.items() if k in {p.name for p in question.params}}
    backend = request.app.state.project.backend

    def run():
        resolver = names_of(request)
        choices = {p.name: [e.zh for e in resolver.entities(p.type)] for p in question.params if p.type in KINDS}
        try:
            question.render(given)  # the values' own checks (a length cap among them) before any name is looked up
            sparql = question.render(resolve_params(question, given, resolver))
            answer = backend.query(sparql, fmt="json")
        except LpsplanError as exc:
            return choices, question.render({}), None, str(exc)
        doc = json.loads(answer.body)
        rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
        return choices, sparql, (doc["head"]["vars"], rows), None

    choices, sparql, answer, error = await run_in_threadpool(run)
    columns, rows = answer or ([], [])
    query = urlencode(given)
    chart = _chart(columns, rows)
    return page("question.html", status=400 if error else 200, title=question.title_zh, question=question, given=given,
                choices=choices, error=error, sparql=sparql, columns=columns, rows=rows, max_shown=MAX_SHOWN,
                numeric=[c for c in columns if all(_number(r.get(c)) is not None for r in rows)], chart=chart,
                api=f"/api/queries/{question.name}?{query}{'&' if query else ''}format=",
                scripts=["/ui/chart/chart.js", "/static/question.js"] if chart else [])


def _chart(columns: list[str], rows: list[dict]) -> dict | None:
    """A bar chart (drawn by Chart.js, served locally) of the first numeric column against the first text column,
    for answers with both and at most MAX_BARS rows; the data travel in an attribute, as JSON."""
    numeric = [c for c in columns if c not in NOT_MEASURES and all(_number(r.get(c)) is not None for r in rows)]
    text = [c for c in columns if c not in numeric and not any(str(r.get(c, "")).startswith(("http://", "https://")) for r in rows)]
    if not rows or not numeric or not text or len(rows) > MAX_BARS:
        return None
    label, value = text[0], numeric[0]
    data = {"label": value, "labels": [r.get(label, "") for r in rows], "values": [_number(r[value]) for r in rows]}
    return {"height": 60 + 22 * len(rows), "data": json.dumps(data, ensure_ascii=False), "label": label, "value": value}


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
