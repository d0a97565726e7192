"""Limits on what an anonymous client can hold: connections, time, buffered bytes.

* :func:`http_protocol` — uvicorn's HTTP protocol with a cap on open connections
  and a deadline for each request's headers (slow-header clients are closed);
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


def http_protocol(max_connections: int, header_timeout: float):
    """A subclass of the HTTP protocol uvicorn would use, closing a connection that (a) arrives
    when ``max_connections`` are open, or (b) has not sent a request's headers within
    ``header_timeout`` seconds of connecting or of its previous response."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    class GuardedProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
        limits = (max_connections, header_timeout)

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._header_timer = None
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

