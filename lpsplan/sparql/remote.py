"""The same service over an external SPARQL 1.1 server (Oxigraph server, Fuseki,
QLever, Virtuoso …): queries and Graph Store requests are passed through; writes
are first applied to a local copy of the server's data and validated with the
SHACL shapes, and sent on only if they conform.

Endpoints: ``/query`` and ``/update`` under the given base URL (Oxigraph server's
layout, and Fuseki's under a dataset's URL, e.g. ``http://host:3030/ds``); the Graph
Store endpoint is found on first use: ``/store`` (Oxigraph server) or ``/data``
(Fuseki).  Other servers name theirs explicitly (:class:`Endpoints`).

The named questions read the default graph and every named graph explicitly
(``{ … } UNION { GRAPH ?g { … } }``), so the server's default graph must be its
own graph, not the union of the named graphs (Oxigraph server's default; Fuseki's
for ``--mem`` and TDB2 unless ``tdb2:unionDefaultGraph`` is set): over a union
default graph every plan would be counted twice.
The query timeout here bounds how long we wait: stopping the work on the remote
server is that server's own timeout's job (e.g. Fuseki's ``--timeout``).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from ..config import DEFAULT_ENGINE
from ..errors import without_password
from .backend import Answer, Backend, Structure, apply_graph_write, apply_update, require_graph
from .errors import BackendUnavailable, GraphNotFound, NotAcceptableError, QuerySyntaxError, QueryTimeout
from .formats import RDF_ALIASES, RDF_TYPES, RESULT_ALIASES
from .spool import INLINE_BYTES, Spool, claim, spool_folder
from .text import is_reset
from .uploads import parse_rdf

GSP_PATHS = ("store", "data")  # Oxigraph server's Graph Store endpoint, then Fuseki's


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    gsp: str | None  # None: find it on first use (GSP_PATHS under ``root``)
    root: str = ""

    @classmethod
    def from_base(cls, base: str, query: str | None = None, update: str | None = None, gsp: str | None = None) -> Endpoints:
        root = base.rstrip("/")
        return cls(query or f"{root}/query", update or f"{root}/update", gsp, root)

    def find_gsp(self, timeout: float = 5.0) -> str:
        """The Graph Store endpoint: the first of GSP_PATHS whose default graph answers a HEAD (on a
        connection of its own, closed after: Oxigraph server's answer to a HEAD may carry a body)."""
        if self.gsp:
            return self.gsp
        for path in GSP_PATHS:
            url = f"{self.root}/{path}"
            try:
                if httpx.head(url, params={"default": ""}, headers={"Connection": "close"}, timeout=timeout).status_code < 300:
                    return url
            except httpx.HTTPError:
                break
        return f"{self.root}/{GSP_PATHS[0]}"


class RemoteBackend(Backend):
    kind = "remote"

    def __init__(self, endpoints: Endpoints, shapes, limits, *, engine: str = DEFAULT_ENGINE, client: httpx.Client | None = None):
        super().__init__(shapes, limits, engine)
        self.endpoints = endpoints
        self._gsp_url = endpoints.gsp
        self.http = client or httpx.Client(timeout=httpx.Timeout(limits.timeout, connect=5.0))
        self._write_lock = threading.Lock()
        self.spool = spool_folder(tempfile.gettempdir())
        self.inline_bytes = INLINE_BYTES  # larger answers go to a file in self.spool when the caller streams

    # -- plumbing -----------------------------------------------------------
    @property
    def gsp(self) -> str:
        """The Graph Store endpoint, found once (reads by query never need it)."""
        if self._gsp_url is None:
            self._gsp_url = self.endpoints.find_gsp(min(self.limits.timeout, 5.0))
        return self._gsp_url

    def _send(self, method: str, url: str, **kw) -> httpx.Response:
        try:
            return self.http.request(method, url, **kw)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the SPARQL server did not answer within {self.limits.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise BackendUnavailable(f"cannot reach the SPARQL server at {without_password(url)}: {exc}") from None

    @staticmethod
    def _check(resp: httpx.Response, what: str) -> httpx.Response:
        if resp.status_code < 300:
            return resp
        detail = resp.text.strip()[:500] or resp.reason_phrase
        if resp.status_code == 404:
            raise GraphNotFound(detail)
        if resp.status_code == 406:
            raise NotAcceptableError(detail)
        if resp.status_code == 400:
            raise QuerySyntaxError(f"the SPARQL server refused the {what}: {detail}")
        raise BackendUnavailable(f"the SPARQL server answered {resp.status_code} to the {what}: {detail}")

    # -- reading ------------------------------------------------------------
    def query(self, query, *, default_graphs=(), named_graphs=(), accept=None, fmt=None, base_iri=None, adhoc=False,
              stream=False) -> Answer:
        self.refuse_remote_fetch(query)
        if fmt:
            accept = RESULT_ALIASES.get(fmt) or RDF_ALIASES.get(fmt) or fmt
        data = {"query": query, "default-graph-uri": list(default_graphs), "named-graph-uri": list(named_graphs)}
        return self._fetch("POST", self.endpoints.query, "query", "application/octet-stream", stream,
                           data=data, headers={"Accept": accept or "*/*"})

    def get_graph(self, graph, accept) -> Answer:
        from .formats import rdf_media

        media = rdf_media(accept)
        return self._fetch("GET", self.gsp, "graph request", media, True, params=_graph_param(graph), headers={"Accept": media})

    def _fetch(self, method: str, url: str, what: str, media: str, stream: bool, **kw) -> Answer:
        """A response body read in chunks: a large one goes to a spool file (``stream``), not into memory."""
        out = Spool(self.spool if stream else None, self.inline_bytes)
        try:
            with self.http.stream(method, url, **kw) as resp:
                if resp.status_code >= 300:
                    resp.read()
                    self._check(resp, what)
                for chunk in resp.iter_bytes(1 << 16):
                    out.write(chunk)
                media = resp.headers.get("content-type", media).split(";")[0]
        except httpx.TimeoutException:
            out.discard()
            raise QueryTimeout(f"the SPARQL server did not answer within {self.limits.timeout:g} s") from None
        except httpx.HTTPError as exc:
            out.discard()
            raise BackendUnavailable(f"cannot reach the SPARQL server at {without_password(url)}: {exc}") from None
        kind, body = out.finish()
        return Answer(media, body) if kind == "inline" else Answer(media, spool=claim(body))

    def has_graph(self, graph) -> bool:
        """By an ASK query, not a Graph Store HEAD: Oxigraph server (0.5) answers a HEAD for a missing
        graph with a body, which breaks the kept-alive connection for the next request."""
        if graph is None:
            return True
        resp = self._check(self._send("POST", self.endpoints.query, data={"query": f"ASK {{ GRAPH <{graph}> {{ }} }}"},
                                      headers={"Accept": "application/sparql-results+json"}), "query")
        return bool(resp.json()["boolean"])

    def check_default_graph(self) -> None:
        """Refuse a server whose default graph is the union of its named graphs (see the module's doc): a plan
        found in a named graph must not be found again without GRAPH.  Two small queries; none when no plan
        lives in a named graph, since then the answers are the same either way."""
        plan = "<https://w3id.org/lpsplan/ontology#Plan>"
        found = self.select(f"SELECT ?p WHERE {{ GRAPH ?g {{ ?p a {plan} }} }} LIMIT 1")
        if found and self.select(f"SELECT ?p WHERE {{ <{found[0]['p']}> a {plan} BIND(1 AS ?p) }}"):
            from ..errors import ConfigError

            raise ConfigError(f"the SPARQL server at {without_password(self.endpoints.root or self.endpoints.query)} answers for its named graphs "
                              "in its default graph (a union default graph), so every ingested plan would be counted twice: "
                              "turn that off (Fuseki: tdb2:unionDefaultGraph false; oxigraph serve: no --union-default-graph)")

    def triples(self) -> int:
        resp = self._check(self._send("POST", self.endpoints.query, data={"query": "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"},
                                      headers={"Accept": "application/sparql-results+json"}), "query")
        return int(resp.json()["results"]["bindings"][0]["n"]["value"])

    # -- writing ------------------------------------------------------------
    def _copy(self) -> ox.Store:
        """The server's data as a local store, for the SHACL gate."""
        local = ox.Store()
        resp = self._check(self._send("GET", self.gsp, params={"default": ""}, headers={"Accept": "application/n-triples"}), "graph request")
        if resp.content:
            local.load(resp.content, format=ox.RdfFormat.N_TRIPLES)
        names = self._check(self._send("POST", self.endpoints.query, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"},
                                       headers={"Accept": "application/sparql-results+json"}), "query").json()
        for b in names["results"]["bindings"]:
            g = b["g"]["value"]
            body = self._check(self._send("GET", self.gsp, params={"graph": g}, headers={"Accept": "application/n-triples"}), "graph request")
            local.add_graph(ox.NamedNode(g))
            if body.content:
                local.load(body.content, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
        return local

    def _gated(self, apply_locally, send, reset: bool = False) -> None:
        with self._write_lock:
            candidate = self._copy()
            before = None if reset else Structure.of(candidate)
            apply_locally(candidate)
            self.gate(candidate, before)
            send()

    def update(self, update, *, using=(), using_named=(), base_iri=None) -> None:
        update = self.prepare_update(update, using, using_named)

        def send() -> None:
            self._check(self._send("POST", self.endpoints.update, content=update.encode("utf-8"),
                                   headers={"Content-Type": "application/sparql-update"}), "update")

        self._gated(lambda candidate: apply_update(candidate, update, base_iri), send, reset=is_reset(update))

    def _graph_write(self, method: str, graph, data: bytes | None, media: str | None) -> bool:
        triples = parse_rdf(data, media, graph) if method != "DELETE" else []
        existed = self.has_graph(graph)
        if method == "DELETE":
            require_graph(existed, graph)

        def send() -> None:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if method != "DELETE" else None
            headers = {"Content-Type": "application/n-triples"} if body is not None else {}
            self._check(self._send(method, self.gsp, params=_graph_param(graph), content=body, headers=headers), "graph write")

        self._gated(lambda candidate: apply_graph_write(candidate, method, graph, triples), send)
        return not existed

    def put_graph(self, graph, data, media, validated: bool = False) -> bool:
        return self._graph_write("PUT", graph, data, media)  # the remote store is always checked whole

    def post_graph(self, graph, data, media) -> bool:
        return self._graph_write("POST", graph, data, media)

    def delete_graph(self, graph) -> None:
        self._graph_write("DELETE", graph, None, None)

    def close(self) -> None:
        self.http.close()
        shutil.rmtree(self.spool, ignore_errors=True)


def _graph_param(graph: str | None) -> dict[str, str]:
    return {"default": ""} if graph is None else {"graph": graph}


__all__ = ["RDF_TYPES", "Endpoints", "RemoteBackend"]
