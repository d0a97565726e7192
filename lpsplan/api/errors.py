"""Errors as HTTP answers: the service's one translation of :class:`~lpsplan.errors.LpsplanError`
(and of anything else a route raises) into a status, JSON ``{"status", "error", "detail"}`` for
programs and a page for browsers.  The app's exception handler and the middlewares that refuse a
request before it reaches a route all answer through here."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import LpsplanError
from ..sparql.errors import QueryTimeout, SparqlError, UpdateRejected

log = logging.getLogger("lpsplan.api")


def handle_error(request: Request, exc: Exception):
    """The one error handler: JSON for programs, a page for browsers; a bug is a logged 500."""
    extra = {}
    if isinstance(exc, SparqlError):
        status, error, detail = exc.status, exc.error, str(exc)
        if isinstance(exc, UpdateRejected):
            extra["report"] = [v.__dict__ for v in exc.report.violations]
        if isinstance(exc, QueryTimeout):
            request.app.state.metrics.timeouts.inc()
        if status >= 500:
            log.error("%s: %s", error, getattr(exc, "detail", detail))
    elif isinstance(exc, LpsplanError):
        status, error, detail = 400, "bad request", str(exc)
    elif isinstance(exc, StarletteHTTPException):
        status, error, detail = exc.status_code, _reason(exc.status_code), str(exc.detail)
    elif isinstance(exc, RequestValidationError):
        status, error = 400, "bad request"
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    else:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        status, error, detail = 500, "internal error", "the server failed; the error was logged"
    response = error_response(request, status, error, detail, extra)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="lpsplan"'
    if status == 429:
        response.headers["Retry-After"] = "1"
    return response


MAX_DETAIL = 2000  # characters of an error's detail sent back; a message quoting a long bad value is cut there


def error_response(request: Request, status: int, error: str, detail: str, extra: dict | None = None):
    if len(detail) > MAX_DETAIL:  # the client sent the value: its first part says which one, the rest is bulk
        detail = f"{detail[:MAX_DETAIL]}… ({len(detail) - MAX_DETAIL:,} more characters)"
    if _wants_html(request):
        from .templating import page

        response = page("error.html", status=status, title=f"{status} {error}", detail=detail)
    else:
        response = JSONResponse({"status": status, "error": error, "detail": detail, **(extra or {})}, status_code=status)
    # a page or JSON by the request's Accept: a cache in front must not hand a browser's page to a program (a 404 may
    # be kept by a cache without being told)
    response.headers["Vary"] = "Accept"
    return response


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept.split(",")[0]


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"
