"""Linking over HTTP: ``POST /api/link`` (one title or a list) and a page at ``/link``."""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from .. import tables
from ..config import SLUG_PATTERN
from ..link.io import records_rows
from ..link.lexical import LinkError, check_title
from ..sparql.errors import ProtocolError, SparqlError
from ..sparql.pool import CLIENT, ClientShares
from .protocol import require_token
from .templating import page as render_page

router = APIRouter(tags=["Linking"])
MAX_BATCH = 1000


class LinkRequest(BaseModel):
    titles: list[str] = Field(..., min_length=1, max_length=MAX_BATCH, description="Project titles (simplified or traditional Chinese, or English).")
    k: int = Field(3, ge=1, le=13, description="Links per kind.")
    method: Literal["hybrid", "bm25", "semantic"] = Field("hybrid", description="hybrid: BM25 evidence and the bundled sentence-embedding model, calibrated; bm25: words only; semantic: the model only.")
    into_graph: str | None = Field(None, pattern=f"^{SLUG_PATTERN}$",
                                   description="Store the linked projects in the named graph <base>projects/NAME (bearer token; SHACL-gated).")


class TooManyLinks(SparqlError):
    """One client already has its share of link requests being linked (``LPSPLAN_CLIENT_QUERIES``)."""

    status = 429
    error = "too many requests"


def link_shares(per_client: int) -> ClientShares:
    """How many link requests each client has being linked.  A new title costs the encoder both cores for
    about 7 ms, so one client sending batch after batch at once held the cores for everyone; one more than
    ``per_client`` (the setting ``LPSPLAN_CLIENT_QUERIES``, which bounds a client's SPARQL queries the same
    way) is refused at once with 429 and ``Retry-After``, before any title is linked (0: no limit)."""
    return ClientShares(per_client, TooManyLinks, "link requests being linked")


def _shares(request: Request) -> ClientShares:
    return request.app.state.link_shares


def _linker(request: Request, method: str = "hybrid"):
    """The project's linker over the current data, rebuilt only when the store has changed (see :meth:`Project.linker`);
    a model that cannot run here is a LinkingError, a 400 from the app's one error handler."""
    return request.app.state.project.linker(method)


def warm(app) -> None:
    """Open the default linker in the background when the service starts, so the first
    request does not wait for the model and the description embeddings."""
    def run():
        with contextlib.suppress(Exception):  # the request that needs it will report the problem
            app.state.project.linker()

    app.state.link_warming = threading.Thread(target=run, name="lpsplan-link-warm", daemon=True)
    app.state.link_warming.start()


@router.post("/api/link", summary="Link project titles to the plan's domains and technology directions, with evidence",
             responses={200: {"content": {"application/json": {}, "text/csv": {}, tables.MEDIA["xlsx"]: {}}},
                        429: {"description": "This client already has LPSPLAN_CLIENT_QUERIES link requests being linked; "
                                             "retry after `Retry-After` seconds"}})
async def link(request: Request, body: LinkRequest,
               format: Literal["json", "csv", "csv-bom", "xlsx"] = Query("json", description="json (the records), or one row per title as "
                                                                               "csv, csv-bom (CSV for Excel) or xlsx; a cell that starts "
                                                                               "like a formula (=, +, -, @) is written as text")) -> Response:
    if body.into_graph:
        require_token(request)

    for i, title in enumerate(body.titles, 1):  # refused before the model is touched
        try:
            check_title(title)
        except LinkError as exc:
            raise ProtocolError(f"title {i}: {exc}") from None

    def run():
        linker = _linker(request, body.method)
        results = linker.link_many(body.titles, body.k)
        if body.into_graph:
            request.app.state.project.store_links(results, body.into_graph)
        if format == "json":
            return json.dumps([r.as_dict() for r in results], ensure_ascii=False).encode("utf-8")
        head, *rows = records_rows(results, body.k)
        return tables.render([dict(zip(head, row, strict=True)) for row in rows], format, head, "links")

    with _shares(request).hold(CLIENT.get()):
        data = await run_in_threadpool(run)
    if format == "json":
        return Response(data, media_type="application/json")
    name = "links.xlsx" if format == "xlsx" else "links.csv"
    return Response(data, media_type=tables.MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/link", include_in_schema=False)
async def page(request: Request, title: str = "") -> HTMLResponse:
    r = None
    if title.strip():  # a title the linker cannot take: a LinkError, a 400 from the app's one error handler
        check_title(title)
        with _shares(request).hold(CLIENT.get()):
            r = await run_in_threadpool(lambda: _linker(request).link(title))
    return render_page("link.html", title="lpsplan link", **({"r": r, "highlighted": _marked(r)} if r else {}), query=title)


def _marked(r) -> list[tuple[str, bool]]:
    """The normalised title, character by character, marked where the best domain's evidence lies."""
    marks = [False] * len(r.normalized)
    for d in r.domains[:1]:
        for e in d.evidence:
            for i in range(e.title_start, min(e.title_end, len(marks))):
                marks[i] = True
    return list(zip(r.normalized, marks, strict=True))
