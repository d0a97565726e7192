"""SPARQL 1.1 Protocol: ``/sparql`` (query, and update by POST) and ``/update``."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool

from ..errors import LpsplanError
from ..sparql.backend import Backend
from ..sparql.cache import Reply
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
        "400": {"description": "Syntax error (with line and column), a text nested too deeply to parse (a parse tree that could be more than 1,000 levels deep: bracket depth plus operators and UNION/OPTIONAL/MINUS/BIND/VALUES), or protocol error"},
        "403": {"description": "SERVICE or LOAD refused"},
        "406": {"description": "No acceptable result format"},
        "429": {"description": "This client already has its share of the query workers (LPSPLAN_CLIENT_QUERIES); retry after Retry-After"},
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
    in_url = [name for name in ("query", "update") if values(url_params, name)]
    if in_url:  # a POST's operation is its body; one in the URL too was silently passed over
        raise ProtocolError(f"a POST carries its {in_url[0]} in the body, not in the URL (send a query in the URL with GET)")
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


class CachedAnswers:
    """ASGI middleware: ``GET /sparql?query=…[&format=…]`` answered before routing when its answer is
    at hand — in the backend's answer cache, or a trusted question the backend evaluates in process
    (see ``Backend.runs_here``) — with the response the route would send, at a fraction of the cost:
    routing and a thread hop were most of a cached answer's time.  Anything else, and anything the
    evaluation raises, goes on to the route.

    Its fast path: the answer cache also keeps how a cached answer was sent to one exact request
    (:class:`~lpsplan.sparql.cache.Reply`: status and headers, keyed by the request's scheme, server,
    root path, query string and headers), and the same request again is answered by resending them
    with the cached body — no query string parsing, no response object.  With CORS configured every
    request is routed (CORS adds its headers to every response)."""

    def __init__(self, app, settings, backend: Backend | None):
        self.app, self.settings, self.backend = app, settings, backend
        # nothing to answer here for a backend with no cache that evaluates nothing in process (a remote store)
        self.useful = backend is not None and (backend.cache.enabled or type(backend).runs_here is not Backend.runs_here)

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/sparql" or not scope["query_string"]
                or self.settings.cors_origins or not self.useful):
            return await self.app(scope, receive, send)
        generation = self.backend.generation
        server = scope.get("server")
        request_key = (scope["scheme"], tuple(server) if server else None, scope.get("root_path", ""), scope["query_string"],
                       tuple(map(tuple, scope["headers"])))
        hit = self.backend.cache.reply(generation, request_key)
        if hit is not None:
            reply, answer = hit
            scope["route"] = SPARQL_ROUTE
            await send({"type": "http.response.start", "status": reply.status, "headers": list(reply.headers)})
            await send({"type": "http.response.body", "body": answer.body})
            return
        answered = await self._answer(scope, receive, send)
        if answered is None:
            return await self.app(scope, receive, send)
        scope["route"] = SPARQL_ROUTE
        key, start = answered
        if start is not None and start[0] == 200:
            self.backend.cache.keep_reply(generation, request_key, Reply(key, *start))

    async def _answer(self, scope, receive, send) -> tuple[tuple, tuple | None] | None:
        """Send the answer if it is at hand: (its cache key, (status, headers) of the response as this
        middleware sent it, when its body was in memory), or None."""
        request = Request(scope)
        params = request.query_params
        if not set(params) <= {"query", "format"} or any(len(params.getlist(k)) > 1 for k in params):
            return None
        query = params.get("query")
        if query is None or len(query) > self.settings.max_query:
            return None
        backend = self.backend
        options = {"accept": request.headers.get("accept"), "fmt": params.get("format"), "base_iri": endpoint_url(request, "/sparql")}
        answer = backend.cached(query, **options)
        if answer is None:
            # a named question's own text whose measured cost is small runs in this process: routing it would
            # cost more than the question; one measured under a millisecond is evaluated on this thread (the hop
            # to another would cost more)
            where = backend.runs_here(query)
            if not where:
                return None
            try:
                if where == "inline":
                    answer = backend.query(query, adhoc=True, stream=True, **options)
                else:
                    answer = await run_in_threadpool(backend.query, query, adhoc=True, stream=True, **options)
            except LpsplanError:
                return None
        started = []

        async def keep(message):
            if message["type"] == "http.response.start":
                started.append((message["status"], tuple(map(tuple, message["headers"]))))
            await send(message)

        await answer_response(answer, {"Vary": "Accept"}, self.settings.send_timeout)(scope, receive, keep)
        in_memory = answer.spool is None
        return backend.answer_key(query, **options), (started[0] if started and in_memory else None)


@dataclass(frozen=True)
class AnsweredBeforeRouting:
    """``scope["route"]`` of a request :class:`CachedAnswers` answered: the path of the route it
    stood in for, which the request metrics count it under."""

    path: str


SPARQL_ROUTE = AnsweredBeforeRouting("/sparql")


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
