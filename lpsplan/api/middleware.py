"""The service's ASGI middlewares, one job each (wired in :func:`lpsplan.api.app.create_app`,
outermost first):

* :class:`ClientAddress` — whom the request's queries are evaluated for (each client's share
  of the query workers: ``LPSPLAN_CLIENT_QUERIES``);
* :class:`RequestMetrics` — counts and times every request by route and status;
* :class:`SecurityHeaders` — the security headers on every response;
* :class:`AllowedHosts` — with ``LPSPLAN_ALLOWED_HOSTS`` set, a request naming another host is a 400;
* :class:`BodyLimits` — the body-size and URL-length caps before anything is read, the
  body's pace and the bytes all bodies may hold together (see :mod:`.limits`);
* :class:`HeadAsGet` — ``HEAD`` on a route that answers ``GET`` only: the ``GET`` answer's status and
  headers, no body (RFC 9110 §9.3.2);
* :class:`lpsplan.api.sparql.CachedAnswers` — ``GET /sparql`` answered before routing
  when the answer is at hand.
"""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.requests import Request

from ..config import Settings
from ..sparql.errors import SparqlError
from ..sparql.pool import CLIENT
from .errors import error_response
from .limits import BodyBudget, guarded_receive
from .metrics import Metrics

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
       "frame-ancestors 'none'; form-action 'self'")


class ClientAddress:
    """The client's address, for the queries the request sends to the query workers (see
    :data:`lpsplan.sparql.pool.CLIENT`).  Behind a reverse proxy on this machine, uvicorn takes the
    address from the proxy's ``X-Forwarded-For``; the proxy must set it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        client = scope.get("client")
        token = CLIENT.set(client[0] if client else "unknown")
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)


class RequestMetrics:
    """Every HTTP request counted and timed, under its route's path ("unmatched" when no route
    took it) and the status it was answered with."""

    def __init__(self, app, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500  # unless a response starts

        async def send_counted(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            self.metrics.observe(getattr(scope.get("route"), "path", "unmatched"), scope["method"], status,
                                 time.perf_counter() - started)


class SecurityHeaders:
    """``nosniff`` and no referrer on every response; a content security policy and no framing on
    every page.  A header the response sets itself is left as it is."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CSP)
                    headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowedHosts:
    """With ``LPSPLAN_ALLOWED_HOSTS`` set (names, ``*.example.org`` for any name under it, ports aside), a
    request whose ``Host`` header names another host is a 400 before any route sees it: where
    ``LPSPLAN_PUBLIC_URL`` is not set, the service description and the graph ``POST /store`` creates are
    named after the request's host, and a cache in front of the service could keep a description naming
    a host a client made up.  Without the setting every host is served (a service on the loopback
    interface, or behind a proxy that checks the host itself)."""

    def __init__(self, app, allowed: str):
        self.app = app
        names = [n.strip().lower() for n in allowed.split(",") if n.strip()]
        self.exact = {n for n in names if not n.startswith("*.")}
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))

    def allows(self, host: str) -> bool:
        name = host.strip().lower()
        name = name[: name.index("]") + 1] if name.startswith("[") and "]" in name else name.rsplit(":", 1)[0]
        return bool(name) and (name in self.exact or name.endswith(self.suffixes))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        if self.allows(host):
            return await self.app(scope, receive, send)
        response = error_response(Request(scope), 400, "bad request",
                                  "this server does not answer for the host the request names (LPSPLAN_ALLOWED_HOSTS)")
        await response(scope, receive, send)


class BodyLimits:
    """A body of stated length over ``max_body`` is a 413 and a query string over ``max_query`` a 414,
    before anything is read; a chunked body is read here up to ``max_body`` (then 413); every body
    is read at the body timeout's pace and counted in the :class:`BodyBudget`."""

    def __init__(self, app, settings: Settings, budget: BodyBudget):
        self.app, self.settings, self.budget = app, settings, budget

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] in ("GET", "HEAD") and not any(k in (b"content-length", b"transfer-encoding") for k, _ in scope["headers"]):
            if len(scope.get("query_string", b"")) > self.settings.max_query:
                return await self._refuse(scope, receive, send, *self._uri_too_long(scope))
            return await self.app(scope, receive, send)
        held = [0]
        try:
            return await self._serve(scope, guarded_receive(receive, self.settings.body_timeout, self.budget, held), send)
        finally:
            self.budget.give_back(held[0])

    def _uri_too_long(self, scope) -> tuple[int, str, str]:
        return 414, "uri too long", (f"the query string is {len(scope['query_string']):,} bytes; this server accepts at most "
                                     f"{self.settings.max_query:,} (send a long query by POST)")

    async def _serve(self, scope, receive, send):
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        refusal = None
        # every Content-Encoding field line, as one list (a second line gzip / identity adds a coding, replacing none)
        coding = b", ".join(v.strip() for k, v in scope["headers"] if k == b"content-encoding").lower()
        if any(c.strip() not in (b"", b"identity") for c in coding.split(b",")):  # RFC 7694: a content coding the server
            shown = coding[:40].decode("latin-1")  # does not read is a 415 naming what it does
            return await self._refuse(scope, receive, send, 415, "unsupported media type",
                                      f"request bodies are read as sent: Content-Encoding {shown!r} is not accepted; "
                                      "send the body uncompressed", {"Accept-Encoding": "identity"})
        if length.isdigit() and (len(length) > 18 or int(length) > self.settings.max_body):  # 18 digits: int() never refuses
            size = f"{int(length):,} bytes" if len(length) <= 18 else f"a {len(length):,}-digit number of bytes"
            refusal = 413, "request too large", f"the body is {size}; this server accepts at most {self.settings.max_body:,}"
        elif len(scope.get("query_string", b"")) > self.settings.max_query:
            refusal = self._uri_too_long(scope)
        elif not length and b"chunked" in headers.get(b"transfer-encoding", b""):
            # a body of unstated size: read it here, at most max_body bytes, then hand it on
            try:
                receive, too_large = await self._bounded(receive)
            except SparqlError as exc:  # too slow, or the server holds too many bodies already
                too_large, refusal = False, (exc.status, exc.error, str(exc))
            if too_large:
                refusal = 413, "request too large", f"the body is larger than {self.settings.max_body:,} bytes"
        if refusal:
            return await self._refuse(scope, receive, send, *refusal)
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope, receive, send, status: int, error: str, detail: str, headers: dict | None = None) -> None:
        response = error_response(Request(scope), status, error, detail)
        response.headers["Connection"] = "close"  # the rest of the body is not read
        response.headers.update(headers or {})
        await response(scope, receive, send)

    async def _bounded(self, receive):
        """Read a chunked body up to max_body; returns a receive that replays it, and whether it was too large."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.settings.max_body:
                return receive, True
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay, False


class HeadAsGet:
    """``HEAD`` where no route answers it itself (the Graph Store's do): the request goes on as a ``GET`` and the
    answer's status and headers are sent without its body, so ``curl -I`` and link checkers see what a ``GET``
    would get rather than a 405."""

    def __init__(self, app, router):
        self.app, self.router = app, router

    def _answered(self, scope) -> bool:
        from starlette.routing import Match

        return any(route.matches(scope)[0] == Match.FULL for route in self.router.routes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD" or self._answered(scope):
            return await self.app(scope, receive, send)

        async def without_body(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)

