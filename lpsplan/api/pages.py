"""Pages for people: the query UI at ``/``, a page for every resource, health and metrics."""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from ..sparql.backend import select_rows
from ..sparql.errors import NotFound, ProtocolError
from ..sparql.formats import content_type, negotiate
from .protocol import check_iri

router = APIRouter()
STATIC = Path(__file__).parent / "static"
YASGUI_FILES = {"yasgui.min.js": "application/javascript", "yasgui.min.css": "text/css"}
PREFIXES = {
    "lps": "https://w3id.org/lpsplan/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/", "org": "http://www.w3.org/ns/org#", "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#", "foaf": "http://xmlns.com/foaf/0.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def yasgui_dir(request: Request) -> Path:
    return request.app.state.settings.paths.api / "ui" / "node_modules" / "@zazuko" / "yasgui" / "build"


def page(title: str, body: str, scripts: tuple[str, ...] = (), styles: tuple[str, ...] = ()) -> HTMLResponse:
    head = "".join(f"<link rel='stylesheet' href='{s}'>" for s in ("/static/lpsplan.css", *styles))
    tail = "".join(f"<script src='{s}'></script>" for s in scripts)
    return HTMLResponse(f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
                        f"<title>{escape(title)}</title>{head}</head><body>{body}{tail}</body></html>")


NAV = ("<nav><a href='/'>查询 Query</a> · <a href='/viz/'>网络视图 Network views</a> · <a href='/questions'>命名问题 Named questions</a> · <a href='/search'>搜索 Search</a> · "
       "<a href='/docs'>API</a> · <a href='/sparql'>服务描述 Service description</a></nav>")


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    questions = "".join(f"<li><a href='/questions/{q.name}'>{escape(q.title_zh)}</a> — {escape(q.title_en)}</li>"
                        for q in request.app.state.catalogue)
    if (yasgui_dir(request) / "yasgui.min.js").is_file():
        body = (f"<header><h1>lpsplan SPARQL</h1>{NAV}</header><main><p class='questions'><label>命名问题 Named question "
                "<select id='question-menu'><option value=''>—</option></select></label></p><div id='yasgui' data-endpoint='/sparql'></div>"
                f"<details><summary>命名问题 Named questions</summary><ul>{questions}</ul></details></main>")
        return page("lpsplan SPARQL", body, scripts=("/ui/yasgui.min.js", "/static/ui.js"), styles=("/ui/yasgui.min.css",))
    body = (f"<header><h1>lpsplan SPARQL</h1>{NAV}</header><main>"
            "<p class='note'>The full query editor (YASGUI) is installed by <code>make setup</code>; this plain form works without it.</p>"
            "<form method='get' action='/sparql'><textarea name='query' rows='12' cols='100'>"
            + escape("".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 10")
            + "</textarea><br><select name='format'><option>json</option><option>csv</option><option>tsv</option><option>xml</option>"
            f"</select> <button>Run</button></form><h2>命名问题 Named questions</h2><ul>{questions}</ul></main>")
    return page("lpsplan SPARQL", body)


@router.get("/ui/{name}", include_in_schema=False)
async def ui_asset(request: Request, name: str) -> Response:
    if name not in YASGUI_FILES:
        raise NotFound(f"no UI asset {name!r}")
    path = yasgui_dir(request) / name
    if not path.is_file():
        raise NotFound("the query editor is not installed; run `make setup`")
    return FileResponse(path, media_type=YASGUI_FILES[name])


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str) -> Response:
    path = STATIC / name
    if "/" in name or not path.is_file():
        raise NotFound(f"no static file {name!r}")
    return FileResponse(path)


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
    backend = request.app.state.backend
    explicit = {"turtle": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "rdfxml": "application/rdf+xml"}
    fmt = request.query_params.get("format")
    if fmt and fmt not in explicit:
        raise ProtocolError(f"unknown format {fmt!r}; use one of: {', '.join(explicit)}")
    media = explicit[fmt] if fmt else negotiate(request.headers.get("accept"), ["text/html", *RDF_OUT], "text/html")
    if media != "text/html":
        answer = await run_in_threadpool(backend.query, f"DESCRIBE <{iri}>", fmt=RDF_OUT[media] if RDF_OUT[media] != "xml" else "rdfxml")
        if not answer.body.strip() or answer.body.strip() in (b"[]", b"{}"):
            raise NotFound(f"nothing is known about <{iri}>")
        return Response(answer.body, media_type=content_type(answer.media), headers={"Vary": "Accept"})
    out = await run_in_threadpool(select_rows, backend, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o LIMIT 2000")
    inc = await run_in_threadpool(select_rows, backend, f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?p ?s LIMIT 500")
    if not out and not inc:
        raise NotFound(f"nothing is known about <{iri}>")
    span = await run_in_threadpool(select_rows, backend, f"""
        SELECT ?start ?end ?content WHERE {{ <{iri}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?r .
          ?r <http://www.w3.org/ns/oa#hasSelector> ?sel ; <http://www.w3.org/ns/oa#hasSource> ?src .
          ?sel <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end .
          ?src <https://w3id.org/lpsplan/ontology#content> ?content }} ORDER BY ?start LIMIT 1""")
    extra = await run_in_threadpool(_for_people, backend, iri, out, inc)
    title = _title(iri, out)
    if title == iri:  # a clause or a target has no label: name it after its place and content
        title = extra["heading"] or iri
    return page(title, _resource_body(iri, out, inc, span[0] if span else None, title=title, **extra))


def _for_people(backend, iri: str, out: list[dict], inc: list[dict]) -> dict:
    """Names for the IRIs on the page, the breadcrumb and the kind's own sections (lpsplan.api.resources)."""
    from . import resources

    def select(q):
        return select_rows(backend, q)

    types = [r["o"] for r in out if r["p"].endswith("#type")]
    names = resources.names(select, [r["o"] for r in out] + [r["p"] for r in out] + [r["s"] for r in inc] + [r["p"] for r in inc])
    return {"names": names, "crumbs": resources.breadcrumb(select, iri, _link), "sections": resources.sections(select, iri, types, _link),
            "heading": resources.heading(select, iri, out)}


def _title(iri: str, out: list[dict]) -> str:
    labels = [r["o"] for r in out if r["p"].endswith(("#prefLabel", "/title", "#label"))]
    labels.sort(key=lambda text: not any("\u4e00" <= ch <= "\u9fff" for ch in text))  # the Chinese name first
    return labels[0] if labels else iri


def _short(iri: str) -> str:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


def resource_href(iri: str) -> str:
    """The page of ``iri`` as an attribute value: the IRI percent-encoded whole (``#``, ``&``, ``'`` and
    all), so it stays one query parameter, then HTML-escaped."""
    from urllib.parse import quote

    return escape("/resource?iri=" + quote(iri, safe=""), quote=True)


def _link(value: str, label: str | None = None) -> str:
    if value.startswith(("http://", "https://")):
        return f"<a href='{resource_href(value)}'>{escape(label or _short(value))}</a>"
    text = value if len(value) <= 300 else value[:300] + "…"
    return escape(text)


def _resource_body(iri: str, out: list[dict], inc: list[dict], span: dict | None, names: dict | None = None, crumbs: str = "",
                   sections: str = "", title: str | None = None, heading: str = "") -> str:
    from .resources import label

    names = names or {}

    def named(value: str) -> str:
        return _link(value, label(names.get(value)))

    def term(value: str) -> str:  # a property: its name, and its prefixed name for those writing queries
        return named(value) + (f" <small><code>{escape(_short(value))}</code></small>" if value in names else "")

    types = [r["o"] for r in out if r["p"].endswith("#type")]
    labels = "".join(f"<p class='label'>{escape(r['o'])}</p>" for r in out if r["p"].endswith(("#prefLabel", "/title")))
    rows = "".join(f"<tr><th>{term(r['p'])}</th><td>{named(r['o'])}</td></tr>" for r in out if not r["p"].endswith("#content"))
    back = "".join(f"<tr><td>{named(r['s'])}</td><th>{term(r['p'])}</th></tr>" for r in inc)
    source = ""
    if span:
        start, end, content = int(span["start"]), int(span["end"]), span["content"]
        before, marked, after = content[max(0, start - 80):start], content[start:end], content[end:end + 80]
        source = (f"<h2>原文 Source text <small>[{start}–{end}]</small></h2><blockquote class='source'>…{escape(before)}"
                  f"<mark>{escape(marked)}</mark>{escape(after)}…</blockquote>")
    alt = resource_href(iri)
    return (f"<header><h1>{escape(title or _title(iri, out))}</h1>{NAV}</header><main>{crumbs}<p class='iri'><code>{escape(iri)}</code> "
            f"<span class='types'>{' '.join(named(t) for t in types)}</span></p>{labels}{source}{sections}"
            f"<details open><summary>全部三元组 All triples</summary><h2>属性 Properties</h2><table>{rows}</table>"
            f"<h2>被引用 Linked from</h2><table>{back or '<tr><td>—</td></tr>'}</table></details>"
            f"<p class='formats'><a href='{alt}&amp;format=turtle' type='text/turtle'>Turtle</a> · JSON-LD by "
            f"<code>Accept: application/ld+json</code> · <a href='/#query={quote(f'SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}')}'>"
            "在编辑器中打开 Open in the editor</a></p></main>")


