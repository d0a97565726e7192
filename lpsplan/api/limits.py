"""Limits on what an anonymous client can hold: connections, time, buffered bytes.

* :func:`http_protocol` — uvicorn's HTTP protocol with a cap on open connections,
  a deadline for each request's headers (slow-header clients are closed) and a cap
  on their size (a request line or header fields past it are refused, 414 or 431,
  before they are held);
* :class:`BodyBudget` — the request-body bytes all requests together may hold
  in memory; past it a request is answered 503 at once;
* :func:`guarded_receive` — a pause longer than the body timeout while a body is
  being sent ends the request with 408, and every part is counted in the budget;
* :func:`trim_memory` — hands freed heap memory back to the system after large
  bodies, so the process shrinks back once an attack ends.

Every number is a setting (see :class:`lpsplan.config.Settings`).
"""

from __future__ import annotations

import asyncio
import threading

from ..sparql.backend import trim_memory
from ..sparql.errors import SparqlError


class BodyTimeout(SparqlError):
    status = 408
    error = "request timeout"


class ServerBusy(SparqlError):
    status = 503
    error = "server busy"


MAX_HEADER_FIELDS = 64 * 1024  # bytes of one request's header fields (names and values)
MAX_HEADER_COUNT = 256  # header fields of one request
URL_SLACK = 8 * 1024  # bytes a request's target may have beyond LPSPLAN_MAX_QUERY (its path and the query's parameter names)
MAX_TARGET = 65_535  # bytes of a request target uvicorn's parser can take apart (its offsets are 16-bit): longer ones were a plain 400


def max_target(max_query: int) -> int:
    """The longest request target (path and query string) the service reads: LPSPLAN_MAX_QUERY and a path, at most :data:`MAX_TARGET`."""
    return min(max_query + URL_SLACK, MAX_TARGET)


class HeadTooLarge(Exception):
    """Raised from the HTTP parser's callbacks: the request line or the header fields are past their cap."""

    def __init__(self, status: int, error: str, detail: str):
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def head_refusal(status: int, error: str, detail: str) -> bytes:
    """A whole HTTP/1.1 response refusing a request whose head was not read to its end (the connection closes)."""
    import json
    from http import HTTPStatus

    body = json.dumps({"status": status, "error": error, "detail": detail}, separators=(",", ":")).encode()
    return (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode("ascii") + body


def http_protocol(max_connections: int, header_timeout: float, max_url: int = MAX_TARGET):
    """A subclass of the HTTP protocol uvicorn would use, closing a connection that (a) arrives
    when ``max_connections`` are open, or (b) has not sent a request's headers within
    ``header_timeout`` seconds of connecting or of its previous response, and refusing a request
    whose target is longer than ``max_url`` bytes (414) or whose header fields are more than
    :data:`MAX_HEADER_FIELDS` bytes or :data:`MAX_HEADER_COUNT` fields (431) as they arrive.

    uvicorn's parser kept a request's line and headers whole, however long: four connections sending
    100 MB of header lines each grew the service by 370 MB (kept after they went), within the header
    timeout, past every cap on bodies; and a target of 64 KiB or more, which its parser cannot take apart,
    was answered a plain-text 400 however long the query string a client may send (LPSPLAN_MAX_QUERY)."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    class GuardedProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
        limits = (max_connections, header_timeout)

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._header_timer = None
            self._head_refused: HeadTooLarge | None = None
            self._url_bytes = self._field_bytes = self._field_count = 0
            if len(self.connections) > self.limits[0]:
                transport.close()
                return
            self._await_headers()

        def _await_headers(self) -> None:
            self._waiting_from = self.cycle
            self._header_timer = self.loop.call_later(self.limits[1], self._headers_late)

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.cycle is self._waiting_from and not self.transport.is_closing():
                self.transport.close()

        # the parser's callbacks (httptools); raising in one ends the parse: uvicorn answers with send_400_response
        def on_message_begin(self) -> None:
            self._url_bytes = self._field_bytes = self._field_count = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._url_bytes += len(url)
            if self._url_bytes > max_url:
                self._refuse_head(414, "uri too long", f"the request target is longer than {max_url:,} bytes (send a long query by POST)")
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._field_bytes += len(name) + len(value)
            self._field_count += 1
            if self._field_bytes > MAX_HEADER_FIELDS or self._field_count > MAX_HEADER_COUNT:
                self._refuse_head(431, "request header fields too large",
                                  f"the header fields are more than {MAX_HEADER_FIELDS:,} bytes or {MAX_HEADER_COUNT} fields")
            super().on_header(name, value)

        def _refuse_head(self, status: int, error: str, detail: str):
            self._head_refused = HeadTooLarge(status, error, detail)
            raise self._head_refused

        def send_400_response(self, msg: str) -> None:
            refused, self._head_refused = self._head_refused, None
            if refused is None:
                return super().send_400_response(msg)
            self.transport.write(head_refusal(refused.status, refused.error, refused.detail))
            self.transport.close()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._header_timer is not None and self.cycle is not self._waiting_from:
                self._header_timer.cancel()  # a request's headers are complete
                self._header_timer = None

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self._header_timer is None and not self.transport.is_closing():
                self._await_headers()

        def connection_lost(self, exc) -> None:
            if getattr(self, "_header_timer", None) is not None:
                self._header_timer.cancel()
                self._header_timer = None
            super().connection_lost(exc)

    return GuardedProtocol


class BodyBudget:
    """Request-body bytes held in memory by all requests together, at most ``limit``."""

    def __init__(self, limit: int):
        self.limit = limit
        self.held = 0
        self._lock = threading.Lock()

    def take(self, n: int) -> None:
        with self._lock:
            if self.held + n > self.limit:
                raise ServerBusy(f"the server holds {self.limit:,} bytes of request bodies already (LPSPLAN_MAX_BUFFERED); "
                                 "try again shortly")
            self.held += n

    def give_back(self, n: int) -> None:
        with self._lock:
            self.held -= n
            idle = self.held == 0
        if idle and n >= 1 << 20:
            trim_memory()


def guarded_receive(receive, seconds: float, budget: BodyBudget, held: list[int]):
    """``receive`` with a deadline on each part of a request body still to come, each part counted
    in ``budget`` (``held[0]``: what this request took, for the caller to give back when the request
    ends).  Once the body is complete it is passed through untouched: a streaming response waits on
    it for the client's disconnect."""
    done = False

    async def receive_guarded():
        nonlocal done
        if done:
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), seconds)
        except TimeoutError:
            done = True
            raise BodyTimeout(f"the request body paused for more than {seconds:g} s (LPSPLAN_BODY_TIMEOUT)") from None
        if message["type"] != "http.request" or not message.get("more_body"):
            done = True
        size = len(message.get("body", b""))
        if size:
            budget.take(size)
            held[0] += size
        return message

    return receive_guarded

