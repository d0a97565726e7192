"""Pages for people: the query UI at ``/``, a page for every resource, health and metrics."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from ..sparql.errors import NotFound, ProtocolError
from ..sparql.formats import content_type, negotiate
from ..vocab import PREFIXES as VOCAB_PREFIXES
from . import resources
from .protocol import check_iri
from .templating import installed_asset, page, resource_url

router = APIRouter()
STATIC = Path(__file__).parent / "static"
YASGUI_FILES = {"yasgui.min.js": "application/javascript", "yasgui.min.css": "text/css"}
PREFIXES = {prefix: str(ns) for prefix, ns in VOCAB_PREFIXES.items()}  # what the query UI preloads


def yasgui_dir(request: Request) -> Path:
    return request.app.state.settings.paths.api / "ui" / "node_modules" / "@zazuko" / "yasgui" / "build"


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    editor = (yasgui_dir(request) / "yasgui.min.js").is_file()
    example = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 10"
    if editor:
        return page("home.html", title="lpsplan SPARQL", editor=True, questions=list(request.app.state.catalogue),
                    scripts=["/ui/yasgui.min.js", "/static/ui.js"], styles=["/ui/yasgui.min.css"])
    return page("home.html", title="lpsplan SPARQL", editor=False, questions=list(request.app.state.catalogue), example=example)


@router.get("/ui/{name}", include_in_schema=False)
async def ui_asset(request: Request, name: str) -> Response:
    if name not in YASGUI_FILES:
        raise NotFound(f"no UI asset {name!r}")
    return installed_asset(yasgui_dir(request) / name, YASGUI_FILES[name], "the query editor")


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str) -> Response:
    # looked up among the folder's files, never handed to the file system: a name longer than the file system
    # takes (256 characters) made os.stat raise, a 500
    if name not in static_files():
        raise NotFound(f"no static file {name[:100]!r}")
    return FileResponse(STATIC / name)


@lru_cache(maxsize=1)
def static_files() -> frozenset[str]:
    return frozenset(p.name for p in STATIC.iterdir() if p.is_file())


@router.get("/api/prefixes", tags=["Service"], summary="The prefixes the query UI preloads")
async def prefixes() -> dict[str, str]:
    return PREFIXES


@router.get("/healthz", tags=["Service"], summary="Liveness and store size")
async def healthz(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    triples = await run_in_threadpool(backend.triples)
    return JSONResponse({"status": "ok", "store": backend.kind, "triples": triples})


@router.get("/metrics", tags=["Service"], summary="Prometheus metrics",
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}})
async def metrics(request: Request) -> Response:
    return Response(request.app.state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


# ------------------------------------------------------------------ resources

RDF_OUT = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt", "application/rdf+xml": "xml"}
RESOURCE_DOC = {200: {"description": "The resource: an HTML page, or its description in RDF by the Accept header or `format`",
                      "content": {m: {"schema": {"type": "string"}} for m in ["text/html", *RDF_OUT]}}}


@router.get("/id/{path:path}", tags=["Linked data"], summary="Dereference a data IRI (HTML, Turtle or JSON-LD)", responses=RESOURCE_DOC)
async def dereference(request: Request, path: str) -> Response:
    return await describe(request, request.app.state.settings.base_iri + path)


@router.get("/resource", tags=["Linked data"], summary="Any resource by its IRI (HTML, Turtle or JSON-LD)", responses=RESOURCE_DOC)
async def resource(request: Request, iri: str = Query(..., description="The resource's IRI")) -> Response:
    return await describe(request, iri)


async def describe(request: Request, iri: str) -> Response:
    check_iri(iri, "iri")  # it is written into a query between <…>: nothing else may get in
    project = request.app.state.project
    explicit = {"turtle": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "rdfxml": "application/rdf+xml"}
    fmt = request.query_params.get("format")
    if fmt and fmt not in explicit:
        raise ProtocolError(f"unknown format {fmt!r}; use one of: {', '.join(explicit)}")
    media = explicit[fmt] if fmt else negotiate(request.headers.get("accept"), ["text/html", *RDF_OUT], "text/html")
    if media != "text/html":
        answer = await run_in_threadpool(project.backend.query, f"DESCRIBE <{iri}>", fmt=RDF_OUT[media] if RDF_OUT[media] != "xml" else "rdfxml")
        if not answer.body.strip() or answer.body.strip() in (b"[]", b"{}"):
            raise NotFound(f"nothing is known about <{iri}>")
        return Response(answer.body, media_type=content_type(answer.media), headers={"Vary": "Accept"})
    out = await run_in_threadpool(project.select_text, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o LIMIT 2000")
    inc = await run_in_threadpool(project.select_text, f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?p ?s LIMIT 500")
    if not out and not inc:
        raise NotFound(f"nothing is known about <{iri}>")
    span = await run_in_threadpool(project.select_text, f"""
        SELECT ?start ?end ?content WHERE {{ <{iri}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?r .
          ?r <http://www.w3.org/ns/oa#hasSelector> ?sel ; <http://www.w3.org/ns/oa#hasSource> ?src .
          ?sel <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end .
          ?src <https://w3id.org/lpsplan/ontology#content> ?content }} ORDER BY ?start LIMIT 1""")
    extra = await run_in_threadpool(_for_people, project.select_text, iri, out, inc)
    title = _title(iri, out)
    if title == iri:  # a clause or a target has no label: name it after its place and content
        title = extra.pop("heading") or iri
    extra.pop("heading", None)
    response = page("resource.html", title=title, iri=iri, out=[r for r in out if not r["p"].endswith("#content")], inc=inc,
                    types=[r["o"] for r in out if r["p"].endswith("#type")], span=_span(span[0]) if span else None,
                    labels=[r["o"] for r in out if r["p"].endswith(("#prefLabel", "/title"))], label=resources.label, **extra)
    if not fmt:  # the page by Accept, as Turtle or JSON-LD for another Accept: a cache keeps them apart
        response.headers["Vary"] = "Accept"
    return response


def _for_people(select, iri: str, out: list[dict], inc: list[dict]) -> dict:
    """Names for the IRIs on the page, the breadcrumb and the kind's own sections (lpsplan.api.resources)."""
    types = [r["o"] for r in out if r["p"].endswith("#type")]
    names = resources.names(select, [r["o"] for r in out] + [r["p"] for r in out] + [r["s"] for r in inc] + [r["p"] for r in inc])
    return {"names": names, "crumbs": resources.breadcrumb(select, iri), "section": resources.sections(select, iri, types),
            "heading": resources.heading(select, iri, out)}


def _span(row: dict) -> dict:
    """The resource's words in the plan's text, with 80 characters either side."""
    start, end, content = int(row["start"]), int(row["end"]), row["content"]
    return {"start": start, "end": end, "before": content[max(0, start - 80):start], "marked": content[start:end],
            "after": content[end:end + 80]}


def _title(iri: str, out: list[dict]) -> str:
    labels = [r["o"] for r in out if r["p"].endswith(("#prefLabel", "/title", "#label"))]
    labels.sort(key=lambda text: not any("\u4e00" <= ch <= "\u9fff" for ch in text))  # the Chinese name first
    return labels[0] if labels else iri


def resource_href(iri: str) -> str:
    """The page of ``iri`` as an attribute value: the IRI percent-encoded whole (``#``, ``&``, ``'`` and
    all), so it stays one query parameter, then HTML-escaped (for HTML written outside the templates)."""
    return escape(resource_url(iri), quote=True)
