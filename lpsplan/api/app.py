"""The FastAPI application, built by :func:`create_app` — never at import time."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Settings
from ..errors import LpsplanError
from ..project import Project
from ..queries import Catalogue
from ..sparql.backend import Backend
from .errors import handle_error
from .limits import BodyBudget
from .metrics import Metrics
from .middleware import AllowedHosts, BodyLimits, ClientAddress, HeadAsGet, RequestMetrics, SecurityHeaders
from .sparql import CachedAnswers

DESCRIPTION = """SPARQL 1.1 service over government policy plans (政策规划知识图谱).

* `/sparql` — SPARQL 1.1 Protocol (query by GET, POST form, POST `application/sparql-query`; updates by POST form or
  `application/sparql-update` when a bearer token is configured); GET without a query returns the service description.
* `/update` — SPARQL 1.1 Update (bearer token; every update is validated with the SHACL shapes before it is applied).
* `/store` — SPARQL 1.1 Graph Store HTTP Protocol, direct (`/store/…`) and indirect (`?graph=`, `?default`) addressing.
* `/api/queries` — the named questions of `queries/*.rq`.

Errors are JSON `{"status", "error", "detail"}` (an HTML page for browsers).
"""


def create_app(settings: Settings, backend: Backend, catalogue: Catalogue | None = None) -> FastAPI:
    """The service over ``backend``.  The caller owns the backend and closes it.

    The routes read and write through ``app.state.project``, the one :class:`~lpsplan.project.Project` over
    ``backend`` (what the CLI and notebooks use too); only the protocol endpoints (``/sparql``, ``/update``,
    ``/store``) and the node pages, which pass answers on in the client's format, call the backend itself."""
    app = FastAPI(title="lpsplan", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None)  # /docs: workbench.py, from local assets
    app.state.settings = settings
    app.state.backend = backend
    app.state.catalogue = catalogue if catalogue is not None else Catalogue.load(settings.paths.queries)
    app.state.project = Project(settings, backend=backend, catalogue=app.state.catalogue)
    app.state.metrics = Metrics(backend)
    if hasattr(backend, "trust"):  # the named questions' own texts, sent to /sparql as they are, count as the service's
        backend.trust(q.render() for q in app.state.catalogue)

    if settings.cors_origins:
        origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD"],
                           allow_headers=["Authorization", "Content-Type", "Accept"])

    app.state.body_budget = BodyBudget(settings.max_buffered)
    from .link import link_shares

    app.state.link_shares = link_shares(settings.client_queries)
    # one job each (see .middleware); the last added runs first
    app.add_middleware(CachedAnswers, settings=settings, backend=backend)
    app.add_middleware(HeadAsGet, router=app.router)
    app.add_middleware(BodyLimits, settings=settings, budget=app.state.body_budget)
    if settings.allowed_hosts:
        app.add_middleware(AllowedHosts, allowed=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)
    app.add_middleware(ClientAddress)

    @app.exception_handler(Exception)
    async def handle(request: Request, exc: Exception):
        return handle_error(request, exc)  # the one edge where errors become HTTP answers (see .errors)

    for kind in (StarletteHTTPException, RequestValidationError, LpsplanError):
        app.add_exception_handler(kind, handle)

    from . import gsp, link, network, pages, queries, questions, search, sparql, targets, workbench

    app.include_router(sparql.router)
    app.include_router(link.router)
    link.warm(app)
    app.include_router(network.router)
    app.include_router(gsp.router)
    app.include_router(queries.router)
    app.include_router(pages.router)
    app.include_router(targets.router)
    app.include_router(workbench.router)
    app.include_router(questions.router)
    app.include_router(search.router)

    from .redirects import relative_slash_redirects

    relative_slash_redirects(app, settings.public_url)  # a Location from the request's path, never its Host header

    from .openapi import describe

    app.openapi = lambda: describe(app)  # type: ignore[method-assign]
    return app


def serve(settings: Settings, backend: Backend) -> None:
    """Run the service with uvicorn, with the connection limits of :mod:`.limits`."""
    import uvicorn

    from .limits import http_protocol, max_target

    uvicorn.run(create_app(settings, backend), host=settings.host, port=settings.port, log_level="warning",
                server_header=False, date_header=True, access_log=False,
                http=http_protocol(settings.max_connections, settings.header_timeout, max_target(settings.max_query)))


def openapi_schema(settings: Settings) -> dict:
    """The OpenAPI description, without opening a store (routes are not called)."""
    return create_app(settings, backend=None).openapi()  # type: ignore[arg-type]
