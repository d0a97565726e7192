"""The one place that knows where lpsplan's folders are and how it is configured.

The top-level folders ``ontology/``, ``data/``, ``queries/``, ``api/`` and ``viz/``
live beside the package in a source checkout.  A wheel carries copies of them
under ``lpsplan/_share/`` (see ``pyproject.toml``), so an installed package finds
them too.  ``LPSPLAN_HOME`` points at another checkout-shaped folder.

Nothing here runs at import time: call :func:`project_paths` or
:meth:`Settings.from_env` when you need them.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/lpsplan/id/"
PLAN_SOURCE_NAME = "liupanshui-sti-action-plan-2021-2023.txt"
DEFAULT_SLUG = "liupanshui-sti-2021-2023"  # the first plan's slug: its IRIs are <base><slug>/…
DEFAULT_JURISDICTION = "liupanshui"  # the first plan's area: its units, and observed values without an area
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"  # every slug, name and area: lowercase words joined by hyphens
SLUG_RE = re.compile(f"^{SLUG_PATTERN}$")
SHACL_ENGINES = ("turbo", "pyshacl")  # see lpsplan.validate
DEFAULT_ENGINE = SHACL_ENGINES[0]  # pyshacl-turbo


HOST_NAME_RE = re.compile(r"(?:\*\.)?[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*|\[[0-9A-Fa-f:.]+\]")


def _public_url_ok(url: str) -> bool:
    from urllib.parse import urlsplit

    if not url.isascii() or any(ch <= " " or ch in '<>"{}|\\^`\x7f' for ch in url):  # a Location header is ASCII
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not one
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
            and "?" not in url and "#" not in url and parts.username is None)


@dataclass(frozen=True)
class ProjectPaths:
    """Locations of the non-code folders."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def api(self) -> Path:
        return self.root / "api"

    @property
    def viz(self) -> Path:
        return self.root / "viz"

    @property
    def registry(self) -> Path:
        return self.data / "registry"

    @property
    def source(self) -> Path:
        return self.data / "source" / PLAN_SOURCE_NAME

    @property
    def ontology_file(self) -> Path:
        return self.ontology / "lps.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology / "shapes.ttl"


def _looks_like_root(path: Path) -> bool:
    return (path / "ontology" / "lps.ttl").is_file() and (path / "data" / "registry").is_dir()


def project_paths(home: str | os.PathLike[str] | None = None) -> ProjectPaths:
    """Find the project folders: ``home``, else ``$LPSPLAN_HOME``, else the
    checkout around the package, else the copies shipped inside the wheel."""
    candidates: list[Path] = []
    if home is not None:
        candidates.append(Path(home))
    elif os.environ.get("LPSPLAN_HOME"):
        candidates.append(Path(os.environ["LPSPLAN_HOME"]))
    else:
        package_dir = Path(__file__).resolve().parent
        candidates += [package_dir.parent, package_dir / "_share"]
    for candidate in candidates:
        if _looks_like_root(candidate):
            return ProjectPaths(candidate.resolve())
    tried = ", ".join(str(c) for c in candidates)
    from .errors import ConfigError

    raise ConfigError(f"cannot find lpsplan's ontology/ and data/ folders (looked in: {tried}); set LPSPLAN_HOME")


# Settings read from the environment: name → (field, type).  CLI flags override them.
ENV = {
    "LPSPLAN_BASE_IRI": ("base_iri", str),
    "LPSPLAN_BUILD_DIR": ("build_dir", Path),
    "LPSPLAN_HOST": ("host", str),
    "LPSPLAN_PORT": ("port", int),
    "LPSPLAN_STORE": ("store", str),
    "LPSPLAN_UPDATE_TOKEN": ("update_token", str),
    "LPSPLAN_TIMEOUT": ("timeout", float),
    "LPSPLAN_MAX_ROWS": ("max_rows", int),
    "LPSPLAN_MAX_BODY": ("max_body", int),
    "LPSPLAN_MAX_QUERY": ("max_query", int),
    "LPSPLAN_MAX_ANSWER": ("max_answer", int),
    "LPSPLAN_MAX_CONNECTIONS": ("max_connections", int),
    "LPSPLAN_MAX_BUFFERED": ("max_buffered", int),
    "LPSPLAN_HEADER_TIMEOUT": ("header_timeout", float),
    "LPSPLAN_BODY_TIMEOUT": ("body_timeout", float),
    "LPSPLAN_SEND_TIMEOUT": ("send_timeout", float),
    "LPSPLAN_ALLOW_SERVICE": ("allow_service", bool),
    "LPSPLAN_CORS_ORIGINS": ("cors_origins", str),
    "LPSPLAN_WORKERS": ("workers", int),
    "LPSPLAN_MAX_WORKERS": ("max_workers", int),
    "LPSPLAN_CLIENT_QUERIES": ("client_queries", int),
    "LPSPLAN_WORKER_MEMORY": ("worker_memory", int),
    "LPSPLAN_CACHE": ("cache_entries", int),
    "LPSPLAN_PUBLIC_URL": ("public_url", str),
    "LPSPLAN_ALLOWED_HOSTS": ("allowed_hosts", str),
}


def _convert(kind, value: str):
    if kind is bool:
        return value.strip().lower() in ("1", "true", "yes", "on")
    return kind(value)


MAX_SECONDS = 86_400  # the longest timeout a setting may give: waits much longer than this overflow the event loop's clock
MAX_BYTES = 2**60  # the largest byte count a setting may give (a memory cap is handed to the kernel as a C long)
MAX_QUERY_CHARS = 2**26  # the longest query a setting may allow: 64 M characters (a query file is read up to it)
MAX_WORKER_PROCESSES = 64  # query workers (each a process with its own memory cap) a setting may ask for


@dataclass(frozen=True)
class Settings:
    """Run-time settings, in one place.  Built by :meth:`from_env` (``LPSPLAN_*``
    variables), overridden by CLI flags through :meth:`with_`."""

    paths: ProjectPaths
    base_iri: str = DEFAULT_BASE_IRI
    build_dir: Path = field(default=Path("data/build"))
    host: str = "127.0.0.1"
    port: int = 8000
    store: str = "embedded"  # or the base URL of an external SPARQL 1.1 server
    update_token: str = ""  # updates are off unless set
    timeout: float = 10.0  # seconds per query
    max_rows: int = 100_000
    max_body: int = 10 * 1024 * 1024  # bytes
    max_query: int = 100_000  # characters of one query or update, and bytes of a URL's query string
    max_answer: int = 128 * 1024 * 1024  # bytes of one answer, in memory or spooled to disk
    max_connections: int = 512  # open client connections; more are closed at once
    max_buffered: int = 64 * 1024 * 1024  # request body bytes held by all requests together
    header_timeout: float = 10.0  # seconds a client may take to send a request's headers
    body_timeout: float = 10.0  # seconds a client may pause while sending a body
    send_timeout: float = 30.0  # seconds a client may go without reading while an answer is sent
    allow_service: bool = False  # SERVICE and LOAD fetch URLs: off unless asked for
    cors_origins: str = ""  # comma-separated; empty: CORS off
    workers: int = 2  # query worker processes of the embedded store kept running
    max_workers: int = 6  # at most this many while queries wait (spares start on demand)
    client_queries: int = 2  # queries one client may have in the query workers at once; more: 429 (0: no limit)
    worker_memory: int = 2 * 2**30  # bytes a query worker may allocate beyond its store; past it the worker ends (0: no limit)
    cache_entries: int = 256  # answers kept per store generation (0: no cache)
    public_url: str = ""  # how clients reach the service, for the service description
    allowed_hosts: str = ""  # comma-separated host names (*.example.org: any under it) the service answers for; empty: any

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        from .errors import ConfigError

        env = os.environ if environ is None else environ
        paths = overrides.pop("paths", None) or project_paths(env.get("LPSPLAN_HOME"))
        values: dict[str, object] = {"build_dir": paths.data / "build"}
        for name, (fieldname, kind) in ENV.items():
            if env.get(name):
                try:
                    values[fieldname] = _convert(kind, env[name])
                except ValueError:
                    raise ConfigError(f"{name}={env[name]!r} is not a valid {kind.__name__}") from None
        settings = cls(paths=paths, **values)
        return settings.with_(**overrides) if overrides else settings

    def __post_init__(self) -> None:
        from .errors import ConfigError

        # the header's token is read without the spaces around it: a token file's trailing space or line break made the
        # token one no client could send, and a token of spaces alone said "updates on" with no way to write
        object.__setattr__(self, "update_token", self.update_token.strip())
        if not self.base_iri.endswith(("/", "#")):
            raise ConfigError(f"base IRI must end with '/' or '#': {self.base_iri}")
        try:  # every data IRI starts with it: a space or a '<' in it was a traceback from the first IRI written
            import pyoxigraph

            pyoxigraph.NamedNode(self.base_iri + "x")
        except ValueError as exc:
            raise ConfigError(f"base IRI {self.base_iri!r} is not an absolute IRI ({exc})") from None
        if not (0 < self.port < 65536):
            raise ConfigError(f"port {self.port} is out of range")
        hosts = [n.strip() for n in self.allowed_hosts.split(",") if n.strip()]
        if self.allowed_hosts.strip() and (not hosts or not all(HOST_NAME_RE.fullmatch(n) for n in hosts)):
            # a request's host is compared without its port: `example.org:8000`, `*`, a URL or `,` alone matched no
            # request, and the service answered every one (its health check too) with a 400
            raise ConfigError(f"LPSPLAN_ALLOWED_HOSTS must be host names (example.org, *.example.org, 127.0.0.1, [::1]; no "
                              f"port, scheme or path) separated by commas, not {self.allowed_hosts!r}")
        if self.public_url and not _public_url_ok(self.public_url):
            # it starts every redirect's Location and names the service in its description and the IRIs of new graphs:
            # a space made each description a 500, `plans.example.org` (no scheme) a Location relative to the path
            raise ConfigError(f"LPSPLAN_PUBLIC_URL must be an http(s) URL such as https://plans.example.org/ (ASCII: a host, "
                              f"a path at most; no query, fragment, user, spaces or control characters), not {self.public_url!r}")
        for name in ("timeout", "header_timeout", "body_timeout", "send_timeout"):  # NaN passed every `<= 0` below
            if not math.isfinite(getattr(self, name)):
                raise ConfigError(f"{name} must be a finite number of seconds, not {getattr(self, name)}")
            if getattr(self, name) > MAX_SECONDS:  # 1e308 passed: every wait past the first second was a 500 (an overflow)
                raise ConfigError(f"{name} must be at most {MAX_SECONDS:,} seconds (a day), not {getattr(self, name):g}")
        sizes = {"max_body": self.max_body, "max_answer": self.max_answer, "max_buffered": self.max_buffered,
                 "worker_memory": self.worker_memory}
        name = max(sizes, key=sizes.get)
        if sizes[name] > MAX_BYTES:  # 10^23 ended every query worker as it started
            raise ConfigError(f"{name} must be at most {MAX_BYTES:,} bytes, not {sizes[name]:,}")
        if self.max_query > MAX_QUERY_CHARS:  # 10^20 ended `lpsplan query --file` in an overflow; 10^12 read /dev/zero whole
            raise ConfigError(f"max_query must be at most {MAX_QUERY_CHARS:,} characters, not {self.max_query:,}")
        if max(self.workers, self.max_workers) > MAX_WORKER_PROCESSES:  # each is a process started with the service
            raise ConfigError(f"workers and max_workers must be at most {MAX_WORKER_PROCESSES}, not {max(self.workers, self.max_workers):,}")
        if self.timeout <= 0 or self.max_rows <= 0 or self.max_body <= 0 or self.max_query <= 0 or self.workers <= 0 or self.cache_entries < 0 or self.client_queries < 0 or self.worker_memory < 0:
            raise ConfigError("timeout, max_rows, max_body, max_query and workers must be positive, cache, client_queries and worker_memory not negative")
        if self.max_workers <= 0 or min(self.max_answer, self.max_connections, self.max_buffered) <= 0 or min(self.header_timeout, self.body_timeout, self.send_timeout) <= 0:
            raise ConfigError("max_workers, max_answer, max_connections, max_buffered and the header, body and send timeouts must be positive")
        if self.store != "embedded" and not self.store.startswith(("http://", "https://")):
            raise ConfigError(f"--store takes 'embedded' or an http(s) URL, not {self.store!r}")
        if self.store != "embedded" and any(ch <= " " or ch == "\x7f" or "\ud800" <= ch <= "\udfff" for ch in self.store):
            # a line break or a byte that is not UTF-8 was a traceback from the HTTP client at the first request
            from .errors import without_password

            raise ConfigError(f"--store takes an http(s) URL without spaces, control characters or bytes that are not "
                              f"UTF-8, not {without_password(self.store)!r}")
        if self.update_token and not all(" " <= ch <= "~" for ch in self.update_token):
            # a client sends it in a header, read as Latin-1: a byte that is not UTF-8 in it made every update a 500,
            # other non-ASCII text a 403 to a client sending it in UTF-8
            raise ConfigError("LPSPLAN_UPDATE_TOKEN must be printable ASCII (letters, digits, punctuation)")

    def with_(self, **changes) -> Settings:
        changes = {k: v for k, v in changes.items() if v is not None}
        if "build_dir" in changes:
            changes["build_dir"] = Path(changes["build_dir"])
        return replace(self, **changes)

    @property
    def plan_graph_file(self) -> Path:
        return self.build_dir / "plan.ttl"

    @property
    def snapshot_file(self) -> Path:
        return self.build_dir / "store.nq"

    @property
    def updates_enabled(self) -> bool:
        return bool(self.update_token)

    def notes(self) -> list[str]:
        """What a start-up banner should point out about these settings."""
        out = []
        if self.host not in ("127.0.0.1", "localhost", "::1") and not (self.public_url or self.allowed_hosts):
            out.append(f"listening on {self.host}, with neither LPSPLAN_PUBLIC_URL nor LPSPLAN_ALLOWED_HOSTS set: the service "
                       "description and new graphs are named after whatever host a request names (docs/service.md)")
        return out

    def describe(self) -> dict[str, str]:
        """The settings as printable strings (for start-up banners); the token is never shown, nor a store URL's password."""
        from .errors import without_password

        return {
            "home": str(self.paths.root),
            "base_iri": self.base_iri,
            "build_dir": str(self.build_dir),
            "listen": f"{self.host}:{self.port}",
            "store": without_password(self.store),
            "updates": "on (bearer token set)" if self.update_token else "off (no LPSPLAN_UPDATE_TOKEN)",
            "timeout": f"{self.timeout:g} s",
            "max_rows": f"{self.max_rows:,}",
            "max_body": f"{self.max_body:,} bytes",
            "max_query": f"{self.max_query:,} characters",
            "max_answer": f"{self.max_answer:,} bytes",
            "connections": f"at most {self.max_connections:,}; {self.max_buffered:,} body bytes buffered in all",
            "client_timeouts": f"headers {self.header_timeout:g} s, body pauses {self.body_timeout:g} s, sending {self.send_timeout:g} s",
            "service_and_load": "allowed" if self.allow_service else "refused",
            "cors": self.cors_origins or "off",
            "workers": f"{self.workers} (up to {max(self.workers, self.max_workers)} on demand)",
            "client_queries": f"{self.client_queries} in the workers at once per client" if self.client_queries else "no limit per client",
            "worker_memory": f"{self.worker_memory:,} bytes per query worker beyond its store" if self.worker_memory else "no limit",
            "cache": f"{self.cache_entries} answers" if self.cache_entries else "off",
            "public_url": self.public_url or "from each request's host",
            "allowed_hosts": self.allowed_hosts or "any",
        }
