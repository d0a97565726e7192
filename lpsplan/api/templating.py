"""The service's HTML pages come from Jinja2 templates packaged beside this module
(``templates/``), with autoescaping on: a value from the graph or from a request is
text, never markup.  Filters the templates share: ``resource_url`` (the page of an
IRI, the IRI percent-encoded whole so it stays one query parameter), ``short``
(a prefixed name for those writing queries) and ``clip``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..sparql.errors import NotFound
from ..vocab import PREFIXES

TEMPLATES = Path(__file__).parent / "templates"


def resource_url(iri: str) -> str:
    return "/resource?iri=" + quote(iri, safe="")


def short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def clip(text: str, n: int = 160) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n] + "…"


def is_iri(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(resource_url=resource_url, short=short, clip=clip, urlquote=lambda s: quote(str(s), safe=""))
    env.tests["iri"] = is_iri
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


def page(name: str, status: int = 200, **context) -> HTMLResponse:
    """A page from template ``name``; every page extends ``base.html``."""
    return HTMLResponse(render(name, **context), status_code=status)


def installed_asset(path: Path, media: str, what: str) -> FileResponse:
    """A file of a browser library that `make setup` installs (from npm), or a 404 that says so."""
    if not path.is_file():
        raise NotFound(f"{what} is not installed; run `make setup`")
    return FileResponse(path, media_type=media)
