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

from ..sparql.backend import require_graph
from ..sparql.errors import ProtocolError
from ..sparql.formats import content_type, rdf_media
from .protocol import answer_response, check_iri, endpoint_url, iris, media_type, read_body, require_token, require_utf8

router = APIRouter(tags=["SPARQL 1.1 Graph Store HTTP Protocol"])

GRAPH_PARAMS = [
    {"name": "graph", "in": "query", "required": False, "schema": {"type": "string", "format": "iri"},
     "description": "The graph's IRI (indirect addressing)."},
    {"name": "default", "in": "query", "required": False, "schema": {"type": "string"}, "allowEmptyValue": True, "description": "Address the default graph."},
]
RDF_BODY = {"content": {m: {"schema": {"type": "string"}} for m in ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]}}
GET_RESPONSES = {"200": {"description": "The graph", "content": {m: {} for m in RDF_BODY["content"]}}, "404": {"description": "No such graph"}}


def links(direct: bool, *, created: bool = False) -> dict:
    """OpenAPI links from a write to what may follow on the same graph (clients and stateful fuzzers follow them)."""
    if created:  # POST /store with no graph named: the new graph's IRI is in Location
        return {"GetCreatedGraph": {"operationId": "getGraph", "parameters": {"graph": "$response.header.Location"},
                                    "description": "The graph just created"}}
    suffix, parameters = ("Direct", {"path": "$request.path.path"}) if direct else ("", {"graph": "$request.query.graph"})
    return {f"{verb}Graph": {"operationId": f"{verb.lower()}Graph{suffix}", "parameters": parameters, "description": f"{verb} the same graph"}
            for verb in ("Get", "Put", "Post", "Delete")}


def write_doc(direct: bool, method: str) -> dict:
    after = {"links": links(direct)}
    responses = {"201": {"description": "Created: the graph did not exist before", **after},
                 "204": {"description": "Done: the graph existed and was replaced or merged into" if method != "DELETE" else "Deleted",
                         **after},
                 "400": {"description": "The body does not parse, nests too deeply (JSON-LD), declares RDF/XML entities "
                                        "that would stand for more than 16 Mi characters, or holds a quoted triple (RDF-star); "
                                        "nothing was changed"},
                 "401": {"description": "No bearer token"}, "403": {"description": "Wrong token or updates disabled"},
                 "422": {"description": "The result would break the SHACL shapes; nothing was changed"}}
    if method == "DELETE":
        del responses["201"]
        del responses["400"]
    if method == "POST" and not direct:
        responses["201"] = {"description": "Created: the named graph did not exist before, or (no graph named) a new graph, "
                                           "whose IRI is in Location", "links": {**links(False), **links(False, created=True)},
                            "headers": {"Location": {"description": "The new graph's IRI, when none was named",
                                                     "schema": {"type": "string"}}}}
    doc: dict = {"responses": responses}
    if method != "DELETE":
        doc["requestBody"] = RDF_BODY
    if not direct:
        doc["parameters"] = GRAPH_PARAMS
    return doc


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
    media, params = media_type(request)
    if media != "application/rdf+xml":  # Turtle, N-Triples, N-Quads, TriG and JSON-LD are UTF-8 by definition; XML says its own
        require_utf8(params)
    body = await read_body(request)
    if media.startswith("multipart/form-data"):
        return await _multipart(request, body)
    return body, media


async def _multipart(request: Request, body: bytes) -> tuple[bytes, str]:
    """Merge the RDF parts of a multipart/form-data POST into one N-Triples body."""
    import pyoxigraph as ox
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser

    from ..sparql.uploads import parse_rdf

    async def stream():
        yield body

    try:  # more than 1,000 parts, no boundary, a part without a name: the parser's own refusals, a 400 (they were a 500)
        form = await MultiPartParser(request.headers, stream(), max_part_size=request.app.state.settings.max_body).parse()
    except MultiPartException as exc:
        raise ProtocolError(f"the multipart/form-data body is refused: {exc.message}") from None
    triples = []
    for _, part in form.multi_items():
        if isinstance(part, UploadFile):
            triples += parse_rdf(await part.read(), part.content_type or "text/turtle", None)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "application/n-triples"


async def _get(request: Request, path: str | None, head: bool) -> Response:
    graph = target(request, path)
    backend = request.app.state.backend
    headers = {"Vary": "Accept"}
    if head:  # the status and type a GET would have, without writing the graph out
        media = rdf_media(request.headers.get("accept"))
        require_graph(await run_in_threadpool(backend.has_graph, graph), graph)
        return Response(status_code=200, media_type=content_type(media), headers=headers)
    answer = await run_in_threadpool(backend.get_graph, graph, request.headers.get("accept"))
    return answer_response(answer, headers, request.app.state.settings.send_timeout)


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


@router.get("/store", openapi_extra={"parameters": GRAPH_PARAMS, "responses": GET_RESPONSES}, summary="Get a graph (indirect addressing)",
            operation_id="getGraph")
async def store_get(request: Request) -> Response:
    return await _get(request, None, head=False)


@router.head("/store", include_in_schema=False)
async def store_head(request: Request) -> Response:
    return await _get(request, None, head=True)


@router.put("/store", openapi_extra=write_doc(False, "PUT"), summary="Replace a graph", status_code=204, operation_id="putGraph")
async def store_put(request: Request) -> Response:
    return await _write(request, None, "PUT")


@router.post("/store", openapi_extra=write_doc(False, "POST"), summary="Merge into a graph, or create one", status_code=204,
             operation_id="postGraph")
async def store_post(request: Request) -> Response:
    return await _write(request, None, "POST")


@router.delete("/store", openapi_extra=write_doc(False, "DELETE"), summary="Delete a graph", status_code=204, operation_id="deleteGraph")
async def store_delete(request: Request) -> Response:
    return await _write(request, None, "DELETE")


@router.get("/store/{path:path}", openapi_extra={"responses": GET_RESPONSES}, summary="Get a graph (direct addressing)",
            operation_id="getGraphDirect")
async def direct_get(request: Request, path: str) -> Response:
    return await _get(request, path, head=False)


@router.head("/store/{path:path}", include_in_schema=False)
async def direct_head(request: Request, path: str) -> Response:
    return await _get(request, path, head=True)


@router.put("/store/{path:path}", openapi_extra=write_doc(True, "PUT"), summary="Replace a graph (direct)", status_code=204,
            operation_id="putGraphDirect")
async def direct_put(request: Request, path: str) -> Response:
    return await _write(request, path, "PUT")


@router.post("/store/{path:path}", openapi_extra=write_doc(True, "POST"), summary="Merge into a graph (direct)", status_code=204,
             operation_id="postGraphDirect")
async def direct_post(request: Request, path: str) -> Response:
    return await _write(request, path, "POST")


@router.delete("/store/{path:path}", openapi_extra=write_doc(True, "DELETE"), summary="Delete a graph (direct)", status_code=204,
              operation_id="deleteGraphDirect")
async def direct_delete(request: Request, path: str) -> Response:
    return await _write(request, path, "DELETE")
