"""A page per named question: ``/questions`` (the catalogue by theme) and
``/questions/{name}`` — the question in zh/en, a form for its parameters (with the
graph's domains and units to choose from), the answer as a table and, where it has
a numeric column, a bar chart (Chart.js, served locally), downloads (CSV, CSV for Excel, XLSX, JSON), the SPARQL
text and a link that opens it in the query editor."""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..errors import LpsplanError
from ..queries import THEMES, QueryError
from ..resolve import KINDS, resolve_params
from ..sparql.errors import NotFound
from .pages import NAV, _link, page
from .queries import resolver as names_of

router = APIRouter()
MAX_SHOWN = 500
MAX_BARS = 60
NOT_MEASURES = {"position", "positionA", "positionB", "ordinal", "start", "end", "rank", "row"}  # numbers that are not amounts


@router.get("/questions", include_in_schema=False)
async def catalogue(request: Request) -> HTMLResponse:
    groups = []
    questions = list(request.app.state.catalogue)
    for key, (zh, en) in THEMES.items():
        items = "".join(f"<li><a href='/questions/{q.name}'>{escape(q.title_zh)}</a> — {escape(q.title_en)}"
                        f"<br><small>{escape(q.description)}</small></li>" for q in questions if q.theme == key)
        if items:
            groups.append(f"<h2>{escape(zh)} {escape(en)}</h2><ul class='questions'>{items}</ul>")
    rest = "".join(f"<li><a href='/questions/{q.name}'>{escape(q.title_zh)}</a> — {escape(q.title_en)}</li>"
                   for q in questions if q.theme not in THEMES)
    if rest:
        groups.append(f"<h2>其他 Other</h2><ul class='questions'>{rest}</ul>")
    body = f"<header><h1>命名问题 Named questions</h1>{NAV}</header><main>{''.join(groups)}</main>"
    return page("命名问题 Named questions", body)


@router.get("/questions/{name}", include_in_schema=False)
async def question_page(request: Request, name: str) -> HTMLResponse:
    try:
        question = request.app.state.catalogue.get(name)
    except QueryError as exc:
        raise NotFound(str(exc)) from None
    given = {k: v for k, v in request.query_params.items() if k in {p.name for p in question.params}}
    backend = request.app.state.backend

    def run():
        resolver = names_of(request)
        choices = {p.name: [e.zh for e in resolver.entities(p.type)] for p in question.params if p.type in KINDS}
        try:
            sparql = question.render(resolve_params(question, given, resolver))
            answer = backend.query(sparql, fmt="json")
        except LpsplanError as exc:
            return choices, question.render({}), None, str(exc)
        doc = json.loads(answer.body)
        rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
        return choices, sparql, (doc["head"]["vars"], rows), None

    choices, sparql, answer, error = await run_in_threadpool(run)
    body = (f"<header><h1>{escape(question.title_zh)}</h1>{NAV}</header><main>"
            f"<p class='lead'>{escape(question.title_en)}</p><p>{escape(question.description)}</p>"
            f"{_form(question, given, choices)}")
    if error:
        body += f"<p class='error' role='alert'>{escape(error)}</p>"
    else:
        columns, rows = answer
        query = urlencode(given)
        api = f"/api/queries/{question.name}?{query}{'&' if query else ''}format="
        body += (f"<p class='downloads'>下载 Download: <a href='{escape(api)}csv'>CSV</a> · <a href='{escape(api)}csv-bom'>CSV (Excel)</a> · "
                 f"<a href='{escape(api)}xlsx'>XLSX</a> · <a href='{escape(api)}rows'>JSON</a> · "
                 f"<a href='/#query={quote(sparql)}&amp;tabTitle={quote(question.title_zh)}'>在编辑器中打开 Open in the editor</a></p>"
                 f"{_chart(columns, rows)}{_table(columns, rows)}")
    body += f"<details><summary>SPARQL</summary><pre class='sparql'>{escape(sparql)}</pre></details></main>"
    scripts = ("/ui/chart/chart.js", "/static/question.js") if "answer-chart" in body else ()
    return HTMLResponse(page(question.title_zh, body, scripts=scripts).body, status_code=400 if error else 200)


def _form(question, given: dict, choices: dict) -> str:
    if not question.params:
        return ""
    fields = []
    for p in question.params:
        value = given.get(p.name, p.default)
        datalist = ""
        if p.name in choices:
            datalist = f"<datalist id='choices-{p.name}'>" + "".join(f"<option value='{escape(c, quote=True)}'>" for c in choices[p.name]) + "</datalist>"
        kind = "number" if p.type == "integer" else "text"
        listed = f" list='choices-{p.name}'" if datalist else ""
        fields.append(f"<label>{escape(p.name)} <small>{escape(p.description)}</small>"
                      f"<input type='{kind}' name='{escape(p.name, quote=True)}' value='{escape(value, quote=True)}'{listed} size='40'></label>{datalist}")
    return f"<form class='params' method='get' action='/questions/{question.name}'>{''.join(fields)}<button type='submit'>查询 Ask</button></form>"


def _chart(columns: list[str], rows: list[dict]) -> str:
    """A bar chart (drawn by Chart.js, served locally) of the first numeric column against the first text column,
    for answers with both and at most MAX_BARS rows; the data travel in an attribute, as escaped JSON."""
    numeric = [c for c in columns if c not in NOT_MEASURES and all(_number(r.get(c)) is not None for r in rows)]
    text = [c for c in columns if c not in numeric and not any(str(r.get(c, "")).startswith(("http://", "https://")) for r in rows)]
    if not rows or not numeric or not text or len(rows) > MAX_BARS:
        return ""
    label, value = text[0], numeric[0]
    data = {"label": value, "labels": [r.get(label, "") for r in rows], "values": [_number(r[value]) for r in rows]}
    height = 60 + 22 * len(rows)
    return (f"<figure class='chart' style='height:{height}px'><canvas id='answer-chart' data-chart='{escape(json.dumps(data, ensure_ascii=False), quote=True)}'>"
            f"</canvas><figcaption>{escape(value)} · {escape(label)}</figcaption></figure>")


def _table(columns: list[str], rows: list[dict]) -> str:
    if not rows:
        return "<p class='rows'>(0 rows)</p>"
    numeric = [c for c in columns if all(_number(r.get(c)) is not None for r in rows)]
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    lines = []
    for r in rows[:MAX_SHOWN]:
        cells = []
        for c in columns:
            v = r.get(c, "")
            if c in numeric:
                cells.append(f"<td class='num'>{escape(v)}</td>")
            elif v.startswith(("http://", "https://")):
                cells.append(f"<td>{_link(v, v.rsplit('/', 1)[-1] or v)}</td>")
            else:
                cells.append(f"<td>{escape(v)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    more = f"<p class='note'>showing {MAX_SHOWN} of {len(rows)} rows; the downloads have all</p>" if len(rows) > MAX_SHOWN else ""
    return f"<p class='rows'>({len(rows)} row{'s' if len(rows) != 1 else ''})</p><table class='answer'><tr>{head}</tr>{''.join(lines)}</table>{more}"


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
