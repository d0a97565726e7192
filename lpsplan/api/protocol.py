"""Request plumbing shared by the SPARQL and Graph Store routes: bodies with a
size cap, media types and charsets, form decoding, the bearer token."""

from __future__ import annotations

import hmac
import logging
import os
from urllib.parse import parse_qsl

from fastapi import Request, Response

from ..sparql.backend import Answer
from ..sparql.errors import ProtocolError, SparqlError
from ..sparql.formats import content_type

log = logging.getLogger("lpsplan.api")

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


class Unauthorized(SparqlError):
    status = 401
    error = "unauthorized"


class Forbidden(SparqlError):
    status = 403
    error = "forbidden"


class TooLarge(SparqlError):
    status = 413
    error = "request too large"


class UnsupportedMedia(SparqlError):
    status = 415
    error = "unsupported media type"


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type", "")
    main, *params = [p.strip() for p in raw.split(";")]
    values = {}
    for p in params:
        k, _, v = p.partition("=")
        values[k.strip().lower()] = v.strip().strip('"')
    return main.lower(), values


def require_utf8(params: dict[str, str]) -> None:
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMedia(f"the body must be UTF-8, not {charset}")


async def read_body(request: Request) -> bytes:
    """The request body, at most max_body bytes (each part is also counted by the BodyLimits middleware against the
    bytes all requests may hold together)."""
    limit = request.app.state.settings.max_body
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the body is larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedMedia(f"the {what} is not valid UTF-8") from None


def parse_form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(decode(body, "form body"), keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("the form body is not valid application/x-www-form-urlencoded UTF-8") from None


def values(pairs: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in pairs if k == name]


def iris(pairs: list[tuple[str, str]], name: str) -> list[str]:
    """The values of an IRI parameter (a graph name), each checked to be an absolute IRI."""
    found = values(pairs, name)
    for value in found:
        check_iri(value, name)
    return found


def check_iri(value: str, what: str) -> str:
    import pyoxigraph as ox

    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise ProtocolError(f"{what}: {value!r} is not an absolute IRI ({exc})") from None
    return value


def one(pairs: list[tuple[str, str]], name: str) -> str | None:
    found = values(pairs, name)
    if len(found) > 1:
        raise ProtocolError(f"more than one {name!r} parameter")
    return found[0] if found else None


def require_token(request: Request) -> None:
    """Writes need ``Authorization: Bearer <token>``; with no token configured they are off."""
    expected = request.app.state.settings.update_token
    if not expected:
        raise Forbidden("updates are disabled on this server (no update token is configured)")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("this operation needs 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Forbidden("the bearer token is not valid")


def endpoint_url(request: Request, path: str) -> str:
    public = request.app.state.settings.public_url.rstrip("/")
    base = public or str(request.base_url).rstrip("/")
    return f"{base}{path}"


class SpoolResponse(Response):
    """An answer streamed from its spool file in 64 KiB blocks.  The file is closed — and its
    space freed — when the last block is sent, when the client goes, or when the client has not
    taken a block for ``send_timeout`` seconds: never left to the garbage collector."""

    def __init__(self, fh, media: str, headers: dict[str, str] | None, send_timeout: float):
        self.fh, self.send_timeout = fh, send_timeout
        size = os.fstat(fh.fileno()).st_size
        super().__init__(None, media_type=media, headers={**(headers or {}), "Content-Length": str(size)})

    async def __call__(self, scope, receive, send) -> None:
        import asyncio

        from starlette.concurrency import run_in_threadpool

        try:
            await asyncio.wait_for(send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}),
                                   self.send_timeout)
            while True:
                block = await run_in_threadpool(self.fh.read, 1 << 16)
                await asyncio.wait_for(send({"type": "http.response.body", "body": block, "more_body": bool(block)}), self.send_timeout)
                if not block:
                    break
        except TimeoutError:
            log.warning("a client took no data for %g s; its answer was dropped (LPSPLAN_SEND_TIMEOUT)", self.send_timeout)
        finally:
            self.fh.close()


def answer_response(answer: Answer, headers: dict[str, str] | None = None, send_timeout: float = 30.0) -> Response:
    """An answer as a response: from memory, or streamed from its spool file (:class:`SpoolResponse`)."""
    media = content_type(answer.media)
    if answer.spool is None:
        return Response(answer.body, media_type=media, headers=headers)
    return SpoolResponse(answer.spool, media, headers, send_timeout)
