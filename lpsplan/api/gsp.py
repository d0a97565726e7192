"""SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

Indirect addressing: ``/store?graph=<IRI>`` or ``/store?default``.  Direct
addressing: ``/store/<path>`` names the graph whose IRI is that request URL.
``POST /store`` with neither creates a new graph and answers 201 with its
Location.  Writes need the bearer token and pass the SHACL gate.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from ..sparql.errors import ProtocolError
from ..sparql.formats import content_type
from .protocol import check_iri, endpoint_url, iris, media_type, read_body, require_token, values

router = APIRouter(tags=["SPARQL 1.1 Graph Store HTTP Protocol"])

GRAPH_PARAMS = [
    {"name": "graph", "in": "query", "required": False, "schema": {"type": "string"}, "description": "The graph's IRI (indirect addressing)."},
    {"name": "default", "in": "query", "required": False, "schema": {"type": "string"}, "allowEmptyValue": True, "description": "Address the default graph."},
]
RDF_BODY = {"content": {m: {"schema": {"type": "string"}} for m in ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]}}
GET_DOC = {"parameters": GRAPH_PARAMS, "responses": {"200": {"description": "The graph", "content": {m: {} for m in RDF_BODY["content"]}},
                                                     "404": {"description": "No such graph"}}}
WRITE_DOC = {"parameters": GRAPH_PARAMS, "requestBody": RDF_BODY,
             "responses": {"201": {"description": "Created"}, "204": {"description": "Replaced or merged"},
                           "401": {"description": "No bearer token"}, "403": {"description": "Wrong token or updates disabled"},
                           "422": {"description": "The result would break the SHACL shapes; nothing was changed"}}}


def target(request: Request, path: str | None) -> str | None:
    """The graph a request addresses: None for the default graph."""
    params = list(request.query_params.multi_items())
    graphs, default = iris(params, "graph"), any(k == "default" for k, _ in params)
    if path:
        if graphs or default:
            raise ProtocolError("direct addressing (/store/…) takes no 'graph' or 'default' parameter")
        return check_iri(endpoint_url(request, f"/store/{path}"), "the graph named by this URL")
    if len(graphs) > 1 or (graphs and default):
        raise ProtocolError("name one graph: either ?graph=IRI or ?default")
    if graphs:
        return graphs[0]
    if default:
        return None
    raise ProtocolError("name the graph: /store?graph=IRI, /store?default, or /store/<path>")


async def rdf_body(request: Request) -> tuple[bytes, str]:
    media, _ = media_type(request)
    body = await read_body(request)
    if media.startswith("multipart/form-data"):
        return await _multipart(request, body)
    return body, media


async def _multipart(request: Request, body: bytes) -> tuple[bytes, str]:
    """Merge the RDF parts of a multipart/form-data POST into one N-Triples body."""
    import pyoxigraph as ox
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartParser

    from ..sparql.backend import parse_rdf

    async def stream():
        yield body

    form = await MultiPartParser(request.headers, stream(), max_part_size=request.app.state.settings.max_body).parse()
    triples = []
    for _, part in form.multi_items():
        if isinstance(part, UploadFile):
            triples += parse_rdf(await part.read(), part.content_type or "text/turtle", None)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "application/n-triples"


async def _get(request: Request, path: str | None, head: bool) -> Response:
    graph = target(request, path)
    answer = await run_in_threadpool(request.app.state.backend.get_graph, graph, request.headers.get("accept"))
    headers = {"Vary": "Accept"}
    if head:
        return Response(status_code=200, media_type=content_type(answer.media), headers=headers)
    return Response(answer.body, media_type=content_type(answer.media), headers=headers)


async def _write(request: Request, path: str | None, method: str) -> Response:
    require_token(request)
    backend = request.app.state.backend
    if method == "POST" and not path and not request.query_params:
        graph = endpoint_url(request, f"/store/{uuid.uuid4().hex}")
        data, media = await rdf_body(request)
        await run_in_threadpool(backend.put_graph, graph, data, media)
        return Response(status_code=201, headers={"Location": graph})
    graph = target(request, path)
    if method == "DELETE":
        await run_in_threadpool(backend.delete_graph, graph)
        return Response(status_code=204)
    data, media = await rdf_body(request)
    write = backend.put_graph if method == "PUT" else backend.post_graph
    created = await run_in_threadpool(write, graph, data, media)
    return Response(status_code=201 if created else 204)


@router.get("/store", openapi_extra=GET_DOC, summary="Get a graph (indirect addressing)")
async def store_get(request: Request) -> Response:
    return await _get(request, None, head=False)


@router.head("/store", include_in_schema=False)
async def store_head(request: Request) -> Response:
    return await _get(request, None, head=True)


@router.put("/store", openapi_extra=WRITE_DOC, summary="Replace a graph", status_code=204)
async def store_put(request: Request) -> Response:
    return await _write(request, None, "PUT")


@router.post("/store", openapi_extra=WRITE_DOC, summary="Merge into a graph, or create one", status_code=204)
async def store_post(request: Request) -> Response:
    return await _write(request, None, "POST")


@router.delete("/store", openapi_extra={"parameters": GRAPH_PARAMS}, summary="Delete a graph", status_code=204)
async def store_delete(request: Request) -> Response:
    return await _write(request, None, "DELETE")


@router.get("/store/{path:path}", openapi_extra={"responses": GET_DOC["responses"]}, summary="Get a graph (direct addressing)")
async def direct_get(request: Request, path: str) -> Response:
    return await _get(request, path, head=False)


@router.head("/store/{path:path}", include_in_schema=False)
async def direct_head(request: Request, path: str) -> Response:
    return await _get(request, path, head=True)


@router.put("/store/{path:path}", openapi_extra={"requestBody": RDF_BODY}, summary="Replace a graph (direct)", status_code=204)
async def direct_put(request: Request, path: str) -> Response:
    return await _write(request, path, "PUT")


@router.post("/store/{path:path}", openapi_extra={"requestBody": RDF_BODY}, summary="Merge into a graph (direct)", status_code=204)
async def direct_post(request: Request, path: str) -> Response:
    return await _write(request, path, "POST")


@router.delete("/store/{path:path}", summary="Delete a graph (direct)", status_code=204)
async def direct_delete(request: Request, path: str) -> Response:
    return await _write(request, path, "DELETE")
