"""What the query editor, the API documentation and the question pages need, served
from this machine: the graph's vocabulary for autocompletion (``/api/vocabulary``),
Swagger UI at ``/docs`` from the npm package ``swagger-ui-dist`` and Chart.js from
the npm package ``chart.js`` (installed into ``api/ui/node_modules`` by ``make
setup``, like the editor: no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..queries import THEMES
from ..sparql.errors import NotFound
from .templating import installed_asset, page

router = APIRouter()
SWAGGER_FILES = {"swagger-ui-bundle.js": "application/javascript", "swagger-ui.css": "text/css"}
CHART = Path("chart.js") / "dist" / "chart.umd.min.js"  # the named-question pages' bar charts (npm package chart.js)
MAX_LABELS = 5000

VOCABULARY = """
SELECT DISTINCT ?term ?kind WHERE {
  { { ?s a ?term } UNION { GRAPH ?g { ?s a ?term } } BIND("class" AS ?kind) }
  UNION { { ?s ?term ?o } UNION { GRAPH ?g { ?s ?term ?o } } BIND("property" AS ?kind) }
}"""
LABELS = f"""
SELECT DISTINCT ?label WHERE {{
  VALUES ?p {{ <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2004/02/skos/core#altLabel>
              <http://purl.org/dc/terms/title> <http://www.w3.org/2000/01/rdf-schema#label> }}
  {{ ?s ?p ?label }} UNION {{ GRAPH ?g {{ ?s ?p ?label }} }}
  FILTER(STRLEN(?label) <= 60)
}} ORDER BY ?label LIMIT {MAX_LABELS}"""


def swagger_dir(request: Request) -> Path:
    return request.app.state.settings.paths.api / "ui" / "node_modules" / "swagger-ui-dist"


@router.get("/api/vocabulary", tags=["Service"], summary="The graph's classes, properties and labels (the query editor's autocompletion)")
async def vocabulary(request: Request) -> dict:
    select = request.app.state.project.select_text

    def read():
        terms = select(VOCABULARY)
        labels = [r["label"] for r in select(LABELS)]
        return {
            "classes": sorted({r["term"] for r in terms if r["kind"] == "class" and r["term"].startswith(("http://", "https://"))}),
            "properties": sorted({r["term"] for r in terms if r["kind"] == "property"}),
            "labels": labels,
            "themes": {k: {"zh": zh, "en": en} for k, (zh, en) in THEMES.items()},
        }

    return await run_in_threadpool(read)


@router.get("/docs", include_in_schema=False)
async def docs(request: Request) -> HTMLResponse:
    if not (swagger_dir(request) / "swagger-ui-bundle.js").is_file():
        return page("docs.html", title="lpsplan API", lang="en", swagger=False)
    return page("docs.html", title="lpsplan API", lang="en", swagger=True, own_style=False, styles=["/ui/swagger/swagger-ui.css"],
                scripts=["/ui/swagger/swagger-ui-bundle.js", "/static/docs.js"])


@router.get("/ui/swagger/{name}", include_in_schema=False)
async def swagger_asset(request: Request, name: str) -> Response:
    if name not in SWAGGER_FILES:
        raise NotFound(f"no API browser asset {name!r}")
    return installed_asset(swagger_dir(request) / name, SWAGGER_FILES[name], "the API browser")


@router.get("/ui/chart/chart.js", include_in_schema=False)
async def chart_asset(request: Request) -> Response:
    return installed_asset(request.app.state.settings.paths.api / "ui" / "node_modules" / CHART, "application/javascript",
                           "the chart library")
