"""The trailing-slash redirect (``/viz`` → ``/viz/``, ``/questions/`` → ``/questions``), with a
``Location`` the client's headers cannot choose.

The router's own redirect wrote the absolute URL from the request's ``Host`` header, so a request
with ``Host: evil.example`` was sent on to ``http://evil.example/viz/`` — a redirect a cache in front
of the service could keep and hand to everyone.  Here the ``Location`` is the path alone (relative to
the host the client asked), or under ``LPSPLAN_PUBLIC_URL`` when it is set."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import RedirectResponse
from starlette.routing import Match

PATH_SAFE = "/!$&'()*+,;=:@-._~"  # a path's characters that stay as they are; the rest is percent-encoded
QUERY_SAFE = PATH_SAFE + "?%"  # the query string arrives encoded already


def slash_location(path: str, query: bytes, public_url: str = "") -> str:
    """Where a request for ``path`` is sent when only ``path`` with or without its trailing slash is served."""
    target = "/" + path.lstrip("/")  # one leading slash: "//host/…" would name another host
    location = quote(target, safe=PATH_SAFE)
    if query:
        location += "?" + quote(query.decode("latin-1"), safe=QUERY_SAFE)
    return public_url.rstrip("/") + location


def relative_slash_redirects(app, public_url: str = "") -> None:
    """Replace the router's trailing-slash redirect of ``app`` with one whose ``Location`` is :func:`slash_location`."""
    router = app.router
    router.redirect_slashes = False
    not_found = router.default

    async def redirect_or_not_found(scope, receive, send):
        path = scope["path"]
        if scope["type"] == "http" and path != "/":
            other = dict(scope, path=path.rstrip("/") if path.endswith("/") else path + "/")
            if any(route.matches(other)[0] is not Match.NONE for route in router.routes):
                location = slash_location(other["path"], scope.get("query_string", b""), public_url)
                await RedirectResponse(location)(scope, receive, send)
                return
        await not_found(scope, receive, send)

    router.default = redirect_or_not_found
