"""SPARQL 1.1 Protocol: ``/sparql`` (query, and update by POST) and ``/update``."""

from __future__ import annotations

from collections import OrderedDict

from fastapi import APIRouter, Request, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool

from ..errors import LpsplanError
from ..sparql.errors import ProtocolError
from ..sparql.formats import content_type, rdf_media
from .protocol import (
    FORM,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    TooLarge,
    UnsupportedMedia,
    answer_response,
    decode,
    endpoint_url,
    iris,
    media_type,
    one,
    parse_form,
    read_body,
    require_token,
    require_utf8,
    values,
)

router = APIRouter(tags=["SPARQL 1.1 Protocol"])
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

QUERY_DOC = {
    "parameters": [
        {"name": "query", "in": "query", "required": False, "schema": {"type": "string"}, "description": "A SPARQL query; without it, GET returns the service description.",
         "examples": {"units": {"summary": "Units by number of clauses", "value": "PREFIX lps: <https://w3id.org/lpsplan/ontology#> SELECT ?unit (COUNT(?c) AS ?n) WHERE { ?c lps:responsibleUnit ?unit } GROUP BY ?unit ORDER BY DESC(?n)"},
                      "ask": {"summary": "Is there a plan?", "value": "ASK { ?p a <https://w3id.org/lpsplan/ontology#Plan> }"}}},
        {"name": "default-graph-uri", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True},
        {"name": "named-graph-uri", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True},
        {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv", "turtle", "nt", "jsonld", "rdfxml"]},
         "description": "Result format, instead of the Accept header."},
    ],
    "responses": {
        "200": {"description": "Results (SELECT/ASK: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML) or the service description.",
                "content": {m: {} for m in ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                            "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]}},
        "400": {"description": "Syntax error (with line and column) or protocol error"},
        "403": {"description": "SERVICE or LOAD refused"},
        "406": {"description": "No acceptable result format"},
        "503": {"description": "The query ran past the timeout and was stopped"},
    },
}
UPDATE_DOC = {
    "requestBody": {"content": {SPARQL_UPDATE: {"schema": {"type": "string"}}, FORM: {"schema": {"type": "object", "properties": {"update": {"type": "string"}}}}}},
    "responses": {"204": {"description": "Applied"}, "401": {"description": "No bearer token"}, "403": {"description": "Wrong token, or updates disabled"},
                  "422": {"description": "The result would break the SHACL shapes; nothing was changed. The body carries the report."}},
}


@router.get("/sparql", openapi_extra=QUERY_DOC, summary="Query, or the service description")
async def sparql_get(request: Request) -> Response:
    params = list(request.query_params.multi_items())
    if values(params, "update"):
        raise ProtocolError("updates must be sent with POST")
    query = one(params, "query")
    if query is None:
        return service_description(request)
    return await run_query(request, query, params)


@router.post("/sparql", openapi_extra={**QUERY_DOC, "requestBody": {"content": {
    SPARQL_QUERY: {"schema": {"type": "string"}}, SPARQL_UPDATE: {"schema": {"type": "string"}},
    FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}, "update": {"type": "string"}}}}}}},
    summary="Query or update by POST")
async def sparql_post(request: Request) -> Response:
    return await _post(request, allow_query=True)


@router.post("/update", openapi_extra=UPDATE_DOC, summary="SPARQL 1.1 Update (bearer token, SHACL-gated)", status_code=204)
async def update_post(request: Request) -> Response:
    return await _post(request, allow_query=False)


async def _post(request: Request, allow_query: bool) -> Response:
    """A POSTed query or update: form-encoded, or the operation itself as the body."""
    media, mparams = media_type(request)
    url_params = list(request.query_params.multi_items())
    body = await read_body(request)
    if media == FORM:
        form = parse_form(body)
        query = one(form, "query") if allow_query else None
        update = one(form, "update")
        if query is not None and update is not None:
            raise ProtocolError("send either 'query' or 'update', not both")
        if query is not None:
            return await run_query(request, query, url_params + form)
        if update is not None:
            return await run_update(request, update, url_params + form)
        raise ProtocolError("the form has neither 'query' nor 'update'" if allow_query else "the form has no 'update'")
    if media == SPARQL_QUERY and allow_query:
        require_utf8(mparams)
        return await run_query(request, decode(body, "query"), url_params)
    if media == SPARQL_UPDATE:
        require_utf8(mparams)
        return await run_update(request, decode(body, "update"), url_params)
    accepted = (f"a query as {FORM} or {SPARQL_QUERY}, or an update as {FORM} or {SPARQL_UPDATE}" if allow_query
                else f"an update as {FORM} or {SPARQL_UPDATE}")
    raise UnsupportedMedia(f"POST {accepted} (got {media or 'no content type'})")


def check_length(request: Request, text: str, what: str) -> None:
    limit = request.app.state.settings.max_query
    if len(text) > limit:
        raise TooLarge(f"the {what} is {len(text):,} characters; this server accepts at most {limit:,} (LPSPLAN_MAX_QUERY)")


class Replays:
    """The responses :func:`answer_from_cache` sent, as their ASGI messages, keyed by everything a
    response depends on: the store's generation and the request's scheme, server, root path, query
    string and headers.  The same request again is answered by sending the same messages: no query
    string parsing, no response object.  Bounded in entries and in body bytes; a write (a new
    generation) empties it.  Used from the event loop only."""

    def __init__(self, entries: int = 1024, max_bytes: int = 64 * 2**20):
        self.entries, self.max_bytes = entries, max_bytes
        self._sent: OrderedDict = OrderedDict()
        self._bytes = 0
        self._generation = None

    @staticmethod
    def key(scope, generation) -> tuple:
        server = scope.get("server")
        return (generation, scope["scheme"], tuple(server) if server else None, scope.get("root_path", ""), scope["query_string"],
                tuple(map(tuple, scope["headers"])))

    def get(self, key: tuple) -> list | None:
        if key[0] != self._generation:
            self._sent.clear()
            self._bytes, self._generation = 0, key[0]
            return None
        sent = self._sent.get(key)
        if sent is not None:
            self._sent.move_to_end(key)
        return sent

    def put(self, key: tuple, messages: list) -> None:
        if key[0] != self._generation or len(messages) != 2 or messages[1].get("more_body"):
            return
        size = len(messages[1].get("body", b""))
        if size > self.max_bytes // 8:
            return
        self._sent[key] = messages
        self._bytes += size
        while len(self._sent) > self.entries or self._bytes > self.max_bytes:
            _, old = self._sent.popitem(last=False)
            self._bytes -= len(old[1].get("body", b""))


async def answer_from_cache(scope, receive, send) -> str | bool:
    """``GET /sparql?query=…[&format=…]`` whose answer is in the cache, or is a trusted question
    evaluated in process, sent before routing: "cached" or "computed"; False otherwise (the route
    then answers).  The same response the route would send, at a
    fraction of the cost: routing and a thread hop were most of a cached answer's time."""
    request = Request(scope)
    params = request.query_params
    if request.app.state.settings.cors_origins:  # CORS (inside this middleware) adds its headers to every response
        return False
    if not set(params) <= {"query", "format"} or any(len(params.getlist(k)) > 1 for k in params):
        return False
    cached = getattr(request.app.state.backend, "cached", None)
    query = params.get("query")
    if cached is None or query is None or len(query) > request.app.state.settings.max_query:
        return False
    options = {"accept": request.headers.get("accept"), "fmt": params.get("format"), "base_iri": endpoint_url(request, "/sparql")}
    answer, how = cached(query, **options), "cached"
    if answer is None:
        # a named question's own text whose measured cost is small runs in this process: routing it would
        # cost more than the question (see EmbeddedBackend.runs_here); anything it raises, the route answers
        # (one measured under a millisecond is evaluated on this thread: the hop to another would cost more)
        runs_here = getattr(request.app.state.backend, "runs_here", None)
        where = runs_here(query) if runs_here is not None else None
        if not where:
            return False
        try:
            if where == "inline":
                answer = request.app.state.backend.query(query, adhoc=True, stream=True, **options)
            else:
                answer = await run_in_threadpool(request.app.state.backend.query, query, adhoc=True, stream=True, **options)
        except LpsplanError:
            return False
        how = "computed"
    await answer_response(answer, {"Vary": "Accept"}, request.app.state.settings.send_timeout)(scope, receive, send)
    return how


async def run_query(request: Request, query: str, params: list[tuple[str, str]]) -> Response:
    check_length(request, query, "query")
    backend = request.app.state.backend
    answer = await run_in_threadpool(
        backend.query, query,
        default_graphs=iris(params, "default-graph-uri"), named_graphs=iris(params, "named-graph-uri"),
        accept=request.headers.get("accept"), fmt=one(params, "format"), base_iri=endpoint_url(request, "/sparql"), adhoc=True,
        stream=True,
    )
    return answer_response(answer, {"Vary": "Accept"}, request.app.state.settings.send_timeout)


async def run_update(request: Request, update: str, params: list[tuple[str, str]]) -> Response:
    require_token(request)
    check_length(request, update, "update")
    backend = request.app.state.backend
    await run_in_threadpool(
        backend.update, update,
        using=iris(params, "using-graph-uri"), using_named=iris(params, "using-named-graph-uri"),
        base_iri=endpoint_url(request, "/sparql"),
    )
    return Response(status_code=204)


def service_description(request: Request) -> Response:
    settings = request.app.state.settings
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint_url(request, "/sparql") + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url(request, "/sparql"))))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, SD.resultFormat, FORMATS[fmt]))
    if settings.allow_service:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode()
    default = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((service, URIRef("http://purl.org/dc/terms/title"), Literal("lpsplan SPARQL service", lang="en")))
    media = rdf_media(request.headers.get("accept"))
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml", "text/plain": "nt"}[media]
    return Response(g.serialize(format=fmt, encoding="utf-8"), media_type=content_type(media), headers={"Vary": "Accept"})
